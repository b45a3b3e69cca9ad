/* slip_worker.c - the slip printer thread; see slip_worker.h for the design
 * and the restart reasoning.
 *
 * The worker thread owns the printer ops context, its journal connection
 * and the bytes of the job in hand. New slips arrive through a bounded
 * inbox and become journal rows on the worker thread, so the journal has
 * one writer per process for slips.
 */
#include "print/slip_worker.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/queue.h"
#include "base/util.h"
#include "drivers/escpos/escpos.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define INBOX_CAP  16
#define CHUNK      4096
#define RESUME_MAX 64

/* Returned by wait_ready when staff cancelled the job it waits for, and
 * when the job is to be withdrawn (its deadline, or its visit ended). */
#define STAFF_CANCELLED 1
#define WITHDRAWN       2

enum msg_op { MSG_PRINT = 0, MSG_RETRY, MSG_CANCEL };

struct msg {
    enum msg_op op;
    struct slip_ticket t;      /* MSG_PRINT */
    char uid[JOURNAL_KEY_MAX]; /* MSG_PRINT: the job's own key, drawn at submit */
    int64_t deadline;          /* MSG_PRINT: wall clock, seconds */
    unsigned gen;              /* MSG_PRINT: the visit it was submitted in */
    int64_t job_id;            /* MSG_RETRY, MSG_CANCEL */
    uint32_t req_id;
};

struct slip_worker {
    pthread_t thread;
    struct queue *inbox;
    slip_done_fn done;
    slip_status_fn status_cb;
    void *user;
    atomic_bool stopping;
    _Atomic int64_t cancel_id; /* staff cancelled this journal job; 0 none */
    atomic_uint visit_gen;     /* visits ended so far (slip_worker_end_visit) */
    atomic_uint uid_seq;       /* uids drawn without randomness */

    const struct printer_ops *ops;
    void *printer;
    char journal_path[512];
    char font_family[128];
    int band_rows, write_timeout_ms, confirm_timeout_ms, poll_ms, deadline_s;

    /* worker thread only */
    struct journal *journal;
    bool open;
    bool lost_buffer; /* the printer went away: what it held is gone */
    struct slip_status last;
    bool reported;
    enum slip_op op; /* what the job in hand answers: a slip, or staff's retry */
    /* the job in hand: when it is withdrawn */
    int64_t hand_deadline; /* wall clock, seconds; 0 none */
    bool hand_staff;       /* staff's reprint: not withdrawn at a visit's end */
    unsigned hand_gen;     /* the visit it belongs to */
    enum journal_reason why;
    bool void_due; /* a slip withdrawn halfway: reset and void once the printer is ready */
};

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- printer ------------------------------------------------------------------ */

static int pending_count(struct slip_worker *w)
{
    int64_t ids[RESUME_MAX];
    int n = journal_unfinished(w->journal, JOURNAL_SLIP, ids, RESUME_MAX);
    return n < 0 ? 0 : n;
}

/* Reads the printer's status and tells the status callback when it changed. */
static int poll_status(struct slip_worker *w, struct printer_status *ps)
{
    struct slip_status s = {0};
    int rc = ERR_NODEV;
    if (w->open) {
        rc = w->ops->status(w->printer, ps);
        if (rc == ERR_NODEV) {
            w->ops->close(w->printer);
            w->open = false;
            w->lost_buffer = true;
            log_warn("slip", "slip printer went away");
        }
    }
    if (!w->open) {
        rc = w->ops->open(w->printer);
        if (!rc) {
            w->open = true;
            log_info("slip", "slip printer %s open", w->ops->name);
            rc = w->ops->status(w->printer, ps);
        } else {
            rc = ERR_NODEV;
        }
    }
    if (!rc) {
        s.online = ps->online;
        s.paper_out = ps->paper_out;
        s.paper_near_end = ps->paper_near_end;
        s.cover_open = ps->cover_open;
        s.error = ps->error;
    } else {
        memset(ps, 0, sizeof *ps);
    }
    s.pending = pending_count(w);
    const struct slip_status *l = &w->last;
    bool changed = s.online != l->online || s.paper_out != l->paper_out ||
                   s.paper_near_end != l->paper_near_end || s.cover_open != l->cover_open ||
                   s.error != l->error || s.pending != l->pending;
    if (!w->reported || changed) {
        w->last = s;
        w->reported = true;
        if (!s.online)
            log_warn("slip", "slip printer not ready:%s%s%s%s", rc ? " offline" : "",
                     s.paper_out ? " paper out" : "", s.cover_open ? " cover open" : "",
                     s.error ? " error" : "");
        if (w->status_cb)
            w->status_cb(w->user, &s);
    }
    return rc;
}

