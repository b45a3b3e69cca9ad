# ID card reader timings (run by tests/bench/run.sh; not a test).
add_executable(bench_idcard ${CMAKE_CURRENT_LIST_DIR}/idcard_bench.c)
set_target_properties(bench_idcard PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
target_link_libraries(bench_idcard PRIVATE kiosk_drv_idcard Threads::Threads)
target_include_directories(bench_idcard PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
