# ID card reader over fake hardware: the libusb transport against a
# umockdev USB device that answers the SAM protocol, the tty transport
# against a pty. Label "devices"; no hardware, no root needed.
pkg_check_modules(UMOCKDEV IMPORTED_TARGET umockdev-1.0)
if(UMOCKDEV_FOUND)
  kiosk_test(idcard_usb_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/idcard_usb_test.c
             LIBS kiosk_drv_idcard PkgConfig::UMOCKDEV Threads::Threads
             LABELS devices)
  target_include_directories(idcard_usb_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
else()
  kiosk_test_missing(idcard_usb_test "libumockdev-dev is missing")
endif()
kiosk_test(idcard_tty_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/idcard_tty_test.c
           LIBS kiosk_drv_idcard util Threads::Threads LABELS devices)
target_include_directories(idcard_tty_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
