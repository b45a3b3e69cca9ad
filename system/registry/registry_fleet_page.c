/* registry_fleet_page.c - the fleet's status pages, plain HTML on
 * loopback only, no script: GET /fleet (the counts per state over the
 * whole fleet, then a page of FLEET_PAGE_ROWS one-line rows, sorted and
 * filtered by the database over every kiosk before the page is cut, links
 * to the other sorts and pages) and GET /fleet/{id} (a kiosk's last
 * heartbeats). The list is read from fleet_kiosks, one row per kiosk
 * (registry_fleet.c keeps it), so its cost does not grow with the
 * heartbeats kept. Everything a kiosk sent is HTML-escaped.
 *
 *   /fleet?sort=kiosk|hall|seen|state&only=problems&page=N
 *
 * sort: by kiosk (default), by hall then kiosk, by last heartbeat (newest
 * first), by state (the worst first: stale, the longest silent first, then
 * needing attention, then ok). only=problems leaves out the kiosks that
 * are ok. page counts from 1; past the last it shows the last.
 */
#include "registry/registry_internal.h"

#include "base/clock.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLEET_PAGE_ROWS 100

enum { ST_OK, ST_ATTENTION, ST_STALE };

static const char *const state_words[] = {"正常 ok", "需处理 needs attention", "失联 stale"};
static const char *const state_class[] = {"ok", "warn", "stale"};

/* The sorts a page may ask for, and their ORDER BY ("state" is the
 * column the query computes). */
static const struct {
    const char *name, *order;
} sorts[] = {
    {"kiosk", "kiosk"},
    {"hall", "hall, kiosk"},
    {"seen", "seen DESC, kiosk"},
    {"state", "state DESC, seen, kiosk"},
};

static const char fleet_head[] =
    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width\"><title>自助机状态 Fleet</title>"
    "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
    "td,th{border:1px solid #999;padding:1px 6px;text-align:left;white-space:nowrap}"
    ".ok{background:#dfd}.warn{background:#ffd}.stale{background:#fcc;font-weight:bold}"
    ".counts span{padding:2px 8px;margin-right:4px}"
    "</style></head><body>";

static double num_of(const cJSON *o, const char *key, double none)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : none;
}

/* n with thousands separated: 1,000. */
static void thousands(struct buf *b, int64_t n)
{
    char t[FMT_THOUSANDS_MAX];
    buf_append_str(b, fmt_thousands(n > 0 ? (uint64_t)n : 0, t));
}

/* Devices (all of them, or only those not ok), paper, disk and errors of
 * one heartbeat as cells. */
static void health_cells(struct buf *b, const cJSON *hb, bool all)
{
    const cJSON *dev = cJSON_GetObjectItemCaseSensitive(hb, "devices");
    buf_append_str(b, "<td>");
    const cJSON *d;
    bool first = true;
    cJSON_ArrayForEach(d, dev)
    {
        bool ok = cJSON_IsString(d) && strcmp(d->valuestring, "ok") == 0;
        if (ok && !all)
            continue;
        if (!first)
            buf_append_str(b, ", ");
        first = false;
        html_escape(b, d->string);
        buf_append_str(b, ": ");
        html_escape(b, cJSON_IsString(d) ? d->valuestring : "?");
    }
    if (first && !all)
        buf_append_str(b, "all ok");
    const cJSON *paper = cJSON_GetObjectItemCaseSensitive(hb, "paper");
    buf_printf(b, "</td><td>%.0f / %.0f</td><td>%.0f MB</td><td>%.0f</td>",
               num_of(paper, "slips_since_refill", -1), num_of(paper, "slip_roll", -1),
               num_of(hb, "disk_free_mb", -1), num_of(hb, "errors", -1));
}

static void seen_text(int64_t seen, int64_t now, char *out, size_t size)
{
    struct clock_cst t;
    clock_to_cst(seen, &t);
    snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d (%lld s ago)", t.year, t.month, t.day,
             t.hour, t.minute, t.second, (long long)(now - seen));
}

static int stale_after(const struct call *c)
{
    return c->reg->fleet_stale_s > 0 ? c->reg->fleet_stale_s : FLEET_STALE_S_DEF;
}

