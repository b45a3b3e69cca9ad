/* print_worker.c - the print thread; see print_worker.h for the design.
 *
 * The worker owns the composed PDF (a struct buf, wiped on release) and
 * the CUPS connection of its thread. Its inbox is a base/queue of small
 * messages; a COMPOSE message carries a heap copy of the certificate that
 * the worker wipes and frees.
 */
#include "print/print_worker.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/filemap.h"
#include "base/log.h"
#include "base/queue.h"
#include "base/util.h"
#include "print/print_cups.h"
#include "print/print_save.h"
#include "store/journal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INBOX_CAP 8

struct msg {
    enum print_job_kind kind;
    uint32_t req_id;
    bool demo;
    bool test;
    int copies;
    int64_t journal_id;       /* RETRY, CANCEL */
    struct certificate *cert; /* COMPOSE: owned */
};

struct print_worker {
    pthread_t thread;
    struct queue *inbox;
    print_done_fn done;
    void *user;
    atomic_bool stopping;

    /* configuration, copied */
    char queue[128];
    char out_dir[PRINT_PATH_MAX - 160];
    char font_family[128];
    char office_phone[64];
    char office_address[256];
    int preview_width;
    size_t pdf_max;
    int job_timeout_ms;
    int poll_ms;
    int keep_ms;
    int deadline_s;
    char journal_path[PRINT_PATH_MAX];

    /* worker thread only */
    struct journal *journal;

    /* the kept PDF: worker thread only */
    struct buf pdf;
    bool have_pdf;
    int pages;
    char number[40];
    int64_t keep_until;
};

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void forget_pdf(struct print_worker *w)
{
    buf_reset(&w->pdf);
    w->have_pdf = false;
    w->pages = 0;
    w->number[0] = '\0';
}

static void free_msg(struct msg *m)
{
    if (m->cert) {
        explicit_bzero(m->cert, sizeof *m->cert);
        free(m->cert);
        m->cert = NULL;
    }
}

static void do_compose(struct print_worker *w, struct msg *m, struct print_result *r)
{
    struct cert_options o = {
        .demo = m->demo,
        .test = m->test,
        .font_family = w->font_family[0] ? w->font_family : NULL,
        .office_phone = w->office_phone,
        .office_address = w->office_address,
    };
    forget_pdf(w);
    int64_t t0 = clock_mono_ms();
    int pages = 0;
    r->err = cert_render_pdf(m->cert, &o, &w->pdf, &pages);
    if (!r->err)
        r->err = cert_render_preview(m->cert, &o, w->preview_width, &r->preview);
    if (r->err) {
        log_err("print", "composing certificate failed: %s", err_str(r->err));
        forget_pdf(w);
        return;
    }
    w->have_pdf = true;
    w->pages = pages;
    str_copy(w->number, sizeof w->number, m->cert->number);
    r->pages = pages;
    r->pdf_bytes = w->pdf.len;
    log_info("print", "certificate composed: %d page(s), %zu bytes, %lld ms", pages, w->pdf.len,
             (long long)(clock_mono_ms() - t0));
    filemap_release(); /* the glyphs are drawn: their font pages need not stay resident */
}

/* Takes job id off the printer's way when the kiosk stops watching it:
 * on hold, so that it never prints by itself with nobody at the kiosk
 * and staff can still release it (its document stays in the scheduler).
 * A job CUPS will not hold is cancelled instead, unless it completed in
 * the meantime. Returns 1 held, 0 completed after all, -1 cancelled (or
 * the scheduler did not answer). */
static int withdraw(const char *queue, int id)
{
    if (print_cups_hold(queue, id) == 0) {
        log_warn("print", "job %d on %s held for staff", id, queue);
        return 1;
    }
    enum print_cups_job_state st;
    if (print_cups_state(queue, id, &st) == 0 && st == PRINT_CUPS_DONE)
        return 0;
    print_cups_cancel(queue, id);
    log_err("print", "job %d on %s could not be held; cancelled", id, queue);
    return -1;
}

/* Cancels CUPS job id of a certificate whose deadline passed, unless it
 * completed first. Returns 0 when it came out after all, else ERR_TIMEOUT
 * (cancelled, or gone). */
