# The outbox: put, due, delivered, failed and backoff, the same key across
# retries and restarts, the bound, a full disk, and nothing personal in the
# file when the kiosk's own code builds a rating.
kiosk_test(outbox_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/outbox_test.c
  LIBS kiosk_outbox kiosk_store LABELS unit)
