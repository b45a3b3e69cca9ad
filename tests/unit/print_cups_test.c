/* print_cups_test.c OUT_DIR - certificate delivery through a real CUPS
 * scheduler (started by print_cups.sh with CUPS_SERVER set): the bytes
 * that reach the backend are the bytes we composed; missing and stopped
 * queues map to their errors; the worker prints through CUPS and reports
 * the job id once CUPS says completed. */
#include "base/buf.h"
#include "base/err.h"
#include "check.h"
#include "print/cert_compose.h"
#include "print/print_cups.h"
#include "print/print_worker.h"
#include "print_fixture.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct certificate cert;
static const char *out_dir;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8u << 20;
    char *p = malloc(cap);
    *n = p ? fread(p, 1, cap, f) : 0;
    fclose(f);
    return p;
}

/* The backend writes after CUPS reports completion at the earliest; wait
 * for the file a moment. */
static char *captured(int job, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/job-%d.bin", out_dir, job);
    for (int i = 0; i < 100; i++) {
        char *p = slurp(path, n);
        if (p)
            return p;
        sleep_ms(20);
    }
    return NULL;
}

/* The scheduler (CUPSD_PID, set by print_cups.sh) still runs and answers
 * an IPP request: checked after every job. */
static void check_scheduler_alive(const char *after)
{
    const char *pid = getenv("CUPSD_PID");
    bool alive = pid && kill((pid_t)atoi(pid), 0) == 0 && print_cups_check("Capture") == 0;
    if (!alive)
        fprintf(stderr, "cupsd is gone after %s\n", after);
    CHECK(alive);
}

