/* control.c - the control socket's thread, and the pure parts it decides
 * with: the lines, the verb table, the peer's and the directory's checks;
 * see control.h. control_start runs on the UI thread at start-up, the
 * rest on the control thread; control_reply on the UI thread.
 */
#include "control.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
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
    gid_t group; /* [kiosk] control_group's gid, (gid_t)-1 none */
};

/* ---- pure parts ------------------------------------------------------ */

const struct control_verb_info control_verb_table[CONTROL_VERB_COUNT] = {
    [CONTROL_VERB_HELP] = {"help", "help", false},
    [CONTROL_VERB_STATE] = {"state", "state", false},
    [CONTROL_VERB_TAP] = {"tap", "tap LABEL", false},
    [CONTROL_VERB_TAP_CONTAINING] = {"tap-containing", "tap-containing TEXT", false},
    [CONTROL_VERB_TAP_AT] = {"tap-at", "tap-at X Y", false},
    [CONTROL_VERB_KEY] = {"key",
                          "key up|down|left|right|tab|shift-tab|enter|kp-enter|space|back|escape|"
                          "kp-plus|kp-minus|kp-period|kp0..kp9",
                          false},
    [CONTROL_VERB_CARD] = {"card", "card ID_NUMBER", true},
    [CONTROL_VERB_CARD_REMOVE] = {"card-remove", "card-remove", true},
    [CONTROL_VERB_READER] = {"reader", "reader FAULT", true},
    [CONTROL_VERB_FACE] = {"face", "face SCENE|unplug|replug", true},
    [CONTROL_VERB_PRINTER] = {"printer",
                              "printer ready|paper-out|near-end|cover-open|offline|paper ROWS",
                              true},
    [CONTROL_VERB_SCREENSHOT] = {"screenshot", "screenshot PATH.png", true},
    [CONTROL_VERB_WAIT] = {"wait", "wait SCREEN [MS]", false},
    [CONTROL_VERB_CLOCK] = {"clock", "clock +SECONDS", true},
    [CONTROL_VERB_ORIENTATION] = {"orientation", "orientation portrait|landscape", false},
    [CONTROL_VERB_PROCESS] = {"process", "process", false},
    [CONTROL_VERB_QUIT] = {"quit", "quit", false},
    [CONTROL_VERB_SPOKEN] = {"spoken", "spoken", true},
};

enum control_parse_result control_parse(const char *line, bool test_verbs,
                                        enum control_verb_kind *verb, const char **args)
{
    size_t vlen = strcspn(line, " ");
    for (size_t i = 0; i < CONTROL_VERB_COUNT; i++) {
        const struct control_verb_info *v = &control_verb_table[i];
        if (strlen(v->name) != vlen || strncmp(v->name, line, vlen) != 0)
            continue;
        if (v->test_only && !test_verbs)
            return CONTROL_PARSE_TEST_ONLY;
        *verb = (enum control_verb_kind)i;
        *args = line[vlen] ? line + vlen + 1 : "";
        return CONTROL_PARSE_OK;
    }
    return CONTROL_PARSE_UNKNOWN;
}

void control_lines_init(struct control_lines *l)
{
    memset(l, 0, sizeof *l);
}

void control_lines_feed(struct control_lines *l, const char *bytes, size_t n, control_line_fn fn,
                        void *user)
{
    for (size_t i = 0; i < n; i++) {
        char b = bytes[i];
        if (l->discarding) {
            if (b == '\n')
                l->discarding = false;
            continue;
        }
        if (b == '\n') {
            size_t len = l->have;
            if (len && l->buf[len - 1] == '\r')
                len--;
            l->buf[len] = '\0';
            if (l->nul)
                fn(user, CONTROL_LINE_BAD_BYTE, NULL);
            else if (len)
                fn(user, CONTROL_LINE, l->buf);
            l->have = 0;
            l->nul = false;
            continue;
        }
        if (l->have == sizeof l->buf - 1) {
            /* Over the limit: the whole line goes, up to its newline. */
            fn(user, CONTROL_LINE_TOO_LONG, NULL);
            l->discarding = true;
            l->have = 0;
            l->nul = false;
            continue;
        }
        if (b == '\0')
            l->nul = true;
        l->buf[l->have++] = b;
    }
}

bool control_peer_allowed(uid_t self, gid_t group, uid_t peer_uid, const gid_t *peer_gids, size_t n)
{
    if (peer_uid == self)
        return true;
    if (group == (gid_t)-1)
        return false;
    for (size_t i = 0; i < n; i++)
        if (peer_gids[i] == group)
            return true;
    return false;
}

int control_dir_check(const struct stat *st, uid_t self, gid_t group, const char **why)
{
    mode_t m = st->st_mode & 07777;
    if (!S_ISDIR(st->st_mode))
        *why = "is not a directory";
    else if (st->st_uid != self)
        *why = "belongs to another user";
    else if (m & (S_IRWXO | S_IWGRP))
        *why = "others may enter it or write to it";
    else if ((m & S_IRWXG) && (group == (gid_t)-1 || st->st_gid != group))
        *why = "its group may enter it";
    else
        return 0;
    return ERR_INVALID;
}

/* ---- the thread ------------------------------------------------------- */

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

static void send_error(int fd, const char *why)
{
    char out[128];
    int n = snprintf(out, sizeof out, "{\"ok\":false,\"error\":\"%s\"}\n", why);
    send_all(fd, out, (size_t)n);
}

static void on_line(void *user, enum control_line_kind kind, const char *line)
{
    struct control *c = user;
    if (kind == CONTROL_LINE)
        run_line(c, line);
    else if (kind == CONTROL_LINE_TOO_LONG)
        send_error(c->client_fd, "line too long");
    else
        send_error(c->client_fd, "NUL byte in line");
}

