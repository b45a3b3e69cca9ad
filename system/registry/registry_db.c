/* registry_db.c - schema, demo seed and property queries; see registry_db.h.
 *
 * Runs on whichever thread holds the handle: the starting thread during
 * registry_start, after that the HTTP thread that holds the registry's
 * lock (registry.c), one at a time.
 */
#include "registry/registry_db.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "demo/demo.h"

#include <stdio.h>
#include <string.h>

static const char schema[] =
    "PRAGMA foreign_keys = ON;"
    "CREATE TABLE IF NOT EXISTS properties("
    " id TEXT PRIMARY KEY, unit_number TEXT NOT NULL UNIQUE, location TEXT NOT NULL,"
    " district TEXT NOT NULL, certificate_number TEXT NOT NULL, area TEXT NOT NULL,"
    " land_area TEXT NOT NULL, use TEXT NOT NULL, right_type TEXT NOT NULL,"
    " right_nature TEXT NOT NULL, ownership TEXT NOT NULL, registered_at TEXT NOT NULL,"
    " residential INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS owners("
    " property_id TEXT NOT NULL REFERENCES properties(id), seq INTEGER NOT NULL,"
    " id_number TEXT NOT NULL, name TEXT NOT NULL, share TEXT NOT NULL,"
    " PRIMARY KEY(property_id, seq));"
    "CREATE INDEX IF NOT EXISTS owners_by_id ON owners(id_number);"
    "CREATE TABLE IF NOT EXISTS encumbrances("
    " property_id TEXT NOT NULL REFERENCES properties(id), seq INTEGER NOT NULL,"
    " kind TEXT NOT NULL, holder TEXT NOT NULL, certificate_number TEXT NOT NULL,"
    " registered_at TEXT NOT NULL, period TEXT NOT NULL, amount_fen INTEGER NOT NULL,"
    " note TEXT NOT NULL, PRIMARY KEY(property_id, seq));"
    "CREATE TABLE IF NOT EXISTS sessions("
    " token TEXT PRIMARY KEY, kiosk TEXT NOT NULL, id_number TEXT NOT NULL,"
    " name_masked TEXT NOT NULL, id_masked TEXT NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS certificates("
    " number TEXT PRIMARY KEY, code TEXT NOT NULL, kiosk TEXT NOT NULL,"
    " issued_at TEXT NOT NULL, body TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS idempotency("
    " kiosk TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,"
    " status INTEGER NOT NULL, content_type TEXT NOT NULL, body BLOB NOT NULL,"
    " created_at INTEGER NOT NULL, PRIMARY KEY(kiosk, key));"
    "CREATE TABLE IF NOT EXISTS ratings("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, kiosk TEXT NOT NULL, level INTEGER NOT NULL,"
    " service TEXT NOT NULL, reasons TEXT NOT NULL, with_visit INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS appointments("
    " code TEXT PRIMARY KEY, number TEXT NOT NULL, service TEXT NOT NULL, day INTEGER NOT NULL,"
    " start_at INTEGER NOT NULL, end_at INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " id_number TEXT NOT NULL, phone TEXT NOT NULL, state TEXT NOT NULL,"
    " booked_at INTEGER NOT NULL, kiosk TEXT NOT NULL, ticket TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS appointments_by_slot ON appointments(service, start_at);"
    "CREATE INDEX IF NOT EXISTS appointments_by_citizen ON appointments(id_number, day);"
    "CREATE TABLE IF NOT EXISTS applications("
    " receipt TEXT PRIMARY KEY, id_number TEXT NOT NULL, service TEXT NOT NULL,"
    " state TEXT NOT NULL, accepted_at INTEGER NOT NULL, location TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS applications_by_citizen ON applications(id_number);"
    "CREATE TABLE IF NOT EXISTS certificate_visits("
    " number TEXT PRIMARY KEY, token TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS links("
    " token TEXT PRIMARY KEY, number TEXT NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS rating_refs("
    " rating INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS staff("
    " id_number TEXT PRIMARY KEY, staff_no TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " role TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS audit("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, kiosk TEXT NOT NULL, at TEXT NOT NULL,"
    " staff_no TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL,"
    " received_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_by_kiosk ON audit(kiosk, id);"
    /* Which kiosk vouched for each liveness result and face comparison,
     * and how it was known (a client certificate, or X-Kiosk-Id from
     * loopback); never the citizen or the image. Added after the first
     * release: IF NOT EXISTS gives an older database the table. */
    "CREATE TABLE IF NOT EXISTS face_checks("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, kiosk TEXT NOT NULL, vouched_by TEXT NOT NULL,"
    " liveness_passed INTEGER NOT NULL, challenge TEXT NOT NULL, outcome TEXT NOT NULL,"
    " checked_at INTEGER NOT NULL);"
    /* The fleet: each kiosk's last heartbeats (no citizen's data) and its
     * settings document, numbered (registry_fleet.c). */
    "CREATE TABLE IF NOT EXISTS heartbeats("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, kiosk TEXT NOT NULL, received_at INTEGER NOT NULL,"
    " body TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS heartbeats_by_kiosk ON heartbeats(kiosk, id);"
    "CREATE TABLE IF NOT EXISTS kiosk_settings("
    " kiosk TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL);";

int registry_db_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_err("registry", "sqlite: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return ERR_IO;
    }
    return 0;
}

