/* regjson.h - the registry's JSON, both ways, as pure functions.
 *
 * Formats request bodies (open session, certificate, rating, audit event,
 * staff check) and parses replies (session, properties, certificate,
 * problem+json, health, the hall's services, staff) into the
 * fixed-size structs of core/model.h. Replies come from the network, so
 * every field is checked: present, of the right type, not null, valid
 * UTF-8, no longer than its struct field, lists no longer than their
 * array, enum names known. Anything else is ERR_BADREPLY with a detail
 * naming the field path ("items[2].encumbrances[0].kind: unknown value");
 * a value is never cut short to fit. Details never quote values, so they
 * may be logged. Any thread; no globals.
 *
 * Request bodies are written by hand into a struct buf rather than built
 * as a cJSON tree: the card fields and the face image then live in exactly
 * one buffer, which buf_fini wipes.
 */
#ifndef BACKEND_REGJSON_H
#define BACKEND_REGJSON_H

#include "base/buf.h"
#include "core/flow.h"
#include "core/model.h"
#include "drivers/idcard/idcard.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest decoded face image the contract accepts (256 KiB). */
#define REGJSON_JPEG_MAX (256 * 1024)
/* Size of a detail message buffer that never cuts a field path short. */
#define REGJSON_DETAIL_MAX 256
/* Longest pagination cursor the kiosk follows (bytes, plus the NUL). */
#define REGJSON_CURSOR_MAX 256

/* The 201 reply of POST /v1/sessions. */
struct regjson_session {
    char token[256];           /* printable ASCII, no spaces: goes into a header */
    char expires_at[32];       /* ISO 8601 */
    char verdict[16];          /* "match" on success */
    char name_masked[64];      /* 张* */
    char id_number_masked[24]; /* 4108**********1234 */
};

/* An application/problem+json body (RFC 9457). */
struct regjson_problem {
    char type[128];   /* "urn:bdc:problem:face-no-match", or "" */
    char title[128];  /* plain Chinese for the citizen, may be "" */
    char detail[256]; /* for logs, may be "" */
    int status;       /* 0 when absent */
};

/* Appends the POST /v1/sessions body to out: the card, consent, the JPEG
 * as base64, and the liveness result. Borrows everything. out should have
 * a max of at least 4/3 * jpeg_len + 4 KiB. Returns 0, ERR_INVALID (no
 * image, jpeg_len > REGJSON_JPEG_MAX, unknown card type), ERR_TOOBIG,
 * ERR_NOMEM. On error out may hold part of the body: the caller wipes it
 * (buf_fini does). */
int regjson_format_session_request(const struct idcard *card, const uint8_t *jpeg, size_t jpeg_len,
                                   const char *liveness_challenge, bool liveness_passed,
                                   struct buf *out);

/* Appends {"kind":..., "purpose":...}. kind is "query" or "housing_count";
 * purpose is 1..32 characters of UTF-8. Returns 0, ERR_INVALID,
 * ERR_TOOBIG, ERR_NOMEM. */
int regjson_format_certificate_request(const char *kind, const char *purpose, struct buf *out);

#define REGJSON_REASONS_MAX 8
#define REGJSON_REASON_MAX  64 /* bytes of one reason, with its NUL */

/* A rating as the registry takes it (POST /v1/ratings). Everything it may
 * carry is here; a token, a name or an ID number never is. */
struct regjson_rating {
    int level;                  /* 1 (非常不满意) .. 5 (非常满意) */
    const char *service;        /* 1..31 bytes: "query", "certificate", "hall" */
    const char *const *reasons; /* reason_count (0..8) strings of 1..63 bytes: 等待时间长 */
    int reason_count;
    const char *ref_kind; /* NULL or "": no ref; "ticket", "appointment", "certificate" */
    const char *ref_id;   /* 1..64 bytes: the queue number or certificate number */
};

/* Appends {"level":N,"service":...,"reasons":[...]} and, with a ref,
 * "ref":{"kind":...,"id":...}. Returns 0, ERR_INVALID, ERR_TOOBIG,
 * ERR_NOMEM. */
