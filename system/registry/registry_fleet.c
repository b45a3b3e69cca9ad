/* registry_fleet.c - the hall's kiosks as a fleet: POST /v1/heartbeat
 * (each kiosk's minute report, the last FLEET_KEEP kept per kiosk), GET
 * and PUT /v1/kiosks/{id}/settings (a versioned settings document per
 * kiosk, read by the kiosk itself, written from loopback only), and the
 * fleet status pages GET /fleet and GET /fleet/{id} (plain HTML, loopback
 * only). Runs on libmicrohttpd's threads, under the registry's lock.
 *
 * The registry stores a settings document as it came (a JSON object
 * under "settings") and numbers it; whether its values are good is the
 * kiosk's to judge (core/settings.h), which refuses a bad one whole. A
 * heartbeat carries no citizen's data: versions, counters, device states
 * in words. Everything a kiosk sent is HTML-escaped on the pages.
 */
#include "registry/registry_internal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLEET_KEEP        60          /* heartbeats kept per kiosk */
#define FLEET_BODY_MAX    (16 * 1024) /* a heartbeat or a settings document */
#define FLEET_KIOSKS_MAX  500         /* rows on the status page */
#define FLEET_STALE_S_DEF 180

/* ---- POST /v1/heartbeat -------------------------------------------------------- */

static int64_t settings_version(struct registry *reg, const char *kiosk)
{
    struct store_stmt *st = NULL;
    int64_t v = 0;
    if (store_prepare(reg->db, "SELECT version FROM kiosk_settings WHERE kiosk = ?", &st) == 0) {
        store_bind_text(st, 1, kiosk);
        if (store_step(st) == STORE_ROW)
            v = store_column_int64(st, 0);
    }
    store_finalize(st);
    return v;
}

