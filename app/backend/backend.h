/* backend.h - the kiosk's registry client: one worker thread on curl multi.
 *
 * DESIGN: the UI thread must never wait on the network, so every call here
 * only copies its request into a bounded inbox, wakes the worker with
 * curl_multi_wakeup and returns. The worker owns the curl multi handle and
 * every transfer; it runs retries (network errors, timeouts and 503 only,
 * with backoff, inside the request's deadline), follows property pages,
 * polls GET /v1/health, and hands each answer to on_reply as a heap
 * struct flow_reply the receiver owns. Requests carry an id that replies
 * echo; the UI drops answers it no longer waits for.
 *
 * Personal data (card, face image, records, token) is copied once into the
 * request and wiped with explicit_bzero when the transfer ends. Logs carry
 * method, path, status, elapsed ms and the problem type, nothing else.
 *
 * Threads: backend_create/destroy from one thread (the UI thread); the
 * submit calls from any thread between them (the UI thread, and the outbox
 * pump for backend_deliver): each only pushes onto the thread-safe inbox.
 * The callbacks run on the worker thread and must not block (post to the
 * UI's bus and return).
 */
#ifndef BACKEND_BACKEND_H
#define BACKEND_BACKEND_H

#include "core/flow.h"
#include "drivers/idcard/idcard.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct backend;

struct backend_config {
    const char *base_url;    /* "https://registry:8443" or "http://127.0.0.1:8080"; no
                                trailing slash needed. Required. Copied. */
    const char *kiosk_id;    /* sent as X-Kiosk-Id (honoured on loopback only). Copied. */
    const char *ca_file;     /* PEM bundle that signs the registry; NULL: system store */
    const char *client_cert; /* PEM client certificate for mutual TLS; NULL: none */
    const char *client_key;  /* PEM key of client_cert; NULL: inside client_cert */
    bool tls_insecure;       /* skip peer and host verification: never in production */
    int connect_timeout_ms;  /* per connection attempt; 0: 3000 */
    int total_timeout_ms;    /* deadline of one request, retries and pages included; 0: 10000 */
    int retries;             /* extra attempts after a network error, timeout or 503 (0..5) */
    int backoff_ms;          /* first retry delay, tripled each time; 0: 300 */
    int health_interval_ms;  /* GET /v1/health period; <= 0: no polling */
    int inbox_capacity;      /* pending requests; 0: 16 */
};

/* Fills cfg with the defaults: 3 s connect, 10 s total, 2 retries after
 * 300 ms and 900 ms, health every 10 s, TLS verified, 16 pending. */
void backend_config_default(struct backend_config *cfg);

/* Worker thread. Takes ownership of reply: free it with backend_reply_free
 * (now or later, from any thread). reply->props / reply->cert point into
 * the same allocation family and are freed with it. */
typedef void (*backend_reply_fn)(void *user, uint32_t req_id, struct flow_reply *reply);

/* Worker thread. Called with the first health result and on every change. */
typedef void (*backend_state_fn)(void *user, bool connected);

/* Starts the worker. cfg is copied; on_reply is required, on_state may be
 * NULL. Returns the backend or NULL (bad config, out of memory, curl
 * failed to initialise; the reason is logged). */
struct backend *backend_create(const struct backend_config *cfg, backend_reply_fn on_reply,
                               backend_state_fn on_state, void *user);

/* The link as the last answered health poll found it (maintenance mode):
 * rtt_ms -1 before the first answer; skew_s the registry's clock minus
 * the kiosk's, to a second, when skew_known. Any thread. */
struct backend_link {
    int rtt_ms;
    int64_t at_s;
    int64_t skew_s;
    bool skew_known;
};
void backend_link(const struct backend *b, struct backend_link *out);

/* Stops the worker, abandoning transfers in flight without calling back,
 * and wipes everything it held. NULL is a no-op. */
void backend_destroy(struct backend *b);

/* Wipes and frees a reply from on_reply, with its props or cert. NULL is
 * a no-op. Any thread. */
void backend_reply_free(struct flow_reply *reply);

/* POST /v1/sessions. Borrows card, jpeg (1..256 KiB) and challenge (may be
 * NULL): the request body is built and copied here, so the caller may wipe
 * its copies on return. Calling this states the citizen consented to face
 * verification. Answer: REPLY_SESSION with reply->token.
 * Returns 0, ERR_INVALID, ERR_FULL (inbox full), ERR_NOMEM, ERR_CLOSED. */
int backend_open_session(struct backend *b, uint32_t req_id, const struct idcard *card,
                         const uint8_t *jpeg, size_t jpeg_len, const char *liveness_challenge,
                         bool liveness_passed);

/* GET /v1/properties, every page (at most PROPERTY_LIST_MAX records).
 * Answer: REPLY_PROPERTIES with reply->props. Returns as above. */
int backend_fetch_properties(struct backend *b, uint32_t req_id, const char *token);

/* POST /v1/certificates. kind "query" or "housing_count"; purpose_zh is the
 * zh-CN purpose (1..32 characters). Answer: REPLY_CERTIFICATE with
 * reply->cert. Returns as above. */
int backend_issue_certificate(struct backend *b, uint32_t req_id, const char *token,
                              const char *kind, const char *purpose_zh);

/* POST /v1/tickets: a queue number (取号). token may be NULL or "" (a
 * ticket needs no visit; with one it is sent as the bearer). service is a
 * service code of system/api/README.md ("query", "registration",
 * "mortgage", "seizure", "cancellation"). Answer: REPLY_TICKET with
 * reply->ticket (freed with the reply). A retry after a network error
 * carries the same Idempotency-Key, so it never takes a second number.
 * Returns 0, ERR_INVALID, ERR_FULL, ERR_NOMEM, ERR_CLOSED. */
