kiosk_test(test_registry SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_registry.c LIBS kiosk_registry
           LABELS unit)
