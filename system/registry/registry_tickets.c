/* registry_tickets.c - queue numbers (POST /v1/tickets); see
 * registry_tickets.h. Runs on the registry's HTTP thread.
 *
 * DESIGN: the reference registry has no call board, so "people ahead" is
 * a model, deterministic in the clock so tests can predict it: each
 * service's queue is called at a fixed pace (registry_service.minutes)
 * from its first ticket of the day, so by time t the counters have served
 * floor((t - first) / pace) of the tickets issued before, and the rest are
 * ahead. Numbers are the service's letter and a three-digit sequence that
 * starts at 001 each day (China Standard Time), per service, across every
 * kiosk of the hall. A ticket row holds no person: day, service, sequence,
 * kiosk, time.
 */
#include "registry/registry_tickets.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const struct registry_service *registry_ticket_service(const char *code)
{
    return registry_service_find(code);
}

static bool get_string(const cJSON *o, const char *key, char *out, size_t size, size_t min)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && strlen(v->valuestring) >= min &&
           str_copy(out, size, v->valuestring);
}

enum registry_problem registry_ticket_parse(const char *body, size_t len,
                                            struct registry_ticket_req *out, char *detail,
                                            size_t detail_size)
{
    memset(out, 0, sizeof *out);
    cJSON *j = cJSON_ParseWithLength(body ? body : "", len);
    enum registry_problem p = PROB_BAD_REQUEST;
    if (!cJSON_IsObject(j)) {
        snprintf(detail, detail_size, "body is not a JSON object");
    } else if (!get_string(j, "kind", out->kind, sizeof out->kind, 1)) {
        snprintf(detail, detail_size, "kind missing or not a string");
    } else if (strcmp(out->kind, "walk_in") == 0) {
        if (!get_string(j, "service", out->service, sizeof out->service, 1))
            snprintf(detail, detail_size, "service missing or not a string");
        else if (!registry_ticket_service(out->service) ||
                 !registry_ticket_service(out->service)->walk_in)
            snprintf(detail, detail_size, "unknown service or not one for a queue number");
        else
            p = PROB_NONE;
    } else if (strcmp(out->kind, "appointment") == 0) {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "appointment_code");
        if (code && (!get_string(j, "appointment_code", out->appointment_code,
                                 sizeof out->appointment_code, 1) ||
                     !registry_req_is_token(out->appointment_code)))
            snprintf(detail, detail_size, "appointment_code missing or malformed");
        else
            p = PROB_NONE;
    } else {
        snprintf(detail, detail_size, "kind must be walk_in or appointment");
    }
    cJSON_Delete(j);
    return p;
}

#define PRIORITY_FIRST 501
#define EARLY_S        (30 * 60) /* check-in opens this long before the booked start */

/* One integer from a query with up to three bindings; -1 on error. */
static int64_t scalar(struct store *db, const char *sql, int day, const char *service)
{
    struct store_stmt *st = NULL;
    int64_t v = -1;
    if (store_prepare(db, sql, &st) == 0) {
        store_bind_int(st, 1, day);
        store_bind_text(st, 2, service);
        if (store_step(st) == STORE_ROW)
            v = store_column_is_null(st, 0) ? 0 : store_column_int64(st, 0);
    }
    store_finalize(st);
    return v;
}

/* The 201 reply: what the slip prints. Owned. */
static cJSON *ticket_json(const struct registry_service *s, const char *public_url, int day,
                          const char *number, int ahead, int wait, int64_t at_s)
{
    char url[384], at[32];
    snprintf(url, sizeof url, "%s/q/%08d/%s", public_url, day, number);
    clock_format_iso(at_s, at, sizeof at);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "number", number);
    cJSON_AddStringToObject(j, "service", s->code);
    cJSON_AddStringToObject(j, "service_name", s->name);
    cJSON_AddStringToObject(j, "windows_text", s->windows);
    cJSON_AddNumberToObject(j, "ahead", ahead);
    cJSON_AddNumberToObject(j, "wait_minutes", wait);
    cJSON_AddStringToObject(j, "time_limit", s->time_limit);
    cJSON *m = cJSON_AddArrayToObject(j, "materials");
    for (int i = 0; i < s->material_count; i++)
        cJSON_AddItemToArray(m, cJSON_CreateString(s->materials[i]));
    cJSON_AddStringToObject(j, "follow_url", url);
    cJSON_AddStringToObject(j, "issued_at", at);
    return j;
}