int backend_take_ticket(struct backend *b, uint32_t req_id, const char *token, const char *service);

/* The hall's services (system/api/README.md). Each returns 0, ERR_INVALID,
 * ERR_FULL, ERR_NOMEM or ERR_CLOSED, and answers later with the reply
 * kind named.
 *
 * GET /v1/services: REPLY_SERVICES with reply->services and reply->raw,
 * the body it was parsed from (for the kiosk's copy on disk). */
int backend_fetch_services(struct backend *b, uint32_t req_id);

/* GET /v1/notice: REPLY_NOTICE with reply->notice. */
int backend_fetch_notice(struct backend *b, uint32_t req_id);

/* GET /v1/appointments/slots of service for days (1..10) working days:
 * REPLY_SLOTS with reply->slots. */
int backend_fetch_slots(struct backend *b, uint32_t req_id, const char *service, int days);

/* POST /v1/appointments for the visit's citizen (token required); phone
 * must pass phone_is_mobile. REPLY_BOOKING with reply->ticket (code,
 * number, appointment, phone_masked set). A retry after a network error
 * carries the same Idempotency-Key: never a second booking. */
int backend_book(struct backend *b, uint32_t req_id, const char *token, const char *service,
                 const char *slot, const char *phone);

/* POST /v1/tickets {"kind":"appointment"}: checks in the visit's own
 * booking of today (token required). REPLY_TICKET with reply->ticket, its
 * appointment set. */
int backend_check_in(struct backend *b, uint32_t req_id, const char *token);

/* GET /v1/appointments (token required): REPLY_BOOKINGS with
 * reply->bookings. */
int backend_fetch_bookings(struct backend *b, uint32_t req_id, const char *token);

/* DELETE /v1/appointments/{code} (token required; code 1..15 of
 * [A-Za-z0-9]): REPLY_UNBOOKED, status only (err 0 on 204). A retry
 * carries the same Idempotency-Key. */
int backend_cancel_booking(struct backend *b, uint32_t req_id, const char *token, const char *code);

/* POST /v1/certificates/{number}/link (token of the visit that issued
 * it): REPLY_LINK with reply->link. */
int backend_link_certificate(struct backend *b, uint32_t req_id, const char *token,
                             const char *number);

/* GET /v1/applications (token required): REPLY_APPLICATIONS with
 * reply->apps. */
int backend_fetch_applications(struct backend *b, uint32_t req_id, const char *token);

/* GET /v1/applications/{receipt} (1..31 of [A-Za-z0-9_-]), no visit:
 * REPLY_APPLICATIONS with reply->apps holding one, without location. */
int backend_lookup_application(struct backend *b, uint32_t req_id, const char *receipt);

/* POST /v1/staff/check: whether the card on the reader is a staff
 * member's (the kiosk keeps no list of staff). No token, no
 * Idempotency-Key (the check changes nothing). Borrows card: its ID
 * number is copied into the request body here and wiped with it when the
 * transfer ends, so the caller may wipe its copy on return; it never
 * reaches a log line. The card's number must pass idnum_is_valid. Answer:
 * REPLY_STAFF with reply->staff (staff false for anyone else: not an
 * error). Returns 0, ERR_INVALID, ERR_FULL, ERR_NOMEM, ERR_CLOSED. */
int backend_check_staff(struct backend *b, uint32_t req_id, const struct idcard *card);

/* One outbox item: method ("POST", "PUT", "PATCH" or "DELETE") on path
 * ("/v1/ratings") with the given Idempotency-Key (1..64 characters of
 * [A-Za-z0-9_-]) and JSON body (required but for DELETE), and no bearer
 * token. All borrowed, copied here. No retries here: a network error, a
 * timeout or a 5xx is answered at once, and the outbox retries later with
 * the same key. Answer: REPLY_DELIVERY with reply->status (0: no answer
 * came) and reply->err (0 for a 2xx).
 * Returns 0, ERR_INVALID, ERR_FULL, ERR_NOMEM, ERR_CLOSED. */
int backend_deliver(struct backend *b, uint32_t req_id, const char *method, const char *path,
                    const char *key, const char *body);

/* POST /v1/heartbeat with body (JSON, borrowed, copied here), no key, no
 * retry (the next heartbeat replaces a lost one). Answer: REPLY_DELIVERY
 * with reply->status and the body in reply->raw (raw_len) on a 2xx.
 * Returns 0, ERR_INVALID, ERR_FULL, ERR_NOMEM, ERR_CLOSED. */
int backend_heartbeat(struct backend *b, uint32_t req_id, const char *body);

/* GET /v1/kiosks/{kiosk}/settings?have=HAVE (kiosk 1..64 of
 * [A-Za-z0-9_-]), no retry. Answer: REPLY_DELIVERY with reply->status
 * (304: have is current) and the document in reply->raw on a 200.
 * Returns as above. */
int backend_fetch_kiosk_settings(struct backend *b, uint32_t req_id, const char *kiosk,
                                 int64_t have);

/* DELETE /v1/sessions/current, fire and forget: no answer is delivered.
 * Returns 0, ERR_INVALID, ERR_FULL, ERR_CLOSED. */
int backend_end_session(struct backend *b, const char *token);

/* Withdraws request req_id if still queued or in flight: no answer will be
 * delivered for it. Returns 0 or ERR_FULL. An answer already handed to
 * on_reply before the worker saw the cancel still arrives. */
int backend_cancel(struct backend *b, uint32_t req_id);

#endif
