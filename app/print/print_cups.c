/* print_cups.c - CUPS delivery of certificate PDFs; see print_cups.h.
 * Runs on the print worker thread (and in the devices test). */
#include "print/print_cups.h"

#include "base/err.h"
#include "base/log.h"

#include <cups/cups.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Translates the calling thread's last libcups status, once, here. */
static int cups_err(void)
{
    ipp_status_t st = cupsLastError();
    switch (st) {
    case IPP_STATUS_ERROR_NOT_FOUND:
        return ERR_NOTFOUND;
    case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
        return ERR_BUSY;
    case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE:
        return ERR_NETWORK;
    case IPP_STATUS_ERROR_TIMEOUT:
        return ERR_TIMEOUT;
    case IPP_STATUS_ERROR_FORBIDDEN:
    case IPP_STATUS_ERROR_NOT_AUTHORIZED:
    case IPP_STATUS_ERROR_NOT_POSSIBLE:
    case IPP_STATUS_ERROR_BAD_REQUEST:
    case IPP_STATUS_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED:
        return ERR_REJECTED;
    default:
        return ERR_IO;
    }
}

const char *print_cups_state_name(enum print_cups_job_state s)
{
    static const char *const names[] = {"queued", "printing", "done", "stopped", "failed"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

static const char *dest_option(const cups_dest_t *d, const char *name)
{
    const char *v = cupsGetOption(name, d->num_options, d->options);
    return v ? v : "";
}

static bool scheduler_reachable(void)
{
    http_t *h =
        httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1, 5000, NULL);
    if (!h)
        return false;
    httpClose(h);
    return true;
}

int print_cups_check(const char *queue)
{
    return print_cups_check_why(queue, NULL, 0);
}

/* reasons into out, whole keywords only. */
static void copy_reasons(const char *reasons, char *out, size_t size)
{
    if (!out || !size)
        return;
    out[0] = '\0';
    size_t n = strlen(reasons);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && reasons[n] != ',')
            n--;
    }
    memcpy(out, reasons, n);
    out[n] = '\0';
}

int print_cups_check_why(const char *queue, char *reasons, size_t size)
{
    copy_reasons("", reasons, size);
    if (!queue || !queue[0])
        return ERR_INVALID;
    cups_dest_t *d = cupsGetNamedDest(CUPS_HTTP_DEFAULT, queue, NULL);
    if (!d) {
        /* libcups says "not found" also when there is no scheduler to ask;
         * a staff member needs to know which of the two it is. */
        int err = scheduler_reachable() ? ERR_NOTFOUND : ERR_NETWORK;
        log_warn("print", "queue %s: %s", queue,
                 err == ERR_NETWORK ? "no CUPS scheduler reachable" : "no such queue");
        return err;
    }
    int err = 0;
    copy_reasons(dest_option(d, "printer-state-reasons"), reasons, size);
    if (strcmp(dest_option(d, "printer-state"), "5") == 0) {
        log_warn("print", "queue %s is stopped: %s", queue,
                 dest_option(d, "printer-state-reasons"));
        err = ERR_NODEV;
    } else if (strcmp(dest_option(d, "printer-is-accepting-jobs"), "false") == 0) {
        log_warn("print", "queue %s does not accept jobs", queue);
        err = ERR_BUSY;
    }
    cupsFreeDests(1, d);
    return err;
}

