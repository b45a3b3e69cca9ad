/* outbox.c - the outbox on SQLite; see outbox.h.
 *
 * One table, one row per item. The statements are prepared once at open.
 * A change that reads before it writes (put with its bound, failed with
 * its backoff) runs inside BEGIN IMMEDIATE ... COMMIT; the others are one
 * statement in autocommit mode. synchronous=FULL: a change the caller saw
 * return 0 survives a power cut. Caller's thread.
 */
#include "store/outbox.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define MOD "outbox"

static const char schema[] = "PRAGMA journal_mode=WAL;"
                             "PRAGMA synchronous=FULL;"
                             "CREATE TABLE IF NOT EXISTS outbox("
                             " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                             " kind TEXT NOT NULL,"
                             " key TEXT NOT NULL UNIQUE,"
                             " method TEXT NOT NULL,"
                             " path TEXT NOT NULL,"
                             " body TEXT NOT NULL,"
                             " created INTEGER NOT NULL,"
                             " attempts INTEGER NOT NULL DEFAULT 0,"
                             " next_at INTEGER NOT NULL,"
                             " state INTEGER NOT NULL DEFAULT 0,"
                             " updated INTEGER NOT NULL);"
                             "CREATE INDEX IF NOT EXISTS outbox_waiting ON outbox(state, next_at);";

#define COLS "id, state, kind, key, method, path, created, attempts, next_at, body"

enum stmt {
    ST_INSERT,
    ST_COUNT,
    ST_OLDEST_RATING,
    ST_DROP,
    ST_DUE,
    ST_NEXT_AT,
    ST_DELIVERED,
    ST_ATTEMPTS,
    ST_RETRY_AT,
    ST_HURRY,
    ST_GET,
    ST_PRUNE,
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_COUNT_OF
};

static const char *const sql[ST_COUNT_OF] = {
    [ST_INSERT] = "INSERT INTO outbox(kind, key, method, path, body, created, next_at, updated)"
                  " VALUES(?,?,?,?,?,?,?,?)",
    [ST_COUNT] = "SELECT count(*) FROM outbox WHERE state=0",
    [ST_OLDEST_RATING] =
        "SELECT id FROM outbox WHERE state=0 AND kind='" OUTBOX_KIND_RATING "' ORDER BY id LIMIT 1",
    [ST_DROP] = "UPDATE outbox SET state=2, updated=? WHERE id=? AND state=0",
    [ST_DUE] = "SELECT " COLS " FROM outbox WHERE state=0 AND (next_at<=? OR next_at>?)"
               " ORDER BY id LIMIT 1",
    [ST_NEXT_AT] = "SELECT min(next_at) FROM outbox WHERE state=0",
    [ST_DELIVERED] = "UPDATE outbox SET state=1, updated=? WHERE id=? AND state=0",
    [ST_ATTEMPTS] = "SELECT attempts, kind FROM outbox WHERE id=? AND state=0",
    [ST_RETRY_AT] = "UPDATE outbox SET attempts=attempts+1, next_at=?, updated=? WHERE id=?",
    [ST_HURRY] = "UPDATE outbox SET next_at=? WHERE state=0 AND next_at>?",
    [ST_GET] = "SELECT " COLS " FROM outbox WHERE id=?",
    [ST_PRUNE] = "DELETE FROM outbox WHERE state<>0 AND updated<?",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
};

struct outbox {
    sqlite3 *db;
    int max_items;
    sqlite3_stmt *st[ST_COUNT_OF];
};

const char *outbox_state_name(enum outbox_state s)
{
    static const char *const names[] = {"waiting", "delivered", "dropped"};
    return (unsigned)s < ARRAY_LEN(names) ? names[s] : "unknown";
}

int64_t outbox_backoff_s(int attempts)
{
    static const int64_t steps[] = {10, 30, 120, 600, OUTBOX_BACKOFF_MAX_S};
    if (attempts < 1)
        return 0;
    return attempts > (int)ARRAY_LEN(steps) ? OUTBOX_BACKOFF_MAX_S : steps[attempts - 1];
}

