# ESC/POS encoder, status parser, decoder (drivers/escpos), pure.
kiosk_test(escpos_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/escpos_test.c
  LIBS kiosk_drv_escpos LABELS unit)
# The character-device transport (usblp node or tty) against a pty printer.
kiosk_test(printer_lp_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/printer_lp_test.c
  LIBS kiosk_drv_escpos Threads::Threads util LABELS unit)
