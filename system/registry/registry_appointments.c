/* registry_appointments.c - appointments (预约办): the free slots of a
 * service (GET /v1/appointments/slots), booking one (POST
 * /v1/appointments), the citizen's bookings (GET /v1/appointments) and
 * cancelling one (DELETE /v1/appointments/{code}). Check-in is a ticket:
 * registry_tickets.c. Runs on libmicrohttpd's threads, under the
 * registry's lock.
 *
 * DESIGN: slots are the counter hours cut into hours, on the working days
 * of the registry's calendar from tomorrow up to BOOK_AHEAD working days.
 * A booking row holds the citizen's ID number (as sessions do: this is the
 * register) and phone, never returned whole. The state stored is booked,
 * checked_in or cancelled; a booking still "booked" after its slot ended
 * reads as missed. The capacity check, the booking's number and the
 * insert run in one transaction under the database's write lock
 * (store_begin_immediate), so of two bookings of a slot's last place one
 * gets it and the other slot-full however many threads, or registries on
 * one PostgreSQL database, serve requests.
 */
#include "registry/registry_internal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "registry/registry_calendar.h"
#include "registry/registry_db.h"
#include "registry/registry_services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOOK_AHEAD 10 /* working days a slot may be booked ahead */

static const struct slot {
    int start, end; /* minutes after midnight */
} slots[] = {
    {9 * 60, 10 * 60},
    {10 * 60, 11 * 60},
    {11 * 60, 12 * 60},
    {13 * 60 + 30, 14 * 60 + 30},
    {14 * 60 + 30, 15 * 60 + 30},
    {15 * 60 + 30, 17 * 60},
};

static const struct slot *slot_at(int minute)
{
    for (size_t i = 0; i < ARRAY_LEN(slots); i++)
        if (slots[i].start == minute)
            return &slots[i];
    return NULL;
}

/* "09:00"; out has at least 8 bytes. */
static void hhmm(int minute, char *out)
{
    unsigned m = (unsigned)minute;
    snprintf(out, 8, "%02u:%02u", m / 60 % 100, m % 60);
}

/* "2026-11-23"; out has at least 16 bytes. */
static void ymd_text(int ymd, char *out)
{
    unsigned d = (unsigned)ymd;
    snprintf(out, 16, "%04u-%02u-%02u", d / 10000 % 10000, d / 100 % 100, d % 100);
}

/* Whether ymd is one of the BOOK_AHEAD working days after today. */
static bool day_bookable(const struct registry_calendar *cal, int today, int ymd)
{
    int d = today;
    for (int i = 0; i < BOOK_AHEAD && d < ymd; i++) {
        d = registry_calendar_next_working(cal, d);
        if (d == ymd)
            return true;
    }
    return false;
}

static void db_failed(struct call *c, struct reply *r)
{
    log_warn("registry", "appointments: %s", store_errmsg(c->reg->db));
    reply_problem(r, PROB_UNAVAILABLE, "database error");
}

/* Active bookings of a slot (booked or checked in); -1 on error. */
static int taken(struct store *db, const char *service, int64_t start_at)
{
    struct store_stmt *st = NULL;
    int n = -1;
    if (store_prepare(db,
                      "SELECT count(*) FROM appointments WHERE service = ? AND start_at = ?"
                      " AND state IN ('booked', 'checked_in')",
                      &st) == 0) {
        store_bind_text(st, 1, service);
        store_bind_int64(st, 2, start_at);
        if (store_step(st) == STORE_ROW)
            n = store_column_int(st, 0);
    }
    store_finalize(st);
    return n;
}

/* ---- GET /v1/appointments/slots?service=CODE&days=N --------------------------------- */

