/* outbox_delivery_test.c - a rating reaches bdc-registry exactly once
 * when the registry's answer is lost on the way back.
 *
 * The registry runs in-process on 127.0.0.1:0 with its database in a file
 * this test reads. Between it and the kiosk's registry client sits a small
 * proxy that forwards each request and, when told to, swallows the answer
 * after the registry has done the work (the connection just closes). The
 * outbox pump delivers through that client:
 *
 *   1. the first attempt's answer is lost: the registry has the rating,
 *      the outbox records a failure and keeps the item;
 *   2. the kiosk restarts (pump and client stopped and started again on
 *      the same outbox file) and delivers again: the same Idempotency-Key,
 *      the registry answers with its first answer (the same rating id) and
 *      still has one rating;
 *   3. a new rating has a new key and is a second rating;
 *   4. one the registry refuses (400) is dropped, not retried;
 *   5. one put while the disk is full (RLIMIT_FSIZE, SIGXFSZ ignored as
 *      the kiosk does) is held in memory, written once the space is back
 *      and delivered once.
 *
 * Threads: the test's, the proxy's, the registry's HTTP thread, the
 * registry client's worker and the pump.
 */
#include "backend/backend.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "core/session.h"
#include "outbox_pump.h"
#include "rating.h"
#include "registry/registry.h"
#include "store/outbox.h"
#include "../unit/check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- the proxy ---- */

#define SEEN_MAX 16

struct proxied {
    char line[96];   /* "POST /v1/ratings HTTP/1.1" */
    char key[80];    /* Idempotency-Key */
    char answer[64]; /* the rating id in the registry's answer */
    bool dropped;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct proxied seen[SEEN_MAX];
static int nseen;
static int drop_next; /* answers of POSTs still to swallow */
static int listen_fd = -1;
static int upstream_port;
static atomic_bool proxy_stop;

/* Reads one request (head and Content-Length body) into buf. Returns its
 * length, or -1. */
static ssize_t read_request(int fd, char *buf, size_t size)
{
    size_t len = 0;
    char *end = NULL;
    while (!end) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n <= 0)
            return -1;
        len += (size_t)n;
        buf[len] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    size_t head = (size_t)(end + 4 - buf), body = 0;
    for (char *h = strstr(buf, "\r\n"); h && h < end; h = strstr(h + 2, "\r\n"))
        if (!strncasecmp(h + 2, "Content-Length:", 15))
            body = (size_t)atol(h + 17);
    while (len < head + body && len < size - 1) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n <= 0)
            return -1;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return (ssize_t)len;
}

/* The value of header name in the head of req, into out. */
static void header(const char *req, const char *name, char *out, size_t size)
{
    out[0] = '\0';
    size_t n = strlen(name);
    for (const char *h = strstr(req, "\r\n"); h; h = strstr(h + 2, "\r\n")) {
        if (h[2] == '\r')
            break;
        if (!strncasecmp(h + 2, name, n) && h[2 + n] == ':') {
            const char *v = h + 3 + n;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r");
            snprintf(out, size, "%.*s", (int)len, v);
            return;
        }
    }
}

/* One request: forwarded with Connection: close, the answer read to the
 * end, then passed on or swallowed. */
static void serve(int client)
{
    static char req[65536], fwd[65600], resp[65536];
    ssize_t n = read_request(client, req, sizeof req);
    if (n < 0)
        return;
    char *eol = strstr(req, "\r\n");
    int flen = snprintf(fwd, sizeof fwd, "%.*s\r\nConnection: close%s", (int)(eol - req), req, eol);
    int up = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)upstream_port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(up, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        write(up, fwd, (size_t)flen) != flen) {
        close(up);
        return;
    }
    size_t rlen = 0;
    ssize_t r;
    while (rlen < sizeof resp - 1 && (r = read(up, resp + rlen, sizeof resp - 1 - rlen)) > 0)
        rlen += (size_t)r;
    resp[rlen] = '\0';
    close(up);

    pthread_mutex_lock(&lock);
    bool post = !strncmp(req, "POST ", 5);
    bool drop = post && drop_next > 0;
    if (drop)
        drop_next--;
    if (post && nseen < SEEN_MAX) {
        struct proxied *s = &seen[nseen++];
        snprintf(s->line, sizeof s->line, "%.*s", (int)(eol - req), req);
        header(req, "Idempotency-Key", s->key, sizeof s->key);
        const char *id = strstr(resp, "\"id\":\"");
        if (id)
            snprintf(s->answer, sizeof s->answer, "%.*s", (int)strcspn(id + 6, "\""), id + 6);
        s->dropped = drop;
    }
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    if (!drop) {
        ssize_t w = write(client, resp, rlen);
        (void)w;
    }
}

