# Every system call of a whole visit is in bdc-kiosk.service's filter.
# slow: ASan's own calls are not the kiosk's.
add_test(NAME e2e_syscalls COMMAND ${CMAKE_CURRENT_LIST_DIR}/syscalls.sh ${CMAKE_BINARY_DIR})
set_tests_properties(e2e_syscalls PROPERTIES LABELS "e2e;slow" TIMEOUT 300)
