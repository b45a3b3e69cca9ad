/* staff_pins.c - the staff PINs and the lockout on SQLite; see
 * staff_pins.h.
 *
 * Two tables: pins (staff_no, hash) and lockout, one row (failures in a
 * row, lock level, locked-until). The file carries an application_id, so
 * another program's database given by mistake is refused instead of
 * gaining two tables. Open checks the file (quick_check) and every row;
 * after that a row is trusted as far as its hash text parses again.
 * A check reads the lock, hashes outside any transaction (the tool may set
 * a PIN meanwhile), then records its outcome in BEGIN IMMEDIATE ... COMMIT
 * over the lock read again. synchronous=FULL: an outcome the caller saw
 * survives a power cut. Caller's thread.
 */
#include "store/staff_pins.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MOD "staff"

#define APP_ID     1111771984 /* 0x42444b50, "BDKP": this store */
#define SCHEMA     1          /* user_version */
#define STR_(x)    #x
#define STR(x)     STR_(x)
#define SALT_LEN   16
#define KEY_LEN    32
#define PREFIX     "pbkdf2-sha256$"
#define HASH_TEXT  128 /* the longest hash text is 121 bytes and the NUL */
#define LEVEL_MAX  6   /* 60 s << 6 is past the hour: the cap */
#define WHAT_TO_DO "move the file away and set the PINs again (bdc-kiosk-tool staff set-pin)"

static const char schema[] =
    "BEGIN IMMEDIATE;"
    "CREATE TABLE pins("
    " staff_no TEXT PRIMARY KEY NOT NULL,"
    " hash TEXT NOT NULL);"
    "CREATE TABLE lockout("
    " id INTEGER PRIMARY KEY CHECK(id=1),"
    " failures INTEGER NOT NULL,"
    " level INTEGER NOT NULL,"
    " locked_until INTEGER NOT NULL);"
    "INSERT INTO lockout VALUES(1,0,0,0);"
    "PRAGMA application_id=" STR(APP_ID) ";"
                                         "PRAGMA user_version=" STR(SCHEMA) ";"
                                                                            "COMMIT;";

enum stmt {
    ST_COUNT,
    ST_LIST,
    ST_GET,
    ST_UPSERT,
    ST_REHASH,
    ST_REMOVE,
    ST_LOCK_GET,
    ST_LOCK_SET,
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_COUNT_OF
};

static const char *const sql[ST_COUNT_OF] = {
    [ST_COUNT] = "SELECT count(*) FROM pins",
    [ST_LIST] = "SELECT staff_no, hash FROM pins ORDER BY staff_no",
    [ST_GET] = "SELECT hash FROM pins WHERE staff_no=?",
    [ST_UPSERT] = "REPLACE INTO pins(staff_no, hash) VALUES(?,?)",
    [ST_REHASH] = "UPDATE pins SET hash=? WHERE staff_no=? AND hash=?",
    [ST_REMOVE] = "DELETE FROM pins WHERE staff_no=?",
    [ST_LOCK_GET] = "SELECT failures, level, locked_until FROM lockout WHERE id=1",
    [ST_LOCK_SET] = "UPDATE lockout SET failures=?, level=?, locked_until=? WHERE id=1",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
};

struct staff_pins {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT_OF];
};

struct lock_state {
    int failures, level;
    int64_t until;
};

/* A parsed hash text. */
struct pin_hash {
    int iter;
    unsigned char salt[SALT_LEN];
    unsigned char key[KEY_LEN];
};

/* ---- formats ---- */

bool staff_pins_no_valid(const char *s)
{
    size_t n = s ? strnlen(s, STAFF_NO_MAX) : 0;
    if (n == 0 || n == STAFF_NO_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= 'a' && s[i] <= 'z')))
            return false;
    return true;
}