/* A link to the list: sort, filter, page. Every part is one of ours. */
static void list_link(struct buf *b, size_t sort, bool problems, int page, const char *text)
{
    buf_printf(b, "<a href=\"/fleet?sort=%s%s", sorts[sort].name,
               problems ? "&amp;only=problems" : "");
    if (page > 1)
        buf_printf(b, "&amp;page=%d", page);
    buf_printf(b, "\">%s</a>", text);
}

/* The fleet's counts: every kiosk, the stale, those needing attention. */
static bool fleet_counts(struct store *db, int64_t stale_before, int64_t n[3])
{
    struct store_stmt *st = NULL;
    bool ok = store_prepare(db,
                            "SELECT count(*),"
                            " coalesce(sum(CASE WHEN seen < ?1 THEN 1 ELSE 0 END), 0),"
                            " coalesce(sum(CASE WHEN seen >= ?1 AND problem <> 0 THEN 1"
                            " ELSE 0 END), 0) FROM fleet_kiosks",
                            &st) == 0;
    if (ok) {
        store_bind_int64(st, 1, stale_before);
        ok = store_step(st) == STORE_ROW;
        for (int i = 0; ok && i < 3; i++)
            n[i] = store_column_int64(st, i);
    }
    store_finalize(st);
    return ok;
}

static void counts_line(struct buf *b, const int64_t n[3], size_t sort)
{
    int64_t state_n[3] = {n[0] - n[1] - n[2], n[2], n[1]};
    buf_append_str(b, "<p class=\"counts\">");
    for (int s = 0; s < 3; s++) {
        buf_printf(b, "<span class=\"%s\">%s <b>", state_class[s], state_words[s]);
        thousands(b, state_n[s]);
        buf_append_str(b, "</b></span>");
    }
    buf_append_str(b, " of <b>");
    thousands(b, n[0]);
    buf_append_str(b, "</b> kiosks &middot; ");
    list_link(b, sort, true, 1, "only problems");
    buf_append_str(b, " &middot; ");
    list_link(b, sort, false, 1, "all");
    buf_append_str(b, "</p>");
}

static void list_row(struct buf *b, struct store_stmt *st, int64_t now)
{
    int state = store_column_int(st, 4);
    state = state < ST_OK || state > ST_STALE ? ST_STALE : state;
    cJSON *hb = cJSON_Parse(col(st, 3));
    char seen[80];
    seen_text(store_column_int64(st, 2), now, seen, sizeof seen);
    buf_printf(b, "<tr class=\"%s\"><td>%s</td><td>", state_class[state], state_words[state]);
    html_escape(b, col(st, 1));
    buf_append_str(b, "</td><td><a href=\"/fleet/");
    html_escape(b, col(st, 0));
    buf_append_str(b, "\">");
    html_escape(b, col(st, 0));
    buf_printf(b, "</a></td><td>%s</td>", seen);
    health_cells(b, hb, false);
    buf_append_str(b, "<td>");
    html_escape(b, json_str(hb, "version"));
    buf_append_str(b, "</td></tr>");
    cJSON_Delete(hb);
}

static void pager(struct buf *b, size_t sort, bool problems, int page, int pages, int64_t shown,
                  int64_t total)
{
    if (total == 0) {
        buf_append_str(b, problems ? "<p class=\"pages\">no kiosk needs attention</p>"
                                   : "<p class=\"pages\">no kiosk has sent a heartbeat yet</p>");
        return;
    }
    int64_t first = (int64_t)(page - 1) * FLEET_PAGE_ROWS + 1;
    buf_append_str(b, "<p class=\"pages\">showing ");
    thousands(b, first);
    buf_append_str(b, "&ndash;");
    thousands(b, first + shown - 1);
    buf_append_str(b, " of ");
    thousands(b, total);
    if (page > 1) {
        buf_append_str(b, " &middot; ");
        list_link(b, sort, problems, page - 1, "&larr; previous");
    }
    if (page < pages) {
        buf_append_str(b, " &middot; ");
        list_link(b, sort, problems, page + 1, "next &rarr;");
    }
    buf_printf(b, " &middot; page %d of %d</p>", page, pages);
}

