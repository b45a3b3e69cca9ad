/* printer_sim.c - a simulated 80 mm slip printer that prints what it is sent.
 *
 * It decodes the real ESC/POS stream (escpos_decoder) into slips, the
 * kiosk's raster or whatever another program sends a printer (text, images,
 * barcodes, QR codes; commands it steps over are logged with their
 * offset), keeps a PNG of each cut slip in a configured folder, answers GS r job markers on
 * its IN pipe, and behaves like an Epson-style printer when it runs out of
 * paper: printing stops in the middle of the slip, the bytes not yet
 * printed stay in its buffer, further bytes are refused (the write times
 * out), and after a refill it finishes the slip. Cover open and offline
 * refuse bytes the same way. States are set from any thread (the control
 * socket); the ops run on the slip worker thread.
 */
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/printer.h"

#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLICE 512 /* bytes printed between paper checks: about 7 rows of raster */

struct printer_sim {
    pthread_mutex_t lock;
    enum printer_sim_state state;
    struct buf got;  /* every byte received, for tests */
    struct buf held; /* received, not yet printed */
    struct buf in;   /* bytes for the host to read */
    struct escpos_decoder dec;
    long paper;       /* rows left; < 0 endless */
    int skips_logged; /* decoder skips already in the log */
    int slips, partials;
    char png_dir[256];
};

static void on_cut(void *user, struct escpos_page *pg)
{
    struct printer_sim *p = user;
    p->slips++;
    if (p->png_dir[0]) {
        char path[320];
        snprintf(path, sizeof path, "%s/slip-%04d.png", p->png_dir, p->slips);
        if (escpos_page_write_png(pg, path))
            log_warn("printer-sim", "cannot write %s", path);
    }
}

struct printer_sim *printer_sim_create(size_t max)
{
    struct printer_sim *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    buf_init(&p->got, max);
    buf_init(&p->held, 4u << 20);
    buf_init(&p->in, 4096);
    escpos_decoder_init(&p->dec, on_cut, p);
    p->paper = -1;
    return p;
}

void printer_sim_destroy(struct printer_sim *p)
{
    if (!p)
        return;
    escpos_decoder_fini(&p->dec);
    buf_fini(&p->got);
    buf_fini(&p->held);
    buf_fini(&p->in);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void printer_sim_set_png_dir(struct printer_sim *p, const char *dir)
{
    pthread_mutex_lock(&p->lock);
    str_copy(p->png_dir, sizeof p->png_dir, dir ? dir : "");
    pthread_mutex_unlock(&p->lock);
}

static bool blocked(const struct printer_sim *p)
{
    return p->state == PRINTER_SIM_PAPER_OUT || p->state == PRINTER_SIM_COVER_OPEN ||
           p->state == PRINTER_SIM_OFFLINE;
}

/* Prints held bytes until they run out or the paper does. Lock held. */
static void print_held(struct printer_sim *p)
{
    size_t off = 0;
    while (!blocked(p) && off < p->held.len) {
        size_t n = p->held.len - off < SLICE ? p->held.len - off : SLICE;
        int markers = p->dec.markers;
        long before = p->dec.total_rows;
        if (escpos_decoder_feed(&p->dec, p->held.data + off, n)) {
            log_warn("printer-sim", "undecodable bytes; buffer dropped");
            off = p->held.len;
            break;
        }
        off += n;
        for (; p->skips_logged < p->dec.skipped && p->skips_logged < ESCPOS_SKIPS_KEPT;
             p->skips_logged++) {
            const struct escpos_skip *k = &p->dec.skips[p->skips_logged];
            char what[32];
            escpos_skip_format(k, what, sizeof what);
            log_info("printer-sim", "offset %ld: %s: %s", k->offset, what, k->why);
        }
        if (p->paper >= 0) {
            p->paper -= p->dec.total_rows - before;
            if (p->paper <= 0) {
                p->paper = 0;
                p->state = PRINTER_SIM_PAPER_OUT;
                log_info("printer-sim", "paper out in the middle of a slip");
            }
        }
        for (int i = markers; i < p->dec.markers; i++) {
            uint8_t ok = 0x00; /* GS r 1 reply: paper present */
            buf_append(&p->in, &ok, 1);
        }
    }
    buf_consume(&p->held, off);
}

void printer_sim_set_state(struct printer_sim *p, enum printer_sim_state s)
{
    pthread_mutex_lock(&p->lock);
    if (p->state == PRINTER_SIM_PAPER_OUT && s != PRINTER_SIM_PAPER_OUT && p->paper == 0)
        p->paper = -1; /* a fresh roll */
    p->state = s;
    print_held(p);
    pthread_mutex_unlock(&p->lock);
}

void printer_sim_set_paper(struct printer_sim *p, long rows)
{
    pthread_mutex_lock(&p->lock);
    p->paper = rows;
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

int printer_sim_slips(struct printer_sim *p)
{
    pthread_mutex_lock(&p->lock);
    int n = p->slips;
    pthread_mutex_unlock(&p->lock);
    return n;
}

static int sim_open(void *ctx)
{
    struct printer_sim *p = ctx;
    pthread_mutex_lock(&p->lock);
    int rc = p->state == PRINTER_SIM_OFFLINE ? ERR_NODEV : 0;
    pthread_mutex_unlock(&p->lock);
    return rc;
}

static int sim_write(void *ctx, const uint8_t *data, size_t len, int timeout_ms, size_t *sent)
{
    struct printer_sim *p = ctx;
    (void)timeout_ms;
    if (sent)
        *sent = 0;
    pthread_mutex_lock(&p->lock);
    int rc = 0;
    if (p->state == PRINTER_SIM_OFFLINE)
        rc = ERR_NODEV;
    else if (blocked(p) || p->held.len > 0)
        rc = ERR_TIMEOUT; /* a stopped printer stops taking bytes */
    else if ((rc = buf_append(&p->held, data, len)) == 0) {
        buf_append(&p->got, data, len);
        if (sent)
            *sent = len;
        print_held(p);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

static int sim_read(void *ctx, uint8_t *data, size_t cap, int timeout_ms)
{
    struct printer_sim *p = ctx;
    (void)timeout_ms;
    pthread_mutex_lock(&p->lock);
    int rc;
    if (p->state == PRINTER_SIM_OFFLINE) {
        rc = ERR_NODEV;
    } else if (p->in.len == 0) {
        rc = ERR_TIMEOUT;
    } else {
        size_t n = p->in.len < cap ? p->in.len : cap;
        memcpy(data, p->in.data, n);
        buf_consume(&p->in, n);
        rc = (int)n;
    }
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

static int sim_reset(void *ctx)
{
    struct printer_sim *p = ctx;
    pthread_mutex_lock(&p->lock);
    buf_reset(&p->held);
    buf_reset(&p->in);
    if (p->dec.page.rows > 0)
        p->partials++;
    escpos_decoder_fini(&p->dec);
    escpos_decoder_init(&p->dec, on_cut, p);
    p->skips_logged = 0;
    pthread_mutex_unlock(&p->lock);
    return 0;
}

static void sim_close(void *ctx)
{
    (void)ctx;
}

const struct printer_ops printer_sim_ops = {
    .name = "sim",
    .open = sim_open,
    .write = sim_write,
    .read = sim_read,
    .status = sim_status,
    .reset = sim_reset,
    .close = sim_close,
};
