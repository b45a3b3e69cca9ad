/* registry_child.h - the bundled reference registry, run for demo mode.
 *
 * In demo mode without a configured registry the kiosk starts bdc-registry
 * as a child process on a free loopback port with an in-memory database
 * (so no demo citizen is ever written to disk), reads the URL it prints,
 * and stops it on exit. The child also dies with the kiosk
 * (PR_SET_PDEATHSIG), so a crashed kiosk leaves no registry behind.
 */
#ifndef APP_REGISTRY_CHILD_H
#define APP_REGISTRY_CHILD_H

#include <sys/types.h>

struct registry_child {
    pid_t pid;
    int out_fd;    /* the child's stdout, until the URL is read */
    char url[128]; /* http://127.0.0.1:PORT */
};

/* Starts the child. The binary is $BDC_REGISTRY, else the one built beside
 * the kiosk. Returns 0 or ERR_IO. Does not wait for it to listen. */
int registry_child_start(struct registry_child *c, const char *argv0);

/* Waits up to timeout_ms for the "listening on URL" line. 0 or ERR_TIMEOUT. */
int registry_child_wait_url(struct registry_child *c, int timeout_ms);

/* Stops the child (SIGTERM, then SIGKILL after 2 s). Safe if never started. */
void registry_child_stop(struct registry_child *c);

#endif