/* A statement ready for new bindings. */
static sqlite3_stmt *stmt(struct outbox *o, enum stmt which)
{
    sqlite3_stmt *s = o->st[which];
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

/* A statement run to its end; SQLITE_DONE or the error. */
static int run(struct outbox *o, enum stmt which)
{
    int s = sqlite3_step(o->st[which]);
    sqlite3_reset(o->st[which]);
    return s;
}

/* SQLite's answer as the kiosk's error: a full disk is ERR_FULL. */
static int store_err(int s)
{
    return (s & 0xff) == SQLITE_FULL ? ERR_FULL : ERR_IO;
}

static void close_db(struct outbox *o)
{
    for (int i = 0; i < ST_COUNT_OF; i++)
        sqlite3_finalize(o->st[i]);
    sqlite3_close(o->db);
}

int outbox_open(const char *path, int max_items, struct outbox **out)
{
    *out = NULL;
    struct outbox *o = calloc(1, sizeof *o);
    if (!o)
        return ERR_NOMEM;
    o->max_items = max_items > 0 ? max_items : OUTBOX_ITEMS_MAX;
    bool ok = sqlite3_open_v2(path, &o->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) ==
                  SQLITE_OK &&
              sqlite3_busy_timeout(o->db, 2000) == SQLITE_OK &&
              sqlite3_exec(o->db, schema, NULL, NULL, NULL) == SQLITE_OK;
    for (int i = 0; ok && i < ST_COUNT_OF; i++)
        ok = sqlite3_prepare_v3(o->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &o->st[i], NULL) ==
             SQLITE_OK;
    if (!ok) {
        log_err(MOD, "cannot open the outbox %s: %s", path,
                o->db ? sqlite3_errmsg(o->db) : "no memory");
        close_db(o);
        free(o);
        return ERR_IO;
    }
    *out = o;
    return 0;
}

void outbox_close(struct outbox *o)
{
    if (!o)
        return;
    close_db(o);
    free(o);
}

static bool kind_ok(const char *k)
{
    size_t n = k ? strnlen(k, OUTBOX_KIND_MAX) : 0;
    if (n == 0 || n == OUTBOX_KIND_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || k[i] == '_'))
            return false;
    return true;
}

