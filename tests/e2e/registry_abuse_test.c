/* registry_abuse_test.c - bdc-registry (the executable) under abuse on
 * loopback, while a prober asks GET /v1/health from 127.0.0.1 every 20 ms
 * and must be answered within 100 ms every time:
 *
 *   1. slowloris: 500 sockets from 50 other loopback addresses (127.0.2.x)
 *      send a request's headers one byte a second; the registry must cut
 *      each within its 10 s deadline (and the test opens a new one in its
 *      place), while 200 kiosks (one address each, 127.0.1.x) make their
 *      ordinary calls, every one answered 2xx;
 *   2. one address opening 48 connections keeps at most 32;
 *   3. oversized headers and bodies: a 431/413/400 or a closed connection,
 *      never a crash and never a hang;
 *   4. guessing verify codes: 404 ten times, then 429 with Retry-After, for
 *      that address only.
 *
 * Prints its figures (health p50/max per phase, the kiosks' p50/max, the
 * slow sockets' lifetimes). Usage: registry_abuse_test path/to/bdc-registry.
 * Threads: the prober, the slow sockets' loop, one per kiosk, the main one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HEALTH_MAX_MS  100
#define SLOW_SOCKETS   500
#define SLOW_PER_ADDR  10
#define SLOW_PHASE_MS  13000
#define DEADLINE_MS    10000 /* the registry's request deadline */
#define KIOSKS         200
#define KIOSK_CALLS    8
#define KIOSK_PAUSE_MS 500
#define PER_ADDR_TRY   48
#define PER_ADDR_MAX   32
#define GUESS_LIMIT    10
#define MAX_SAMPLES    4096

static int port;
static pid_t registry_pid;
static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "registry_abuse: FAIL ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    failures++;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* A TCP connection to the registry from src (a loopback address), given
 * timeout_ms to connect; -1 on failure. */
static int dial_in(const char *src, int timeout_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, src, &a.sin_addr);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int dial(const char *src)
{
    return dial_in(src, 2000);
}

/* Sends req (len bytes) from src and reads the reply until the server
 * closes, at most timeout_ms in all. Returns the status, 0 when the server
 * closed without a status line, -1 on a failure to connect, -2 on timeout.
 * out (may be NULL) receives the start of the reply. */
static int http_raw(const char *src, const char *req, size_t len, int timeout_ms, char *out,
                    size_t out_size)
{
    int64_t until = now_ms() + timeout_ms;
    int fd = dial(src);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may refuse mid-request: read what it said */
        off += (size_t)n;
    }
    char buf[4096], head[512] = "";
    size_t have = 0;
    int status = -2;
    for (;;) {
        int left = (int)(until - now_ms());
        struct pollfd p = {fd, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            status = 0;
            break;
        }
        size_t take = (size_t)n < sizeof head - 1 - have ? (size_t)n : sizeof head - 1 - have;
        memcpy(head + have, buf, take);
        have += take;
        head[have] = '\0';
    }
    close(fd);
    if (status == 0 && strncmp(head, "HTTP/1.", 7) == 0)
        status = atoi(head + 9);
    if (out) {
        snprintf(out, out_size, "%s", head);
    }
    return status;
}

static int http_get(const char *src, const char *path, const char *extra, int timeout_ms, char *out,
                    size_t out_size)
{
    char req[1024];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n", path,
                     extra ? extra : "");
    return http_raw(src, req, (size_t)n, timeout_ms, out, out_size);
}

static bool registry_alive(void)
{
    return waitpid(registry_pid, NULL, WNOHANG) == 0;
}

/* ---- figures ---------------------------------------------------------------------- */

struct samples {
    pthread_mutex_t lock;
    int n, bad;
    int ms[MAX_SAMPLES];
};

