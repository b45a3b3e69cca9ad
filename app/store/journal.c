/* journal.c - the print journal on SQLite; see journal.h.
 *
 * One table, one row per job. Every change is its own statement in
 * autocommit mode with synchronous=FULL, so a state the caller saw
 * committed survives a power cut. Caller's thread.
 */
#include "store/journal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct journal {
    sqlite3 *db;
};

static const char schema[] = "PRAGMA journal_mode=WAL;"
                             "PRAGMA synchronous=FULL;"
                             "CREATE TABLE IF NOT EXISTS print_jobs("
                             " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                             " kind INTEGER NOT NULL,"
                             " state INTEGER NOT NULL,"
                             " key TEXT NOT NULL,"
                             " attempts INTEGER NOT NULL DEFAULT 0,"
                             " ext_id INTEGER NOT NULL DEFAULT 0,"
                             " created INTEGER NOT NULL,"
                             " updated INTEGER NOT NULL,"
                             " payload TEXT NOT NULL DEFAULT '');"
                             "CREATE INDEX IF NOT EXISTS print_jobs_key ON print_jobs(kind, key);";

const char *journal_state_name(enum journal_state s)
{
    static const char *const names[] = {"queued", "sending", "sent", "confirmed", "failed", "held"};
    return (unsigned)s < ARRAY_LEN(names) ? names[s] : "unknown";
}

int journal_open(const char *path, struct journal **out)
{
    *out = NULL;
    struct journal *j = calloc(1, sizeof *j);
    if (!j)
        return ERR_NOMEM;
    if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK ||
        sqlite3_busy_timeout(j->db, 2000) != SQLITE_OK ||
        sqlite3_exec(j->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        log_err("journal", "cannot open the print journal: %s",
                j->db ? sqlite3_errmsg(j->db) : "no memory");
        sqlite3_close(j->db);
        free(j);
        return ERR_IO;
    }
    *out = j;
    return 0;
}

int journal_open_readonly(const char *path, struct journal **out)
{
    *out = NULL;
    struct journal *j = calloc(1, sizeof *j);
    if (!j)
        return ERR_NOMEM;
    if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(j->db, 200) != SQLITE_OK) {
        log_warn("journal", "cannot read the print journal: %s",
                 j->db ? sqlite3_errmsg(j->db) : "no memory");
        sqlite3_close(j->db);
        free(j);
        return ERR_IO;
    }
    *out = j;
    return 0;
}

void journal_close(struct journal *j)
{
    if (!j)
        return;
    sqlite3_close(j->db);
    free(j);
}

