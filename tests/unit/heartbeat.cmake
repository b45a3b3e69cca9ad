# The heartbeat's pure parts: jitter and backoff, the body, the reply, the
# registry's settings document all or nothing.
kiosk_test(heartbeat_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/heartbeat_test.c
  LIBS kiosk_heartbeat LABELS unit)
target_include_directories(heartbeat_test PRIVATE ${PROJECT_SOURCE_DIR}/app)
