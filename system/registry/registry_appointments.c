/* registry_appointments.c - bookings (预约), their check-in for a priority
 * number, and the progress of applications (办件进度); see the contract in
 * system/api/README.md. HTTP thread (it owns the database handle).
 *
 * DESIGN: a slot is a day and one of the counter hours below, with a
 * capacity per service. Booking is one BEGIN IMMEDIATE transaction that
 * counts the slot's active bookings and the citizen's, then inserts, so
 * two kiosks racing for the last place cannot both get it, however many
 * threads serve them. A booking row names the citizen by ID number (this
 * is the registry) and keeps the phone for the hall's reminder text; no
 * reply carries either whole.
 *
 * The reference registry's applications are a stand-in: demo citizens get
 * a few, seeded relative to the day the database is seeded, so their
 * states, limits and one overdue case are there to see.
 */
#include "registry/registry_internal.h"
#include "registry/registry_calendar.h"
#include "registry/registry_tickets.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "demo/demo.h"

#include <stdio.h>
#include <string.h>

#define SLOT_CAPACITY   4
#define BOOK_DAYS_MAX   10
#define CHECKIN_EARLY_S (30 * 60)

static const struct {
    int start, end; /* minutes of the day */
} slots[] = {{9 * 60, 10 * 60},
             {10 * 60, 11 * 60},
             {11 * 60, 12 * 60},
             {13 * 60 + 30, 14 * 60 + 30},
             {14 * 60 + 30, 15 * 60 + 30},
             {15 * 60 + 30, 17 * 60}};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS appointments("
    " code TEXT PRIMARY KEY, kiosk TEXT NOT NULL, id_number TEXT NOT NULL,"
    " service TEXT NOT NULL, day INTEGER NOT NULL, slot INTEGER NOT NULL, phone TEXT NOT NULL,"
    " state TEXT NOT NULL, number TEXT NOT NULL, ticket TEXT NOT NULL, booked_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS appointments_by_slot ON appointments(service, day, slot, state);"
    "CREATE TABLE IF NOT EXISTS applications("
    " receipt TEXT PRIMARY KEY, id_number TEXT NOT NULL, service TEXT NOT NULL,"
    " state TEXT NOT NULL, accepted_at INTEGER NOT NULL, location TEXT NOT NULL);";

int registry_appointments_init(sqlite3 *db)
{
    return registry_db_exec(db, schema);
}

static void hhmm(int minutes, char *out, size_t size)
{
    unsigned m = (unsigned)minutes % (24 * 60);
    snprintf(out, size, "%02u:%02u", m / 60, m % 60);
}

static void iso_date(int64_t d, char *out, size_t size)
{
    int y, m, dd;
    cal_date(d, &y, &m, &dd);
    snprintf(out, size, "%04d-%02d-%02d", y, m, dd);
}

/* "2026-11-23T09:00" -> day and slot index; false if it names no slot. */
static bool parse_slot(const char *id, int64_t *day, int *slot)
{
    int y, m, d, hh, mm;
    char tail;
    if (strlen(id) != 16 || sscanf(id, "%4d-%2d-%2dT%2d:%2d%c", &y, &m, &d, &hh, &mm, &tail) != 5)
        return false;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    *day = cal_day(y, m, d);
    int yy, mo, dd;
    cal_date(*day, &yy, &mo, &dd);
    if (yy != y || mo != m || dd != d)
        return false;
    for (size_t i = 0; i < ARRAY_LEN(slots); i++)
        if (slots[i].start == hh * 60 + mm) {
            *slot = (int)i;
            return true;
        }
    return false;
}

/* The first and last day a booking may be for: the next working days. */
static void bookable_days(int64_t now, int days, int64_t *first, int64_t *last)
{
    *first = cal_add_working(cal_day_of(now), 1);
    *last = cal_add_working(cal_day_of(now), days);
}

static int64_t count(sqlite3 *db, const char *sql, const char *a, int64_t b, int64_t c)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, b);
        sqlite3_bind_int64(st, 3, c);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

static int64_t booked_in(sqlite3 *db, const char *service, int64_t day, int slot)
{
    return count(db,
                 "SELECT count(*) FROM appointments WHERE service = ?1 AND day = ?2 AND slot = ?3"
                 " AND state = 'booked'",
                 service, day, slot);
}