static bool ready(const struct printer_status *ps)
{
    return ps->online && !ps->paper_out && !ps->cover_open && !ps->error;
}

static void tell(struct slip_worker *w, uint32_t req_id, int64_t id, const char *number,
                 enum slip_outcome o, bool final, int err, const struct printer_status *ps,
                 bool offline)
{
    struct slip_result r = {
        .req_id = req_id, .job_id = id, .outcome = o, .final = final, .err = err, .op = w->op};
    str_copy(r.number, sizeof r.number, number);
    if (ps) {
        r.paper_out = ps->paper_out;
        r.cover_open = ps->cover_open;
    }
    r.offline = offline;
    w->done(w->user, &r);
}

static bool staff_cancelled(struct slip_worker *w, int64_t id)
{
    return id > 0 && atomic_load(&w->cancel_id) == id;
}

/* Whether the job in hand is to be withdrawn now (w->why says why): its
 * deadline passed, or the visit it was for ended. */
static bool due(struct slip_worker *w)
{
    if (w->hand_deadline > 0 && clock_wall_s() >= w->hand_deadline) {
        w->why = JOURNAL_WHY_DEADLINE;
        return true;
    }
    if (!w->hand_staff && atomic_load(&w->visit_gen) != w->hand_gen) {
        w->why = JOURNAL_WHY_VISIT_ENDED;
        return true;
    }
    return false;
}

/* Withdraws job id for w->why: expired in the journal, the citizen told. */
static void withdraw(struct slip_worker *w, uint32_t req_id, int64_t id, const char *number)
{
    bool visit = w->why == JOURNAL_WHY_VISIT_ENDED;
    if (journal_withdraw(w->journal, id, JOURNAL_EXPIRED, w->why))
        log_err("slip", "print journal: cannot record slip %s as expired", number);
    log_notice("slip", "slip %s withdrawn: %s", number,
               visit ? "the visit ended before it could print" : "not printed by its deadline");
    tell(w, req_id, id, number, SLIP_EXPIRED, true, visit ? ERR_CANCELLED : ERR_TIMEOUT, NULL,
         false);
}

/* Waits until the printer can print. Tells the citizen once that the
 * slip waits. Returns 0, ERR_CANCELLED when stopping, STAFF_CANCELLED
 * when cancellable (nothing of the slip sent yet) and staff cancelled it,
 * or WITHDRAWN when the job is due (see due). */
/* Tells the citizen why the slip waits (rc from poll_status, ps), once
 * for each reason: out of paper, then the cover opened to refill it, is
 * told twice. *told keeps the reason last told, -1 none yet. */
static void tell_waiting(struct slip_worker *w, uint32_t req_id, int64_t id, const char *number,
                         int rc, const struct printer_status *ps, int *told)
{
    int why = (rc != 0) | ps->paper_out << 1 | ps->cover_open << 2;
    if (why == *told)
        return;
    tell(w, req_id, id, number, SLIP_WAITING, false, rc ? rc : ERR_BUSY, ps, rc != 0);
    *told = why;
}

static int wait_ready(struct slip_worker *w, uint32_t req_id, int64_t id, const char *number,
                      bool cancellable)
{
    int told = -1; /* the reason the citizen was last told of, -1 none */
    for (;;) {
        if (cancellable && staff_cancelled(w, id))
            return STAFF_CANCELLED;
        if (due(w))
            return WITHDRAWN;
        struct printer_status ps;
        int rc = poll_status(w, &ps);
        if (!rc && ready(&ps))
            return 0;
        tell_waiting(w, req_id, id, number, rc, &ps, &told);
        if (atomic_load(&w->stopping))
            return ERR_CANCELLED;
        sleep_ms(w->poll_ms);
    }
}

