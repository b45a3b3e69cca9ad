/* slip_crash_test.c - a kiosk killed (SIGKILL) between journal states and
 * restarted prints each slip exactly once.
 *
 * The printer is this process: a pty whose far end the kiosk opens as its
 * /dev/usb/lp-style device (printer_lp). Here the bytes are decoded into
 * slips (escpos_decoder), DLE EOT queries answered "all clear" and GS r job
 * markers answered when reached, like a real printer processing its
 * buffer. The kiosk is a forked child running the slip worker on a journal
 * file; it is killed in the middle of a raster band, right after a cut
 * before the marker is answered, and later in the run, then restarted on
 * the same journal. At the end every queue number must appear on exactly
 * one decoded slip identical to the composed one; torn stubs may exist
 * only as slips marked void. */
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "check.h"
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/printer_lp.h"
#include "print/slip_compose.h"
#include "print/slip_worker.h"
#include "slip_test_util.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define SLIPS 4

static int child_finals;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void on_done(void *user, const struct slip_result *r)
{
    (void)user;
    pthread_mutex_lock(&lock);
    if (r->final)
        child_finals++;
    pthread_mutex_unlock(&lock);
}

/* The kiosk: resume, submit every slip under its own uid (the journal
 * makes that idempotent), wait for all to finish, exit 0. */
static void kiosk(const char *tty, const char *journal)
{
    struct printer_lp *lp = printer_lp_create(tty);
    struct slip_worker_config cfg = {.ops = &printer_lp_ops,
                                     .printer = lp,
                                     .journal_path = journal,
                                     .poll_ms = 20,
                                     .confirm_timeout_ms = 400,
                                     .band_rows = 64};
    struct slip_worker *w = slip_worker_start(&cfg, on_done, NULL, NULL);
    if (!w)
        _exit(3);
    for (int i = 0; i < SLIPS; i++) {
        struct slip_ticket t;
        slip_test_queue(&t, 101 + i);
        char uid[24]; /* the same slip each run: its own key, not its number */
        snprintf(uid, sizeof uid, "crash-%d", i);
        slip_worker_submit_uid(w, &t, uid, (uint32_t)i + 1);
    }
    for (int k = 0; k < 3000; k++) {
        pthread_mutex_lock(&lock);
        int n = child_finals;
        pthread_mutex_unlock(&lock);
        if (n >= SLIPS)
            break;
        usleep(5000);
    }
    slip_worker_stop(w);
    printer_lp_destroy(lp);
    _exit(0);
}

struct paper {
    struct escpos_page pages[64];
    int n;
};

static void on_cut(void *user, struct escpos_page *p)
{
    struct paper *pp = user;
    if (pp->n < 64) {
        pp->pages[pp->n++] = *p;
        p->bits = NULL;
    }
}

int main(void)
{
    log_set_level(LOG_LEVEL_INFO);
    char dir[] = "/tmp/slip_crash_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char journal[600];
    snprintf(journal, sizeof journal, "%s/journal.sqlite", dir);
    int master, slave;
    char tty[128];
    if (openpty(&master, &slave, tty, NULL, NULL) != 0) {
        perror("openpty"); /* the test needs a pty: without one it cannot pass */
        return 1;
    }
    struct termios tio;
    tcgetattr(slave, &tio);
    cfmakeraw(&tio);
    tcsetattr(slave, TCSANOW, &tio);
    fcntl(master, F_SETFL, O_NONBLOCK);

    static struct paper paper;
    struct escpos_decoder dec;
    escpos_decoder_init(&dec, on_cut, &paper);

    /* kill plans: bytes received before the kill (mid band of the first
     * slip, mid third slip), -1 = right after the next cut, 0 = no kill */
    long plans[] = {20000, -1, 150000, -1, 0};
    long received = 0;
    for (size_t round = 0; round < sizeof plans / sizeof plans[0]; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(master);
            kiosk(tty, journal);
        }
        long start = received;
        int cuts0 = dec.cuts, markers_answered = dec.markers, queries_answered = dec.queries;
        bool killed = false;
        int status = 0;
        for (;;) {
            uint8_t b[4096];
            ssize_t n = read(master, b, sizeof b);
            if (n > 0) {
                received += n;
                if (escpos_decoder_feed(&dec, b, (size_t)n)) {
                    fprintf(stderr, "printer: undecodable stream\n");
                    CHECK(0);
                    break;
                }
                bool kill_now =
                    !killed && ((plans[round] > 0 && received - start >= plans[round]) ||
                                (plans[round] < 0 && dec.cuts > cuts0));
                if (kill_now) {
                    kill(pid, SIGKILL);
                    killed = true;
                }
                for (; queries_answered < dec.queries; queries_answered++) {
                    uint8_t ok = 0x12;
                    CHECK(write(master, &ok, 1) == 1);
                }
                for (; markers_answered < dec.markers; markers_answered++) {
                    uint8_t ok = 0x00;
                    CHECK(write(master, &ok, 1) == 1);
                }
                continue;
            }
            if (waitpid(pid, &status, WNOHANG) == pid)
                break;
            struct pollfd pf = {.fd = master, .events = POLLIN};
            poll(&pf, 1, 10);
        }
        if (killed)
            CHECK(WIFSIGNALED(status));
        else
            CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        fprintf(stderr, "round %zu: %s after %ld bytes, %d slips on paper\n", round,
                killed ? "killed" : "finished", received - start, paper.n);
    }
    escpos_decoder_fini(&dec);

    /* Every number exactly once, identical to the composed slip. */
    int matched[SLIPS] = {0};
    int others = 0;
    for (int i = 0; i < SLIPS; i++) {
        struct slip_ticket t;
        slip_test_queue(&t, 101 + i);
        struct slip_raster r;
        CHECK_EQ_INT(slip_compose(&t, NULL, &r), 0);
        for (int p = 0; p < paper.n; p++)
            if (paper.pages[p].rows >= r.rows &&
                memcmp(paper.pages[p].bits, r.bits, (size_t)r.rows * 72) == 0 &&
                paper.pages[p].rows <= r.rows + 48)
                matched[i]++;
        slip_raster_fini(&r);
    }
    for (int i = 0; i < SLIPS; i++) {
        fprintf(stderr, "C%03d printed %d time(s)\n", 101 + i, matched[i]);
        CHECK_EQ_INT(matched[i], 1);
    }
    /* anything else on the paper is a torn stub ending in the void strip */
    struct slip_raster v;
    CHECK_EQ_INT(slip_compose_void(NULL, &v), 0);
    for (int p = 0; p < paper.n; p++) {
        const struct escpos_page *pg = &paper.pages[p];
        bool is_void =
            pg->rows >= v.rows + 24 && memcmp(pg->bits + (size_t)(pg->rows - 24 - v.rows) * 72,
                                              v.bits, (size_t)v.rows * 72) == 0;
        others += is_void;
        escpos_page_fini(&paper.pages[p]);
    }
    CHECK_EQ_INT(paper.n, SLIPS + others);
    fprintf(stderr, "%d void stub(s)\n", others);
    slip_raster_fini(&v);
    close(master);
    close(slave);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_EQ_INT(system(cmd), 0);
    return check_report("slip_crash_test");
}

/* fontconfig keeps process-wide caches it never frees; not ours to fix.
 * Read by LeakSanitizer only. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