static int find_live(struct journal *j, enum journal_kind kind, const char *key, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int rc = ERR_IO;
    if (sqlite3_prepare_v2(j->db,
                           "SELECT id FROM print_jobs WHERE kind=? AND key=? AND state<>?"
                           " ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, JOURNAL_FAILED);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        rc = 1;
    } else if (s == SQLITE_DONE) {
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

int journal_add(struct journal *j, enum journal_kind kind, const char *key, const char *payload,
                int64_t *id)
{
    if (!j || !key || !key[0] || !id)
        return ERR_INVALID;
    if (strlen(key) >= JOURNAL_KEY_MAX || (payload && strlen(payload) >= JOURNAL_PAYLOAD_MAX))
        return ERR_TOOBIG;
    int f = find_live(j, kind, key, id);
    if (f < 0)
        return f;
    if (f == 1)
        return ERR_BUSY;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db,
                           "INSERT INTO print_jobs(kind, state, key, created, updated, payload)"
                           " VALUES(?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    int64_t now = clock_wall_s();
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_int(st, 2, JOURNAL_QUEUED);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_text(st, 6, payload ? payload : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ERR_IO;
    sqlite3_finalize(st);
    if (!rc)
        *id = sqlite3_last_insert_rowid(j->db);
    else
        log_err("journal", "cannot add a job: %s", sqlite3_errmsg(j->db));
    return rc;
}

int journal_set(struct journal *j, int64_t id, enum journal_state state, int bump, int ext_id)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db,
                           "UPDATE print_jobs SET state=?, attempts=attempts+?,"
                           " ext_id=CASE WHEN ?>0 THEN ? ELSE ext_id END, updated=? WHERE id=?",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, (int)state);
    sqlite3_bind_int(st, 2, bump);
    sqlite3_bind_int(st, 3, ext_id);
    sqlite3_bind_int(st, 4, ext_id);
    sqlite3_bind_int64(st, 5, clock_wall_s());
    sqlite3_bind_int64(st, 6, id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ERR_IO;
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(j->db) == 0)
        rc = ERR_NOTFOUND;
    if (rc == ERR_IO)
        log_err("journal", "cannot record job %lld as %s: %s", (long long)id,
                journal_state_name(state), sqlite3_errmsg(j->db));
    return rc;
}

int journal_get(struct journal *j, int64_t id, struct journal_job *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db,
                           "SELECT kind, state, key, attempts, ext_id, created, updated, payload"
                           " FROM print_jobs WHERE id=?",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int64(st, 1, id);
    int s = sqlite3_step(st);
    int rc = s == SQLITE_ROW ? 0 : s == SQLITE_DONE ? ERR_NOTFOUND : ERR_IO;
    if (!rc) {
        memset(out, 0, sizeof *out);
        out->id = id;
        out->kind = (enum journal_kind)sqlite3_column_int(st, 0);
        out->state = (enum journal_state)sqlite3_column_int(st, 1);
        str_copy(out->key, sizeof out->key, (const char *)sqlite3_column_text(st, 2));
        out->attempts = sqlite3_column_int(st, 3);
        out->ext_id = sqlite3_column_int(st, 4);
        out->created = sqlite3_column_int64(st, 5);
        out->updated = sqlite3_column_int64(st, 6);
        const char *p = (const char *)sqlite3_column_text(st, 7);
        str_copy(out->payload, sizeof out->payload, p ? p : "");
        out->payload_len = strlen(out->payload);
    }
    sqlite3_finalize(st);
    return rc;
}

int journal_unfinished(struct journal *j, enum journal_kind kind, int64_t *ids, int max)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db,
                           "SELECT id FROM print_jobs WHERE kind=? AND state IN (?,?,?)"
                           " ORDER BY id LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_int(st, 2, JOURNAL_QUEUED);
    sqlite3_bind_int(st, 3, JOURNAL_SENDING);
    sqlite3_bind_int(st, 4, JOURNAL_SENT);
    sqlite3_bind_int(st, 5, max);
    int n = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return s == SQLITE_DONE || s == SQLITE_ROW ? n : ERR_IO;
}

int journal_recent(struct journal *j, unsigned kinds, struct journal_entry *rows, int max)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db,
                           "SELECT id, kind, state, key, attempts, ext_id, created, updated"
                           " FROM print_jobs WHERE ((1 << kind) & ?) <> 0 ORDER BY id DESC LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, (int)kinds);
    sqlite3_bind_int(st, 2, max);
    int n = 0, s = SQLITE_DONE;
    while (n < max && (s = sqlite3_step(st)) == SQLITE_ROW) {
        struct journal_entry *e = &rows[n++];
        memset(e, 0, sizeof *e);
        e->id = sqlite3_column_int64(st, 0);
        e->kind = (enum journal_kind)sqlite3_column_int(st, 1);
        e->state = (enum journal_state)sqlite3_column_int(st, 2);
        const char *key = (const char *)sqlite3_column_text(st, 3);
        str_copy(e->key, sizeof e->key, key ? key : "");
        e->attempts = sqlite3_column_int(st, 4);
        e->ext_id = sqlite3_column_int(st, 5);
        e->created = sqlite3_column_int64(st, 6);
        e->updated = sqlite3_column_int64(st, 7);
    }
    sqlite3_finalize(st);
    return s == SQLITE_ROW || s == SQLITE_DONE ? n : ERR_IO;
}

int journal_requeue(struct journal *j, int64_t id)
{
    struct journal_job *job = malloc(sizeof *job);
    if (!job)
        return ERR_NOMEM;
    int rc = journal_get(j, id, job);
    if (!rc && job->state != JOURNAL_FAILED)
        rc = ERR_INVALID;
    int64_t live = 0;
    if (!rc) {
        int f = find_live(j, job->kind, job->key, &live);
        rc = f < 0 ? f : f == 1 ? ERR_BUSY : 0;
    }
    free(job);
    return rc ? rc : journal_set(j, id, JOURNAL_QUEUED, 0, 0);
}

int journal_count(struct journal *j, enum journal_kind kind, enum journal_state state)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db, "SELECT count(*) FROM print_jobs WHERE kind=? AND state=?", -1,
                           &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_int(st, 2, (int)state);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : ERR_IO;
    sqlite3_finalize(st);
    return n;
}

int journal_prune(struct journal *j, int64_t before_s)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db, "DELETE FROM print_jobs WHERE state IN (?,?) AND updated<?", -1,
                           &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, JOURNAL_CONFIRMED);
    sqlite3_bind_int(st, 2, JOURNAL_FAILED);
    sqlite3_bind_int64(st, 3, before_s);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(j->db) : ERR_IO;
    sqlite3_finalize(st);
    return rc;
}
