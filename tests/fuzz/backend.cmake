# Registry JSON parsers. regjson*.c are compiled into the target itself so a
# libFuzzer build instruments it; the executable lands in tests/fuzz/ where
# tests/fuzz/run.sh looks for fuzz_*.
kiosk_fuzz(fuzz_regjson ${CMAKE_CURRENT_LIST_DIR}/fuzz_regjson.c
           LIBS kiosk_base PkgConfig::CJSON m
           CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/fuzz_regjson)
target_sources(fuzz_regjson PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../../app/backend/regjson.c
               ${CMAKE_CURRENT_LIST_DIR}/../../app/backend/regjson_properties.c
               ${CMAKE_CURRENT_LIST_DIR}/../../app/backend/regjson_replies.c
               ${CMAKE_CURRENT_LIST_DIR}/../../app/backend/regjson_services.c
               ${CMAKE_CURRENT_LIST_DIR}/../../app/core/model.c)
set_target_properties(fuzz_regjson PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                      ${CMAKE_BINARY_DIR}/tests/fuzz)