void on_slots(struct call *c, struct reply *r)
{
    const char *code = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "service");
    const char *ds = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "days");
    const struct registry_service *s = registry_service_find(code);
    int days = ds ? small_number(ds) : 5;
    if (!s || !s->bookable) {
        reply_problem(r, PROB_BAD_REQUEST, "service unknown or not bookable");
        return;
    }
    if (days < 1 || days > BOOK_AHEAD) {
        reply_problem(r, PROB_BAD_REQUEST, "days must be 1 to 10");
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "service", s->code);
    cJSON *list = cJSON_AddArrayToObject(j, "days");
    int d = registry_ymd_of(clock_wall_s());
    for (int i = 0; i < days; i++) {
        d = registry_calendar_next_working(c->reg->cal, d);
        char date[16];
        ymd_text(d, date);
        cJSON *day = cJSON_CreateObject();
        cJSON_AddStringToObject(day, "date", date);
        cJSON_AddStringToObject(day, "weekday", registry_weekday_name(d));
        cJSON *sl = cJSON_AddArrayToObject(day, "slots");
        for (size_t k = 0; k < ARRAY_LEN(slots); k++) {
            char id[32], a[8], b[8];
            hhmm(slots[k].start, a);
            hhmm(slots[k].end, b);
            snprintf(id, sizeof id, "%sT%s", date, a);
            int n = taken(c->reg->db, s->code,
                          registry_ymd_at(d, slots[k].start / 60, slots[k].start % 60));
            if (n < 0) {
                cJSON_Delete(day);
                cJSON_Delete(j);
                db_failed(c, r);
                return;
            }
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", id);
            cJSON_AddStringToObject(o, "start", a);
            cJSON_AddStringToObject(o, "end", b);
            cJSON_AddNumberToObject(o, "capacity", s->capacity);
            cJSON_AddNumberToObject(o, "remaining", n >= s->capacity ? 0 : s->capacity - n);
            cJSON_AddItemToArray(sl, o);
        }
        cJSON_AddItemToArray(list, day);
    }
    reply_json(r, 200, j);
}

/* ---- one booking as JSON --------------------------------------------------------------- */

#define APPT_COLUMNS "code, number, service, day, start_at, end_at, phone, state, booked_at"

/* The object of a row selected with APPT_COLUMNS. Owned; NULL if the
 * service is no longer in the guide. */
static cJSON *appointment_json(struct call *c, struct store_stmt *st, int64_t now)
{
    const struct registry_service *s = registry_service_find(col(st, 2));
    if (!s)
        return NULL;
    int day = store_column_int(st, 3);
    int64_t start_at = store_column_int64(st, 4), end_at = store_column_int64(st, 5);
    int64_t midnight = registry_ymd_at(day, 0, 0);
    char date[16], a[8], b[8], url[384], booked[32], phone[16];
    ymd_text(day, date);
    hhmm((int)((start_at - midnight) / 60), a);
    hhmm((int)((end_at - midnight) / 60), b);
    snprintf(url, sizeof url, "%s/a/%s", c->reg->public_url, col(st, 0));
    clock_format_iso(store_column_int64(st, 8), booked, sizeof booked);
    const char *p = col(st, 6);
    snprintf(phone, sizeof phone, "%.3s****%.4s", p, strlen(p) == 11 ? p + 7 : "");
    const char *state = col(st, 7);
    if (strcmp(state, "booked") == 0 && now > end_at)
        state = "missed";
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "code", col(st, 0));
    cJSON_AddStringToObject(j, "number", col(st, 1));
    cJSON_AddStringToObject(j, "service", s->code);
    cJSON_AddStringToObject(j, "service_name", s->name);
    cJSON_AddStringToObject(j, "date", date);
    cJSON_AddStringToObject(j, "start", a);
    cJSON_AddStringToObject(j, "end", b);
    cJSON_AddStringToObject(j, "windows_text", s->windows);
    cJSON_AddStringToObject(j, "time_limit", s->time_limit);
    cJSON *m = cJSON_AddArrayToObject(j, "materials");
    for (int i = 0; i < s->material_count; i++)
        cJSON_AddItemToArray(m, cJSON_CreateString(s->materials[i]));
    cJSON_AddStringToObject(j, "phone_masked", phone);
    cJSON_AddStringToObject(j, "state", state);
    cJSON_AddStringToObject(j, "follow_url", url);
    cJSON_AddStringToObject(j, "booked_at", booked);
    return j;
}

/* ---- POST /v1/appointments ------------------------------------------------------------ */

