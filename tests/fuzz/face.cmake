# Fuzz target for the cascade XML parser (outside input).
kiosk_fuzz(fuzz_cascade ${CMAKE_CURRENT_LIST_DIR}/fuzz_cascade.c LIBS kiosk_face
           CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_cascade)
set_target_properties(fuzz_cascade PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/fuzz)
