# The fleet on the registry over real HTTP, in-process: heartbeats, the
# kiosks' settings documents, the status pages.
kiosk_test(registry_fleet_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/registry_fleet_test.c
           LIBS kiosk_registry PkgConfig::CURL PkgConfig::CJSON Threads::Threads LABELS e2e)
