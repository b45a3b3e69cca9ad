/* regjson_services.c - the replies of the hall's services: the guide, the
 * notice, appointment slots and bookings (one, or the citizen's list),
 * the progress of applications, a proof's link for a phone, and whether a
 * card is a staff member's; see regjson.h.
 *
 * Same rules as the other replies: every field checked against the
 * contract (system/api/README.md) and the model's limits, nothing
 * truncated, the first failure named by its path in detail. Pure, any
 * thread. Each parser opens alike (begin, the reply's own fields, finish),
 * written out in each so that it reads whole.
 */
#include "backend/regjson_internal.h"

#include "base/err.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

/* Opens body as an object into *root, with detail cleared and out zeroed. */
static cJSON *begin(struct ctx *c, const char *body, size_t len, void *out, size_t out_size,
                    int *rc)
{
    if (c->detail && c->size)
        c->detail[0] = '\0';
    memset(out, 0, out_size);
    return parse_object(c, body, len, rc);
}

static int finish(cJSON *root, void *out, size_t out_size, int rc)
{
    tree_free(root);
    if (rc)
        explicit_bzero(out, out_size);
    return rc;
}

/* An array of at most max strings into rows of size bytes each (dst is
 * max rows), none empty and none with a newline (slips are line-based). */
static int get_strings(struct ctx *c, const cJSON *obj, const char *path, const char *key,
                       char *dst, size_t size, int max, int *count)
{
    int rc;
    const cJSON *arr = get_typed(c, obj, path, key, cJSON_Array, &rc);
    if (!arr)
        return rc;
    if (cJSON_GetArraySize(arr) > max)
        return fail(c, path, key, "more than %d", max);
    *count = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        char k[48];
        snprintf(k, sizeof k, "%s[%d]", key, *count);
        if (!cJSON_IsString(it) || !it->valuestring)
            return fail(c, path, k, "not a string");
        char *row = dst + (size_t)*count * size;
        if ((rc = put_value(c, path, k, it->valuestring, row, size, true)))
            return rc;
        if (strchr(row, '\n'))
            return fail(c, path, k, "newline in value");
        (*count)++;
    }
    return 0;
}

static int get_bool(struct ctx *c, const cJSON *obj, const char *path, const char *key, bool *out)
{
    int rc;
    const cJSON *it = get_item(c, obj, path, key, &rc);
    if (!it)
        return rc;
    if (!cJSON_IsBool(it))
        return fail(c, path, key, "not a boolean");
    *out = cJSON_IsTrue(it);
    return 0;
}

/* Whether s is one of the n names. */
static bool one_of(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, names[i]))
            return true;
    return false;
}

/* {"unit": "hours" | "working_days", "value": N} */
static int get_span(struct ctx *c, const cJSON *obj, const char *path, const char *key, bool *hours,
                    int *value, int64_t min)
{
    int rc;
    const cJSON *o = get_typed(c, obj, path, key, cJSON_Object, &rc);
    if (!o)
        return rc;
    char p[64], unit[16];
    path_join(p, sizeof p, path, key);
    int64_t v = 0;
    if ((rc = get_str(c, o, p, "unit", unit, sizeof unit, true)) ||
        (rc = get_int(c, o, p, "value", &v, min, 1000)))
        return rc;
    if (strcmp(unit, "hours") != 0 && strcmp(unit, "working_days") != 0)
        return fail(c, p, "unit", "not hours or working_days");
    *hours = strcmp(unit, "hours") == 0;
    *value = (int)v;
    return 0;
}

/* ---- lists ---- */

/* Each object of root's "items" (at most max) through one(c, item, path,
 * i, arg); *count is how many were taken. */
typedef int (*item_fn)(struct ctx *c, const cJSON *it, const char *path, int i, void *arg);

