/* journal.c - the print journal on SQLite; see journal.h.
 *
 * One table, one row per job. Every change is its own statement in
 * autocommit mode with synchronous=FULL (a reprint: one transaction), so a
 * state the caller saw committed survives a power cut. A file from before
 * uids and deadlines gets the columns on open: its rows a uid of their
 * own ("old-ID") and a deadline five minutes after they were made, so an
 * upgrade does not print what an old run left waiting. Caller's thread.
 */
#include "store/journal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct journal {
    sqlite3 *db;
};

static const char schema[] = "CREATE TABLE IF NOT EXISTS print_jobs("
                             " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                             " kind INTEGER NOT NULL,"
                             " state INTEGER NOT NULL,"
                             " key TEXT NOT NULL,"
                             " attempts INTEGER NOT NULL DEFAULT 0,"
                             " ext_id INTEGER NOT NULL DEFAULT 0,"
                             " created INTEGER NOT NULL,"
                             " updated INTEGER NOT NULL,"
                             " payload TEXT NOT NULL DEFAULT '',"
                             " uid TEXT NOT NULL DEFAULT '',"
                             " deadline INTEGER NOT NULL DEFAULT 0,"
                             " reason INTEGER NOT NULL DEFAULT 0,"
                             " origin INTEGER NOT NULL DEFAULT 0);";

/* A journal from before uids and deadlines: the columns, a uid per row, a
 * deadline for what it left unfinished. */
static const char upgrade[] =
    "ALTER TABLE print_jobs ADD COLUMN uid TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE print_jobs ADD COLUMN deadline INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE print_jobs ADD COLUMN reason INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE print_jobs ADD COLUMN origin INTEGER NOT NULL DEFAULT 0;"
    "UPDATE print_jobs SET uid='old-'||id, deadline=created+300;";

static const char indexes[] = "CREATE INDEX IF NOT EXISTS print_jobs_uid ON print_jobs(kind, uid);"
                              "CREATE INDEX IF NOT EXISTS print_jobs_origin ON print_jobs(origin);";

const char *journal_state_name(enum journal_state s)
{
    static const char *const names[] = {"queued", "sending", "sent",   "confirmed",
                                        "failed", "held",    "expired"};
    return (unsigned)s < ARRAY_LEN(names) ? names[s] : "unknown";
}

/* 1 when the table has the uid column, 0 when not, ERR_IO. */
static int has_uid(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM pragma_table_info('print_jobs')"
                           " WHERE name='uid'",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    int rc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) > 0 : ERR_IO;
    sqlite3_finalize(st);
    return rc;
}

/* Each worker opens the journal on its own thread at start-up, so two
 * connections prepare it at once: WAL mode is retried while the other
 * holds the file (SQLite answers BUSY at once there, without waiting), and
 * the schema is made and upgraded inside one write transaction taken
 * before anything is read, which waits its turn instead of failing. */
