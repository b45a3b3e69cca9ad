# The staff's settings: ranges and steps, the overlay read all or nothing,
# office hours by weekday, and the file saved whole (a failed write leaves
# the old one).
kiosk_test(settings_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/settings_test.c
  LIBS kiosk_settings LABELS unit)
