/* backend_internal.h - what the pieces of the registry client share
 * inside kiosk_backend: the limits, the operations, the inbox message, a
 * transfer (struct xfer) and the backend itself, and the functions that
 * pass a transfer from one job to the next. Everything below struct
 * backend's `xfers` is the worker thread's alone. Not for use outside
 * app/backend.
 */
#ifndef BACKEND_BACKEND_INTERNAL_H
#define BACKEND_BACKEND_INTERNAL_H

#include "backend/backend.h"
#include "backend/regjson.h"
#include "base/buf.h"
#include "base/queue.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define MOD          "backend"
#define RESPONSE_MAX (1024 * 1024)
#define URL_MAX      1024
#define BASE_URL_MAX 512
#define RETRIES_MAX  5
/* Request bodies: the base64 face image plus the card fields. */
#define REQUEST_MAX (REGJSON_JPEG_MAX / 3 * 4 + 16 * 1024)
/* An endless run of empty pages with cursors must end too. */
#define PAGES_MAX (PROPERTY_LIST_MAX + 1)
/* backend_deliver: method and path of an outbox item, its key. */
#define METHOD_MAX 8
#define PATH_MAX_  128
#define IDEM_MAX   65

enum op {
    OP_SESSION,
    OP_PROPERTIES,
    OP_CERT,
    OP_END,
    OP_CANCEL,
    OP_HEALTH,
    OP_TICKET,
    OP_SERVICES,
    OP_NOTICE,
    OP_SLOTS,
    OP_BOOK,
    OP_APPLICATIONS,
    OP_APPLICATION,
    OP_BOOKINGS,
    OP_UNBOOK,
    OP_LINK,
    OP_DELIVER,
    OP_STAFF,
    OP_HEARTBEAT,
    OP_KIOSK_SETTINGS
};

static const struct {
    const char *method;
    const char *path;
    bool write;
} op_info[] = {
    [OP_SESSION] = {"POST", "/v1/sessions", true},
    [OP_PROPERTIES] = {"GET", "/v1/properties", false},
    [OP_CERT] = {"POST", "/v1/certificates", true},
    [OP_END] = {"DELETE", "/v1/sessions/current", true},
    [OP_CANCEL] = {"", "", false},
    [OP_HEALTH] = {"GET", "/v1/health", false},
    [OP_TICKET] = {"POST", "/v1/tickets", true},
    [OP_SERVICES] = {"GET", "/v1/services", false},
    [OP_NOTICE] = {"GET", "/v1/notice", false},
    [OP_SLOTS] = {"GET", "/v1/appointments/slots", false},
    [OP_BOOK] = {"POST", "/v1/appointments", true},
    [OP_APPLICATIONS] = {"GET", "/v1/applications", false},
    [OP_APPLICATION] = {"GET", "/v1/applications/", false},
    [OP_BOOKINGS] = {"GET", "/v1/appointments", false},
    [OP_UNBOOK] = {"DELETE", "/v1/appointments/", true}, /* a booking code follows */
    [OP_LINK] = {"POST", "/v1/certificates/", true},     /* "{number}/link" follows */
    [OP_DELIVER] = {"", "", true},                       /* the caller's method, path and key */
    [OP_STAFF] = {"POST", "/v1/staff/check", false},     /* changes nothing: no key */
    [OP_HEARTBEAT] = {"POST", "/v1/heartbeat", false},   /* a repeat is one more report */
    [OP_KIOSK_SETTINGS] = {"GET", "/v1/kiosks/", false}, /* "{id}/settings?have=N" follows */
};

/* What follows an operation's path: a query ("?service=query&days=5") or
 * the rest of the path (a receipt number, a booking code, a certificate
 * number and "/link"), already URL-safe. Not logged. */
#define SUFFIX_MAX 96

/* One inbox message: copied by value; body's storage moves with it. */
struct msg {
    enum op op;
    uint32_t req_id;
    int64_t submitted_ms;
    char token[256];
    char suffix[SUFFIX_MAX];
    char method[METHOD_MAX];
    char path[PATH_MAX_];
    char idem[IDEM_MAX]; /* OP_DELIVER: the caller's key */
    struct buf body;
};

struct xfer {
    struct xfer *next;
    struct backend *b;
    enum op op;
    uint32_t req_id;
    char token[256];
    char suffix[SUFFIX_MAX];
    char method[METHOD_MAX];
    char path[PATH_MAX_];
    char idem[IDEM_MAX]; /* drawn once per request; OP_DELIVER: the caller's */
    struct buf body;     /* request, owned, wiped */
    struct buf resp;     /* current attempt's reply, wiped */
    CURL *easy;          /* non-NULL while in the multi */
    struct curl_slist *headers;
    char url[URL_MAX];
    int attempt;                 /* 0 for the first try of the current page */
    int64_t start_ms;            /* submission */
    int64_t deadline_ms;         /* start + total timeout */
    int64_t attempt_ms;          /* when the current attempt began */
    int64_t retry_at_ms;         /* > 0 while waiting to retry */
    bool too_big;                /* the reply passed RESPONSE_MAX */
    struct property_list *props; /* OP_PROPERTIES: pages gathered so far */
    char cursor[REGJSON_CURSOR_MAX];
    int pages;
};

struct backend {
    struct backend_config cfg; /* strings point at the copies below */
    char *base_url, *kiosk_id, *ca_file, *client_cert, *client_key;
    backend_reply_fn on_reply;
    backend_state_fn on_state;
    void *user;
    struct queue *inbox;
    CURLM *multi;
    pthread_t thread;
    atomic_bool stop;
    struct xfer *xfers;  /* worker only */
    struct xfer *health; /* the poll in flight, also on xfers */
    int64_t next_health_ms;
    int state; /* -1 unknown, 0 down, 1 up */
    /* The last answered health poll, for backend_link (any thread). */
    atomic_int health_rtt_ms;      /* -1: none yet */
    _Atomic int64_t health_at_s;   /* wall time of that answer; 0: none */
    _Atomic int64_t health_skew_s; /* registry clock minus ours */
    atomic_bool health_skew_known; /* the answer carried the registry's time */
};

/* ---- a transfer (backend_request.c) ---------------------------------- */

/* Under 256 bytes of printable ASCII without spaces: safe in a header. */
bool token_ok(const char *t);
/* A transfer for op, or NULL without memory. Its method and path are
 * op's (OP_DELIVER: the caller sets them, and its key). */
struct xfer *xfer_new(struct backend *b, enum op op, uint32_t req_id, int64_t start_ms);
/* Starts an attempt, or ends the request if it cannot start. */
void xfer_launch(struct backend *b, struct xfer *x, int64_t now);
void xfer_unlink(struct backend *b, struct xfer *x);
/* Takes x out of the multi, wipes and frees it; unlink it first. */
void xfer_free(struct backend *b, struct xfer *x);

/* ---- answers and retries (backend_retry.c) ---------------------------- */

struct flow_reply *reply_new(struct xfer *x);
void reply_fail(struct flow_reply *r, int err, enum flow_problem problem, const char *detail);
void deliver(struct backend *b, struct xfer *x, struct flow_reply *r);
/* Finishes an attempt that curl reports done: answer, next page or retry. */
void xfer_done(struct backend *b, struct xfer *x, CURLcode cc);

/* ---- the worker (backend_worker.c) ------------------------------------- */

void *worker_main(void *arg);

#endif
