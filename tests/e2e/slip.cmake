# Crash test of the print journal: the slip worker killed between states
# and restarted, against a printer on a pty (each slip exactly once).
kiosk_test(slip_crash_test SOURCES ${PROJECT_SOURCE_DIR}/tests/e2e/slip_crash_test.c
  LIBS kiosk_print kiosk_store kiosk_drv_escpos Threads::Threads util LABELS e2e)
target_include_directories(slip_crash_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
