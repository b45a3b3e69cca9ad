/* registry_store_impl.h - what the two implementations of registry_store.h
 * (store_sqlite.c, store_pg.c) fill in, and registry_store.c calls. Not for
 * use outside those three files.
 */
#ifndef REGISTRY_STORE_IMPL_H
#define REGISTRY_STORE_IMPL_H

#include "registry/registry_store.h"

#include <stdbool.h>
#include <stdint.h>

enum store_type { STORE_TEXT, STORE_INT64, STORE_BLOB, STORE_NULL };

/* One backend. Every member is called by the thread that holds the
 * connection, blocks at most as long as the database takes (PostgreSQL:
 * statement_timeout), and is required. */
struct store_ops {
    bool postgres;
    void (*close)(struct store *db);
    /* Statements with no rows wanted; logs a failure. 0 or ERR_IO. */
    int (*exec)(struct store *db, const char *sql);
    /* The schema in SQLite's words, translated and run under the lock. */
    int (*schema)(struct store *db, const char *sql);
    int (*begin_immediate)(struct store *db);
    int (*prepare)(struct store *db, const char *sql, struct store_stmt **out);
    int (*step)(struct store_stmt *st);
    void (*reset)(struct store_stmt *st);
    void (*finalize)(struct store_stmt *st);
    /* p: the text (NUL-terminated, n unused), the blob (n bytes) or NULL;
     * v: the integer. Copies. */
    void (*bind)(struct store_stmt *st, int i, enum store_type t, const void *p, int64_t v);
    const char *(*column_text)(struct store_stmt *st, int i);
    int64_t (*column_int64)(struct store_stmt *st, int i);
    bool (*column_is_null)(struct store_stmt *st, int i);
    const void *(*column_blob)(struct store_stmt *st, int i, int *bytes);
    int (*changes)(struct store *db);
    const char *(*errmsg)(struct store *db);
};

/* The first member of each backend's connection and statement. */
struct store {
    const struct store_ops *ops;
};
struct store_stmt {
    struct store *db;
};

/* Each backend's opener: 0 or ERR_IO (logged). */
int store_sqlite_open(const char *path, struct store **out);
int store_pg_open(const char *url, struct store **out);

#endif
