# The guide's file: atomic write, overwrite, read back, the size bound, a
# missing file, and failed writes that leave the old file intact.
kiosk_test(hall_cache_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/hall_cache_test.c
  LIBS kiosk_store LABELS unit)
