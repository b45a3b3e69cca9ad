kiosk_fuzz(fuzz_config ${CMAKE_CURRENT_LIST_DIR}/fuzz_config.c LIBS kiosk_core
           CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_config)
