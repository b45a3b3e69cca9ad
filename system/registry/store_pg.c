/* store_pg.c - registry_store.h on PostgreSQL through libpq: one
 * connection per registry process, used under the registry's lock.
 *
 * DESIGN: a statement keeps its SQL with `?`/`?N` rewritten to $N and runs
 * through PQexecParams when stepped: text and integers as typed text
 * (text, int8), blobs as binary bytea, so no value is ever spliced into
 * SQL. Rows come back as text; integers are parsed, booleans read 1/0,
 * bytea is unescaped on demand. The write lock of store_begin_immediate
 * is a transaction-scoped advisory lock (REGISTRY_LOCK_KEY): every
 * registry process on the database takes the same one before it counts
 * and inserts, so two never hand out the same slot or number, and the lock
 * goes with COMMIT or ROLLBACK. The schema is translated from SQLite's
 * words (AUTOINCREMENT -> identity, INTEGER -> BIGINT, BLOB -> BYTEA,
 * PRAGMA dropped) and created under the same lock. A statement waits at
 * most 10 s (statement_timeout); a lost connection is reset once before
 * the next statement. Errors are logged by SQLSTATE and primary message
 * only: PostgreSQL's details may quote the values (a citizen's).
 */
#include "registry/registry_store_impl.h"

#include "base/err.h"
#include "base/log.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARAMS_MAX        32
#define REGISTRY_LOCK_KEY 0x62646372 /* "bdcr" */
#define OID_BOOL          16
#define OID_BYTEA         17
#define OID_INT8          20
#define OID_TEXT          25

struct pg_store {
    struct store base;
    PGconn *conn;
    int changes;
    char err[256];
};

struct pg_stmt {
    struct store_stmt base;
    char *sql; /* with $N */
    int nparams;
    char *vals[PARAMS_MAX];
    int lens[PARAMS_MAX];
    int fmts[PARAMS_MAX];
    Oid types[PARAMS_MAX];
    PGresult *res;
    int row, rows;
    unsigned char *blob; /* column blob_col of the current row, unescaped */
    size_t blob_len;
    int blob_col;
};

static struct pg_store *pg_of(struct store *db)
{
    return (struct pg_store *)db;
}

static struct pg_stmt *stmt_of(struct store_stmt *st)
{
    return (struct pg_stmt *)st;
}

/* Keeps the SQLSTATE and the primary message, cut before any quoted value. */
static void remember_error(struct pg_store *p, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg)
        msg = PQerrorMessage(p->conn);
    const char *quote = strstr(msg, ": \"");
    int n = quote ? (int)(quote - msg) : (int)strcspn(msg, "\n");
    snprintf(p->err, sizeof p->err, "%s %.*s", state ? state : "-----", n, msg);
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* NOTICEs of CREATE ... IF NOT EXISTS */
}

static int session_setup(struct pg_store *p)
{
    PQsetNoticeProcessor(p->conn, quiet, NULL);
    PGresult *res = PQexec(p->conn, "SET statement_timeout = 10000;"
                                    " SET client_min_messages = warning");
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : ERR_IO;
    if (rc < 0)
        remember_error(p, res);
    PQclear(res);
    return rc;
}

/* A connection lost between statements is reset once (not inside a
 * transaction: that one is gone with it, and its next statement fails). */
static void revive(struct pg_store *p)
{
    if (PQstatus(p->conn) == CONNECTION_OK)
        return;
    log_warn("registry", "postgres: connection lost; reconnecting");
    PQreset(p->conn);
    if (PQstatus(p->conn) == CONNECTION_OK)
        session_setup(p);
}

static void pg_close(struct store *db)
{
    PQfinish(pg_of(db)->conn);
    free(db);
}

static int pg_exec(struct store *db, const char *sql)
{
    struct pg_store *p = pg_of(db);
    revive(p);
    PGresult *res = PQexec(p->conn, sql);
    ExecStatusType s = PQresultStatus(res);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : ERR_IO;
    /* COMMIT of a transaction a statement failed in rolls back, and says
     * so only in its tag: that is no commit. */
    if (rc == 0 && strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "COMMIT") != 0) {
        snprintf(p->err, sizeof p->err, "the transaction was rolled back");
        log_err("registry", "postgres: %s", p->err);
        PQclear(res);
        return ERR_IO;
    }
    if (rc < 0) {
        remember_error(p, res);
        log_err("registry", "postgres: %s", p->err);
    } else {
        const char *changed = PQcmdTuples(res);
        p->changes = changed[0] ? atoi(changed) : 0;
    }
    PQclear(res);
    return rc;
}

