kiosk_test(test_registry SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_registry.c LIBS kiosk_registry
           LABELS unit)
kiosk_test(registry_calendar_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/registry_calendar_test.c
           LIBS kiosk_registry LABELS unit)
