kiosk_test(test_face SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_face.c LIBS kiosk_face LABELS unit)
