/* registry_store.c - registry_store.h's calls, handed to the backend the
 * connection was opened with (store_sqlite.c or store_pg.c).
 */
#include "registry/registry_store.h"

#include "registry/registry_store_impl.h"

#include <stddef.h>
#include <string.h>

bool store_is_postgres_target(const char *target)
{
    return target &&
           (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0);
}

int store_open(const char *target, struct store **out)
{
    *out = NULL;
    return store_is_postgres_target(target) ? store_pg_open(target, out)
                                            : store_sqlite_open(target, out);
}

void store_close(struct store *db)
{
    if (db)
        db->ops->close(db);
}

bool store_is_postgres(const struct store *db)
{
    return db->ops->postgres;
}

int store_exec(struct store *db, const char *sql)
{
    return db->ops->exec(db, sql);
}

int store_schema(struct store *db, const char *sql)
{
    return db->ops->schema(db, sql);
}

int store_begin(struct store *db)
{
    return db->ops->exec(db, "BEGIN");
}

int store_begin_immediate(struct store *db)
{
    return db->ops->begin_immediate(db);
}

int store_commit(struct store *db)
{
    return db->ops->exec(db, "COMMIT");
}

int store_rollback(struct store *db)
{
    return db->ops->exec(db, "ROLLBACK");
}

int store_prepare(struct store *db, const char *sql, struct store_stmt **out)
{
    *out = NULL;
    return db->ops->prepare(db, sql, out);
}

int store_step(struct store_stmt *st)
{
    return st->db->ops->step(st);
}

void store_reset(struct store_stmt *st)
{
    st->db->ops->reset(st);
}

void store_finalize(struct store_stmt *st)
{
    if (st)
        st->db->ops->finalize(st);
}

void store_bind_text(struct store_stmt *st, int i, const char *s)
{
    st->db->ops->bind(st, i, STORE_TEXT, s, 0);
}

void store_bind_int64(struct store_stmt *st, int i, int64_t v)
{
    st->db->ops->bind(st, i, STORE_INT64, NULL, v);
}

void store_bind_int(struct store_stmt *st, int i, int v)
{
    st->db->ops->bind(st, i, STORE_INT64, NULL, v);
}

void store_bind_blob(struct store_stmt *st, int i, const void *p, int n)
{
    st->db->ops->bind(st, i, STORE_BLOB, p ? p : "", n < 0 ? 0 : n);
}

void store_bind_null(struct store_stmt *st, int i)
{
    st->db->ops->bind(st, i, STORE_NULL, NULL, 0);
}

const char *store_column_text(struct store_stmt *st, int i)
{
    return st->db->ops->column_text(st, i);
}

int64_t store_column_int64(struct store_stmt *st, int i)
{
    return st->db->ops->column_int64(st, i);
}

int store_column_int(struct store_stmt *st, int i)
{
    return (int)st->db->ops->column_int64(st, i);
}

bool store_column_is_null(struct store_stmt *st, int i)
{
    return st->db->ops->column_is_null(st, i);
}

const void *store_column_blob(struct store_stmt *st, int i)
{
    int n;
    return st->db->ops->column_blob(st, i, &n);
}

int store_column_bytes(struct store_stmt *st, int i)
{
    int n;
    st->db->ops->column_blob(st, i, &n);
    return n;
}

int store_changes(struct store *db)
{
    return db->ops->changes(db);
}

const char *store_errmsg(struct store *db)
{
    return db->ops->errmsg(db);
}