/* Reads the IN pipe for up to ms, counting marker replies into in. */
static void drain(struct slip_worker *w, struct escpos_in *in, int ms)
{
    int64_t end = clock_mono_ms() + ms;
    do {
        uint8_t b[64];
        int n = w->ops->read(w->printer, b, sizeof b, 20);
        if (n > 0) {
            escpos_in_scan(in, b, (size_t)n);
            continue;
        }
        if (n != ERR_TIMEOUT)
            return;
        sleep_ms(10);
    } while (clock_mono_ms() < end);
}

/* The bytes of a slip: ESC @, bands, cut, marker. */
static int encode(struct slip_worker *w, const struct slip_ticket *t, struct buf *out)
{
    struct slip_raster r;
    int rc = slip_compose(t, w->font_family[0] ? w->font_family : NULL, &r);
    if (rc)
        return rc;
    rc = escpos_encode_init(out);
    if (!rc)
        rc = escpos_encode_raster(out, r.bits, r.width, r.rows, r.stride, w->band_rows);
    if (!rc)
        rc = escpos_encode_cut(out, 48, true);
    if (!rc)
        rc = escpos_encode_marker(out);
    slip_raster_fini(&r);
    return rc;
}

/* Resets the printer and prints the void strip under whatever it had
 * printed of an interrupted slip. */
static int void_stub(struct slip_worker *w)
{
    int rc;
    struct slip_raster r;
    struct buf b;
    buf_init(&b, 1 << 20);
    rc = slip_compose_void(w->font_family[0] ? w->font_family : NULL, &r);
    if (!rc) {
        rc = escpos_encode_init(&b);
        if (!rc)
            rc = escpos_encode_raster(&b, r.bits, r.width, r.rows, r.stride, w->band_rows);
        if (!rc)
            rc = escpos_encode_cut(&b, 24, true);
        slip_raster_fini(&r);
    }
    if (!rc)
        rc = w->ops->write(w->printer, b.data, b.len, w->write_timeout_ms, NULL);
    buf_fini(&b);
    log_info("slip", "interrupted slip marked void (%s)", rc ? err_str(rc) : "ok");
    return rc;
}

/* A slip withdrawn halfway left part of itself in the printer: once the
 * printer is ready, it is reset (the half band dropped) and the void strip
 * cut off under what came out. */
static void void_withdrawn(struct slip_worker *w)
{
    struct printer_status ps;
    if (!w->void_due || poll_status(w, &ps) || !ready(&ps))
        return;
    int rr = w->ops->reset(w->printer);
    if (rr)
        log_warn("slip", "printer reset failed: %s", err_str(rr));
    w->lost_buffer = false;
    void_stub(w);
    w->void_due = false;
}

/* Sends bytes; a printer that stops taking them (paper out, cover open)
 * keeps what it took, so the rest goes after it is ready again. Returns 0,
 * ERR_NODEV (the printer went away: its buffer is lost), ERR_CANCELLED,
 * WITHDRAWN (due while it waited: the rest is not sent). */
static int send_all(struct slip_worker *w, const struct buf *b, uint32_t req_id, int64_t id,
                    const char *number)
{
    size_t off = 0;
    while (off < b->len) {
        size_t n = b->len - off < CHUNK ? b->len - off : CHUNK;
        size_t sent = 0;
        int rc = w->open ? w->ops->write(w->printer, b->data + off, n, w->write_timeout_ms, &sent)
                         : ERR_NODEV;
        off += sent;
        if (!rc)
            continue;
        if (rc == ERR_NODEV) {
            if (w->open)
                w->ops->close(w->printer);
            w->open = false;
            w->lost_buffer = true;
            return ERR_NODEV;
        }
        log_warn("slip", "slip %s stalled after %zu of %zu bytes: %s", number, off, b->len,
                 err_str(rc));
        rc = wait_ready(w, req_id, id, number, false);
        if (rc)
            return rc;
        if (w->lost_buffer)
            return ERR_NODEV;
    }
    return 0;
}

/* Waits for the marker after the cut; a printer that cannot answer is
 * taken at its status. Returns 0 (confirmed), ERR_NODEV, ERR_CANCELLED. */
