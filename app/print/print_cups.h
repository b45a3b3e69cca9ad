/* print_cups.h - the A4 printer through CUPS (libcups), PDF jobs.
 *
 * The PDF is streamed to the scheduler from memory (Create-Job, then
 * Send-Document through cupsStartDocument/cupsWriteRequestData), so the
 * kiosk never writes a spool file of its own. The scheduler is found the
 * libcups way: CUPS_SERVER, client.conf, then the local socket.
 * Each call blocks on IPP round trips to the scheduler (milliseconds on
 * the local socket): call from the print worker thread, never the UI.
 * libcups keeps one connection per thread.
 *
 * Errors map to enum err: a queue that does not exist is ERR_NOTFOUND, a
 * stopped queue (paper out, jam, unplugged, disabled by staff) ERR_NODEV,
 * a queue refusing jobs ERR_BUSY, no scheduler ERR_NETWORK, a refused
 * request ERR_REJECTED, anything else ERR_IO. The reason from CUPS goes
 * to the log; it names the queue, never the document.
 */
#ifndef PRINT_PRINT_CUPS_H
#define PRINT_PRINT_CUPS_H

#include <stddef.h>

enum print_cups_job_state {
    PRINT_CUPS_QUEUED = 0, /* pending or held */
    PRINT_CUPS_PRINTING,   /* processing */
    PRINT_CUPS_DONE,       /* completed: the printer has taken every page */
    PRINT_CUPS_STOPPED,    /* the job or its queue stopped; someone has to act */
    PRINT_CUPS_FAILED      /* aborted or cancelled */
};

/* Checks that queue exists, is not stopped and accepts jobs. queue is
 * borrowed. Returns 0, ERR_NOTFOUND, ERR_NODEV, ERR_BUSY, ERR_NETWORK. */
int print_cups_check(const char *queue);

/* As print_cups_check, and the queue's printer-state-reasons as CUPS
 * keeps them ("media-empty-error,cover-open-report"; "none"; "" when the
 * queue was not found) into reasons (size bytes, cut at a comma). */
int print_cups_check_why(const char *queue, char *reasons, size_t size);

/* Checks the queue, then submits len bytes of PDF as one job of copies
 * copies (1..9) on A4, named title (shown in the CUPS job list: no
 * personal data). All pointers borrowed. On success *job_id > 0.
 * Returns 0 or the errors of print_cups_check; ERR_INVALID for bad
 * arguments; ERR_IO when the transfer fails (the half-made job is
 * cancelled). */
int print_cups_submit(const char *queue, const void *pdf, size_t len, const char *title, int copies,
                      int *job_id);

/* As print_cups_submit, but the job is made on hold (job-hold-until
 * indefinite), and a stopped queue takes it: a certificate for a queue
 * that stopped is kept by the scheduler for staff to release once the
 * printer runs again, and never prints by itself. Returns 0 with *job_id,
 * or the errors of print_cups_submit other than ERR_NODEV. */
int print_cups_submit_held(const char *queue, const void *pdf, size_t len, const char *title,
                           int copies, int *job_id);

/* Asks the scheduler how job_id is doing. A job waiting on a stopped queue
 * reads PRINT_CUPS_STOPPED. Returns 0 with *state set; ERR_NOTFOUND for an
 * unknown job; ERR_NETWORK, ERR_IO. */
int print_cups_state(const char *queue, int job_id, enum print_cups_job_state *state);

/* Finds the newest job on queue named title (any state, completed ones
 * included while CUPS keeps their history): how a restarted kiosk learns
 * whether a submission it did not see the end of reached the scheduler.
 * Returns 0 with *job_id, ERR_NOTFOUND, ERR_NETWORK, ERR_INVALID. */
int print_cups_find(const char *queue, const char *title, int *job_id);

/* Cancels job_id (staff dropped a held certificate). Returns 0 or an
 * error. */
int print_cups_cancel(const char *queue, int job_id);

/* Puts job_id on hold indefinitely (IPP Hold-Job, job-hold-until
 * indefinite): a job that cannot print now never prints by itself later,
 * with nobody at the kiosk to take the pages, yet keeps its document in
 * the scheduler for staff to release. Returns 0, ERR_NOTFOUND (no such
 * job), ERR_REJECTED (finished already), ERR_NETWORK, ERR_IO. */
int print_cups_hold(const char *queue, int job_id);

/* Releases a held job_id (IPP Release-Job): it prints when its queue
 * runs. Returns as print_cups_hold. */
int print_cups_release(const char *queue, int job_id);

/* The pages of job_id the printer reported done (job-impressions-completed;
 * 0 when the printer or backend does not count them). Returns 0 with
 * *pages, or an error as print_cups_state. */
int print_cups_pages_done(const char *queue, int job_id, int *pages);

/* Limits a held job_id to pages first..last (Set-Job-Attributes
 * page-ranges): on a retry, the pages that did not come out. The filter
 * chain honours it (pdftopdf); a raw queue sends the whole document.
 * Returns 0 or an error as print_cups_hold. */
int print_cups_set_pages(const char *queue, int job_id, int first, int last);

/* Stable lowercase name of a state for logs and the maintenance screen. */
const char *print_cups_state_name(enum print_cups_job_state s);

#endif
