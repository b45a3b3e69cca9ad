# The side-by-side start-up bench (side_by_side.sh; run by tests/bench/run.sh,
# not a test): the screen poller, and the floor program it measures the
# kiosk against (peers/floor.c, SDL2 + SDL2_ttf only).
pkg_check_modules(X11 IMPORTED_TARGET x11)
if(X11_FOUND)
  add_executable(xpaint ${CMAKE_CURRENT_LIST_DIR}/xpaint.c)
  target_link_libraries(xpaint PkgConfig::X11)
  set_target_properties(xpaint PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
endif()
pkg_check_modules(FLOOR_SDL IMPORTED_TARGET sdl2 SDL2_ttf)
if(FLOOR_SDL_FOUND)
  add_executable(peer_floor ${CMAKE_CURRENT_LIST_DIR}/peers/floor.c)
  target_link_libraries(peer_floor PkgConfig::FLOOR_SDL)
  target_compile_options(peer_floor PRIVATE -w) # built as published, not to our warnings
  set_target_properties(peer_floor PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
endif()

# make bench's own exit: 0 when it ran, its temporary folder removed.
add_test(NAME e2e_bench_exit COMMAND ${CMAKE_CURRENT_LIST_DIR}/bench_exit.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_bench_exit PROPERTIES LABELS e2e TIMEOUT 180)

# The peak resident memory over whole visits under a bound (visit_memory.sh,
# on visits.sh); slow: the sanitizer stages leave it out.
add_test(NAME e2e_visit_memory COMMAND ${CMAKE_CURRENT_LIST_DIR}/visit_memory.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_visit_memory PROPERTIES LABELS "e2e;slow" TIMEOUT 300)