static int confirm(struct slip_worker *w, uint32_t req_id, int64_t id, const char *number)
{
    struct escpos_in in = {.markers_expected = 1};
    int64_t deadline = clock_mono_ms() + w->confirm_timeout_ms;
    int told = -1;
    for (;;) {
        if (w->open) {
            uint8_t b[64];
            int n = w->ops->read(w->printer, b, sizeof b, 50);
            if (n > 0) {
                escpos_in_scan(&in, b, (size_t)n);
                if (in.markers > 0)
                    return 0;
                continue;
            }
            if (n == ERR_UNSUPPORTED)
                deadline = 0; /* one-way printer: only the status can tell */
        }
        struct printer_status ps;
        int rc = poll_status(w, &ps);
        if (w->lost_buffer)
            return ERR_NODEV;
        bool ok = !rc && ready(&ps);
        /* Paper ran out under the slip: the printer finishes it after the
         * refill; the citizen and staff are told meanwhile. */
        if (!ok)
            tell_waiting(w, req_id, id, number, rc, &ps, &told);
        if (ok && clock_mono_ms() >= deadline) {
            log_warn("slip", "slip %s: no job marker, printer status clear; taken as printed",
                     number);
            return 0;
        }
        if (!ok)
            deadline = clock_mono_ms() + w->confirm_timeout_ms;
        if (atomic_load(&w->stopping))
            return ERR_CANCELLED;
        sleep_ms(20);
    }
}

/* Runs one journal job to its end (or until stopping): staff's reprint
 * or a slip of visit gen. */
