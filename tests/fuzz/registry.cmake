kiosk_fuzz(fuzz_registry_request ${CMAKE_CURRENT_LIST_DIR}/fuzz_registry_request.c
           LIBS kiosk_registry CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_registry_request)