static int submit(const char *queue, const void *pdf, size_t len, const char *title, int copies,
                  bool held, int *job_id)
{
    if (!queue || !queue[0] || !pdf || !len || !title || !job_id || copies < 1 || copies > 9)
        return ERR_INVALID;
    *job_id = 0;
    int err = print_cups_check(queue);
    if (err && !(held && err == ERR_NODEV))
        return err;

    char ncopies[4];
    snprintf(ncopies, sizeof ncopies, "%d", copies);
    cups_option_t *opts = NULL;
    int nopts = 0;
    nopts = cupsAddOption(CUPS_COPIES, ncopies, nopts, &opts);
    nopts = cupsAddOption(CUPS_MEDIA, CUPS_MEDIA_A4, nopts, &opts);
    nopts = cupsAddOption(CUPS_SIDES, CUPS_SIDES_ONE_SIDED, nopts, &opts);
    if (held)
        nopts = cupsAddOption("job-hold-until", "indefinite", nopts, &opts);

    int job = cupsCreateJob(CUPS_HTTP_DEFAULT, queue, title, nopts, opts);
    cupsFreeOptions(nopts, opts);
    if (job <= 0) {
        err = cups_err();
        log_warn("print", "queue %s: create job: %s", queue, cupsLastErrorString());
        return err;
    }
    if (cupsStartDocument(CUPS_HTTP_DEFAULT, queue, job, title, CUPS_FORMAT_PDF, 1) !=
        HTTP_STATUS_CONTINUE) {
        err = ERR_IO;
        goto fail;
    }
    const char *p = pdf;
    size_t left = len;
    while (left) {
        size_t n = left > 65536 ? 65536 : left;
        if (cupsWriteRequestData(CUPS_HTTP_DEFAULT, p, n) != HTTP_STATUS_CONTINUE) {
            err = ERR_IO;
            cupsFinishDocument(CUPS_HTTP_DEFAULT, queue);
            goto fail;
        }
        p += n;
        left -= n;
    }
    if (cupsFinishDocument(CUPS_HTTP_DEFAULT, queue) > IPP_STATUS_OK_EVENTS_COMPLETE) {
        err = cups_err();
        goto fail;
    }
    *job_id = job;
    return 0;
fail:
    log_warn("print", "queue %s: job %d: sending the document failed: %s", queue, job,
             cupsLastErrorString());
    cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, job, 0);
    return err;
}

int print_cups_submit(const char *queue, const void *pdf, size_t len, const char *title, int copies,
                      int *job_id)
{
    return submit(queue, pdf, len, title, copies, false, job_id);
}

int print_cups_submit_held(const char *queue, const void *pdf, size_t len, const char *title,
                           int copies, int *job_id)
{
    return submit(queue, pdf, len, title, copies, true, job_id);
}

int print_cups_state(const char *queue, int job_id, enum print_cups_job_state *state)
{
    if (!queue || !queue[0] || job_id <= 0 || !state)
        return ERR_INVALID;
    char uri[64];
    snprintf(uri, sizeof uri, "ipp://localhost/jobs/%d", job_id);
    ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
    static const char *const want[] = {"job-state"};
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 1, NULL, want);
    ipp_t *resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
    if (!resp || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) {
        int err = cups_err();
        ippDelete(resp);
        return err;
    }
    ipp_attribute_t *a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
    if (!a) {
        ippDelete(resp);
        return ERR_IO;
    }
    ipp_jstate_t js = (ipp_jstate_t)ippGetInteger(a, 0);
    ippDelete(resp);
    switch (js) {
    case IPP_JSTATE_PENDING:
    case IPP_JSTATE_HELD:
        *state = PRINT_CUPS_QUEUED;
        break;
    case IPP_JSTATE_PROCESSING:
        *state = PRINT_CUPS_PRINTING;
        break;
    case IPP_JSTATE_STOPPED:
        *state = PRINT_CUPS_STOPPED;
        break;
    case IPP_JSTATE_COMPLETED:
        *state = PRINT_CUPS_DONE;
        break;
    default:
        *state = PRINT_CUPS_FAILED;
        break;
    }
    /* A job waits politely on a stopped queue for ever; say so. */
    if (*state == PRINT_CUPS_QUEUED || *state == PRINT_CUPS_PRINTING) {
        int err = print_cups_check(queue);
        if (err == ERR_NODEV)
            *state = PRINT_CUPS_STOPPED;
    }
    return 0;
}

