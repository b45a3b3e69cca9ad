/* print_worker.h - the print thread: compose, preview, deliver.
 *
 * DESIGN: printing a certificate is two steps in the flow, and two job
 * kinds here. ACT_COMPOSE_CERT submits PRINT_JOB_COMPOSE with a copy of
 * the certificate: the worker composes the PDF (kept inside the worker)
 * and the page-1 preview (handed to the UI) and answers; the citizen looks
 * at the preview and picks the number of copies. ACT_PRINT_CERT submits
 * PRINT_JOB_PRINT with the copies: the worker delivers the PDF it kept, to
 * the CUPS queue when one is configured (answering once CUPS reports the
 * job completed, stopped, failed or the time limit passes) or else into
 * the output folder. The kept PDF stays for a reprint until the next
 * COMPOSE, a PRINT_JOB_PURGE (ACT_END_SESSION) or keep_ms without jobs,
 * and is wiped then. Jobs run one at a time in the order submitted.
 *
 * The print journal (store/journal.h, when journal_path is set) makes a
 * certificate come out once: before a PDF goes to CUPS or the folder its
 * number is a journal row in state sending (committed), then sent with
 * the CUPS job id, then confirmed when CUPS reports completed (or the
 * file is renamed into place), or failed. A PRINT for a number already
 * confirmed answers at once without printing again.
 *
 * Held, never cancelled by the kiosk: when CUPS reports the job or its
 * queue stopped, the time limit passes, or the worker stops while a job
 * is out, the job is put on hold at the scheduler (Hold-Job,
 * job-hold-until=indefinite) and its row becomes held, keeping the CUPS
 * job id; a certificate for a queue that is stopped already goes in
 * held (print_cups_submit_held). The citizen is told it failed; the pages cannot come out by
 * themselves later with nobody at the kiosk, yet the document the
 * scheduler keeps is not lost. Staff see the row in maintenance mode
 * (打印记录) and send PRINT_JOB_RETRY (the queue checked: still stopped is
 * answered with its error and the job stays held; else the held job is
 * released and waited for like a new one, so a retry prints that one job
 * and never a second) or PRINT_JOB_CANCEL (the CUPS job cancelled, the
 * row failed). A PRINT of a number whose job is held is a retry of that
 * job. A confirmed job is refused both. Only a job CUPS will not hold
 * (the scheduler gone) is cancelled, or, when the worker stops, left sent
 * for the next start.
 * Pages: when CUPS counted pages done before the stop
 * (job-impressions-completed, which the printer's backend reports), a
 * one-copy job is limited to the rest (page-ranges) before its release;
 * a job of several copies, or a printer that does not count, prints whole.
 *
 * The PDF itself is never stored, so on start the worker resolves what a
 * kill or power cut left unfinished: sent with a CUPS job id -> adopt
 * that job (wait for it: confirmed; stopped or stuck: held; failed or
 * gone: failed); sending -> look for a CUPS job with the certificate's
 * title (adopt it) or the folder file (confirmed), else failed; queued ->
 * failed. Held rows stay held for staff (never waited for again by
 * themselves). Each resolved row is reported once as a PRINT_JOB_RECOVERY
 * result (req_id 0, number, err 0 when the certificate did come out): a
 * failed or held one is for staff, since the citizen has gone.
 *
 * Deadlines (with a journal): a certificate is for the citizen who asked
 * for it. Its job carries a deadline (deadline_s after PRINT); one not
 * out by then is withdrawn: its CUPS job cancelled (held or not, so a
 * queue released later never prints it for nobody), the row expired.
 * The worker checks held rows while idle, a job it waits for as it
 * waits, and on start the rows a kill left behind, so a restart hours
 * later prints nothing stale. Staff's retry of a held job is refused
 * once it is past its deadline (the document is gone). A CUPS job's title
 * names the certificate and its journal job, so that a restart adopts that
 * job and never an older one of the same number in the scheduler's
 * history.
 *
 * Threads: print_worker_start/submit/stop are called from the UI thread
 * (submit from any thread); the composition, CUPS calls and the done
 * callback run on the worker thread. The callback must only hand the
 * result over (post it to the bus) and return.
 */
#ifndef PRINT_PRINT_WORKER_H
#define PRINT_PRINT_WORKER_H

#include "core/model.h"
#include "print/cert_compose.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRINT_PATH_MAX 512