static int each_item(struct ctx *c, const cJSON *root, int max, item_fn one, void *arg, int *count)
{
    int rc;
    const cJSON *items = get_typed(c, root, NULL, "items", cJSON_Array, &rc);
    if (!items)
        return rc;
    if (cJSON_GetArraySize(items) > max)
        return fail(c, NULL, "items", "more than %d", max);
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        char p[24];
        snprintf(p, sizeof p, "items[%d]", *count);
        if (!cJSON_IsObject(it))
            return fail(c, p, "", "not an object");
        if ((rc = one(c, it, p, *count, arg)))
            return rc;
        (*count)++;
    }
    return 0;
}

/* ---- the guide ---- */

static int parse_service(struct ctx *c, const cJSON *o, const char *path, struct service_info *s)
{
    int rc;
    if ((rc = get_str(c, o, path, "code", s->code, sizeof s->code, true)) ||
        (rc = get_str(c, o, path, "letter", s->letter, sizeof s->letter, true)) ||
        (rc = get_str(c, o, path, "name", s->name, sizeof s->name, true)) ||
        (rc = get_str(c, o, path, "summary", s->summary, sizeof s->summary, false)) ||
        (rc =
             get_str(c, o, path, "windows_text", s->windows_text, sizeof s->windows_text, false)) ||
        (rc = get_span(c, o, path, "limit", &s->limit_hours, &s->limit_value, 1)) ||
        (rc = get_str(c, o, path, "time_limit", s->time_limit, sizeof s->time_limit, true)) ||
        (rc = get_strings(c, o, path, "materials", s->materials[0], sizeof s->materials[0],
                          TICKET_MATERIALS_MAX, &s->material_count)) ||
        (rc = get_strings(c, o, path, "fee_waivers", s->waivers[0], sizeof s->waivers[0],
                          SERVICE_WAIVERS_MAX, &s->waiver_count)) ||
        (rc = get_bool(c, o, path, "bookable", &s->bookable)) ||
        (rc = get_bool(c, o, path, "walk_in", &s->walk_in)))
        return rc;
    for (const char *p = s->code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
            return fail(c, path, "code", "not [a-z_]");
    const cJSON *fees = get_typed(c, o, path, "fees", cJSON_Array, &rc);
    if (!fees)
        return rc;
    if (cJSON_GetArraySize(fees) > SERVICE_FEES_MAX)
        return fail(c, path, "fees", "more than %d", SERVICE_FEES_MAX);
    const cJSON *f;
    cJSON_ArrayForEach(f, fees)
    {
        char p[64];
        snprintf(p, sizeof p, "%s.fees[%d]", path, s->fee_count);
        if (!cJSON_IsObject(f))
            return fail(c, p, "", "not an object");
        int64_t fen = 0;
        if ((rc = get_str(c, f, p, "item", s->fees[s->fee_count].item, sizeof s->fees[0].item,
                          true)) ||
            (rc = get_int(c, f, p, "amount_fen", &fen, 0, 100000000)))
            return rc;
        s->fees[s->fee_count++].amount_fen = fen;
    }
    return 0;
}

static int one_service(struct ctx *c, const cJSON *it, const char *path, int i, void *arg)
{
    struct service_list *l = arg;
    int rc = parse_service(c, it, path, &l->items[i]);
    if (!rc && service_list_find(l, l->items[i].code))
        rc = fail(c, path, "code", "listed twice");
    return rc;
}

int regjson_parse_services(const char *body, size_t len, struct service_list *out, char *detail,
                           size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = begin(&c, body, len, out, sizeof *out, &rc);
    if (!root)
        return rc;
    if (!(rc = get_str(&c, root, NULL, "as_of", out->as_of, sizeof out->as_of, true)))
        rc = each_item(&c, root, SERVICE_LIST_MAX, one_service, out, &out->count);
    return finish(root, out, sizeof *out, rc);
}

/* ---- the notice ---- */

int regjson_parse_notice(const char *body, size_t len, struct hall_notice *out, char *detail,
                         size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = begin(&c, body, len, out, sizeof *out, &rc);
    if (!root)
        return rc;
    const cJSON *hours = NULL;
    if ((rc = get_str(&c, root, NULL, "notice", out->notice, sizeof out->notice, false)) ||
        (rc = get_bool(&c, root, NULL, "open_now", &out->open_now)) ||
        !(hours = get_typed(&c, root, NULL, "hours", cJSON_Array, &rc)))
        return finish(root, out, sizeof *out, rc);
    int n = cJSON_GetArraySize(hours);
    if (n < 1 || n > NOTICE_HOURS_MAX)
        return finish(root, out, sizeof *out,
                      fail(&c, NULL, "hours", "not 1 to %d rows", NOTICE_HOURS_MAX));
    const cJSON *h;
    cJSON_ArrayForEach(h, hours)
    {
        char p[24];
        snprintf(p, sizeof p, "hours[%d]", out->hours_count);
        if (!cJSON_IsObject(h))
            return finish(root, out, sizeof *out, fail(&c, p, "", "not an object"));
        if ((rc = get_str(&c, h, p, "label", out->hours[out->hours_count].label,
                          sizeof out->hours[0].label, true)) ||
            (rc = get_str(&c, h, p, "text", out->hours[out->hours_count].text,
                          sizeof out->hours[0].text, true)))
            return finish(root, out, sizeof *out, rc);
        out->hours_count++;
    }
    return finish(root, out, sizeof *out, 0);
}

/* ---- appointments ---- */

static int parse_slot(struct ctx *c, const cJSON *o, const char *path, struct slot *s)
{
    int rc;
    int64_t cap = 0, left = 0;
    if ((rc = get_str(c, o, path, "id", s->id, sizeof s->id, true)) ||
        (rc = get_str(c, o, path, "start", s->start, sizeof s->start, true)) ||
        (rc = get_str(c, o, path, "end", s->end, sizeof s->end, true)) ||
        (rc = get_int(c, o, path, "capacity", &cap, 0, 10000)) ||
        (rc = get_int(c, o, path, "remaining", &left, 0, cap)))
        return rc;
    s->capacity = (int)cap;
    s->remaining = (int)left;
    return 0;
}

int regjson_parse_slots(const char *body, size_t len, struct slot_list *out, char *detail,
                        size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = begin(&c, body, len, out, sizeof *out, &rc);
    if (!root)
        return rc;
    const cJSON *days = NULL;
    if ((rc = get_str(&c, root, NULL, "service", out->service, sizeof out->service, true)) ||
        !(days = get_typed(&c, root, NULL, "days", cJSON_Array, &rc)))
        return finish(root, out, sizeof *out, rc);
    if (cJSON_GetArraySize(days) > SLOT_DAYS_MAX)
        return finish(root, out, sizeof *out,
                      fail(&c, NULL, "days", "more than %d", SLOT_DAYS_MAX));
    const cJSON *d;
    cJSON_ArrayForEach(d, days)
    {
        char p[24];
        snprintf(p, sizeof p, "days[%d]", out->day_count);
        if (!cJSON_IsObject(d))
            return finish(root, out, sizeof *out, fail(&c, p, "", "not an object"));
        struct slot_day *day = &out->days[out->day_count];
        const cJSON *slots = NULL;
        if ((rc = get_str(&c, d, p, "date", day->date, sizeof day->date, true)) ||
            (rc = get_str(&c, d, p, "weekday", day->weekday, sizeof day->weekday, false)) ||
            !(slots = get_typed(&c, d, p, "slots", cJSON_Array, &rc)))
            return finish(root, out, sizeof *out, rc);
        if (cJSON_GetArraySize(slots) > SLOTS_PER_DAY_MAX)
            return finish(root, out, sizeof *out,
                          fail(&c, p, "slots", "more than %d", SLOTS_PER_DAY_MAX));
        const cJSON *s;
        cJSON_ArrayForEach(s, slots)
        {
            char sp[40];
            snprintf(sp, sizeof sp, "%s.slots[%d]", p, day->slot_count);
            if (!cJSON_IsObject(s))
                return finish(root, out, sizeof *out, fail(&c, sp, "", "not an object"));
            if ((rc = parse_slot(&c, s, sp, &day->slots[day->slot_count])))
                return finish(root, out, sizeof *out, rc);
            day->slot_count++;
        }
        out->day_count++;
    }
    return finish(root, out, sizeof *out, 0);
}

/* One booking: the reply of POST /v1/appointments, or an item of GET
 * /v1/appointments. As the slip prints it: appointment "2026-11-23
 * 09:00–10:00", ahead and wait_minutes -1 (not shown). */
static int parse_booking(struct ctx *c, const cJSON *o, const char *path, struct ticket *t)
{
    static const char *const states[] = {"booked", "checked_in", "cancelled", "missed"};
    char date[12], start[8], end[8];
    int rc;
    if ((rc = get_str(c, o, path, "code", t->code, sizeof t->code, true)) ||
        (rc = get_str(c, o, path, "number", t->number, sizeof t->number, true)) ||
        (rc = get_str(c, o, path, "service", t->service, sizeof t->service, true)) ||
        (rc = get_str(c, o, path, "service_name", t->service_name, sizeof t->service_name, true)) ||
        (rc = get_str(c, o, path, "date", date, sizeof date, true)) ||
        (rc = get_str(c, o, path, "start", start, sizeof start, true)) ||
        (rc = get_str(c, o, path, "end", end, sizeof end, true)) ||
        (rc =
             get_str(c, o, path, "windows_text", t->windows_text, sizeof t->windows_text, false)) ||
        (rc = get_str(c, o, path, "time_limit", t->time_limit, sizeof t->time_limit, false)) ||
        (rc = get_strings(c, o, path, "materials", t->materials[0], sizeof t->materials[0],
                          TICKET_MATERIALS_MAX, &t->material_count)) ||
        (rc = get_str(c, o, path, "phone_masked", t->phone_masked, sizeof t->phone_masked, true)) ||
        (rc = get_str(c, o, path, "state", t->state, sizeof t->state, true)) ||
        (rc = get_str(c, o, path, "follow_url", t->follow_url, sizeof t->follow_url, false)) ||
        (rc = get_str(c, o, path, "booked_at", t->issued_at, sizeof t->issued_at, true)))
        return rc;
    /* The slip and the journal key on the number: a plain token. */
    for (const char *p = t->number; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-'))
            return fail(c, path, "number", "not [A-Za-z0-9-]");
    if (!one_of(t->state, states, ARRAY_LEN(states)))
        return fail(c, path, "state", "unknown state");
    snprintf(t->appointment, sizeof t->appointment, "%s %s–%s", date, start, end);
    t->ahead = t->wait_minutes = -1;
    return 0;
}

int regjson_parse_appointment(const char *body, size_t len, struct ticket *out, char *detail,
                              size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = begin(&c, body, len, out, sizeof *out, &rc);
    if (!root)
        return rc;
    return finish(root, out, sizeof *out, parse_booking(&c, root, NULL, out));
}

static int one_booking(struct ctx *c, const cJSON *it, const char *path, int i, void *arg)
{
    struct booking_list *l = arg;
    return parse_booking(c, it, path, &l->items[i]);
}

int regjson_parse_bookings(const char *body, size_t len, struct booking_list *out, char *detail,
                           size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = begin(&c, body, len, out, sizeof *out, &rc);
    if (!root)
        return rc;
    rc = each_item(&c, root, BOOKING_LIST_MAX, one_booking, out, &out->count);
    return finish(root, out, sizeof *out, rc);
}

/* ---- a proof on a phone ---- */

/* http:// or https:// and then printable ASCII without spaces: it becomes
 * a QR code a phone opens. */
static bool is_http_url(const char *u)
{
    const char *rest = !strncmp(u, "http://", 7)    ? u + 7
                       : !strncmp(u, "https://", 8) ? u + 8
                                                    : NULL;
    if (!rest || !*rest || *rest == '/')
        return false;
    for (; *rest; rest++)
        if ((unsigned char)*rest <= 0x20 || (unsigned char)*rest >= 0x7f)
            return false;
    return true;
}

int regjson_parse_cert_link(const char *body, size_t len, struct cert_link *out, char *detail,
                            size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = begin(&c, body, len, out, sizeof *out, &rc);
    if (!root)
        return rc;
    if (!(rc = get_str(&c, root, NULL, "url", out->url, sizeof out->url, true)) &&
        !(rc = get_str(&c, root, NULL, "expires_at", out->expires_at, sizeof out->expires_at,
                       true)) &&
        !is_http_url(out->url))
        rc = fail(&c, NULL, "url", "not an http(s) URL");
    return finish(root, out, sizeof *out, rc);
}

/* ---- progress ---- */

static int parse_application(struct ctx *c, const cJSON *o, const char *path, struct application *a,
                             bool with_location)
{
    static const char *const states[] = {"accepted", "reviewing", "registering",
                                         "ready",    "done",      "rejected"};
    int rc;
    if ((rc = get_str(c, o, path, "receipt", a->receipt, sizeof a->receipt, true)) ||
        (rc = get_str(c, o, path, "service_name", a->service_name, sizeof a->service_name, true)) ||
        (rc = get_str(c, o, path, "state", a->state, sizeof a->state, true)) ||
        (rc = get_str(c, o, path, "state_text", a->state_text, sizeof a->state_text, true)) ||
        (rc = get_str(c, o, path, "accepted_at", a->accepted_at, sizeof a->accepted_at, true)) ||
        (rc = get_str(c, o, path, "due_at", a->due_at, sizeof a->due_at, true)) ||
        (rc = get_span(c, o, path, "limit", &a->limit_hours, &a->limit_value, 1)) ||
        (rc = get_span(c, o, path, "remaining", &a->remaining_hours, &a->remaining_value, 0)) ||
        (rc = get_bool(c, o, path, "overdue", &a->overdue)))
        return rc;
    if (!one_of(a->state, states, ARRAY_LEN(states)))
        return fail(c, path, "state", "unknown state");
    if (with_location &&
        (rc = get_str(c, o, path, "location", a->location, sizeof a->location, false)))
        return rc;
    return 0;
}

static int one_application(struct ctx *c, const cJSON *it, const char *path, int i, void *arg)
{
    struct application_list *l = arg;
    return parse_application(c, it, path, &l->items[i], true);
}

int regjson_parse_applications(const char *body, size_t len, struct application_list *out,
                               char *detail, size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = begin(&c, body, len, out, sizeof *out, &rc);
    if (!root)
        return rc;
    if (!(rc = get_str(&c, root, NULL, "as_of", out->as_of, sizeof out->as_of, true)))
        rc = each_item(&c, root, APPLICATION_LIST_MAX, one_application, out, &out->count);
    return finish(root, out, sizeof *out, rc);
}

int regjson_parse_application(const char *body, size_t len, struct application *out, char *detail,
                              size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = begin(&c, body, len, out, sizeof *out, &rc);
    if (!root)
        return rc;
    rc = parse_application(&c, root, NULL, out, false);
    if (!rc && cJSON_GetObjectItemCaseSensitive(root, "location"))
        rc = fail(&c, NULL, "location", "a receipt lookup must not name a place");
    return finish(root, out, sizeof *out, rc);
}

/* ---- staff ---- */

int regjson_parse_staff(const char *body, size_t len, struct staff_info *out, char *detail,
                        size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = begin(&c, body, len, out, sizeof *out, &rc);
    if (!root)
        return rc;
    if ((rc = get_bool(&c, root, NULL, "staff", &out->staff)) || !out->staff)
        return finish(root, out, sizeof *out, rc);
    if (!(rc = get_str(&c, root, NULL, "staff_no", out->staff_no, sizeof out->staff_no, true)) &&
        !(rc = get_str(&c, root, NULL, "name_masked", out->name_masked, sizeof out->name_masked,
                       true)) &&
        cJSON_GetObjectItemCaseSensitive(root, "role"))
        rc = get_str(&c, root, NULL, "role", out->role, sizeof out->role, false);
    /* It goes into the audit trail as it is. */
    for (const char *p = out->staff_no; !rc && *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
            rc = fail(&c, NULL, "staff_no", "not [0-9A-Za-z]");
    return finish(root, out, sizeof *out, rc);
}