static void serve(struct control *c)
{
    struct control_lines lines;
    control_lines_init(&lines);
    char in[4096];
    while (!atomic_load(&c->quit)) {
        struct pollfd p = {c->client_fd, POLLIN, 0};
        int r = poll(&p, 1, 200);
        if (r <= 0)
            continue;
        ssize_t n = recv(c->client_fd, in, sizeof in, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        control_lines_feed(&lines, in, (size_t)n, on_line, c);
    }
}

/* Whether the peer on fd may drive the kiosk (SO_PEERCRED, and with a
 * group its groups by SO_PEERGROUPS). */
static bool peer_allowed(const struct control *c, int fd)
{
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof cred) {
        log_warn("control", "peer credentials unknown: %s", strerror(errno));
        return false;
    }
    gid_t gids[256]; /* more groups than that: the primary one alone counts */
    size_t n = 0;
    gids[n++] = cred.gid;
    if (c->group != (gid_t)-1) {
        socklen_t glen = (socklen_t)(sizeof gids - sizeof gids[0]);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, gids + 1, &glen) == 0)
            n += glen / sizeof gids[0];
    }
    if (control_peer_allowed(geteuid(), c->group, cred.uid, gids, n))
        return true;
    log_warn("control", "refused a peer: uid %u, pid %d", (unsigned)cred.uid, (int)cred.pid);
    return false;
}

/* Tells a refused peer so and hangs up. What it sent meanwhile is read
 * and dropped first (for 100 ms at most): closing on unread bytes would
 * reset the connection and lose the answer. */
static void refuse(int fd)
{
    send_error(fd, "not allowed");
    shutdown(fd, SHUT_WR);
    char scratch[512];
    for (int i = 0; i < 10; i++) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 10) < 0 || (p.revents && recv(fd, scratch, sizeof scratch, 0) <= 0))
            break;
    }
    close(fd);
}

static void *control_main(void *arg)
{
    pthread_setname_np(pthread_self(), "control");
    struct control *c = arg;
    while (!atomic_load(&c->quit)) {
        struct pollfd p = {c->listen_fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0)
            continue;
        int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        if (!peer_allowed(c, fd)) {
            refuse(fd);
            continue;
        }
        c->client_fd = fd;
        serve(c);
        close(fd);
        c->client_fd = -1;
    }
    return NULL;
}

/* The socket's directory: made if missing (0700, or 0750 and the group's),
 * else checked. Returns 0 or logs why not. */
static int prepare_dir(const char *path, gid_t group)
{
    char dir[sizeof((struct sockaddr_un *)0)->sun_path];
    str_copy(dir, sizeof dir, path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        str_copy(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    mode_t mode = group == (gid_t)-1 ? 0700 : 0750;
    if (mkdir(dir, mode) == 0) {
        /* mkdir's mode went through the umask; chmod does not */
        if (chmod(dir, mode) != 0 || (group != (gid_t)-1 && chown(dir, (uid_t)-1, group) != 0)) {
            log_err("control", "cannot set up %s: %s", dir, strerror(errno));
            return ERR_IO;
        }
    } else if (errno != EEXIST) {
        log_err("control", "cannot make %s: %s", dir, strerror(errno));
        return ERR_IO;
    }
    struct stat st;
    const char *why = "";
    if (lstat(dir, &st) != 0 || control_dir_check(&st, geteuid(), group, &why) != 0) {
        log_err("control", "refusing the socket's directory %s: %s", dir,
                why[0] ? why : strerror(errno));
        return ERR_INVALID;
    }
    return 0;
}

/* Binds fd at path, 0600 (0660 and the group's with a group) whatever the
 * umask: the socket's inode carries the mode bind gives the file. */
static int bind_private(int fd, const char *path, gid_t group)
{
    mode_t mode = group == (gid_t)-1 ? 0600 : 0660;
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            log_err("control", "%s exists and is not a socket", path);
            return ERR_INVALID;
        }
        unlink(path);
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    memcpy(addr.sun_path, path, strlen(path) + 1);
    if (fchmod(fd, mode) != 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0)
        return ERR_IO;
    /* bind masks the mode with the umask, never widens it: set it exactly */
    if (chmod(path, mode) != 0 || (group != (gid_t)-1 && chown(path, (uid_t)-1, group) != 0))
        return ERR_IO;
    return 0;
}

/* The gid of group, (gid_t)-1 for none; ERR_NOTFOUND if there is no such
 * group. */
static int group_lookup(const char *name, gid_t *gid)
{
    *gid = (gid_t)-1;
    if (!name || !name[0])
        return 0;
    char buf[4096];
    struct group g, *found = NULL;
    if (getgrnam_r(name, &g, buf, sizeof buf, &found) != 0 || !found) {
        log_err("control", "[kiosk] control_group: no group %s", name);
        return ERR_NOTFOUND;
    }
    *gid = found->gr_gid;
    return 0;
}

struct control *control_start(const char *path, struct bus *bus, const char *group)
{
    struct control *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (!str_copy(c->path, sizeof c->path, path)) {
        log_err("control", "socket path too long");
        free(c);
        return NULL;
    }
    if (group_lookup(group, &c->group) != 0 || prepare_dir(c->path, c->group) != 0) {
        free(c);
        return NULL;
    }
    c->bus = bus;
    c->client_fd = -1;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->answered, NULL);
    c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->listen_fd < 0 || bind_private(c->listen_fd, c->path, c->group) != 0 ||
        listen(c->listen_fd, 2) != 0 || pthread_create(&c->thread, NULL, control_main, c) != 0) {
        log_err("control", "cannot listen on %s: %s", c->path, strerror(errno));
        if (c->listen_fd >= 0)
            close(c->listen_fd);
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->answered);
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
