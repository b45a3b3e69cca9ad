# Fuzz target for what a slip printer sends back (and the paper decoder).
kiosk_fuzz(fuzz_escpos_status ${CMAKE_CURRENT_LIST_DIR}/fuzz_escpos_status.c
           LIBS kiosk_drv_escpos CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_escpos_status)
set_target_properties(fuzz_escpos_status PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                      ${CMAKE_BINARY_DIR}/tests/fuzz)
# Fuzz target for the whole renderer: any bytes as a print stream.
kiosk_fuzz(fuzz_escpos_render ${CMAKE_CURRENT_LIST_DIR}/fuzz_escpos_render.c
           LIBS kiosk_drv_escpos CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_escpos_render)
set_target_properties(fuzz_escpos_render PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                      ${CMAKE_BINARY_DIR}/tests/fuzz)