static int expire_cups(const char *queue, int id)
{
    enum print_cups_job_state st;
    int err = print_cups_state(queue, id, &st);
    if (!err && st == PRINT_CUPS_DONE)
        return 0;
    if (err != ERR_NOTFOUND && (err || st != PRINT_CUPS_FAILED)) {
        int c = print_cups_cancel(queue, id);
        if (c && c != ERR_NOTFOUND)
            log_err("print", "job %d on %s past its deadline could not be cancelled: %s", id, queue,
                    err_str(c));
        else
            log_warn("print", "job %d on %s cancelled: past its deadline", id, queue);
    }
    return ERR_TIMEOUT;
}

/* Waits for CUPS to finish job id on queue, at most until the job's
 * deadline (wall clock, seconds; 0 none). Returns 0 when completed;
 * ERR_IO when it failed (aborted, or cancelled at the scheduler); when
 * the job or its queue stopped (ERR_NODEV), the time limit passed
 * (ERR_TIMEOUT) or the worker stops (ERR_CANCELLED), the job is
 * withdrawn (see withdraw) and *held says whether it is on hold; when the
 * deadline passed it is cancelled (ERR_TIMEOUT, *expired true). */
static int wait_cups(struct print_worker *w, const char *queue, int id, int64_t due_s, bool *held,
                     bool *expired)
{
    *held = *expired = false;
    int64_t deadline = clock_mono_ms() + w->job_timeout_ms;
    for (;;) {
        if (due_s > 0 && clock_wall_s() >= due_s) {
            int err = expire_cups(queue, id);
            *expired = err != 0;
            return err;
        }
        enum print_cups_job_state st;
        int err = print_cups_state(queue, id, &st), why = 0;
        if (!err) {
            if (st == PRINT_CUPS_DONE)
                return 0;
            if (st == PRINT_CUPS_FAILED) {
                log_err("print", "job %d on %s failed", id, queue);
                return ERR_IO;
            }
            if (st == PRINT_CUPS_STOPPED) {
                log_err("print", "queue %s stopped with job %d", queue, id);
                why = ERR_NODEV;
            }
        } else {
            log_warn("print", "job %d state unknown: %s", id, err_str(err));
        }
        if (!why && atomic_load(&w->stopping))
            why = ERR_CANCELLED;
        if (!why && clock_mono_ms() >= deadline) {
            log_err("print", "job %d on %s not done in %d ms", id, queue, w->job_timeout_ms);
            why = ERR_TIMEOUT;
        }
        if (why) {
            int wd = withdraw(queue, id);
            *held = wd == 1;
            return wd == 0 ? 0 : why;
        }
        sleep_ms(w->poll_ms);
    }
}

/* The folder file name of a certificate: the number (random, no personal
 * data) with only characters that are safe in a file name. */
static void file_name(const char *number, char *name, size_t size)
{
    size_t n = (size_t)snprintf(name, size, "cert-");
    for (const char *p = number; *p && n + 5 < size; p++) {
        char ch = *p;
        bool ok = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= 'a' && ch <= 'z') || ch == '-' || ch == '_';
        name[n++] = ok ? ch : '_';
    }
    snprintf(name + n, size - n, ".pdf");
}

/* Moves a journal job; a journal that cannot commit is logged once here. */
static void jset(struct print_worker *w, int64_t id, enum journal_state st, int ext_id)
{
    if (w->journal && id > 0 && journal_set(w->journal, id, st, st == JOURNAL_SENDING, ext_id))
        log_err("print", "print journal: cannot record job %lld as %s", (long long)id,
                journal_state_name(st));
}

/* Records job id as withdrawn: its deadline passed before it came out. */
static void jexpire(struct print_worker *w, int64_t id)
{
    if (w->journal && id > 0 &&
        journal_withdraw(w->journal, id, JOURNAL_EXPIRED, JOURNAL_WHY_DEADLINE))
        log_err("print", "print journal: cannot record job %lld as expired", (long long)id);
}

/* The CUPS title of journal job id: the certificate's number and the job,
 * so that a restart finds this job and never an older one of the same
 * number that the scheduler's history still lists. */
static void cups_title(const char *number, int64_t id, char *out, size_t size)
{
    snprintf(out, size, "certificate %s job %lld", number, (long long)id);
}

