/* registry_progress.c - progress of applications (办件进度): the visit's
 * citizen's applications (GET /v1/applications) and one by its receipt
 * number (GET /v1/applications/{receipt}, nothing personal), with the
 * promised due time and what is left of it reckoned on the registry's
 * calendar; and the demo applications the seed adds. Runs on
 * libmicrohttpd's threads under the registry's lock, the seed on the
 * starting thread.
 *
 * DESIGN: a row stores the state and the time of acceptance; due_at,
 * remaining and overdue are computed on every read from the clock, so a
 * test that moves the clock sees an application fall due. The demo rows
 * are placed relative to the clock at seed time (e.g. accepted on the
 * working day before, or eight working days before), so tests predict
 * their states from the same calendar.
 */
#include "registry/registry_internal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "demo/demo.h"
#include "registry/registry_calendar.h"
#include "registry/registry_db.h"
#include "registry/registry_services.h"

#include <stdio.h>
#include <string.h>

#define YEAR_S (365 * 86400)

static const char *const state_texts[][2] = {
    {"accepted", "已受理"}, {"reviewing", "审核中"}, {"registering", "登簿中"},
    {"ready", "可领证"},    {"done", "已办结"},      {"rejected", "不予登记"},
};

static const char *state_text(const char *state)
{
    for (size_t i = 0; i < ARRAY_LEN(state_texts); i++)
        if (strcmp(state_texts[i][0], state) == 0)
            return state_texts[i][1];
    return "";
}

static bool finished(const char *state)
{
    return strcmp(state, "ready") == 0 || strcmp(state, "done") == 0 ||
           strcmp(state, "rejected") == 0;
}

/* ---- the demo applications --------------------------------------------------------- */

/* Working day n before (n > 0) day, on the calendar. */
static int working_before(const struct registry_calendar *cal, int day, int n)
{
    while (n > 0) {
        day = registry_ymd_add(day, -1);
        n -= registry_calendar_is_working(cal, day);
    }
    return day;
}

int registry_progress_seed(struct store *db, const struct registry_calendar *cal, int64_t now)
{
    struct store_stmt *st = NULL;
    int have = -1;
    if (store_prepare(db, "SELECT count(*) FROM applications", &st) == 0 &&
        store_step(st) == STORE_ROW)
        have = store_column_int(st, 0);
    store_finalize(st);
    if (have != 0)
        return have < 0 ? ERR_IO : 0;
    if (!demo_is_available())
        return 0;
    int today = registry_ymd_of(now);
    /* Citizen (a showcase index), service, state, and when it was accepted:
     * working days before today at hh:mm, or with back < 0 that many hours
     * before the seed. */
    static const struct {
        int citizen;
        const char *service, *state;
        int back, hh, mm;
    } apps[] = {
        {0, "registration", "reviewing", 1, 10, 12},    /* on time */
        {0, "cancellation", "done", 30, 9, 30},         /* finished long ago */
        {1, "correction", "reviewing", 8, 9, 0},        /* overdue */
        {2, "registration", "ready", 5, 14, 40},        /* ready to collect */
        {3, "mortgage", "accepted", -1, 0, 0},          /* accepted an hour ago */
        {11, "preregistration", "rejected", 12, 15, 5}, /* refused */
        {12, "residence", "registering", 1, 16, 20},    /* due today or tomorrow */
    };
    if (store_prepare(db, "INSERT INTO applications VALUES(?,?,?,?,?,?)", &st) != 0)
        return ERR_IO;
    int n = 0;
    for (size_t i = 0; i < ARRAY_LEN(apps); i++) {
        struct demo_citizen d;
        if (!demo_citizen_get(apps[i].citizen, &d))
            continue;
        int64_t at = apps[i].back < 0 ? now + apps[i].back * 3600
                                      : registry_ymd_at(working_before(cal, today, apps[i].back),
                                                        apps[i].hh, apps[i].mm);
        int day = registry_ymd_of(at);
        char receipt[32], location[200] = "";
        snprintf(receipt, sizeof receipt, "JZ%08d-%05d", day, 120 + (int)i * 7);
        struct store_stmt *loc = NULL;
        if (store_prepare(db,
                          "SELECT p.location FROM owners o JOIN properties p"
                          " ON p.id = o.property_id WHERE o.id_number = ? ORDER BY p.id"
                          " LIMIT 1",
                          &loc) == 0) {
            store_bind_text(loc, 1, d.id_number);
            if (store_step(loc) == STORE_ROW)
                str_copy(location, sizeof location, col(loc, 0));
        }
        store_finalize(loc);
        store_reset(st);
        store_bind_text(st, 1, receipt);
        store_bind_text(st, 2, d.id_number);
        store_bind_text(st, 3, apps[i].service);
        store_bind_text(st, 4, apps[i].state);
        store_bind_int64(st, 5, at);
        store_bind_text(st, 6, location);
        explicit_bzero(&d, sizeof d);
        if (store_step(st) != STORE_DONE) {
            log_err("registry", "seeding applications failed: %s", store_errmsg(db));
            store_finalize(st);
            return ERR_IO;
        }
        n++;
    }
    store_finalize(st);
    return n;
}

