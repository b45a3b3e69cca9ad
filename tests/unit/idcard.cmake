# ID card reader driver: frame codec, card text, reader loop over the sim.
kiosk_test(idcard_frame_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/idcard_frame_test.c
           LIBS kiosk_drv_idcard LABELS unit)
kiosk_test(idcard_text_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/idcard_text_test.c
           LIBS kiosk_drv_idcard LABELS unit)
kiosk_test(idcard_reader_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/idcard_reader_test.c
           LIBS kiosk_drv_idcard Threads::Threads LABELS unit)
