/* control.c - the control socket's thread; see control.h. */
#include "control.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct control {
    char path[108];
    int listen_fd;
    int client_fd;
    struct bus *bus;
    pthread_t thread;
    atomic_bool quit;
    pthread_mutex_t lock;
    pthread_cond_t answered;
    bool waiting; /* a command is with the UI thread */
    struct control_cmd cmd;
};

static void send_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

void control_reply(struct control_cmd *cmd, const char *json)
{
    struct control *c = cmd->owner;
    send_all(c->client_fd, json, strlen(json));
    send_all(c->client_fd, "\n", 1);
    pthread_mutex_lock(&c->lock);
    c->waiting = false;
    pthread_cond_signal(&c->answered);
    pthread_mutex_unlock(&c->lock);
}

/* Hands one line to the UI thread and waits for its answer. */
static void run_line(struct control *c, const char *line)
{
    str_copy(c->cmd.line, sizeof c->cmd.line, line);
    c->cmd.owner = c;
    pthread_mutex_lock(&c->lock);
    c->waiting = true;
    pthread_mutex_unlock(&c->lock);
    struct bus_msg m = {.kind = BUS_CONTROL, .payload = &c->cmd};
    if (bus_post(c->bus, &m) != 0) {
        const char *busy = "{\"ok\":false,\"error\":\"busy\"}\n";
        send_all(c->client_fd, busy, strlen(busy));
        pthread_mutex_lock(&c->lock);
        c->waiting = false;
        pthread_mutex_unlock(&c->lock);
        return;
    }
    pthread_mutex_lock(&c->lock);
    while (c->waiting)
        pthread_cond_wait(&c->answered, &c->lock);
    pthread_mutex_unlock(&c->lock);
}

static void serve(struct control *c)
{
    char in[CONTROL_LINE_MAX];
    size_t have = 0;
    while (!atomic_load(&c->quit)) {
        struct pollfd p = {c->client_fd, POLLIN, 0};
        int r = poll(&p, 1, 200);
        if (r <= 0)
            continue;
        ssize_t n = recv(c->client_fd, in + have, sizeof in - 1 - have, 0);
        if (n <= 0)
            return;
        have += (size_t)n;
        in[have] = '\0';
        char *nl;
        while ((nl = memchr(in, '\n', have))) {
            *nl = '\0';
            if (nl > in && nl[-1] == '\r')
                nl[-1] = '\0';
            if (in[0])
                run_line(c, in);
            size_t used = (size_t)(nl - in) + 1;
            memmove(in, nl + 1, have - used);
            have -= used;
            in[have] = '\0';
        }
        if (have == sizeof in - 1) {
            const char *big = "{\"ok\":false,\"error\":\"line too long\"}\n";
            send_all(c->client_fd, big, strlen(big));
            have = 0;
        }
    }
}

static void *control_main(void *arg)
{
    struct control *c = arg;
    while (!atomic_load(&c->quit)) {
        struct pollfd p = {c->listen_fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0)
            continue;
        int fd = accept(c->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        c->client_fd = fd;
        serve(c);
        close(fd);
        c->client_fd = -1;
    }
    return NULL;
}

struct control *control_start(const char *path, struct bus *bus)
{
    struct control *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (!str_copy(c->path, sizeof c->path, path)) {
        log_err("control", "socket path too long");
        free(c);
        return NULL;
    }
    c->bus = bus;
    c->client_fd = -1;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->answered, NULL);
    c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    memcpy(addr.sun_path, c->path, strlen(c->path) + 1);
    unlink(c->path);
    if (c->listen_fd < 0 || bind(c->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(c->listen_fd, 2) != 0 || pthread_create(&c->thread, NULL, control_main, c) != 0) {
        log_err("control", "cannot listen on %s: %s", c->path, strerror(errno));
        if (c->listen_fd >= 0)
            close(c->listen_fd);
        free(c);
        return NULL;
    }
    log_info("control", "listening on %s", c->path);
    return c;
}

void control_stop(struct control *c)
{
    if (!c)
        return;
    atomic_store(&c->quit, true);
    pthread_join(c->thread, NULL);
    close(c->listen_fd);
    unlink(c->path);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->answered);
    free(c);
}
