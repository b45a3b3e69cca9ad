# The hall's staff and the kiosks' audit trail on the registry over real
# HTTP, in-process.
kiosk_test(registry_staff_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/registry_staff_test.c
           LIBS kiosk_registry PkgConfig::CURL PkgConfig::CJSON Threads::Threads LABELS e2e)
