# The guide, notice and calendar, appointments and check-in, progress and
# the proof on a phone, on the registry over real HTTP, in-process.
kiosk_test(registry_services_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/registry_services_test.c
           LIBS kiosk_registry PkgConfig::CURL PkgConfig::CJSON Threads::Threads LABELS e2e)