static bool method_ok(const char *m)
{
    static const char *const methods[] = {"POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; m && i < ARRAY_LEN(methods); i++)
        if (!strcmp(m, methods[i]))
            return true;
    return false;
}

static bool path_ok(const char *p)
{
    size_t n = p ? strnlen(p, OUTBOX_PATH_MAX) : 0;
    if (n < 2 || n == OUTBOX_PATH_MAX || p[0] != '/')
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
            return false;
    return true;
}

/* Inside the put's transaction: makes room for one more waiting item.
 * Logs what it returns. */
static int make_room(struct outbox *o, const char *kind, int64_t now)
{
    sqlite3_stmt *s = stmt(o, ST_COUNT);
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    sqlite3_reset(s);
    if (n < 0) {
        log_err(MOD, "%s not added: %s", kind, sqlite3_errmsg(o->db));
        return ERR_IO;
    }
    while (n >= o->max_items) {
        s = stmt(o, ST_OLDEST_RATING);
        int r = sqlite3_step(s);
        int64_t victim = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        sqlite3_reset(s);
        if (r != SQLITE_ROW && r != SQLITE_DONE) {
            log_err(MOD, "%s not added: %s", kind, sqlite3_errmsg(o->db));
            return ERR_IO;
        }
        if (!victim) {
            log_err(MOD, "%s not added: full, %d items wait and none is a rating", kind, n);
            return ERR_FULL;
        }
        s = stmt(o, ST_DROP);
        sqlite3_bind_int64(s, 1, now);
        sqlite3_bind_int64(s, 2, victim);
        r = run(o, ST_DROP);
        if (r != SQLITE_DONE) {
            log_err(MOD, "%s not added: %s", kind,
                    (r & 0xff) == SQLITE_FULL ? "the disk is full" : sqlite3_errmsg(o->db));
            return store_err(r);
        }
        log_warn(MOD, "full: %d items wait; the oldest rating (%lld) is dropped", n,
                 (long long)victim);
        n--;
    }
    return 0;
}

int outbox_put(struct outbox *o, const char *kind, const char *method, const char *path,
               const char *body, int64_t now, int64_t *id)
{
    if (!o || !kind_ok(kind) || !method_ok(method) || !path_ok(path) || !body || !body[0]) {
        log_err(MOD, "item refused: bad kind, method, path or body");
        return ERR_INVALID;
    }
    if (strnlen(body, OUTBOX_BODY_MAX) == OUTBOX_BODY_MAX) {
        log_err(MOD, "%s refused: body of %d bytes or more", kind, OUTBOX_BODY_MAX);
        return ERR_TOOBIG;
    }
    char key[OUTBOX_KEY_MAX];
    if (random_hex32(key, sizeof key) != 0) {
        log_err(MOD, "%s not added: no randomness for its key", kind);
        return ERR_IO;
    }
    int s = run(o, ST_BEGIN);
    if (s != SQLITE_DONE) {
        log_err(MOD, "%s not added: %s", kind, sqlite3_errmsg(o->db));
        return store_err(s);
    }
    int rc = make_room(o, kind, now);
    if (!rc) {
        sqlite3_stmt *st = stmt(o, ST_INSERT);
        sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, method, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, body, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, now);
        sqlite3_bind_int64(st, 7, now);
        sqlite3_bind_int64(st, 8, now);
        s = run(o, ST_INSERT);
        rc = s == SQLITE_DONE ? 0 : store_err(s);
    }
    int64_t new_id = rc ? 0 : sqlite3_last_insert_rowid(o->db);
    if (!rc) {
        s = run(o, ST_COMMIT);
        rc = s == SQLITE_DONE ? 0 : store_err(s);
    }
    if (rc) {
        /* make_room logged its own failure. */
        if (s != SQLITE_DONE)
            log_err(MOD, "%s not added: %s", kind,
                    (s & 0xff) == SQLITE_FULL ? "the disk is full" : sqlite3_errmsg(o->db));
        if (!sqlite3_get_autocommit(o->db))
            run(o, ST_ROLLBACK);
        return rc;
    }
    if (id)
        *id = new_id;
    return 0;
}

static void read_item(sqlite3_stmt *s, struct outbox_item *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(s, 0);
    out->state = (enum outbox_state)sqlite3_column_int(s, 1);
    const char *t;
    t = (const char *)sqlite3_column_text(s, 2);
    str_copy(out->kind, sizeof out->kind, t ? t : "");
    t = (const char *)sqlite3_column_text(s, 3);
    str_copy(out->key, sizeof out->key, t ? t : "");
    t = (const char *)sqlite3_column_text(s, 4);
    str_copy(out->method, sizeof out->method, t ? t : "");
    t = (const char *)sqlite3_column_text(s, 5);
    str_copy(out->path, sizeof out->path, t ? t : "");
    out->created = sqlite3_column_int64(s, 6);
    out->attempts = sqlite3_column_int(s, 7);
    out->next_at = sqlite3_column_int64(s, 8);
    t = (const char *)sqlite3_column_text(s, 9);
    str_copy(out->body, sizeof out->body, t ? t : "");
    out->body_len = strlen(out->body);
}

int outbox_next_due(struct outbox *o, int64_t now, struct outbox_item *out)
{
    sqlite3_stmt *s = stmt(o, ST_DUE);
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, now + OUTBOX_BACKOFF_MAX_S);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        read_item(s, out);
    sqlite3_reset(s);
    return r == SQLITE_ROW ? 0 : r == SQLITE_DONE ? ERR_EMPTY : ERR_IO;
}

