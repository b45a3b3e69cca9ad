# POST /v1/tickets on the registry over real HTTP, in-process.
kiosk_test(registry_tickets_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/registry_tickets_test.c
           LIBS kiosk_registry PkgConfig::CURL PkgConfig::CJSON LABELS e2e)
