/* print_cups_test.c OUT_DIR - certificate delivery through a real CUPS
 * scheduler (started by print_cups.sh with CUPS_SERVER set): the bytes
 * that reach the backend are the bytes we composed; missing and stopped
 * queues map to their errors; the worker prints through CUPS and reports
 * the job id once CUPS says completed; a certificate for a stopped queue
 * is held, retried once (one job's bytes) and never printed twice, and a
 * held one cancelled never prints; a job still printing at the time
 * limit or when the worker stops is held too, and printed once on retry. */
#include "base/buf.h"
#include "base/err.h"
#include "check.h"
#include "print/cert_compose.h"
#include "print/print_cups.h"
#include "print/print_worker.h"
#include "print_fixture.h"
#include "store/journal.h"

#include <dirent.h>

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
static struct print_result results[16];
static int nresults;

static void on_done(void *user, struct print_result *r)
{
    (void)user;
    pthread_mutex_lock(&lock);
    cert_image_fini(&r->preview);
    if (nresults < 16)
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

/* Jobs the capture backend wrote (OUT/job-N.bin): each is one job's pages. */
static int outputs(void)
{
    DIR *d = opendir(out_dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strncmp(e->d_name, "job-", 4) == 0;
    if (d)
        closedir(d);
    return n;
}

static bool output_of(int job)
{
    char path[512];
    snprintf(path, sizeof path, "%s/job-%d.bin", out_dir, job);
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* Runs one job on the worker and returns its result (a copy). */
static struct print_result run(struct print_worker *w, const struct print_job *job)
{
    pthread_mutex_lock(&lock);
    nresults = 0;
    pthread_mutex_unlock(&lock);
    struct print_result r = {.err = 1};
    CHECK_EQ_INT(print_worker_submit(w, job), 0);
    if (wait_results(1))
        r = results[0];
    return r;
}

static enum journal_state row_state(const char *journal, int64_t id, int *attempts)
{
    struct journal *j = NULL;
    struct journal_job *job = malloc(sizeof *job);
    enum journal_state st = (enum journal_state) - 1;
    if (job && journal_open(journal, &j) == 0 && journal_get(j, id, job) == 0) {
        st = job->state;
        if (attempts)
            *attempts = job->attempts;
    }
    journal_close(j);
    free(job);
    return st;
}

static void queue_cmd(const char *cmd)
{
    char line[128];
    snprintf(line, sizeof line, "%s Held", cmd);
    CHECK_EQ_INT(system(line), 0);
}

/* A stuck certificate retried once and printed once: the queue stops, the
 * job is held (not cancelled, not printed when the queue runs again), a
 * retry while it is still stopped says so, a retry after cupsenable
 * prints exactly one job's bytes; a confirmed job is never retried; a
 * held one cancelled never prints; a job still printing at the time
 * limit or when the worker stops is held too, and printed once on retry. */
static void test_held(void)
{
    char journal[600];
    snprintf(journal, sizeof journal, "%s/../journal-held.sqlite", out_dir);
    struct print_worker_config cfg = {
        .queue = "Held", .poll_ms = 20, .job_timeout_ms = 20000, .journal_path = journal};
    struct print_worker *w = print_worker_start(&cfg, on_done, NULL);
    CHECK(w != NULL);
    if (!w)
        return;
    struct certificate c = cert;
    snprintf(c.number, sizeof c.number, "JZCX-HELD-0001");
    queue_cmd("cupsdisable");
    struct print_result r =
        run(w, &(struct print_job){.kind = PRINT_JOB_COMPOSE, .req_id = 30, .cert = &c});
    CHECK_EQ_INT(r.err, 0);
    int before = outputs();
    r = run(w, &(struct print_job){.kind = PRINT_JOB_PRINT, .req_id = 31, .copies = 1});
    CHECK_EQ_INT(r.err, ERR_NODEV); /* the citizen is told it failed */
    CHECK(r.held && r.journal_id > 0 && r.cups_job_id > 0);
    int64_t id = r.journal_id;
    int job = r.cups_job_id;
    CHECK_EQ_INT(row_state(journal, id, NULL), JOURNAL_HELD);
    check_scheduler_alive("a held job");

    r = run(w, &(struct print_job){.kind = PRINT_JOB_RETRY, .req_id = 32, .journal_id = id});
    CHECK_EQ_INT(r.err, ERR_NODEV); /* still stopped: said, still held */
    CHECK(r.held);
    CHECK_EQ_STR(r.number, "JZCX-HELD-0001");
    CHECK_EQ_INT(row_state(journal, id, NULL), JOURNAL_HELD);

    queue_cmd("cupsenable");
    sleep_ms(500);
    CHECK(!output_of(job)); /* held: the queue running again does not print it */
    CHECK_EQ_INT(outputs(), before);

    r = run(w, &(struct print_job){.kind = PRINT_JOB_RETRY, .req_id = 33, .journal_id = id});
    CHECK_EQ_INT(r.err, 0);
    CHECK(!r.held && r.cups_job_id == job);
    size_t len = 0;
    char *bytes = captured(job, &len);
    struct buf pdf;
    buf_init(&pdf, 8u << 20);
    CHECK_EQ_INT(cert_render_pdf(&c, NULL, &pdf, NULL), 0);
    CHECK(bytes && len == pdf.len && memcmp(bytes, pdf.data, len) == 0);
    free(bytes);
    buf_fini(&pdf);
    sleep_ms(300);
    CHECK_EQ_INT(outputs(), before + 1); /* one job's pages, not two */
    int attempts = 0;
    CHECK_EQ_INT(row_state(journal, id, &attempts), JOURNAL_CONFIRMED);
    CHECK_EQ_INT(attempts, 2);
    check_scheduler_alive("a released job");

    /* Confirmed: neither retried nor cancelled, nor printed again. */
    r = run(w, &(struct print_job){.kind = PRINT_JOB_RETRY, .req_id = 34, .journal_id = id});
    CHECK_EQ_INT(r.err, ERR_REJECTED);
    CHECK(r.already);
    r = run(w, &(struct print_job){.kind = PRINT_JOB_CANCEL, .req_id = 35, .journal_id = id});
    CHECK_EQ_INT(r.err, ERR_REJECTED);
    r = run(w, &(struct print_job){.kind = PRINT_JOB_PRINT, .req_id = 36, .copies = 1});
    CHECK(r.err == 0 && r.already);
    sleep_ms(200);
    CHECK_EQ_INT(outputs(), before + 1);

    /* Held, then cancelled by staff: it never prints. */
    snprintf(c.number, sizeof c.number, "JZCX-HELD-0002");
    queue_cmd("cupsdisable");
    r = run(w, &(struct print_job){.kind = PRINT_JOB_COMPOSE, .req_id = 37, .cert = &c});
    CHECK_EQ_INT(r.err, 0);
    r = run(w, &(struct print_job){.kind = PRINT_JOB_PRINT, .req_id = 38, .copies = 1});
    CHECK(r.err == ERR_NODEV && r.held);
    int64_t id2 = r.journal_id;
    int job2 = r.cups_job_id;
    r = run(w, &(struct print_job){.kind = PRINT_JOB_CANCEL, .req_id = 39, .journal_id = id2});
    CHECK_EQ_INT(r.err, 0);
    CHECK_EQ_INT(row_state(journal, id2, NULL), JOURNAL_FAILED);
    r = run(w, &(struct print_job){.kind = PRINT_JOB_RETRY, .req_id = 40, .journal_id = id2});
    CHECK_EQ_INT(r.err, ERR_INVALID); /* the document is gone with the job */
    queue_cmd("cupsenable");
    sleep_ms(500);
    CHECK(!output_of(job2));
    CHECK_EQ_INT(outputs(), before + 1);
    enum print_cups_job_state st = PRINT_CUPS_QUEUED;
    CHECK_EQ_INT(print_cups_state("Held", job2, &st), 0);
    CHECK_EQ_INT(st, PRINT_CUPS_FAILED);

    /* The same certificate printed again by the citizen while held: the
     * held job is released, no second one made. */
    snprintf(c.number, sizeof c.number, "JZCX-HELD-0003");
    queue_cmd("cupsdisable");
    r = run(w, &(struct print_job){.kind = PRINT_JOB_COMPOSE, .req_id = 41, .cert = &c});
    CHECK_EQ_INT(r.err, 0);
    r = run(w, &(struct print_job){.kind = PRINT_JOB_PRINT, .req_id = 42, .copies = 1});
    CHECK(r.err == ERR_NODEV && r.held);
    int job3 = r.cups_job_id;
    queue_cmd("cupsenable");
    r = run(w, &(struct print_job){.kind = PRINT_JOB_PRINT, .req_id = 43, .copies = 1});
    CHECK_EQ_INT(r.err, 0);
    CHECK_EQ_INT(r.cups_job_id, job3);
    CHECK(output_of(job3) || captured(job3, &len) != NULL);
    sleep_ms(300);
    CHECK_EQ_INT(outputs(), before + 2);
    check_scheduler_alive("held jobs retried and cancelled");
    print_worker_stop(w);
}

/* A job still printing when the time limit passes, or when the worker
 * stops, is held, not cancelled: nothing more comes out by itself, and a
 * retry (by the next worker, as after a restart) prints it once. */
static void test_held_printing(void)
{
    char journal[600];
    snprintf(journal, sizeof journal, "%s/../journal-slow.sqlite", out_dir);
    struct certificate c = cert;
    int before = outputs();
    for (int stop = 0; stop < 2; stop++) {
        struct print_worker_config cfg = {.queue = "Slow",
                                          .poll_ms = 20,
                                          .job_timeout_ms = stop ? 20000 : 500,
                                          .journal_path = journal};
        struct print_worker *w = print_worker_start(&cfg, on_done, NULL);
        CHECK(w != NULL);
        if (!w)
            return;
        snprintf(c.number, sizeof c.number, "JZCX-SLOW-000%d", stop);
        struct print_result r =
            run(w, &(struct print_job){.kind = PRINT_JOB_COMPOSE, .req_id = 50, .cert = &c});
        CHECK_EQ_INT(r.err, 0);
        pthread_mutex_lock(&lock);
        nresults = 0;
        pthread_mutex_unlock(&lock);
        CHECK_EQ_INT(
            print_worker_submit(
                w, &(struct print_job){.kind = PRINT_JOB_PRINT, .req_id = 51, .copies = 1}),
            0);
        if (stop) {
            sleep_ms(600); /* printing (the backend takes 2 s): the kiosk stops */
            print_worker_stop(w);
        }
        CHECK(wait_results(1));
        r = results[0];
        CHECK_EQ_INT(r.err, stop ? ERR_CANCELLED : ERR_TIMEOUT);
        CHECK(r.held && r.journal_id > 0 && r.cups_job_id > 0);
        CHECK_EQ_INT(row_state(journal, r.journal_id, NULL), JOURNAL_HELD);
        if (!stop)
            print_worker_stop(w);
        sleep_ms(2500); /* longer than the backend: a job not held would be out */
        CHECK(!output_of(r.cups_job_id));
        CHECK_EQ_INT(outputs(), before);

        /* The next start leaves it held; staff retry it: once. */
        cfg.job_timeout_ms = 20000;
        w = print_worker_start(&cfg, on_done, NULL);
        CHECK(w != NULL);
        if (!w)
            return;
        sleep_ms(200);
        CHECK_EQ_INT(row_state(journal, r.journal_id, NULL), JOURNAL_HELD);
        struct print_result rr = run(
            w,
            &(struct print_job){.kind = PRINT_JOB_RETRY, .req_id = 52, .journal_id = r.journal_id});
        CHECK_EQ_INT(rr.err, 0);
        size_t len = 0;
        char *bytes = captured(r.cups_job_id, &len);
        CHECK(bytes != NULL);
        free(bytes);
        CHECK_EQ_INT(outputs(), ++before);
        CHECK_EQ_INT(row_state(journal, r.journal_id, NULL), JOURNAL_CONFIRMED);
        print_worker_stop(w);
    }
    check_scheduler_alive("jobs held while printing");
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
    test_held();
    test_held_printing();
    buf_fini(&pdf);
    return check_report("print_cups_test");
}