/* ---- check-in ----------------------------------------------------------------------- */

struct booking {
    char code[16];
    char service[32];
    int day;
    int64_t start_at, end_at;
    char state[16];
    char ticket[16];
};

#define BOOKING_COLUMNS "code, service, day, start_at, end_at, state, ticket"

static const char *text(struct store_stmt *st, int i)
{
    const char *v = store_column_text(st, i);
    return v ? v : "";
}

static void read_booking(struct store_stmt *st, struct booking *b)
{
    memset(b, 0, sizeof *b);
    str_copy(b->code, sizeof b->code, text(st, 0));
    str_copy(b->service, sizeof b->service, text(st, 1));
    b->day = store_column_int(st, 2);
    b->start_at = store_column_int64(st, 3);
    b->end_at = store_column_int64(st, 4);
    str_copy(b->state, sizeof b->state, text(st, 5));
    str_copy(b->ticket, sizeof b->ticket, text(st, 6));
}

/* Whether the booking's window is open at now: PROB_NONE, PROB_TOO_EARLY
 * (title: when it opens) or PROB_APPOINTMENT_MISSED. */
static enum registry_problem window(const struct booking *b, int64_t now_s, char *title,
                                    size_t title_size)
{
    if (now_s > b->end_at) {
        snprintf(title, title_size, "预约时段已过，请取普通号排队");
        return PROB_APPOINTMENT_MISSED;
    }
    if (now_s < b->start_at - EARLY_S) {
        struct clock_cst open, now;
        clock_to_cst(b->start_at - EARLY_S, &open);
        clock_to_cst(now_s, &now);
        if (open.year == now.year && open.month == now.month && open.day == now.day)
            snprintf(title, title_size, "请于 %02d:%02d 后签到", open.hour, open.minute);
        else
            snprintf(title, title_size, "请于 %d月%d日 %02d:%02d 后签到", open.month, open.day,
                     open.hour, open.minute);
        return PROB_TOO_EARLY;
    }
    return PROB_NONE;
}

/* The priority number of booking b, issued now if it has none yet. */
static enum registry_problem priority_number(struct store *db, const char *kiosk,
                                             const struct registry_service *s,
                                             const struct booking *b, int64_t now_s, int *seq,
                                             int64_t *issued_at)
{
    struct store_stmt *st = NULL;
    *seq = -1;
    if (store_begin_immediate(db) != 0)
        return PROB_UNAVAILABLE;
    if (store_prepare(db, "SELECT seq, issued_at FROM priority_tickets WHERE code = ?", &st) == 0) {
        store_bind_text(st, 1, b->code);
        if (store_step(st) == STORE_ROW) {
            *seq = store_column_int(st, 0);
            *issued_at = store_column_int64(st, 1);
        }
    }
    store_finalize(st);
    st = NULL;
    bool ok = true;
    if (*seq < 0) {
        int64_t last = scalar(db,
                              "SELECT max(seq) FROM priority_tickets WHERE day = ?1"
                              " AND service = ?2",
                              b->day, s->code);
        *seq = last < PRIORITY_FIRST ? PRIORITY_FIRST : (int)last + 1;
        *issued_at = now_s;
        ok = last >= 0 &&
             store_prepare(db, "INSERT INTO priority_tickets VALUES(?,?,?,?,?,?)", &st) == 0;
        if (ok) {
            store_bind_int(st, 1, b->day);
            store_bind_text(st, 2, s->code);
            store_bind_int(st, 3, *seq);
            store_bind_text(st, 4, b->code);
            store_bind_text(st, 5, kiosk);
            store_bind_int64(st, 6, now_s);
            ok = store_step(st) == STORE_DONE;
        }
        store_finalize(st);
        st = NULL;
        char number[16];
        snprintf(number, sizeof number, "%s%03d", s->prefix, *seq);
        ok = ok && store_prepare(db,
                                 "UPDATE appointments SET state = 'checked_in', ticket = ?"
                                 " WHERE code = ?",
                                 &st) == 0;
        if (ok) {
            store_bind_text(st, 1, number);
            store_bind_text(st, 2, b->code);
            ok = store_step(st) == STORE_DONE;
        }
        store_finalize(st);
    }
    if (!ok || store_commit(db) != 0) {
        store_rollback(db);
        return PROB_UNAVAILABLE;
    }
    return PROB_NONE;
}

