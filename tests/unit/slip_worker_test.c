/* slip_worker_test.c - the slip worker over the simulated printer: a slip
 * comes out once; paper out before a job and in the middle of one keeps
 * the job, tells the citizen, and after the refill the slip comes out
 * exactly once, the same picture; a later ticket with the same number
 * (numbers start again) prints; staff cancel a slip waiting for paper (it
 * never prints) and reprint it (a new job, printed once however often
 * pressed), and a printed slip is never reprinted; a slip waiting when the
 * visit ends or past its deadline is withdrawn and never prints after the
 * refill; after a restart stale jobs are withdrawn, fresh ones printed. */
#include "base/clock.h"
#include "base/err.h"
#include "check.h"
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/printer.h"
#include "print/slip_compose.h"
#include "print/slip_worker.h"
#include "slip_record.h"
#include "slip_test_util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The n-th PNG the simulated printer kept equals the slip composed from t. */
static void check_png_slip(const char *dir, int n, const struct slip_ticket *t)
{
    char path[512];
    snprintf(path, sizeof path, "%s/slip-%04d.png", dir, n);
    CHECK(access(path, R_OK) == 0);
    struct slip_raster r;
    CHECK_EQ_INT(slip_compose(t, NULL, &r), 0);
    char line[512]; /* the printed QR, read back from the PNG the printer kept */
    slip_test_read_qr(path, line, sizeof line);
    CHECK_EQ_STR(line, t->follow_url);
    slip_raster_fini(&r);
}

