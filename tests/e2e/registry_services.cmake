# The hall's services on the registry over real HTTP, in-process: guide,
# calendar, bookings and the race for the last place, check-in, progress.
kiosk_test(registry_services_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/registry_services_test.c
           LIBS kiosk_registry PkgConfig::CURL PkgConfig::CJSON Threads::Threads LABELS e2e)
