# app/backend: JSON mapping tables, and the worker against a scripted
# libmicrohttpd server on loopback.
kiosk_test(test_backend_regjson SOURCES ${CMAKE_CURRENT_LIST_DIR}/backend_regjson.c
           LIBS kiosk_backend PkgConfig::CJSON LABELS unit)
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/backend_worker.c)
  kiosk_test(test_backend_worker SOURCES ${CMAKE_CURRENT_LIST_DIR}/backend_worker.c
             LIBS kiosk_backend PkgConfig::MHD PkgConfig::CJSON LABELS unit)
endif()

# The hall's services: guide, notice, slots, booking, applications.
kiosk_test(test_backend_services SOURCES ${CMAKE_CURRENT_LIST_DIR}/backend_services.c
           LIBS kiosk_backend PkgConfig::CJSON LABELS unit)
