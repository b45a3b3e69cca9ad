/* registry_store.h - the registry's database behind one small SQL-level
 * interface: SQLite (store_sqlite.c, the embedded default: a file or
 * :memory:) or PostgreSQL through libpq (store_pg.c: a target that starts
 * with postgres:// or postgresql://).
 *
 * The SQL the handlers write is the common ground of both: `?` and `?N`
 * placeholders (rewritten to $N for PostgreSQL), INSERT ... ON CONFLICT,
 * RETURNING. The schema is written once in SQLite's words and translated
 * by store_schema (AUTOINCREMENT, INTEGER, BLOB, PRAGMA).
 *
 * A connection belongs to one thread at a time (the registry's lock); a
 * statement belongs to its connection. Text bound is copied; text and
 * blobs returned live until the next step, reset or finalize.
 */
#ifndef REGISTRY_STORE_H
#define REGISTRY_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct store;
struct store_stmt;

/* store_step's answers besides a negative error. */
#define STORE_ROW  1
#define STORE_DONE 0

/* Whether target names a PostgreSQL database (postgres://, postgresql://). */
bool store_is_postgres_target(const char *target);

/* Opens the database target names (a PostgreSQL URL, else a SQLite path
 * or :memory:). 0 or ERR_IO (logged, without the URL's password); *out is
 * owned by the caller (store_close). */
int store_open(const char *target, struct store **out);
/* Closes; NULL is a no-op. */
void store_close(struct store *db);
bool store_is_postgres(const struct store *db);

/* Runs statements with no rows wanted (housekeeping). 0 or ERR_IO. */
int store_exec(struct store *db, const char *sql);
/* Creates what the schema sql (SQLite's words, CREATE ... IF NOT EXISTS)
 * describes, translated for the backend, under the write lock so that
 * processes starting together do not trip over each other. 0 or ERR_IO. */
int store_schema(struct store *db, const char *sql);

/* A transaction that reads and writes. begin_immediate takes the database's
 * one write lock first (SQLite: BEGIN IMMEDIATE; PostgreSQL: a
 * transaction-scoped advisory lock), so a count and the insert it allows
 * are one step for every process on the database. 0 or ERR_IO. */
int store_begin(struct store *db);
int store_begin_immediate(struct store *db);
int store_commit(struct store *db);
int store_rollback(struct store *db);

/* Prepares one statement. 0 or ERR_IO. */
int store_prepare(struct store *db, const char *sql, struct store_stmt **out);
/* STORE_ROW, STORE_DONE or ERR_IO. After STORE_DONE, store_reset before
 * running it again. */
int store_step(struct store_stmt *st);
/* Ready to run again; bindings stay. */
void store_reset(struct store_stmt *st);
/* NULL is a no-op. */
void store_finalize(struct store_stmt *st);

/* Parameters count from 1, as `?N` does. Copied. Text NULL is a NULL
 * of type text (for `?1 IS NULL OR col = ?1`); store_bind_null's NULL
 * takes the type the statement needs there. */
void store_bind_text(struct store_stmt *st, int i, const char *s);
void store_bind_int64(struct store_stmt *st, int i, int64_t v);
void store_bind_int(struct store_stmt *st, int i, int v);
void store_bind_blob(struct store_stmt *st, int i, const void *p, int n);
void store_bind_null(struct store_stmt *st, int i);

/* Columns of the current row count from 0. A NULL reads as NULL text, 0,
 * or an empty blob. */
const char *store_column_text(struct store_stmt *st, int i);
int64_t store_column_int64(struct store_stmt *st, int i);
int store_column_int(struct store_stmt *st, int i);
bool store_column_is_null(struct store_stmt *st, int i);
const void *store_column_blob(struct store_stmt *st, int i);
int store_column_bytes(struct store_stmt *st, int i);

/* Rows the last INSERT, UPDATE or DELETE changed. */
int store_changes(struct store *db);
/* The last error, for logs (never holds bound values). */
const char *store_errmsg(struct store *db);

#endif
