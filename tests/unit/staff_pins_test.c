/* staff_pins_test.c - the staff PIN store: the hash format (recomputed
 * here with OpenSSL), right and wrong PINs on the card route and the
 * gesture route, a PIN set again replacing the old one, the lockout's
 * arithmetic (the fifth wrong PIN locks 60 s, each further lock doubles
 * up to an hour, a right PIN clears it, no hash while locked), the lockout
 * across a restart and a clock set back, a row of an older iteration count
 * (checked, then hashed again), damaged files refused with a log line,
 * bad arguments, the bound, the demo seed, and no PIN, hash or salt in
 * any log line.
 *
 * Built with the store's source at STAFF_PINS_ITERATIONS 2000 (see
 * staff_pins.cmake): a few hundred hashes in well under a second.
 * Main thread only.
 */
#include "base/err.h"
#include "base/log.h"
#include "check.h"
#include "store/staff_pins.h"

#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if STAFF_PINS_ITERATIONS <= STAFF_PINS_ITER_MIN
#error "the test needs room below its count for an older row"
#endif

static char dir[64];
static char lines[4096];     /* since the last clear */
static char all[256 * 1024]; /* the whole run, for secrets */
static char secrets[64][128];
static int n_secrets;

static void on_log(enum log_level level, const char *line, void *user)
{
    (void)level;
    (void)user;
    size_t n = strlen(lines);
    snprintf(lines + n, sizeof lines - n, "%s\n", line);
    n = strlen(all);
    snprintf(all + n, sizeof all - n, "%s\n", line);
}

static void secret(const char *s)
{
    if (n_secrets < (int)(sizeof secrets / sizeof secrets[0]))
        snprintf(secrets[n_secrets++], sizeof secrets[0], "%s", s);
}

