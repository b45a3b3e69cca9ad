# 70-bdc-kiosk.rules against the drivers' id tables it is generated from,
# and its syntax as udev reads it (Debian 12's udevadm has no verify).
add_executable(udev_rules_test ${CMAKE_CURRENT_LIST_DIR}/udev_rules_test.c)
target_link_libraries(udev_rules_test PRIVATE kiosk_udev_tables)
add_dependencies(udev_rules_test kiosk_udev_rules)
add_test(NAME udev_rules_test COMMAND udev_rules_test ${KIOSK_UDEV_RULES})
set_tests_properties(udev_rules_test PROPERTIES LABELS unit TIMEOUT 60)
