# Certificate composition, delivery and the print worker (app/print).
set(print_test_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(print_test_support STATIC EXCLUDE_FROM_ALL
  ${print_test_dir}/print_fixture.c ${print_test_dir}/print_test_util.c)
target_link_libraries(print_test_support PUBLIC kiosk_base)

kiosk_test(print_compose_test SOURCES ${print_test_dir}/print_compose_test.c
  LIBS kiosk_print print_test_support PkgConfig::CAIRO LABELS unit)
kiosk_test(print_save_test SOURCES ${print_test_dir}/print_save_test.c
  LIBS kiosk_print print_test_support LABELS unit)
kiosk_test(print_worker_test SOURCES ${print_test_dir}/print_worker_test.c
  LIBS kiosk_print print_test_support Threads::Threads LABELS unit)

# CUPS delivery against a private cupsd, as root or as any user (label devices).
add_executable(print_cups_test ${print_test_dir}/print_cups_test.c)
target_link_libraries(print_cups_test PRIVATE kiosk_print print_test_support Threads::Threads)
add_test(NAME print_cups COMMAND sh ${print_test_dir}/print_cups.sh $<TARGET_FILE:print_cups_test>)
set_tests_properties(print_cups PROPERTIES LABELS devices TIMEOUT 120)