/* Payload of a certificate job: where it went. No personal data. */
static void payload_of(const char *queue, const char *out_dir, const char *name, int pages,
                       int copies, char *out, size_t size)
{
    if (queue[0])
        snprintf(out, size, "cups=%s\npages=%d\ncopies=%d\n", queue, pages, copies);
    else
        snprintf(out, size, "dir=%s\nfile=%s\n", out_dir, name);
}

static void payload_get(const char *payload, const char *key, char *out, size_t size)
{
    out[0] = '\0';
    size_t kl = strlen(key);
    for (const char *p = payload; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > kl && memcmp(p, key, kl) == 0 && p[kl] == '=') {
            size_t vl = n - kl - 1 < size - 1 ? n - kl - 1 : size - 1;
            memcpy(out, p + kl + 1, vl);
            out[vl] = '\0';
            return;
        }
        p = e ? e + 1 : NULL;
    }
}

/* Reads job id of the journal for a staff action into j (the caller's);
 * sets the result's number. Returns 0, or the error the action answers. */
static int staff_job(struct print_worker *w, int64_t id, struct journal_job *j,
                     struct print_result *r)
{
    r->journal_id = id;
    if (!w->journal)
        return ERR_UNSUPPORTED;
    int rc = journal_get(w->journal, id, j);
    if (rc)
        return rc;
    str_copy(r->number, sizeof r->number, j->key);
    r->cups_job_id = j->ext_id;
    if (j->kind != JOURNAL_CERT)
        return ERR_INVALID;
    if (j->state == JOURNAL_CONFIRMED) {
        /* It came out: never a second copy, whoever asks. */
        r->already = true;
        log_warn("print", "certificate printed already: not printed again");
        return ERR_REJECTED;
    }
    return 0;
}

/* Staff's 重新打印 on a held certificate (and a citizen printing the same
 * certificate again while it is held): the queue checked first (still
 * stopped: answered, the job stays held), then the held CUPS job itself
 * released, so the one document the scheduler keeps prints and no second
 * job is ever made; waited for like a new job. Pages the printer reported
 * done before it stopped are left out (page-ranges) on a one-copy job. */
static void do_retry(struct print_worker *w, int64_t id, struct print_result *r)
{
    struct journal_job *j = malloc(sizeof *j);
    r->err = j ? staff_job(w, id, j, r) : ERR_NOMEM;
    char queue[128] = "", num[16];
    if (!r->err && j->state != JOURNAL_HELD)
        r->err = ERR_INVALID; /* only a held job keeps its document */
    if (!r->err) {
        payload_get(j->payload, "cups", queue, sizeof queue);
        if (!queue[0] || j->ext_id <= 0)
            r->err = ERR_INVALID;
    }
    if (r->err) {
        log_err("print", "certificate not retried: %s", err_str(r->err));
        free(j);
        return;
    }
    int cups_id = j->ext_id;
    int64_t due_s = j->deadline;
    if (due_s > 0 && clock_wall_s() >= due_s) {
        /* The citizen has gone: it is withdrawn, never printed now. */
        free(j);
        r->err = expire_cups(queue, cups_id);
        if (r->err)
            jexpire(w, id);
        else
            jset(w, id, JOURNAL_CONFIRMED, 0);
        log_err("print", "held certificate past its deadline: withdrawn, not retried");
        return;
    }
    payload_get(j->payload, "pages", num, sizeof num);
    int pages = atoi(num);
    payload_get(j->payload, "copies", num, sizeof num);
    int copies = atoi(num);
    free(j);
    r->held = true;
    r->err = print_cups_check(queue);
    if (r->err) {
        log_err("print", "certificate still held: queue %s: %s", queue, err_str(r->err));
        return;
    }
    enum print_cups_job_state st;
    int err = print_cups_state(queue, cups_id, &st);
    if (err == ERR_NOTFOUND || (!err && st == PRINT_CUPS_FAILED)) {
        /* Cancelled or purged at the scheduler: the document is gone. */
        log_err("print", "held job %d is gone from %s; marked failed", cups_id, queue);
        r->held = false;
        r->err = ERR_NOTFOUND;
        jset(w, id, JOURNAL_FAILED, 0);
        return;
    }
    if (!err && st == PRINT_CUPS_DONE) {
        log_info("print", "held job %d was released at the scheduler and came out", cups_id);
        r->held = false;
        jset(w, id, JOURNAL_CONFIRMED, 0);
        return;
    }
    int done = 0;
    if (print_cups_pages_done(queue, cups_id, &done) == 0 && done > 0) {
        if (copies == 1 && done < pages &&
            print_cups_set_pages(queue, cups_id, done + 1, pages) == 0)
            log_info("print", "job %d: pages %d-%d left to print", cups_id, done + 1, pages);
        else
            log_warn("print", "job %d: %d page(s) came out before it stopped; the whole job prints",
                     cups_id, done);
    }
    r->err = print_cups_release(queue, cups_id);
    if (r->err)
        return;
    if (w->journal && journal_set(w->journal, id, JOURNAL_SENT, 1, 0))
        log_err("print", "print journal: cannot record job %lld as sent", (long long)id);
    bool expired;
    r->err = wait_cups(w, queue, cups_id, due_s, &r->held, &expired);
    if (expired)
        jexpire(w, id);
    else
        jset(w, id, r->err ? (r->held ? JOURNAL_HELD : JOURNAL_FAILED) : JOURNAL_CONFIRMED, 0);
    if (r->err)
        log_err("print", "retried certificate not printed: %s", err_str(r->err));
    else
        log_info("print", "retried certificate printed (CUPS job %d)", cups_id);
}