static const char *path_of(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static struct staff_pins *open_at(const char *name)
{
    struct staff_pins *p = NULL;
    CHECK_EQ_INT(staff_pins_open(path_of(name), &p), 0);
    CHECK(p != NULL);
    return p;
}

/* Runs SQL on the file behind the store's back. */
static void sql_on(const char *name, const char *q)
{
    sqlite3 *db = NULL;
    CHECK_EQ_INT(sqlite3_open(path_of(name), &db), SQLITE_OK);
    char *msg = NULL;
    int r = sqlite3_exec(db, q, NULL, NULL, &msg);
    if (r != SQLITE_OK)
        fprintf(stderr, "sql_on %s: %s: %s\n", name, q, msg ? msg : "?");
    CHECK_EQ_INT(r, SQLITE_OK);
    sqlite3_free(msg);
    sqlite3_close(db);
}

/* staff_no's hash text as stored, into out ("" if none). */
static void hash_of(const char *name, const char *staff_no, char *out, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    out[0] = '\0';
    CHECK_EQ_INT(sqlite3_open_v2(path_of(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_prepare_v2(db, "SELECT hash FROM pins WHERE staff_no=?", -1, &s, NULL),
                 SQLITE_OK);
    sqlite3_bind_text(s, 1, staff_no, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    secret(out);
}

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static void hex(const unsigned char *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", in[i]);
}

/* The hash text of pin with salt (32 hex) at iter, computed here. */
static void pbkdf2_text(const char *pin, const char *salt_hex, int iter, char *out, size_t size)
{
    unsigned char salt[16], key[32];
    for (int i = 0; i < 16; i++) {
        unsigned v = 0;
        sscanf(salt_hex + 2 * i, "%2x", &v);
        salt[i] = (unsigned char)v;
    }
    CHECK_EQ_INT(PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), salt, 16, iter, EVP_sha256(), 32, key),
                 1);
    char key_hex[65];
    hex(key, 32, key_hex);
    snprintf(out, size, "pbkdf2-sha256$%d$%.32s$%s", iter, salt_hex, key_hex);
}

/* The format, parsed by hand; and the hash is PBKDF2 of pin as stored. */
static void check_format(const char *text, const char *pin)
{
    char iter[16];
    snprintf(iter, sizeof iter, "$%d$", STAFF_PINS_ITERATIONS);
    const char *prefix = "pbkdf2-sha256";
    size_t np = strlen(prefix), ni = strlen(iter);
    CHECK_EQ_INT(strlen(text), np + ni + 32 + 1 + 64);
    CHECK(strncmp(text, prefix, np) == 0);
    CHECK(strncmp(text + np, iter, ni) == 0);
    const char *salt = text + np + ni;
    CHECK(is_hex(salt, 32));
    CHECK_EQ_INT(salt[32], '$');
    CHECK(is_hex(salt + 33, 64));
    char again[160];
    pbkdf2_text(pin, salt, STAFF_PINS_ITERATIONS, again, sizeof again);
    CHECK_EQ_STR(text, again);
}

static void check_verdict(struct staff_pins *p, const char *staff_no, const char *pin, int64_t now,
                          enum staff_verdict want, const char *want_who, int64_t want_until)
{
    enum staff_verdict v = (enum staff_verdict) - 1;
    char who[STAFF_NO_MAX] = "junk";
    int64_t until = -1;
    CHECK_EQ_INT(staff_pins_check(p, staff_no, pin, now, &v, who, &until), 0);
    CHECK_EQ_INT(v, want);
    CHECK_EQ_STR(who, want_who);
    CHECK_EQ_INT(until, want_until);
}

static void check_lock(struct staff_pins *p, int64_t now, int want_failures, int64_t want_until)
{
    int failures = -1;
    int64_t until = -1;
    CHECK_EQ_INT(staff_pins_lock(p, now, &failures, &until), 0);
    CHECK_EQ_INT(failures, want_failures);
    CHECK_EQ_INT(until, want_until);
}

static void test_format_and_set(void)
{
    struct staff_pins *p = open_at("format.sqlite");
    struct stat st;
    CHECK_EQ_INT(stat(path_of("format.sqlite"), &st), 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0600);
    CHECK_EQ_INT(staff_pins_count(p), 0);

    lines[0] = '\0';
    CHECK_EQ_INT(staff_pins_set(p, "0312", "2468"), 0);
    CHECK(strstr(lines, "0312") != NULL); /* set names the staff member */
    CHECK_EQ_INT(staff_pins_count(p), 1);
    char first[160], second[160], third[160];
    hash_of("format.sqlite", "0312", first, sizeof first);
    check_format(first, "2468");

    /* The same PIN again: a new salt, a new hash, still one row. */
    CHECK_EQ_INT(staff_pins_set(p, "0312", "2468"), 0);
    hash_of("format.sqlite", "0312", second, sizeof second);
    check_format(second, "2468");
    CHECK(strncmp(first, second, 50) != 0); /* the salts differ */
    CHECK(strcmp(first, second) != 0);
    CHECK_EQ_INT(staff_pins_count(p), 1);

    /* A new PIN replaces the old one. */
    CHECK_EQ_INT(staff_pins_set(p, "0312", "86420135"), 0);
    hash_of("format.sqlite", "0312", third, sizeof third);
    check_format(third, "86420135");
    CHECK_EQ_INT(staff_pins_count(p), 1);
    check_verdict(p, "0312", "2468", 1000, STAFF_PIN_WRONG, "", 0);
    check_verdict(p, "0312", "86420135", 1000, STAFF_PIN_OK, "0312", 0);
    staff_pins_close(p);
    staff_pins_close(NULL);
}

static void test_routes(void)
{
    struct staff_pins *p = open_at("routes.sqlite");
    CHECK_EQ_INT(staff_pins_set(p, "0312", "2468"), 0);
    CHECK_EQ_INT(staff_pins_set(p, "A7", "13579"), 0);

    /* The card route: that staff member's PIN only. */
    check_verdict(p, "0312", "2468", 1000, STAFF_PIN_OK, "0312", 0);
    check_verdict(p, "0312", "2469", 1000, STAFF_PIN_WRONG, "", 0);
    check_verdict(p, "A7", "2468", 1000, STAFF_PIN_WRONG, "", 0); /* another's PIN */
    check_verdict(p, "Nobody9", "2468", 1000, STAFF_PIN_WRONG, "", 0);
    check_verdict(p, "A7", "13579", 1000, STAFF_PIN_OK, "A7", 0);

    /* The gesture route: anyone's PIN, and who it is. */
    check_verdict(p, NULL, "13579", 1000, STAFF_PIN_OK, "A7", 0);
    check_verdict(p, "", "2468", 1000, STAFF_PIN_OK, "0312", 0);
    check_verdict(p, NULL, "0000", 1000, STAFF_PIN_WRONG, "", 0);
    check_lock(p, 1000, 1, 0);

    /* who and locked_until may be NULL. */
    enum staff_verdict v;
    CHECK_EQ_INT(staff_pins_check(p, NULL, "2468", 1000, &v, NULL, NULL), 0);
    CHECK_EQ_INT(v, STAFF_PIN_OK);
    check_lock(p, 1000, 0, 0);

    /* A check does not name the staff member in the log. */
    lines[0] = '\0';
    check_verdict(p, "A7", "1357", 1000, STAFF_PIN_WRONG, "", 0);
    check_verdict(p, "A7", "13579", 1000, STAFF_PIN_OK, "A7", 0);
    CHECK(strstr(lines, "A7") == NULL);
    staff_pins_close(p);
}

static double elapsed_s(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void wrong_times(struct staff_pins *p, int n, int64_t now)
{
    for (int i = 0; i < n; i++)
        check_verdict(p, "0312", "1111", now, STAFF_PIN_WRONG, "", 0);
}

static void test_lockout(void)
{
    struct staff_pins *p = open_at("lockout.sqlite");
    CHECK_EQ_INT(staff_pins_set(p, "0312", "2468"), 0);
    int64_t t = 100000;
    check_lock(p, t, 0, 0);

    /* Four wrong: counted, not locked; a right PIN clears the count. */
    for (int i = 1; i <= 4; i++) {
        check_verdict(p, "0312", "1111", t, STAFF_PIN_WRONG, "", 0);
        check_lock(p, t, i, 0);
    }
    check_verdict(p, "0312", "2468", t, STAFF_PIN_OK, "0312", 0);
    check_lock(p, t, 0, 0);
    wrong_times(p, 4, t);
    check_lock(p, t, 4, 0);

    /* The fifth in a row locks for 60 s, and says so. */
    check_verdict(p, NULL, "1111", t, STAFF_PIN_WRONG, "", t + 60);
    check_lock(p, t, 0, t + 60);
    check_lock(p, t + 59, 0, t + 60);
    /* While locked even the right PIN is LOCKED, on both routes, and
     * nothing is counted. */
    check_verdict(p, "0312", "2468", t + 1, STAFF_PIN_LOCKED, "", t + 60);
    check_verdict(p, NULL, "2468", t + 30, STAFF_PIN_LOCKED, "", t + 60);
    check_verdict(p, "0312", "1111", t + 59, STAFF_PIN_LOCKED, "", t + 60);
    check_lock(p, t + 59, 0, t + 60);
    /* Over: the right PIN works and clears everything. */
    check_lock(p, t + 60, 0, 0);
    check_verdict(p, "0312", "2468", t + 60, STAFF_PIN_OK, "0312", 0);
    check_lock(p, t + 60, 0, 0);

    /* Lock after lock: 60, 120, 240, ... an hour at most; five wrong
     * each, the lock's end reported by the fifth. */
    static const int64_t locks[] = {60, 120, 240, 480, 960, 1920, 3600, 3600, 3600};
    t += 1000;
    for (size_t i = 0; i < sizeof locks / sizeof locks[0]; i++) {
        wrong_times(p, 4, t);
        check_verdict(p, "0312", "1111", t, STAFF_PIN_WRONG, "", t + locks[i]);
        check_verdict(p, "0312", "2468", t + locks[i] - 1, STAFF_PIN_LOCKED, "", t + locks[i]);
        t += locks[i];
        check_lock(p, t, 0, 0);
    }
    /* A right PIN starts the doubling over. */
    check_verdict(p, "0312", "2468", t, STAFF_PIN_OK, "0312", 0);
    wrong_times(p, 4, t);
    check_verdict(p, "0312", "1111", t, STAFF_PIN_WRONG, "", t + 60);
    staff_pins_close(p);
}

/* While locked no hash is computed: a row at the highest count (seconds a
 * hash) answers at once. */
static void test_locked_is_fast(void)
{
    struct staff_pins *p = open_at("fast.sqlite");
    CHECK_EQ_INT(staff_pins_set(p, "0312", "2468"), 0);
    staff_pins_close(p);
    char slow[256];
    snprintf(slow, sizeof slow,
             "INSERT INTO pins VALUES('Slow1','pbkdf2-sha256$%d$"
             "00112233445566778899aabbccddeeff$"
             "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff')",
             STAFF_PINS_ITER_MAX);
    sql_on("fast.sqlite", slow);
    p = open_at("fast.sqlite");
    CHECK_EQ_INT(staff_pins_count(p), 2);
    int64_t t = 5000;
    wrong_times(p, 4, t);
    check_verdict(p, "0312", "1111", t, STAFF_PIN_WRONG, "", t + 60);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 5; i++) {
        check_verdict(p, "Slow1", "2468", t + 1, STAFF_PIN_LOCKED, "", t + 60);
        check_verdict(p, NULL, "2468", t + 1, STAFF_PIN_LOCKED, "", t + 60);
    }
    double s = elapsed_s(&t0);
    if (s >= 0.25)
        fprintf(stderr, "10 locked checks took %.3f s\n", s);
    CHECK(s < 0.25); /* one hash of Slow1 costs seconds */
    staff_pins_close(p);
}

/* The lockout survives a restart; a clock set back does not lock for
 * longer than the longest lock. */
static void test_persist(void)
{
    struct staff_pins *p = open_at("persist.sqlite");
    CHECK_EQ_INT(staff_pins_set(p, "0312", "2468"), 0);
    int64_t t = 20000;
    wrong_times(p, 3, t);
    staff_pins_close(p);

    p = open_at("persist.sqlite");
    check_lock(p, t, 3, 0);
    wrong_times(p, 1, t);
    check_verdict(p, "0312", "1111", t, STAFF_PIN_WRONG, "", t + 60);
    staff_pins_close(p);

    p = open_at("persist.sqlite");
    check_lock(p, t + 10, 0, t + 60);
    check_verdict(p, "0312", "2468", t + 10, STAFF_PIN_LOCKED, "", t + 60);
    staff_pins_close(p);

    /* The doubling survives too. */
    t += 60;
    p = open_at("persist.sqlite");
    wrong_times(p, 4, t);
    staff_pins_close(p);
    p = open_at("persist.sqlite");
    check_verdict(p, "0312", "1111", t, STAFF_PIN_WRONG, "", t + 120);
    staff_pins_close(p);

    /* The clock goes back a day: locked an hour from the new now, not a
     * day and two minutes. */
    p = open_at("persist.sqlite");
    int64_t back = t - 86400;
    check_lock(p, back, 0, back + 3600);
    lines[0] = '\0';
    check_verdict(p, "0312", "2468", back, STAFF_PIN_LOCKED, "", back + 3600);
    CHECK(strstr(lines, "clock") != NULL);
    check_verdict(p, "0312", "2468", back + 3599, STAFF_PIN_LOCKED, "", back + 3600);
    check_verdict(p, "0312", "2468", back + 3600, STAFF_PIN_OK, "0312", 0);
    staff_pins_close(p);
}

/* A row of a lower count still checks; a right PIN hashes it again at
 * this build's count, a wrong one leaves it. */
static void test_older_count(void)
{
    struct staff_pins *p = open_at("older.sqlite");
    CHECK_EQ_INT(staff_pins_set(p, "0312", "2468"), 0);
    staff_pins_close(p);
    char old[160], q[256], now_text[160];
    pbkdf2_text("8642", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", STAFF_PINS_ITER_MIN, old, sizeof old);
    secret(old);
    snprintf(q, sizeof q, "INSERT INTO pins VALUES('Old1','%s')", old);
    sql_on("older.sqlite", q);

    p = open_at("older.sqlite");
    check_verdict(p, "Old1", "8643", 100, STAFF_PIN_WRONG, "", 0);
    hash_of("older.sqlite", "Old1", now_text, sizeof now_text);
    CHECK_EQ_STR(now_text, old);
    check_verdict(p, NULL, "8642", 100, STAFF_PIN_OK, "Old1", 0);
    hash_of("older.sqlite", "Old1", now_text, sizeof now_text);
    check_format(now_text, "8642");
    check_verdict(p, "Old1", "8642", 100, STAFF_PIN_OK, "Old1", 0);
    staff_pins_close(p);
}

/* A file that is not the store, or fails its checks: ERR_CORRUPT, no
 * handle, one log line that says what to do, and the file left alone. */
static void expect_refused(const char *name, const char *why)
{
    struct staff_pins *p = (struct staff_pins *)&p;
    lines[0] = '\0';
    CHECK_EQ_INT(staff_pins_open(path_of(name), &p), ERR_CORRUPT);
    CHECK(p == NULL);
    CHECK(strstr(lines, "move the file away and set the PINs again") != NULL);
    CHECK(strstr(lines, why) != NULL);
    if (!strstr(lines, why))
        fprintf(stderr, "wanted \"%s\" in: %s", why, lines);
    CHECK(strchr(lines, '\n') == lines + strlen(lines) - 1); /* one line */
}

static void test_damaged(void)
{
    /* Not SQLite at all. */
    FILE *f = fopen(path_of("text.sqlite"), "w");
    for (int i = 0; f && i < 100; i++)
        fputs("this is not a database, it is a note about PINs\n", f);
    if (f)
        fclose(f);
    expect_refused("text.sqlite", "not an SQLite database");
    struct stat st;
    CHECK_EQ_INT(stat(path_of("text.sqlite"), &st), 0);
    CHECK_EQ_INT(st.st_size, 100 * 48);

    /* Another program's database: refused, not given two tables. */
    sql_on("other.sqlite", "CREATE TABLE outbox(id INTEGER PRIMARY KEY, body TEXT)");
    expect_refused("other.sqlite", "another program's database");
    expect_refused("other.sqlite", "another program's database");

    /* A good store, then each damage in turn. */
    struct staff_pins *p = open_at("good.sqlite");
    CHECK_EQ_INT(staff_pins_set(p, "0312", "2468"), 0);
    staff_pins_close(p);
    char good[160];
    hash_of("good.sqlite", "0312", good, sizeof good);
    const char *salt = strchr(good + 14, '$') + 1;
    const char *key = salt + 33;
    char bad[32][200];
    int n = 0;
    snprintf(bad[n++], 200, "%s", "");
    snprintf(bad[n++], 200, "%s", "2468");
    snprintf(bad[n++], 200, "pbkdf2-sha1$%d$%.32s$%s", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "PBKDF2-SHA256$%d$%.32s$%s", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$0%d$%.32s$%s", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.32s$%s", STAFF_PINS_ITER_MIN - 1, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.32s$%s", STAFF_PINS_ITER_MAX + 1, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$99999999999$%.32s$%s", salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$-%d$%.32s$%s", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$$%.32s$%s", salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.30s$%s", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.32s0a$%s", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.32s$%.63s", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.32s$%s0", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.32s$%s\n", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.32s%s", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.31sg$%s", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.32s$%.63sG", STAFF_PINS_ITERATIONS, salt, key);
    snprintf(bad[n++], 200, "pbkdf2-sha256$%d$%.32s$%.63sF", STAFF_PINS_ITERATIONS, salt, key);
    for (int i = 0; i < n; i++) {
        char *q = sqlite3_mprintf("UPDATE pins SET hash=%Q", bad[i]);
        sql_on("good.sqlite", q);
        sqlite3_free(q);
        expect_refused("good.sqlite", "a PIN's hash is malformed");
        if (!strstr(lines, "hash is malformed"))
            fprintf(stderr, "case %d: %s\n", i, bad[i]);
        CHECK(!bad[i][0] || strstr(lines, bad[i]) == NULL);
        CHECK(strstr(lines, "2468") == NULL);
    }
    char *q = sqlite3_mprintf("UPDATE pins SET hash=%Q", good);
    sql_on("good.sqlite", q);
    sqlite3_free(q);
    p = open_at("good.sqlite");
    staff_pins_close(p);

    /* A hash of the wrong type (a number, a blob). */
    sql_on("good.sqlite", "UPDATE pins SET hash=2468");
    expect_refused("good.sqlite", "a PIN's hash is malformed");
    sql_on("good.sqlite", "UPDATE pins SET hash=x'00'");
    expect_refused("good.sqlite", "a PIN's hash is malformed");

    /* A malformed staff number, an impossible lockout, a missing one,
     * another version's file. */
    q = sqlite3_mprintf("UPDATE pins SET hash=%Q, staff_no='03-12'", good);
    sql_on("good.sqlite", q);
    sqlite3_free(q);
    expect_refused("good.sqlite", "a staff number is malformed");
    sql_on("good.sqlite", "UPDATE pins SET staff_no='0312'");
    static const char *const locks[] = {
        "UPDATE lockout SET failures=5",  "UPDATE lockout SET failures=-1",
        "UPDATE lockout SET level=7",     "UPDATE lockout SET locked_until=-5",
        "UPDATE lockout SET level='one'",
    };
    for (size_t i = 0; i < sizeof locks / sizeof locks[0]; i++) {
        sql_on("good.sqlite", locks[i]);
        expect_refused("good.sqlite", "the lockout holds impossible values");
        sql_on("good.sqlite", "UPDATE lockout SET failures=0, level=0, locked_until=0");
    }
    sql_on("good.sqlite", "DELETE FROM lockout");
    expect_refused("good.sqlite", "the lockout is missing");
    sql_on("good.sqlite", "INSERT INTO lockout VALUES(1,0,0,0)");
    sql_on("good.sqlite", "PRAGMA user_version=2");
    expect_refused("good.sqlite", "another version");
    sql_on("good.sqlite", "PRAGMA user_version=1");
    sql_on("good.sqlite", "DROP TABLE pins");
    expect_refused("good.sqlite", "tables");

    /* Doing what the line says works: a fresh store at the same path. */
    char moved[128];
    snprintf(moved, sizeof moved, "%s", path_of("text.sqlite.damaged"));
    CHECK_EQ_INT(rename(path_of("text.sqlite"), moved), 0);
    p = open_at("text.sqlite");
    CHECK_EQ_INT(staff_pins_count(p), 0);
    staff_pins_close(p);

    /* A folder that does not exist: an I/O error, not damage. */
    p = (struct staff_pins *)&p;
    CHECK_EQ_INT(staff_pins_open(path_of("none/staff.sqlite"), &p), ERR_IO);
    CHECK(p == NULL);
}

static void test_bad_arguments(void)
{
    struct staff_pins *p = open_at("args.sqlite");
    static const char *const bad_staff[] = {
        "", "0123456789abcdef", "03-12", "03 12", "\xe5\xbc\xa0", "0312\n", "_"};
    static const char *const bad_pins[] = {"",      "123",      "123456789", "12a4", " 1234",
                                           "1234 ", "１２３４", "-123",      "12.4"};
    for (size_t i = 0; i < sizeof bad_staff / sizeof bad_staff[0]; i++) {
        CHECK_EQ_INT(staff_pins_set(p, bad_staff[i], "2468"), ERR_INVALID);
        CHECK_EQ_INT(staff_pins_remove(p, bad_staff[i]), ERR_INVALID);
    }
    CHECK_EQ_INT(staff_pins_set(p, NULL, "2468"), ERR_INVALID);
    CHECK_EQ_INT(staff_pins_remove(p, NULL), ERR_INVALID);
    for (size_t i = 0; i < sizeof bad_pins / sizeof bad_pins[0]; i++)
        CHECK_EQ_INT(staff_pins_set(p, "0312", bad_pins[i]), ERR_INVALID);
    CHECK_EQ_INT(staff_pins_set(p, "0312", NULL), ERR_INVALID);
    CHECK_EQ_INT(staff_pins_count(p), 0);

    /* The edges that are allowed. */
    CHECK_EQ_INT(staff_pins_set(p, "Abcdefghij98765", "1234"), 0);
    CHECK_EQ_INT(staff_pins_set(p, "Z", "12345678"), 0);
    CHECK_EQ_INT(staff_pins_count(p), 2);
    char list[4][STAFF_NO_MAX];
    CHECK_EQ_INT(staff_pins_list(p, list, 4), 2);
    CHECK_EQ_STR(list[0], "Abcdefghij98765");
    CHECK_EQ_STR(list[1], "Z");
    CHECK_EQ_INT(staff_pins_list(p, list, 1), 1);

    /* A malformed check is refused and not counted. */
    enum staff_verdict v;
    char who[STAFF_NO_MAX];
    int64_t until;
    for (size_t i = 0; i < sizeof bad_pins / sizeof bad_pins[0]; i++)
        CHECK_EQ_INT(staff_pins_check(p, "Z", bad_pins[i], 10, &v, who, &until), ERR_INVALID);
    for (size_t i = 1; i < sizeof bad_staff / sizeof bad_staff[0]; i++)
        CHECK_EQ_INT(staff_pins_check(p, bad_staff[i], "12345678", 10, &v, who, &until),
                     ERR_INVALID);
    CHECK_EQ_INT(staff_pins_check(p, "Z", NULL, 10, &v, who, &until), ERR_INVALID);
    CHECK_EQ_INT(staff_pins_check(p, "Z", "12345678", 10, NULL, who, &until), ERR_INVALID);
    check_lock(p, 10, 0, 0);

    /* Remove: the PIN stops working; twice is NOTFOUND. */
    lines[0] = '\0';
    CHECK_EQ_INT(staff_pins_remove(p, "Z"), 0);
    CHECK(strstr(lines, "staff Z") != NULL);
    CHECK_EQ_INT(staff_pins_remove(p, "Z"), ERR_NOTFOUND);
    CHECK_EQ_INT(staff_pins_count(p), 1);
    check_verdict(p, "Z", "12345678", 10, STAFF_PIN_WRONG, "", 0);
    check_verdict(p, NULL, "12345678", 10, STAFF_PIN_WRONG, "", 0);
    staff_pins_close(p);
}

static void test_bound_and_demo(void)
{
    struct staff_pins *p = open_at("bound.sqlite");
    char no[STAFF_NO_MAX];
    for (int i = 0; i < STAFF_PINS_MAX; i++) {
        snprintf(no, sizeof no, "S%02d", i);
        CHECK_EQ_INT(staff_pins_set(p, no, "5555"), 0);
    }
    CHECK_EQ_INT(staff_pins_set(p, "S99", "5555"), ERR_FULL);
    CHECK_EQ_INT(staff_pins_set(p, "S05", "7777"), 0); /* a replacement fits */
    CHECK_EQ_INT(staff_pins_count(p), STAFF_PINS_MAX);
    check_verdict(p, NULL, "7777", 10, STAFF_PIN_OK, "S05", 0);
    check_verdict(p, NULL, "5555", 10, STAFF_PIN_OK, "S00", 0); /* the first in order */
    CHECK_EQ_INT(staff_pins_seed_demo(p), 0);                   /* staff exist */
    check_verdict(p, STAFF_DEMO_NO, STAFF_DEMO_PIN, 10, STAFF_PIN_WRONG, "", 0);
    staff_pins_close(p);

    p = open_at("demo.sqlite");
    CHECK_EQ_INT(staff_pins_seed_demo(p), 1);
    CHECK_EQ_INT(staff_pins_count(p), 1);
    check_verdict(p, "0312", "2468", 10, STAFF_PIN_OK, "0312", 0);
    CHECK_EQ_INT(staff_pins_seed_demo(p), 0);
    CHECK_EQ_INT(staff_pins_set(p, "0312", "97531864"), 0);
    CHECK_EQ_INT(staff_pins_seed_demo(p), 0); /* never resets a PIN staff changed */
    check_verdict(p, "0312", "97531864", 10, STAFF_PIN_OK, "0312", 0);
    staff_pins_close(p);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/staff_pins_test.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    log_set_sink(on_log, NULL);
    test_format_and_set();
    test_routes();
    test_lockout();
    test_locked_is_fast();
    test_persist();
    test_older_count();
    test_damaged();
    test_bad_arguments();
    test_bound_and_demo();
    log_set_sink(NULL, NULL);

    /* Nothing secret reached a log line: no PIN of this test (the shorter
     * ones are digits a path or a time could hold), no hash, no salt. */
    static const char *const pins[] = {"86420135", "97531864", "13579", "12345678"};
    for (size_t i = 0; i < sizeof pins / sizeof pins[0]; i++)
        CHECK(strstr(all, pins[i]) == NULL);
    for (int i = 0; i < n_secrets; i++) {
        const char *salt = strchr(secrets[i], '$') ? strchr(secrets[i] + 14, '$') : NULL;
        if (!salt)
            continue;
        char part[33];
        snprintf(part, sizeof part, "%.32s", salt + 1);
        CHECK(strstr(all, part) == NULL);
        snprintf(part, sizeof part, "%.32s", salt + 34);
        CHECK(strstr(all, part) == NULL);
    }
    CHECK(n_secrets > 5);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("staff_pins_test");
}