static void test_direct(const struct buf *pdf)
{
    CHECK_EQ_INT(print_cups_check("Capture"), 0);
    CHECK_EQ_INT(print_cups_check("No_Such_Queue"), ERR_NOTFOUND);
    CHECK_EQ_INT(print_cups_check("Stopped"), ERR_NODEV);
    /* Why, in CUPS's keywords: a queue disabled by staff is paused. */
    char why[64] = "x";
    CHECK_EQ_INT(print_cups_check_why("Stopped", why, sizeof why), ERR_NODEV);
    CHECK(strstr(why, "paused") != NULL);
    CHECK_EQ_INT(print_cups_check_why("Capture", why, sizeof why), 0);
    CHECK_EQ_STR(why, "none");
    CHECK_EQ_INT(print_cups_check_why("Stopped", why, 4), ERR_NODEV);
    CHECK_EQ_STR(why, ""); /* never half a keyword */
    CHECK_EQ_INT(print_cups_check_why("No_Such_Queue", why, sizeof why), ERR_NOTFOUND);
    CHECK_EQ_STR(why, "");

    int job = 0;
    CHECK_EQ_INT(print_cups_submit("Capture", pdf->data, pdf->len, "certificate test", 1, &job), 0);
    CHECK(job > 0);
    enum print_cups_job_state st = PRINT_CUPS_QUEUED;
    for (int i = 0; i < 500 && job > 0; i++) {
        if (print_cups_state("Capture", job, &st) != 0 || st >= PRINT_CUPS_DONE)
            break;
        sleep_ms(20);
    }
    CHECK_EQ_STR(print_cups_state_name(st), "done");
    check_scheduler_alive("a certificate job");
    size_t n = 0;
    char *bytes = captured(job, &n);
    CHECK(bytes != NULL);
    CHECK(bytes && n == pdf->len && memcmp(bytes, pdf->data, n) == 0);
    free(bytes);

    int none = 0;
    CHECK_EQ_INT(print_cups_submit("Stopped", pdf->data, pdf->len, "t", 1, &none), ERR_NODEV);
    CHECK_EQ_INT(print_cups_submit("No_Such_Queue", pdf->data, pdf->len, "t", 1, &none),
                 ERR_NOTFOUND);
    CHECK_EQ_INT(none, 0);
    check_scheduler_alive("jobs refused by their queues");
    CHECK_EQ_INT(print_cups_submit("Capture", pdf->data, pdf->len, "t", 0, &none), ERR_INVALID);
    CHECK_EQ_INT(print_cups_state("Capture", 999999, &st), ERR_NOTFOUND);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct print_result results[6];
static int nresults;

static void on_done(void *user, struct print_result *r)
{
    (void)user;
    pthread_mutex_lock(&lock);
    cert_image_fini(&r->preview);
    if (nresults < 6)
        results[nresults++] = *r;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

static void test_worker(const struct buf *pdf)
{
    struct print_worker_config cfg = {.queue = "Capture", .poll_ms = 20, .job_timeout_ms = 20000};
    struct print_worker *w = print_worker_start(&cfg, on_done, NULL);
    CHECK(w != NULL);
    if (!w)
        return;
    struct print_job compose = {.kind = PRINT_JOB_COMPOSE, .req_id = 10, .cert = &cert};
    struct print_job print = {.kind = PRINT_JOB_PRINT, .req_id = 11, .copies = 2};
    CHECK_EQ_INT(print_worker_submit(w, &compose), 0);
    CHECK_EQ_INT(print_worker_submit(w, &print), 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 60;
    pthread_mutex_lock(&lock);
    while (nresults < 2 && pthread_cond_timedwait(&cond, &lock, &until) == 0)
        ;
    int n = nresults;
    pthread_mutex_unlock(&lock);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK(results[0].req_id == 10 && results[0].err == 0);
        CHECK(results[1].req_id == 11 && results[1].err == 0 && results[1].cups_job_id > 0);
        CHECK_EQ_STR(results[1].path, "");
        size_t len = 0;
        char *bytes = captured(results[1].cups_job_id, &len);
        /* The composition is deterministic: the worker's PDF is the one
         * composed here with the same options. */
        CHECK(bytes && len == pdf->len && memcmp(bytes, pdf->data, len) == 0);
        free(bytes);
    }
    check_scheduler_alive("the worker's two copies");
    print_worker_stop(w);
}

/* Waits for the n-th result. Returns whether it came. */
static bool wait_results(int n)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 20;
    pthread_mutex_lock(&lock);
    while (nresults < n && pthread_cond_timedwait(&cond, &lock, &until) == 0)
        ;
    bool ok = nresults >= n;
    pthread_mutex_unlock(&lock);
    return ok;
}

/* How the A4 printer is, as maintenance mode asks: the queue's state. */
static void test_status(void)
{
    static const struct {
        const char *queue;
        int err;
    } cases[] = {{"Capture", 0},
                 {"Stopped", ERR_NODEV},
                 {"No_Such_Queue", ERR_NOTFOUND},
                 {"", ERR_UNSUPPORTED}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pthread_mutex_lock(&lock);
        nresults = 0;
        pthread_mutex_unlock(&lock);
        struct print_worker_config cfg = {.queue = cases[i].queue, .out_dir = out_dir};
        struct print_worker *w = print_worker_start(&cfg, on_done, NULL);
        CHECK(w != NULL);
        if (!w)
            continue;
        CHECK_EQ_INT(
            print_worker_submit(w, &(struct print_job){.kind = PRINT_JOB_STATUS, .req_id = 20}), 0);
        CHECK(wait_results(1));
        CHECK(results[0].kind == PRINT_JOB_STATUS && results[0].req_id == 20);
        CHECK_EQ_INT(results[0].err, cases[i].err);
        if (cases[i].err == ERR_NODEV)
            CHECK(strstr(results[0].reasons, "paused") != NULL);
        print_worker_stop(w);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || !getenv("CUPS_SERVER")) {
        fprintf(stderr, "usage: CUPS_SERVER=sock %s OUT_DIR (run by print_cups.sh)\n", argv[0]);
        return 2;
    }
    out_dir = argv[1];
    print_fixture_cert(&cert, 3);
    struct buf pdf;
    buf_init(&pdf, 8u << 20);
    CHECK_EQ_INT(cert_render_pdf(&cert, NULL, &pdf, NULL), 0);
    test_direct(&pdf);
    test_worker(&pdf);
    test_status();
    buf_fini(&pdf);
    return check_report("print_cups_test");
}
