/* registry_guide.c - what a kiosk shows without a visit: the service
 * guide (GET /v1/services), the hall's notice and office hours (GET
 * /v1/notice, written from the calendar) and the working days (GET
 * /v1/calendar). Nothing here is personal, so a kiosk may keep the last copy.
 * Runs on libmicrohttpd's threads, under the registry's lock.
 */
#include "registry/registry_internal.h"

#include "base/clock.h"
#include "base/util.h"
#include "registry/registry_calendar.h"
#include "registry/registry_services.h"

#include <stdio.h>
#include <string.h>

/* ---- GET /v1/services ---------------------------------------------------------- */

static cJSON *service_json(const struct registry_service *s)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "code", s->code);
    cJSON_AddStringToObject(j, "letter", s->prefix);
    cJSON_AddStringToObject(j, "name", s->name);
    cJSON_AddStringToObject(j, "summary", s->summary);
    cJSON_AddStringToObject(j, "windows_text", s->windows);
    cJSON *limit = cJSON_AddObjectToObject(j, "limit");
    cJSON_AddStringToObject(limit, "unit", s->limit_unit);
    cJSON_AddNumberToObject(limit, "value", s->limit_value);
    cJSON_AddStringToObject(j, "time_limit", s->time_limit);
    cJSON *m = cJSON_AddArrayToObject(j, "materials");
    for (int i = 0; i < s->material_count; i++)
        cJSON_AddItemToArray(m, cJSON_CreateString(s->materials[i]));
    cJSON *fees = cJSON_AddArrayToObject(j, "fees");
    for (int i = 0; i < s->fee_count; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "item", s->fees[i].item);
        cJSON_AddNumberToObject(f, "amount_fen", (double)s->fees[i].amount_fen);
        cJSON_AddItemToArray(fees, f);
    }
    cJSON *w = cJSON_AddArrayToObject(j, "fee_waivers");
    for (int i = 0; i < s->waiver_count; i++)
        cJSON_AddItemToArray(w, cJSON_CreateString(s->fee_waivers[i]));
    cJSON_AddBoolToObject(j, "bookable", s->bookable);
    cJSON_AddBoolToObject(j, "walk_in", s->walk_in);
    return j;
}

void on_services(struct call *c, struct reply *r)
{
    (void)c;
    char now[32];
    now_iso(now, sizeof now);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "as_of", now);
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    for (int i = 0; i < registry_service_count(); i++)
        cJSON_AddItemToArray(items, service_json(registry_service_at(i)));
    reply_json(r, 200, j);
}

/* ---- GET /v1/notice -------------------------------------------------------------- */

void on_notice(struct call *c, struct reply *r)
{
    int64_t now = clock_wall_s();
    char notice[800];
    registry_calendar_notice(c->reg->cal, registry_ymd_of(now), notice, sizeof notice);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "notice", notice);
    cJSON *hours = cJSON_AddArrayToObject(j, "hours");
    static const char *const rows[][2] = {
        {"窗口", "周一至周五 9:00–12:00 13:30–17:00"},
        {"节假日", "法定节假日窗口暂停服务，调休上班日照常办公"},
        {"自助终端", "每天 7:00–21:00"},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "label", rows[i][0]);
        cJSON_AddStringToObject(row, "text", rows[i][1]);
        cJSON_AddItemToArray(hours, row);
    }
    cJSON_AddBoolToObject(j, "open_now", registry_calendar_open_at(c->reg->cal, now));
    reply_json(r, 200, j);
}

/* ---- GET /v1/calendar?from=DATE&days=N ---------------------------------------------- */

void on_calendar(struct call *c, struct reply *r)
{
    const char *fs = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "from");
    const char *ds = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "days");
    int from = fs ? registry_req_date(fs) : registry_ymd_of(clock_wall_s());
    int days = ds ? small_number(ds) : 14;
    if (!from || from > 99991231 - 10000) {
        reply_problem(r, PROB_BAD_REQUEST, "from must be a date YYYY-MM-DD");
        return;
    }
    if (days < 1 || days > 62) {
        reply_problem(r, PROB_BAD_REQUEST, "days must be 1 to 62");
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(j, "days");
    for (int i = 0; i < days; i++) {
        int d = registry_ymd_add(from, i);
        char date[16];
        snprintf(date, sizeof date, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "date", date);
        cJSON_AddBoolToObject(o, "working", registry_calendar_is_working(c->reg->cal, d));
        cJSON_AddStringToObject(o, "name", registry_calendar_name(c->reg->cal, d));
        cJSON_AddItemToArray(list, o);
    }
    reply_json(r, 200, j);
}
