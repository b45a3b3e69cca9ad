/* backend_server.h - the registry client's tests' scripted server and
 * the backend's side of them. Included by tests/unit/backend_worker.c
 * (static functions and state, like check.h's counters).
 *
 * A libmicrohttpd server on 127.0.0.1 (port chosen by the kernel, one
 * thread per connection) answers each route from a short script (status,
 * body, delay) and records what it received: method, path, cursor,
 * headers, body (srv_lock guards both). The backend's replies and state
 * changes are collected from its worker thread (got_lock) and waited for
 * by the test thread; log lines are captured for the check that none
 * carries personal data (log_lock).
 */
#ifndef TESTS_UNIT_BACKEND_SERVER_H
#define TESTS_UNIT_BACKEND_SERVER_H

#include "backend/backend.h"
#include "base/log.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- the scripted server ---- */

struct answer {
    int status;
    const char *body; /* NULL: empty */
    int delay_ms;
    size_t big; /* > 0: a body of this many bytes of 'x' instead */
};

struct route {
    const char *method, *path;
    struct answer answers[4]; /* answer i for hit i; the last repeats */
    int count;
    int hits;
};

struct seen {
    char method[8];
    char path[64];
    char cursor[64];
    char idem[80];
    char kiosk[64];
    char auth[300];
    char ctype[64];
    char *body;
};

#define ROUTES_MAX 8
#define SEEN_MAX   32

static pthread_mutex_t srv_lock = PTHREAD_MUTEX_INITIALIZER;
static struct route routes[ROUTES_MAX];
static int nroutes;
static struct seen seen[SEEN_MAX];
static int nseen;

struct upload {
    char *data;
    size_t len;
};

static void script_reset(void)
{
    pthread_mutex_lock(&srv_lock);
    for (int i = 0; i < nseen; i++)
        free(seen[i].body);
    memset(seen, 0, sizeof seen);
    nseen = 0;
    memset(routes, 0, sizeof routes);
    nroutes = 0;
    pthread_mutex_unlock(&srv_lock);
}

static void script(const char *method, const char *path, int count, const struct answer *a)
{
    pthread_mutex_lock(&srv_lock);
    struct route *r = NULL;
    for (int i = 0; i < nroutes; i++)
        if (strcmp(routes[i].method, method) == 0 && strcmp(routes[i].path, path) == 0)
            r = &routes[i];
    if (!r)
        r = &routes[nroutes++];
    r->method = method;
    r->path = path;
    r->count = count;
    r->hits = 0;
    memcpy(r->answers, a, sizeof *a * (size_t)count);
    pthread_mutex_unlock(&srv_lock);
}

static int hits(const char *method, const char *path)
{
    int n = 0;
    pthread_mutex_lock(&srv_lock);
    for (int i = 0; i < nseen; i++)
        if (strcmp(seen[i].method, method) == 0 && strcmp(seen[i].path, path) == 0)
            n++;
    pthread_mutex_unlock(&srv_lock);
    return n;
}

static void copy_hdr(struct MHD_Connection *c, enum MHD_ValueKind kind, const char *name, char *dst,
                     size_t size)
{
    const char *v = MHD_lookup_connection_value(c, kind, name);
    snprintf(dst, size, "%s", v ? v : "");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct upload *up = *con_cls;
    if (!up) {
        *con_cls = calloc(1, sizeof *up);
        return MHD_YES;
    }
    if (*upload_size) {
        up->data = realloc(up->data, up->len + *upload_size + 1);
        memcpy(up->data + up->len, upload_data, *upload_size);
        up->len += *upload_size;
        up->data[up->len] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }
    struct answer a = {404, "{\"type\":\"urn:bdc:problem:not-found\",\"title\":\"无\"}", 0, 0};
    pthread_mutex_lock(&srv_lock);
    if (nseen < SEEN_MAX) {
        struct seen *s = &seen[nseen++];
        snprintf(s->method, sizeof s->method, "%s", method);
        snprintf(s->path, sizeof s->path, "%s", url);
        copy_hdr(c, MHD_GET_ARGUMENT_KIND, "cursor", s->cursor, sizeof s->cursor);
        copy_hdr(c, MHD_HEADER_KIND, "Idempotency-Key", s->idem, sizeof s->idem);
        copy_hdr(c, MHD_HEADER_KIND, "X-Kiosk-Id", s->kiosk, sizeof s->kiosk);
        copy_hdr(c, MHD_HEADER_KIND, "Authorization", s->auth, sizeof s->auth);
        copy_hdr(c, MHD_HEADER_KIND, "Content-Type", s->ctype, sizeof s->ctype);
        s->body = up->data ? strdup(up->data) : NULL;
    }
    for (int i = 0; i < nroutes; i++) {
        struct route *r = &routes[i];
        if (strcmp(r->method, method) == 0 && strcmp(r->path, url) == 0) {
            a = r->answers[r->hits < r->count ? r->hits : r->count - 1];
            r->hits++;
        }
    }
    pthread_mutex_unlock(&srv_lock);
    if (a.delay_ms)
        usleep((useconds_t)a.delay_ms * 1000);
    struct MHD_Response *resp;
    if (a.big) {
        char *big = malloc(a.big);
        memset(big, 'x', a.big);
        resp = MHD_create_response_from_buffer(a.big, big, MHD_RESPMEM_MUST_FREE);
    } else {
        const char *body = a.body ? a.body : "";
        resp = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    }
    MHD_add_response_header(resp, "Content-Type",
                            a.status >= 400 ? "application/problem+json" : "application/json");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)a.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct upload *up = *con_cls;
    if (up) {
        free(up->data);
        free(up);
    }
    *con_cls = NULL;
}