/* Staff's 取消 on a held certificate: its CUPS job cancelled (one already
 * gone is fine), the row failed. A failed row is answered 0 as it is. */
static void do_cancel(struct print_worker *w, int64_t id, struct print_result *r)
{
    struct journal_job *j = malloc(sizeof *j);
    r->err = j ? staff_job(w, id, j, r) : ERR_NOMEM;
    if (!r->err && j->state == JOURNAL_HELD) {
        char queue[128];
        payload_get(j->payload, "cups", queue, sizeof queue);
        int err = queue[0] && j->ext_id > 0 ? print_cups_cancel(queue, j->ext_id) : 0;
        if (err && err != ERR_NOTFOUND)
            r->err = err; /* still held: the scheduler did not take the cancel */
        else
            jset(w, id, JOURNAL_FAILED, 0);
    } else if (!r->err && j->state != JOURNAL_FAILED && j->state != JOURNAL_EXPIRED) {
        r->err = ERR_BUSY; /* the worker has it in hand */
    }
    free(j);
    if (r->err)
        log_err("print", "certificate not cancelled: %s", err_str(r->err));
    else
        log_notice("print", "held certificate cancelled by staff");
}

static void do_print(struct print_worker *w, struct msg *m, struct print_result *r)
{
    r->copies = m->copies;
    if (!w->have_pdf) {
        r->err = ERR_EMPTY;
        log_err("print", "print asked with no composed certificate");
        return;
    }
    r->pages = w->pages;
    r->pdf_bytes = w->pdf.len;
    str_copy(r->number, sizeof r->number, w->number);
    if (!w->queue[0] && !w->out_dir[0]) {
        r->err = ERR_UNSUPPORTED;
        log_err("print", "certificate not delivered: %s", err_str(r->err));
        return;
    }
    char name[64], payload[PRINT_PATH_MAX + 64];
    file_name(w->number, name, sizeof name);
    payload_of(w->queue, w->out_dir, name, w->pages, m->copies, payload, sizeof payload);
    int64_t id = 0, due_s = clock_wall_s() + w->deadline_s;
    if (w->journal) {
        /* Registry certificate numbers are random (60 bits) and never
         * repeat: the number is the job's uid. */
        int jr = journal_add(w->journal,
                             &(struct journal_new){.kind = JOURNAL_CERT,
                                                   .uid = w->number,
                                                   .key = w->number,
                                                   .payload = payload,
                                                   .deadline = due_s},
                             &id);
        if (jr == ERR_BUSY) {
            struct journal_job *j = malloc(sizeof *j);
            enum journal_state st =
                j && journal_get(w->journal, id, j) == 0 ? j->state : JOURNAL_QUEUED;
            if (st == JOURNAL_CONFIRMED)
                r->cups_job_id = j->ext_id;
            free(j);
            if (st == JOURNAL_CONFIRMED) {
                r->already = true;
                log_warn("print", "certificate already printed; not printed again");
                return;
            }
            if (st == JOURNAL_HELD) {
                /* The same certificate again while its job is held: that
                 * job is released (one copy), never a second one made. */
                do_retry(w, id, r);
                r->copies = m->copies;
                return;
            }
        } else if (jr) {
            /* Without its journal row a crash could print it twice or
             * lose it: refuse rather than print blind. */
            r->err = ERR_IO;
            log_err("print", "print journal unusable (%s): certificate not printed", err_str(jr));
            return;
        }
        jset(w, id, JOURNAL_SENDING, 0);
    }
    int64_t t0 = clock_mono_ms();
    if (w->queue[0]) {
        char title[128];
        cups_title(w->number, id, title, sizeof title);
        bool expired = false;
        r->err =
            print_cups_submit(w->queue, w->pdf.data, w->pdf.len, title, m->copies, &r->cups_job_id);
        if (r->err == ERR_NODEV && w->journal) {
            /* The queue is stopped: the job goes in held, for staff to
             * release once the printer runs; the citizen is told now. */
            int err = print_cups_submit_held(w->queue, w->pdf.data, w->pdf.len, title, m->copies,
                                             &r->cups_job_id);
            if (!err) {
                log_warn("print", "queue %s stopped: job %d held for staff", w->queue,
                         r->cups_job_id);
                jset(w, id, JOURNAL_SENT, r->cups_job_id);
                r->held = true;
            }
        } else if (!r->err) {
            jset(w, id, JOURNAL_SENT, r->cups_job_id);
            r->err = wait_cups(w, w->queue, r->cups_job_id, due_s, &r->held, &expired);
        }
        if (expired) {
            r->journal_id = id;
            jexpire(w, id);
            log_err("print", "certificate not delivered by its deadline: withdrawn");
            return;
        }
    } else {
        r->err = print_save(w->out_dir, w->pdf.data, w->pdf.len, name, r->path, sizeof r->path);
    }
    r->journal_id = id;
    jset(w, id, r->err ? (r->held ? JOURNAL_HELD : JOURNAL_FAILED) : JOURNAL_CONFIRMED, 0);
    if (r->err)
        log_err("print", "certificate not delivered: %s", err_str(r->err));
    else
        log_info("print", "certificate delivered (%s, %d cop%s) in %lld ms",
                 w->queue[0] ? "cups" : "folder", m->copies, m->copies == 1 ? "y" : "ies",
                 (long long)(clock_mono_ms() - t0));
}

