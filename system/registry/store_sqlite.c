/* store_sqlite.c - registry_store.h on SQLite: a file or :memory:, the
 * registry's embedded default. The write lock is SQLite's own (BEGIN
 * IMMEDIATE); a busy database is waited for up to 2 s. A file is kept in
 * WAL mode with synchronous=NORMAL: a commit appends to the log and is not
 * synced (the log is, at each checkpoint), so writes under the registry's
 * lock do not wait on the disk; a power cut may lose the last commits,
 * never the database's integrity.
 */
#include "registry/registry_store_impl.h"

#include "base/err.h"
#include "base/log.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct sqlite_store {
    struct store base;
    sqlite3 *db;
};

struct sqlite_stmt {
    struct store_stmt base;
    sqlite3_stmt *st;
};

static sqlite3 *handle(struct store *db)
{
    return ((struct sqlite_store *)db)->db;
}

static sqlite3_stmt *stmt_of(struct store_stmt *st)
{
    return ((struct sqlite_stmt *)st)->st;
}

static void sq_close(struct store *db)
{
    sqlite3_close(handle(db));
    free(db);
}

static int sq_exec(struct store *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(handle(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_err("registry", "sqlite: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return ERR_IO;
    }
    return 0;
}

static int sq_begin_immediate(struct store *db)
{
    return sq_exec(db, "BEGIN IMMEDIATE");
}

static int sq_prepare(struct store *db, const char *sql, struct store_stmt **out)
{
    struct sqlite_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return ERR_NOMEM;
    if (sqlite3_prepare_v2(handle(db), sql, -1, &s->st, NULL) != SQLITE_OK) {
        sqlite3_finalize(s->st);
        free(s);
        return ERR_IO;
    }
    s->base.db = db;
    *out = &s->base;
    return 0;
}

static int sq_step(struct store_stmt *st)
{
    int rc = sqlite3_step(stmt_of(st));
    return rc == SQLITE_ROW ? STORE_ROW : rc == SQLITE_DONE ? STORE_DONE : ERR_IO;
}

static void sq_reset(struct store_stmt *st)
{
    sqlite3_reset(stmt_of(st));
}

static void sq_finalize(struct store_stmt *st)
{
    sqlite3_finalize(stmt_of(st));
    free(st);
}

static void sq_bind(struct store_stmt *st, int i, enum store_type t, const void *p, int64_t v)
{
    sqlite3_stmt *s = stmt_of(st);
    switch (t) {
    case STORE_TEXT: /* NULL p binds NULL */
        sqlite3_bind_text(s, i, p, -1, SQLITE_TRANSIENT);
        break;
    case STORE_INT64:
        sqlite3_bind_int64(s, i, v);
        break;
    case STORE_BLOB:
        sqlite3_bind_blob(s, i, p, (int)v, SQLITE_TRANSIENT);
        break;
    case STORE_NULL:
        sqlite3_bind_null(s, i);
        break;
    }
}

static const char *sq_column_text(struct store_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(stmt_of(st), i);
}

static int64_t sq_column_int64(struct store_stmt *st, int i)
{
    return sqlite3_column_int64(stmt_of(st), i);
}

static bool sq_column_is_null(struct store_stmt *st, int i)
{
    return sqlite3_column_type(stmt_of(st), i) == SQLITE_NULL;
}

static const void *sq_column_blob(struct store_stmt *st, int i, int *bytes)
{
    const void *p = sqlite3_column_blob(stmt_of(st), i);
    *bytes = sqlite3_column_bytes(stmt_of(st), i);
    return p;
}

static int sq_changes(struct store *db)
{
    return sqlite3_changes(handle(db));
}

static const char *sq_errmsg(struct store *db)
{
    return sqlite3_errmsg(handle(db));
}

static const struct store_ops sqlite_ops = {
    .postgres = false,
    .close = sq_close,
    .exec = sq_exec,
    .schema = sq_exec, /* the schema is written in SQLite's words */
    .begin_immediate = sq_begin_immediate,
    .prepare = sq_prepare,
    .step = sq_step,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .bind = sq_bind,
    .column_text = sq_column_text,
    .column_int64 = sq_column_int64,
    .column_is_null = sq_column_is_null,
    .column_blob = sq_column_blob,
    .changes = sq_changes,
    .errmsg = sq_errmsg,
};

/* An in-memory database: ":memory:", or a URI naming one. */
static bool is_memory(const char *path)
{
    return strcmp(path, ":memory:") == 0 || strcmp(path, "") == 0 ||
           strstr(path, "mode=memory") != NULL;
}

int store_sqlite_open(const char *path, struct store **out)
{
    struct sqlite_store *s = calloc(1, sizeof *s);
    if (!s)
        return ERR_NOMEM;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        log_err("registry", "cannot open database %s: %s", path,
                s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        free(s);
        return ERR_IO;
    }
    sqlite3_busy_timeout(s->db, 2000);
    if (!is_memory(path)) {
        /* journal_mode answers with a row: read through sqlite3_exec. */
        char *msg = NULL;
        if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL, NULL,
                         &msg) != SQLITE_OK)
            log_warn("registry", "sqlite: cannot use WAL: %s", msg ? msg : "error");
        sqlite3_free(msg);
    }
    s->base.ops = &sqlite_ops;
    *out = &s->base;
    return 0;
}