static struct MHD_Daemon *server_start(unsigned *port)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL,
                         NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d)
        return NULL;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : 0;
    return d;
}

/* ---- the backend's side ---- */

struct got {
    uint32_t req_id;
    struct flow_reply *reply;
    int64_t at_ms;
};

static pthread_mutex_t got_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t got_cond = PTHREAD_COND_INITIALIZER;
static struct got got[32];
static int ngot;
static int states[32];
static int nstates;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_reply(void *user, uint32_t req_id, struct flow_reply *reply)
{
    (void)user;
    pthread_mutex_lock(&got_lock);
    if (ngot < 32)
        got[ngot++] = (struct got){req_id, reply, now_ms()};
    else
        backend_reply_free(reply);
    pthread_cond_broadcast(&got_cond);
    pthread_mutex_unlock(&got_lock);
}

static void on_state(void *user, bool connected)
{
    (void)user;
    pthread_mutex_lock(&got_lock);
    if (nstates < 32)
        states[nstates++] = connected;
    pthread_cond_broadcast(&got_cond);
    pthread_mutex_unlock(&got_lock);
}

/* Waits for the reply to req_id; returns it (owned) or NULL on timeout. */
static struct flow_reply *wait_reply(uint32_t req_id, int timeout_ms, int64_t *at)
{
    int64_t end = now_ms() + timeout_ms;
    pthread_mutex_lock(&got_lock);
    for (;;) {
        for (int i = 0; i < ngot; i++) {
            if (got[i].req_id == req_id) {
                struct flow_reply *r = got[i].reply;
                if (at)
                    *at = got[i].at_ms;
                got[i] = got[--ngot];
                pthread_mutex_unlock(&got_lock);
                return r;
            }
        }
        if (now_ms() >= end)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 20 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&got_cond, &got_lock, &ts);
    }
    pthread_mutex_unlock(&got_lock);
    return NULL;
}

/* Waits until the state log has n entries; returns the last, or -1. */
static int wait_states(int n, int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;
    while (now_ms() < end) {
        pthread_mutex_lock(&got_lock);
        int have = nstates, last = nstates ? states[nstates - 1] : -1;
        pthread_mutex_unlock(&got_lock);
        if (have >= n)
            return last;
        usleep(10000);
    }
    return -1;
}

/* Log lines, checked for personal data at the end. */
static char loglines[256][256];
static int nlog;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void log_capture(enum log_level level, const char *line, void *user)
{
    (void)level;
    (void)user;
    pthread_mutex_lock(&log_lock);
    if (nlog < 256)
        snprintf(loglines[nlog++], sizeof loglines[0], "%s", line);
    pthread_mutex_unlock(&log_lock);
}

static char base_url[64];

static struct backend *start(int total_ms, int retries, int health_ms)
{
    struct backend_config cfg;
    backend_config_default(&cfg);
    cfg.base_url = base_url;
    cfg.kiosk_id = "JZ-03";
    cfg.total_timeout_ms = total_ms;
    cfg.connect_timeout_ms = 500;
    cfg.retries = retries;
    cfg.backoff_ms = 50;
    cfg.health_interval_ms = health_ms;
    return backend_create(&cfg, on_reply, on_state, NULL);
}

#endif
