/* registry_req.h - the registry's reading of kiosk requests, and its
 * problem types.
 *
 * Pure functions over the request bytes: JSON bodies parsed with cJSON
 * into fixed-size structs, card fields checked against GB 11643 and the
 * calendar. Nothing here touches the network or the database, so the
 * fuzz target and the unit tests call it directly. Any thread.
 */
#ifndef REGISTRY_REQ_H
#define REGISTRY_REQ_H

#include <stdbool.h>
#include <stddef.h>

/* The problem types of system/api/README.md. */
enum registry_problem {
    PROB_NONE = 0,
    PROB_BAD_REQUEST,
    PROB_UNAUTHENTICATED,
    PROB_SESSION_EXPIRED,
    PROB_NOT_FOUND,
    PROB_METHOD_NOT_ALLOWED,
    PROB_IDEMPOTENCY_CONFLICT,
    PROB_PAYLOAD_TOO_LARGE,
    PROB_CARD_INVALID,
    PROB_CARD_EXPIRED,
    PROB_FACE_NO_MATCH,
    PROB_FACE_CONSENT_MISSING,
    PROB_LIVENESS_FAILED,
    PROB_PHONE_INVALID,
    PROB_SLOT_FULL,
    PROB_ALREADY_BOOKED,
    PROB_TOO_EARLY,
    PROB_APPOINTMENT_MISSED,
    PROB_NO_APPOINTMENT,
    PROB_FACE_UNAVAILABLE,
    PROB_UNAVAILABLE,
    PROB_TOO_MANY_REQUESTS,
    PROB_COUNT
};

/* Type suffix ("card-invalid"), HTTP status and the citizen-facing title. */
const char *registry_problem_type(enum registry_problem p);
int registry_problem_status(enum registry_problem p);
const char *registry_problem_title(enum registry_problem p);

struct registry_card {
    char type[16]; /* resident | hmt_permit | foreign_2017 | foreign_2023 */
    char id_number[24];
    char name[128];
    char gender[8];
    char ethnicity[32];
    char birth_date[16];
    char address[256];
    char issuer[128];
    char valid_from[16];
    char valid_to[16];
};

struct registry_session_req {
    struct registry_card card;
    bool consent;
    bool liveness_passed;
    char challenge[32];
    size_t image_bytes; /* decoded size; the image itself is not kept */
};

/* Largest decoded face image the registry accepts. */
#define REGISTRY_FACE_MAX (256 * 1024)

/* Parses a POST /v1/sessions body (len bytes, need not be NUL-terminated).
 * Returns PROB_NONE or PROB_BAD_REQUEST with a reason in detail (never
 * personal data). Checks only shape; registry_req_check_card judges. */
enum registry_problem registry_req_parse_session(const char *body, size_t len,
                                                 struct registry_session_req *out, char *detail,
                                                 size_t detail_size);

/* Judges the card fields: PROB_NONE, PROB_BAD_REQUEST (unknown card type),
 * PROB_CARD_INVALID or PROB_CARD_EXPIRED. today is YYYYMMDD in CST. */
enum registry_problem registry_req_check_card(const struct registry_card *c, int today,
                                              char *detail, size_t detail_size);

struct registry_cert_req {
    char kind[16];     /* query | housing_count */
    char purpose[132]; /* 1..32 characters */
};

enum registry_problem registry_req_parse_certificate(const char *body, size_t len,
                                                     struct registry_cert_req *out, char *detail,
                                                     size_t detail_size);

#define REGISTRY_REASONS_MAX 8

struct registry_rating_req {
    int level;        /* 1..5 */
    char service[64]; /* 1..32 bytes */
    int reason_count;
    char reasons[REGISTRY_REASONS_MAX][96];
    char ref_kind[16]; /* ticket | appointment | certificate; "" without a ref */
    char ref_id[68];   /* 1..64 bytes */
};

enum registry_problem registry_req_parse_rating(const char *body, size_t len,
                                                struct registry_rating_req *out, char *detail,
                                                size_t detail_size);

struct registry_appointment_req {
    char service[32]; /* a service code; the caller checks it is bookable */
    char slot[20];    /* "2026-11-23T09:00" */
    char phone[16];   /* 11 digits, 1[3-9]... */
    int day;          /* the slot's date, YYYYMMDD */
    int minute;       /* its start, minutes after midnight */
};

/* Parses a POST /v1/appointments body: PROB_NONE, PROB_BAD_REQUEST (shape,
 * or a slot that is not "YYYY-MM-DDTHH:MM" with a real date and time) or
 * PROB_PHONE_INVALID. Whether the slot exists is the caller's question. */
enum registry_problem registry_req_parse_appointment(const char *body, size_t len,
                                                     struct registry_appointment_req *out,
                                                     char *detail, size_t detail_size);

struct registry_staff_req {
    char id_number[24]; /* 18 characters, GB 11643 valid */
};

/* Parses a POST /v1/staff/check body {"id_number": ...}: PROB_NONE or
 * PROB_BAD_REQUEST (not 17 digits and a digit or X, or a wrong check
 * character). The parsed tree is wiped; the caller wipes out. */
enum registry_problem registry_req_parse_staff_check(const char *body, size_t len,
                                                     struct registry_staff_req *out, char *detail,
                                                     size_t detail_size);

#define REGISTRY_AUDIT_DETAIL_MAX 128

struct registry_audit_req {
    char at[40];       /* ISO 8601 with its offset: "2026-11-22T09:42:00+08:00" */
    char staff_no[16]; /* 0..15 of [0-9A-Za-z]; "" for a refused entry */
    char action[24];   /* audit_action_is_known (base/util.h) */
    char detail[REGISTRY_AUDIT_DETAIL_MAX + 1]; /* 0..128 bytes, one line */
};

/* Parses a POST /v1/audit body: PROB_NONE or PROB_BAD_REQUEST (shape, an
 * unknown action, a time that is not ISO 8601, or a detail that holds
 * what looks like an ID number: text_has_idnum). */
enum registry_problem registry_req_parse_audit(const char *body, size_t len,
                                               struct registry_audit_req *out, char *detail,
                                               size_t detail_size);

/* True if got is exactly the n characters of want (a secret: the verify
 * code). The time taken depends on n only, never on where or whether the
 * two differ, so the answer's timing tells a guesser nothing; a NUL in got
 * before n is a mismatch like any other. */
bool registry_req_code_equal(const char *want, const char *got, size_t n);

/* True if s is 1..64 characters of [A-Za-z0-9_-] (Idempotency-Key, kiosk id). */
bool registry_req_is_token(const char *s);

/* Parses "YYYY-MM-DD" into YYYYMMDD after checking it is a real date;
 * returns 0 if it is not. */
int registry_req_date(const char *s);

#endif
