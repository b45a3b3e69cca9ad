/* watchdog.c - READY=1 and WATCHDOG=1 to systemd through libsystemd's
 * sd_notify (watchdog.h says when). The period is the loop's own clock
 * (clock_mono_ms), so the control socket's `clock +SECONDS` in tests moves
 * it too; a ping early is harmless, a ping late is what the watchdog is
 * for. UI thread only.
 */
#include "watchdog.h"

#include "base/log.h"

#include <stdlib.h>
#include <systemd/sd-daemon.h>

void watchdog_init(struct watchdog *w, int64_t now_ms)
{
    *w = (struct watchdog){.notify = getenv("NOTIFY_SOCKET") != NULL, .last_ms = now_ms};
    uint64_t usec = 0;
    /* 0: keep the variables, so the restart from maintenance mode (an exec
     * of the same process) finds them again. sd_watchdog_enabled checks
     * WATCHDOG_PID against this process. */
    int r = w->notify ? sd_watchdog_enabled(0, &usec) : 0;
    if (r > 0 && usec > 0) {
        uint64_t half = usec / 2000; /* WatchdogSec/2 in ms */
        w->every_ms = half ? (int64_t)half : 1;
        log_info("app", "systemd watchdog: a ping every %lld ms", (long long)w->every_ms);
    } else if (r < 0) {
        log_warn("app", "systemd watchdog: WATCHDOG_USEC is not valid; no pings");
    }
}

void watchdog_ready(struct watchdog *w, int64_t now_ms)
{
    if (!w->notify)
        return;
    if (sd_notify(0, w->every_ms ? "READY=1\nWATCHDOG=1" : "READY=1") <= 0)
        log_warn("app", "systemd did not take READY=1");
    w->last_ms = now_ms;
}

int watchdog_next_ms(const struct watchdog *w, int64_t now_ms)
{
    if (!w->every_ms)
        return -1;
    int64_t left = w->last_ms + w->every_ms - now_ms;
    return left < 0 ? 0 : (int)left;
}

void watchdog_poll(struct watchdog *w, int64_t now_ms)
{
    if (!w->every_ms || now_ms - w->last_ms < w->every_ms)
        return;
    (void)sd_notify(0, "WATCHDOG=1");
    w->last_ms = now_ms;
}

void watchdog_stopping(const struct watchdog *w)
{
    if (w->notify)
        (void)sd_notify(0, "STOPPING=1");
}
