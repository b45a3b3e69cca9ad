add_test(NAME format COMMAND ${PROJECT_SOURCE_DIR}/tests/style/format.sh)
set_tests_properties(format PROPERTIES LABELS unit TIMEOUT 120)
