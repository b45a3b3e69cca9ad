# ID card reader driver: frame codec, card text, reader loop over the sim.
kiosk_test(idcard_frame_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/idcard_frame_test.c
           LIBS kiosk_drv_idcard LABELS unit)
kiosk_test(idcard_text_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/idcard_text_test.c
           LIBS kiosk_drv_idcard LABELS unit)
kiosk_test(idcard_reader_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/idcard_reader_test.c
           LIBS kiosk_drv_idcard Threads::Threads LABELS unit)
# bdc-kiosk-tool idcard decode on captures built by the codec; idcard read
# against a reader played on a pty.
add_executable(idcard_tool_test ${CMAKE_CURRENT_LIST_DIR}/idcard_tool_test.c)
target_link_libraries(idcard_tool_test PRIVATE kiosk_drv_idcard util Threads::Threads)
add_test(NAME idcard_tool_test COMMAND idcard_tool_test $<TARGET_FILE:bdc-kiosk-tool>)
set_tests_properties(idcard_tool_test PROPERTIES LABELS unit TIMEOUT 60)
# bdc-kiosk-tool face detect and escpos render, with their errors.
add_test(NAME tool_cli COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/tool_cli.sh $<TARGET_FILE:bdc-kiosk-tool>)
set_tests_properties(tool_cli PROPERTIES LABELS unit TIMEOUT 60)
