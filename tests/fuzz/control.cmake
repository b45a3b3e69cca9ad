kiosk_fuzz(fuzz_control ${CMAKE_CURRENT_LIST_DIR}/fuzz_control.c LIBS kiosk_control
           CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_control)