int outbox_next_at(struct outbox *o, int64_t *at)
{
    sqlite3_stmt *s = stmt(o, ST_NEXT_AT);
    int r = sqlite3_step(s);
    int rc = r != SQLITE_ROW ? ERR_IO : sqlite3_column_type(s, 0) == SQLITE_NULL ? ERR_EMPTY : 0;
    if (!rc)
        *at = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc;
}

/* Moves a waiting item to a finished state with one statement. */
static int finish(struct outbox *o, enum stmt which, int64_t id, int64_t now)
{
    sqlite3_stmt *s = stmt(o, which);
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, id);
    int r = run(o, which);
    if (r != SQLITE_DONE) {
        log_err(MOD, "cannot record item %lld: %s", (long long)id, sqlite3_errmsg(o->db));
        return store_err(r);
    }
    return sqlite3_changes(o->db) ? 0 : ERR_NOTFOUND;
}

int outbox_delivered(struct outbox *o, int64_t id, int64_t now)
{
    return finish(o, ST_DELIVERED, id, now);
}

int outbox_failed(struct outbox *o, int64_t id, int64_t now, bool permanent)
{
    if (permanent) {
        int rc = finish(o, ST_DROP, id, now);
        if (!rc)
            log_warn(MOD, "item %lld dropped: it will never be accepted", (long long)id);
        return rc;
    }
    int r = run(o, ST_BEGIN);
    if (r != SQLITE_DONE)
        return store_err(r);
    sqlite3_stmt *s = stmt(o, ST_ATTEMPTS);
    sqlite3_bind_int64(s, 1, id);
    r = sqlite3_step(s);
    int attempts = r == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_reset(s);
    int rc = r == SQLITE_ROW ? 0 : r == SQLITE_DONE ? ERR_NOTFOUND : ERR_IO;
    if (!rc) {
        s = stmt(o, ST_RETRY_AT);
        sqlite3_bind_int64(s, 1, now + outbox_backoff_s(attempts + 1));
        sqlite3_bind_int64(s, 2, now);
        sqlite3_bind_int64(s, 3, id);
        r = run(o, ST_RETRY_AT);
        rc = r == SQLITE_DONE ? 0 : store_err(r);
    }
    if (!rc) {
        r = run(o, ST_COMMIT);
        rc = r == SQLITE_DONE ? 0 : store_err(r);
    }
    if (rc && rc != ERR_NOTFOUND)
        log_err(MOD, "cannot record item %lld as failed: %s", (long long)id, sqlite3_errmsg(o->db));
    if (!sqlite3_get_autocommit(o->db))
        run(o, ST_ROLLBACK);
    return rc;
}

int outbox_hurry(struct outbox *o, int64_t now)
{
    sqlite3_stmt *s = stmt(o, ST_HURRY);
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, now);
    int r = run(o, ST_HURRY);
    return r == SQLITE_DONE ? sqlite3_changes(o->db) : store_err(r);
}

int outbox_count(struct outbox *o)
{
    sqlite3_stmt *s = stmt(o, ST_COUNT);
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : ERR_IO;
    sqlite3_reset(s);
    return n;
}

int outbox_get(struct outbox *o, int64_t id, struct outbox_item *out)
{
    sqlite3_stmt *s = stmt(o, ST_GET);
    sqlite3_bind_int64(s, 1, id);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        read_item(s, out);
    sqlite3_reset(s);
    return r == SQLITE_ROW ? 0 : r == SQLITE_DONE ? ERR_NOTFOUND : ERR_IO;
}

int outbox_prune(struct outbox *o, int64_t before_s)
{
    sqlite3_stmt *s = stmt(o, ST_PRUNE);
    sqlite3_bind_int64(s, 1, before_s);
    int r = run(o, ST_PRUNE);
    return r == SQLITE_DONE ? sqlite3_changes(o->db) : store_err(r);
}