static void *proxy_main(void *arg)
{
    (void)arg;
    while (!atomic_load(&proxy_stop)) {
        struct pollfd p = {listen_fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int c = accept(listen_fd, NULL, NULL);
        if (c < 0)
            continue;
        serve(c);
        close(c);
    }
    return NULL;
}

static int proxy_start(pthread_t *t)
{
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (bind(listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(listen_fd, 8) != 0 ||
        getsockname(listen_fd, (struct sockaddr *)&sa, &len) != 0)
        return -1;
    atomic_init(&proxy_stop, false);
    if (pthread_create(t, NULL, proxy_main, NULL) != 0)
        return -1;
    return ntohs(sa.sin_port);
}

/* ---- the kiosk side: client and pump ---- */

struct settled {
    int64_t id;
    enum outbox_verdict v;
};

static struct settled outcomes[16];
static int noutcomes;
static int strange_replies; /* not the pump's, or not a delivery */
static struct outbox_pump *pump;

static void on_settled(void *user, int64_t id, enum outbox_verdict v)
{
    (void)user;
    pthread_mutex_lock(&lock);
    if (noutcomes < 16)
        outcomes[noutcomes++] = (struct settled){id, v};
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

/* The registry client's worker: in the kiosk its answers travel through
 * the UI's bus; here straight to the pump, whose inbox is thread-safe,
 * under the lock that also guards the pump's stop. */
static void on_reply(void *user, uint32_t req_id, struct flow_reply *r)
{
    (void)user;
    pthread_mutex_lock(&lock);
    if (!outbox_pump_owns(req_id) || r->kind != REPLY_DELIVERY)
        strange_replies++;
    outbox_pump_reply(pump, req_id, r);
    pthread_mutex_unlock(&lock);
    backend_reply_free(r);
}

static char proxy_url[64], dir[64], outbox_path[128], registry_db[128];

static struct backend *client;

/* A kiosk start: the registry client and the pump on the outbox file. */
static void kiosk_start(void)
{
    struct backend_config bc;
    backend_config_default(&bc);
    bc.base_url = proxy_url;
    bc.kiosk_id = "JZ-JF-03";
    bc.retries = 0;
    bc.total_timeout_ms = 3000;
    bc.health_interval_ms = 0; /* the test says when the registry is reachable */
    client = backend_create(&bc, on_reply, NULL, NULL);
    CHECK(client != NULL);
    struct outbox_pump_config pc = {
        .path = outbox_path, .backend = client, .on_settled = on_settled};
    struct outbox_pump *p = NULL;
    CHECK_EQ_INT(outbox_pump_start(&pc, &p), 0);
    pthread_mutex_lock(&lock);
    pump = p;
    pthread_mutex_unlock(&lock);
}

static void kiosk_stop(void)
{
    pthread_mutex_lock(&lock);
    struct outbox_pump *p = pump;
    pump = NULL;
    pthread_mutex_unlock(&lock);
    outbox_pump_stop(p);
    backend_destroy(client);
    client = NULL;
}

/* Waits until n outcomes are in (10 s at most); returns how many are. */
static int wait_outcomes(int n)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&lock);
    while (noutcomes < n && pthread_cond_timedwait(&cond, &lock, &until) == 0)
        ;
    int got = noutcomes;
    pthread_mutex_unlock(&lock);
    return got;
}

/* Ratings the registry has stored. */
static int registry_ratings(void)
{
    sqlite3 *db = NULL;
    int n = -1;
    if (sqlite3_open_v2(registry_db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM ratings", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

/* Items still waiting in the outbox (the pump is stopped). */
static int outbox_waiting(void)
{
    struct outbox *o = NULL;
    if (outbox_open(outbox_path, 0, &o) != 0)
        return -1;
    int n = outbox_count(o);
    outbox_close(o);
    return n;
}

/* A visit's rating, built by the kiosk's own code. */
static void put_rating(int level, const char *ticket)
{
    static struct session s;
    session_begin(&s, SERVICE_QUERY, 0);
    strcpy(s.token, "tok-never-sent");
    s.has_ticket = true;
    str_copy(s.ticket.number, sizeof s.ticket.number, ticket);
    struct buf body;
    buf_init(&body, OUTBOX_BODY_MAX - 1);
    CHECK_EQ_INT(rating_format(&s, level, NULL, 0, &body), 0);
    CHECK_EQ_INT(
        outbox_pump_put(pump, OUTBOX_KIND_RATING, "POST", "/v1/ratings", (const char *)body.data),
        0);
    buf_fini(&body);
    session_wipe(&s);
}

static void test_lost_answer(void)
{
    pthread_mutex_lock(&lock);
    drop_next = 1;
    pthread_mutex_unlock(&lock);
    kiosk_start();
    put_rating(4, "C023");
    outbox_pump_set_connected(pump, true);

    /* 1. The registry did the work; its answer never came back. */
    CHECK_EQ_INT(wait_outcomes(1), 1);
    CHECK_EQ_INT(outcomes[0].v, OUTBOX_VERDICT_RETRY);
    CHECK_EQ_INT(registry_ratings(), 1);
    kiosk_stop();
    CHECK_EQ_INT(outbox_waiting(), 1);

    /* 2. After a restart: the same key, the first answer, one rating. */
    kiosk_start();
    outbox_pump_set_connected(pump, true); /* no waiting out the 10 s backoff */
    CHECK_EQ_INT(wait_outcomes(2), 2);
    CHECK_EQ_INT(outcomes[1].v, OUTBOX_VERDICT_DELIVERED);
    CHECK_EQ_INT(outcomes[1].id, outcomes[0].id);
    CHECK_EQ_INT(registry_ratings(), 1);
    pthread_mutex_lock(&lock);
    CHECK_EQ_INT(nseen, 2);
    CHECK_EQ_STR(seen[0].line, "POST /v1/ratings HTTP/1.1");
    CHECK(seen[0].dropped && !seen[1].dropped);
    CHECK_EQ_INT(strlen(seen[0].key), 32);
    CHECK_EQ_STR(seen[1].key, seen[0].key);
    CHECK(seen[0].answer[0] != '\0');
    CHECK_EQ_STR(seen[1].answer, seen[0].answer); /* the registry's first answer */
    pthread_mutex_unlock(&lock);

    /* 3. A new rating is a new key and a second rating. */
    put_rating(5, "C024");
    CHECK_EQ_INT(wait_outcomes(3), 3);
    CHECK_EQ_INT(outcomes[2].v, OUTBOX_VERDICT_DELIVERED);
    CHECK_EQ_INT(registry_ratings(), 2);
    pthread_mutex_lock(&lock);
    CHECK_EQ_INT(nseen, 3);
    CHECK(strcmp(seen[2].key, seen[0].key) != 0);
    CHECK(strcmp(seen[2].answer, seen[0].answer) != 0);
    pthread_mutex_unlock(&lock);

    /* 4. Refused for good (400): dropped, never sent again. */
    CHECK_EQ_INT(outbox_pump_put(pump, OUTBOX_KIND_RATING, "POST", "/v1/ratings",
                                 "{\"level\":9,\"service\":\"query\"}"),
                 0);
    CHECK_EQ_INT(wait_outcomes(4), 4);
    CHECK_EQ_INT(outcomes[3].v, OUTBOX_VERDICT_DROP);
    usleep(200 * 1000);
    kiosk_stop();
    CHECK_EQ_INT(registry_ratings(), 2);
    CHECK_EQ_INT(outbox_waiting(), 0);
    pthread_mutex_lock(&lock);
    CHECK_EQ_INT(nseen, 4);
    CHECK_EQ_INT(strange_replies, 0);
    pthread_mutex_unlock(&lock);
}

/* 5. The disk full when a rating comes: held, then kept and delivered. */
static void test_full_disk(void)
{
    kiosk_start();
    int before = registry_ratings();
    struct rlimit old, tiny;
    getrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_IGN);
    tiny = (struct rlimit){1024, old.rlim_max}; /* the outbox's file is larger */
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    put_rating(3, "C025");
    usleep(300 * 1000); /* the pump has tried the disk */
    setrlimit(RLIMIT_FSIZE, &old);
    outbox_pump_set_connected(pump, true);
    CHECK_EQ_INT(wait_outcomes(5), 5); /* put again within 5 s, then sent */
    CHECK_EQ_INT(outcomes[4].v, OUTBOX_VERDICT_DELIVERED);
    CHECK_EQ_INT(registry_ratings(), before + 1);
    kiosk_stop();
    CHECK_EQ_INT(outbox_waiting(), 0);
}

/* The judge's table: what retries and what is dropped. */
static void test_judge(void)
{
    static const struct {
        int err, status;
        enum outbox_verdict v;
    } rows[] = {
        {0, 201, OUTBOX_VERDICT_DELIVERED},        {0, 200, OUTBOX_VERDICT_DELIVERED},
        {ERR_NETWORK, 0, OUTBOX_VERDICT_RETRY},    {ERR_TIMEOUT, 0, OUTBOX_VERDICT_RETRY},
        {ERR_SERVER, 503, OUTBOX_VERDICT_RETRY},   {ERR_SERVER, 500, OUTBOX_VERDICT_RETRY},
        {ERR_REJECTED, 401, OUTBOX_VERDICT_RETRY}, {ERR_REJECTED, 408, OUTBOX_VERDICT_RETRY},
        {ERR_REJECTED, 429, OUTBOX_VERDICT_RETRY}, {ERR_PROTOCOL, 302, OUTBOX_VERDICT_RETRY},
        {ERR_TOOBIG, 0, OUTBOX_VERDICT_RETRY},     {ERR_REJECTED, 400, OUTBOX_VERDICT_DROP},
        {ERR_REJECTED, 404, OUTBOX_VERDICT_DROP},  {ERR_REJECTED, 409, OUTBOX_VERDICT_DROP},
        {ERR_REJECTED, 413, OUTBOX_VERDICT_DROP},  {ERR_REJECTED, 422, OUTBOX_VERDICT_DROP},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++)
        CHECK_EQ_INT(outbox_pump_judge(rows[i].err, rows[i].status), rows[i].v);
    CHECK(outbox_pump_owns(0x80000001u));
    CHECK(!outbox_pump_owns(1));
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/outbox_delivery_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(outbox_path, sizeof outbox_path, "%s/outbox.sqlite", dir);
    snprintf(registry_db, sizeof registry_db, "%s/registry.sqlite", dir);
    struct registry_config cfg = {.listen = "127.0.0.1:0", .db_path = registry_db, .seed = false};
    struct registry *reg = NULL;
    CHECK_EQ_INT(registry_start(&cfg, &reg), 0);
    pthread_t proxy;
    int port = reg ? proxy_start(&proxy) : -1;
    CHECK(port > 0);
    if (reg && port > 0) {
        upstream_port = registry_port(reg);
        snprintf(proxy_url, sizeof proxy_url, "http://127.0.0.1:%d", port);
        test_judge();
        test_lost_answer();
        test_full_disk();
        atomic_store(&proxy_stop, true);
        pthread_join(proxy, NULL);
    }
    if (listen_fd >= 0)
        close(listen_fd);
    registry_stop(reg);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("outbox_delivery_test");
}
