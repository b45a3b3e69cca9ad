# backend_take_ticket: the ticket JSON both ways, and the worker against
# the reference registry in-process on loopback.
kiosk_test(test_backend_ticket SOURCES ${CMAKE_CURRENT_LIST_DIR}/backend_ticket.c
           LIBS kiosk_backend kiosk_registry PkgConfig::CJSON LABELS unit)