/* Checks booking b in (or finds its number again): the reply into *out. */
static enum registry_problem check_in(struct store *db, const char *kiosk, const char *public_url,
                                      const struct booking *b, int64_t now_s, cJSON **out,
                                      char *detail, size_t detail_size)
{
    const struct registry_service *s = registry_ticket_service(b->service);
    int seq;
    int64_t issued_at;
    if (!s || priority_number(db, kiosk, s, b, now_s, &seq, &issued_at) != PROB_NONE) {
        snprintf(detail, detail_size, s ? "database error" : "service no longer offered");
        return PROB_UNAVAILABLE;
    }
    /* Priority numbers are called at twice the walk-in pace from the day's
     * first one: those issued before this one, less those called by now. */
    int64_t first = scalar(db,
                           "SELECT min(issued_at) FROM priority_tickets WHERE day = ?1"
                           " AND service = ?2",
                           b->day, s->code);
    int64_t served = first > 0 && now_s > first ? (now_s - first) / (s->minutes * 30) : 0;
    int64_t before = seq - PRIORITY_FIRST;
    int ahead = before > served ? (int)(before - served) : 0;
    char number[16], span[32];
    snprintf(number, sizeof number, "%s%03d", s->prefix, seq);
    struct clock_cst a, e;
    clock_to_cst(b->start_at, &a);
    clock_to_cst(b->end_at, &e);
    snprintf(span, sizeof span, "%02d:%02d–%02d:%02d", a.hour, a.minute, e.hour, e.minute);
    *out =
        ticket_json(s, public_url, b->day, number, ahead, (ahead * s->minutes + 1) / 2, issued_at);
    cJSON_AddStringToObject(*out, "appointment", span);
    return PROB_NONE;
}

/* kind "appointment": by code, or the visit's citizen's booking of today
 * whose window is open. */
static enum registry_problem
appointment_ticket(struct store *db, const char *kiosk, const char *public_url,
                   const struct registry_ticket_req *q, const char *id_number, int64_t now_s,
                   cJSON **out, char *title, size_t title_size, char *detail, size_t detail_size)
{
    struct clock_cst c;
    clock_to_cst(now_s, &c);
    int today = c.year * 10000 + c.month * 100 + c.day;
    struct store_stmt *st = NULL;
    struct booking b;
    if (q->appointment_code[0]) {
        if (store_prepare(db, "SELECT " BOOKING_COLUMNS " FROM appointments WHERE code = ?", &st) !=
            0)
            goto db_fail;
        store_bind_text(st, 1, q->appointment_code);
        bool found = store_step(st) == STORE_ROW;
        if (found)
            read_booking(st, &b);
        store_finalize(st);
        if (!found || strcmp(b.state, "cancelled") == 0) {
            snprintf(detail, detail_size, "no appointment with that code");
            return PROB_NOT_FOUND;
        }
        if (!b.ticket[0]) {
            enum registry_problem p = window(&b, now_s, title, title_size);
            if (p != PROB_NONE) {
                snprintf(detail, detail_size, "outside the appointment's check-in window");
                return p;
            }
        }
        return check_in(db, kiosk, public_url, &b, now_s, out, detail, detail_size);
    }
    /* The citizen's bookings of today: one whose window is open is checked
     * in; else one already checked in gives its number again; else say
     * why not. */
    if (store_prepare(db,
                      "SELECT " BOOKING_COLUMNS " FROM appointments WHERE id_number = ?"
                      " AND day = ? AND state IN ('booked', 'checked_in') ORDER BY start_at",
                      &st) != 0)
        goto db_fail;
    store_bind_text(st, 1, id_number);
    store_bind_int(st, 2, today);
    struct booking open = {0}, done = {0}, early = {0}, missed = {0};
    int step;
    while ((step = store_step(st)) == STORE_ROW) {
        read_booking(st, &b);
        char t[64];
        if (b.ticket[0]) {
            if (!done.code[0])
                done = b;
            continue;
        }
        enum registry_problem p = window(&b, now_s, t, sizeof t);
        if (p == PROB_NONE && !open.code[0])
            open = b;
        else if (p == PROB_TOO_EARLY && !early.code[0])
            early = b;
        else if (p == PROB_APPOINTMENT_MISSED)
            missed = b;
    }
    store_finalize(st);
    if (step != STORE_DONE)
        goto db_fail;
    if (open.code[0])
        return check_in(db, kiosk, public_url, &open, now_s, out, detail, detail_size);
    if (done.code[0])
        return check_in(db, kiosk, public_url, &done, now_s, out, detail, detail_size);
    if (early.code[0] || missed.code[0]) {
        snprintf(detail, detail_size, "outside the appointment's check-in window");
        return window(early.code[0] ? &early : &missed, now_s, title, title_size);
    }
    /* None today: a booking on a later day is too early, and its title
     * says the day; otherwise there is none. */
    if (store_prepare(db,
                      "SELECT " BOOKING_COLUMNS " FROM appointments WHERE id_number = ?"
                      " AND day > ? AND state = 'booked' ORDER BY start_at LIMIT 1",
                      &st) != 0)
        goto db_fail;
    store_bind_text(st, 1, id_number);
    store_bind_int(st, 2, today);
    bool later = store_step(st) == STORE_ROW;
    if (later)
        read_booking(st, &b);
    store_finalize(st);
    if (later) {
        snprintf(detail, detail_size, "the appointment is on a later day");
        return window(&b, now_s, title, title_size);
    }
    snprintf(detail, detail_size, "no appointment of this citizen today");
    return PROB_NO_APPOINTMENT;
db_fail:
    log_warn("registry", "check-in: %s", store_errmsg(db));
    snprintf(detail, detail_size, "database error");
    return PROB_UNAVAILABLE;
}

