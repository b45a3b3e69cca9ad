# The systemd units: exposure by systemd-analyze security (at most 2.5),
# nothing systemd would ignore, the kiosk's watchdog and restart.
add_test(NAME systemd_units COMMAND ${CMAKE_CURRENT_LIST_DIR}/systemd_units.sh)
set_tests_properties(systemd_units PROPERTIES LABELS unit TIMEOUT 60)
