# Certificates and the print journal: once, never twice, restart recovery.
kiosk_test(print_journal_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/print_journal_test.c
  LIBS kiosk_print kiosk_store print_test_support Threads::Threads LABELS unit)
