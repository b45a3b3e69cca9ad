kiosk_fuzz(fuzz_config ${CMAKE_CURRENT_LIST_DIR}/fuzz_config.c LIBS kiosk_core
           CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_config)
kiosk_fuzz(fuzz_settings ${CMAKE_CURRENT_LIST_DIR}/fuzz_settings.c LIBS kiosk_core
           CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_settings)