/* Resolves one job the last run left unfinished; see print_worker.h. */
static void recover_one(struct print_worker *w, const struct journal_job *j)
{
    char queue[128], dir[PRINT_PATH_MAX], name[64];
    payload_get(j->payload, "cups", queue, sizeof queue);
    payload_get(j->payload, "dir", dir, sizeof dir);
    payload_get(j->payload, "file", name, sizeof name);
    int err = ERR_IO;
    int cups_id = j->ext_id;
    bool held = false;
    char path[PRINT_PATH_MAX + 64] = "";
    bool expired = false;
    if (queue[0]) {
        if (cups_id <= 0 && j->state == JOURNAL_SENDING) {
            char title[128];
            cups_title(j->key, j->id, title, sizeof title);
            if (print_cups_find(queue, title, &cups_id) == 0)
                log_info("print", "unfinished certificate found as CUPS job %d", cups_id);
        }
        if (cups_id > 0) {
            jset(w, j->id, JOURNAL_SENT, cups_id);
            /* holds a stopped or stuck job; cancels one past its deadline */
            err = wait_cups(w, queue, cups_id, j->deadline, &held, &expired);
        } else if (j->deadline > 0 && clock_wall_s() >= j->deadline) {
            expired = true; /* never reached the scheduler, and too late now */
            err = ERR_TIMEOUT;
        }
    } else if (dir[0] && name[0]) {
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "rb");
        if (f) {
            fclose(f);
            err = 0; /* renamed into place: the whole file is there */
        } else if (j->deadline > 0 && clock_wall_s() >= j->deadline) {
            expired = true; /* never written, and too late now */
            err = ERR_TIMEOUT;
        }
    }
    if (err == ERR_CANCELLED && !held)
        return; /* stopping, and the scheduler did not answer: the next start resolves it */
    if (expired)
        jexpire(w, j->id);
    else
        jset(w, j->id,
             !err   ? JOURNAL_CONFIRMED
             : held ? JOURNAL_HELD
                    : JOURNAL_FAILED,
             cups_id > 0 ? cups_id : 0);
    if (expired)
        log_err("print", "a certificate from before the restart was past its deadline: withdrawn");
    else if (held)
        log_err("print", "a certificate from before the restart is held: staff retry or cancel it");
    else if (err)
        log_err("print",
                "a certificate from before the restart did not come out (was %s); "
                "staff must reprint it",
                journal_state_name(j->state));
    else
        log_info("print", "a certificate from before the restart came out");
    struct print_result *r = calloc(1, sizeof *r);
    if (!r)
        return;
    r->kind = PRINT_JOB_RECOVERY;
    r->err = err ? err : 0;
    r->held = held;
    r->journal_id = j->id;
    r->cups_job_id = cups_id > 0 ? cups_id : 0;
    str_copy(r->number, sizeof r->number, j->key);
    if (!err && path[0])
        str_copy(r->path, sizeof r->path, path);
    w->done(w->user, r);
    free(r);
}

