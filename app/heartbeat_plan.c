/* heartbeat_plan.c - the heartbeat's pure parts (heartbeat.h): when the
 * next one is due (jitter, full-jitter backoff), its JSON body, the
 * registry's reply, and a remote settings document checked all or nothing
 * against core/settings.h. No I/O; any thread.
 */
#include "heartbeat.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "core/session.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#define IDLE_MIN_S 20
#define IDLE_MAX_S 600

int64_t heartbeat_jitter_ms(int64_t period_ms, uint32_t rnd)
{
    /* period · (0.8 + 0.4 · rnd / 2^32) */
    int64_t spread = period_ms * 2 / 5;
    return period_ms - period_ms / 5 + (int64_t)(((uint64_t)spread * rnd) >> 32);
}

int64_t heartbeat_backoff_ms(int failures, int64_t base_ms, int64_t cap_ms, uint32_t rnd)
{
    int64_t top = base_ms;
    for (int i = 1; i < failures && top < cap_ms; i++)
        top *= 2;
    if (top > cap_ms)
        top = cap_ms;
    return (int64_t)(((uint64_t)(top + 1) * rnd) >> 32);
}

int heartbeat_format(const struct heartbeat_facts *f, char *out, size_t size)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return ERR_NOMEM;
    cJSON_AddStringToObject(j, "version", f->version ? f->version : "");
    cJSON_AddNumberToObject(j, "uptime_s", (double)f->uptime_s);
    cJSON_AddStringToObject(j, "kiosk", f->kiosk ? f->kiosk : "");
    cJSON_AddStringToObject(j, "hall", f->hall ? f->hall : "");
    cJSON *d = cJSON_AddObjectToObject(j, "devices");
    const char *const names[] = {"reader", "camera", "slip", "a4"};
    const char *const states[] = {f->reader, f->camera, f->slip, f->a4};
    for (size_t i = 0; d && i < ARRAY_LEN(names); i++)
        cJSON_AddStringToObject(d, names[i], states[i] ? states[i] : "unknown");
    cJSON *p = cJSON_AddObjectToObject(j, "paper");
    if (p) {
        cJSON_AddNumberToObject(p, "slips_since_refill", f->slips_since_refill);
        cJSON_AddNumberToObject(p, "slip_roll", f->slip_roll);
    }
    char at[40] = "";
    if (f->last_frame_s > 0)
        clock_format_iso(f->last_frame_s, at, sizeof at);
    cJSON_AddStringToObject(j, "last_frame_at", at);
    cJSON_AddNumberToObject(j, "disk_free_mb", (double)f->disk_free_mb);
    cJSON_AddNumberToObject(j, "errors", (double)f->errors);
    cJSON_AddNumberToObject(j, "settings_version", (double)f->settings_version);
    int rc = cJSON_PrintPreallocated(j, out, (int)(size > 16 ? size - 5 : 0), false)
                 ? (int)strlen(out)
                 : ERR_TOOBIG;
    cJSON_Delete(j);
    return rc;
}

int heartbeat_parse_reply(const char *body, size_t len, int64_t *settings_version)
{
    cJSON *j = body ? cJSON_ParseWithLength(body, len) : NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "settings_version");
    int rc = cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e15 ? 0 : ERR_BADREPLY;
    if (!rc)
        *settings_version = (int64_t)v->valuedouble;
    cJSON_Delete(j);
    return rc;
}

/* One value as text: a string, or a whole number. */
static bool value_text(const cJSON *v, char *out, size_t size)
{
    if (cJSON_IsString(v) && v->valuestring && !strpbrk(v->valuestring, "\r\n[]=;#"))
        return str_copy(out, size, v->valuestring);
    if (cJSON_IsNumber(v) && v->valuedouble == (double)(long)v->valuedouble) {
        snprintf(out, size, "%ld", (long)v->valuedouble);
        return true;
    }
    if (cJSON_IsBool(v))
        return str_copy(out, size, cJSON_IsTrue(v) ? "true" : "false");
    return false;
}

/* [service] enabled: the home tiles this kiosk offers, by name; the rest
 * are off. Every name known, none twice, at least one. */
