# The control-socket client the end-to-end tests and the bench drive the kiosk with.
add_executable(kioskctl ${CMAKE_CURRENT_LIST_DIR}/kioskctl.c)
set_target_properties(kioskctl PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
