/* slip_worker.h - the slip printer thread: journal, compose, send, confirm.
 *
 * DESIGN: the worker owns the slip printer (a struct printer_ops and its
 * context) and its own connection to the print journal. A submitted slip
 * is first a journal row (queued, with the slip's text), then:
 *
 *   queued   -> wait until the printer reports ready (paper, cover, online)
 *   sending  committed, then ESC @, the raster in bands, the cut, and a
 *            GS r job marker go out; a printer that stops taking bytes
 *            (paper out mid-slip) keeps what it took, so the worker waits
 *            for the refill and sends the rest
 *   sent     committed once the printer has taken every byte, cut included:
 *            from here on the slip is the printer's, and it is never sent
 *            again (after a refill the printer finishes it itself)
 *   confirmed when the marker's reply comes back (the printer has
 *            processed the cut), or, on a printer that cannot answer, when
 *            its status reads clear after the bytes went out
 *
 * Each slip is its own journal job under a uid drawn when it is submitted
 * (a random one: queue numbers repeat, every day and after a registry
 * restart, so the number never decides whether a slip came out).
 *
 * Deadlines: a slip is for the citizen at the kiosk. One that has not gone
 * out deadline_s after it was submitted, or when the visit that asked for
 * it ends (slip_worker_end_visit), is withdrawn: its job expired with the
 * reason, the citizen told (SLIP_EXPIRED: the number on screen is still
 * theirs), and nothing of it prints after a refill for the next person.
 * A slip stalled halfway (paper out under it) is withdrawn the same way;
 * the printer is reset once it is ready and the void strip cut off under
 * whatever of it came out. A slip the printer holds whole (sent) is the
 * printer's and finishes by itself.
 *
 * Restart after a kill or power cut (slip_worker_start resumes every
 * unfinished job, oldest first; one past its deadline is withdrawn as
 * above instead: expired, never sent, a torn one voided):
 *   queued    send it, normally.
 *   sent      never resend: wait for the marker or a clear status, confirm.
 *   sending   the process died while bytes were going out. First drain the
 *             IN pipe: a marker reply there means the printer processed the
 *             whole slip and cut it, so it is confirmed without resending.
 *             Otherwise no complete slip came out (the cut is the last
 *             command before the marker): reset the printer (drops a half
 *             raster band), print a short "以上作废" strip and cut it off so
 *             any torn top of the slip is marked void, then send the slip
 *             again. The one gap left is a printer that printed the whole
 *             slip and lost its marker reply (printer and kiosk power cut
 *             together in the same few milliseconds): then a second copy of
 *             the same queue number comes out. That is the safe side for a
 *             queue slip: a duplicate number is one place in the queue,
 *             a lost slip is a citizen without a number.
 *   An unplugged or power-cycled printer loses its buffer, so a job that
 *   was sending when the device went away is handled as above on reopen.
 *
 * Staff may cancel a slip that waits for the printer before any byte of
 * it went out (it is marked failed and never prints: the citizen was
 * told it waits, and may have left), and reprint a failed or expired one:
 * a new job linked to it (journal_reprint), from its payload, with a
 * deadline of its own and not withdrawn at a visit's end (staff are at
 * the kiosk); printed once however often the button is pressed, and
 * never once a slip of it came out (see slip_worker_retry,
 * slip_worker_cancel).
 *
 * The citizen is told the truth through the done callback: progress
 * results (final = false) while a job waits on paper or cover, and one
 * final result per job. Staff see the printer through the status callback.
 *
 * Threads: start/submit/stop from the UI thread (submit from any); the
 * callbacks run on the worker thread and must only post and return.
 */
#ifndef PRINT_SLIP_WORKER_H
#define PRINT_SLIP_WORKER_H

#include "drivers/escpos/printer.h"
#include "print/slip_compose.h"
#include "store/journal.h"

#include <stdbool.h>
#include <stdint.h>

struct slip_worker_config {
    const struct printer_ops *ops; /* required; borrowed for the worker's life */
    void *printer;                 /* ops context; borrowed */
    const char *journal_path;      /* required; copied */
    const char *font_family;       /* NULL: the certificate's */
    int band_rows;                 /* GS v 0 band height; 0: 128 */
    int write_timeout_ms;          /* one chunk; 0: 3000 */
    int confirm_timeout_ms;        /* wait for the marker after the cut; 0: 15000 */
    int poll_ms;                   /* status polling while blocked; 0: 500 */
    int deadline_s; /* a slip not gone out this long after its submit is withdrawn; 0: 180 */
};