int regjson_format_rating(const struct regjson_rating *r, struct buf *out);

/* One thing staff did at the kiosk, as the audit trail takes it (POST
 * /v1/audit, delivered through the outbox). Never a citizen's data. */
struct regjson_audit {
    const char *at;       /* ISO 8601, whole seconds, "Z" or "+08:00": 20 or 25 bytes */
    const char *staff_no; /* 0..15 of [0-9A-Za-z]; NULL or "" for a refused entry */
    const char *action;   /* audit_action_is_known (base/util.h): "enter", "test_slip" ... */
    const char *detail;   /* NULL or 0..128 bytes on one line, no run of 17 digits */
};

/* Appends {"at":...,"staff_no":...,"action":...,"detail":...}. A detail
 * that holds what looks like an ID number (text_has_idnum) is refused
 * here, before the body can reach the outbox on disk. Returns 0,
 * ERR_INVALID, ERR_TOOBIG, ERR_NOMEM. */
int regjson_format_audit(const struct regjson_audit *a, struct buf *out);

/* Appends the POST /v1/staff/check body {"id_number":...} of the card
 * on the reader: a number that passes idnum_is_valid (resident cards and
 * the 2023 permits; X in capitals). Borrows card; the caller wipes out
 * (buf_fini does). Returns 0, ERR_INVALID, ERR_TOOBIG, ERR_NOMEM. */
int regjson_format_staff_request(const struct idcard *card, struct buf *out);

/* Appends the POST /v1/tickets body: {"kind":"walk_in","service":...}
 * (service 1..31 bytes of [a-z_]), or, when appointment_code is not NULL
 * or "", {"kind":"appointment","appointment_code":...} (1..64 characters
 * of [A-Za-z0-9_-]; service is then ignored), or, when both are NULL or
 * "", {"kind":"appointment"}: the check-in of the visit's own booking. Returns 0, ERR_INVALID,
 * ERR_TOOBIG, ERR_NOMEM. */
int regjson_format_ticket_request(const char *service, const char *appointment_code,
                                  struct buf *out);

/* Appends the standard base64 (RFC 4648, padded) of n bytes. Returns 0,
 * ERR_TOOBIG, ERR_NOMEM. */
int regjson_base64_append(struct buf *out, const uint8_t *p, size_t n);

/* Parses a session reply. body need not be NUL-terminated. detail (may
 * be NULL) receives the reason on error. Returns 0 or ERR_BADREPLY; out
 * is zeroed first and is only meaningful on 0. */
int regjson_parse_session(const char *body, size_t len, struct regjson_session *out, char *detail,
                          size_t detail_size);

/* Parses one page of GET /v1/properties and appends its items to list
 * (list->count items already there are kept; zero the list before the
 * first page). as_of is taken from the page when list->as_of is empty.
 * cursor receives next_cursor, or "" on the last page. Returns 0 or
 * ERR_BADREPLY (also when the pages together exceed PROPERTY_LIST_MAX);
 * on error list may hold part of the page and should be discarded. */
int regjson_parse_properties(const char *body, size_t len, struct property_list *list, char *cursor,
                             size_t cursor_size, char *detail, size_t detail_size);

/* Parses a certificate reply (the items are the properties' shape).
 * Returns 0 or ERR_BADREPLY; out is zeroed first. */
int regjson_parse_certificate(const char *body, size_t len, struct certificate *out, char *detail,
                              size_t detail_size);

/* Parses a ticket reply (POST /v1/tickets). number is 1..15 characters of
 * [A-Za-z0-9-] (it keys the print journal); ahead and wait_minutes are
 * integers 0..100000; materials at most TICKET_MATERIALS_MAX strings; no
 * string may hold a newline (the slip journal is line-based). appointment
 * is optional. Returns 0 or ERR_BADREPLY; out is zeroed first. */
int regjson_parse_ticket(const char *body, size_t len, struct ticket *out, char *detail,
                         size_t detail_size);

/* The replies of the hall's services (regjson_services.c). Each returns 0
 * or ERR_BADREPLY, with out zeroed first and only meaningful on 0.
 *
 * GET /v1/services: at most SERVICE_LIST_MAX services, codes [a-z_] and
 * unique, the model's limits on every list. */
