kiosk_test(test_flow SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_flow.c LIBS kiosk_core LABELS unit)
kiosk_test(test_config SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_config.c LIBS kiosk_core LABELS unit)
kiosk_test(test_bus SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_bus.c LIBS kiosk_core LABELS unit)