void on_heartbeat(struct call *c, struct reply *r)
{
    if (c->len == 0 || c->len > FLEET_BODY_MAX) {
        reply_problem(r, PROB_BAD_REQUEST, "a heartbeat is a JSON object of at most 16 KiB");
        return;
    }
    cJSON *j = cJSON_ParseWithLength(c->body, c->len);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "version");
    const cJSON *up = cJSON_GetObjectItemCaseSensitive(j, "uptime_s");
    if (!cJSON_IsObject(j) || !cJSON_IsString(ver) || !cJSON_IsNumber(up)) {
        cJSON_Delete(j);
        reply_problem(r, PROB_BAD_REQUEST, "a heartbeat needs version (string) and uptime_s");
        return;
    }
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    struct store_stmt *st = NULL;
    bool ok = text && store_prepare(c->reg->db,
                                    "INSERT INTO heartbeats(kiosk, received_at, body)"
                                    " VALUES(?,?,?)",
                                    &st) == 0;
    if (ok) {
        store_bind_text(st, 1, c->kiosk);
        store_bind_int64(st, 2, clock_wall_s());
        store_bind_text(st, 3, text);
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
    free(text);
    st = NULL;
    /* Only the newest FLEET_KEEP of this kiosk stay. */
    if (ok && store_prepare(c->reg->db,
                            "DELETE FROM heartbeats WHERE kiosk = ?1 AND id <= (SELECT id"
                            " FROM heartbeats WHERE kiosk = ?1 ORDER BY id DESC"
                            " LIMIT 1 OFFSET ?2)",
                            &st) == 0) {
        store_bind_text(st, 1, c->kiosk);
        store_bind_int(st, 2, FLEET_KEEP);
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
    if (!ok) {
        log_warn("registry", "heartbeat: %s", store_errmsg(c->reg->db));
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the heartbeat");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "settings_version", (double)settings_version(c->reg, c->kiosk));
    reply_json(r, 200, o);
}

/* ---- GET and PUT /v1/kiosks/{id}/settings ------------------------------------------ */

/* The {id} of /v1/kiosks/{id}/settings into out; false if malformed. */
static bool path_kiosk(const char *path, char *out, size_t size)
{
    const char *p = path + strlen("/v1/kiosks/");
    const char *end = strchr(p, '/');
    size_t n = end ? (size_t)(end - p) : 0;
    if (n == 0 || n >= size)
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return registry_req_is_token(out);
}

/* The version a client says it has: ?have=N, or If-None-Match "N"; -1. */
static int64_t client_has(struct call *c)
{
    const char *h = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "have");
    if (h)
        return small_number(h);
    const char *inm = header(c->conn, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (!inm)
        return -1;
    char tag[16];
    size_t n = strlen(inm);
    if (n < 3 || n >= sizeof tag + 2 || inm[0] != '"' || inm[n - 1] != '"')
        return -1;
    memcpy(tag, inm + 1, n - 2);
    tag[n - 2] = '\0';
    return small_number(tag);
}

void on_kiosk_settings(struct call *c, struct reply *r)
{
    char id[65];
    if (!path_kiosk(c->path, id, sizeof id)) {
        reply_problem(r, PROB_NOT_FOUND, "no such kiosk");
        return;
    }
    if (strcmp(id, c->kiosk) != 0) {
        reply_problem(r, PROB_UNAUTHENTICATED, "a kiosk reads its own settings only");
        return;
    }
    struct store_stmt *st = NULL;
    int64_t version = 0;
    char *body = NULL;
    if (store_prepare(c->reg->db, "SELECT version, body FROM kiosk_settings WHERE kiosk = ?",
                      &st) != 0) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    store_bind_text(st, 1, id);
    if (store_step(st) == STORE_ROW) {
        version = store_column_int64(st, 0);
        body = strdup(col(st, 1));
    }
    store_finalize(st);
    int64_t has = client_has(c);
    if (has >= 0 && has == version) {
        free(body);
        reply_text(r, 304, "application/json", NULL);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "version", (double)version);
    cJSON *s = body ? cJSON_Parse(body) : NULL;
    free(body);
    cJSON_AddItemToObject(o, "settings", s ? s : cJSON_CreateObject());
    reply_json(r, 200, o);
}

void on_kiosk_settings_put(struct call *c, struct reply *r)
{
    if (!is_loopback(c->conn)) {
        reply_problem(r, PROB_UNAUTHENTICATED, "kiosk settings are written on loopback only");
        return;
    }
    char id[65];
    if (!path_kiosk(c->path, id, sizeof id)) {
        reply_problem(r, PROB_NOT_FOUND, "no such kiosk");
        return;
    }
    cJSON *j = c->len && c->len <= FLEET_BODY_MAX ? cJSON_ParseWithLength(c->body, c->len) : NULL;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "settings");
    char *text = cJSON_IsObject(s) ? cJSON_PrintUnformatted(s) : NULL;
    cJSON_Delete(j);
    if (!text) {
        reply_problem(r, PROB_BAD_REQUEST, "the body is {\"settings\": {...}} of at most 16 KiB");
        return;
    }
    /* The next number is the database's, in the one statement that
     * stores the document: two registries on one database never give two
     * documents the same number. */
    int64_t version = 0;
    struct store_stmt *st = NULL;
    bool ok =
        store_prepare(c->reg->db,
                      "INSERT INTO kiosk_settings VALUES(?1, 1, ?2, ?3)"
                      " ON CONFLICT(kiosk) DO UPDATE SET version = kiosk_settings.version + 1,"
                      " body = excluded.body, updated_at = excluded.updated_at"
                      " RETURNING version",
                      &st) == 0;
    if (ok) {
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, text);
        store_bind_int64(st, 3, clock_wall_s());
        ok = store_step(st) == STORE_ROW;
        version = ok ? store_column_int64(st, 0) : 0;
    }
    store_finalize(st);
    free(text);
    if (!ok) {
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the settings");
        return;
    }
    log_info("registry", "kiosk %s settings version %lld", id, (long long)version);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "version", (double)version);
    reply_json(r, 200, o);
}

/* ---- the status pages -------------------------------------------------------------- */

static double num_of(const cJSON *o, const char *key, double none)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : none;
}

/* One kiosk's row: from its newest heartbeat. */
struct fleet_row {
    char kiosk[65];
    char hall[96];
    int64_t seen; /* wall s */
    int state;    /* 0 ok, 1 attention, 2 stale */
    cJSON *hb;    /* the heartbeat, owned */
};

static int fleet_state(const cJSON *hb, int64_t seen, int64_t now, int stale_s)
{
    if (now - seen > stale_s)
        return 2;
    const cJSON *dev = cJSON_GetObjectItemCaseSensitive(hb, "devices");
    const cJSON *d;
    cJSON_ArrayForEach(d, dev)
    {
        if (!cJSON_IsString(d) || strcmp(d->valuestring, "ok") != 0)
            return 1;
    }
    return num_of(hb, "errors", 0) > 0 ? 1 : 0;
}

static const char *const state_words[] = {"正常 ok", "需处理 attention", "失联 stale"};
static const char *const state_class[] = {"ok", "warn", "stale"};

