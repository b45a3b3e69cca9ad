/* registry_guard.h - what keeps bdc-registry answering under abuse: a
 * deadline on every request's arrival (headers and body), enforced on
 * libmicrohttpd's connections by a watchdog thread, and a per-address
 * limiter of failed guesses at the public lookups (GET /v1/verify, GET
 * /e/).
 *
 * DESIGN: libmicrohttpd's own timeout is an idle timeout, reset by every
 * byte, so a client that sends one byte a second holds a connection for
 * ever. The guard hears of each connection (MHD_OPTION_NOTIFY_CONNECTION)
 * and keeps it in a list with the time its current request may start
 * from: when the connection opened, then whenever a reply was finished.
 * While the registry works on a request and sends the reply the
 * connection is busy and has no deadline. The watchdog looks at the list
 * ten times a second and shuts down (shutdown(2), not close) the socket
 * of a connection whose request has not arrived whole within the
 * deadline; libmicrohttpd then sees the end of the stream and closes the
 * connection itself. The list's lock is held across shutdown(2) and
 * libmicrohttpd tells the guard a connection is closed before it closes
 * the socket, so the watchdog never touches a descriptor reused since.
 *
 * The limiter is a fixed table of addresses, each with the time its
 * failures are paid off (the generic cell rate algorithm): each failure
 * adds one period, and an address owing more than the burst allows waits.
 * Pure and single-threaded: the caller serialises (the registry calls it
 * under its lock).
 */
#ifndef REGISTRY_GUARD_H
#define REGISTRY_GUARD_H

#include <microhttpd.h>
#include <stdint.h>

/* ---- request deadline -------------------------------------------------------- */

struct registry_guard;

/* Starts the watchdog: a request must arrive whole within deadline_ms of
 * the connection opening or of the previous reply. Returns 0, ERR_NOMEM
 * or ERR_IO (no thread); *out is owned by the caller (registry_guard_stop).
 * Starting thread. */
int registry_guard_start(int deadline_ms, struct registry_guard **out);

/* Stops the watchdog and frees the guard; call after MHD_stop_daemon.
 * NULL is a no-op. */
void registry_guard_stop(struct registry_guard *g);

/* MHD_OPTION_NOTIFY_CONNECTION's callback; cls is the guard. Any of
 * libmicrohttpd's threads. */
void registry_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                           enum MHD_ConnectionNotificationCode toe);

/* The request on conn has arrived whole: no deadline until its reply is
 * done. The thread that runs the connection. */
void registry_guard_busy(struct registry_guard *g, struct MHD_Connection *conn);

/* The reply on conn is done: the next request's deadline starts now. */
void registry_guard_idle(struct registry_guard *g, struct MHD_Connection *conn);

/* How many connections the watchdog has cut since it started. */
unsigned long registry_guard_cut_count(struct registry_guard *g);

/* ---- failed guesses per address --------------------------------------------------- */

#define REGISTRY_LIMITER_SLOTS 4096

struct registry_limiter_slot {
    unsigned char addr[16]; /* IPv6, or IPv4 mapped (::ffff:a.b.c.d) */
    int64_t paid_ms;        /* when its failures are paid off; 0: free */
};

struct registry_limiter {
    int burst;         /* failures an address may have in a row */
    int64_t period_ms; /* one failure is paid off after this long */
    struct registry_limiter_slot slot[REGISTRY_LIMITER_SLOTS];
};

/* burst >= 1 failures at once, then one per period_ms. */
void registry_limiter_init(struct registry_limiter *l, int burst, int64_t period_ms);

/* Seconds (>= 1) addr must wait before it may try again, or 0 if it may
 * try now. */
int registry_limiter_wait_s(const struct registry_limiter *l, const unsigned char addr[16],
                            int64_t now_ms);

/* Records one failure of addr. When the table is full the address that
 * owes least gives up its slot. */
void registry_limiter_charge(struct registry_limiter *l, const unsigned char addr[16],
                             int64_t now_ms);

#endif
