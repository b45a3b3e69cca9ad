# The kiosk through system/deploy/kiosk-session.sh under cage (headless
# wlroots): fullscreen at cage's output, the watchdog through cage.
add_test(NAME e2e_cage COMMAND ${CMAKE_CURRENT_LIST_DIR}/cage.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_cage PROPERTIES LABELS e2e TIMEOUT 120)