static void run_job(struct slip_worker *w, int64_t id, uint32_t req_id, bool resumed, bool staff,
                    unsigned gen)
{
    struct journal_job *j = malloc(sizeof *j);
    if (!j || journal_get(w->journal, id, j)) {
        free(j);
        return;
    }
    struct slip_ticket t;
    if (slip_ticket_parse(j->payload, &t)) {
        log_err("slip", "journal job %lld unreadable; marked failed", (long long)id);
        journal_set(w->journal, id, JOURNAL_FAILED, 0, 0);
        tell(w, req_id, id, j->key, SLIP_FAILED, true, ERR_INVALID, NULL, false);
        free(j);
        return;
    }
    enum journal_state state = j->state;
    w->hand_deadline = j->deadline;
    w->hand_staff = staff;
    w->hand_gen = gen;
    free(j);
    /* Sent whole: the printer's now, confirmed as it comes. Otherwise one
     * that is due is not sent (a torn one is voided below). */
    bool late = state != JOURNAL_SENT && due(w);
    if (late && state == JOURNAL_QUEUED) {
        withdraw(w, req_id, id, t.number);
        return;
    }
    if (resumed)
        log_info("slip", "resuming slip %s from %s", t.number, journal_state_name(state));
    struct buf b;
    buf_init(&b, 4u << 20);
    int rc = encode(w, &t, &b);
    if (rc) {
        log_err("slip", "slip %s cannot be composed: %s", t.number, err_str(rc));
        journal_set(w->journal, id, JOURNAL_FAILED, 0, 0);
        tell(w, req_id, id, t.number, SLIP_FAILED, true, rc, NULL, false);
        buf_fini(&b);
        return;
    }
    bool interrupted = resumed && state == JOURNAL_SENDING;
    for (;;) {
        if (state == JOURNAL_SENT) {
            rc = confirm(w, req_id, id, t.number);
            if (rc == ERR_CANCELLED)
                break;
            if (rc == ERR_NODEV) {
                /* Unplugged or power-cycled before the cut was processed:
                 * the printer lost the slip; send it again. */
                interrupted = true;
                state = JOURNAL_QUEUED;
                continue;
            }
            journal_set(w->journal, id, JOURNAL_CONFIRMED, 0, 0);
            log_info("slip", "slip %s printed", t.number);
            tell(w, req_id, id, t.number, SLIP_PRINTED, true, 0, NULL, false);
            break;
        }
        if (interrupted) {
            /* Before any status query: a printer left inside a raster
             * band would take the query bytes as dots. */
            while (!w->open && !atomic_load(&w->stopping)) {
                if (w->ops->open(w->printer) == 0)
                    w->open = true;
                else
                    sleep_ms(w->poll_ms);
            }
            if (!w->open)
                break;
            struct escpos_in in = {.markers_expected = 1};
            drain(w, &in, 300);
            if (in.markers > 0 && !w->lost_buffer) {
                log_info("slip", "slip %s was processed before the restart", t.number);
                journal_set(w->journal, id, JOURNAL_CONFIRMED, 0, 0);
                tell(w, req_id, id, t.number, SLIP_PRINTED, true, 0, NULL, false);
                break;
            }
            int rr = w->ops->reset(w->printer);
            if (rr)
                log_warn("slip", "printer reset failed: %s", err_str(rr));
            if (late) {
                /* Torn before the restart and due now: voided, not resent. */
                w->void_due = true;
                withdraw(w, req_id, id, t.number);
                void_withdrawn(w);
                break;
            }
        }
        int wr = wait_ready(w, req_id, id, t.number, !interrupted && state == JOURNAL_QUEUED);
        if (wr == STAFF_CANCELLED) {
            /* Nothing of it went out: it never prints now. */
            journal_withdraw(w->journal, id, JOURNAL_FAILED, JOURNAL_WHY_CANCELLED);
            log_notice("slip", "slip %s cancelled by staff", t.number);
            tell(w, req_id, id, t.number, SLIP_FAILED, true, ERR_CANCELLED, NULL, false);
            break;
        }
        if (wr == WITHDRAWN) {
            w->void_due = w->void_due || interrupted;
            withdraw(w, req_id, id, t.number);
            void_withdrawn(w);
            break;
        }
        if (wr)
            break;
        if (interrupted) {
            w->lost_buffer = false;
            void_stub(w);
            interrupted = false;
        }
        void_withdrawn(w); /* an earlier slip withdrawn halfway: void under it first */
        w->lost_buffer = false;
        if (journal_set(w->journal, id, JOURNAL_SENDING, 1, 0)) {
            tell(w, req_id, id, t.number, SLIP_FAILED, true, ERR_IO, NULL, false);
            break;
        }
        rc = send_all(w, &b, req_id, id, t.number);
        if (rc == ERR_CANCELLED)
            break;
        if (rc == WITHDRAWN) {
            w->void_due = true;
            withdraw(w, req_id, id, t.number);
            void_withdrawn(w);
            break;
        }
        if (rc == ERR_NODEV) {
            interrupted = true;
            continue;
        }
        if (journal_set(w->journal, id, JOURNAL_SENT, 0, 0)) {
            tell(w, req_id, id, t.number, SLIP_FAILED, true, ERR_IO, NULL, false);
            break;
        }
        state = JOURNAL_SENT;
    }
    buf_fini(&b);
}

/* Staff's retry or cancel of journal job m->job_id; no job is in hand.
 * Answered with op set: a cancel as SLIP_FAILED with err 0 (it will not
 * print) or why not; a retry as the slip's own results. */
static void staff_op(struct slip_worker *w, const struct msg *m)
{
    struct journal_job *j = malloc(sizeof *j);
    int rc = j ? journal_get(w->journal, m->job_id, j) : ERR_NOMEM;
    char number[16] = "";
    enum journal_state st = JOURNAL_FAILED;
    int64_t reprint = 0;
    if (!rc) {
        str_copy(number, sizeof number, j->key);
        st = j->state;
        bool over = st == JOURNAL_FAILED || st == JOURNAL_EXPIRED;
        rc = j->kind != JOURNAL_SLIP   ? ERR_INVALID
             : st == JOURNAL_CONFIRMED ? ERR_REJECTED /* it came out: never again */
             : m->op == MSG_CANCEL
                 ? (st == JOURNAL_QUEUED || over ? 0 : ERR_BUSY)
                 : journal_reprint(w->journal, m->job_id, clock_wall_s() + w->deadline_s, &reprint);
    }
    free(j);
    w->op = m->op == MSG_RETRY ? SLIP_OP_RETRY : SLIP_OP_CANCEL;
    if (!rc && m->op == MSG_RETRY) {
        log_notice("slip", "slip %s reprinted by staff (job %lld of job %lld)", number,
                   (long long)reprint, (long long)m->job_id);
        run_job(w, reprint, m->req_id, false, true, 0);
    } else {
        if (!rc && st == JOURNAL_QUEUED) {
            rc = journal_withdraw(w->journal, m->job_id, JOURNAL_FAILED, JOURNAL_WHY_CANCELLED);
            log_notice("slip", "slip %s cancelled by staff", number);
        }
        if (rc)
            log_warn("slip", "staff's %s of slip %s refused: %s",
                     m->op == MSG_RETRY ? "retry" : "cancel", number, err_str(rc));
        tell(w, m->req_id, m->job_id, number, SLIP_FAILED, true, rc, NULL, false);
    }
    w->op = SLIP_OP_PRINT;
    int64_t want = m->job_id;
    atomic_compare_exchange_strong(&w->cancel_id, &want, 0);
}

