/* watchdog_test.c - the kiosk's sd_notify messages, on a datagram socket
 * standing in for systemd's NOTIFY_SOCKET: READY=1 once, WATCHDOG=1 at most
 * every WatchdogSec/2 and the loop told when the next one is due; nothing
 * at all (and no wake-up asked for) without systemd's variables, or when
 * WATCHDOG_PID names another process.
 */
#include "watchdog.h"

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int sock = -1;

/* The next message systemd would have read, or "" if none is waiting. */
static const char *next_message(void)
{
    static char buf[256];
    ssize_t n = recv(sock, buf, sizeof buf - 1, MSG_DONTWAIT);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

static void set_env(const char *usec, long pid)
{
    char p[32];
    snprintf(p, sizeof p, "%ld", pid);
    setenv("WATCHDOG_USEC", usec, 1);
    setenv("WATCHDOG_PID", p, 1);
}

int main(void)
{
    char dir[] = "/tmp/watchdog_test.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify", dir);
    sock = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(sock >= 0 && bind(sock, (struct sockaddr *)&sa, sizeof sa) == 0);

    /* Outside systemd: nothing sent, no wake-up asked for. */
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    struct watchdog w;
    watchdog_init(&w, 1000);
    watchdog_ready(&w, 1000);
    watchdog_poll(&w, 999999);
    CHECK_EQ_INT(watchdog_next_ms(&w, 1000), -1);
    CHECK_EQ_STR(next_message(), "");

    /* Type=notify without WatchdogSec: READY=1, and no pings. */
    setenv("NOTIFY_SOCKET", sa.sun_path, 1);
    watchdog_init(&w, 1000);
    watchdog_ready(&w, 1000);
    CHECK_EQ_STR(next_message(), "READY=1");
    watchdog_poll(&w, 999999);
    CHECK_EQ_INT(watchdog_next_ms(&w, 1000), -1);
    CHECK_EQ_STR(next_message(), "");

    /* WatchdogSec=3s: a ping every 1.5 s of the loop's clock, no more. */
    set_env("3000000", (long)getpid());
    watchdog_init(&w, 1000);
    CHECK_EQ_INT(w.every_ms, 1500);
    watchdog_ready(&w, 1000);
    CHECK_EQ_STR(next_message(), "READY=1\nWATCHDOG=1");
    CHECK_EQ_INT(watchdog_next_ms(&w, 1000), 1500);
    CHECK_EQ_INT(watchdog_next_ms(&w, 2000), 500);
    watchdog_poll(&w, 2000); /* too early */
    CHECK_EQ_STR(next_message(), "");
    watchdog_poll(&w, 2500);
    CHECK_EQ_STR(next_message(), "WATCHDOG=1");
    CHECK_EQ_INT(watchdog_next_ms(&w, 2500), 1500);
    CHECK_EQ_INT(watchdog_next_ms(&w, 9000), 0); /* overdue: wake at once */
    watchdog_poll(&w, 3000);
    CHECK_EQ_STR(next_message(), "");
    watchdog_stopping(&w);
    CHECK_EQ_STR(next_message(), "STOPPING=1");

    /* The variables meant for another process (the kiosk's parent under
     * cage, say): READY=1 still goes, pings do not. */
    set_env("3000000", (long)getppid());
    watchdog_init(&w, 1000);
    CHECK_EQ_INT(watchdog_next_ms(&w, 1000), -1);

    /* A watchdog shorter than 2 ms still pings, every millisecond. */
    set_env("1000", (long)getpid());
    watchdog_init(&w, 0);
    CHECK_EQ_INT(w.every_ms, 1);

    close(sock);
    unlink(sa.sun_path);
    rmdir(dir);
    return check_report("watchdog_test");
}