/* Held certificates (and any left unfinished) past their deadline are
 * withdrawn: cancelled at the scheduler, expired in the journal, so a
 * queue released later never prints them for nobody. */
static void expire_due(struct print_worker *w)
{
    int64_t ids[16];
    int n = w->journal ? journal_due(w->journal, JOURNAL_CERT, clock_wall_s(), ids, 16) : 0;
    struct journal_job *j = n > 0 ? malloc(sizeof *j) : NULL;
    for (int i = 0; j && i < n; i++) {
        if (journal_get(w->journal, ids[i], j))
            continue;
        char queue[128];
        payload_get(j->payload, "cups", queue, sizeof queue);
        int err = queue[0] && j->ext_id > 0 ? expire_cups(queue, j->ext_id) : ERR_TIMEOUT;
        if (err) {
            jexpire(w, j->id);
            log_err("print", "a held certificate passed its deadline: withdrawn");
        } else {
            jset(w, j->id, JOURNAL_CONFIRMED, 0);
        }
    }
    free(j);
}

static void recover(struct print_worker *w)
{
    if (!w->journal_path[0])
        return;
    if (journal_open(w->journal_path, &w->journal)) {
        log_err("print", "no print journal: certificates print without one");
        w->journal = NULL;
        return;
    }
    int64_t ids[32];
    int n = journal_unfinished(w->journal, JOURNAL_CERT, ids, 32);
    struct journal_job *j = malloc(sizeof *j);
    for (int i = 0; j && i < n && !atomic_load(&w->stopping); i++)
        if (journal_get(w->journal, ids[i], j) == 0)
            recover_one(w, j);
    free(j);
    journal_prune(w->journal, clock_wall_s() - 30 * 24 * 3600);
}

static void *worker_main(void *arg)
{
    struct print_worker *w = arg;
    recover(w);
    /* Held jobs' deadlines are checked this often while idle. */
    int sweep_ms = w->poll_ms * 25;
    for (;;) {
        expire_due(w);
        int timeout = w->journal ? sweep_ms : -1;
        if (w->have_pdf) {
            int64_t left = w->keep_until - clock_mono_ms();
            int keep = left < 0 ? 0 : left > 1 << 30 ? 1 << 30 : (int)left;
            timeout = timeout < 0 || keep < timeout ? keep : timeout;
        }
        struct msg m;
        int rc = queue_pop(w->inbox, &m, timeout);
        if (rc == ERR_TIMEOUT || rc == ERR_EMPTY) {
            if (w->have_pdf && clock_mono_ms() >= w->keep_until)
                forget_pdf(w);
            continue;
        }
        if (rc)
            break; /* closed and drained */
        if (atomic_load(&w->stopping)) {
            free_msg(&m);
            continue;
        }
        if (m.kind == PRINT_JOB_PURGE) {
            forget_pdf(w);
            /* between visits: what cairo keeps of this one's certificate
             * (its pages go back with the trim once home is drawn) */
            cert_fonts_release();
            continue;
        }
        struct print_result *r = calloc(1, sizeof *r);
        if (!r) {
            free_msg(&m);
            continue;
        }
        r->kind = m.kind;
        r->req_id = m.req_id;
        if (m.kind == PRINT_JOB_COMPOSE)
            do_compose(w, &m, r);
        else if (m.kind == PRINT_JOB_STATUS)
            r->err = w->queue[0] ? print_cups_check_why(w->queue, r->reasons, sizeof r->reasons)
                                 : ERR_UNSUPPORTED;
        else if (m.kind == PRINT_JOB_RETRY)
            do_retry(w, m.journal_id, r);
        else if (m.kind == PRINT_JOB_CANCEL)
            do_cancel(w, m.journal_id, r);
        else
            do_print(w, &m, r);
        if (m.kind == PRINT_JOB_COMPOSE || m.kind == PRINT_JOB_PRINT) /* uses of the PDF */
            w->keep_until = clock_mono_ms() + w->keep_ms;
        free_msg(&m);
        w->done(w->user, r);
        free(r);
    }
    forget_pdf(w);
    journal_close(w->journal);
    return NULL;
}

