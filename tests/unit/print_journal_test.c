/* print_journal_test.c - certificates and the print journal: printed
 * once, never twice, and what a restart does with jobs a kill left.
 *
 * Delivery into a folder (no CUPS needed): a printed certificate is a
 * confirmed journal row; printing the same number again answers
 * "already" and writes nothing; on start the worker resolves unfinished
 * rows (a sending job whose file is in place -> confirmed; one whose file
 * never came -> failed, for staff; a sent CUPS job on a queue nobody
 * answers for -> failed after the time limit) and reports each once.
 * Rows past their deadline are withdrawn, never delivered: a sending job
 * without its file, a sent CUPS job, and a held one (expired while the
 * worker idles), each with the reason. A certificate's journal job is
 * known by its number, its CUPS title by number and job. The slip worker
 * and the print worker open a new journal at the same moment, and both
 * get it.
 * Main thread plus the print worker.
 */
#include "base/err.h"
#include "check.h"
#include "print/print_worker.h"
#include "print_fixture.h"
#include "store/journal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct print_result results[16];
static int nresults;

static void on_done(void *user, struct print_result *r)
{
    (void)user;
    pthread_mutex_lock(&lock);
    if (nresults < 16) {
        results[nresults] = *r;
        results[nresults].preview.data = NULL;
        nresults++;
    }
    cert_image_fini(&r->preview);
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

static int wait_results(int n)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 20;
    pthread_mutex_lock(&lock);
    while (nresults < n && pthread_cond_timedwait(&cond, &lock, &until) == 0)
        ;
    int got = nresults;
    pthread_mutex_unlock(&lock);
    return got;
}

static const struct print_result *find(enum print_job_kind kind, const char *number)
{
    for (int i = 0; i < nresults; i++)
        if (results[i].kind == kind && strcmp(results[i].number, number) == 0)
            return &results[i];
    return NULL;
}

/* The state of the newest job printing key; its reason into *why. */
static int state_of(const char *journal, const char *key, int *why)
{
    struct journal *j = NULL;
    if (journal_open(journal, &j))
        return -1;
    static struct journal_entry rows[32];
    int n = journal_recent(j, JOURNAL_KINDS_ALL, rows, 32), st = -1;
    for (int i = 0; i < n && st < 0; i++)
        if (strcmp(rows[i].key, key) == 0) {
            st = (int)rows[i].state;
            if (why)
                *why = (int)rows[i].reason;
        }
    journal_close(j);
    return st;
}

/* A certificate row as a run before would have left it. */
static int64_t left(struct journal *j, const char *number, const char *payload, int64_t deadline,
                    enum journal_state st, int ext_id)
{
    int64_t id = 0;
    CHECK_EQ_INT(journal_add(j,
                             &(struct journal_new){.kind = JOURNAL_CERT,
                                                   .uid = number,
                                                   .key = number,
                                                   .payload = payload,
                                                   .deadline = deadline},
                             &id),
                 0);
    CHECK_EQ_INT(journal_set(j, id, st, 1, ext_id), 0);
    return id;
}

/* Two workers start at once on a journal that is not there yet. */
struct opener {
    const char *path;
    int rc;
};

static void *open_journal(void *arg)
{
    struct opener *o = arg;
    struct journal *j = NULL;
    o->rc = journal_open(o->path, &j);
    journal_close(j);
    return NULL;
}

static void open_together(const char *dir)
{
    int failed = 0;
    for (int round = 0; round < 200; round++) {
        char path[600];
        snprintf(path, sizeof path, "%s/together-%d.sqlite", dir, round);
        struct opener o[3] = {{path, -1}, {path, -1}, {path, -1}};
        pthread_t t[3];
        for (int i = 0; i < 3; i++)
            CHECK_EQ_INT(pthread_create(&t[i], NULL, open_journal, &o[i]), 0);
        for (int i = 0; i < 3; i++) {
            pthread_join(t[i], NULL);
            failed += o[i].rc != 0;
        }
    }
    CHECK_EQ_INT(failed, 0);
}