static void *worker_main(void *arg)
{
    struct slip_worker *w = arg;
    if (journal_open(w->journal_path, &w->journal)) {
        log_err("slip", "no print journal: slips cannot be printed");
        struct msg m;
        while (queue_pop(w->inbox, &m, -1) == 0)
            tell(w, m.req_id, 0, m.t.number, SLIP_FAILED, true, ERR_IO, NULL, false);
        return NULL;
    }
    struct printer_status ps;
    if (w->ops->open(w->printer) == 0) /* no status query yet: see run_job */
        w->open = true;
    int64_t ids[RESUME_MAX];
    int n = journal_unfinished(w->journal, JOURNAL_SLIP, ids, RESUME_MAX);
    for (int i = 0; i < n && !atomic_load(&w->stopping); i++)
        run_job(w, ids[i], 0, true, false, atomic_load(&w->visit_gen));
    for (;;) {
        struct msg m;
        int rc = queue_pop(w->inbox, &m, w->poll_ms * 4);
        if (rc == ERR_TIMEOUT || rc == ERR_EMPTY) {
            poll_status(w, &ps); /* staff see a printer problem before a citizen meets it */
            void_withdrawn(w);
            continue;
        }
        if (rc || atomic_load(&w->stopping))
            break;
        if (m.op != MSG_PRINT) {
            staff_op(w, &m);
            continue;
        }
        char payload[JOURNAL_PAYLOAD_MAX];
        int64_t id = 0;
        rc = slip_ticket_format(&m.t, payload, sizeof payload);
        if (!rc)
            rc = journal_add(w->journal,
                             &(struct journal_new){.kind = JOURNAL_SLIP,
                                                   .uid = m.uid,
                                                   .key = m.t.number,
                                                   .payload = payload,
                                                   .deadline = m.deadline},
                             &id);
        if (rc == ERR_BUSY) {
            struct journal_job *j = malloc(sizeof *j);
            bool done = j && !journal_get(w->journal, id, j) && j->state == JOURNAL_CONFIRMED;
            free(j);
            if (done) { /* the same slip again: it already came out once */
                tell(w, m.req_id, id, m.t.number, SLIP_PRINTED, true, 0, NULL, false);
                continue;
            }
            rc = 0;
        }
        if (rc) {
            tell(w, m.req_id, 0, m.t.number, SLIP_FAILED, true, rc, NULL, false);
            continue;
        }
        run_job(w, id, m.req_id, false, false, m.gen);
    }
    if (w->open)
        w->ops->close(w->printer);
    journal_close(w->journal);
    return NULL;
}