/* Inside the transaction: the problem, or PROB_NONE with the booking
 * stored under code. */
static enum registry_problem book(struct call *c, const struct visit *v,
                                  const struct registry_service *s,
                                  const struct registry_appointment_req *q, const struct slot *sl,
                                  int64_t now, const char *code, char *detail, size_t size)
{
    struct store *db = c->reg->db;
    int64_t start_at = registry_ymd_at(q->day, sl->start / 60, sl->start % 60);
    int64_t end_at = registry_ymd_at(q->day, sl->end / 60, sl->end % 60);
    struct store_stmt *st = NULL;
    enum registry_problem p = PROB_UNAVAILABLE;
    snprintf(detail, size, "database error");
    /* One active booking per citizen per service. */
    if (store_prepare(db,
                      "SELECT code FROM appointments WHERE id_number = ? AND service = ?"
                      " AND state = 'booked' AND end_at > ?",
                      &st) != 0)
        return p;
    store_bind_text(st, 1, v->id_number);
    store_bind_text(st, 2, s->code);
    store_bind_int64(st, 3, now);
    int step = store_step(st);
    if (step == STORE_ROW) {
        snprintf(detail, size, "active booking %s for this service", col(st, 0));
        p = PROB_ALREADY_BOOKED;
    }
    store_finalize(st);
    if (step != STORE_DONE)
        return p;
    int n = taken(db, s->code, start_at);
    if (n < 0)
        return PROB_UNAVAILABLE;
    if (n >= s->capacity) {
        snprintf(detail, size, "slot %s has no place left", q->slot);
        return PROB_SLOT_FULL;
    }
    st = NULL;
    if (store_prepare(db,
                      "SELECT coalesce(max(seq), 0) + 1 FROM appointments"
                      " WHERE service = ? AND day = ?",
                      &st) != 0)
        return PROB_UNAVAILABLE;
    store_bind_text(st, 1, s->code);
    store_bind_int(st, 2, q->day);
    int seq = store_step(st) == STORE_ROW ? store_column_int(st, 0) : -1;
    store_finalize(st);
    if (seq < 1)
        return PROB_UNAVAILABLE;
    char number[24];
    snprintf(number, sizeof number, "%s-%02d%02d-%02d", s->prefix, q->day / 100 % 100, q->day % 100,
             seq % 1000);
    st = NULL;
    bool ok = store_prepare(db,
                            "INSERT INTO appointments(code, number, service, day, start_at,"
                            " end_at, seq, id_number, phone, state, booked_at, kiosk)"
                            " VALUES(?,?,?,?,?,?,?,?,?,'booked',?,?)",
                            &st) == 0;
    if (ok) {
        store_bind_text(st, 1, code);
        store_bind_text(st, 2, number);
        store_bind_text(st, 3, s->code);
        store_bind_int(st, 4, q->day);
        store_bind_int64(st, 5, start_at);
        store_bind_int64(st, 6, end_at);
        store_bind_int(st, 7, seq);
        store_bind_text(st, 8, v->id_number);
        store_bind_text(st, 9, q->phone);
        store_bind_int64(st, 10, now);
        store_bind_text(st, 11, c->kiosk);
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
    return ok ? PROB_NONE : PROB_UNAVAILABLE;
}

/* The stored booking with that code as JSON into *out. */
static int load(struct call *c, const char *code, int64_t now, cJSON **out)
{
    struct store_stmt *st = NULL;
    *out = NULL;
    if (store_prepare(c->reg->db, "SELECT " APPT_COLUMNS " FROM appointments WHERE code = ?",
                      &st) != 0)
        return ERR_IO;
    store_bind_text(st, 1, code);
    if (store_step(st) == STORE_ROW)
        *out = appointment_json(c, st, now);
    store_finalize(st);
    return *out ? 0 : ERR_IO;
}

void on_book(struct call *c, struct reply *r)
{
    struct visit v;
    if (!visit_or_reply(c, r, &v))
        return;
    struct registry_appointment_req q;
    char detail[128] = "";
    enum registry_problem p =
        registry_req_parse_appointment(c->body, c->len, &q, detail, sizeof detail);
    const struct registry_service *s = registry_service_find(q.service);
    if (p == PROB_NONE && (!s || !s->bookable)) {
        p = PROB_BAD_REQUEST;
        snprintf(detail, sizeof detail, "service unknown or not bookable");
    }
    int64_t now = clock_wall_s();
    const struct slot *sl = slot_at(q.minute);
    if (p == PROB_NONE && (!sl || !day_bookable(c->reg->cal, registry_ymd_of(now), q.day))) {
        p = PROB_NOT_FOUND;
        snprintf(detail, sizeof detail, "no bookable slot %s", q.slot);
    }
    if (p != PROB_NONE) {
        explicit_bzero(&q, sizeof q);
        reply_problem(r, p, detail);
        return;
    }
    char code[12] = "Y";
    if (random_code(code + 1, 8) < 0) {
        explicit_bzero(&q, sizeof q);
        reply_problem(r, PROB_UNAVAILABLE, "no randomness");
        return;
    }
    if (store_begin_immediate(c->reg->db) < 0) {
        explicit_bzero(&q, sizeof q);
        reply_problem(r, PROB_UNAVAILABLE, "database busy");
        return;
    }
    p = book(c, &v, s, &q, sl, now, code, detail, sizeof detail);
    explicit_bzero(&q, sizeof q);
    if (p != PROB_NONE) {
        if (p == PROB_UNAVAILABLE)
            log_warn("registry", "appointments: %s", store_errmsg(c->reg->db));
        store_rollback(c->reg->db);
        reply_problem(r, p, detail);
        return;
    }
    if (store_commit(c->reg->db) < 0) {
        store_rollback(c->reg->db);
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the booking");
        return;
    }
    cJSON *j = NULL;
    if (load(c, code, now, &j) < 0) {
        db_failed(c, r);
        return;
    }
    reply_json(r, 201, j);
    log_info("registry", "kiosk %s booked %s", c->kiosk, s->code);
}

/* ---- GET /v1/appointments --------------------------------------------------------------- */

void on_appointments(struct call *c, struct reply *r)
{
    struct visit v;
    if (!visit_or_reply(c, r, &v))
        return;
    int64_t now = clock_wall_s();
    struct store_stmt *st = NULL;
    if (store_prepare(c->reg->db,
                      "SELECT " APPT_COLUMNS " FROM appointments WHERE id_number = ?"
                      " AND day >= ? ORDER BY start_at, booked_at LIMIT 20",
                      &st) != 0) {
        db_failed(c, r);
        return;
    }
    store_bind_text(st, 1, v.id_number);
    store_bind_int(st, 2, registry_ymd_of(now));
    cJSON *j = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    while (store_step(st) == STORE_ROW) {
        cJSON *o = appointment_json(c, st, now);
        if (o)
            cJSON_AddItemToArray(items, o);
    }
    store_finalize(st);
    reply_json(r, 200, j);
}

/* ---- DELETE /v1/appointments/{code} ----------------------------------------------------- */

void on_cancel(struct call *c, struct reply *r)
{
    struct visit v;
    if (!visit_or_reply(c, r, &v))
        return;
    const char *code = c->path + strlen("/v1/appointments/");
    struct store_stmt *st = NULL;
    if (store_prepare(c->reg->db,
                      "UPDATE appointments SET state = 'cancelled' WHERE code = ?"
                      " AND id_number = ? AND state = 'booked' AND end_at > ?",
                      &st) != 0) {
        db_failed(c, r);
        return;
    }
    store_bind_text(st, 1, code);
    store_bind_text(st, 2, v.id_number);
    store_bind_int64(st, 3, clock_wall_s());
    bool ok = store_step(st) == STORE_DONE;
    store_finalize(st);
    if (!ok) {
        db_failed(c, r);
        return;
    }
    if (store_changes(c->reg->db) != 1) {
        reply_problem(r, PROB_NOT_FOUND, "no booking of this citizen with that code to cancel");
        return;
    }
    reply_text(r, 204, "application/json", NULL);
    log_info("registry", "kiosk %s cancelled a booking", c->kiosk);
}
