# Spoken guidance: each language's voice synthesises a table string into a
# non-empty WAV, the warning tone comes first, a newer utterance interrupts.
kiosk_test(voice_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/voice_test.c
  LIBS kiosk_voice LABELS unit)