static void sample_add(struct samples *s, int ms, bool ok)
{
    pthread_mutex_lock(&s->lock);
    if (s->n < MAX_SAMPLES)
        s->ms[s->n++] = ms;
    if (!ok)
        s->bad++;
    pthread_mutex_unlock(&s->lock);
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Prints p50/max; returns max. */
static int sample_report(struct samples *s, const char *what)
{
    pthread_mutex_lock(&s->lock);
    qsort(s->ms, (size_t)s->n, sizeof s->ms[0], cmp_int);
    int p50 = s->n ? s->ms[s->n / 2] : -1, max = s->n ? s->ms[s->n - 1] : -1;
    printf("registry_abuse: %-28s %5d answered, %3d failed, p50 %4d ms, max %5d ms\n", what, s->n,
           s->bad, p50, max);
    pthread_mutex_unlock(&s->lock);
    return max;
}

/* ---- the health prober -------------------------------------------------------------- */

enum { PH_QUIET, PH_SLOW, PH_BIG, PH_GUESS, PH_COUNT };
static const char *const phase_name[PH_COUNT] = {"health, quiet", "health, slowloris+kiosks",
                                                 "health, oversized", "health, guessing"};
static atomic_int phase;
static atomic_bool probing = true;
static struct samples health[PH_COUNT];

static void *prober_main(void *arg)
{
    (void)arg;
    while (atomic_load(&probing)) {
        int64_t t0 = now_ms();
        char out[256];
        int st = http_get("127.0.0.1", "/v1/health", NULL, 2000, out, sizeof out);
        int ms = (int)(now_ms() - t0);
        bool ok = st == 200 && strstr(out, "\"status\":\"ok\"") != NULL;
        sample_add(&health[atomic_load(&phase)], ms, ok);
        sleep_ms(20);
    }
    return NULL;
}

/* The whole test's time: a registry that hangs fails it instead of ctest's timeout. */
static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "registry_abuse: FAIL still running after 75 s: the registry hangs "
                              "in phase 0\n";
    char m[sizeof msg];
    memcpy(m, msg, sizeof msg);
    m[sizeof msg - 3] = (char)('0' + atomic_load(&phase));
    ssize_t n = write(2, m, sizeof msg - 1);
    (void)n;
    kill(registry_pid, SIGKILL);
    _exit(1);
}

/* ---- slowloris -------------------------------------------------------------------------- */

static const char slow_head[] = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

struct slow {
    int fd;
    int64_t opened, next;
    size_t sent;
    bool first; /* one of the first 500, not a replacement */
};

static struct slow slow[SLOW_SOCKETS];
static int slow_cut, slow_cut_first, slow_open_fail, slow_longest, slow_first_late;

static void slow_open(int i, bool first)
{
    char src[32];
    snprintf(src, sizeof src, "127.0.2.%d", 1 + i / SLOW_PER_ADDR);
    slow[i].fd = dial_in(src, 200);
    slow[i].opened = now_ms();
    slow[i].next = slow[i].opened + (i * 7) % 1000;
    slow[i].sent = 0;
    slow[i].first = first;
    if (slow[i].fd < 0)
        slow_open_fail++;
}

