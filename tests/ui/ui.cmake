# Screenshot and layout tests of the citizen screens (headless SDL).
kiosk_test(test_ui SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_ui.c ${CMAKE_CURRENT_LIST_DIR}/fixtures.c
           LIBS kiosk_ui kiosk_i18n kiosk_base PkgConfig::CAIRO m LABELS ui)
target_compile_definitions(test_ui PRIVATE UI_OUT_DIR="${CMAKE_BINARY_DIR}/tests/ui-out")
set_tests_properties(test_ui PROPERTIES TIMEOUT 900)
# Contrast of every colour pair of every theme, computed from the theme tables.
kiosk_test(test_theme SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_theme.c LIBS kiosk_ui m LABELS ui)
# From a screen's pixels and diagonal to the layout canvas and millimetres.
kiosk_test(test_geometry SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_geometry.c LIBS kiosk_ui m LABELS ui)
# What the UI drew of a visit (texts, camera picture) is dropped when it ends.
kiosk_test(test_visit_wipe SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_visit_wipe.c
           ${CMAKE_CURRENT_LIST_DIR}/fixtures.c LIBS kiosk_ui kiosk_i18n kiosk_base LABELS ui)
# A frame drawn only where an animation or the camera picture changed is
# the same as the whole frame.
kiosk_test(test_partial_frame SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_partial_frame.c
           ${CMAKE_CURRENT_LIST_DIR}/fixtures.c LIBS kiosk_ui kiosk_i18n kiosk_base LABELS ui)
