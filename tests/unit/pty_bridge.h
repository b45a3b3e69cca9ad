/* pty_bridge.h - a serial ID card reader played on a pty: a thread is the
 * USB-serial bridge between the pty's master side and the simulated SAM
 * module (idcard_sim). Bytes the reader writes to the slave side reach the
 * module; its replies go back in the small bursts a CH340 delivers.
 * The test opens the pty and says when the bridge is plugged in.
 */
#ifndef TESTS_PTY_BRIDGE_H
#define TESTS_PTY_BRIDGE_H

#include "drivers/core/transport.h"
#include "drivers/idcard/idcard_sim.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

struct pty_bridge {
    int master; /* the pty's master side, the test's to open and close */
    struct idcard_sim *sim;
    atomic_bool stop;
    pthread_t thread;
};

static inline void *pty_bridge_main(void *arg)
{
    struct pty_bridge *b = arg;
    struct transport *t = idcard_sim_transport(b->sim);
    uint8_t buf[256];
    while (!atomic_load(&b->stop)) {
        struct pollfd pfd = {.fd = b->master, .events = POLLIN};
        if (poll(&pfd, 1, 5) > 0 && (pfd.revents & POLLIN)) {
            ssize_t n = read(b->master, buf, sizeof buf);
            if (n > 0)
                transport_write(t, buf, (size_t)n, 0);
        }
        int n;
        while ((n = transport_read(t, buf, 32, 0)) > 0)
            if (write(b->master, buf, (size_t)n) != n)
                break;
    }
    return NULL;
}

/* Starts carrying bytes between b->master and b->sim. 0 or an errno. */
static inline int pty_bridge_start(struct pty_bridge *b)
{
    atomic_store(&b->stop, false);
    return pthread_create(&b->thread, NULL, pty_bridge_main, b);
}

/* Stops the thread; b->master and b->sim stay the test's. */
static inline void pty_bridge_stop(struct pty_bridge *b)
{
    atomic_store(&b->stop, true);
    pthread_join(b->thread, NULL);
}

#endif
