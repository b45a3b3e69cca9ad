# bdc-kiosk-tool's capture decoder: hex dumps, source arrays, base64.
kiosk_test(capture_text_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/capture_text_test.c
           LIBS kiosk_tool_capture LABELS unit)
# bdc-kiosk-tool idcard decode on 30 10 replies, every dump format (made by
# xxd, hexdump and od themselves), header-less and cut-off captures.
add_executable(idcard_tool_capture_test ${CMAKE_CURRENT_LIST_DIR}/idcard_tool_capture_test.c)
target_link_libraries(idcard_tool_capture_test PRIVATE kiosk_drv_idcard)
add_test(NAME idcard_tool_capture_test
         COMMAND idcard_tool_capture_test $<TARGET_FILE:bdc-kiosk-tool>)
set_tests_properties(idcard_tool_capture_test PROPERTIES LABELS unit TIMEOUT 60)
