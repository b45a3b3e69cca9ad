/* transport_tty.c - serial tty transport: raw termios, poll() timeouts.
 *
 * Runs on the thread of the driver that owns it (the ID card reader
 * thread). Errors from the kernel are translated to enum err here, once:
 * ENOENT/ENXIO/ENODEV at open (no such port: the bridge is unplugged) and
 * EIO / POLLHUP / a zero-byte read later (the bridge vanished under us)
 * become ERR_NODEV, so the driver closes and retries; EACCES and EBUSY say
 * what staff must fix in the status text.
 */
#include "transport_tty.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct tty {
    struct transport t;
    char path[128];
    int baud;
    int fd;
    char status[160];
};

static struct tty *tty_of(struct transport *t)
{
    return t->priv;
}

static speed_t speed_of(int baud)
{
    switch (baud) {
    case 9600:
        return B9600;
    case 19200:
        return B19200;
    case 38400:
        return B38400;
    case 57600:
        return B57600;
    case 115200:
        return B115200;
    default:
        return 0;
    }
}

static void tty_close(struct transport *t)
{
    struct tty *p = tty_of(t);
    if (p->fd >= 0) {
        close(p->fd);
        p->fd = -1;
    }
}

static int tty_open(struct transport *t)
{
    struct tty *p = tty_of(t);
    tty_close(t);
    int fd = open(p->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENXIO || e == ENODEV) {
            snprintf(p->status, sizeof p->status, "no reader at %s", p->path);
            return ERR_NODEV;
        }
        if (e == EACCES || e == EPERM) {
            snprintf(p->status, sizeof p->status, "permission denied on %s", p->path);
            return ERR_BUSY;
        }
        if (e == EBUSY) {
            snprintf(p->status, sizeof p->status, "%s is in use by another program", p->path);
            return ERR_BUSY;
        }
        snprintf(p->status, sizeof p->status, "cannot open %s: %s", p->path, strerror(e));
        return ERR_IO;
    }
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0) {
        snprintf(p->status, sizeof p->status, "%s is not a serial port", p->path);
        close(fd);
        return ERR_IO;
    }
    /* Raw 8N1, no flow control, reads return what is there: the frame
     * decoder reassembles. */
    cfmakeraw(&tio);
    tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CSIZE | CRTSCTS);
    tio.c_cflag |= CS8 | CLOCAL | CREAD;
    tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    cfsetispeed(&tio, speed_of(p->baud));
    cfsetospeed(&tio, speed_of(p->baud));
    if (tcsetattr(fd, TCSANOW, &tio) != 0) {
        snprintf(p->status, sizeof p->status, "cannot set %d 8N1 on %s", p->baud, p->path);
        close(fd);
        return ERR_IO;
    }
    /* Another program opening the port mid-frame would corrupt both. */
    (void)ioctl(fd, TIOCEXCL);
    tcflush(fd, TCIOFLUSH);
    p->fd = fd;
    snprintf(p->status, sizeof p->status, "tty %s %d 8N1", p->path, p->baud);
    return 0;
}

/* Waits for events on the port until deadline. Returns 1 ready, 0 timed
 * out, ERR_NODEV hung up. */
static int wait_fd(struct tty *p, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - clock_physical_ms();
        if (left < 0)
            left = 0;
        struct pollfd pfd = {.fd = p->fd, .events = events};
        int n = poll(&pfd, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ERR_IO;
        if (n == 0)
            return 0;
        if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) {
            /* Data may still sit before the hang-up; read it first. */
            if ((events & POLLIN) && (pfd.revents & POLLIN))
                return 1;
            return ERR_NODEV;
        }
        return 1;
    }
}

static int lost(struct tty *p)
{
    snprintf(p->status, sizeof p->status, "reader at %s went away", p->path);
    return ERR_NODEV;
}

static int tty_write(struct transport *t, const uint8_t *data, size_t len, int timeout_ms)
{
    struct tty *p = tty_of(t);
    if (p->fd < 0)
        return ERR_NODEV;
    int64_t deadline = clock_physical_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(p->fd, data + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN)
            return errno == EIO || errno == ENODEV || errno == ENXIO ? lost(p) : ERR_IO;
        int w = wait_fd(p, POLLOUT, deadline);
        if (w == 0)
            return ERR_TIMEOUT;
        if (w < 0)
            return w == ERR_NODEV ? lost(p) : w;
    }
    return 0;
}

static int tty_read(struct transport *t, uint8_t *data, size_t cap, int timeout_ms)
{
    struct tty *p = tty_of(t);
    if (p->fd < 0)
        return ERR_NODEV;
    int64_t deadline = clock_physical_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        ssize_t n = read(p->fd, data, cap);
        if (n > 0)
            return (int)n;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN)
            return errno == EIO || errno == ENODEV || errno == ENXIO ? lost(p) : ERR_IO;
        if (n == 0) {
            /* A raw tty with VMIN 0 reads 0 when empty; a hung-up one too.
             * poll tells them apart. */
            struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
            if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
                return lost(p);
        }
        int w = wait_fd(p, POLLIN, deadline);
        if (w == 0)
            return ERR_TIMEOUT;
        if (w < 0)
            return w == ERR_NODEV ? lost(p) : w;
    }
}

static void tty_describe(struct transport *t, char *out, size_t size)
{
    str_copy(out, size, tty_of(t)->status);
}

static const struct transport_ops tty_ops = {
    .name = "tty",
    .open = tty_open,
    .close = tty_close,
    .write = tty_write,
    .read = tty_read,
    .describe = tty_describe,
};

struct transport *transport_tty_create(const char *path, int baud)
{
    if (!path || !path[0])
        return NULL;
    if (baud == 0)
        baud = 115200;
    if (!speed_of(baud))
        return NULL;
    struct tty *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (!str_copy(p->path, sizeof p->path, path)) {
        free(p);
        return NULL;
    }
    p->baud = baud;
    p->fd = -1;
    snprintf(p->status, sizeof p->status, "tty %s not opened yet", p->path);
    p->t.ops = &tty_ops;
    p->t.priv = p;
    return &p->t;
}

void transport_tty_destroy(struct transport *t)
{
    if (!t)
        return;
    tty_close(t);
    free(tty_of(t));
}