/* ---- issue ---------------------------------------------------------------------------- */

enum registry_problem
registry_ticket_issue(struct store *db, const char *kiosk, const char *public_url,
                      const struct registry_ticket_req *q, const char *id_number, int64_t now_s,
                      cJSON **out, char *title, size_t title_size, char *detail, size_t detail_size)
{
    *out = NULL;
    if (title_size)
        title[0] = '\0';
    if (strcmp(q->kind, "appointment") == 0) {
        if (!q->appointment_code[0] && !id_number) {
            snprintf(detail, detail_size, "appointment_code or a visit needed");
            return PROB_BAD_REQUEST;
        }
        return appointment_ticket(db, kiosk, public_url, q, id_number, now_s, out, title,
                                  title_size, detail, detail_size);
    }
    const struct registry_service *s = registry_ticket_service(q->service);
    if (!s) {
        snprintf(detail, detail_size, "unknown service");
        return PROB_BAD_REQUEST;
    }
    struct clock_cst c;
    clock_to_cst(now_s, &c);
    int day = c.year * 10000 + c.month * 100 + c.day;
    /* The count, the last number and the insert of the next under the
     * database's write lock: registries sharing one database never give
     * out one number twice. */
    if (store_begin_immediate(db) < 0)
        goto db_fail;
    int64_t issued =
        scalar(db, "SELECT count(*) FROM tickets WHERE day = ?1 AND service = ?2", day, s->code);
    int64_t last =
        scalar(db, "SELECT max(seq) FROM tickets WHERE day = ?1 AND service = ?2", day, s->code);
    int64_t first = scalar(db, "SELECT min(issued_at) FROM tickets WHERE day = ?1 AND service = ?2",
                           day, s->code);
    if (issued < 0 || last < 0 || first < 0)
        goto db_rollback;
    int64_t served = 0;
    if (issued > 0 && now_s > first)
        served = (now_s - first) / (s->minutes * 60);
    if (served > issued)
        served = issued;
    int ahead = (int)(issued - served);
    int seq = (int)last + 1;
    struct store_stmt *st = NULL;
    bool ok = store_prepare(db, "INSERT INTO tickets VALUES(?,?,?,?,?)", &st) == 0;
    if (ok) {
        store_bind_int(st, 1, day);
        store_bind_text(st, 2, s->code);
        store_bind_int(st, 3, seq);
        store_bind_text(st, 4, kiosk);
        store_bind_int64(st, 5, now_s);
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
    if (!ok || store_commit(db) < 0)
        goto db_rollback;

    char number[16];
    snprintf(number, sizeof number, "%s%03d", s->prefix, seq);
    *out = ticket_json(s, public_url, day, number, ahead, ahead * s->minutes, now_s);
    return PROB_NONE;
db_rollback:
    log_warn("registry", "tickets: %s", store_errmsg(db));
    store_rollback(db);
    snprintf(detail, detail_size, "database error");
    return PROB_UNAVAILABLE;
db_fail:
    log_warn("registry", "tickets: %s", store_errmsg(db));
    snprintf(detail, detail_size, "database error");
    return PROB_UNAVAILABLE;
}