struct print_worker *print_worker_start(const struct print_worker_config *cfg, print_done_fn done,
                                        void *user)
{
    if (!cfg || !done)
        return NULL;
    struct print_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->done = done;
    w->user = user;
    atomic_init(&w->stopping, false);
    if ((cfg->queue && !str_copy(w->queue, sizeof w->queue, cfg->queue)) ||
        (cfg->out_dir && !str_copy(w->out_dir, sizeof w->out_dir, cfg->out_dir)) ||
        (cfg->font_family && !str_copy(w->font_family, sizeof w->font_family, cfg->font_family))) {
        log_err("print", "print configuration value too long");
        free(w);
        return NULL;
    }
    if (cfg->journal_path &&
        !str_copy(w->journal_path, sizeof w->journal_path, cfg->journal_path)) {
        log_err("print", "print journal path too long");
        free(w);
        return NULL;
    }
    if (cfg->office_phone)
        str_copy(w->office_phone, sizeof w->office_phone, cfg->office_phone);
    if (cfg->office_address)
        str_copy(w->office_address, sizeof w->office_address, cfg->office_address);
    w->preview_width = cfg->preview_width > 0 ? cfg->preview_width : 360;
    w->pdf_max = cfg->pdf_max ? cfg->pdf_max : 8u << 20;
    w->job_timeout_ms = cfg->job_timeout_ms > 0 ? cfg->job_timeout_ms : 120000;
    w->poll_ms = cfg->poll_ms > 0 ? cfg->poll_ms : 200;
    w->keep_ms = cfg->keep_ms > 0 ? cfg->keep_ms : 600000;
    w->deadline_s = cfg->deadline_s > 0 ? cfg->deadline_s : 600;
    buf_init(&w->pdf, w->pdf_max);
    w->inbox = queue_create(sizeof(struct msg), INBOX_CAP);
    if (!w->inbox)
        goto fail;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
        goto fail;
    pthread_setname_np(w->thread, "print");
    return w;
fail:
    queue_destroy(w->inbox);
    buf_fini(&w->pdf);
    free(w);
    return NULL;
}

int print_worker_submit(struct print_worker *w, const struct print_job *job)
{
    if (!w || !job)
        return ERR_INVALID;
    struct msg m = {.kind = job->kind,
                    .req_id = job->req_id,
                    .demo = job->demo,
                    .test = job->test,
                    .copies = job->copies,
                    .journal_id = job->journal_id};
    switch (job->kind) {
    case PRINT_JOB_COMPOSE:
        if (!job->cert)
            return ERR_INVALID;
        m.cert = malloc(sizeof *m.cert);
        if (!m.cert)
            return ERR_NOMEM;
        memcpy(m.cert, job->cert, sizeof *m.cert);
        break;
    case PRINT_JOB_PRINT:
        if (job->copies < 1 || job->copies > 9)
            return ERR_INVALID;
        break;
    case PRINT_JOB_PURGE:
    case PRINT_JOB_STATUS:
        break;
    case PRINT_JOB_RETRY:
    case PRINT_JOB_CANCEL:
        if (job->journal_id <= 0)
            return ERR_INVALID;
        break;
    default:
        return ERR_INVALID;
    }
    int rc = queue_push(w->inbox, &m, NULL);
    if (rc)
        free_msg(&m);
    return rc;
}

void print_worker_stop(struct print_worker *w)
{
    if (!w)
        return;
    atomic_store(&w->stopping, true);
    queue_close(w->inbox);
    pthread_join(w->thread, NULL);
    queue_destroy(w->inbox);
    buf_fini(&w->pdf);
    free(w);
}
