kiosk_test(camera_v4l2_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/camera_v4l2_test.c
           LIBS kiosk_drv_camera LABELS unit)
# Image files ([camera] sim_images, the tool's face detect), YUYV to gray,
# and the simulated camera playing files, with the files a hall gets wrong.
kiosk_test(camera_image_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/camera_image_test.c
           LIBS kiosk_drv_camera PkgConfig::CAIRO LABELS unit)
