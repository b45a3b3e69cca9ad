# The registry's tests again on PostgreSQL: a throwaway cluster
# (tests/pg_cluster.sh, postgresql-15 as nobody on a private unix socket)
# set up before them and removed after; each test gets a database of its
# own, fresh (BDC_TEST_DB). Without PostgreSQL the setup fails, and so do
# the tests, saying what to install.
set(kiosk_pg_state ${CMAKE_BINARY_DIR}/pg-cluster)
set(kiosk_pg_sh ${PROJECT_SOURCE_DIR}/tests/pg_cluster.sh)
add_test(NAME registry_pg_start COMMAND sh ${kiosk_pg_sh} start ${kiosk_pg_state})
add_test(NAME registry_pg_stop COMMAND sh ${kiosk_pg_sh} stop ${kiosk_pg_state})
set_tests_properties(registry_pg_start PROPERTIES FIXTURES_SETUP registry_pg LABELS "e2e;pg"
                     TIMEOUT 60)
set_tests_properties(registry_pg_stop PROPERTIES FIXTURES_CLEANUP registry_pg LABELS "e2e;pg"
                     TIMEOUT 60)
foreach(t test_registry_http registry_fleet_test registry_services_test registry_staff_test
          registry_tickets_test test_backend_ticket registry_store_test)
  add_test(NAME ${t}_pg COMMAND sh ${kiosk_pg_sh} run ${kiosk_pg_state} ${t} $<TARGET_FILE:${t}>
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${t}_pg PROPERTIES FIXTURES_REQUIRED registry_pg LABELS "e2e;pg"
                       TIMEOUT 120)
endforeach()
# Two bdc-registry processes on one database: seeded once, no ticket
# number or slot handed out twice.
add_executable(registry_pg_race_test ${CMAKE_CURRENT_LIST_DIR}/registry_pg_race_test.c)
target_link_libraries(registry_pg_race_test PRIVATE kiosk_registry PkgConfig::CURL
                      PkgConfig::CJSON Threads::Threads)
add_test(NAME registry_pg_race COMMAND sh ${kiosk_pg_sh} run ${kiosk_pg_state} registry_pg_race
         $<TARGET_FILE:registry_pg_race_test> $<TARGET_FILE:bdc-registry>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(registry_pg_race PROPERTIES FIXTURES_REQUIRED registry_pg LABELS "e2e;pg"
                     TIMEOUT 120)