/* Read once by print_worker_start (strings are copied); borrowed. */
struct print_worker_config {
    const char *queue;          /* CUPS queue; NULL or "": deliver into out_dir */
    const char *out_dir;        /* folder for PDFs when there is no queue; NULL or "" with
                                   no queue: PRINT answers ERR_UNSUPPORTED */
    const char *font_family;    /* NULL: the composer's default */
    const char *office_phone;   /* printed in the notes; may be NULL */
    const char *office_address; /* printed in the footer; may be NULL */
    int preview_width;          /* px; 0: 360 */
    size_t pdf_max;             /* hard limit of one PDF in bytes; 0: 8 MiB */
    int job_timeout_ms;         /* wait for CUPS to complete a job; 0: 120 s */
    int poll_ms;                /* CUPS job state polling interval; 0: 200 ms */
    int keep_ms;                /* wipe the kept PDF after this long without jobs; 0: 10 min */
    const char *journal_path;   /* print journal (SQLite); NULL or "": none */
    int deadline_s;             /* a certificate not out this long after PRINT is withdrawn
                                   (cancelled at CUPS, journal expired); 0: 600 */
};

enum print_job_kind {
    PRINT_JOB_COMPOSE = 0, /* cert, demo -> pages + preview; keeps the PDF */
    PRINT_JOB_PRINT,       /* copies -> deliver the kept PDF */
    PRINT_JOB_PURGE,       /* wipe the kept PDF now; no answer */
    PRINT_JOB_RECOVERY,    /* results only: a job left unfinished by the last run, resolved */
    PRINT_JOB_STATUS,      /* how the A4 printer is: err is print_cups_check's (0 ready);
                              ERR_UNSUPPORTED without a CUPS queue */
    PRINT_JOB_RETRY,       /* journal_id: release a held certificate's CUPS job; err 0
                              once it came out; the queue's error while it is stopped
                              (held stays true); ERR_REJECTED with already for a
                              confirmed one; ERR_INVALID when the job is not held */
    PRINT_JOB_CANCEL       /* journal_id: cancel a held certificate's CUPS job, the row
                              failed; ERR_REJECTED with already for a confirmed one */
};

/* A request; borrowed by print_worker_submit. */
struct print_job {
    enum print_job_kind kind;
    uint32_t req_id;                /* echoed in the result */
    const struct certificate *cert; /* COMPOSE: copied by submit */
    bool demo;                      /* COMPOSE: 样张 DEMO on every page */
    bool test;                      /* COMPOSE: 测试页 TEST on every page (maintenance) */
    int copies;                     /* PRINT: 1..9 */
    int64_t journal_id;             /* RETRY, CANCEL: the journal row (> 0) */
};

/* An answer, passed to the done callback on the worker thread. */
struct print_result {
    enum print_job_kind kind;
    uint32_t req_id;
    int err;                   /* 0 or enum err */
    int pages;                 /* pages of the PDF (COMPOSE and PRINT) */
    size_t pdf_bytes;          /* size of the PDF */
    struct cert_image preview; /* COMPOSE: page 1; the callback takes ownership of
                                  preview.data (cert_image_fini when done) */
    int copies;                /* PRINT: as asked */
    int cups_job_id;           /* PRINT through CUPS: the job id, else 0 */
    char path[PRINT_PATH_MAX]; /* PRINT into the folder: the file written, else "" */
    char number[40];           /* PRINT, RECOVERY: the certificate number */
    bool already;              /* PRINT, RETRY, CANCEL: the journal says it came out before; not
                                  printed again */
    bool held;                 /* PRINT, RETRY, RECOVERY: not printed, and its CUPS job is on hold
                                  for staff (journal state held) */
    int64_t journal_id;        /* PRINT, RETRY, CANCEL, RECOVERY: the journal row, 0 none */
    char reasons[128]; /* STATUS: the queue's printer-state-reasons (print_cups_check_why) */
};

typedef void (*print_done_fn)(void *user, struct print_result *r);

struct print_worker;

/* Starts the worker thread. cfg is borrowed; done (required) and user are
 * kept. Returns the worker, or NULL (out of memory, thread start failed,
 * bad config). UI thread. */
struct print_worker *print_worker_start(const struct print_worker_config *cfg, print_done_fn done,
                                        void *user);

/* Queues a job; job is borrowed (COMPOSE's certificate is copied, and
 * that copy is wiped once composed). Never blocks.
 * Returns 0; ERR_INVALID (bad kind, copies, missing certificate); ERR_FULL
 * (8 jobs already waiting); ERR_CLOSED (stopping); ERR_NOMEM. Any thread. */
int print_worker_submit(struct print_worker *w, const struct print_job *job);

/* Stops the thread: the job in progress finishes, except that a CUPS job
 * not yet completed is put on hold and its row held (no certificate
 * should come out of a kiosk nobody attends; staff retry or cancel it
 * after the restart), jobs still waiting are dropped without an answer,
 * the kept PDF is wiped, the thread joined and w freed. NULL is a no-op.
 * UI thread. */
void print_worker_stop(struct print_worker *w);

#endif
