# The sd_notify messages to systemd: READY=1, WATCHDOG=1 at most every
# WatchdogSec/2 and the loop's wake-up for it, nothing outside systemd.
kiosk_test(watchdog_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/watchdog_test.c LIBS kiosk_watchdog
           LABELS unit)