static int parse_enabled(const cJSON *list, uint32_t *off, char *why, size_t why_size)
{
    uint32_t on = 0;
    const cJSON *it;
    if (!cJSON_IsArray(list)) {
        snprintf(why, why_size, "[service] enabled: a list of services");
        return ERR_INVALID;
    }
    cJSON_ArrayForEach(it, list)
    {
        enum session_service svc = session_tile_by_name(cJSON_GetStringValue(it));
        if (svc == SERVICE_NONE || (on & (1u << svc))) {
            snprintf(why, why_size, "[service] enabled: %.40s is not a home service, or twice",
                     cJSON_IsString(it) ? it->valuestring : "a non-string");
            return ERR_INVALID;
        }
        on |= 1u << svc;
    }
    if (!on) {
        snprintf(why, why_size, "[service] enabled: no service left (use out_of_service)");
        return ERR_INVALID;
    }
    *off = 0;
    for (int svc = SERVICE_NONE + 1; svc < 32; svc++) { /* every tile not named */
        enum session_service s = (enum session_service)svc;
        if (session_tile_by_name(session_service_name(s)) == s && !(on & (1u << svc)))
            *off |= 1u << svc;
    }
    return 0;
}

int heartbeat_parse_settings(const char *body, size_t len, const struct settings *base,
                             struct heartbeat_remote *out, char *why, size_t why_size)
{
    why[0] = '\0';
    cJSON *j = body ? cJSON_ParseWithLength(body, len) : NULL;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "version");
    const cJSON *doc = cJSON_GetObjectItemCaseSensitive(j, "settings");
    if (!cJSON_IsNumber(ver) || ver->valuedouble < 0 || ver->valuedouble >= 1e15 ||
        !cJSON_IsObject(doc)) {
        cJSON_Delete(j);
        snprintf(why, why_size, "not {\"version\": N, \"settings\": {...}}");
        return ERR_BADREPLY;
    }
    struct heartbeat_remote r = {
        .version = (int64_t)ver->valuedouble, .settings = *base, .out_of_service = -1};
    struct buf ini;
    buf_init(&ini, 8192);
    int rc = 0;
    const cJSON *sec;
    cJSON_ArrayForEach(sec, doc)
    {
        const cJSON *kv;
        if (!cJSON_IsObject(sec)) {
            snprintf(why, why_size, "[%.40s] is not an object", sec->string);
            rc = ERR_INVALID;
            break;
        }
        bool ours = !strcmp(sec->string, "flow") || !strcmp(sec->string, "service");
        if (!ours && buf_printf(&ini, "[%s]\n", sec->string) < 0)
            rc = ERR_INVALID;
        cJSON_ArrayForEach(kv, sec)
        {
            char v[128];
            if (!strcmp(sec->string, "service") && !strcmp(kv->string, "enabled")) {
                rc = parse_enabled(kv, &r.services_off, why, why_size);
            } else if (!value_text(kv, v, sizeof v)) {
                snprintf(why, why_size, "[%.40s] %.40s: not a value", sec->string, kv->string);
                rc = ERR_INVALID;
            } else if (!strcmp(sec->string, "flow") && !strcmp(kv->string, "idle_s")) {
                int n = cJSON_IsNumber(kv) ? kv->valueint : -1;
                if (n < IDLE_MIN_S || n > IDLE_MAX_S) {
                    snprintf(why, why_size, "[flow] idle_s: %d..%d seconds", IDLE_MIN_S,
                             IDLE_MAX_S);
                    rc = ERR_INVALID;
                }
                r.idle_s = n;
            } else if (!strcmp(sec->string, "service") && !strcmp(kv->string, "out_of_service")) {
                if (!cJSON_IsBool(kv)) {
                    snprintf(why, why_size, "[service] out_of_service: true or false");
                    rc = ERR_INVALID;
                }
                r.out_of_service = cJSON_IsTrue(kv);
            } else if (ours || !settings_is_key(sec->string, kv->string)) {
                snprintf(why, why_size, "[%.40s] %.40s: not a setting", sec->string, kv->string);
                rc = ERR_INVALID;
            } else if (buf_printf(&ini, "%s = %s\n", kv->string, v) < 0) {
                rc = ERR_INVALID;
            }
            if (rc)
                break;
        }
        if (rc)
            break;
    }
    if (!rc && buf_terminate(&ini) == 0)
        rc = settings_parse(&r.settings, (const char *)ini.data, why, why_size);
    else if (!rc)
        rc = ERR_INVALID;
    buf_fini(&ini);
    cJSON_Delete(j);
    if (rc)
        return ERR_INVALID;
    *out = r;
    return 0;
}
