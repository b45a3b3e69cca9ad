# Slips (app/print/slip_*), the print journal (app/store) and the slip
# worker against the simulated printer.
kiosk_test(slip_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/slip_test.c
  LIBS kiosk_print kiosk_store kiosk_drv_escpos LABELS unit)
kiosk_test(slip_worker_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/slip_worker_test.c
  LIBS kiosk_print kiosk_store kiosk_drv_escpos Threads::Threads LABELS unit)
