# Certificate and slip composition timings (run by tests/bench/run.sh; not a test).
add_executable(bench_print ${CMAKE_CURRENT_LIST_DIR}/print_bench.c)
target_include_directories(bench_print PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
target_link_libraries(bench_print PRIVATE kiosk_print kiosk_drv_escpos print_test_support)
set_target_properties(bench_print PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
