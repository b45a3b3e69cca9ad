kiosk_test(test_i18n SOURCES ${CMAKE_CURRENT_LIST_DIR}/i18n.c LIBS kiosk_i18n kiosk_base LABELS unit)