int print_cups_cancel(const char *queue, int job_id)
{
    if (!queue || !queue[0] || job_id <= 0)
        return ERR_INVALID;
    if (cupsCancelJob2(CUPS_HTTP_DEFAULT, queue, job_id, 0) > IPP_STATUS_OK_EVENTS_COMPLETE)
        return cups_err();
    return 0;
}

int print_cups_find(const char *queue, const char *title, int *job_id)
{
    if (!queue || !queue[0] || !title || !job_id)
        return ERR_INVALID;
    *job_id = 0;
    cups_job_t *jobs = NULL;
    int n = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, queue, 0, CUPS_WHICHJOBS_ALL);
    if (n < 0)
        return ERR_NETWORK;
    for (int i = 0; i < n; i++)
        if (jobs[i].title && strcmp(jobs[i].title, title) == 0 && jobs[i].id > *job_id)
            *job_id = jobs[i].id;
    cupsFreeJobs(n, jobs);
    return *job_id > 0 ? 0 : ERR_NOTFOUND;
}

/* One IPP operation on a job by its URI, with the kiosk's user name; attrs
 * (may be NULL) adds the operation's own attributes. Returns the answer
 * (the caller deletes it) or NULL with the error in *err. */
static ipp_t *job_request(ipp_op_t op, int job_id, void (*attrs)(ipp_t *req, const void *arg),
                          const void *arg, int *err)
{
    char uri[64];
    snprintf(uri, sizeof uri, "ipp://localhost/jobs/%d", job_id);
    ipp_t *req = ippNewRequest(op);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
    if (attrs)
        attrs(req, arg);
    ipp_t *resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
    if (!resp || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) {
        *err = cups_err();
        ippDelete(resp);
        return NULL;
    }
    *err = 0;
    return resp;
}

static void hold_attrs(ipp_t *req, const void *arg)
{
    (void)arg;
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "job-hold-until", NULL, "indefinite");
}

static int job_op(const char *queue, int job_id, ipp_op_t op, const char *what,
                  void (*attrs)(ipp_t *req, const void *arg), const void *arg)
{
    if (!queue || !queue[0] || job_id <= 0)
        return ERR_INVALID;
    int err = 0;
    ipp_t *resp = job_request(op, job_id, attrs, arg, &err);
    if (err)
        log_warn("print", "queue %s: job %d: %s refused: %s", queue, job_id, what,
                 cupsLastErrorString());
    ippDelete(resp);
    return err;
}

int print_cups_hold(const char *queue, int job_id)
{
    return job_op(queue, job_id, IPP_OP_HOLD_JOB, "hold", hold_attrs, NULL);
}

int print_cups_release(const char *queue, int job_id)
{
    return job_op(queue, job_id, IPP_OP_RELEASE_JOB, "release", NULL, NULL);
}

static void pages_attrs(ipp_t *req, const void *arg)
{
    const int *r = arg;
    ippAddRange(req, IPP_TAG_JOB, "page-ranges", r[0], r[1]);
}

int print_cups_set_pages(const char *queue, int job_id, int first, int last)
{
    if (first < 1 || last < first)
        return ERR_INVALID;
    int range[2] = {first, last};
    return job_op(queue, job_id, IPP_OP_SET_JOB_ATTRIBUTES, "page-ranges", pages_attrs, range);
}

static void want_impressions(ipp_t *req, const void *arg)
{
    (void)arg;
    static const char *const want[] = {"job-impressions-completed"};
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 1, NULL, want);
}

int print_cups_pages_done(const char *queue, int job_id, int *pages)
{
    if (!queue || !queue[0] || job_id <= 0 || !pages)
        return ERR_INVALID;
    *pages = 0;
    int err = 0;
    ipp_t *resp = job_request(IPP_OP_GET_JOB_ATTRIBUTES, job_id, want_impressions, NULL, &err);
    if (err)
        return err;
    ipp_attribute_t *a = ippFindAttribute(resp, "job-impressions-completed", IPP_TAG_INTEGER);
    if (a && ippGetInteger(a, 0) > 0)
        *pages = ippGetInteger(a, 0);
    ippDelete(resp);
    return 0;
}