struct slip_worker *slip_worker_start(const struct slip_worker_config *cfg, slip_done_fn done,
                                      slip_status_fn status, void *user)
{
    if (!cfg || !cfg->ops || !cfg->journal_path || !done)
        return NULL;
    struct slip_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->done = done;
    w->status_cb = status;
    w->user = user;
    w->ops = cfg->ops;
    w->printer = cfg->printer;
    atomic_init(&w->stopping, false);
    atomic_init(&w->cancel_id, 0);
    atomic_init(&w->visit_gen, 0);
    atomic_init(&w->uid_seq, 0);
    if (!str_copy(w->journal_path, sizeof w->journal_path, cfg->journal_path) ||
        (cfg->font_family && !str_copy(w->font_family, sizeof w->font_family, cfg->font_family))) {
        free(w);
        return NULL;
    }
    w->band_rows = cfg->band_rows >= ESCPOS_BAND_MIN && cfg->band_rows <= ESCPOS_BAND_MAX
                       ? cfg->band_rows
                       : 128;
    w->write_timeout_ms = cfg->write_timeout_ms > 0 ? cfg->write_timeout_ms : 3000;
    w->confirm_timeout_ms = cfg->confirm_timeout_ms > 0 ? cfg->confirm_timeout_ms : 15000;
    w->poll_ms = cfg->poll_ms > 0 ? cfg->poll_ms : 500;
    w->deadline_s = cfg->deadline_s > 0 ? cfg->deadline_s : 180;
    w->inbox = queue_create(sizeof(struct msg), INBOX_CAP);
    if (!w->inbox || pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        queue_destroy(w->inbox);
        free(w);
        return NULL;
    }
    pthread_setname_np(w->thread, "slip");
    return w;
}

/* A slip job's own key: 96 random bits, never the number it prints.
 * Without randomness, the clock and a count (one process draws them). */
static void draw_uid(struct slip_worker *w, char *out, size_t size)
{
    uint8_t r[12];
    if (getrandom(r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r) {
        size_t n = (size_t)snprintf(out, size, "s-");
        for (size_t i = 0; i < sizeof r && n + 2 < size; i++, n += 2)
            snprintf(out + n, size - n, "%02x", r[i]);
        return;
    }
    snprintf(out, size, "s-%lld-%lld-%u", (long long)clock_wall_s(), (long long)clock_mono_ms(),
             atomic_fetch_add(&w->uid_seq, 1));
}

int slip_worker_submit(struct slip_worker *w, const struct slip_ticket *t, uint32_t req_id)
{
    return slip_worker_submit_uid(w, t, NULL, req_id);
}

int slip_worker_submit_uid(struct slip_worker *w, const struct slip_ticket *t, const char *uid,
                           uint32_t req_id)
{
    if (!w || !t || !t->number[0] || (unsigned)t->kind >= SLIP_KIND_COUNT ||
        (uid && (!uid[0] || strlen(uid) >= JOURNAL_KEY_MAX)))
        return ERR_INVALID;
    struct msg *m = malloc(sizeof *m);
    if (!m)
        return ERR_NOMEM;
    memset(m, 0, sizeof *m);
    m->op = MSG_PRINT;
    m->t = *t;
    m->req_id = req_id;
    if (uid)
        str_copy(m->uid, sizeof m->uid, uid);
    else
        draw_uid(w, m->uid, sizeof m->uid);
    m->deadline = clock_wall_s() + w->deadline_s;
    m->gen = atomic_load(&w->visit_gen);
    int rc = queue_push(w->inbox, m, NULL);
    free(m);
    return rc;
}

static int push_op(struct slip_worker *w, enum msg_op op, int64_t job_id, uint32_t req_id)
{
    if (!w || job_id <= 0)
        return ERR_INVALID;
    struct msg *m = calloc(1, sizeof *m);
    if (!m)
        return ERR_NOMEM;
    m->op = op;
    m->job_id = job_id;
    m->req_id = req_id;
    int rc = queue_push(w->inbox, m, NULL);
    free(m);
    return rc;
}

int slip_worker_retry(struct slip_worker *w, int64_t job_id, uint32_t req_id)
{
    return push_op(w, MSG_RETRY, job_id, req_id);
}

int slip_worker_cancel(struct slip_worker *w, int64_t job_id, uint32_t req_id)
{
    /* The job in hand waiting for paper sees this at once; the message
     * answers once the worker is free. */
    if (w && job_id > 0)
        atomic_store(&w->cancel_id, job_id);
    return push_op(w, MSG_CANCEL, job_id, req_id);
}

void slip_worker_end_visit(struct slip_worker *w)
{
    if (w)
        atomic_fetch_add(&w->visit_gen, 1);
}

/* Stops as print_worker_stop() does: close the inbox, join, free. */
void slip_worker_stop(struct slip_worker *w)
{
    if (!w)
        return;
    atomic_store(&w->stopping, true);
    queue_close(w->inbox);
    pthread_join(w->thread, NULL);
    queue_destroy(w->inbox);
    free(w);
}
