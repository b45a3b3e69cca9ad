kiosk_test(test_face SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_face.c LIBS kiosk_face LABELS unit)
kiosk_test(face_track_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/face_track_test.c
           ${CMAKE_CURRENT_LIST_DIR}/face_fixture.c LIBS kiosk_face LABELS unit)
kiosk_test(face_cascade_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/face_cascade_test.c
           ${CMAKE_CURRENT_LIST_DIR}/face_fixture.c LIBS kiosk_face LABELS unit)
# Real photographs through the detector: slow under the sanitizers.
set_tests_properties(face_track_test test_face face_cascade_test PROPERTIES TIMEOUT 400)
