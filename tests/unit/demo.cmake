kiosk_test(test_demo SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_demo.c LIBS kiosk_demo LABELS unit)
