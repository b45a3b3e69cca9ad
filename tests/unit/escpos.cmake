# ESC/POS encoder, status parser, decoder (drivers/escpos), pure.
kiosk_test(escpos_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/escpos_test.c
  LIBS kiosk_drv_escpos LABELS unit)
# The character-device transport (usblp node or tty) against a pty printer.
kiosk_test(printer_lp_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/printer_lp_test.c
  LIBS kiosk_drv_escpos Threads::Threads util LABELS unit)
# The decoder as a printer: receipt streams rendered and compared with the
# reference pictures in escpos_ref/ (ESCPOS_REGEN=1 writes them anew), the
# codes read back by zbarimg, skipped commands with their offsets.
kiosk_test(escpos_render_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/escpos_render_test.c
  LIBS kiosk_drv_escpos PkgConfig::CAIRO LABELS unit)
