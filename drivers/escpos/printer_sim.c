/* printer_sim.c - a simulated slip printer that keeps the bytes it gets.
 *
 * It refuses bytes in the states a real printer would (no paper, cover
 * open, offline), so the print journal meets the same failures in demo
 * mode and tests as in a hall.
 */
#include "printer.h"

#include "base/buf.h"
#include "base/err.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct printer_sim {
    pthread_mutex_t lock;
    enum printer_sim_state state;
    struct buf got;
};

struct printer_sim *printer_sim_create(size_t max)
{
    struct printer_sim *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    buf_init(&p->got, max);
    return p;
}

void printer_sim_destroy(struct printer_sim *p)
{
    if (!p)
        return;
    buf_fini(&p->got);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void printer_sim_set_state(struct printer_sim *p, enum printer_sim_state s)
{
    pthread_mutex_lock(&p->lock);
    p->state = s;
    pthread_mutex_unlock(&p->lock);
}

int printer_sim_state_parse(const char *name)
{
    static const char *const names[] = {"ready", "paper-out", "near-end", "cover-open", "offline"};
    for (int i = 0; i < 5; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

size_t printer_sim_take(struct printer_sim *p, uint8_t *out, size_t cap)
{
    pthread_mutex_lock(&p->lock);
    size_t n = p->got.len < cap ? p->got.len : cap;
    if (n)
        memcpy(out, p->got.data, n);
    pthread_mutex_unlock(&p->lock);
    return n;
}

static int sim_open(void *ctx)
{
    (void)ctx;
    return ERR_OK;
}

static int sim_write(void *ctx, const uint8_t *data, size_t len, int timeout_ms)
{
    struct printer_sim *p = ctx;
    (void)timeout_ms;
    pthread_mutex_lock(&p->lock);
    int rc = ERR_OK;
    if (p->state == PRINTER_SIM_OFFLINE)
        rc = ERR_NODEV;
    else if (p->state == PRINTER_SIM_PAPER_OUT || p->state == PRINTER_SIM_COVER_OPEN)
        rc = ERR_IO;
    else
        rc = buf_append(&p->got, data, len);
    pthread_mutex_unlock(&p->lock);
    return rc;
}

static int sim_status(void *ctx, struct printer_status *out)
{
    struct printer_sim *p = ctx;
    pthread_mutex_lock(&p->lock);
    enum printer_sim_state s = p->state;
    pthread_mutex_unlock(&p->lock);
    if (s == PRINTER_SIM_OFFLINE)
        return ERR_NODEV;
    *out = (struct printer_status){
        .online = s == PRINTER_SIM_READY || s == PRINTER_SIM_NEAR_END,
        .cover_open = s == PRINTER_SIM_COVER_OPEN,
        .paper_out = s == PRINTER_SIM_PAPER_OUT,
        .paper_near_end = s == PRINTER_SIM_NEAR_END,
    };
    return ERR_OK;
}

static void sim_close(void *ctx)
{
    (void)ctx;
}

const struct printer_ops printer_sim_ops = {
    .name = "sim",
    .open = sim_open,
    .write = sim_write,
    .status = sim_status,
    .close = sim_close,
};
