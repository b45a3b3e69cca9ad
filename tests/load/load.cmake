# fleet-load: a fleet of simulated kiosks (heartbeats with the kiosk's own
# timing and backoff, settings, visits, queue numbers) against the
# registry, through a restart; fleet.sh runs it. make bench runs it with
# 1,000 kiosks in real time; this test with 200 kiosks ten times faster.
add_executable(fleet-load ${CMAKE_CURRENT_LIST_DIR}/fleet_load.c
  ${CMAKE_CURRENT_LIST_DIR}/fleet_kiosk.c ${CMAKE_CURRENT_LIST_DIR}/fleet_probe.c)
target_include_directories(fleet-load PRIVATE ${PROJECT_SOURCE_DIR}/app)
target_link_libraries(fleet-load PRIVATE kiosk_heartbeat PkgConfig::CURL PkgConfig::CJSON
                      Threads::Threads m)
set_target_properties(fleet-load PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
# Its figures are rates and latencies: alone on the machine, and in the
# optimised build only (labelled slow, so the ASan stage leaves it out).
# The registry's file is on tmpfs: what this checks is the fleet's
# behaviour (no herd, every kiosk back, the status page), not how long the
# build machine's disk takes to fsync; make bench runs it on disk.
add_test(NAME fleet_load COMMAND ${CMAKE_CURRENT_LIST_DIR}/fleet.sh ${CMAKE_BINARY_DIR})
set_tests_properties(fleet_load PROPERTIES LABELS "e2e;slow" TIMEOUT 120 RUN_SERIAL TRUE
                     ENVIRONMENT FLEET_DB_TMPFS=1)
# The same on PostgreSQL: the registry's database is one of the pg
# fixture's cluster (tests/e2e/registry_pg.cmake), made afresh.
add_test(NAME fleet_load_pg
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/pg_cluster.sh run ${CMAKE_BINARY_DIR}/pg-cluster
                 fleet_load ${CMAKE_CURRENT_LIST_DIR}/fleet.sh ${CMAKE_BINARY_DIR})
set_tests_properties(fleet_load_pg PROPERTIES LABELS "e2e;slow;pg" TIMEOUT 120 RUN_SERIAL TRUE
                     FIXTURES_REQUIRED registry_pg ENVIRONMENT FLEET_DB=postgres)
