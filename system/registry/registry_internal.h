/* registry_internal.h - what the pieces of bdc-registry share inside
 * kiosk_registry: the registry, a call and its reply, the visit behind a
 * bearer token, the reply and request helpers of registry_reply.c and the
 * endpoint handlers the routing table of registry.c names. It runs on
 * libmicrohttpd's pool of threads; every handler but the health check runs
 * under the registry's lock, so the one database connection (and the
 * limiter) serve one request at a time. Not for use outside
 * system/registry.
 */
#ifndef REGISTRY_REGISTRY_INTERNAL_H
#define REGISTRY_REGISTRY_INTERNAL_H

#include "base/buf.h"
#include "registry/registry.h"
#include "registry/registry_calendar.h"
#include "registry/registry_guard.h"
#include "registry/registry_req.h"
#include "registry/registry_store.h"

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct registry {
    struct MHD_Daemon *daemon;
    pthread_mutex_t lock; /* held by every handler but health: db, limiter */
    struct registry_guard *guard;
    struct registry_limiter *limiter; /* failed guesses at /v1/verify and /e/ */
    struct store *db;
    struct registry_calendar *cal; /* read-only after registry_start */
    int port;
    int ttl_s;
    int fleet_stale_s; /* a kiosk without a heartbeat this long is stale */
    char url[96];
    char public_url[256];
    bool tls;                          /* kiosks are their certificates' CNs */
    unsigned tls_flag;                 /* MHD_USE_TLS or 0 */
    struct MHD_OptionItem tls_opts[4]; /* cert, key, kiosk CA; or MHD_OPTION_END */
    struct buf tls_pem[3];             /* their PEM text (owned, wiped) */
};

/* Per connection: the body as it arrives. */
struct request {
    struct buf body;
    bool too_big;
};

struct reply {
    int status;
    const char *ctype; /* static string */
    char *body;        /* owned, malloc'd; may be NULL for an empty body */
    size_t len;
    const char *allow; /* Allow header for 405 */
    int retry_after_s; /* Retry-After header for 429 when > 0 */
};

struct call {
    struct registry *reg;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *body;
    size_t len;
    char kiosk[65];
    bool kiosk_by_cert; /* kiosk came from a verified client certificate */
};

/* The citizen behind a bearer token. */
struct visit {
    char id_number[24];
    char name_masked[64];
    char id_masked[24];
};

/* ---- replies and request helpers (registry_reply.c) --------------------- */

void reply_text(struct reply *r, int status, const char *ctype, const char *text);
/* Takes j. */
void reply_json(struct reply *r, int status, cJSON *j);
void reply_problem(struct reply *r, enum registry_problem p, const char *detail);
/* The same with a title of the moment ("请于 09:30 后签到"); NULL: the type's. */
void reply_problem_titled(struct reply *r, enum registry_problem p, const char *title,
                          const char *detail);
void reply_fini(struct reply *r);

void now_iso(char *out, unsigned size);
int today_ymd(void);
int random_bytes(void *p, size_t n);
/* n characters (n <= 32) of the verify-code alphabet, then a NUL. */
int random_code(char *out, size_t n);
const char *header(struct MHD_Connection *c, const char *name);
const char *col(struct store_stmt *st, int i);
/* Appends s (NULL: nothing) with < > & " ' as HTML entities: the pages
 * people open (the verify page, the fleet's status). */
void html_escape(struct buf *b, const char *s);
/* o's string member key, or "" when it is not a string. */
const char *json_str(const cJSON *o, const char *key);
/* Finds the visit of the bearer token. PROB_NONE, PROB_SESSION_EXPIRED or
 * PROB_UNAVAILABLE. */
enum registry_problem bearer(struct call *c, struct visit *v);
/* The visit of the bearer token into v, or the problem replied in r:
 * false then, and the handler returns. */
bool visit_or_reply(struct call *c, struct reply *r, struct visit *v);
/* Returns owned. */
cJSON *requester_json(const struct visit *v);
/* Parses a non-negative decimal of at most 6 digits; -1 if not one. */
int small_number(const char *s);
/* Whether the connection comes from 127.0.0.0/8 or ::1 (registry.c). */
bool is_loopback(struct MHD_Connection *c);
/* The client's address as 16 bytes (IPv4 mapped into IPv6), the limiter's
 * key; all zero if unknown (registry.c). */