void on_fleet(struct call *c, struct reply *r)
{
    if (!is_loopback(c->conn)) {
        reply_problem(r, PROB_UNAUTHENTICATED, "the fleet page is served on loopback only");
        return;
    }
    const char *q = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "sort");
    size_t sort = 0;
    for (size_t i = 0; q && i < ARRAY_LEN(sorts); i++)
        sort = strcmp(q, sorts[i].name) == 0 ? i : sort;
    q = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "only");
    bool problems = q && strcmp(q, "problems") == 0;
    q = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "page");
    int page = q ? small_number(q) : 1;
    page = page < 1 ? 1 : page;

    int64_t now = clock_wall_s();
    int stale_s = stale_after(c);
    int64_t n[3];
    if (!fleet_counts(c->reg->db, now - stale_s, n)) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    int64_t total = problems ? n[1] + n[2] : n[0];
    int pages = total ? (int)((total + FLEET_PAGE_ROWS - 1) / FLEET_PAGE_ROWS) : 1;
    page = page > pages ? pages : page;

    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT kiosk, hall, seen, body, CASE WHEN seen < ?1 THEN 2 WHEN problem <> 0"
             " THEN 1 ELSE 0 END AS state FROM fleet_kiosks%s ORDER BY %s LIMIT ?2 OFFSET ?3",
             problems ? " WHERE seen < ?1 OR problem <> 0" : "", sorts[sort].order);
    struct store_stmt *st = NULL;
    if (store_prepare(c->reg->db, sql, &st) != 0) {
        store_finalize(st);
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    store_bind_int64(st, 1, now - stale_s);
    store_bind_int(st, 2, FLEET_PAGE_ROWS);
    store_bind_int64(st, 3, (int64_t)(page - 1) * FLEET_PAGE_ROWS);

    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    buf_append_str(&b, fleet_head);
    buf_printf(&b, "<h1>自助机状态 Kiosk fleet</h1><p>Stale after %d s without a heartbeat.</p>",
               stale_s);
    counts_line(&b, n, sort);
    struct buf rows;
    buf_init(&rows, 4 * 1024 * 1024);
    buf_append_str(&rows, "<table><tr><th>");
    static const char *const heads[] = {"状态 state", "大厅 hall", "自助机 kiosk",
                                        "最后心跳 last seen"};
    static const size_t head_sort[] = {3, 1, 0, 2};
    for (size_t i = 0; i < ARRAY_LEN(heads); i++) {
        if (i)
            buf_append_str(&rows, "</th><th>");
        list_link(&rows, head_sort[i], problems, 1, heads[i]);
    }
    buf_append_str(&rows, "</th><th>devices not ok</th><th>paper (slips / roll)</th>"
                          "<th>free disk</th><th>errors</th><th>version</th></tr>");
    int64_t shown = 0;
    int rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        list_row(&rows, st, now);
        shown++;
    }
    store_finalize(st);
    buf_append_str(&rows, "</table>");
    if (rc < 0) {
        buf_fini(&rows);
        buf_fini(&b);
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    pager(&b, sort, problems, page, pages, shown, total);
    buf_append(&b, rows.data, rows.len);
    buf_fini(&rows);
    pager(&b, sort, problems, page, pages, shown, total);
    buf_append_str(&b, "</body></html>");
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
        store_finalize(st);
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    store_bind_text(st, 1, id);
    store_bind_int(st, 2, FLEET_KEEP);
    int64_t now = clock_wall_s();
    int stale_s = stale_after(c);
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    buf_append_str(&b, fleet_head);
    buf_append_str(&b, "<p><a href=\"/fleet\">&larr; fleet</a></p><h1>");
    html_escape(&b, id);
    buf_printf(&b,
               "</h1><p>settings version %lld</p><table><tr><th>received</th><th>state</th>"
               "<th>devices</th><th>paper</th><th>free disk</th><th>errors</th>"
               "<th>version</th><th>uptime s</th><th>last frame</th></tr>",
               (long long)fleet_settings_version(c->reg->db, id));
    int rows = 0;
    while (store_step(st) == STORE_ROW) {
        int64_t at = store_column_int64(st, 0);
        cJSON *hb = cJSON_Parse(col(st, 1));
        /* The newest says whether the kiosk is stale; the older ones only
         * what they reported. */
        int state = rows == 0 && now - at > stale_s ? ST_STALE
                    : fleet_problem(hb)             ? ST_ATTENTION
                                                    : ST_OK;
        char seen[80];
        seen_text(at, now, seen, sizeof seen);
        buf_printf(&b, "<tr class=\"%s\"><td>%s</td><td>%s</td>", state_class[state], seen,
                   state_words[state]);
        health_cells(&b, hb, true);
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
