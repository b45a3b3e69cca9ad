# A rating through the outbox pump and the registry client to bdc-registry
# in-process, exactly once when an answer is lost and the kiosk restarts.
kiosk_test(outbox_delivery_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/outbox_delivery_test.c
           LIBS kiosk_outbox kiosk_registry PkgConfig::SQLITE LABELS e2e)
