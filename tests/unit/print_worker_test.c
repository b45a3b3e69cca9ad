/* print_worker_test.c - the print thread end to end without a printer:
 * COMPOSE then PRINT into a folder, the order of answers, the kept PDF
 * and its expiry, and refusals. CUPS delivery is in print_cups.sh. */
#include "base/err.h"
#include "check.h"
#include "print/print_worker.h"
#include "print_fixture.h"
#include "print_test_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Answers arrive on the worker thread; the test waits for them here. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct print_result got[16];
static int ngot;

static void on_done(void *user, struct print_result *r)
{
    (void)user;
    pthread_mutex_lock(&lock);
    if (ngot < 16)
        got[ngot++] = *r; /* takes the preview pixels */
    else
        cert_image_fini(&r->preview);
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

/* Waits for the next answer (up to 30 s); returns its slot or NULL. */
static struct print_result *next(int *seen)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 30;
    pthread_mutex_lock(&lock);
    while (ngot <= *seen)
        if (pthread_cond_timedwait(&cond, &lock, &until) != 0)
            break;
    struct print_result *r = ngot > *seen ? &got[(*seen)++] : NULL;
    pthread_mutex_unlock(&lock);
    return r;
}

static void reset(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < ngot; i++)
        cert_image_fini(&got[i].preview);
    ngot = 0;
    pthread_mutex_unlock(&lock);
}

static struct certificate cert;

static void test_folder(const char *dir)
{
    struct print_worker_config cfg = {.out_dir = dir, .preview_width = 300};
    struct print_worker *w = print_worker_start(&cfg, on_done, NULL);
    CHECK(w != NULL);
    if (!w)
        return;
    int seen = 0;
    print_fixture_cert(&cert, 3);
    struct print_job print = {.kind = PRINT_JOB_PRINT, .req_id = 1, .copies = 1};
    CHECK_EQ_INT(print_worker_submit(w, &print), 0); /* nothing composed yet */
    struct print_job compose = {
        .kind = PRINT_JOB_COMPOSE, .req_id = 2, .cert = &cert, .demo = true};
    CHECK_EQ_INT(print_worker_submit(w, &compose), 0);
    memset(&cert, 0, sizeof cert); /* the worker has its own copy */
    print.req_id = 3;
    print.copies = 2;
    CHECK_EQ_INT(print_worker_submit(w, &print), 0);

    struct print_result *r = next(&seen);
    CHECK(r && r->req_id == 1 && r->kind == PRINT_JOB_PRINT && r->err == ERR_EMPTY);
    r = next(&seen);
    CHECK(r && r->req_id == 2 && r->kind == PRINT_JOB_COMPOSE && r->err == 0);
    if (r) {
        CHECK_EQ_INT(r->pages, 1);
        CHECK(r->pdf_bytes > 1000);
        CHECK(r->preview.w == 300 && r->preview.h == 424 && r->preview.data != NULL);
    }
    r = next(&seen);
    CHECK(r && r->req_id == 3 && r->err == 0 && r->copies == 2 && r->cups_job_id == 0);
    if (r && !r->err) {
        char want[600];
        snprintf(want, sizeof want, "%s/cert-JZCX-7Q4M-9K2T-XW3P.pdf", dir);
        CHECK_EQ_STR(r->path, want);
        char *t = ptu_run("pdftotext -q -enc UTF-8 '%s' -", r->path);
        CHECK(t && strstr(t, "样张") && strstr(t, "JZCX-7Q4M-9K2T-XW3P"));
        free(t);
    }

    /* A reprint needs no new composition; a purge forgets the PDF. */
    print.req_id = 4;
    CHECK_EQ_INT(print_worker_submit(w, &print), 0);
    struct print_job purge = {.kind = PRINT_JOB_PURGE, .req_id = 5};
    CHECK_EQ_INT(print_worker_submit(w, &purge), 0);
    print.req_id = 6;
    CHECK_EQ_INT(print_worker_submit(w, &print), 0);
    r = next(&seen);
    CHECK(r && r->req_id == 4 && r->err == 0);
    r = next(&seen);
    CHECK(r && r->req_id == 6 && r->err == ERR_EMPTY); /* the purge gave no answer */

    /* A certificate that cannot be printed: an error, and nothing kept. */
    print_fixture_cert(&cert, 3);
    cert.verify_url[0] = '\0';
    compose.req_id = 7;
    CHECK_EQ_INT(print_worker_submit(w, &compose), 0);
    print.req_id = 8;
    CHECK_EQ_INT(print_worker_submit(w, &print), 0);
    r = next(&seen);
    CHECK(r && r->req_id == 7 && r->err == ERR_INVALID && r->preview.data == NULL);
    r = next(&seen);
    CHECK(r && r->req_id == 8 && r->err == ERR_EMPTY);

    /* Refused at the door. */
    struct print_job bad = {.kind = PRINT_JOB_PRINT, .copies = 0};
    CHECK_EQ_INT(print_worker_submit(w, &bad), ERR_INVALID);
    bad.copies = 10;
    CHECK_EQ_INT(print_worker_submit(w, &bad), ERR_INVALID);
    bad = (struct print_job){.kind = PRINT_JOB_COMPOSE};
    CHECK_EQ_INT(print_worker_submit(w, &bad), ERR_INVALID);
    bad = (struct print_job){.kind = (enum print_job_kind)42};
    CHECK_EQ_INT(print_worker_submit(w, &bad), ERR_INVALID);
    print_worker_stop(w);
    reset();
}