static int pg_begin_immediate(struct store *db)
{
    char sql[96];
    if (pg_exec(db, "BEGIN") < 0)
        return ERR_IO;
    snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d)", REGISTRY_LOCK_KEY);
    if (pg_exec(db, sql) < 0) {
        pg_exec(db, "ROLLBACK");
        return ERR_IO;
    }
    return 0;
}

/* in with every from replaced by to; owned, NULL when out of memory. */
static char *replace_all(const char *in, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), hits = 0;
    for (const char *h = strstr(in, from); h; h = strstr(h + fl, from))
        hits++;
    char *out = malloc(strlen(in) + hits * (tl > fl ? tl - fl : 0) + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *h; (h = strstr(in, from)) != NULL; in = h + fl) {
        memcpy(o, in, (size_t)(h - in));
        o += h - in;
        memcpy(o, to, tl);
        o += tl;
    }
    memcpy(o, in, strlen(in) + 1);
    return out;
}

/* The schema in PostgreSQL's words; owned, NULL when out of memory. */
static char *pg_translate_schema(const char *sql)
{
    static const char *const words[][2] = {
        {"INTEGER PRIMARY KEY AUTOINCREMENT",
         "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"INTEGER", "BIGINT"},
        {"BLOB", "BYTEA"},
    };
    char *s = malloc(strlen(sql) + 1), *o = s;
    if (!s)
        return NULL;
    while (*sql) { /* PRAGMA statements dropped */
        size_t n = strcspn(sql, ";");
        n += sql[n] == ';';
        if (strncmp(sql, "PRAGMA", 6) != 0) {
            memcpy(o, sql, n);
            o += n;
        }
        sql += n;
    }
    *o = '\0';
    for (size_t i = 0; s && i < sizeof words / sizeof words[0]; i++) {
        char *t = replace_all(s, words[i][0], words[i][1]);
        free(s);
        s = t;
    }
    return s;
}

static int pg_schema(struct store *db, const char *sql)
{
    char *pg = pg_translate_schema(sql);
    int rc = pg ? pg_begin_immediate(db) : ERR_NOMEM;
    if (rc == 0) {
        rc = pg_exec(db, pg);
        pg_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK");
    }
    free(pg);
    return rc;
}

/* sql with `?` numbered in order and `?N` as $N, outside quotes. */
static char *pg_translate_params(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = malloc(4 * n + 1), *o = out;
    if (!out)
        return NULL;
    int next = 0, max = 0;
    char quote = 0;
    for (const char *s = sql; *s; s++) {
        if (quote) {
            quote = *s == quote ? 0 : quote;
        } else if (*s == '\'' || *s == '"') {
            quote = *s;
        } else if (*s == '?') {
            int k;
            if (s[1] >= '0' && s[1] <= '9') {
                k = (int)strtol(s + 1, (char **)&s, 10);
                s--;
            } else {
                k = ++next;
            }
            max = k > max ? k : max;
            o += sprintf(o, "$%d", k);
            continue;
        }
        *o++ = *s;
    }
    *o = '\0';
    *nparams = max;
    return out;
}

static int pg_prepare(struct store *db, const char *sql, struct store_stmt **out)
{
    struct pg_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return ERR_NOMEM;
    s->sql = pg_translate_params(sql, &s->nparams);
    if (!s->sql || s->nparams > PARAMS_MAX) {
        snprintf(pg_of(db)->err, sizeof pg_of(db)->err, "statement has too many parameters");
        free(s->sql);
        free(s);
        return ERR_IO;
    }
    for (int i = 0; i < s->nparams; i++)
        s->types[i] = OID_TEXT;
    s->base.db = db;
    s->row = -1;
    s->blob_col = -1;
    *out = &s->base;
    return 0;
}

static void drop_result(struct pg_stmt *s)
{
    PQclear(s->res);
    s->res = NULL;
    PQfreemem(s->blob);
    s->blob = NULL;
    s->blob_col = -1;
    s->row = -1;
    s->rows = 0;
}

static int pg_step(struct store_stmt *st)
{
    struct pg_stmt *s = stmt_of(st);
    struct pg_store *p = pg_of(st->db);
    if (s->res) {
        PQfreemem(s->blob);
        s->blob = NULL;
        s->blob_col = -1;
        return ++s->row < s->rows ? STORE_ROW : STORE_DONE;
    }
    revive(p);
    s->res = PQexecParams(p->conn, s->sql, s->nparams, s->types, (const char *const *)s->vals,
                          s->lens, s->fmts, 0);
    ExecStatusType status = PQresultStatus(s->res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        remember_error(p, s->res);
        drop_result(s);
        return ERR_IO;
    }
    const char *changed = PQcmdTuples(s->res);
    p->changes = changed[0] ? atoi(changed) : 0;
    s->rows = PQntuples(s->res);
    s->row = 0;
    return s->rows > 0 ? STORE_ROW : STORE_DONE;
}

static void pg_reset(struct store_stmt *st)
{
    drop_result(stmt_of(st));
}

static void pg_finalize(struct store_stmt *st)
{
    struct pg_stmt *s = stmt_of(st);
    drop_result(s);
    for (int i = 0; i < PARAMS_MAX; i++)
        free(s->vals[i]);
    free(s->sql);
    free(s);
}

static void pg_bind(struct store_stmt *st, int i, enum store_type t, const void *p, int64_t v)
{
    struct pg_stmt *s = stmt_of(st);
    if (i < 1 || i > s->nparams)
        return;
    i--;
    free(s->vals[i]);
    s->vals[i] = NULL;
    s->lens[i] = 0;
    s->fmts[i] = 0;
    s->types[i] = OID_TEXT;
    char num[24];
    switch (t) {
    case STORE_TEXT: /* NULL p: a NULL of type text */
        s->vals[i] = p ? strdup(p) : NULL;
        break;
    case STORE_INT64:
        snprintf(num, sizeof num, "%lld", (long long)v);
        s->vals[i] = strdup(num);
        s->types[i] = OID_INT8;
        break;
    case STORE_BLOB:
        s->vals[i] = malloc(v > 0 ? (size_t)v : 1);
        if (s->vals[i] && v > 0)
            memcpy(s->vals[i], p, (size_t)v);
        s->lens[i] = (int)v;
        s->fmts[i] = 1;
        s->types[i] = OID_BYTEA;
        break;
    case STORE_NULL:
        s->types[i] = 0; /* a NULL of whatever type the statement needs there */
        break;
    }
}

static bool in_row(const struct pg_stmt *s, int i)
{
    return s->res && s->row >= 0 && s->row < s->rows && i >= 0 && i < PQnfields(s->res);
}

static bool pg_column_is_null(struct store_stmt *st, int i)
{
    struct pg_stmt *s = stmt_of(st);
    return !in_row(s, i) || PQgetisnull(s->res, s->row, i);
}

static const char *pg_column_text(struct store_stmt *st, int i)
{
    struct pg_stmt *s = stmt_of(st);
    return pg_column_is_null(st, i) ? NULL : PQgetvalue(s->res, s->row, i);
}

static int64_t pg_column_int64(struct store_stmt *st, int i)
{
    struct pg_stmt *s = stmt_of(st);
    const char *v = pg_column_text(st, i);
    if (!v)
        return 0;
    if (PQftype(s->res, i) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const void *pg_column_blob(struct store_stmt *st, int i, int *bytes)
{
    struct pg_stmt *s = stmt_of(st);
    *bytes = 0;
    const char *v = pg_column_text(st, i);
    if (!v)
        return NULL;
    if (PQftype(s->res, i) != OID_BYTEA) {
        *bytes = PQgetlength(s->res, s->row, i);
        return v;
    }
    if (s->blob_col != i) {
        PQfreemem(s->blob);
        s->blob = PQunescapeBytea((const unsigned char *)v, &s->blob_len);
        s->blob_col = s->blob ? i : -1;
    }
    *bytes = s->blob ? (int)s->blob_len : 0;
    return s->blob;
}

static int pg_changes(struct store *db)
{
    return pg_of(db)->changes;
}

static const char *pg_errmsg(struct store *db)
{
    return pg_of(db)->err;
}

static const struct store_ops pg_ops = {
    .postgres = true,
    .close = pg_close,
    .exec = pg_exec,
    .schema = pg_schema,
    .begin_immediate = pg_begin_immediate,
    .prepare = pg_prepare,
    .step = pg_step,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .bind = pg_bind,
    .column_text = pg_column_text,
    .column_int64 = pg_column_int64,
    .column_is_null = pg_column_is_null,
    .column_blob = pg_column_blob,
    .changes = pg_changes,
    .errmsg = pg_errmsg,
};

int store_pg_open(const char *url, struct store **out)
{
    struct pg_store *p = calloc(1, sizeof *p);
    if (!p)
        return ERR_NOMEM;
    p->base.ops = &pg_ops;
    p->conn = PQconnectdb(url);
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
        /* libpq's message names host and database, never the password. */
        log_err("registry", "cannot connect to PostgreSQL: %s",
                p->conn ? PQerrorMessage(p->conn) : "out of memory");
        PQfinish(p->conn);
        free(p);
        return ERR_IO;
    }
    if (session_setup(p) < 0) {
        log_err("registry", "postgres: %s", p->err);
        PQfinish(p->conn);
        free(p);
        return ERR_IO;
    }
    *out = &p->base;
    return 0;
}
