/* watchdog.h - the kiosk's word to systemd: ready, and still drawing.
 *
 * Under a Type=notify unit with WatchdogSec= (system/deploy/systemd/),
 * systemd sets NOTIFY_SOCKET and WATCHDOG_USEC; the kiosk says READY=1
 * after its first frame and WATCHDOG=1 from the UI thread's loop at most
 * every WatchdogSec/2, so a loop that hangs stops the pings and systemd
 * restarts the kiosk. Without those variables every call does nothing and
 * watchdog_next_ms() asks the loop for no wake-up: an idle kiosk outside
 * systemd still sleeps between minutes. UI thread only.
 */
#ifndef APP_WATCHDOG_H
#define APP_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

struct watchdog {
    bool notify;      /* NOTIFY_SOCKET is set: systemd listens */
    int64_t every_ms; /* the ping period, WatchdogSec/2; 0: no watchdog */
    int64_t last_ms;  /* when the last ping went */
};

/* Reads the environment systemd left (NOTIFY_SOCKET, WATCHDOG_USEC and
 * WATCHDOG_PID, which must be this process) into *w; now_ms is the loop's
 * clock. */
void watchdog_init(struct watchdog *w, int64_t now_ms);

/* READY=1 (and a first ping), once the first frame is on the screen. */
void watchdog_ready(struct watchdog *w, int64_t now_ms);

/* Milliseconds until the next ping is due (0: now), or -1 without a
 * watchdog. */
int watchdog_next_ms(const struct watchdog *w, int64_t now_ms);

/* WATCHDOG=1 if the period has passed since the last ping. Called once per
 * turn of the loop, after it drew and handled its events. */
void watchdog_poll(struct watchdog *w, int64_t now_ms);

/* STOPPING=1, as the kiosk begins to shut down. */
void watchdog_stopping(const struct watchdog *w);

#endif