static void test_keep_expiry(const char *dir)
{
    struct print_worker_config cfg = {.out_dir = dir, .keep_ms = 50};
    struct print_worker *w = print_worker_start(&cfg, on_done, NULL);
    CHECK(w != NULL);
    if (!w)
        return;
    int seen = 0;
    print_fixture_cert(&cert, 1);
    struct print_job compose = {.kind = PRINT_JOB_COMPOSE, .req_id = 1, .cert = &cert};
    CHECK_EQ_INT(print_worker_submit(w, &compose), 0);
    struct print_result *r = next(&seen);
    CHECK(r && r->err == 0);
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
    struct print_job print = {.kind = PRINT_JOB_PRINT, .req_id = 2, .copies = 1};
    CHECK_EQ_INT(print_worker_submit(w, &print), 0);
    r = next(&seen);
    CHECK(r && r->req_id == 2 && r->err == ERR_EMPTY); /* wiped while idle */
    print_worker_stop(w);
    reset();
}

/* A certificate composes, and printing it gives want. */
static void expect_print_error(const struct print_worker_config *cfg, int records, int want)
{
    struct print_worker *w = print_worker_start(cfg, on_done, NULL);
    CHECK(w != NULL);
    if (!w)
        return;
    int seen = 0;
    print_fixture_cert(&cert, records);
    struct print_job compose = {.kind = PRINT_JOB_COMPOSE, .req_id = 1, .cert = &cert};
    struct print_job print = {.kind = PRINT_JOB_PRINT, .req_id = 2, .copies = 1};
    CHECK_EQ_INT(print_worker_submit(w, &compose), 0);
    CHECK_EQ_INT(print_worker_submit(w, &print), 0);
    struct print_result *r = next(&seen);
    CHECK(r && r->err == 0);
    r = next(&seen);
    CHECK(r && r->req_id == 2);
    if (r)
        CHECK_EQ_INT(r->err, want);
    print_worker_stop(w);
    reset();
}

/* Neither a folder nor a queue configured: nothing to print to. */
static void test_no_destination(void)
{
    struct print_worker_config cfg = {0};
    expect_print_error(&cfg, 0, ERR_UNSUPPORTED);
}

/* A configured queue on a scheduler that is not there. */
static void test_cups_unreachable(void)
{
    char sock[300];
    snprintf(sock, sizeof sock, "%s/no-cupsd.sock", ptu_scratch());
    setenv("CUPS_SERVER", sock, 1);
    struct print_worker_config cfg = {.queue = "Kiosk_A4"};
    expect_print_error(&cfg, 1, ERR_NETWORK);
    unsetenv("CUPS_SERVER");
}

static void test_stop_with_backlog(const char *dir)
{
    struct print_worker_config cfg = {.out_dir = dir};
    struct print_worker *w = print_worker_start(&cfg, on_done, NULL);
    CHECK(w != NULL);
    if (!w)
        return;
    print_fixture_cert(&cert, 3);
    struct print_job compose = {.kind = PRINT_JOB_COMPOSE, .cert = &cert};
    int accepted = 0, full = 0;
    for (int i = 0; i < 12; i++) {
        compose.req_id = (uint32_t)i;
        int rc = print_worker_submit(w, &compose);
        accepted += rc == 0;
        full += rc == ERR_FULL;
    }
    CHECK(accepted >= 8 && accepted + full == 12);
    print_worker_stop(w);
    pthread_mutex_lock(&lock);
    CHECK(ngot < accepted); /* the backlog was dropped */
    pthread_mutex_unlock(&lock);
    reset();
    CHECK(print_worker_start(NULL, on_done, NULL) == NULL);
    print_worker_stop(NULL);
}

int main(void)
{
    char dir[300];
    snprintf(dir, sizeof dir, "%s/out", ptu_scratch());
    if (mkdir(dir, 0750) != 0) {
        perror("mkdir");
        return 1;
    }
    test_folder(dir);
    test_keep_expiry(dir);
    test_no_destination();
    test_cups_unreachable();
    test_stop_with_backlog(dir);
    ptu_cleanup();
    return check_report("print_worker_test");
}
