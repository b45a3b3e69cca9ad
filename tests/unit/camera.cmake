kiosk_test(camera_v4l2_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/camera_v4l2_test.c
           LIBS kiosk_drv_camera LABELS unit)
