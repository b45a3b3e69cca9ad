# The libuvc camera source without a camera: its frame mailbox, then
# enumeration and the open-failure path through real libuvc/libusb against
# a hand-written UVC webcam on umockdev. Label "devices".
pkg_check_modules(UMOCKDEV IMPORTED_TARGET umockdev-1.0)
if(TARGET kiosk_drv_camera_uvc AND UMOCKDEV_FOUND)
  kiosk_test(camera_uvc_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/camera_uvc_test.c
             LIBS kiosk_drv_camera_uvc PkgConfig::UMOCKDEV Threads::Threads LABELS devices)
  target_include_directories(camera_uvc_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
else()
  kiosk_test_missing(camera_uvc_test "libuvc-dev or libumockdev-dev is missing")
endif()
