/* registry_store_test.c - registry_store.h on the database of
 * BDC_TEST_DB (PostgreSQL, through tests/pg_cluster.sh run) or, without
 * it, SQLite in memory: the same calls give the same answers. Placeholders
 * (`?`, `?N`, a `?` inside quotes left alone), text, 64-bit integers, NULL,
 * blobs with NUL bytes, the schema's translation, RETURNING of an
 * identity, upserts, changes, rollback; on PostgreSQL a COMMIT that rolled
 * back is an error. On SQLite, a file is in WAL mode with synchronous
 * NORMAL, memory as it was.
 */
#include "base/err.h"
#include "registry/registry_store.h"
#include "check.h"
#include "../e2e/registry_test_db.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char schema[] = "PRAGMA foreign_keys = ON;"
                             "CREATE TABLE IF NOT EXISTS t("
                             " id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,"
                             " n INTEGER, data BLOB);";

/* The one integer a query answers; -1 on error. */
static int64_t one(struct store *db, const char *sql, const char *arg)
{
    struct store_stmt *st = NULL;
    int64_t v = -1;
    if (store_prepare(db, sql, &st) == 0) {
        if (arg)
            store_bind_text(st, 1, arg);
        if (store_step(st) == STORE_ROW)
            v = store_column_int64(st, 0);
    }
    store_finalize(st);
    return v;
}

static void test_values(struct store *db)
{
    static const unsigned char blob[] = {0x00, 0xff, 'a', 0x00, '\\', 'x'};
    struct store_stmt *st = NULL;
    CHECK_EQ_INT(
        store_prepare(db, "INSERT INTO t(name, n, data) VALUES(?, ?, ?) RETURNING id", &st), 0);
    if (!st)
        return;
    int64_t ids[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        store_reset(st);
        store_bind_text(st, 1, i ? "b'?'" : "a");
        if (i)
            store_bind_null(st, 2);
        else
            store_bind_int64(st, 2, INT64_C(1) << 40);
        store_bind_blob(st, 3, blob, (int)sizeof blob);
        int step = store_step(st);
        CHECK_EQ_INT(step, STORE_ROW);
        if (step < 0)
            fprintf(stderr, "insert: %s\n", store_errmsg(db));
        ids[i] = store_column_int64(st, 0);
        CHECK_EQ_INT(store_step(st), STORE_DONE);
    }
    store_finalize(st);
    CHECK(ids[0] > 0 && ids[1] == ids[0] + 1);

    /* ?N used twice; a ? inside quotes is text. */
    st = NULL;
    CHECK_EQ_INT(store_prepare(db,
                               "SELECT name, n, data, '?' FROM t WHERE (?1 IS NULL OR name = ?1)"
                               " AND id >= ?2 ORDER BY id",
                               &st),
                 0);
    if (!st)
        return;
    store_bind_text(st, 1, "b'?'");
    store_bind_int(st, 2, 1);
    CHECK_EQ_INT(store_step(st), STORE_ROW);
    CHECK_EQ_STR(store_column_text(st, 0), "b'?'");
    CHECK(store_column_is_null(st, 1));
    CHECK(store_column_text(st, 1) == NULL);
    CHECK_EQ_INT(store_column_int64(st, 1), 0);
    CHECK_EQ_INT(store_column_bytes(st, 2), (int)sizeof blob);
    const void *b = store_column_blob(st, 2);
    CHECK(b && memcmp(b, blob, sizeof blob) == 0);
    CHECK_EQ_STR(store_column_text(st, 3), "?");
    CHECK_EQ_INT(store_step(st), STORE_DONE);
    /* NULL text bound: every row. */
    store_reset(st);
    store_bind_text(st, 1, NULL);
    int rows = 0;
    while (store_step(st) == STORE_ROW)
        rows++;
    CHECK_EQ_INT(rows, 2);
    store_finalize(st);
    CHECK_EQ_INT(one(db, "SELECT n FROM t WHERE name = ?", "a"), INT64_C(1) << 40);
    CHECK_EQ_INT(one(db, "SELECT count(*) FROM t WHERE n IS NULL", NULL), 1);
    /* A comparison reads as 1 or 0 on both. */
    CHECK_EQ_INT(one(db, "SELECT n > 0 FROM t WHERE name = ?", "a"), 1);
}

