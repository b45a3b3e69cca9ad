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
# On a private Xvfb: a partial frame of the surface presentation sends its
# area alone and the screen shows the whole frame's pixels; a resize makes
# the renderer again; no OpenGL library is loaded.
pkg_check_modules(X11 IMPORTED_TARGET x11)
if(X11_FOUND)
  add_executable(test_surface_present ${CMAKE_CURRENT_LIST_DIR}/test_surface_present.c
                 ${CMAKE_CURRENT_LIST_DIR}/fixtures.c)
  target_link_libraries(test_surface_present PRIVATE kiosk_ui kiosk_i18n kiosk_base PkgConfig::X11)
  set_target_properties(test_surface_present PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                        ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME test_surface_present COMMAND ${CMAKE_CURRENT_LIST_DIR}/surface_present.sh
           ${CMAKE_BINARY_DIR} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(test_surface_present PROPERTIES LABELS ui TIMEOUT 120)
else()
  kiosk_test_missing(test_surface_present "libx11-dev")
endif()
# At a fractional scale the software renderer's pieces of a rounded
# rectangle meet (no seam between a corner and its edge).
kiosk_test(test_scaled_edges SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_scaled_edges.c
           ${CMAKE_CURRENT_LIST_DIR}/fixtures.c
           LIBS kiosk_ui kiosk_i18n kiosk_base m LABELS ui)
