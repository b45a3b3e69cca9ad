# The kiosk under a Type=notify unit's variables: READY=1 after the first
# frame, WATCHDOG=1 every WatchdogSec/2 while idle, STOPPING=1 on SIGTERM.
add_test(NAME e2e_watchdog COMMAND ${CMAKE_CURRENT_LIST_DIR}/watchdog.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_watchdog PROPERTIES LABELS e2e TIMEOUT 120)