static void test_upsert_changes(struct store *db)
{
    const char *sql = "INSERT INTO t(name, n) VALUES(?, 1) ON CONFLICT(name) DO UPDATE"
                      " SET n = t.n + 1 RETURNING n";
    CHECK_EQ_INT(one(db, sql, "c"), 1);
    CHECK_EQ_INT(one(db, sql, "c"), 2);
    CHECK_EQ_INT(store_exec(db, "UPDATE t SET n = 7 WHERE name <> 'c'"), 0);
    CHECK_EQ_INT(store_changes(db), 2);
    struct store_stmt *st = NULL;
    CHECK_EQ_INT(store_prepare(db, "DELETE FROM t WHERE name = ?", &st), 0);
    if (st) {
        store_bind_text(st, 1, "nobody");
        CHECK_EQ_INT(store_step(st), STORE_DONE);
        CHECK_EQ_INT(store_changes(db), 0);
    }
    store_finalize(st);
}

static void test_transactions(struct store *db)
{
    CHECK_EQ_INT(store_begin_immediate(db), 0);
    CHECK_EQ_INT(store_exec(db, "INSERT INTO t(name) VALUES('gone')"), 0);
    CHECK_EQ_INT(store_rollback(db), 0);
    CHECK_EQ_INT(one(db, "SELECT count(*) FROM t WHERE name = ?", "gone"), 0);
    CHECK_EQ_INT(store_begin(db), 0);
    CHECK_EQ_INT(store_exec(db, "INSERT INTO t(name) VALUES('kept')"), 0);
    CHECK_EQ_INT(store_commit(db), 0);
    CHECK_EQ_INT(one(db, "SELECT count(*) FROM t WHERE name = ?", "kept"), 1);
    /* A statement that fails: an error, and the connection still serves. */
    struct store_stmt *st = NULL;
    CHECK_EQ_INT(store_prepare(db, "INSERT INTO t(name) VALUES(?)", &st), 0);
    if (st) {
        store_bind_text(st, 1, "kept");
        CHECK(store_step(st) < 0);
        CHECK(store_errmsg(db)[0] != '\0');
        CHECK(strstr(store_errmsg(db), "kept") == NULL); /* never the values */
    }
    store_finalize(st);
    if (store_is_postgres(db)) {
        /* In PostgreSQL the failure spoils the transaction: its COMMIT
         * rolls back, and that is an error, not a commit. */
        CHECK_EQ_INT(store_begin_immediate(db), 0);
        CHECK_EQ_INT(store_exec(db, "INSERT INTO t(name) VALUES('lost')"), 0);
        CHECK(store_exec(db, "INSERT INTO t(name) VALUES('kept')") < 0);
        CHECK(store_commit(db) < 0);
        store_rollback(db);
        CHECK_EQ_INT(one(db, "SELECT count(*) FROM t WHERE name = ?", "lost"), 0);
    }
    CHECK_EQ_INT(one(db, "SELECT count(*) FROM t", NULL), 4);
}

/* The text of a PRAGMA's answer into out. */
static void pragma(struct store *db, const char *sql, char *out, size_t size)
{
    struct store_stmt *st = NULL;
    out[0] = '\0';
    if (store_prepare(db, sql, &st) == 0 && store_step(st) == STORE_ROW)
        snprintf(out, size, "%s", store_column_text(st, 0));
    store_finalize(st);
}

static void test_sqlite_file(void)
{
    char file[64] = "/tmp/registry_store_test.XXXXXX";
    int fd = mkstemp(file);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    struct store *db = NULL;
    CHECK_EQ_INT(store_open(file, &db), 0);
    char v[32];
    if (db) {
        pragma(db, "PRAGMA journal_mode", v, sizeof v);
        CHECK(strcmp(v, "wal") == 0);
        pragma(db, "PRAGMA synchronous", v, sizeof v);
        CHECK(strcmp(v, "1") == 0); /* NORMAL */
        store_close(db);
    }
    db = NULL;
    CHECK_EQ_INT(store_open(":memory:", &db), 0);
    if (db) {
        pragma(db, "PRAGMA journal_mode", v, sizeof v);
        CHECK(strcmp(v, "memory") == 0);
        store_close(db);
    }
    char side[80];
    unlink(file);
    snprintf(side, sizeof side, "%s-wal", file);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", file);
    unlink(side);
}

int main(void)
{
    const char *target = registry_test_db();
    CHECK_EQ_INT(store_is_postgres_target(target), strncmp(target, "postgres", 8) == 0);
    struct store *db = NULL;
    CHECK_EQ_INT(store_open(target, &db), 0);
    if (!db)
        return check_report("registry_store_test");
    CHECK_EQ_INT(store_is_postgres(db), store_is_postgres_target(target));
    CHECK_EQ_INT(store_schema(db, schema), 0);
    CHECK_EQ_INT(store_schema(db, schema), 0); /* IF NOT EXISTS: again is fine */
    test_values(db);
    test_upsert_changes(db);
    test_transactions(db);
    store_close(db);
    if (!store_is_postgres_target(target))
        test_sqlite_file();
    return check_report("registry_store_test");
}