bool staff_pins_pin_valid(const char *s)
{
    size_t n = s ? strnlen(s, STAFF_PIN_MAX + 1) : 0;
    if (n < STAFF_PIN_MIN || n > STAFF_PIN_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int hex_val(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Exactly 2*n lowercase hex digits at s into out; the end of them in
 * *end. */
static bool hex_decode(const char *s, unsigned char *out, size_t n, const char **end)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_val(s[2 * i]), lo = hi < 0 ? -1 : hex_val(s[2 * i + 1]);
        if (lo < 0)
            return false;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    *end = s + 2 * n;
    return true;
}

static void hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
}

/* "pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX": ITER in decimal without a
 * leading zero, within STAFF_PINS_ITER_MIN..MAX; hex in lowercase. */
static bool hash_parse(const char *text, struct pin_hash *out)
{
    if (!text || strncmp(text, PREFIX, sizeof PREFIX - 1) != 0)
        return false;
    const char *s = text + sizeof PREFIX - 1;
    long iter = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        if ((digits == 0 && *s == '0') || digits == 8)
            return false;
        iter = iter * 10 + (*s - '0');
    }
    if (digits == 0 || iter < STAFF_PINS_ITER_MIN || iter > STAFF_PINS_ITER_MAX || *s++ != '$')
        return false;
    out->iter = (int)iter;
    if (!hex_decode(s, out->salt, SALT_LEN, &s) || *s++ != '$' ||
        !hex_decode(s, out->key, KEY_LEN, &s) || *s != '\0') {
        explicit_bzero(out, sizeof *out);
        return false;
    }
    return true;
}

/* PBKDF2-HMAC-SHA256 of pin into key. */
static bool derive(const char *pin, const unsigned char *salt, int iter, unsigned char *key)
{
    return PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), salt, SALT_LEN, iter, EVP_sha256(), KEY_LEN,
                             key) == 1;
}

/* A fresh salt and the hash text of pin at STAFF_PINS_ITERATIONS into
 * text (HASH_TEXT bytes). */
static int hash_new(const char *pin, char *text)
{
    unsigned char salt[SALT_LEN], key[KEY_LEN];
    int rc = ERR_IO;
    if (RAND_bytes(salt, sizeof salt) == 1 && derive(pin, salt, STAFF_PINS_ITERATIONS, key)) {
        int n = snprintf(text, HASH_TEXT, PREFIX "%d$", STAFF_PINS_ITERATIONS);
        hex_encode(salt, SALT_LEN, text + n);
        text[n + 2 * SALT_LEN] = '$';
        hex_encode(key, KEY_LEN, text + n + 2 * SALT_LEN + 1);
        text[n + 2 * SALT_LEN + 1 + 2 * KEY_LEN] = '\0';
        rc = 0;
    }
    explicit_bzero(key, sizeof key);
    explicit_bzero(salt, sizeof salt);
    return rc;
}

/* Whether pin matches hash text (NULL: a stand-in of the current cost, so
 * an unknown staff number takes as long as a known one). *old (may be
 * NULL): the row's count is below this build's. */
static bool hash_matches(const char *pin, const char *text, bool *old)
{
    struct pin_hash h = {.iter = STAFF_PINS_ITERATIONS};
    unsigned char key[KEY_LEN];
    bool known = text && hash_parse(text, &h);
    if (!known)
        h.iter = STAFF_PINS_ITERATIONS;
    bool match =
        derive(pin, h.salt, h.iter, key) && known && CRYPTO_memcmp(key, h.key, KEY_LEN) == 0;
    if (old)
        *old = h.iter < STAFF_PINS_ITERATIONS;
    explicit_bzero(key, sizeof key);
    explicit_bzero(&h, sizeof h);
    return match;
}

static int64_t lock_s(int level)
{
    int64_t s = (int64_t)STAFF_LOCK_FIRST_S << (level < LEVEL_MAX ? level : LEVEL_MAX);
    return s < STAFF_LOCK_MAX_S ? s : STAFF_LOCK_MAX_S;
}

/* ---- statements ---- */