static void *slowloris_main(void *arg)
{
    (void)arg;
    int64_t end = now_ms() + SLOW_PHASE_MS;
    for (int i = 0; i < SLOW_SOCKETS; i++) {
        if (now_ms() < end) {
            slow_open(i, true);
        } else {
            slow[i].fd = -1;
            slow_open_fail++;
        }
    }
    static struct pollfd p[SLOW_SOCKETS];
    while (now_ms() < end) {
        int64_t t = now_ms();
        for (int i = 0; i < SLOW_SOCKETS; i++) {
            p[i] = (struct pollfd){slow[i].fd, POLLIN, 0};
            if (slow[i].fd >= 0 && t >= slow[i].next) {
                char b = slow[i].sent < sizeof slow_head - 1 ? slow_head[slow[i].sent] : 'a';
                if (send(slow[i].fd, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
                    slow[i].sent++;
                slow[i].next = t + 1000;
            }
        }
        if (poll(p, SLOW_SOCKETS, 50) <= 0)
            continue;
        t = now_ms();
        for (int i = 0; i < SLOW_SOCKETS; i++) {
            if (slow[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char b[512];
            if (recv(slow[i].fd, b, sizeof b, MSG_DONTWAIT) > 0)
                continue; /* whatever it said, the close follows */
            int life = (int)(t - slow[i].opened);
            slow_cut++;
            if (slow[i].first) {
                slow_cut_first++;
                if (life > DEADLINE_MS + 1500)
                    slow_first_late++;
            }
            if (life > slow_longest)
                slow_longest = life;
            close(slow[i].fd);
            slow[i].fd = -1;
            if (t < end)
                slow_open(i, false);
        }
    }
    for (int i = 0; i < SLOW_SOCKETS; i++)
        if (slow[i].fd >= 0)
            close(slow[i].fd);
    return NULL;
}

/* ---- kiosks --------------------------------------------------------------------------------- */

static struct samples kiosk_calls;

static void *kiosk_main(void *arg)
{
    int k = (int)(intptr_t)arg;
    char src[32], kid[32], req[1024], out[256];
    snprintf(src, sizeof src, "127.0.1.%d", 1 + k);
    snprintf(kid, sizeof kid, "AB-%03d", k);
    for (int i = 0; i < KIOSK_CALLS; i++) {
        int n;
        switch (i % 4) {
        case 0:
        case 2: {
            const char *path = i % 4 == 0 ? "/v1/notice" : "/v1/services";
            n = snprintf(req, sizeof req,
                         "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kiosk-Id: %s\r\n"
                         "Connection: close\r\n\r\n",
                         path, kid);
            break;
        }
        case 1:
            n = snprintf(req, sizeof req,
                         "GET /v1/calendar?days=14 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "X-Kiosk-Id: %s\r\nConnection: close\r\n\r\n",
                         kid);
            break;
        default: {
            static const char body[] = "{\"kind\":\"walk_in\",\"service\":\"query\"}";
            n = snprintf(req, sizeof req,
                         "POST /v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kiosk-Id: %s\r\n"
                         "Idempotency-Key: t-%d\r\nContent-Type: application/json\r\n"
                         "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                         kid, i, sizeof body - 1, body);
            break;
        }
        }
        int64_t t0 = now_ms();
        int st = http_raw(src, req, (size_t)n, 2000, out, sizeof out);
        sample_add(&kiosk_calls, (int)(now_ms() - t0), st >= 200 && st < 300);
        if (st < 200 || st >= 300)
            fprintf(stderr, "registry_abuse: kiosk %s call %d: status %d\n", kid, i, st);
        sleep_ms(KIOSK_PAUSE_MS);
    }
    return NULL;
}

/* ---- one address, many connections ----------------------------------------------------------- */

static void per_address(void)
{
    int fd[PER_ADDR_TRY], opened = 0, kept = 0;
    for (int i = 0; i < PER_ADDR_TRY; i++) {
        fd[i] = dial("127.0.3.1");
        opened += fd[i] >= 0;
    }
    sleep_ms(500);
    for (int i = 0; i < PER_ADDR_TRY; i++) {
        if (fd[i] < 0)
            continue;
        struct pollfd p = {fd[i], POLLIN, 0};
        char b;
        bool closed = poll(&p, 1, 0) > 0 && recv(fd[i], &b, 1, MSG_DONTWAIT) <= 0;
        kept += !closed;
        close(fd[i]);
    }
    printf("registry_abuse: one address opened %d connections, the registry kept %d\n", opened,
           kept);
    if (kept > PER_ADDR_MAX)
        fail("one address kept %d connections (at most %d)", kept, PER_ADDR_MAX);
}

/* ---- oversized requests ------------------------------------------------------------------------
 */

static void oversized_one(const char *what, const char *req, size_t len)
{
    char out[256];
    int64_t t0 = now_ms();
    int st = http_raw("127.0.5.1", req, len, 5000, out, sizeof out);
    int ms = (int)(now_ms() - t0);
    printf("registry_abuse: %-36s -> %s%d in %d ms\n", what, st == 0 ? "closed " : "", st, ms);
    if (!(st == 0 || st == 400 || st == 413 || st == 414 || st == 431))
        fail("%s: status %d (want 431, 413, 400 or a close)", what, st);
    if (!registry_alive())
        fail("%s: the registry died", what);
}

static void oversized(void)
{
    size_t cap = 3 * 1024 * 1024;
    char *req = malloc(cap);
    if (!req) {
        fail("out of memory");
        return;
    }
    /* one header of 100 KiB */
    int n = snprintf(req, cap, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");
    memset(req + n, 'a', 100 * 1024);
    n += 100 * 1024;
    n += snprintf(req + n, cap - (size_t)n, "\r\nConnection: close\r\n\r\n");
    oversized_one("a 100 KiB header", req, (size_t)n);
    /* 400 headers of 200 bytes */
    n = snprintf(req, cap, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < 400; i++) {
        n += snprintf(req + n, cap - (size_t)n, "X-H%d: ", i);
        memset(req + n, 'b', 200);
        n += 200;
        n += snprintf(req + n, cap - (size_t)n, "\r\n");
    }
    n += snprintf(req + n, cap - (size_t)n, "Connection: close\r\n\r\n");
    oversized_one("400 headers of 200 bytes", req, (size_t)n);
    /* a 40 KiB request line */
    n = snprintf(req, cap, "GET /v1/health?");
    memset(req + n, 'c', 40 * 1024);
    n += 40 * 1024;
    n += snprintf(req + n, cap - (size_t)n,
                  " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    oversized_one("a 40 KiB request line", req, (size_t)n);
    /* a 2 MiB body, declared and sent */
    const char *post = "POST /v1/ratings HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kiosk-Id: AB-big\r\n"
                       "Idempotency-Key: big-1\r\nContent-Type: application/json\r\n";
    n = snprintf(req, cap, "%sContent-Length: %d\r\nConnection: close\r\n\r\n", post,
                 2 * 1024 * 1024);
    memset(req + n, ' ', 2 * 1024 * 1024);
    n += 2 * 1024 * 1024;
    oversized_one("a 2 MiB body", req, (size_t)n);
    /* a body declared at 10 GB, none sent */
    n = snprintf(req, cap, "%sContent-Length: 10000000000\r\nConnection: close\r\n\r\n", post);
    oversized_one("a body declared at 10 GB", req, (size_t)n);
    /* a 2 MiB body in chunks */
    n = snprintf(req, cap, "%sTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", post);
    for (int i = 0; i < 32; i++) {
        n += snprintf(req + n, cap - (size_t)n, "10000\r\n");
        memset(req + n, ' ', 0x10000);
        n += 0x10000;
        n += snprintf(req + n, cap - (size_t)n, "\r\n");
    }
    n += snprintf(req + n, cap - (size_t)n, "0\r\n\r\n");
    oversized_one("a 2 MiB body in chunks", req, (size_t)n);
    free(req);
    sleep_ms(300); /* the prober's turn in this phase */
}

/* ---- guessing verify codes ----------------------------------------------------------------------
 */

static void guessing(void)
{
    int not_found = 0, limited = 0, retry_after = -1, first_429 = -1;
    char out[512];
    for (int i = 0; i < 3 * GUESS_LIMIT; i++) {
        char path[96];
        snprintf(path, sizeof path, "/v1/verify/JZCX-2345-6789-ABCD?code=ABCD%04d", i);
        int st = http_get("127.0.4.1", path, NULL, 2000, out, sizeof out);
        if (st == 404)
            not_found++;
        else if (st == 429) {
            limited++;
            if (first_429 < 0) {
                first_429 = i;
                const char *h = strstr(out, "\r\nRetry-After: ");
                retry_after = h ? atoi(h + 15) : -1;
            }
        } else {
            fail("guess %d: status %d", i, st);
        }
    }
    printf("registry_abuse: %d guesses at one number: %d answered 404, %d answered 429 "
           "(Retry-After %d s)\n",
           3 * GUESS_LIMIT, not_found, limited, retry_after);
    if (first_429 != GUESS_LIMIT)
        fail("the first 429 came at guess %d (want %d)", first_429, GUESS_LIMIT);
    if (limited != 2 * GUESS_LIMIT)
        fail("%d guesses after the limit were not refused", 2 * GUESS_LIMIT - limited);
    if (retry_after < 1)
        fail("429 without a Retry-After of at least 1 s");
    int st =
        http_get("127.0.4.1", "/e/ABCDEFGHJKLM", "Accept: text/html\r\n", 2000, out, sizeof out);
    if (st != 429)
        fail("the link page after the limit: status %d (want 429)", st);
    st = http_get("127.0.4.2", "/v1/verify/JZCX-2345-6789-ABCD?code=ABCDEFGH", NULL, 2000, out,
                  sizeof out);
    if (st != 404)
        fail("another address was refused too: status %d (want 404)", st);
}

/* ---- the registry
 * -------------------------------------------------------------------------------- */

static int start_registry(const char *bin, const char *log)
{
    int out[2];
    if (pipe(out) != 0)
        return -1;
    registry_pid = fork();
    if (registry_pid < 0)
        return -1;
    if (registry_pid == 0) {
        dup2(out[1], 1);
        FILE *e = freopen(log, "w", stderr);
        (void)e;
        close(out[0]);
        close(out[1]);
        execl(bin, bin, "--listen", "127.0.0.1:0", "--db", ":memory:", "--seed", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    char line[256];
    size_t have = 0;
    while (have < sizeof line - 1) {
        ssize_t n = read(out[0], line + have, 1);
        if (n <= 0 || line[have] == '\n')
            break;
        have++;
    }
    line[have] = '\0';
    close(out[0]);
    const char *colon = strrchr(line, ':');
    if (strncmp(line, "listening on http://127.0.0.1:", 30) != 0 || !colon)
        return -1;
    port = atoi(colon + 1);
    return port > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: registry_abuse_test path/to/bdc-registry\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < SLOW_SOCKETS + KIOSKS + PER_ADDR_TRY + 64) {
        fprintf(stderr,
                "registry_abuse: FAIL the descriptor limit is %lu (need %d): raise ulimit -n\n",
                (unsigned long)rl.rlim_cur, SLOW_SOCKETS + KIOSKS + PER_ADDR_TRY + 64);
        return 1;
    }
    for (int i = 0; i < PH_COUNT; i++)
        pthread_mutex_init(&health[i].lock, NULL);
    pthread_mutex_init(&kiosk_calls.lock, NULL);
    char log[] = "/tmp/registry_abuse_XXXXXX";
    int lfd = mkstemp(log);
    if (lfd < 0 || start_registry(argv[1], log) < 0) {
        fprintf(stderr, "registry_abuse: FAIL cannot start %s\n", argv[1]);
        return 1;
    }
    close(lfd);
    signal(SIGALRM, on_alarm);
    alarm(75);
    int64_t t_start = now_ms();
    pthread_t prober;
    pthread_create(&prober, NULL, prober_main, NULL);
    sleep_ms(1000);

    /* 1. slowloris, and the kiosks meanwhile */
    atomic_store(&phase, PH_SLOW);
    pthread_t slowt, kiosk[KIOSKS];
    pthread_attr_t small;
    pthread_attr_init(&small);
    pthread_attr_setstacksize(&small, 128 * 1024);
    pthread_create(&slowt, NULL, slowloris_main, NULL);
    sleep_ms(1500); /* the slow sockets are all open */
    for (int k = 0; k < KIOSKS; k++)
        pthread_create(&kiosk[k], &small, kiosk_main, (void *)(intptr_t)k);
    for (int k = 0; k < KIOSKS; k++)
        pthread_join(kiosk[k], NULL);
    pthread_join(slowt, NULL);
    printf("registry_abuse: %d slow sockets from %d addresses for %d s: %d failed to open, %d cut "
           "by the registry (%d of the first %d, %d of them after %d ms), longest lived %d ms\n",
           SLOW_SOCKETS, SLOW_SOCKETS / SLOW_PER_ADDR, SLOW_PHASE_MS / 1000, slow_open_fail,
           slow_cut, slow_cut_first, SLOW_SOCKETS, slow_first_late, DEADLINE_MS + 1500,
           slow_longest);
    if (slow_open_fail > 0)
        fail("%d slow sockets could not connect", slow_open_fail);
    if (slow_cut_first < SLOW_SOCKETS || slow_first_late > 0)
        fail("the registry let slow sockets live past its deadline (%d of %d cut, %d late)",
             slow_cut_first, SLOW_SOCKETS, slow_first_late);

    /* 2. one address, many connections */
    per_address();

    /* 3. oversized headers and bodies */
    atomic_store(&phase, PH_BIG);
    oversized();

    /* 4. guessing */
    atomic_store(&phase, PH_GUESS);
    guessing();
    sleep_ms(300);
    atomic_store(&probing, false);
    pthread_join(prober, NULL);

    sample_report(&kiosk_calls, "kiosk calls (200 kiosks)");
    if (kiosk_calls.bad)
        fail("%d kiosk calls were not answered 2xx", kiosk_calls.bad);
    for (int i = 0; i < PH_COUNT; i++) {
        int max = sample_report(&health[i], phase_name[i]);
        if (health[i].bad)
            fail("%s: %d health checks not answered 200", phase_name[i], health[i].bad);
        if (max > HEALTH_MAX_MS)
            fail("%s: a health check took %d ms (at most %d)", phase_name[i], max, HEALTH_MAX_MS);
        if (health[i].n < 5)
            fail("%s: only %d health checks", phase_name[i], health[i].n);
    }
    if (!registry_alive()) {
        fail("the registry died");
    } else {
        kill(registry_pid, SIGTERM);
        int status = 0;
        waitpid(registry_pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fail("the registry did not stop cleanly after SIGTERM (status %d)", status);
    }
    printf("registry_abuse: %d s in all\n", (int)((now_ms() - t_start) / 1000));
    if (failures) {
        fprintf(stderr, "registry_abuse: %d failures; the registry's log: %s\n", failures, log);
        return 1;
    }
    unlink(log);
    printf("registry_abuse: ok\n");
    return 0;
}