static const char fleet_head[] =
    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width\"><title>自助机状态 Fleet</title>"
    "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
    "td,th{border:1px solid #999;padding:4px 8px;text-align:left}"
    ".ok{background:#dfd}.warn{background:#ffd}.stale{background:#fcc;font-weight:bold}"
    "</style></head><body>";

/* Device states, paper, disk and errors of one heartbeat as cells. */
static void health_cells(struct buf *b, const cJSON *hb)
{
    const cJSON *dev = cJSON_GetObjectItemCaseSensitive(hb, "devices");
    buf_append_str(b, "<td>");
    const cJSON *d;
    bool first = true;
    cJSON_ArrayForEach(d, dev)
    {
        if (!first)
            buf_append_str(b, ", ");
        first = false;
        html_escape(b, d->string);
        buf_append_str(b, ": ");
        html_escape(b, cJSON_IsString(d) ? d->valuestring : "?");
    }
    const cJSON *paper = cJSON_GetObjectItemCaseSensitive(hb, "paper");
    buf_printf(b, "</td><td>%.0f / %.0f</td><td>%.0f MB</td><td>%.0f</td>",
               num_of(paper, "slips_since_refill", -1), num_of(paper, "slip_roll", -1),
               num_of(hb, "disk_free_mb", -1), num_of(hb, "errors", -1));
}

static int by_kiosk(const void *x, const void *y)
{
    return strcmp(((const struct fleet_row *)x)->kiosk, ((const struct fleet_row *)y)->kiosk);
}

static int by_hall(const void *x, const void *y)
{
    int d = strcmp(((const struct fleet_row *)x)->hall, ((const struct fleet_row *)y)->hall);
    return d ? d : by_kiosk(x, y);
}

static int by_seen(const void *x, const void *y)
{
    int64_t a = ((const struct fleet_row *)x)->seen, b = ((const struct fleet_row *)y)->seen;
    return a < b ? 1 : a > b ? -1 : by_kiosk(x, y); /* newest first */
}

static int by_state(const void *x, const void *y)
{
    int a = ((const struct fleet_row *)x)->state, b = ((const struct fleet_row *)y)->state;
    return a != b ? b - a : by_kiosk(x, y); /* the worst first */
}

static void seen_text(int64_t seen, int64_t now, char *out, size_t size)
{
    struct clock_cst t;
    clock_to_cst(seen, &t);
    snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d (%lld s ago)", t.year, t.month, t.day,
             t.hour, t.minute, t.second, (long long)(now - seen));
}

void on_fleet(struct call *c, struct reply *r)
{
    if (!is_loopback(c->conn)) {
        reply_problem(r, PROB_UNAUTHENTICATED, "the fleet page is served on loopback only");
        return;
    }
    const char *sort = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "sort");
    sort = sort ? sort : "kiosk";
    int (*cmp)(const void *, const void *) = !strcmp(sort, "hall")    ? by_hall
                                             : !strcmp(sort, "seen")  ? by_seen
                                             : !strcmp(sort, "state") ? by_state
                                                                      : by_kiosk;
    struct store_stmt *st = NULL;
    if (store_prepare(c->reg->db,
                      "SELECT h.kiosk, h.received_at, h.body FROM heartbeats h JOIN"
                      " (SELECT kiosk, max(id) AS id FROM heartbeats GROUP BY kiosk) n"
                      " ON h.id = n.id LIMIT ?",
                      &st) != 0) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    store_bind_int(st, 1, FLEET_KIOSKS_MAX);
    struct fleet_row *rows = calloc(FLEET_KIOSKS_MAX, sizeof *rows);
    int n = 0;
    int64_t now = clock_wall_s();
    int stale_s = c->reg->fleet_stale_s > 0 ? c->reg->fleet_stale_s : FLEET_STALE_S_DEF;
    while (rows && n < FLEET_KIOSKS_MAX && store_step(st) == STORE_ROW) {
        struct fleet_row *w = &rows[n++];
        str_copy(w->kiosk, sizeof w->kiosk, col(st, 0));
        w->seen = store_column_int64(st, 1);
        w->hb = cJSON_Parse(col(st, 2));
        str_copy(w->hall, sizeof w->hall, json_str(w->hb, "hall"));
        w->state = fleet_state(w->hb, w->seen, now, stale_s);
    }
    store_finalize(st);
    if (!rows) {
        reply_problem(r, PROB_UNAVAILABLE, "out of memory");
        return;
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp);
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    buf_append_str(&b, fleet_head);
    buf_printf(&b,
               "<h1>自助机状态 Kiosk fleet</h1><p>%d kiosks; stale after %d s without a"
               " heartbeat.</p><table><tr><th><a href=\"/fleet?sort=hall\">大厅 hall</a></th>"
               "<th><a href=\"/fleet?sort=kiosk\">自助机 kiosk</a></th>"
               "<th><a href=\"/fleet?sort=seen\">最后心跳 last seen</a></th>"
               "<th><a href=\"/fleet?sort=state\">状态 state</a></th><th>devices</th>"
               "<th>paper (slips since refill / roll)</th><th>free disk</th><th>errors</th>"
               "<th>version</th></tr>",
               n, stale_s);
    for (int i = 0; i < n; i++) {
        const struct fleet_row *w = &rows[i];
        char seen[80];
        seen_text(w->seen, now, seen, sizeof seen);
        buf_printf(&b, "<tr class=\"%s\"><td>", state_class[w->state]);
        html_escape(&b, w->hall);
        buf_append_str(&b, "</td><td><a href=\"/fleet/");
        html_escape(&b, w->kiosk);
        buf_append_str(&b, "\">");
        html_escape(&b, w->kiosk);
        buf_printf(&b, "</a></td><td>%s</td><td>%s</td>", seen, state_words[w->state]);
        health_cells(&b, w->hb);
        buf_append_str(&b, "<td>");
        html_escape(&b, json_str(w->hb, "version"));
        buf_append_str(&b, "</td></tr>");
        cJSON_Delete(w->hb);
    }
    free(rows);
    buf_append_str(&b, "</table></body></html>");
    buf_terminate(&b);
    reply_text(r, 200, "text/html; charset=utf-8", b.data ? (const char *)b.data : "");
    buf_fini(&b);
}