static sqlite3_stmt *stmt(struct staff_pins *p, enum stmt which)
{
    sqlite3_stmt *s = p->st[which];
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

static int run(struct staff_pins *p, enum stmt which)
{
    int s = sqlite3_step(p->st[which]);
    sqlite3_reset(p->st[which]);
    return s;
}

static int store_err(int s)
{
    return (s & 0xff) == SQLITE_FULL ? ERR_FULL : ERR_IO;
}

/* Runs a statement that returns no rows: 0, or the store's error. */
static int exec(struct staff_pins *p, enum stmt which)
{
    int r = run(p, which);
    return r == SQLITE_DONE ? 0 : store_err(r);
}

static void rollback(struct staff_pins *p)
{
    if (!sqlite3_get_autocommit(p->db))
        run(p, ST_ROLLBACK);
}

static int lock_read(struct staff_pins *p, struct lock_state *l)
{
    sqlite3_stmt *s = stmt(p, ST_LOCK_GET);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        l->failures = sqlite3_column_int(s, 0);
        l->level = sqlite3_column_int(s, 1);
        l->until = sqlite3_column_int64(s, 2);
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW ? 0 : ERR_IO;
}

static int lock_write(struct staff_pins *p, const struct lock_state *l)
{
    sqlite3_stmt *s = stmt(p, ST_LOCK_SET);
    sqlite3_bind_int(s, 1, l->failures);
    sqlite3_bind_int(s, 2, l->level);
    sqlite3_bind_int64(s, 3, l->until);
    return exec(p, ST_LOCK_SET);
}

/* A lock ending more than the longest lock ahead: the clock went back. */
static bool lock_clamp(struct lock_state *l, int64_t now)
{
    if (l->until <= now + STAFF_LOCK_MAX_S)
        return false;
    l->until = now + STAFF_LOCK_MAX_S;
    return true;
}

/* ---- open ---- */

static void close_db(struct staff_pins *p)
{
    for (int i = 0; i < ST_COUNT_OF; i++)
        sqlite3_finalize(p->st[i]);
    sqlite3_close(p->db);
}

/* One integer from a query, or -1. */
static int64_t query_int(sqlite3 *db, const char *q, int *err)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    *err = sqlite3_prepare_v2(db, q, -1, &s, NULL);
    if (*err == SQLITE_OK) {
        *err = sqlite3_step(s);
        if (*err == SQLITE_ROW) {
            v = sqlite3_column_int64(s, 0);
            *err = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    return v;
}

/* A new file gets the schema; an existing one must be this store. NULL
 * when it is, else what is wrong with it. */
static const char *check_kind(sqlite3 *db, int *err)
{
    int64_t app = query_int(db, "PRAGMA application_id", err);
    int64_t objects = *err ? -1 : query_int(db, "SELECT count(*) FROM sqlite_master", err);
    if (*err)
        return NULL;
    if (app == 0 && objects == 0) {
        *err = sqlite3_exec(db, schema, NULL, NULL, NULL);
        if (*err)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return NULL;
    }
    if (app != APP_ID)
        return "it is another program's database, not the staff PIN store";
    int64_t version = query_int(db, "PRAGMA user_version", err);
    if (!*err && version != SCHEMA)
        return "it was written by another version of the kiosk";
    return NULL;
}

/* SQLite's own check of the file's pages: NULL when it passes. */
static const char *check_pages(sqlite3 *db, int *err)
{
    sqlite3_stmt *s = NULL;
    const char *bad = NULL;
    *err = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL);
    if (!*err) {
        int r = sqlite3_step(s);
        const char *answer = r == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
        if (r != SQLITE_ROW)
            *err = r;
        else if (!answer || strcmp(answer, "ok") != 0)
            bad = "SQLite finds it damaged";
    }
    sqlite3_finalize(s);
    return bad;
}

/* NULL when every row passes its checks, else what is wrong. */
static const char *check_rows(struct staff_pins *p)
{
    const char *bad = NULL;
    int n = 0, r;
    sqlite3_stmt *s = stmt(p, ST_LIST);
    while (!bad && (r = sqlite3_step(s)) == SQLITE_ROW) {
        struct pin_hash h;
        if (!staff_pins_no_valid((const char *)sqlite3_column_text(s, 0)))
            bad = "a staff number is malformed";
        else if (!hash_parse((const char *)sqlite3_column_text(s, 1), &h))
            bad = "a PIN's hash is malformed";
        else if (++n > STAFF_PINS_MAX)
            bad = "it holds more staff than the kiosk allows";
        explicit_bzero(&h, sizeof h);
    }
    sqlite3_reset(s);
    if (!bad && r != SQLITE_DONE)
        bad = "its PINs cannot be read";
    if (bad)
        return bad;
    /* The lockout: one row of integers within their ranges. */
    s = stmt(p, ST_LOCK_GET);
    r = sqlite3_step(s);
    if (r != SQLITE_ROW) {
        bad = "the lockout is missing";
    } else {
        for (int i = 0; i < 3; i++)
            if (sqlite3_column_type(s, i) != SQLITE_INTEGER)
                bad = "the lockout holds impossible values";
        int64_t failures = sqlite3_column_int64(s, 0), level = sqlite3_column_int64(s, 1);
        if (failures < 0 || failures >= STAFF_LOCK_AFTER || level < 0 || level > LEVEL_MAX ||
            sqlite3_column_int64(s, 2) < 0)
            bad = "the lockout holds impossible values";
    }
    sqlite3_reset(s);
    return bad;
}

int staff_pins_open(const char *path, struct staff_pins **out)
{
    *out = NULL;
    struct staff_pins *p = calloc(1, sizeof *p);
    if (!p)
        return ERR_NOMEM;
    bool existed = access(path, F_OK) == 0;
    int err = sqlite3_open_v2(path, &p->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    const char *bad = NULL;
    if (!err)
        err = sqlite3_busy_timeout(p->db, 2000);
    if (!err)
        bad = check_kind(p->db, &err);
    if (!err && !bad)
        bad = check_pages(p->db, &err);
    if (!err && !bad)
        err = sqlite3_exec(p->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
                           NULL);
    for (int i = 0; !err && !bad && i < ST_COUNT_OF; i++)
        if (sqlite3_prepare_v3(p->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &p->st[i], NULL))
            bad = "its tables are not the store's";
    if (!err && !bad)
        bad = check_rows(p);
    if ((err & 0xff) == SQLITE_NOTADB || (err & 0xff) == SQLITE_CORRUPT)
        bad = "it is not an SQLite database, or a damaged one";
    if (bad || err) {
        if (bad)
            log_err(MOD, "staff PIN store %s refused: %s; %s", path, bad, WHAT_TO_DO);
        else
            log_err(MOD, "cannot open the staff PIN store %s: %s", path,
                    p->db ? sqlite3_errmsg(p->db) : "no memory");
        close_db(p);
        free(p);
        return bad ? ERR_CORRUPT : err == SQLITE_NOMEM ? ERR_NOMEM : ERR_IO;
    }
    if (!existed && chmod(path, 0600) != 0)
        log_warn(MOD, "cannot make %s private: %s", path, strerror(errno));
    *out = p;
    return 0;
}

void staff_pins_close(struct staff_pins *p)
{
    if (!p)
        return;
    close_db(p);
    free(p);
}

/* ---- staff ---- */

int staff_pins_count(struct staff_pins *p)
{
    sqlite3_stmt *s = stmt(p, ST_COUNT);
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : ERR_IO;
    sqlite3_reset(s);
    return n;
}

int staff_pins_list(struct staff_pins *p, char (*staff_no)[STAFF_NO_MAX], int max)
{
    sqlite3_stmt *s = stmt(p, ST_LIST);
    int n = 0, r;
    while (n < max && (r = sqlite3_step(s)) == SQLITE_ROW)
        str_copy(staff_no[n++], STAFF_NO_MAX, (const char *)sqlite3_column_text(s, 0));
    if (n < max && r != SQLITE_DONE)
        n = ERR_IO;
    sqlite3_reset(s);
    return n;
}

/* Whether staff_no has a PIN: 1, 0, or ERR_IO. */
static int has_pin(struct staff_pins *p, const char *staff_no)
{
    sqlite3_stmt *s = stmt(p, ST_GET);
    sqlite3_bind_text(s, 1, staff_no, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : ERR_IO;
}

int staff_pins_set(struct staff_pins *p, const char *staff_no, const char *pin)
{
    if (!p || !staff_pins_no_valid(staff_no) || !staff_pins_pin_valid(pin)) {
        log_err(MOD, "PIN not set: a staff number is 1 to 15 letters or digits, a PIN 4 to 8 "
                     "digits");
        return ERR_INVALID;
    }
    char text[HASH_TEXT];
    if (hash_new(pin, text) != 0) {
        log_err(MOD, "PIN for staff %s not set: no randomness or no hash", staff_no);
        return ERR_IO;
    }
    int rc = exec(p, ST_BEGIN);
    int known = 0, n = 0;
    if (!rc)
        rc = known = has_pin(p, staff_no);
    if (rc == 0) {
        n = staff_pins_count(p);
        rc = n < 0 ? n : n >= STAFF_PINS_MAX ? ERR_FULL : 0;
    } else if (rc == 1) {
        rc = 0; /* a replacement needs no room */
    }
    if (!rc) {
        sqlite3_stmt *s = stmt(p, ST_UPSERT);
        sqlite3_bind_text(s, 1, staff_no, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
        rc = exec(p, ST_UPSERT);
    }
    if (!rc) {
        rc = exec(p, ST_COMMIT);
    }
    explicit_bzero(text, sizeof text);
    rollback(p);
    if (rc == ERR_FULL && n >= STAFF_PINS_MAX)
        log_err(MOD, "PIN for staff %s not set: %d staff have a PIN, the most the kiosk allows",
                staff_no, n);
    else if (rc)
        log_err(MOD, "PIN for staff %s not set: %s", staff_no,
                rc == ERR_FULL ? "the disk is full" : sqlite3_errmsg(p->db));
    else
        log_notice(MOD, "PIN %s for staff %s", known ? "replaced" : "set", staff_no);
    return rc;
}

int staff_pins_remove(struct staff_pins *p, const char *staff_no)
{
    if (!p || !staff_pins_no_valid(staff_no)) {
        log_err(MOD, "PIN not removed: a staff number is 1 to 15 letters or digits");
        return ERR_INVALID;
    }
    sqlite3_stmt *s = stmt(p, ST_REMOVE);
    sqlite3_bind_text(s, 1, staff_no, -1, SQLITE_STATIC);
    int r = run(p, ST_REMOVE);
    if (r != SQLITE_DONE) {
        log_err(MOD, "PIN for staff %s not removed: %s", staff_no, sqlite3_errmsg(p->db));
        return store_err(r);
    }
    if (!sqlite3_changes(p->db)) {
        log_warn(MOD, "staff %s has no PIN to remove", staff_no);
        return ERR_NOTFOUND;
    }
    log_notice(MOD, "PIN removed for staff %s", staff_no);
    return 0;
}

int staff_pins_seed_demo(struct staff_pins *p)
{
    int n = staff_pins_count(p);
    if (n != 0)
        return n < 0 ? n : 0;
    int rc = staff_pins_set(p, STAFF_DEMO_NO, STAFF_DEMO_PIN);
    return rc ? rc : 1;
}

/* ---- checks ---- */

struct candidate {
    char staff_no[STAFF_NO_MAX];
    char hash[HASH_TEXT];
};

/* The rows a check compares with (staff_no NULL: all) into c; how many,
 * or ERR_IO. */
static int candidates(struct staff_pins *p, const char *staff_no, struct candidate *c)
{
    sqlite3_stmt *s = stmt(p, staff_no ? ST_GET : ST_LIST);
    if (staff_no)
        sqlite3_bind_text(s, 1, staff_no, -1, SQLITE_STATIC);
    int n = 0, r;
    while (n < STAFF_PINS_MAX && (r = sqlite3_step(s)) == SQLITE_ROW) {
        str_copy(c[n].staff_no, STAFF_NO_MAX,
                 staff_no ? staff_no : (const char *)sqlite3_column_text(s, 0));
        str_copy(c[n].hash, HASH_TEXT, (const char *)sqlite3_column_text(s, staff_no ? 0 : 1));
        n++;
    }
    if (n < STAFF_PINS_MAX && r != SQLITE_DONE)
        n = ERR_IO;
    sqlite3_reset(s);
    return n;
}

/* Records a check's outcome (hit: the row the PIN matched, or NULL) in
 * one transaction over the lock read again; a right PIN on an old row
 * (old) is hashed again at this build's count. */
static int record(struct staff_pins *p, const struct candidate *hit, bool old, const char *pin,
                  int64_t now, struct lock_state *l)
{
    char text[HASH_TEXT] = "";
    if (hit && old && hash_new(pin, text) != 0)
        text[0] = '\0'; /* it stays as it was: still a good row */
    int r = run(p, ST_BEGIN);
    int rc = r == SQLITE_DONE ? lock_read(p, l) : store_err(r);
    if (!rc) {
        struct lock_state was = *l;
        if (hit) {
            *l = (struct lock_state){0, 0, 0};
        } else if (++l->failures >= STAFF_LOCK_AFTER) {
            l->until = now + lock_s(l->level);
            l->level = l->level < LEVEL_MAX ? l->level + 1 : LEVEL_MAX;
            l->failures = 0;
        }
        if (was.failures != l->failures || was.level != l->level || was.until != l->until)
            rc = lock_write(p, l);
    }
    if (!rc && text[0]) {
        sqlite3_stmt *s = stmt(p, ST_REHASH);
        sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, hit->staff_no, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, hit->hash, -1, SQLITE_STATIC);
        rc = exec(p, ST_REHASH);
    }
    if (!rc) {
        rc = exec(p, ST_COMMIT);
    }
    explicit_bzero(text, sizeof text);
    rollback(p);
    return rc;
}

int staff_pins_check(struct staff_pins *p, const char *staff_no, const char *pin, int64_t now_s,
                     enum staff_verdict *verdict, char who[STAFF_NO_MAX], int64_t *locked_until_s)
{
    if (staff_no && !staff_no[0])
        staff_no = NULL;
    if (who)
        who[0] = '\0';
    if (locked_until_s)
        *locked_until_s = 0;
    if (!p || !verdict || !staff_pins_pin_valid(pin) ||
        (staff_no && !staff_pins_no_valid(staff_no))) {
        log_err(MOD, "PIN check refused: a malformed staff number or PIN");
        return ERR_INVALID;
    }
    struct lock_state l;
    int rc = lock_read(p, &l);
    if (!rc && lock_clamp(&l, now_s)) {
        log_warn(MOD, "the lockout ended more than an hour ahead (the clock went back): an hour");
        rc = lock_write(p, &l);
    }
    if (rc) {
        log_err(MOD, "PIN check failed: cannot read the lockout: %s", sqlite3_errmsg(p->db));
        return rc;
    }
    if (l.until > now_s) {
        *verdict = STAFF_PIN_LOCKED;
        if (locked_until_s)
            *locked_until_s = l.until;
        return 0;
    }

    struct candidate rows[STAFF_PINS_MAX];
    int n = candidates(p, staff_no, rows);
    if (n < 0) {
        log_err(MOD, "PIN check failed: cannot read the PINs: %s", sqlite3_errmsg(p->db));
        return n;
    }
    const struct candidate *hit = NULL;
    bool old = false;
    if (n == 0)
        hash_matches(pin, NULL, NULL); /* as long as a known staff number takes */
    for (int i = 0; i < n && !hit; i++)
        if (hash_matches(pin, rows[i].hash, &old))
            hit = &rows[i];
    rc = record(p, hit, old, pin, now_s, &l);
    if (hit && who)
        str_copy(who, STAFF_NO_MAX, hit->staff_no);
    explicit_bzero(rows, sizeof rows);
    if (rc && !hit) {
        log_err(MOD, "PIN check failed: a wrong PIN could not be counted: %s",
                rc == ERR_FULL ? "the disk is full" : sqlite3_errmsg(p->db));
        return rc;
    }
    if (rc)
        log_warn(MOD, "a right PIN could not clear the failure count: %s", sqlite3_errmsg(p->db));
    *verdict = hit ? STAFF_PIN_OK : STAFF_PIN_WRONG;
    if (locked_until_s && l.until > now_s)
        *locked_until_s = l.until;
    return 0;
}

int staff_pins_lock(struct staff_pins *p, int64_t now_s, int *failures, int64_t *locked_until_s)
{
    struct lock_state l;
    int rc = lock_read(p, &l);
    if (rc) {
        log_err(MOD, "cannot read the lockout: %s", sqlite3_errmsg(p->db));
        return rc;
    }
    lock_clamp(&l, now_s);
    if (failures)
        *failures = l.failures;
    if (locked_until_s)
        *locked_until_s = l.until > now_s ? l.until : 0;
    return 0;
}
