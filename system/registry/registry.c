/* registry.c - the HTTP side of bdc-registry: routing, kiosk
 * authentication, idempotency, and the table of one handler per endpoint
 * of system/api/README.md (the handlers: registry_sessions.c,
 * registry_certs.c, registry_staff.c ...).
 *
 * A kiosk is its TLS client certificate's CN when the registry serves
 * TLS (registry_tls.c), else the X-Kiosk-Id header from loopback.
 *
 * DESIGN: libmicrohttpd calls access() on one of its pool of threads
 * (epoll), first with no data, then with each chunk of the body, then once
 * more with none; the body collects in a struct buf capped at 1 MiB (wiped
 * when the connection completes, since it may hold a face image; a
 * Content-Length over the cap is refused before the body is read), and the
 * last call dispatches under the registry's lock (one database connection;
 * the health check takes no lock and so never waits behind the database).
 * Slow and greedy clients are held off by the guard (registry_guard.h):
 * a request must arrive whole within 10 s, an address holds at most 32
 * connections, and the pool's threads serve everyone else meanwhile.
 *
 * A write runs through the idempotency table first: a repeat of (kiosk,
 * key) with the same fingerprint gets the stored reply, with another
 * fingerprint a 409; otherwise the handler runs and its reply is stored
 * (unless it is a 5xx, which the kiosk should be free to retry).
 */
#include "registry/registry.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "registry/registry_db.h"
#include "registry/registry_internal.h"
#include "registry/registry_req.h"
#include "registry/registry_services.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define BODY_MAX             (1024 * 1024)
#define IDEMPOTENCY_WINDOW_S (24 * 3600)
#define REQUEST_DEADLINE_MS  10000 /* headers and body, from the connection or last reply */
#define POOL_THREADS         4
#define PER_ADDRESS_MAX      32          /* connections of one client address */
#define HEADERS_MAX          (32 * 1024) /* per connection: request line and headers */
#define GUESS_BURST          10          /* failed verify or link lookups in a row, then ... */
#define GUESS_PERIOD_MS      6000        /* ... one more per 6 s (10 a minute) */

/* ---- request checks ---------------------------------------------------------- */

bool is_loopback(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return false;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
               (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127);
    }
    return false;
}

void client_key(struct MHD_Connection *c, unsigned char out[16])
{
    memset(out, 0, 16);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) {
        out[10] = out[11] = 0xFF;
        memcpy(out + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    }
}

/* FNV-1a 64 over the parts that make two writes "the same request". Not a
 * defence against a hostile kiosk (kiosks are authenticated); it keeps the
 * face image out of the table while still telling bodies apart. */