void client_key(struct MHD_Connection *c, unsigned char out[16]);
/* Under the lock: whether the client has used up its failed guesses at
 * the public lookups; if so r holds the 429 (HTML when html) and the
 * handler returns. guess_failed() charges one failure. registry_certs.c. */
bool guesses_exhausted(struct call *c, struct reply *r, bool html);
void guess_failed(struct call *c);

/* ---- mutual TLS (registry_tls.c) ------------------------------------------- */

/* Reads cfg's certificate, key and kiosk CA into reg->tls_pem and fills
 * reg->tls_opts and reg->tls_flag; none of the three: plain HTTP (0).
 * Returns 0, ERR_INVALID (not all three, not PEM) or ERR_IO; logs why.
 * Starting thread. */
int registry_tls_load(struct registry *reg, const struct registry_config *cfg);
/* Wipes and frees what registry_tls_load read. */
void registry_tls_fini(struct registry *reg);
/* The kiosk id of a TLS connection: the one subject CN of a client
 * certificate that the kiosk CA signed, in its dates, for TLS clients.
 * Writes it to out (size bytes) and returns 0; else ERR_REJECTED (or
 * ERR_NOMEM) with the reason in why (no personal data). */
int registry_tls_kiosk(struct MHD_Connection *conn, char *out, size_t size, char *why,
                       size_t why_size);

/* ---- endpoints: registry_sessions.c, registry_certs.c, registry_guide.c -- */

void on_health(struct call *c, struct reply *r);
void on_session_open(struct call *c, struct reply *r);
void on_session_close(struct call *c, struct reply *r);
void on_properties(struct call *c, struct reply *r);
void on_rating(struct call *c, struct reply *r);
void on_ticket(struct call *c, struct reply *r);
void on_certificate(struct call *c, struct reply *r);
void on_verify(struct call *c, struct reply *r);
void on_certificate_link(struct call *c, struct reply *r);
void on_link_page(struct call *c, struct reply *r);
void on_services(struct call *c, struct reply *r);
void on_notice(struct call *c, struct reply *r);
void on_calendar(struct call *c, struct reply *r);

/* ---- endpoints: registry_appointments.c ---------------------------------- */

void on_slots(struct call *c, struct reply *r);
void on_book(struct call *c, struct reply *r);
void on_appointments(struct call *c, struct reply *r);
void on_cancel(struct call *c, struct reply *r);

/* ---- endpoints and seed: registry_staff.c ---------------------------------- */

void on_staff_check(struct call *c, struct reply *r);
void on_audit(struct call *c, struct reply *r);
/* GET /v1/audit: answers only on loopback (the hall's tools, the tests). */
void on_audit_list(struct call *c, struct reply *r);
/* Adds the demo staff to an empty table. Returns how many, 0 if it had
 * some, or ERR_IO. Starting thread. */
int registry_staff_seed(struct store *db);

/* ---- endpoints: registry_fleet.c, registry_fleet_page.c ------------------------ */

#define FLEET_KEEP        60 /* heartbeats kept per kiosk */
#define FLEET_STALE_S_DEF 180

/* Whether a heartbeat reports something to see to: a device not "ok", or
 * errors counted. */
bool fleet_problem(const cJSON *hb);
/* The number of a kiosk's settings document; 0 without one. */
int64_t fleet_settings_version(struct store *db, const char *kiosk);
/* Fills an empty fleet_kiosks from the heartbeats kept (a database from
 * before the table). Returns the kiosks added, or ERR_IO. Starting thread. */
int registry_fleet_catch_up(struct store *db);

void on_heartbeat(struct call *c, struct reply *r);
void on_kiosk_settings(struct call *c, struct reply *r);
/* PUT /v1/kiosks/{id}/settings: loopback only (the hall's tools). */
void on_kiosk_settings_put(struct call *c, struct reply *r);
/* GET /fleet and /fleet/{id}: loopback only. */
void on_fleet(struct call *c, struct reply *r);
void on_fleet_kiosk(struct call *c, struct reply *r);

/* ---- endpoints and seed: registry_progress.c ------------------------------ */

void on_applications(struct call *c, struct reply *r);
void on_application(struct call *c, struct reply *r);
/* Adds the demo applications to an empty table, placed relative to now on
 * cal. Returns how many, 0 if it had some, or ERR_IO. Starting thread. */
int registry_progress_seed(struct store *db, const struct registry_calendar *cal, int64_t now);

#endif