static int prepare_schema(sqlite3 *db)
{
    int s = SQLITE_BUSY;
    for (int i = 0; i < 200 && s == SQLITE_BUSY; i++) {
        s = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (s == SQLITE_BUSY) {
            struct timespec pause = {0, 10 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    if (s != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return ERR_IO;
    int u = sqlite3_exec(db, schema, NULL, NULL, NULL) == SQLITE_OK ? has_uid(db) : ERR_IO;
    bool upgraded = u == 0;
    if (upgraded && sqlite3_exec(db, upgrade, NULL, NULL, NULL) != SQLITE_OK)
        u = ERR_IO;
    if (u >= 0 && (sqlite3_exec(db, indexes, NULL, NULL, NULL) != SQLITE_OK ||
                   sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK))
        u = ERR_IO;
    if (u < 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return u;
    }
    if (upgraded)
        log_notice("journal",
                   "print journal upgraded: jobs keyed by their own ids, with deadlines");
    return 0;
}

int journal_open(const char *path, struct journal **out)
{
    *out = NULL;
    struct journal *j = calloc(1, sizeof *j);
    if (!j)
        return ERR_NOMEM;
    if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK ||
        sqlite3_busy_timeout(j->db, 2000) != SQLITE_OK || prepare_schema(j->db) != 0) {
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

/* The newest job of kind and uid that is not failed or expired: 1 and *id,
 * 0 none, ERR_IO. */
static int find_live(struct journal *j, enum journal_kind kind, const char *uid, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int rc = ERR_IO;
    if (sqlite3_prepare_v2(j->db,
                           "SELECT id FROM print_jobs WHERE kind=? AND uid=? AND state NOT IN (?,?)"
                           " ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, JOURNAL_FAILED);
    sqlite3_bind_int(st, 4, JOURNAL_EXPIRED);
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

static int insert(struct journal *j, const struct journal_new *n, int64_t origin, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db,
                           "INSERT INTO print_jobs(kind, state, key, created, updated, payload,"
                           " uid, deadline, origin) VALUES(?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    int64_t now = clock_wall_s();
    sqlite3_bind_int(st, 1, (int)n->kind);
    sqlite3_bind_int(st, 2, JOURNAL_QUEUED);
    sqlite3_bind_text(st, 3, n->key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_text(st, 6, n->payload ? n->payload : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, n->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, n->deadline > 0 ? n->deadline : 0);
    sqlite3_bind_int64(st, 9, origin);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ERR_IO;
    sqlite3_finalize(st);
    if (!rc)
        *id = sqlite3_last_insert_rowid(j->db);
    else
        log_err("journal", "cannot add a job: %s", sqlite3_errmsg(j->db));
    return rc;
}

int journal_add(struct journal *j, const struct journal_new *n, int64_t *id)
{
    if (!j || !n || !n->uid || !n->uid[0] || !n->key || !n->key[0] || !id)
        return ERR_INVALID;
    if (strlen(n->uid) >= JOURNAL_KEY_MAX || strlen(n->key) >= JOURNAL_KEY_MAX ||
        (n->payload && strlen(n->payload) >= JOURNAL_PAYLOAD_MAX))
        return ERR_TOOBIG;
    int f = find_live(j, n->kind, n->uid, id);
    if (f < 0)
        return f;
    if (f == 1)
        return ERR_BUSY;
    return insert(j, n, 0, id);
}

int journal_withdraw(struct journal *j, int64_t id, enum journal_state state,
                     enum journal_reason why)
{
    if (state != JOURNAL_FAILED && state != JOURNAL_EXPIRED)
        return ERR_INVALID;
    int rc = journal_set(j, id, state, 0, 0);
    if (rc)
        return rc;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db, "UPDATE print_jobs SET reason=? WHERE id=?", -1, &st, NULL) !=
        SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, (int)why);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ERR_IO;
    sqlite3_finalize(st);
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
                           "SELECT kind, state, key, attempts, ext_id, created, updated, payload,"
                           " uid, deadline, reason, origin FROM print_jobs WHERE id=?",
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
        const char *u = (const char *)sqlite3_column_text(st, 8);
        str_copy(out->uid, sizeof out->uid, u ? u : "");
        out->deadline = sqlite3_column_int64(st, 9);
        out->reason = (enum journal_reason)sqlite3_column_int(st, 10);
        out->origin = sqlite3_column_int64(st, 11);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Steps st (a finished statement afterwards), keeping column 0 of up to
 * max rows in ids. Returns how many, or ERR_IO. */
static int collect_ids(sqlite3_stmt *st, int64_t *ids, int max)
{
    int n = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return s == SQLITE_DONE || s == SQLITE_ROW ? n : ERR_IO;
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
    return collect_ids(st, ids, max);
}

int journal_due(struct journal *j, enum journal_kind kind, int64_t now_s, int64_t *ids, int max)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db,
                           "SELECT id FROM print_jobs WHERE kind=? AND state IN (?,?,?,?)"
                           " AND deadline>0 AND deadline<=? ORDER BY id LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_int(st, 2, JOURNAL_QUEUED);
    sqlite3_bind_int(st, 3, JOURNAL_SENDING);
    sqlite3_bind_int(st, 4, JOURNAL_SENT);
    sqlite3_bind_int(st, 5, JOURNAL_HELD);
    sqlite3_bind_int64(st, 6, now_s);
    sqlite3_bind_int(st, 7, max);
    return collect_ids(st, ids, max);
}

/* The family of a job: its first job's id (the job itself, or its origin). */
#define ROOT_OF(t) "(CASE WHEN " t ".origin>0 THEN " t ".origin ELSE " t ".id END)"
/* States in which a job of a family stands in the way of a reprint. */
#define LIVE_OR_PRINTED "(0,1,2,3,5)"
_Static_assert(JOURNAL_QUEUED == 0 && JOURNAL_SENDING == 1 && JOURNAL_SENT == 2 &&
                   JOURNAL_CONFIRMED == 3 && JOURNAL_HELD == 5,
               "LIVE_OR_PRINTED and family() spell the states as numbers");

int journal_recent(struct journal *j, unsigned kinds, struct journal_entry *rows, int max)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db,
                           "SELECT p.id, p.kind, p.state, p.key, p.attempts, p.ext_id, p.created,"
                           " p.updated, p.reason, p.origin, EXISTS(SELECT 1 FROM print_jobs f"
                           " WHERE f.id<>p.id AND " ROOT_OF("f") "=" ROOT_OF(
                               "p") " AND f.state IN " LIVE_OR_PRINTED ")"
                                    " FROM print_jobs p WHERE ((1 << p.kind) & ?) <> 0"
                                    " ORDER BY p.id DESC LIMIT ?",
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
        e->reason = (enum journal_reason)sqlite3_column_int(st, 8);
        e->origin = sqlite3_column_int64(st, 9);
        e->reprinted = sqlite3_column_int(st, 10) != 0;
    }
    sqlite3_finalize(st);
    return s == SQLITE_ROW || s == SQLITE_DONE ? n : ERR_IO;
}

/* The family of root: 1 with *id when a job of it is live (ERR_BUSY's),
 * 2 when one printed, 0 neither, ERR_IO. */
static int family(struct journal *j, int64_t root, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db,
                           "SELECT id, state FROM print_jobs WHERE (id=? OR origin=?)"
                           " AND state IN " LIVE_OR_PRINTED " ORDER BY state=3 DESC, id DESC"
                           " LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int64(st, 1, root);
    sqlite3_bind_int64(st, 2, root);
    int s = sqlite3_step(st), rc = s == SQLITE_DONE ? 0 : ERR_IO;
    if (s == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        rc = sqlite3_column_int(st, 1) == JOURNAL_CONFIRMED ? 2 : 1;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The number of jobs of family root (itself and its reprints), ERR_IO. */
static int family_size(struct journal *j, int64_t root)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(j->db, "SELECT count(*) FROM print_jobs WHERE id=? OR origin=?", -1, &st,
                           NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int64(st, 1, root);
    sqlite3_bind_int64(st, 2, root);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : ERR_IO;
    sqlite3_finalize(st);
    return n;
}

int journal_reprint(struct journal *j, int64_t id, int64_t deadline, int64_t *new_id)
{
    struct journal_job *job = malloc(sizeof *job);
    struct journal_job *first = malloc(sizeof *first);
    int rc = !job || !first                                                          ? ERR_NOMEM
             : sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0
                                                                                     : ERR_IO;
    bool in_tx = !rc;
    if (!rc)
        rc = journal_get(j, id, job);
    if (!rc && job->state != JOURNAL_FAILED && job->state != JOURNAL_EXPIRED)
        rc = job->state == JOURNAL_CONFIRMED ? ERR_REJECTED : ERR_INVALID;
    int64_t root = !rc && job->origin > 0 ? job->origin : id;
    if (!rc) {
        int f = family(j, root, new_id);
        rc = f < 0 ? f : f == 1 ? ERR_BUSY : f == 2 ? ERR_REJECTED : 0;
    }
    if (!rc)
        rc = root == id ? 0 : journal_get(j, root, first);
    int size = rc ? 0 : family_size(j, root);
    if (!rc && size < 0)
        rc = size;
    if (!rc) {
        char uid[JOURNAL_KEY_MAX + 16];
        snprintf(uid, sizeof uid, "%s/r%d", root == id ? job->uid : first->uid, size);
        if (strlen(uid) >= JOURNAL_KEY_MAX)
            snprintf(uid, sizeof uid, "job-%lld/r%d", (long long)root, size);
        struct journal_new n = {.kind = job->kind,
                                .uid = uid,
                                .key = job->key,
                                .payload = job->payload,
                                .deadline = deadline};
        rc = insert(j, &n, root, new_id);
    }
    if (in_tx && sqlite3_exec(j->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK &&
        !rc) {
        log_err("journal", "cannot commit a reprint: %s", sqlite3_errmsg(j->db));
        sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
        rc = ERR_IO;
    }
    free(job);
    free(first);
    return rc;
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
    if (sqlite3_prepare_v2(j->db, "DELETE FROM print_jobs WHERE state IN (?,?,?) AND updated<?", -1,
                           &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_int(st, 1, JOURNAL_CONFIRMED);
    sqlite3_bind_int(st, 2, JOURNAL_FAILED);
    sqlite3_bind_int(st, 3, JOURNAL_EXPIRED);
    sqlite3_bind_int64(st, 4, before_s);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(j->db) : ERR_IO;
    sqlite3_finalize(st);
    return rc;
}