void on_fleet_kiosk(struct call *c, struct reply *r)
{
    if (!is_loopback(c->conn)) {
        reply_problem(r, PROB_UNAUTHENTICATED, "the fleet page is served on loopback only");
        return;
    }
    const char *id = c->path + strlen("/fleet/");
    if (!registry_req_is_token(id)) {
        reply_problem(r, PROB_NOT_FOUND, "no such kiosk");
        return;
    }
    struct store_stmt *st = NULL;
    if (store_prepare(c->reg->db,
                      "SELECT received_at, body FROM heartbeats WHERE kiosk = ?"
                      " ORDER BY id DESC LIMIT ?",
                      &st) != 0) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    store_bind_text(st, 1, id);
    store_bind_int(st, 2, FLEET_KEEP);
    int64_t now = clock_wall_s();
    int stale_s = c->reg->fleet_stale_s > 0 ? c->reg->fleet_stale_s : FLEET_STALE_S_DEF;
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    buf_append_str(&b, fleet_head);
    buf_append_str(&b, "<p><a href=\"/fleet\">&larr; fleet</a></p><h1>");
    html_escape(&b, id);
    buf_printf(&b,
               "</h1><p>settings version %lld</p><table><tr><th>received</th><th>state</th>"
               "<th>devices</th><th>paper</th><th>free disk</th><th>errors</th>"
               "<th>version</th><th>uptime s</th><th>last frame</th></tr>",
               (long long)settings_version(c->reg, id));
    int rows = 0;
    while (store_step(st) == STORE_ROW) {
        int64_t at = store_column_int64(st, 0);
        cJSON *hb = cJSON_Parse(col(st, 1));
        int state = fleet_state(hb, rows == 0 ? at : now, now, stale_s);
        char seen[80];
        seen_text(at, now, seen, sizeof seen);
        buf_printf(&b, "<tr class=\"%s\"><td>%s</td><td>%s</td>", state_class[state], seen,
                   state_words[state]);
        health_cells(&b, hb);
        buf_append_str(&b, "<td>");
        html_escape(&b, json_str(hb, "version"));
        buf_printf(&b, "</td><td>%.0f</td><td>", num_of(hb, "uptime_s", -1));
        html_escape(&b, json_str(hb, "last_frame_at"));
        buf_append_str(&b, "</td></tr>");
        cJSON_Delete(hb);
        rows++;
    }
    store_finalize(st);
    if (rows == 0) {
        buf_fini(&b);
        reply_problem(r, PROB_NOT_FOUND, "no heartbeat from this kiosk");
        return;
    }
    buf_append_str(&b, "</table></body></html>");
    buf_terminate(&b);
    reply_text(r, 200, "text/html; charset=utf-8", b.data ? (const char *)b.data : "");
    buf_fini(&b);
}