/* ---- one application as JSON --------------------------------------------------------- */

#define APP_COLUMNS "receipt, service, state, accepted_at, location"

static cJSON *application_json(const struct registry_calendar *cal, struct store_stmt *st,
                               int64_t now, bool with_location)
{
    const struct registry_service *s = registry_service_find(col(st, 1));
    if (!s)
        return NULL;
    const char *state = col(st, 2);
    int64_t at = store_column_int64(st, 3);
    bool hours = strcmp(s->limit_unit, "hours") == 0;
    int64_t due = registry_calendar_due(cal, at, hours, s->limit_value);
    struct registry_left left = {.hours = true, .value = 0};
    if (!finished(state))
        left = registry_calendar_remaining(cal, due, hours, now);
    char accepted[32], due_s[32];
    clock_format_iso(at, accepted, sizeof accepted);
    clock_format_iso(due, due_s, sizeof due_s);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "receipt", col(st, 0));
    cJSON_AddStringToObject(j, "service", s->code);
    cJSON_AddStringToObject(j, "service_name", s->name);
    cJSON_AddStringToObject(j, "state", state);
    cJSON_AddStringToObject(j, "state_text", state_text(state));
    cJSON_AddStringToObject(j, "accepted_at", accepted);
    cJSON *limit = cJSON_AddObjectToObject(j, "limit");
    cJSON_AddStringToObject(limit, "unit", s->limit_unit);
    cJSON_AddNumberToObject(limit, "value", s->limit_value);
    cJSON_AddStringToObject(j, "due_at", due_s);
    cJSON *rem = cJSON_AddObjectToObject(j, "remaining");
    cJSON_AddStringToObject(rem, "unit", left.hours ? "hours" : "working_days");
    cJSON_AddNumberToObject(rem, "value", left.value);
    cJSON_AddBoolToObject(j, "overdue", !finished(state) && now > due);
    if (with_location)
        cJSON_AddStringToObject(j, "location", col(st, 4));
    return j;
}

/* ---- GET /v1/applications -------------------------------------------------------------- */

/* (Opens as on_appointments does: the visit, the clock, one query.) */
void on_applications(struct call *c, struct reply *r)
{
    struct visit v;
    if (!visit_or_reply(c, r, &v))
        return;
    int64_t now = clock_wall_s();
    struct store_stmt *st = NULL;
    if (store_prepare(c->reg->db,
                      "SELECT " APP_COLUMNS " FROM applications WHERE id_number = ?"
                      " AND accepted_at > ? ORDER BY accepted_at DESC LIMIT 100",
                      &st) != 0) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    store_bind_text(st, 1, v.id_number);
    store_bind_int64(st, 2, now - YEAR_S);
    char as_of[32];
    clock_format_iso(now, as_of, sizeof as_of);
    cJSON *j = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    while (store_step(st) == STORE_ROW) {
        cJSON *o = application_json(c->reg->cal, st, now, true);
        if (o)
            cJSON_AddItemToArray(items, o);
    }
    store_finalize(st);
    cJSON_AddStringToObject(j, "as_of", as_of);
    reply_json(r, 200, j);
}

/* ---- GET /v1/applications/{receipt} ------------------------------------------------------ */

void on_application(struct call *c, struct reply *r)
{
    const char *receipt = c->path + strlen("/v1/applications/");
    int64_t now = clock_wall_s();
    struct store_stmt *st = NULL;
    cJSON *o = NULL;
    if (strlen(receipt) < 32 &&
        store_prepare(c->reg->db, "SELECT " APP_COLUMNS " FROM applications WHERE receipt = ?",
                      &st) == 0) {
        store_bind_text(st, 1, receipt);
        if (store_step(st) == STORE_ROW)
            o = application_json(c->reg->cal, st, now, false);
    }
    store_finalize(st);
    if (!o) {
        reply_problem(r, PROB_NOT_FOUND, "no application with that receipt");
        return;
    }
    reply_json(r, 200, o);
}