static void fingerprint(const struct call *c, const char *auth, char out[17])
{
    uint64_t h = 1469598103934665603ull;
    const char *parts[] = {c->method, c->path, auth ? auth : ""};
    for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
        for (const char *p = parts[i]; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ull;
        h = (h ^ 0xFF) * 1099511628211ull;
    }
    for (size_t i = 0; i < c->len; i++)
        h = (h ^ (unsigned char)c->body[i]) * 1099511628211ull;
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* ---- routing ------------------------------------------------------------------ */

typedef void (*handler_fn)(struct call *c, struct reply *r);

static const struct route {
    const char *method;
    const char *path; /* exact, or a prefix when it ends in '/' */
    handler_fn fn;
    bool kiosk; /* X-Kiosk-Id required */
    bool write; /* Idempotency-Key required */
} routes[] = {
    {"GET", "/v1/health", on_health, false, false},
    {"POST", "/v1/sessions", on_session_open, true, true},
    {"DELETE", "/v1/sessions/current", on_session_close, true, true},
    {"GET", "/v1/properties", on_properties, true, false},
    {"POST", "/v1/certificates", on_certificate, true, true},
    {"GET", "/v1/verify/", on_verify, false, false},
    {"POST", "/v1/ratings", on_rating, true, true},
    {"POST", "/v1/tickets", on_ticket, true, true},
    {"GET", "/v1/services", on_services, true, false},
    {"GET", "/v1/notice", on_notice, true, false},
    {"GET", "/v1/calendar", on_calendar, true, false},
    {"GET", "/v1/appointments/slots", on_slots, true, false},
    {"POST", "/v1/appointments", on_book, true, true},
    {"GET", "/v1/appointments", on_appointments, true, false},
    {"DELETE", "/v1/appointments/", on_cancel, true, true},
    {"GET", "/v1/applications", on_applications, true, false},
    {"GET", "/v1/applications/", on_application, true, false},
    {"POST", "/v1/certificates/*/link", on_certificate_link, true, true},
    {"GET", "/e/", on_link_page, false, false},
    {"POST", "/v1/staff/check", on_staff_check, true, false}, /* changes nothing: no key */
    {"POST", "/v1/audit", on_audit, true, true},
    {"GET", "/v1/audit", on_audit_list, false, false},    /* loopback only: see the handler */
    {"POST", "/v1/heartbeat", on_heartbeat, true, false}, /* a repeat is one more report */
    {"GET", "/v1/kiosks/*/settings", on_kiosk_settings, true, false},
    {"PUT", "/v1/kiosks/*/settings", on_kiosk_settings_put, false, false}, /* loopback only */
    {"GET", "/fleet", on_fleet, false, false},                             /* loopback only */
    {"GET", "/fleet/", on_fleet_kiosk, false, false},                      /* loopback only */
};

/* A pattern is exact, a prefix when it ends in '/' (one more segment),
 * or holds one '*' that stands for one segment. */
static bool path_matches(const char *pattern, const char *path)
{
    const char *star = strchr(pattern, '*');
    if (star) {
        size_t pre = (size_t)(star - pattern);
        if (strncmp(path, pattern, pre) != 0 || !path[pre] || path[pre] == '/')
            return false;
        const char *rest = strchr(path + pre, '/');
        return rest && strcmp(rest, star + 1) == 0;
    }
    size_t n = strlen(pattern);
    if (pattern[n - 1] == '/')
        return strncmp(path, pattern, n) == 0 && path[n] && !strchr(path + n, '/');
    return strcmp(pattern, path) == 0;
}

/* Looks up a stored answer. Returns 1 (replayed into r), 0 (none), or a
 * negative error; sets r to a 409 problem on a fingerprint mismatch. */
static int idem_lookup(struct call *c, const char *key, const char *fp, struct reply *r)
{
    struct store_stmt *st = NULL;
    int rc = 0;
    if (store_prepare(c->reg->db,
                      "SELECT fingerprint, status, content_type, body FROM idempotency"
                      " WHERE kiosk = ? AND key = ? AND created_at > ?",
                      &st) != 0)
        return ERR_IO;
    store_bind_text(st, 1, c->kiosk);
    store_bind_text(st, 2, key);
    store_bind_int64(st, 3, clock_wall_s() - IDEMPOTENCY_WINDOW_S);
    if (store_step(st) == STORE_ROW) {
        rc = 1;
        if (strcmp(col(st, 0), fp) != 0) {
            reply_problem(r, PROB_IDEMPOTENCY_CONFLICT,
                          "Idempotency-Key reused with a different request");
        } else {
            const char *ct = col(st, 2);
            int n = store_column_bytes(st, 3);
            r->status = store_column_int(st, 1);
            r->ctype = strcmp(ct, "application/problem+json") == 0 ? "application/problem+json"
                       : strncmp(ct, "text/html", 9) == 0          ? "text/html; charset=utf-8"
                                                                   : "application/json";
            r->len = (size_t)n;
            r->body = n > 0 ? malloc((size_t)n) : NULL;
            if (n > 0 && !r->body)
                rc = ERR_NOMEM;
            else if (n > 0)
                memcpy(r->body, store_column_blob(st, 3), (size_t)n);
        }
    }
    store_finalize(st);
    return rc;
}

static void idem_store(struct call *c, const char *key, const char *fp, const struct reply *r)
{
    struct store_stmt *st = NULL;
    if (store_prepare(
            c->reg->db,
            "INSERT INTO idempotency VALUES(?,?,?,?,?,?,?) ON CONFLICT(kiosk, key) DO UPDATE"
            " SET fingerprint = excluded.fingerprint, status = excluded.status,"
            " content_type = excluded.content_type, body = excluded.body,"
            " created_at = excluded.created_at",
            &st) == 0) {
        store_bind_text(st, 1, c->kiosk);
        store_bind_text(st, 2, key);
        store_bind_text(st, 3, fp);
        store_bind_int(st, 4, r->status);
        store_bind_text(st, 5, r->ctype ? r->ctype : "");
        store_bind_blob(st, 6, r->body ? r->body : "", (int)r->len);
        store_bind_int64(st, 7, clock_wall_s());
        if (store_step(st) != STORE_DONE)
            log_warn("registry", "cannot store an idempotent reply: %s", store_errmsg(c->reg->db));
    }
    store_finalize(st);
}

static void housekeeping(struct registry *reg)
{
    char sql[160];
    long long now = (long long)clock_wall_s();
    snprintf(sql, sizeof sql,
             "DELETE FROM sessions WHERE expires_at <= %lld;"
             "DELETE FROM idempotency WHERE created_at <= %lld;",
             now, now - IDEMPOTENCY_WINDOW_S);
    store_exec(reg->db, sql);
}

/* The kiosk behind a call into c->kiosk: with TLS the verified client
 * certificate's CN only (registry_tls.c), else X-Kiosk-Id from loopback.
 * False with r set to 401 when there is none. */
static bool authenticate(struct call *c, struct reply *r)
{
    if (c->reg->tls) {
        char why[160];
        c->kiosk_by_cert =
            registry_tls_kiosk(c->conn, c->kiosk, sizeof c->kiosk, why, sizeof why) == 0;
        if (!c->kiosk_by_cert) {
            log_info("registry", "a %s without a kiosk: %s", c->method, why);
            reply_problem(r, PROB_UNAUTHENTICATED, why);
        }
        return c->kiosk_by_cert;
    }
    const char *k = header(c->conn, "X-Kiosk-Id");
    if (!k || !registry_req_is_token(k) || !is_loopback(c->conn)) {
        reply_problem(r, PROB_UNAUTHENTICATED,
                      "X-Kiosk-Id missing or malformed, or not from loopback");
        return false;
    }
    return str_copy(c->kiosk, sizeof c->kiosk, k);
}

static void dispatch(struct call *c, bool too_big, struct reply *r)
{
    const struct route *rt = NULL;
    bool path_known = false;
    for (size_t i = 0; i < ARRAY_LEN(routes); i++) {
        if (!path_matches(routes[i].path, c->path))
            continue;
        path_known = true;
        if (strcmp(routes[i].method, c->method) == 0)
            rt = &routes[i];
        else
            r->allow = routes[i].method;
    }
    if (!rt) {
        if (path_known) {
            reply_problem(r, PROB_METHOD_NOT_ALLOWED, "method not allowed on this path");
        } else {
            r->allow = NULL;
            reply_problem(r, PROB_NOT_FOUND, "no such resource");
        }
        return;
    }
    r->allow = NULL;
    if (too_big) {
        reply_problem(r, PROB_PAYLOAD_TOO_LARGE, "request body over 1 MiB");
        return;
    }
    if (rt->kiosk && !authenticate(c, r))
        return;
    if (!rt->write) {
        rt->fn(c, r);
        return;
    }
    const char *key = header(c->conn, "Idempotency-Key");
    if (!key || !registry_req_is_token(key)) {
        reply_problem(r, PROB_BAD_REQUEST, "Idempotency-Key missing or malformed");
        return;
    }
    char fp[17];
    fingerprint(c, header(c->conn, MHD_HTTP_HEADER_AUTHORIZATION), fp);
    int found = idem_lookup(c, key, fp, r);
    if (found < 0) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    if (found)
        return;
    if (rt->fn == on_session_open)
        housekeeping(c->reg);
    rt->fn(c, r);
    if (r->status < 500)
        idem_store(c, key, fp, r);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, const struct reply *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->len, r->body ? r->body : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    if (r->len || r->status != 204)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    if (r->retry_after_s > 0) {
        char s[16];
        snprintf(s, sizeof s, "%d", r->retry_after_s);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, s);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **con_cls)
{
    (void)version;
    struct registry *reg = cls;
    struct request *req = *con_cls;
    if (!req) {
        req = calloc(1, sizeof *req);
        if (!req)
            return MHD_NO;
        buf_init(&req->body, BODY_MAX);
        *con_cls = req;
        /* A declared body over the cap is refused before it is read. */
        const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && (strlen(cl) > 9 || strtol(cl, NULL, 10) > BODY_MAX)) {
            struct reply r = {0};
            reply_problem(&r, PROB_PAYLOAD_TOO_LARGE, "request body over 1 MiB");
            registry_guard_busy(reg->guard, conn);
            enum MHD_Result ret = send_reply(conn, &r);
            reply_fini(&r);
            return ret;
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!req->too_big && buf_append(&req->body, upload, *upload_size) < 0) {
            req->too_big = true;
            buf_reset(&req->body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    struct call c = {.reg = reg,
                     .conn = conn,
                     .method = method,
                     .path = url,
                     .body = (const char *)req->body.data,
                     .len = req->body.len};
    struct reply r = {0};
    registry_guard_busy(reg->guard, conn);
    bool locked = strcmp(url, "/v1/health") != 0;
    if (locked)
        pthread_mutex_lock(&reg->lock);
    dispatch(&c, req->too_big, &r);
    if (locked)
        pthread_mutex_unlock(&reg->lock);
    if (r.status >= 500)
        log_warn("registry", "%s %s -> %d", method,
                 strncmp(url, "/v1/verify/", 11) == 0 ? "/v1/verify/…"
                 : strncmp(url, "/e/", 3) == 0        ? "/e/…"
                                                      : url,
                 r.status);
    enum MHD_Result ret = send_reply(conn, &r);
    reply_fini(&r);
    return ret;
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)code;
    struct registry *reg = cls;
    registry_guard_idle(reg->guard, conn);
    struct request *req = *con_cls;
    if (req) {
        buf_fini(&req->body); /* wipes: the body may have held a face image */
        free(req);
        *con_cls = NULL;
    }
}

/* ---- start / stop --------------------------------------------------------------- */

static int parse_listen(const char *s, struct sockaddr_in *sa, char *host, size_t host_size)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= host_size)
        return ERR_INVALID;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    if (strcmp(host, "localhost") == 0)
        str_copy(host, host_size, "127.0.0.1");
    int port = small_number(colon + 1);
    if (port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return ERR_INVALID;
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

/* As many connections as the process's descriptors allow, keeping some
 * for the database and the rest of the process (the kiosk in demo mode). */
static unsigned connection_limit(void)
{
    struct rlimit rl;
    rlim_t n = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
    n = n > 128 + 64 ? n - 128 : 64;
    return (unsigned)(n < 4096 ? n : 4096);
}

int registry_start(const struct registry_config *cfg, struct registry **out)
{
    *out = NULL;
    struct registry *reg = calloc(1, sizeof *reg);
    if (!reg)
        return ERR_NOMEM;
    reg->ttl_s = cfg->token_ttl_s > 0 ? cfg->token_ttl_s : 900;
    reg->fleet_stale_s = cfg->fleet_stale_s > 0 ? cfg->fleet_stale_s : 180;
    pthread_mutex_init(&reg->lock, NULL);
    struct sockaddr_in sa;
    char host[64];
    int rc = parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:0", &sa, host, sizeof host);
    if (rc < 0) {
        log_err("registry", "listen address must be HOST:PORT (IPv4)");
        goto fail;
    }
    if (!registry_services_available()) {
        rc = ERR_NOTFOUND; /* registry_services.c said why */
        goto fail;
    }
    reg->cal = calloc(1, sizeof *reg->cal);
    if (!reg->cal) {
        rc = ERR_NOMEM;
        goto fail;
    }
    char cal_buf[512], why[200];
    const char *cal_path =
        cfg->calendar ? cfg->calendar : registry_calendar_path(cal_buf, sizeof cal_buf);
    rc = registry_calendar_parse_file(cal_path, reg->cal, why, sizeof why);
    if (rc < 0) {
        log_err("registry", "calendar file %s: %s", cal_path, why);
        rc = rc == ERR_IO ? ERR_NOTFOUND : rc;
        goto fail;
    }
    rc = registry_db_open(cfg->db_path ? cfg->db_path : "./bdc-registry.sqlite", &reg->db);
    if (rc < 0)
        goto fail;
    if (cfg->seed) {
        /* One transaction under the write lock: registries starting
         * together on one database seed it once, whole or not at all. */
        rc = store_begin_immediate(reg->db);
        if (rc == 0)
            rc = registry_db_seed(reg->db);
        if (rc > 0)
            log_info("registry", "seeded %d demo properties", rc);
        if (rc >= 0)
            rc = registry_progress_seed(reg->db, reg->cal, clock_wall_s());
        if (rc >= 0)
            rc = registry_staff_seed(reg->db);
        if (rc >= 0)
            rc = store_commit(reg->db);
        if (rc < 0) {
            store_rollback(reg->db);
            goto fail;
        }
    }
    rc = registry_fleet_catch_up(reg->db);
    if (rc > 0)
        log_info("registry", "status page: %d kiosks from the heartbeats kept", rc);
    if (rc < 0)
        goto fail;
    rc = registry_tls_load(reg, cfg);
    if (rc < 0)
        goto fail;
    reg->tls = reg->tls_flag != 0;
    /* The socket is bound here, before the daemon's thread starts, so the
     * URLs that requests read are written before any request can arrive. */
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    socklen_t salen = sizeof sa;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 1024) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &salen) != 0) {
        log_err("registry", "cannot listen on %s", cfg->listen ? cfg->listen : "127.0.0.1:0");
        if (fd >= 0)
            close(fd);
        rc = ERR_NETWORK;
        goto fail;
    }
    reg->port = ntohs(sa.sin_port);
    /* A wildcard bind is reached on loopback by the kiosk on this machine. */
    snprintf(reg->url, sizeof reg->url, "%s://%s:%d", reg->tls ? "https" : "http",
             strcmp(host, "0.0.0.0") == 0 ? "127.0.0.1" : host, reg->port);
    str_copy(reg->public_url, sizeof reg->public_url,
             cfg->public_url && cfg->public_url[0] ? cfg->public_url : reg->url);
    size_t n = strlen(reg->public_url);
    while (n > 0 && reg->public_url[n - 1] == '/')
        reg->public_url[--n] = '\0';
    /* The pool's threads all accept from it. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    reg->limiter = malloc(sizeof *reg->limiter);
    rc = reg->limiter ? registry_guard_start(REQUEST_DEADLINE_MS, &reg->guard) : ERR_NOMEM;
    if (rc < 0) {
        close(fd);
        goto fail;
    }
    registry_limiter_init(reg->limiter, GUESS_BURST, GUESS_PERIOD_MS);
    /* The daemon owns the listening socket from here and closes it. */
    reg->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG | reg->tls_flag, 0, NULL,
        NULL, access_cb, reg, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_COMPLETED,
        completed_cb, reg, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        /* slow and greedy clients: registry_guard.h */
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS, MHD_OPTION_CONNECTION_LIMIT,
        connection_limit(), MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_ADDRESS_MAX,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADERS_MAX, MHD_OPTION_NOTIFY_CONNECTION,
        registry_guard_notify, reg->guard, MHD_OPTION_ARRAY, reg->tls_opts, MHD_OPTION_END);
    if (!reg->daemon) {
        log_err("registry", "cannot serve on %s", reg->url);
        close(fd);
        rc = ERR_NETWORK;
        goto fail;
    }
    *out = reg;
    return 0;
fail:
    registry_tls_fini(reg);
    registry_guard_stop(reg->guard);
    free(reg->limiter);
    store_close(reg->db);
    free(reg->cal);
    pthread_mutex_destroy(&reg->lock);
    free(reg);
    return rc;
}

int registry_port(const struct registry *r)
{
    return r->port;
}

const char *registry_url(const struct registry *r)
{
    return r->url;
}

void registry_stop(struct registry *r)
{
    if (!r)
        return;
    if (r->daemon)
        MHD_stop_daemon(r->daemon);
    registry_tls_fini(r);
    registry_guard_stop(r->guard);
    free(r->limiter);
    store_close(r->db);
    free(r->cal);
    pthread_mutex_destroy(&r->lock);
    free(r);
}