int regjson_parse_services(const char *body, size_t len, struct service_list *out, char *detail,
                           size_t detail_size);

/* GET /v1/notice: 1..NOTICE_HOURS_MAX rows of hours. */
int regjson_parse_notice(const char *body, size_t len, struct hall_notice *out, char *detail,
                         size_t detail_size);

/* GET /v1/appointments/slots: remaining within 0..capacity. */
int regjson_parse_slots(const char *body, size_t len, struct slot_list *out, char *detail,
                        size_t detail_size);

/* POST /v1/appointments: the booking as the slip prints it (a ticket
 * with code, phone_masked, state and appointment "2026-11-23
 * 09:00–10:00"; ahead and wait_minutes are -1, not shown). */
int regjson_parse_appointment(const char *body, size_t len, struct ticket *out, char *detail,
                              size_t detail_size);

/* GET /v1/appointments: at most BOOKING_LIST_MAX bookings, each as
 * regjson_parse_appointment takes one, state booked, checked_in,
 * cancelled or missed. */
int regjson_parse_bookings(const char *body, size_t len, struct booking_list *out, char *detail,
                           size_t detail_size);

/* POST /v1/certificates/{number}/link: url an http(s) URL without spaces,
 * expires_at present. */
int regjson_parse_cert_link(const char *body, size_t len, struct cert_link *out, char *detail,
                            size_t detail_size);

/* GET /v1/applications: at most APPLICATION_LIST_MAX, states of the
 * contract only. */
int regjson_parse_applications(const char *body, size_t len, struct application_list *out,
                               char *detail, size_t detail_size);

/* GET /v1/applications/{receipt}: one application, which must not carry a
 * location (a lookup without a card shows nothing personal). */
int regjson_parse_application(const char *body, size_t len, struct application *out, char *detail,
                              size_t detail_size);

/* POST /v1/staff/check: staff (a boolean) required; when true staff_no
 * (1..15 of [0-9A-Za-z]) and name_masked required, role optional. When
 * false nothing else is kept. */
int regjson_parse_staff(const char *body, size_t len, struct staff_info *out, char *detail,
                        size_t detail_size);

/* Appends the POST /v1/appointments body {"service":...,"slot":...,
 * "phone":...}: service [a-z_] 1..31, slot 1..23 bytes of
 * [0-9T:-], phone a mainland mobile number (phone_is_mobile).
 * Returns 0, ERR_INVALID, ERR_NOMEM. */
int regjson_format_booking_request(const char *service, const char *slot, const char *phone,
                                   struct buf *out);

/* Parses a problem+json body leniently: every member is optional, long
 * strings are shortened at a UTF-8 boundary (they are for display and
 * logs, not records). Returns 0 if the body is a JSON object, else
 * ERR_BADREPLY; out is zeroed first. */
int regjson_parse_problem(const char *body, size_t len, struct regjson_problem *out);

/* Returns 0 if body is {"status": "ok", ...}, else ERR_BADREPLY. *time_s
 * (may be NULL) gets the registry's clock from "time" (ISO 8601), or 0
 * when it sent none that reads as a time. */
int regjson_parse_health(const char *body, size_t len, int64_t *time_s);

/* POST /v1/ratings and /v1/audit (an outbox item): 201 {"id": "..."}.
 * A 2xx without it (a gateway's HTML page, half a document) does not
 * confirm the item arrived. Returns 0 or ERR_BADREPLY. */
int regjson_parse_created(const char *body, size_t len, char *detail, size_t detail_size);

/* Maps an HTTP status and a problem type (full URN or "") to what the
 * citizen is told: face-no-match, face-unavailable, card-expired,
 * card-invalid, session-expired, slot-full and phone-invalid by name; any other 5xx to
 * PROBLEM_REGISTRY_DOWN, any other 4xx to PROBLEM_REJECTED, anything else
 * to PROBLEM_BAD_REPLY. */
enum flow_problem regjson_problem_map(int http_status, const char *type);

#endif