int registry_db_open(const char *path, sqlite3 **out)
{
    *out = NULL;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        log_err("registry", "cannot open database %s: %s", path,
                db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return ERR_IO;
    }
    sqlite3_busy_timeout(db, 2000);
    if (registry_db_exec(db, schema) < 0) {
        sqlite3_close(db);
        return ERR_IO;
    }
    *out = db;
    return 0;
}

static int count_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int n = ERR_IO;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void bind_texts(sqlite3_stmt *st, const char *const *v, int n)
{
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
}

int registry_db_seed(sqlite3 *db)
{
    int have = count_rows(db, "SELECT count(*) FROM properties");
    if (have != 0)
        return have < 0 ? ERR_IO : 0;
    if (!demo_is_available())
        return ERR_NOTFOUND; /* the demo library said why */
    sqlite3_stmt *prop = NULL, *own = NULL, *enc = NULL;
    int rc = ERR_IO, n = demo_property_count();
    if (registry_db_exec(db, "BEGIN") < 0)
        return ERR_IO;
    if (sqlite3_prepare_v2(db, "INSERT INTO properties VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", -1,
                           &prop, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO owners VALUES(?,?,?,?,?)", -1, &own, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO encumbrances VALUES(?,?,?,?,?,?,?,?,?)", -1, &enc,
                           NULL) != SQLITE_OK)
        goto out;
    for (int i = 0; i < n; i++) {
        struct demo_property p;
        if (!demo_property_get(i, &p))
            goto out;
        const char *v[] = {
            p.id,        p.unit_number,  p.location, p.district,   p.certificate_number,
            p.area,      p.land_area,    p.use,      p.right_type, p.right_nature,
            p.ownership, p.registered_at};
        sqlite3_reset(prop);
        bind_texts(prop, v, (int)ARRAY_LEN(v));
        sqlite3_bind_int(prop, 13, p.residential);
        if (sqlite3_step(prop) != SQLITE_DONE)
            goto out;
        for (int o = 0; o < p.owner_count; o++) {
            sqlite3_reset(own);
            sqlite3_bind_text(own, 1, p.id, -1, SQLITE_STATIC);
            sqlite3_bind_int(own, 2, o);
            sqlite3_bind_text(own, 3, p.owners[o].id_number, -1, SQLITE_STATIC);
            sqlite3_bind_text(own, 4, p.owners[o].name, -1, SQLITE_STATIC);
            sqlite3_bind_text(own, 5, p.owners[o].share, -1, SQLITE_STATIC);
            if (sqlite3_step(own) != SQLITE_DONE)
                goto out;
        }
        for (int e = 0; e < p.enc_count; e++) {
            const struct demo_encumbrance *x = &p.enc[e];
            sqlite3_reset(enc);
            sqlite3_bind_text(enc, 1, p.id, -1, SQLITE_STATIC);
            sqlite3_bind_int(enc, 2, e);
            const char *v2[] = {demo_enc_kind_name(x->kind), x->holder, x->certificate_number,
                                x->registered_at, x->period};
            for (int k = 0; k < 5; k++)
                sqlite3_bind_text(enc, 3 + k, v2[k], -1, SQLITE_STATIC);
            sqlite3_bind_int64(enc, 8, x->amount_fen);
            sqlite3_bind_text(enc, 9, x->note, -1, SQLITE_STATIC);
            if (sqlite3_step(enc) != SQLITE_DONE)
                goto out;
        }
    }
    rc = n;
out:
    if (rc < 0)
        log_err("registry", "seeding failed: %s", sqlite3_errmsg(db));
    sqlite3_finalize(prop);
    sqlite3_finalize(own);
    sqlite3_finalize(enc);
    registry_db_exec(db, rc < 0 ? "ROLLBACK" : "COMMIT");
    return rc;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

/* co_owners (masked names of the others) and encumbrances of one property. */
static int add_details(sqlite3 *db, cJSON *item, const char *pid, const char *id_number)
{
    sqlite3_stmt *st = NULL;
    int rc = ERR_IO;
    cJSON *co = cJSON_AddArrayToObject(item, "co_owners");
    if (!co)
        return ERR_NOMEM;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM owners WHERE property_id = ? AND id_number <> ?"
                           " ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_text(st, 1, pid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, id_number, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char masked[64];
        mask_name(col(st, 0), masked, sizeof masked);
        cJSON_AddItemToArray(co, cJSON_CreateString(masked));
    }
    sqlite3_finalize(st);
    st = NULL;
    cJSON *encs = cJSON_AddArrayToObject(item, "encumbrances");
    if (!encs)
        return ERR_NOMEM;
    if (sqlite3_prepare_v2(db,
                           "SELECT kind, holder, certificate_number, registered_at, period,"
                           " amount_fen, note FROM encumbrances WHERE property_id = ?"
                           " ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_text(st, 1, pid, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *e = cJSON_CreateObject();
        if (!e)
            goto out;
        cJSON_AddItemToArray(encs, e);
        static const char *const keys[] = {"kind", "holder", "certificate_number", "registered_at",
                                           "period"};
        for (int k = 0; k < 5; k++)
            cJSON_AddStringToObject(e, keys[k], col(st, k));
        cJSON_AddNumberToObject(e, "amount_fen", (double)sqlite3_column_int64(st, 5));
        cJSON_AddStringToObject(e, "note", col(st, 6));
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

int registry_db_properties(sqlite3 *db, const char *id_number, int offset, int limit,
                           bool residential_only, cJSON *items, bool *more)
{
    *more = false;
    sqlite3_stmt *st = NULL;
    int n = 0, rc = ERR_IO;
    if (sqlite3_prepare_v2(
            db,
            "SELECT p.id, p.unit_number, p.location, p.district, p.certificate_number, p.area,"
            " p.land_area, p.use, p.right_type, p.right_nature, p.ownership, p.registered_at,"
            " o.share FROM owners o JOIN properties p ON p.id = o.property_id"
            " WHERE o.id_number = ?1 AND (?2 = 0 OR p.residential = 1)"
            " ORDER BY p.id LIMIT ?3 OFFSET ?4",
            -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_text(st, 1, id_number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, residential_only);
    sqlite3_bind_int(st, 3, limit + 1); /* one more says whether a next page exists */
    sqlite3_bind_int(st, 4, offset);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == limit) {
            *more = true;
            break;
        }
        cJSON *item = cJSON_CreateObject();
        if (!item) {
            rc = ERR_NOMEM;
            goto out;
        }
        cJSON_AddItemToArray(items, item);
        static const char *const keys[] = {
            "id",   "unit_number", "location", "district",   "certificate_number",
            "area", "land_area",   "use",      "right_type", "right_nature"};
        for (int k = 0; k < (int)ARRAY_LEN(keys); k++)
            cJSON_AddStringToObject(item, keys[k], col(st, k));
        /* 按份共有 states this owner's share: "按份共有 60%". */
        char ownership[64];
        if (col(st, 12)[0])
            snprintf(ownership, sizeof ownership, "%s %s", col(st, 10), col(st, 12));
        else
            snprintf(ownership, sizeof ownership, "%s", col(st, 10));
        cJSON_AddStringToObject(item, "ownership", ownership);
        int d = add_details(db, item, col(st, 0), id_number);
        if (d < 0) {
            rc = d;
            goto out;
        }
        cJSON_AddStringToObject(item, "registered_at", col(st, 11));
        n++;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        goto out;
    rc = n;
out:
    sqlite3_finalize(st);
    return rc;
}
