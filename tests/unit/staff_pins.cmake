# The staff PIN store: the hash format, both routes, the lockout's
# arithmetic and its survival of a restart, damaged files refused, bad
# arguments. The store's source is built into the test at 2,000 PBKDF2
# iterations instead of the kiosk's 300,000 (STAFF_PINS_ITERATIONS), so its
# few hundred hashes take a fraction of a second; tool_cli.sh checks the
# kiosk's count in a file written by the real build (bdc-kiosk-tool).
pkg_check_modules(CRYPTO REQUIRED IMPORTED_TARGET libcrypto)
kiosk_test(staff_pins_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/staff_pins_test.c
  ${PROJECT_SOURCE_DIR}/app/store/staff_pins.c
  LIBS kiosk_base PkgConfig::SQLITE PkgConfig::CRYPTO LABELS unit)
target_compile_definitions(staff_pins_test PRIVATE STAFF_PINS_ITERATIONS=2000)
