# Certificate composition, delivery and the print worker (app/print).
set(print_test_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(print_test_support STATIC EXCLUDE_FROM_ALL
  ${print_test_dir}/print_fixture.c ${print_test_dir}/print_test_util.c)
target_link_libraries(print_test_support PUBLIC kiosk_base)

kiosk_test(print_compose_test SOURCES ${print_test_dir}/print_compose_test.c
  LIBS kiosk_print print_test_support LABELS unit)
