/* registry_tickets.h - POST /v1/tickets: queue numbers for the hall's
 * counters (取号), walk-in or (later) appointment check-in.
 *
 * Kept apart from registry.c so the queue model can grow (appointments,
 * call boards) without touching the HTTP plumbing: registry.c routes the
 * request, checks the kiosk and the Idempotency-Key, and hands the body
 * here. Runs on the registry's one HTTP thread (it owns the database
 * handle); the parsing half is pure.
 */
#ifndef REGISTRY_TICKETS_H
#define REGISTRY_TICKETS_H

#include "registry/registry_req.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct registry_ticket_req {
    char kind[16];             /* walk_in | appointment */
    char service[32];          /* walk_in: a service code (registry_ticket_service) */
    char appointment_code[32]; /* appointment: the booking's code */
};

/* Parses a POST /v1/tickets body (len bytes, need not be NUL-terminated).
 * PROB_NONE or PROB_BAD_REQUEST with a reason in detail. Pure. */
enum registry_problem registry_ticket_parse(const char *body, size_t len,
                                            struct registry_ticket_req *out, char *detail,
                                            size_t detail_size);

/* A counter service of the hall (registry_services.c): what the guide
 * says of it, and how its queue and bookings run. */
struct registry_fee {
    const char *item;
    int amount_fen;
};

struct registry_service {
    const char *code;            /* "query" */
    const char *prefix;          /* "C": the ticket number's letter */
    const char *name;            /* 不动产登记资料查询 */
    const char *summary;         /* one line for the guide */
    const char *windows;         /* 1 号、2 号窗口 */
    bool limit_hours;            /* the 311 limit in hours, else in working days */
    int limit_value;             /* 1, 3 */
    const char *time_limit;      /* the 311 promise in words */
    int minutes;                 /* average minutes between two calls of this queue */
    const char *materials[7];    /* NULL-terminated */
    struct registry_fee fees[4]; /* {NULL, 0}-terminated */
    const char *waivers[3];      /* NULL-terminated */
    bool bookable, walk_in;
};

/* The services in the guide's order, and their count. Pure. */
const struct registry_service *registry_services(int *count);

/* The service with that code, or NULL. Pure. */
const struct registry_service *registry_ticket_service(const char *code);

/* Issues a ticket for q at now_s (wall clock, seconds) to kiosk. On
 * PROB_NONE *out is the 201 reply object (owned by the caller); otherwise
 * a problem with a reason in detail (never personal data). public_url is
 * the base of follow_url. HTTP thread (db). */
enum registry_problem registry_ticket_issue(sqlite3 *db, const char *kiosk, const char *public_url,
                                            const struct registry_ticket_req *q, int64_t now_s,
                                            cJSON **out, char *detail, size_t detail_size);

#endif