/* What the citizen is told, and what the UI shows for a job. */
enum slip_outcome {
    SLIP_PRINTED = 0, /* final: the slip came out */
    SLIP_WAITING,     /* progress: printer blocked (see status), job kept */
    SLIP_FAILED,      /* final: not printed (bad slip, journal failure) */
    SLIP_EXPIRED      /* final: not printed in time (err ERR_TIMEOUT: its deadline;
                         ERR_CANCELLED: the visit ended); withdrawn, never prints */
};

/* What a result answers: a slip submitted (or resumed), or staff's action
 * on a journal job (maintenance mode's 打印记录). */
enum slip_op {
    SLIP_OP_PRINT = 0,
    SLIP_OP_RETRY, /* the failed slip reprinted: the reprint's results (job_id its
                      own job), as a slip's; ERR_BUSY while a reprint of it is under
                      way, ERR_REJECTED once one came out */
    SLIP_OP_CANCEL /* one final SLIP_FAILED: err 0 when it will not print (it was
                      queued, or had failed), else why not (ERR_REJECTED: it came
                      out; ERR_BUSY: part of it is in the printer already) */
};

struct slip_result {
    uint32_t req_id; /* as submitted (0 for a job resumed at start-up) */
    int64_t job_id;  /* the journal row */
    char number[16]; /* the slip's queue number */
    enum slip_outcome outcome;
    bool final;
    int err;                             /* 0 or enum err */
    bool paper_out, cover_open, offline; /* why it waits */
    enum slip_op op;                     /* what req_id asked for */
};

struct slip_status {
    bool online;
    bool paper_out;
    bool paper_near_end;
    bool cover_open;
    bool error;
    int pending; /* jobs not yet confirmed */
};

typedef void (*slip_done_fn)(void *user, const struct slip_result *r);
typedef void (*slip_status_fn)(void *user, const struct slip_status *s);

struct slip_worker;

/* Starts the thread; it opens the journal and resumes unfinished jobs
 * before taking new ones. cfg borrowed (strings copied); done required,
 * status optional. NULL on bad config or failure. UI thread. */
struct slip_worker *slip_worker_start(const struct slip_worker_config *cfg, slip_done_fn done,
                                      slip_status_fn status, void *user);

/* Queues a slip (copied). Never blocks. Returns 0, ERR_INVALID, ERR_FULL,
 * ERR_CLOSED, ERR_NOMEM. Any thread. */
int slip_worker_submit(struct slip_worker *w, const struct slip_ticket *t, uint32_t req_id);

/* As slip_worker_submit, under the caller's uid for this one slip (copied;
 * 1..63 bytes) instead of a drawn one: the same uid submitted again, also
 * after a restart, is that job (printed once), unless it failed or
 * expired. NULL uid: one drawn. Same returns. Any thread. */
int slip_worker_submit_uid(struct slip_worker *w, const struct slip_ticket *t, const char *uid,
                           uint32_t req_id);

/* Staff's reprint of failed or expired journal job job_id: a new job linked
 * to it (journal_reprint: refused while a reprint of it is under way,
 * ERR_BUSY, and once it or a reprint came out, ERR_REJECTED) printed from
 * its payload like a new slip, its results answered as req_id with op
 * SLIP_OP_RETRY. Never blocks. Returns 0, ERR_INVALID, ERR_FULL,
 * ERR_CLOSED, ERR_NOMEM. Any thread. */
int slip_worker_retry(struct slip_worker *w, int64_t job_id, uint32_t req_id);

/* Staff's cancel of journal job job_id: a slip that waits for the printer
 * (paper, cover) with nothing of it sent is marked failed and never
 * prints, also when it is the job in hand; one part-sent or printed is
 * refused. Answered as req_id with op SLIP_OP_CANCEL. Never blocks.
 * Returns as slip_worker_retry. Any thread. */
int slip_worker_cancel(struct slip_worker *w, int64_t job_id, uint32_t req_id);

/* The citizen's visit ended: every slip submitted before this call that
 * has not started going out is withdrawn (SLIP_EXPIRED, err
 * ERR_CANCELLED), the job in hand too; staff's reprints are not. NULL is
 * a no-op. Never blocks. Any thread. */
void slip_worker_end_visit(struct slip_worker *w);

/* Stops: the job in progress stays in the journal as it is (resumed on the
 * next start), the thread is joined, w freed. NULL is a no-op. UI thread. */
void slip_worker_stop(struct slip_worker *w);

/* Formats a ticket as the journal's payload text and back. Pure. */
int slip_ticket_format(const struct slip_ticket *t, char *out, size_t size);
int slip_ticket_parse(const char *text, struct slip_ticket *t);

#endif
