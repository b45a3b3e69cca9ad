# Fuzz target for bdc-kiosk-tool's capture decoder (hex dumps, source
# arrays, base64), with the frame decoder the tool runs after it.
kiosk_fuzz(fuzz_capture_text ${CMAKE_CURRENT_LIST_DIR}/fuzz_capture_text.c
           LIBS kiosk_tool_capture kiosk_drv_idcard
           CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_capture_text)
set_target_properties(fuzz_capture_text PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                      ${CMAKE_BINARY_DIR}/tests/fuzz)
