/* registry_fleet.c - the hall's kiosks as a fleet: POST /v1/heartbeat
 * (each kiosk's minute report, the last FLEET_KEEP kept per kiosk, and the
 * newest summed up in fleet_kiosks for the status page), and GET and PUT
 * /v1/kiosks/{id}/settings (a versioned settings document per kiosk, read
 * by the kiosk itself, written from loopback only). The status pages are
 * registry_fleet_page.c's. Runs on libmicrohttpd's threads, under the
 * registry's lock.
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

#define FLEET_BODY_MAX (16 * 1024) /* a heartbeat or a settings document */

/* ---- POST /v1/heartbeat -------------------------------------------------------- */

int64_t fleet_settings_version(struct store *db, const char *kiosk)
{
    struct store_stmt *st = NULL;
    int64_t v = 0;
    if (store_prepare(db, "SELECT version FROM kiosk_settings WHERE kiosk = ?", &st) == 0) {
        store_bind_text(st, 1, kiosk);
        if (store_step(st) == STORE_ROW)
            v = store_column_int64(st, 0);
    }
    store_finalize(st);
    return v;
}

bool fleet_problem(const cJSON *hb)
{
    const cJSON *dev = cJSON_GetObjectItemCaseSensitive(hb, "devices");
    const cJSON *d;
    cJSON_ArrayForEach(d, dev)
    {
        if (!cJSON_IsString(d) || strcmp(d->valuestring, "ok") != 0)
            return true;
    }
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(hb, "errors");
    return cJSON_IsNumber(e) && e->valuedouble > 0;
}

/* The kiosk's row in fleet_kiosks from its newest heartbeat: replaced, or
 * (newer false: filling the table from the heartbeats kept) only added. */
static bool note_kiosk(struct store *db, const char *kiosk, int64_t at, const cJSON *hb,
                       const char *text, bool newer)
{
    struct store_stmt *st = NULL;
    bool ok = store_prepare(db,
                            newer ? "INSERT INTO fleet_kiosks(kiosk, hall, seen, problem, body)"
                                    " VALUES(?,?,?,?,?) ON CONFLICT(kiosk) DO UPDATE SET"
                                    " hall = excluded.hall, seen = excluded.seen,"
                                    " problem = excluded.problem, body = excluded.body"
                                  : "INSERT INTO fleet_kiosks(kiosk, hall, seen, problem, body)"
                                    " VALUES(?,?,?,?,?) ON CONFLICT(kiosk) DO NOTHING",
                            &st) == 0;
    if (ok) {
        store_bind_text(st, 1, kiosk);
        store_bind_text(st, 2, json_str(hb, "hall"));
        store_bind_int64(st, 3, at);
        store_bind_int(st, 4, fleet_problem(hb) ? 1 : 0);
        store_bind_text(st, 5, text);
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
    return ok;
}

/* The heartbeat stored, the kiosk's oldest beyond FLEET_KEEP dropped, its
 * row on the status page replaced: one transaction. */
static bool store_heartbeat(struct store *db, const char *kiosk, const cJSON *hb, const char *text)
{
    int64_t now = clock_wall_s();
    if (store_begin(db) != 0)
        return false;
    /* A heartbeat is a report, resent in a minute: on PostgreSQL its
     * commit does not wait for the log to reach the disk (a crash may lose
     * the last few, never the database's integrity), so the registry's
     * one connection is not held through a sync a heartbeat. SQLite's file
     * is in WAL with synchronous=NORMAL to the same end (store_sqlite.c). */
    if (store_is_postgres(db) && store_exec(db, "SET LOCAL synchronous_commit = off") != 0) {
        store_rollback(db);
        return false;
    }
    struct store_stmt *st = NULL;
    bool ok = store_prepare(db, "INSERT INTO heartbeats(kiosk, received_at, body) VALUES(?,?,?)",
                            &st) == 0;
    if (ok) {
        store_bind_text(st, 1, kiosk);
        store_bind_int64(st, 2, now);
        store_bind_text(st, 3, text);
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
    st = NULL;
    if (ok && store_prepare(db,
                            "DELETE FROM heartbeats WHERE kiosk = ?1 AND id <= (SELECT id"
                            " FROM heartbeats WHERE kiosk = ?1 ORDER BY id DESC"
                            " LIMIT 1 OFFSET ?2)",
                            &st) == 0) {
        store_bind_text(st, 1, kiosk);
        store_bind_int(st, 2, FLEET_KEEP);
        ok = store_step(st) == STORE_DONE;
    } else {
        ok = false;
    }
    store_finalize(st);
    ok = ok && note_kiosk(db, kiosk, now, hb, text, true);
    if (ok && store_commit(db) == 0)
        return true;
    store_rollback(db);
    return false;
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
    bool ok = text && store_heartbeat(c->reg->db, c->kiosk, j, text);
    cJSON_Delete(j);
    free(text);
    if (!ok) {
        log_warn("registry", "heartbeat: %s", store_errmsg(c->reg->db));
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the heartbeat");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "settings_version",
                            (double)fleet_settings_version(c->reg->db, c->kiosk));
    reply_json(r, 200, o);
}

int registry_fleet_catch_up(struct store *db)
{
    struct store_stmt *st = NULL;
    if (store_prepare(db, "SELECT kiosk FROM fleet_kiosks LIMIT 1", &st) != 0) {
        store_finalize(st);
        return ERR_IO;
    }
    bool have = store_step(st) == STORE_ROW;
    store_finalize(st);
    st = NULL;
    if (have)
        return 0;
    if (store_prepare(db,
                      "SELECT h.kiosk, h.received_at, h.body FROM heartbeats h JOIN"
                      " (SELECT kiosk, max(id) AS id FROM heartbeats GROUP BY kiosk) n"
                      " ON h.id = n.id",
                      &st) != 0) {
        store_finalize(st);
        return ERR_IO;
    }
    int n = 0;
    int rc = 0;
    while (rc == 0 && store_step(st) == STORE_ROW) {
        const char *text = col(st, 2);
        cJSON *hb = cJSON_Parse(text);
        if (!note_kiosk(db, col(st, 0), store_column_int64(st, 1), hb, text, false))
            rc = ERR_IO;
        n += rc == 0;
        cJSON_Delete(hb);
    }
    store_finalize(st);
    return rc < 0 ? rc : n;
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
