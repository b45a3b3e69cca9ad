kiosk_test(test_base SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_base.c LIBS kiosk_base LABELS unit)
