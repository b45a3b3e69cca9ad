/* registry_db.c - schema, demo seed and property queries; see registry_db.h.
 * The schema is written in SQLite's words; registry_store.h translates it.
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
    /* The fleet: each kiosk's last heartbeats (no citizen's data), its
     * newest summed up for the status page (problem: a device not ok or
     * errors counted; whether it is stale is the reader's clock), and its
     * settings document, numbered (registry_fleet.c). */
    "CREATE TABLE IF NOT EXISTS heartbeats("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, kiosk TEXT NOT NULL, received_at INTEGER NOT NULL,"
    " body TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS heartbeats_by_kiosk ON heartbeats(kiosk, id);"
    "CREATE TABLE IF NOT EXISTS fleet_kiosks("
    " kiosk TEXT PRIMARY KEY, hall TEXT NOT NULL, seen INTEGER NOT NULL,"
    " problem INTEGER NOT NULL, body TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS fleet_kiosks_by_hall ON fleet_kiosks(hall, kiosk);"
    "CREATE INDEX IF NOT EXISTS fleet_kiosks_by_seen ON fleet_kiosks(seen, kiosk);"
    "CREATE TABLE IF NOT EXISTS kiosk_settings("
    " kiosk TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    /* Walk-in numbers from 001, priority numbers (appointments checked in)
     * from 501, each a row with no person: the booking's code ties a
     * priority number to its appointment (registry_tickets.c). */
    "CREATE TABLE IF NOT EXISTS tickets("
    " day INTEGER NOT NULL, service TEXT NOT NULL, seq INTEGER NOT NULL,"
    " kiosk TEXT NOT NULL, issued_at INTEGER NOT NULL,"
    " PRIMARY KEY(day, service, seq));"
    "CREATE TABLE IF NOT EXISTS priority_tickets("
    " day INTEGER NOT NULL, service TEXT NOT NULL, seq INTEGER NOT NULL,"
    " code TEXT NOT NULL UNIQUE, kiosk TEXT NOT NULL, issued_at INTEGER NOT NULL,"
    " PRIMARY KEY(day, service, seq));";

int registry_db_open(const char *target, struct store **out)
{
    *out = NULL;
    struct store *db = NULL;
    if (store_open(target, &db) < 0)
        return ERR_IO;
    if (store_schema(db, schema) < 0) {
        store_close(db);
        return ERR_IO;
    }
    *out = db;
    return 0;
}

static int count_rows(struct store *db, const char *sql)
{
    struct store_stmt *st = NULL;
    int n = ERR_IO;
    if (store_prepare(db, sql, &st) == 0 && store_step(st) == STORE_ROW)
        n = store_column_int(st, 0);
    store_finalize(st);
    return n;
}

static void bind_texts(struct store_stmt *st, const char *const *v, int n)
{
    for (int i = 0; i < n; i++)
        store_bind_text(st, i + 1, v[i]);
}

int registry_db_seed(struct store *db)
{
    int have = count_rows(db, "SELECT count(*) FROM properties");
    if (have != 0)
        return have < 0 ? ERR_IO : 0;
    if (!demo_is_available())
        return ERR_NOTFOUND; /* the demo library said why */
    struct store_stmt *prop = NULL, *own = NULL, *enc = NULL;
    int rc = ERR_IO, n = demo_property_count();
    if (store_prepare(db, "INSERT INTO properties VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", &prop) != 0 ||
        store_prepare(db, "INSERT INTO owners VALUES(?,?,?,?,?)", &own) != 0 ||
        store_prepare(db, "INSERT INTO encumbrances VALUES(?,?,?,?,?,?,?,?,?)", &enc) != 0)
        goto out;
    for (int i = 0; i < n; i++) {
        struct demo_property p;
        if (!demo_property_get(i, &p))
            goto out;
        const char *v[] = {
            p.id,        p.unit_number,  p.location, p.district,   p.certificate_number,
            p.area,      p.land_area,    p.use,      p.right_type, p.right_nature,
            p.ownership, p.registered_at};
        store_reset(prop);
        bind_texts(prop, v, (int)ARRAY_LEN(v));
        store_bind_int(prop, 13, p.residential);
        if (store_step(prop) != STORE_DONE)
            goto out;
        for (int o = 0; o < p.owner_count; o++) {
            store_reset(own);
            store_bind_text(own, 1, p.id);
            store_bind_int(own, 2, o);
            store_bind_text(own, 3, p.owners[o].id_number);
            store_bind_text(own, 4, p.owners[o].name);
            store_bind_text(own, 5, p.owners[o].share);
            if (store_step(own) != STORE_DONE)
                goto out;
        }
        for (int e = 0; e < p.enc_count; e++) {
            const struct demo_encumbrance *x = &p.enc[e];
            store_reset(enc);
            store_bind_text(enc, 1, p.id);
            store_bind_int(enc, 2, e);
            const char *v2[] = {demo_enc_kind_name(x->kind), x->holder, x->certificate_number,
                                x->registered_at, x->period};
            for (int k = 0; k < 5; k++)
                store_bind_text(enc, 3 + k, v2[k]);
            store_bind_int64(enc, 8, x->amount_fen);
            store_bind_text(enc, 9, x->note);
            if (store_step(enc) != STORE_DONE)
                goto out;
        }
    }
    rc = n;
out:
    if (rc < 0)
        log_err("registry", "seeding failed: %s", store_errmsg(db));
    store_finalize(prop);
    store_finalize(own);
    store_finalize(enc);
    return rc;
}