int main(void)
{
    char dir[] = "/tmp/slip_worker_test_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char journal[600];
    snprintf(journal, sizeof journal, "%s/journal.sqlite", dir);
    struct printer_sim *sim = printer_sim_create(8 << 20);
    printer_sim_set_png_dir(sim, dir);
    struct slip_worker_config cfg = {.ops = &printer_sim_ops,
                                     .printer = sim,
                                     .journal_path = journal,
                                     .poll_ms = 20,
                                     .confirm_timeout_ms = 500};
    struct slip_worker *w = slip_worker_start(&cfg, rec_done, rec_status, NULL);
    CHECK(w != NULL);

    /* A. one slip */
    struct slip_ticket t;
    slip_test_queue(&t, 1);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 1), 0);
    CHECK(rec_wait(&rec.finals, 1, 5000));
    CHECK_EQ_INT(rec_get(&rec.printed), 1);
    CHECK_EQ_INT(printer_sim_slips(sim), 1);
    check_png_slip(dir, 1, &t);

    /* B. paper out before the job: kept, citizen told, printed after refill */
    printer_sim_set_state(sim, PRINTER_SIM_PAPER_OUT);
    slip_test_queue(&t, 2);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 2), 0);
    CHECK(rec_wait(&rec.waits, 1, 5000));
    CHECK_EQ_INT(rec_get(&rec.last_paper_out), 1);
    usleep(100000);
    CHECK_EQ_INT(rec_get(&rec.finals), 1);
    CHECK_EQ_INT(printer_sim_slips(sim), 1);
    pthread_mutex_lock(&rec.lock);
    CHECK(rec.status_paper_out);
    pthread_mutex_unlock(&rec.lock);
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    CHECK(rec_wait(&rec.finals, 2, 5000));
    CHECK_EQ_INT(rec_get(&rec.printed), 2);
    CHECK_EQ_INT(printer_sim_slips(sim), 2);
    check_png_slip(dir, 2, &t);

    /* C. paper runs out in the middle of the slip */
    printer_sim_set_paper(sim, 300);
    slip_test_queue(&t, 3);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 3), 0);
    CHECK(rec_wait(&rec.waits, 2, 5000));
    usleep(100000);
    CHECK_EQ_INT(rec_get(&rec.finals), 2);
    CHECK_EQ_INT(printer_sim_slips(sim), 2);
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    CHECK(rec_wait(&rec.finals, 3, 5000));
    CHECK_EQ_INT(rec_get(&rec.printed), 3);
    CHECK_EQ_INT(printer_sim_slips(sim), 3);
    check_png_slip(dir, 3, &t); /* the whole slip, once, after the refill */

    /* D. the same number again: a later citizen's ticket (numbers start
     * again each day and after a registry restart) is a slip of its own */
    CHECK_EQ_INT(slip_worker_submit(w, &t, 4), 0);
    CHECK(rec_wait(&rec.finals, 4, 5000));
    CHECK_EQ_INT(rec_get(&rec.printed), 4);
    CHECK_EQ_INT(printer_sim_slips(sim), 4);
    check_png_slip(dir, 4, &t);

    /* E. an appointment slip, cover opened and closed before it */
    printer_sim_set_state(sim, PRINTER_SIM_COVER_OPEN);
    slip_test_appointment(&t, 9);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 5), 0);
    CHECK(rec_wait(&rec.waits, 3, 5000));
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    CHECK(rec_wait(&rec.finals, 5, 5000));
    CHECK_EQ_INT(printer_sim_slips(sim), 5);
    check_png_slip(dir, 5, &t);
    CHECK(rec_get(&rec.statuses) >= 2);

    /* F. staff cancel a slip waiting for paper, then retry it once */
    printer_sim_set_state(sim, PRINTER_SIM_PAPER_OUT);
    slip_test_queue(&t, 12);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 6), 0);
    CHECK(rec_wait(&rec.waits, 4, 5000));
    pthread_mutex_lock(&rec.lock);
    int64_t job = rec.last_job;
    pthread_mutex_unlock(&rec.lock);
    CHECK(job > 0);
    CHECK_EQ_INT(slip_worker_cancel(w, job, 60), 0);
    CHECK(rec_wait(&rec.finals, 7, 5000)); /* the slip's own answer, and the cancel's */
    CHECK_EQ_INT(rec_get(&rec.last_err), 0);
    CHECK_EQ_INT(rec_get(&rec.last_op), SLIP_OP_CANCEL);
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    usleep(300000);
    CHECK_EQ_INT(printer_sim_slips(sim), 5); /* cancelled: not printed when paper is back */
    /* A later ticket C012 printed meanwhile does not stop the reprint. */
    struct slip_ticket later;
    slip_test_queue(&later, 12);
    CHECK_EQ_INT(slip_worker_submit(w, &later, 7), 0);
    CHECK(rec_wait(&rec.finals, 8, 5000));
    CHECK_EQ_INT(printer_sim_slips(sim), 6);
    /* Reprint, pressed twice while the printer waits for paper: one slip. */
    printer_sim_set_state(sim, PRINTER_SIM_PAPER_OUT);
    CHECK_EQ_INT(slip_worker_retry(w, job, 61), 0);
    CHECK_EQ_INT(slip_worker_retry(w, job, 62), 0);
    CHECK(rec_wait(&rec.waits, 5, 5000));
    pthread_mutex_lock(&rec.lock);
    int64_t reprint = rec.last_job;
    pthread_mutex_unlock(&rec.lock);
    CHECK(reprint > 0 && reprint != job); /* a job of its own */
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    CHECK(rec_wait(&rec.finals, 10, 5000));
    usleep(200000);
    CHECK_EQ_INT(printer_sim_slips(sim), 7);
    check_png_slip(dir, 7, &t);
    CHECK_EQ_INT(rec_get(&rec.last_err), ERR_REJECTED); /* the second press: it came out */
    CHECK_EQ_INT(rec_get(&rec.last_op), SLIP_OP_RETRY);
    CHECK_EQ_INT(slip_worker_retry(w, job, 63), 0); /* printed: never again */
    CHECK(rec_wait(&rec.finals, 11, 5000));
    CHECK_EQ_INT(rec_get(&rec.last_err), ERR_REJECTED);
    CHECK_EQ_INT(slip_worker_retry(w, reprint, 64), 0); /* nor from the reprint */
    CHECK(rec_wait(&rec.finals, 12, 5000));
    CHECK_EQ_INT(rec_get(&rec.last_err), ERR_REJECTED);
    CHECK_EQ_INT(slip_worker_cancel(w, reprint, 65), 0);
    CHECK(rec_wait(&rec.finals, 13, 5000));
    CHECK_EQ_INT(rec_get(&rec.last_err), ERR_REJECTED);
    CHECK_EQ_INT(slip_worker_retry(w, 99999, 66), 0);
    CHECK(rec_wait(&rec.finals, 14, 5000));
    CHECK_EQ_INT(rec_get(&rec.last_err), ERR_NOTFOUND);
    CHECK_EQ_INT(slip_worker_retry(w, 0, 67), ERR_INVALID);
    usleep(100000);
    CHECK_EQ_INT(printer_sim_slips(sim), 7);

    /* G. the visit ends while its slip waits for paper: withdrawn, the
     * citizen told; the refill prints nothing for the next person */
    printer_sim_set_state(sim, PRINTER_SIM_PAPER_OUT);
    slip_test_queue(&t, 30);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 8), 0);
    CHECK(rec_wait(&rec.waits, 6, 5000));
    slip_worker_end_visit(w);
    CHECK(rec_wait(&rec.finals, 15, 5000));
    CHECK_EQ_INT(rec_get(&rec.expired), 1);
    CHECK_EQ_INT(rec_get(&rec.last_err), ERR_CANCELLED);
    pthread_mutex_lock(&rec.lock);
    int64_t gone = rec.last_job;
    pthread_mutex_unlock(&rec.lock);
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    usleep(300000);
    CHECK_EQ_INT(printer_sim_slips(sim), 7);
    /* the next visit's slip prints */
    slip_test_queue(&t, 31);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 9), 0);
    CHECK(rec_wait(&rec.finals, 16, 5000));
    CHECK_EQ_INT(printer_sim_slips(sim), 8);
    slip_worker_stop(w);

    /* H. past its deadline while it waits for paper: withdrawn */
    cfg.deadline_s = 1;
    w = slip_worker_start(&cfg, rec_done, rec_status, NULL);
    CHECK(w != NULL);
    printer_sim_set_state(sim, PRINTER_SIM_PAPER_OUT);
    slip_test_queue(&t, 32);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 10), 0);
    CHECK(rec_wait(&rec.finals, 17, 5000));
    CHECK_EQ_INT(rec_get(&rec.expired), 2);
    CHECK_EQ_INT(rec_get(&rec.last_err), ERR_TIMEOUT);
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    usleep(300000);
    CHECK_EQ_INT(printer_sim_slips(sim), 8);
    slip_worker_stop(w);

    /* I. a restart: a slip left waiting long ago is stale (withdrawn, never
     * printed), one left a moment ago prints; staff see both in the journal */
    struct journal *jn = NULL;
    CHECK_EQ_INT(journal_open(journal, &jn), 0);
    char payload[JOURNAL_PAYLOAD_MAX];
    int64_t stale = 0, fresh = 0;
    slip_test_queue(&t, 40);
    CHECK_EQ_INT(slip_ticket_format(&t, payload, sizeof payload), 0);
    CHECK_EQ_INT(journal_add(jn,
                             &(struct journal_new){.kind = JOURNAL_SLIP,
                                                   .uid = "s-stale",
                                                   .key = t.number,
                                                   .payload = payload,
                                                   .deadline = clock_wall_s() - 3600},
                             &stale),
                 0);
    slip_test_queue(&t, 41);
    CHECK_EQ_INT(slip_ticket_format(&t, payload, sizeof payload), 0);
    CHECK_EQ_INT(journal_add(jn,
                             &(struct journal_new){.kind = JOURNAL_SLIP,
                                                   .uid = "s-fresh",
                                                   .key = t.number,
                                                   .payload = payload,
                                                   .deadline = clock_wall_s() + 600},
                             &fresh),
                 0);
    journal_close(jn);
    cfg.deadline_s = 0;
    w = slip_worker_start(&cfg, rec_done, rec_status, NULL);
    CHECK(w != NULL);
    CHECK(rec_wait(&rec.finals, 19, 5000));
    CHECK_EQ_INT(rec_get(&rec.expired), 3);
    CHECK_EQ_INT(printer_sim_slips(sim), 9);
    check_png_slip(dir, 9, &t);
    slip_worker_stop(w);
    CHECK_EQ_INT(journal_open_readonly(journal, &jn), 0);
    struct journal_job *jj = malloc(sizeof *jj);
    CHECK_EQ_INT(journal_get(jn, stale, jj), 0);
    CHECK_EQ_INT(jj->state, JOURNAL_EXPIRED);
    CHECK_EQ_INT(jj->reason, JOURNAL_WHY_DEADLINE);
    CHECK_EQ_INT(jj->attempts, 0);
    CHECK_EQ_INT(journal_get(jn, fresh, jj), 0);
    CHECK_EQ_INT(jj->state, JOURNAL_CONFIRMED);
    CHECK_EQ_INT(journal_get(jn, gone, jj), 0);
    CHECK_EQ_INT(jj->state, JOURNAL_EXPIRED);
    CHECK_EQ_INT(jj->reason, JOURNAL_WHY_VISIT_ENDED);
    free(jj);
    journal_close(jn);

    printer_sim_destroy(sim);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_EQ_INT(system(cmd), 0);
    return check_report("slip_worker_test");
}

/* fontconfig keeps process-wide caches it never frees; not ours to fix.
 * Read by LeakSanitizer only. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
