kiosk_test(test_registry SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_registry.c LIBS kiosk_registry
           LABELS unit)
kiosk_test(registry_calendar_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/registry_calendar_test.c
           LIBS kiosk_registry LABELS unit)
# registry_store.h on SQLite here, on PostgreSQL as registry_store_test_pg
# (e2e/registry_pg.cmake).
kiosk_test(registry_store_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/registry_store_test.c
           LIBS kiosk_registry LABELS unit)