void on_slots(struct call *c, struct reply *r)
{
    const char *code = registry_query_arg(c, "service");
    const char *days_s = registry_query_arg(c, "days");
    int days = days_s ? small_number(days_s) : 5;
    const struct registry_service *s = registry_ticket_service(code);
    if (!s || !s->bookable) {
        reply_problem(r, PROB_BAD_REQUEST, "service unknown or not bookable");
        return;
    }
    if (days < 1 || days > BOOK_DAYS_MAX) {
        reply_problem(r, PROB_BAD_REQUEST, "days must be 1 to 10");
        return;
    }
    if (registry_appointments_init(c->reg->db) < 0) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    int64_t first, last;
    bookable_days(clock_wall_s(), days, &first, &last);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "service", s->code);
    cJSON *a = cJSON_AddArrayToObject(j, "days");
    for (int64_t d = first; d <= last; d++) {
        if (!cal_working(d))
            continue;
        char date[16];
        iso_date(d, date, sizeof date);
        cJSON *day = cJSON_CreateObject();
        cJSON_AddStringToObject(day, "date", date);
        cJSON_AddStringToObject(day, "weekday", registry_weekday(d));
        cJSON *list = cJSON_AddArrayToObject(day, "slots");
        for (size_t i = 0; i < ARRAY_LEN(slots); i++) {
            char id[24], st[8], en[8];
            hhmm(slots[i].start, st, sizeof st);
            hhmm(slots[i].end, en, sizeof en);
            snprintf(id, sizeof id, "%sT%s", date, st);
            int64_t taken = booked_in(c->reg->db, s->code, d, (int)i);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", id);
            cJSON_AddStringToObject(o, "start", st);
            cJSON_AddStringToObject(o, "end", en);
            cJSON_AddNumberToObject(o, "capacity", SLOT_CAPACITY);
            int left = taken < 0 || taken >= SLOT_CAPACITY ? 0 : SLOT_CAPACITY - (int)taken;
            cJSON_AddNumberToObject(o, "remaining", left);
            cJSON_AddItemToArray(list, o);
        }
        cJSON_AddItemToArray(a, day);
    }
    reply_json(r, 200, j);
}

