/* printer_lp.c - ESC/POS over /dev/usb/lp* or a tty; see printer_lp.h.
 *
 * reset() cannot send a USB SOFT_RESET through usblp, so it completes any
 * raster band the printer was in the middle of with NUL bytes (the
 * largest band is 72 x 256 bytes; outside a command a NUL is ignored),
 * then ESC @. Worker thread only.
 */
#include "drivers/escpos/printer_lp.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "drivers/escpos/escpos.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/lp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define STASH 256

struct printer_lp {
    char path[256];
    int fd;
    uint8_t stash[STASH];
    size_t stash_len;
};

struct printer_lp *printer_lp_create(const char *path)
{
    struct printer_lp *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->fd = -1;
    if (!path || !str_copy(p->path, sizeof p->path, path)) {
        free(p);
        return NULL;
    }
    return p;
}

void printer_lp_destroy(struct printer_lp *p)
{
    if (!p)
        return;
    if (p->fd >= 0)
        close(p->fd);
    free(p);
}

static int lp_open(void *ctx)
{
    struct printer_lp *p = ctx;
    if (p->fd >= 0)
        return 0;
    p->fd = open(p->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (p->fd < 0)
        return errno == ENOENT || errno == ENODEV || errno == ENXIO ? ERR_NODEV
               : errno == EBUSY                                     ? ERR_BUSY
                                                                    : ERR_IO;
    if (isatty(p->fd)) {
        struct termios t;
        if (tcgetattr(p->fd, &t) == 0) {
            cfmakeraw(&t);
            tcsetattr(p->fd, TCSANOW, &t);
        }
    }
    p->stash_len = 0;
    return 0;
}

static void lp_close(void *ctx)
{
    struct printer_lp *p = ctx;
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
    p->stash_len = 0;
}

static int map_errno(int e)
{
    return e == ENODEV || e == ENXIO || e == EPIPE || e == EIO ? ERR_NODEV : ERR_IO;
}

static int lp_write(void *ctx, const uint8_t *data, size_t len, int timeout_ms, size_t *sent)
{
    struct printer_lp *p = ctx;
    size_t off = 0;
    if (sent)
        *sent = 0;
    if (p->fd < 0)
        return ERR_NODEV;
    int64_t end = clock_physical_ms() + timeout_ms;
    while (off < len) {
        ssize_t n = write(p->fd, data + off, len - off);
        if (n > 0) {
            off += (size_t)n;
            if (sent)
                *sent = off;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return map_errno(errno);
        int left = (int)(end - clock_physical_ms());
        if (left <= 0)
            return ERR_TIMEOUT;
        struct pollfd pf = {.fd = p->fd, .events = POLLOUT};
        if (poll(&pf, 1, left) < 0 && errno != EINTR)
            return ERR_IO;
        if (pf.revents & (POLLHUP | POLLERR))
            return ERR_NODEV;
    }
    return 0;
}

static int raw_read(struct printer_lp *p, uint8_t *data, size_t cap, int timeout_ms)
{
    struct pollfd pf = {.fd = p->fd, .events = POLLIN};
    int r = poll(&pf, 1, timeout_ms);
    if (r < 0)
        return errno == EINTR ? ERR_TIMEOUT : ERR_IO;
    if (r == 0)
        return ERR_TIMEOUT;
    ssize_t n = read(p->fd, data, cap);
    if (n > 0)
        return (int)n;
    if (n == 0 || errno == EAGAIN)
        return ERR_TIMEOUT;
    return map_errno(errno);
}

static int lp_read(void *ctx, uint8_t *data, size_t cap, int timeout_ms)
{
    struct printer_lp *p = ctx;
    if (p->fd < 0)
        return ERR_NODEV;
    if (p->stash_len) {
        size_t n = p->stash_len < cap ? p->stash_len : cap;
        memcpy(data, p->stash, n);
        memmove(p->stash, p->stash + n, p->stash_len - n);
        p->stash_len -= n;
        return (int)n;
    }
    return raw_read(p, data, cap, timeout_ms);
}

/* Asks DLE EOT n and parses its reply; other bytes go to the stash. */
static int query(struct printer_lp *p, int n, struct escpos_status *st)
{
    uint8_t q[3];
    escpos_encode_status_query(q, n);
    int rc = lp_write(p, q, 3, 500, NULL);
    if (rc)
        return rc;
    int64_t end = clock_physical_ms() + 500;
    for (;;) {
        int left = (int)(end - clock_physical_ms());
        if (left <= 0)
            return ERR_TIMEOUT;
        uint8_t b[32];
        int k = raw_read(p, b, sizeof b, left);
        if (k == ERR_TIMEOUT)
            continue;
        if (k < 0)
            return k;
        if (escpos_take_status(n, b, (size_t)k, st, p->stash, &p->stash_len, STASH) == 0)
            return 0;
    }
}

static int lp_status(void *ctx, struct printer_status *out)
{
    struct printer_lp *p = ctx;
    if (p->fd < 0)
        return ERR_NODEV;
    int ps = 0;
    if (ioctl(p->fd, LPGETSTATUS, &ps) == 0) {
        /* GET_PORT_STATUS: bit 5 paper empty, bit 4 selected, bit 3 no error */
        *out = (struct printer_status){.online = (ps & LP_PSELECD) && (ps & LP_PERRORP),
                                       .paper_out = ps & LP_POUTPA,
                                       .error = !(ps & LP_PERRORP)};
        return 0;
    }
    struct escpos_status st = {0};
    for (int n = 1; n <= 4; n++) {
        int rc = query(p, n, &st);
        if (rc)
            return rc;
    }
    *out = (struct printer_status){
        .online = !escpos_status_blocks(&st),
        .cover_open = st.cover_open,
        .paper_out = st.paper_end || st.paper_end_stop,
        .paper_near_end = st.paper_near_end,
        .error = st.error || st.cutter_error || st.unrecoverable || st.auto_recoverable ||
                 st.mechanical_error,
    };
    return 0;
}

static int lp_reset(void *ctx)
{
    struct printer_lp *p = ctx;
    static const uint8_t pad[ESCPOS_DOTS / 8 * ESCPOS_BAND_MAX];
    int rc = lp_write(p, pad, sizeof pad, 3000, NULL);
    if (!rc)
        rc = lp_write(p, (const uint8_t *)"\x1b@", 2, 500, NULL);
    return rc;
}

const struct printer_ops printer_lp_ops = {
    .name = "lp",
    .open = lp_open,
    .write = lp_write,
    .read = lp_read,
    .status = lp_status,
    .reset = lp_reset,
    .close = lp_close,
};