int main(void)
{
    char dir[] = "/tmp/print_journal_test_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char journal[600], out[600];
    snprintf(journal, sizeof journal, "%s/journal.sqlite", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", out);
    CHECK_EQ_INT(system(cmd), 0);

    open_together(dir);

    struct certificate cert;
    print_fixture_cert(&cert, 1);

    /* Rows a killed kiosk left behind. */
    struct journal *j = NULL;
    CHECK_EQ_INT(journal_open(journal, &j), 0);
    char payload[800];
    int64_t soon = time(NULL) + 600, past = time(NULL) - 1;
    snprintf(payload, sizeof payload, "dir=%s\nfile=cert-JZCX-AAAA.pdf\n", out);
    left(j, "JZCX-AAAA", payload, soon, JOURNAL_SENDING, 0);
    snprintf(cmd, sizeof cmd, "%s/cert-JZCX-AAAA.pdf", out);
    FILE *f = fopen(cmd, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs("%PDF-1.5\n", f);
        fclose(f);
    }
    snprintf(payload, sizeof payload, "dir=%s\nfile=cert-JZCX-BBBB.pdf\n", out);
    left(j, "JZCX-BBBB", payload, soon, JOURNAL_SENDING, 0);
    left(j, "JZCX-CCCC", "cups=NoSuchQueue\n", soon, JOURNAL_SENT, 7);
    /* Stale: past their deadlines when the kiosk starts again. */
    snprintf(payload, sizeof payload, "dir=%s\nfile=cert-JZCX-DDDD.pdf\n", out);
    left(j, "JZCX-DDDD", payload, past, JOURNAL_SENDING, 0);
    left(j, "JZCX-EEEE", "cups=NoSuchQueue\n", past, JOURNAL_SENT, 8);
    left(j, "JZCX-FFFF", "cups=NoSuchQueue\npages=1\ncopies=1\n", past, JOURNAL_HELD, 9);
    journal_close(j);

    struct print_worker_config cfg = {
        .out_dir = out, .journal_path = journal, .poll_ms = 20, .job_timeout_ms = 300};
    struct print_worker *w = print_worker_start(&cfg, on_done, NULL);
    CHECK(w != NULL);
    CHECK_EQ_INT(wait_results(5), 5);
    pthread_mutex_lock(&lock);
    const struct print_result *ra = find(PRINT_JOB_RECOVERY, "JZCX-AAAA");
    const struct print_result *rb = find(PRINT_JOB_RECOVERY, "JZCX-BBBB");
    const struct print_result *rc = find(PRINT_JOB_RECOVERY, "JZCX-CCCC");
    const struct print_result *rd = find(PRINT_JOB_RECOVERY, "JZCX-DDDD");
    const struct print_result *re = find(PRINT_JOB_RECOVERY, "JZCX-EEEE");
    CHECK(ra && ra->err == 0 && strstr(ra->path, "cert-JZCX-AAAA.pdf"));
    CHECK(rb && rb->err != 0);
    CHECK(rc && rc->err != 0 && rc->cups_job_id == 7);
    CHECK(rd && rd->err == ERR_TIMEOUT);
    CHECK(re && re->err == ERR_TIMEOUT && re->cups_job_id == 8);
    pthread_mutex_unlock(&lock);
    /* The held one past its deadline: withdrawn while the worker idles. */
    for (int i = 0; i < 100 && state_of(journal, "JZCX-FFFF", NULL) != JOURNAL_EXPIRED; i++)
        usleep(20000);
    int why = 0;
    CHECK_EQ_INT(state_of(journal, "JZCX-FFFF", &why), JOURNAL_EXPIRED);
    CHECK_EQ_INT(why, JOURNAL_WHY_DEADLINE);

    /* A new certificate: printed once, confirmed. */
    struct print_job compose = {.kind = PRINT_JOB_COMPOSE, .req_id = 1, .cert = &cert};
    struct print_job print = {.kind = PRINT_JOB_PRINT, .req_id = 2, .copies = 1};
    CHECK_EQ_INT(print_worker_submit(w, &compose), 0);
    CHECK_EQ_INT(print_worker_submit(w, &print), 0);
    CHECK_EQ_INT(wait_results(7), 7);
    pthread_mutex_lock(&lock);
    const struct print_result *p1 = find(PRINT_JOB_PRINT, cert.number);
    CHECK(p1 && p1->err == 0 && !p1->already && p1->path[0]);
    char first[PRINT_PATH_MAX] = "";
    if (p1)
        memcpy(first, p1->path, sizeof first);
    pthread_mutex_unlock(&lock);
    CHECK(access(first, R_OK) == 0);

    /* The same certificate again (a second tap, a resubmitted job): not
     * printed twice. The first file is removed to see that nothing is
     * written again. */
    unlink(first);
    print.req_id = 4;
    compose.req_id = 3;
    CHECK_EQ_INT(print_worker_submit(w, &compose), 0);
    CHECK_EQ_INT(print_worker_submit(w, &print), 0);
    CHECK_EQ_INT(wait_results(9), 9);
    pthread_mutex_lock(&lock);
    CHECK(results[8].req_id == 4 && results[8].err == 0 && results[8].already);
    pthread_mutex_unlock(&lock);
    CHECK(access(first, F_OK) != 0);
    print_worker_stop(w);

    CHECK_EQ_INT(state_of(journal, "JZCX-AAAA", NULL), JOURNAL_CONFIRMED);
    CHECK_EQ_INT(state_of(journal, cert.number, NULL), JOURNAL_CONFIRMED);
    CHECK_EQ_INT(state_of(journal, "JZCX-BBBB", NULL), JOURNAL_FAILED);
    CHECK_EQ_INT(state_of(journal, "JZCX-CCCC", NULL), JOURNAL_FAILED);
    CHECK_EQ_INT(state_of(journal, "JZCX-DDDD", &why), JOURNAL_EXPIRED);
    CHECK_EQ_INT(why, JOURNAL_WHY_DEADLINE);
    CHECK_EQ_INT(state_of(journal, "JZCX-EEEE", &why), JOURNAL_EXPIRED);
    CHECK_EQ_INT(why, JOURNAL_WHY_DEADLINE);

    /* A restart with nothing unfinished reports nothing. */
    nresults = 0;
    w = print_worker_start(&cfg, on_done, NULL);
    usleep(200000);
    print_worker_stop(w);
    CHECK_EQ_INT(nresults, 0);

    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_EQ_INT(system(cmd), 0);
    return check_report("print_journal_test");
}
