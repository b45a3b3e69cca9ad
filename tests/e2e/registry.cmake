# The registry over real HTTP: in-process (libcurl) and as the executable.
kiosk_test(test_registry_http SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_registry_http.c
           LIBS kiosk_registry PkgConfig::CURL PkgConfig::CJSON LABELS e2e)
add_test(NAME registry_cli COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/registry_cli.sh
         $<TARGET_FILE:bdc-registry>)
set_tests_properties(registry_cli PROPERTIES LABELS e2e TIMEOUT 60)
# The executable under abuse: slow sockets, 200 kiosks, oversized requests,
# guessed verify codes, while the health check must answer within 100 ms.
add_executable(registry_abuse_test ${CMAKE_CURRENT_LIST_DIR}/registry_abuse_test.c)
target_link_libraries(registry_abuse_test PRIVATE Threads::Threads)
add_test(NAME registry_abuse COMMAND registry_abuse_test $<TARGET_FILE:bdc-registry>)
# Its figure is a latency (health within 100 ms under abuse): alone on the
# machine, and in the optimised build only (labelled slow, so the ASan stage
# leaves it out; ASan's own slowdown is not the registry's).
set_tests_properties(registry_abuse PROPERTIES LABELS "e2e;slow" TIMEOUT 90 RUN_SERIAL TRUE)
