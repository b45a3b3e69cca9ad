# The slip printer's USB printer-class transport (drivers/escpos/printer_usb)
# and the slip worker against a fake printer on umockdev. Label "devices".
pkg_check_modules(UMOCKDEV IMPORTED_TARGET umockdev-1.0)
if(UMOCKDEV_FOUND)
  kiosk_test(escpos_usb_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/escpos_usb_test.c
             LIBS kiosk_print kiosk_store kiosk_drv_escpos PkgConfig::UMOCKDEV Threads::Threads
             LABELS devices)
  target_include_directories(escpos_usb_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
else()
  kiosk_test_missing(escpos_usb_test "libumockdev-dev is missing")
endif()
