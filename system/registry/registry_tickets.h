/* registry_tickets.h - POST /v1/tickets: queue numbers for the hall's
 * counters (取号), walk-in or appointment check-in.
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
#include "registry/registry_services.h"
#include "registry/registry_store.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

struct registry_ticket_req {
    char kind[16];             /* walk_in | appointment */
    char service[32];          /* walk_in: a service code (registry_ticket_service) */
    char appointment_code[32]; /* appointment: the booking's code; "" = the visit's booking */
};

/* Parses a POST /v1/tickets body (len bytes, need not be NUL-terminated).
 * PROB_NONE or PROB_BAD_REQUEST with a reason in detail. Pure. */
enum registry_problem registry_ticket_parse(const char *body, size_t len,
                                            struct registry_ticket_req *out, char *detail,
                                            size_t detail_size);

/* The service with that code, or NULL (registry_service_find). */
const struct registry_service *registry_ticket_service(const char *code);

/* Issues a ticket for q at now_s (wall clock, seconds) to kiosk. A
 * walk-in gets the next number of its service; an appointment check-in
 * (the booking with q's code, or without one the booking of today of the
 * citizen with id_number, NULL without a visit) gets a priority number
 * from 501, the same one again when it was checked in before. On
 * PROB_NONE *out is the 201 reply object (owned by the caller); otherwise
 * a problem with a reason in detail (never personal data) and, for
 * too-early and appointment-missed, its title of the moment in title ("" =
 * the type's own). public_url is the base of follow_url. HTTP thread (db). */
enum registry_problem registry_ticket_issue(struct store *db, const char *kiosk,
                                            const char *public_url,
                                            const struct registry_ticket_req *q,
                                            const char *id_number, int64_t now_s, cJSON **out,
                                            char *title, size_t title_size, char *detail,
                                            size_t detail_size);

#endif