static bool phone_ok(const char *p)
{
    if (strlen(p) != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9')
        return false;
    for (int i = 2; i < 11; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

/* The reply object of one booking row (code, kiosk-free). */
static cJSON *booking_json(struct call *c, sqlite3_stmt *st)
{
    /* columns: code, service, day, slot, phone, state, number, booked_at */
    const struct registry_service *s = registry_ticket_service(col(st, 1));
    int64_t day = sqlite3_column_int64(st, 2);
    int slot = sqlite3_column_int(st, 3);
    if (slot < 0 || slot >= (int)ARRAY_LEN(slots))
        slot = 0;
    char date[16], st_s[8], en_s[8], phone[16], url[384], at[32];
    iso_date(day, date, sizeof date);
    hhmm(slots[slot].start, st_s, sizeof st_s);
    hhmm(slots[slot].end, en_s, sizeof en_s);
    const char *p = col(st, 4);
    snprintf(phone, sizeof phone, "%.3s****%.4s", p, strlen(p) >= 4 ? p + strlen(p) - 4 : p);
    snprintf(url, sizeof url, "%s/a/%s", c->reg->public_url, col(st, 0));
    clock_format_iso(sqlite3_column_int64(st, 7), at, sizeof at);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "code", col(st, 0));
    cJSON_AddStringToObject(j, "number", col(st, 6));
    cJSON_AddStringToObject(j, "service", col(st, 1));
    cJSON_AddStringToObject(j, "service_name", s ? s->name : col(st, 1));
    cJSON_AddStringToObject(j, "date", date);
    cJSON_AddStringToObject(j, "start", st_s);
    cJSON_AddStringToObject(j, "end", en_s);
    cJSON_AddStringToObject(j, "windows_text", s ? s->windows : "");
    cJSON_AddStringToObject(j, "time_limit", s ? s->time_limit : "");
    cJSON *m = cJSON_AddArrayToObject(j, "materials");
    for (int i = 0; s && s->materials[i]; i++)
        cJSON_AddItemToArray(m, cJSON_CreateString(s->materials[i]));
    cJSON_AddStringToObject(j, "phone_masked", phone);
    cJSON_AddStringToObject(j, "state", col(st, 5));
    cJSON_AddStringToObject(j, "follow_url", url);
    cJSON_AddStringToObject(j, "booked_at", at);
    return j;
}

#define BOOKING_COLUMNS "code, service, day, slot, phone, state, number, booked_at"

static cJSON *booking_by_code(struct call *c, const char *code)
{
    sqlite3_stmt *st = NULL;
    cJSON *j = NULL;
    if (sqlite3_prepare_v2(c->reg->db,
                           "SELECT " BOOKING_COLUMNS " FROM appointments WHERE code = ?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            j = booking_json(c, st);
    }
    sqlite3_finalize(st);
    return j;
}

void on_book(struct call *c, struct reply *r)
{
    struct visit v;
    enum registry_problem p = bearer(c, &v);
    if (p != PROB_NONE) {
        reply_problem(r, p, "no visit behind the token");
        return;
    }
    cJSON *b = cJSON_ParseWithLength(c->body ? c->body : "", c->len);
    const cJSON *svc = cJSON_GetObjectItemCaseSensitive(b, "service");
    const cJSON *slot = cJSON_GetObjectItemCaseSensitive(b, "slot");
    const cJSON *phone = cJSON_GetObjectItemCaseSensitive(b, "phone");
    char code_s[32] = "", slot_s[32] = "", phone_s[16] = "";
    bool shape = cJSON_IsObject(b) && cJSON_IsString(svc) && cJSON_IsString(slot) &&
                 cJSON_IsString(phone) && str_copy(code_s, sizeof code_s, svc->valuestring) &&
                 str_copy(slot_s, sizeof slot_s, slot->valuestring) &&
                 str_copy(phone_s, sizeof phone_s, phone->valuestring);
    cJSON_Delete(b);
    const struct registry_service *s = shape ? registry_ticket_service(code_s) : NULL;
    int64_t day = 0, first, last, now = clock_wall_s();
    int idx = 0;
    if (!shape || !s || !s->bookable) {
        reply_problem(r, PROB_BAD_REQUEST,
                      "service, slot and phone are required; service bookable");
        return;
    }
    if (!phone_ok(phone_s)) {
        reply_problem(r, PROB_PHONE_INVALID, "not a mainland mobile number");
        return;
    }
    bookable_days(now, BOOK_DAYS_MAX, &first, &last);
    if (!parse_slot(slot_s, &day, &idx) || day < first || day > last || !cal_working(day)) {
        reply_problem(r, PROB_NOT_FOUND, "no such slot");
        return;
    }
    sqlite3 *db = c->reg->db;
    if (registry_appointments_init(db) < 0 || registry_db_exec(db, "BEGIN IMMEDIATE") < 0) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    char detail[96] = "";
    /* One active booking per citizen and service. */
    int64_t mine = -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT code FROM appointments WHERE id_number = ? AND service = ?"
                           " AND state = 'booked' AND day >= ?",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, v.id_number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, s->code, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, cal_day_of(now));
        mine = sqlite3_step(st) == SQLITE_ROW ? 1 : 0;
        if (mine)
            snprintf(detail, sizeof detail, "existing booking %s", col(st, 0));
    } else {
        mine = -1;
    }
    sqlite3_finalize(st);
    int64_t taken = booked_in(db, s->code, day, idx);
    if (mine < 0 || taken < 0) {
        registry_db_exec(db, "ROLLBACK");
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    if (mine > 0) {
        registry_db_exec(db, "ROLLBACK");
        reply_problem(r, PROB_ALREADY_BOOKED, detail);
        return;
    }
    if (taken >= SLOT_CAPACITY) {
        registry_db_exec(db, "ROLLBACK");
        reply_problem(r, PROB_SLOT_FULL, "the slot has no place left");
        return;
    }
    /* The number the counter calls: letter, month and day, the booking's
     * place among the day's bookings of the service. */
    int y, m, d;
    cal_date(day, &y, &m, &d);
    int64_t nth = count(db,
                        "SELECT count(*) FROM appointments WHERE service = ?1 AND day = ?2"
                        " AND slot >= 0 AND ?3 >= 0",
                        s->code, day, 0);
    char code[16] = "Y", number[32];
    snprintf(number, sizeof number, "%s-%02d%02d-%02u", s->prefix, m % 100, d % 100,
             (unsigned)(nth + 1) % 1000);
    bool ok =
        random_code(code + 1, 7) == 0 &&
        sqlite3_prepare_v2(db, "INSERT INTO appointments VALUES(?,?,?,?,?,?,?,'booked',?,'',?)", -1,
                           &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, c->kiosk, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, v.id_number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, s->code, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, day);
        sqlite3_bind_int(st, 6, idx);
        sqlite3_bind_text(st, 7, phone_s, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 8, number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 9, now);
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    sqlite3_finalize(st);
    explicit_bzero(phone_s, sizeof phone_s);
    if (!ok || registry_db_exec(db, "COMMIT") < 0) {
        registry_db_exec(db, "ROLLBACK");
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    log_info("registry", "booked %s for %s on day %lld slot %d", code, s->code, (long long)day,
             idx);
    reply_json(r, 201, booking_by_code(c, code));
}

void on_bookings(struct call *c, struct reply *r)
{
    struct visit v;
    enum registry_problem p = bearer(c, &v);
    if (p != PROB_NONE) {
        reply_problem(r, p, "no visit behind the token");
        return;
    }
    sqlite3_stmt *st = NULL;
    if (registry_appointments_init(c->reg->db) < 0 ||
        sqlite3_prepare_v2(c->reg->db,
                           "SELECT " BOOKING_COLUMNS " FROM appointments WHERE id_number = ?"
                           " AND day >= ? ORDER BY day, slot LIMIT 20",
                           -1, &st, NULL) != SQLITE_OK) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    sqlite3_bind_text(st, 1, v.id_number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, cal_day_of(clock_wall_s()));
    cJSON *j = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    while (sqlite3_step(st) == SQLITE_ROW)
        cJSON_AddItemToArray(items, booking_json(c, st));
    sqlite3_finalize(st);
    reply_json(r, 200, j);
}

void on_booking_cancel(struct call *c, struct reply *r)
{
    struct visit v;
    enum registry_problem p = bearer(c, &v);
    if (p != PROB_NONE) {
        reply_problem(r, p, "no visit behind the token");
        return;
    }
    const char *code = c->path + strlen("/v1/appointments/");
    sqlite3_stmt *st = NULL;
    if (registry_appointments_init(c->reg->db) < 0 ||
        sqlite3_prepare_v2(c->reg->db,
                           "UPDATE appointments SET state = 'cancelled' WHERE code = ?"
                           " AND id_number = ? AND state = 'booked'",
                           -1, &st, NULL) != SQLITE_OK) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, v.id_number, -1, SQLITE_TRANSIENT);
    bool done = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(c->reg->db) == 1;
    sqlite3_finalize(st);
    if (!done)
        reply_problem(r, PROB_NOT_FOUND, "no such booking of this citizen");
    else
        reply_text(r, 204, "application/json", "");
}

/* ---- check-in ---------------------------------------------------------------- */

enum registry_problem registry_check_in(struct call *c, const char *code_in, int64_t now,
                                        cJSON **out, char *detail, size_t size)
{
    *out = NULL;
    sqlite3 *db = c->reg->db;
    if (registry_appointments_init(db) < 0)
        return PROB_UNAVAILABLE;
    struct visit v = {0};
    sqlite3_stmt *st = NULL;
    int64_t today = cal_day_of(now);
    if (code_in && code_in[0]) {
        if (sqlite3_prepare_v2(db,
                               "SELECT code, service, day, slot, state, ticket FROM appointments"
                               " WHERE code = ?",
                               -1, &st, NULL) != SQLITE_OK)
            return PROB_UNAVAILABLE;
        sqlite3_bind_text(st, 1, code_in, -1, SQLITE_TRANSIENT);
    } else {
        enum registry_problem p = bearer(c, &v);
        if (p != PROB_NONE) {
            snprintf(detail, size, "check-in without a code needs the visit's token");
            return p;
        }
        if (sqlite3_prepare_v2(
                db,
                "SELECT code, service, day, slot, state, ticket FROM appointments"
                " WHERE id_number = ? AND day = ? AND state IN ('booked', 'checked_in')"
                " ORDER BY slot LIMIT 1",
                -1, &st, NULL) != SQLITE_OK)
            return PROB_UNAVAILABLE;
        sqlite3_bind_text(st, 1, v.id_number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, today);
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        snprintf(detail, size, "no appointment to check in");
        return code_in && code_in[0] ? PROB_NOT_FOUND : PROB_NO_APPOINTMENT;
    }
    char code[16], service[32], state[16], ticket[16];
    str_copy(code, sizeof code, col(st, 0));
    str_copy(service, sizeof service, col(st, 1));
    int64_t day = sqlite3_column_int64(st, 2);
    int slot = sqlite3_column_int(st, 3);
    str_copy(state, sizeof state, col(st, 4));
    str_copy(ticket, sizeof ticket, col(st, 5));
    sqlite3_finalize(st);
    if (slot < 0 || slot >= (int)ARRAY_LEN(slots))
        return PROB_UNAVAILABLE;
    int64_t opens = cal_time(day, 0, slots[slot].start) - CHECKIN_EARLY_S;
    int64_t closes = cal_time(day, 0, slots[slot].end);
    if (strcmp(state, "booked") != 0 && strcmp(state, "checked_in") != 0) {
        snprintf(detail, size, "the booking is %s", state);
        return PROB_NOT_FOUND;
    }
    if (strcmp(state, "booked") == 0 && (day != today || now < opens)) {
        char at[8];
        hhmm(slots[slot].start - CHECKIN_EARLY_S / 60, at, sizeof at);
        snprintf(detail, size, "check-in opens at %s of the booked day", at);
        return day < today ? PROB_APPOINTMENT_MISSED : PROB_TOO_EARLY;
    }
    if (strcmp(state, "booked") == 0 && now > closes) {
        snprintf(detail, size, "the booked window has closed");
        return PROB_APPOINTMENT_MISSED;
    }
    struct registry_ticket_req q = {.kind = "priority"};
    str_copy(q.service, sizeof q.service, service);
    str_copy(q.appointment_code, sizeof q.appointment_code, code);
    char window[32], a[8], b[8];
    hhmm(slots[slot].start, a, sizeof a);
    hhmm(slots[slot].end, b, sizeof b);
    snprintf(window, sizeof window, "%s–%s", a, b);
    enum registry_problem p =
        registry_ticket_issue(db, c->kiosk, c->reg->public_url, &q, now, out, detail, size);
    if (p != PROB_NONE)
        return p;
    cJSON_AddStringToObject(*out, "appointment", window);
    if (ticket[0]) {
        /* Checked in before: the same number again. */
        cJSON_ReplaceItemInObject(*out, "number", cJSON_CreateString(ticket));
        return PROB_NONE;
    }
    const cJSON *num = cJSON_GetObjectItemCaseSensitive(*out, "number");
    if (sqlite3_prepare_v2(
            db, "UPDATE appointments SET state = 'checked_in', ticket = ? WHERE code = ?", -1, &st,
            NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, cJSON_GetStringValue(num), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return PROB_NONE;
}

/* ---- progress ------------------------------------------------------------------ */

static const struct {
    const char *state, *text;
} states[] = {{"accepted", "已受理"}, {"reviewing", "审核中"}, {"registering", "登簿中"},
              {"ready", "可领证"},    {"done", "已办结"},      {"rejected", "不予登记"}};

static const char *state_text(const char *state)
{
    for (size_t i = 0; i < ARRAY_LEN(states); i++)
        if (strcmp(states[i].state, state) == 0)
            return states[i].text;
    return "";
}

static cJSON *application_json(sqlite3_stmt *st, bool with_location, int64_t now)
{
    /* columns: receipt, service, state, accepted_at, location */
    const struct registry_service *s = registry_ticket_service(col(st, 1));
    const char *state = col(st, 2);
    int64_t accepted = sqlite3_column_int64(st, 3);
    bool hours = s ? s->limit_hours : false;
    int value = s ? s->limit_value : 3;
    int64_t due = cal_due(accepted, hours, value);
    bool left_hours;
    int left;
    cal_remaining(now, due, &left_hours, &left);
    bool finished =
        strcmp(state, "ready") == 0 || strcmp(state, "done") == 0 || strcmp(state, "rejected") == 0;
    char at[32], due_s[32];
    clock_format_iso(accepted, at, sizeof at);
    clock_format_iso(due, due_s, sizeof due_s);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "receipt", col(st, 0));
    cJSON_AddStringToObject(j, "service", col(st, 1));
    cJSON_AddStringToObject(j, "service_name", s ? s->name : col(st, 1));
    cJSON_AddStringToObject(j, "state", state);
    cJSON_AddStringToObject(j, "state_text", state_text(state));
    cJSON_AddStringToObject(j, "accepted_at", at);
    cJSON_AddItemToObject(j, "limit", registry_limit_json(hours, value));
    cJSON_AddStringToObject(j, "due_at", due_s);
    cJSON_AddItemToObject(j, "remaining", registry_limit_json(left_hours, finished ? 0 : left));
    cJSON_AddBoolToObject(j, "overdue", !finished && now >= due);
    if (with_location)
        cJSON_AddStringToObject(j, "location", col(st, 4));
    return j;
}

void on_applications(struct call *c, struct reply *r)
{
    struct visit v;
    enum registry_problem p = bearer(c, &v);
    if (p != PROB_NONE) {
        reply_problem(r, p, "no visit behind the token");
        return;
    }
    int64_t now = clock_wall_s();
    sqlite3_stmt *st = NULL;
    if (registry_appointments_init(c->reg->db) < 0 ||
        sqlite3_prepare_v2(c->reg->db,
                           "SELECT receipt, service, state, accepted_at, location FROM applications"
                           " WHERE id_number = ? AND accepted_at > ? ORDER BY accepted_at DESC"
                           " LIMIT 16",
                           -1, &st, NULL) != SQLITE_OK) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    sqlite3_bind_text(st, 1, v.id_number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now - 366 * 86400);
    char at[32];
    clock_format_iso(now, at, sizeof at);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "as_of", at);
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    while (sqlite3_step(st) == SQLITE_ROW)
        cJSON_AddItemToArray(items, application_json(st, true, now));
    sqlite3_finalize(st);
    reply_json(r, 200, j);
}

void on_application(struct call *c, struct reply *r)
{
    const char *receipt = c->path + strlen("/v1/applications/");
    sqlite3_stmt *st = NULL;
    if (registry_appointments_init(c->reg->db) < 0 ||
        sqlite3_prepare_v2(c->reg->db,
                           "SELECT receipt, service, state, accepted_at, location FROM applications"
                           " WHERE receipt = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    sqlite3_bind_text(st, 1, receipt, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        reply_json(r, 200, application_json(st, false, clock_wall_s()));
    else
        reply_problem(r, PROB_NOT_FOUND, "no application with that receipt");
    sqlite3_finalize(st);
}

/* The nth working day before day d. */
static int64_t working_before(int64_t d, int n)
{
    while (n > 0) {
        d--;
        if (cal_working(d))
            n--;
    }
    return d;
}

int registry_applications_seed(sqlite3 *db, int64_t now)
{
    if (registry_appointments_init(db) < 0)
        return ERR_IO;
    static const struct {
        int citizen;
        const char *service, *state;
        int days_before; /* working days before today */
        int hour, minute;
    } rows[] = {
        {0, "registration", "reviewing", 1, 10, 12}, /* in time: 2 working days left */
        {0, "mortgage", "registering", 4, 9, 30},    /* 1 working day promised: overdue */
        {0, "query", "done", 15, 14, 5},
        {1, "registration", "ready", 5, 11, 0},
        {2, "cancellation", "accepted", 0, 8, 40}, /* this morning, hours left */
    };
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO applications VALUES(?,?,?,?,?,?)", -1, &st,
                           NULL) != SQLITE_OK)
        return ERR_IO;
    int64_t today = cal_day_of(now);
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        struct demo_citizen dc;
        if (!demo_citizen_get(rows[i].citizen, &dc))
            continue;
        int64_t d = working_before(today, rows[i].days_before);
        int y, m, dd;
        cal_date(d, &y, &m, &dd);
        char receipt[32];
        snprintf(receipt, sizeof receipt, "JZ%04d%02d%02d-%05d", y, m, dd, 100 + (int)i);
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, receipt, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, dc.id_number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, rows[i].service, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, rows[i].state, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, cal_time(d, rows[i].hour, rows[i].minute));
        sqlite3_bind_text(st, 6, dc.address, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return ERR_IO;
        }
    }
    sqlite3_finalize(st);
    return 0;
}