static const char *col(struct store_stmt *st, int i)
{
    const char *s = store_column_text(st, i);
    return s ? s : "";
}

/* co_owners (masked names of the others) and encumbrances of one property. */
static int add_details(struct store *db, cJSON *item, const char *pid, const char *id_number)
{
    struct store_stmt *st = NULL;
    int rc = ERR_IO;
    cJSON *co = cJSON_AddArrayToObject(item, "co_owners");
    if (!co)
        return ERR_NOMEM;
    if (store_prepare(db,
                      "SELECT name FROM owners WHERE property_id = ? AND id_number <> ?"
                      " ORDER BY seq",
                      &st) != 0)
        return ERR_IO;
    store_bind_text(st, 1, pid);
    store_bind_text(st, 2, id_number);
    while (store_step(st) == STORE_ROW) {
        char masked[64];
        mask_name(col(st, 0), masked, sizeof masked);
        cJSON_AddItemToArray(co, cJSON_CreateString(masked));
    }
    store_finalize(st);
    st = NULL;
    cJSON *encs = cJSON_AddArrayToObject(item, "encumbrances");
    if (!encs)
        return ERR_NOMEM;
    if (store_prepare(db,
                      "SELECT kind, holder, certificate_number, registered_at, period,"
                      " amount_fen, note FROM encumbrances WHERE property_id = ?"
                      " ORDER BY seq",
                      &st) != 0)
        return ERR_IO;
    store_bind_text(st, 1, pid);
    while (store_step(st) == STORE_ROW) {
        cJSON *e = cJSON_CreateObject();
        if (!e)
            goto out;
        cJSON_AddItemToArray(encs, e);
        static const char *const keys[] = {"kind", "holder", "certificate_number", "registered_at",
                                           "period"};
        for (int k = 0; k < 5; k++)
            cJSON_AddStringToObject(e, keys[k], col(st, k));
        cJSON_AddNumberToObject(e, "amount_fen", (double)store_column_int64(st, 5));
        cJSON_AddStringToObject(e, "note", col(st, 6));
    }
    rc = 0;
out:
    store_finalize(st);
    return rc;
}

int registry_db_properties(struct store *db, const char *id_number, int offset, int limit,
                           bool residential_only, cJSON *items, bool *more)
{
    *more = false;
    struct store_stmt *st = NULL;
    int n = 0, rc = ERR_IO;
    if (store_prepare(
            db,
            "SELECT p.id, p.unit_number, p.location, p.district, p.certificate_number, p.area,"
            " p.land_area, p.use, p.right_type, p.right_nature, p.ownership, p.registered_at,"
            " o.share FROM owners o JOIN properties p ON p.id = o.property_id"
            " WHERE o.id_number = ?1 AND (?2 = 0 OR p.residential = 1)"
            " ORDER BY p.id LIMIT ?3 OFFSET ?4",
            &st) != 0)
        return ERR_IO;
    store_bind_text(st, 1, id_number);
    store_bind_int(st, 2, residential_only);
    store_bind_int(st, 3, limit + 1); /* one more says whether a next page exists */
    store_bind_int(st, 4, offset);
    int step;
    while ((step = store_step(st)) == STORE_ROW) {
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
    if (step != STORE_ROW && step != STORE_DONE)
        goto out;
    rc = n;
out:
    store_finalize(st);
    return rc;
}
