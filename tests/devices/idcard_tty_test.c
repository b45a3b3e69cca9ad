/* idcard_tty_test.c - the tty transport and the reader loop against a fake
 * serial reader on a pty.
 *
 * openpty gives a real tty (termios applies, poll works); a thread plays
 * the USB-serial bridge: bytes written by the reader to the slave side
 * reach the master, go into the simulated SAM module (idcard_sim), and its
 * replies are written back to the master in the small bursts a CH340
 * delivers. Closing the master is the bridge being unplugged: the slave
 * hangs up, the transport says ERR_NODEV, the reader reports itself lost
 * and reopens the path until a new pty... cannot appear at the same path,
 * so replug is checked through a symlink that is re-pointed at a new pty.
 */
#include "base/err.h"
#include "base/log.h"
#include "check.h"
#include "drivers/core/transport_tty.h"
#include "drivers/idcard/idcard_reader.h"
#include "drivers/idcard/idcard_sim.h"
#include "idcard_events.h"
#include "pty_bridge.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct bridge {
    struct pty_bridge pty;
    char link[128];
};

static void bridge_plug(struct bridge *b)
{
    int slave;
    char name[128];
    CHECK_EQ_INT(openpty(&b->pty.master, &slave, name, NULL, NULL), 0);
    close(slave); /* the reader opens it by path */
    unlink(b->link);
    CHECK_EQ_INT(symlink(name, b->link), 0);
    idcard_sim_fault(b->pty.sim, IDCARD_SIM_FAULT_REPLUG);
    transport_open(idcard_sim_transport(b->pty.sim));
    CHECK_EQ_INT(pty_bridge_start(&b->pty), 0);
}

static void bridge_unplug(struct bridge *b)
{
    pty_bridge_stop(&b->pty);
    close(b->pty.master);
    unlink(b->link);
}

int main(void)
{
    log_set_level(LOG_LEVEL_WARNING);
    struct bridge b = {.pty.sim = idcard_sim_create()};
    snprintf(b.link, sizeof b.link, "/tmp/kiosk-ttyUSB-%d", (int)getpid());

    /* Nothing there yet: a precise status, and ERR_NODEV. */
    struct transport *t = transport_tty_create(b.link, 115200);
    CHECK(t != NULL);
    CHECK(transport_tty_create(b.link, 12345) == NULL);
    CHECK_EQ_INT(transport_open(t), ERR_NODEV);
    char status[200], want[200];
    transport_describe(t, status, sizeof status);
    snprintf(want, sizeof want, "no reader at %s", b.link);
    CHECK_EQ_STR(status, want);

    bridge_plug(&b);
    struct idcard_reader_config rc;
    ev_fast_config(&rc);
    struct idcard_reader *r = idcard_reader_create(NULL, t, &ev_sink, &rc);
    CHECK_EQ_INT(idcard_reader_start(r), 0);
    const struct ev *e = ev_wait(EV_STATE, 3000);
    CHECK(e && e->connected);
    idcard_reader_status(r, status, sizeof status);
    snprintf(want, sizeof want, "connected tty %s 115200 8N1", b.link);
    CHECK_EQ_STR(status, want);

    struct idcard card = fixture_card_with_photo();
    idcard_sim_present(b.pty.sim, &card);
    e = ev_wait(EV_INSERTED, 3000);
    CHECK(e != NULL);
    if (e)
        CHECK_EQ_STR(e->name, "张三");
    idcard_sim_remove(b.pty.sim);
    CHECK(ev_wait(EV_REMOVED, 3000) != NULL);

    /* A damaged reply, then a good one on the retry. */
    idcard_sim_fault(b.pty.sim, IDCARD_SIM_FAULT_CHECKSUM);
    idcard_sim_present(b.pty.sim, &card);
    CHECK(ev_wait(EV_INSERTED, 3000) != NULL);
    idcard_sim_remove(b.pty.sim);
    CHECK(ev_wait(EV_REMOVED, 3000) != NULL);

    /* The bridge is pulled out: lost; plugged back: found again. */
    bridge_unplug(&b);
    e = ev_wait(EV_STATE, 3000);
    CHECK(e && !e->connected);
    ev_sleep_ms(100);
    idcard_reader_status(r, status, sizeof status);
    snprintf(want, sizeof want, "no reader at %s", b.link);
    CHECK_EQ_STR(status, want);
    bridge_plug(&b);
    e = ev_wait(EV_STATE, 3000);
    CHECK(e && e->connected);
    idcard_sim_present(b.pty.sim, &card);
    CHECK(ev_wait(EV_INSERTED, 3000) != NULL);

    idcard_reader_destroy(r);
    bridge_unplug(&b);
    transport_tty_destroy(t);
    idcard_sim_destroy(b.pty.sim);
    idcard_wipe(&card);
    return check_report("idcard_tty_test");
}
