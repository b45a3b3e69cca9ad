# ESC/POS encoder, status parser, decoder (drivers/escpos), pure.
kiosk_test(escpos_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/escpos_test.c
  LIBS kiosk_drv_escpos LABELS unit)
