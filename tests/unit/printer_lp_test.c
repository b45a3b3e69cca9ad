/* printer_lp_test.c - the slip printer's character-device transport
 * (drivers/escpos/printer_lp) against a printer played on a pty: a missing
 * node, bytes written as sent, status by DLE EOT with paper out and the
 * cover open, other bytes kept for read(), reset, and a printer that goes
 * away. The slip crash test drives it too, but in child processes. */
#include "base/err.h"
#include "check.h"
#include "drivers/escpos/printer_lp.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The printer: answers DLE EOT n with the byte set for n, after an
 * unsolicited byte on the first query; counts what else it receives. */
static int master = -1;
static uint8_t reply[5] = {0, 0x16, 0x12, 0x12, 0x12};
static atomic_int other_bytes;
static atomic_bool stop;

static void *printer_main(void *arg)
{
    (void)arg;
    uint8_t b[4096];
    bool first = true;
    int dle = 0;
    while (!atomic_load(&stop)) {
        struct pollfd pf = {.fd = master, .events = POLLIN};
        if (poll(&pf, 1, 20) <= 0)
            continue;
        ssize_t n = read(master, b, sizeof b);
        for (ssize_t i = 0; i < n; i++) {
            /* DLE EOT n, byte by byte (a query may arrive split). */
            if (dle == 0 && b[i] == 0x10) {
                dle = 1;
            } else if (dle == 1 && b[i] == 0x04) {
                dle = 2;
            } else if (dle == 2 && b[i] >= 1 && b[i] <= 4) {
                uint8_t out[2] = {0x55, reply[b[i]]};
                (void)!write(master, first ? out : out + 1, first ? 2 : 1);
                first = false;
                dle = 0;
            } else {
                dle = 0;
                atomic_fetch_add(&other_bytes, 1);
            }
        }
    }
    return NULL;
}

int main(void)
{
    /* A node that is not there. */
    struct printer_lp *none = printer_lp_create("/nonexistent/lp0");
    CHECK(none != NULL);
    CHECK_EQ_INT(printer_lp_ops.open(none), ERR_NODEV);
    struct printer_status st;
    CHECK_EQ_INT(printer_lp_ops.status(none, &st), ERR_NODEV);
    CHECK_EQ_INT(printer_lp_ops.write(none, (const uint8_t *)"x", 1, 100, NULL), ERR_NODEV);
    uint8_t b[16];
    CHECK_EQ_INT(printer_lp_ops.read(none, b, sizeof b, 10), ERR_NODEV);
    printer_lp_destroy(none);
    CHECK(printer_lp_create(NULL) == NULL);

    int slave;
    char tty[128];
    if (openpty(&master, &slave, tty, NULL, NULL) != 0) {
        perror("openpty");
        return 1;
    }
    close(slave); /* the transport opens its own end by name */
    pthread_t th;
    pthread_create(&th, NULL, printer_main, NULL);
    struct printer_lp *p = printer_lp_create(tty);
    CHECK_EQ_INT(printer_lp_ops.open(p), 0);
    CHECK_EQ_INT(printer_lp_ops.open(p), 0); /* already open: a no-op */

    /* Ready: online, no paper problem; the stray byte is kept for read(). */
    CHECK_EQ_INT(printer_lp_ops.status(p, &st), 0);
    CHECK(st.online && !st.paper_out && !st.cover_open && !st.error);
    CHECK_EQ_INT(printer_lp_ops.read(p, b, sizeof b, 100), 1);
    CHECK_EQ_INT(b[0], 0x55);
    CHECK_EQ_INT(printer_lp_ops.read(p, b, sizeof b, 50), ERR_TIMEOUT);

    /* Paper out (n = 4, bits 5 and 6), then the cover open (n = 2, bit 2). */
    reply[4] = 0x12 | 0x60;
    CHECK_EQ_INT(printer_lp_ops.status(p, &st), 0);
    CHECK(st.paper_out && !st.online);
    reply[4] = 0x12;
    reply[2] = 0x12 | 0x04;
    CHECK_EQ_INT(printer_lp_ops.status(p, &st), 0);
    CHECK(st.cover_open && !st.online);
    reply[2] = 0x12;

    /* Bytes go out as given; reset pads a band and sends ESC @. */
    atomic_store(&other_bytes, 0);
    size_t sent = 0;
    static const uint8_t text[] = "\x1b@hello\n";
    CHECK_EQ_INT(printer_lp_ops.write(p, text, sizeof text - 1, 1000, &sent), 0);
    CHECK_EQ_INT(sent, sizeof text - 1);
    CHECK_EQ_INT(printer_lp_ops.reset(p), 0);
    for (int i = 0; i < 100 && atomic_load(&other_bytes) < (int)(sizeof text - 1) + 2; i++)
        usleep(10000);
    CHECK(atomic_load(&other_bytes) >= (int)(sizeof text - 1) + 2);

    /* The printer goes away: its end of the line closes. */
    atomic_store(&stop, true);
    pthread_join(th, NULL);
    close(master);
    int rc = printer_lp_ops.status(p, &st);
    CHECK(rc == ERR_NODEV || rc == ERR_IO || rc == ERR_TIMEOUT);
    printer_lp_ops.close(p);
    printer_lp_ops.close(p); /* twice is harmless */
    printer_lp_destroy(p);
    printer_lp_destroy(NULL);
    return check_report("printer_lp_test");
}
