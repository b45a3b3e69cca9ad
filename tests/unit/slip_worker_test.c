/* slip_worker_test.c - the slip worker over the simulated printer: a slip
 * comes out once; paper out before a job and in the middle of one keeps
 * the job, tells the citizen, and after the refill the slip comes out
 * exactly once, the same picture; a repeated slip is not printed again. */
#include "base/err.h"
#include "check.h"
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/printer.h"
#include "print/slip_compose.h"
#include "print/slip_worker.h"
#include "slip_test_util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int finals, waits, printed;
static int last_paper_out;
static int status_calls;
static bool status_paper_out;

static void on_done(void *user, const struct slip_result *r)
{
    (void)user;
    pthread_mutex_lock(&lock);
    if (r->final) {
        finals++;
        printed += r->outcome == SLIP_PRINTED;
    } else {
        waits++;
        last_paper_out = r->paper_out;
    }
    pthread_mutex_unlock(&lock);
}

static void on_status(void *user, const struct slip_status *s)
{
    (void)user;
    pthread_mutex_lock(&lock);
    status_calls++;
    status_paper_out = s->paper_out;
    pthread_mutex_unlock(&lock);
}

static int get(int *v)
{
    pthread_mutex_lock(&lock);
    int x = *v;
    pthread_mutex_unlock(&lock);
    return x;
}

static bool wait_for(int *v, int want)
{
    for (int i = 0; i < 500; i++) {
        if (get(v) >= want)
            return true;
        usleep(10000);
    }
    return false;
}

/* The n-th PNG the simulated printer kept equals the slip composed from t. */
static void check_png_slip(const char *dir, int n, const struct slip_ticket *t)
{
    char path[512];
    snprintf(path, sizeof path, "%s/slip-%04d.png", dir, n);
    CHECK(access(path, R_OK) == 0);
    struct slip_raster r;
    CHECK_EQ_INT(slip_compose(t, NULL, &r), 0);
    char cmd[700];
    /* zbarimg reads the printed QR back from the PNG the printer kept */
    snprintf(cmd, sizeof cmd, "zbarimg -q --raw %s 2>/dev/null", path);
    FILE *f = popen(cmd, "r");
    char line[512] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        pclose(f);
    }
    line[strcspn(line, "\n")] = '\0';
    if (access("/usr/bin/zbarimg", X_OK) == 0)
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
    struct slip_worker *w = slip_worker_start(&cfg, on_done, on_status, NULL);
    CHECK(w != NULL);

    /* A. one slip */
    struct slip_ticket t;
    slip_test_queue(&t, 1);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 1), 0);
    CHECK(wait_for(&finals, 1));
    CHECK_EQ_INT(get(&printed), 1);
    CHECK_EQ_INT(printer_sim_slips(sim), 1);
    check_png_slip(dir, 1, &t);

    /* B. paper out before the job: kept, citizen told, printed after refill */
    printer_sim_set_state(sim, PRINTER_SIM_PAPER_OUT);
    slip_test_queue(&t, 2);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 2), 0);
    CHECK(wait_for(&waits, 1));
    CHECK_EQ_INT(get(&last_paper_out), 1);
    usleep(100000);
    CHECK_EQ_INT(get(&finals), 1);
    CHECK_EQ_INT(printer_sim_slips(sim), 1);
    pthread_mutex_lock(&lock);
    CHECK(status_paper_out);
    pthread_mutex_unlock(&lock);
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    CHECK(wait_for(&finals, 2));
    CHECK_EQ_INT(get(&printed), 2);
    CHECK_EQ_INT(printer_sim_slips(sim), 2);
    check_png_slip(dir, 2, &t);

    /* C. paper runs out in the middle of the slip */
    printer_sim_set_paper(sim, 300);
    slip_test_queue(&t, 3);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 3), 0);
    CHECK(wait_for(&waits, 2));
    usleep(100000);
    CHECK_EQ_INT(get(&finals), 2);
    CHECK_EQ_INT(printer_sim_slips(sim), 2);
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    CHECK(wait_for(&finals, 3));
    CHECK_EQ_INT(get(&printed), 3);
    CHECK_EQ_INT(printer_sim_slips(sim), 3);
    check_png_slip(dir, 3, &t); /* the whole slip, once, after the refill */

    /* D. the same slip again: already printed, not printed twice */
    CHECK_EQ_INT(slip_worker_submit(w, &t, 4), 0);
    CHECK(wait_for(&finals, 4));
    CHECK_EQ_INT(printer_sim_slips(sim), 3);

    /* E. an appointment slip, cover opened and closed before it */
    printer_sim_set_state(sim, PRINTER_SIM_COVER_OPEN);
    slip_test_appointment(&t, 9);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 5), 0);
    CHECK(wait_for(&waits, 3));
    printer_sim_set_state(sim, PRINTER_SIM_READY);
    CHECK(wait_for(&finals, 5));
    CHECK_EQ_INT(printer_sim_slips(sim), 4);
    check_png_slip(dir, 4, &t);
    CHECK(get(&status_calls) >= 2);

    slip_worker_stop(w);
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
