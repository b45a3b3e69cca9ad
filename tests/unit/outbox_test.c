/* outbox_test.c - the outbox on SQLite: put, due, delivered, failed with
 * its backoff, the Idempotency-Key that stays the same across retries and
 * restarts, the bound (the oldest rating makes room, with a log line),
 * refused items, a clock set back, a full disk, and nothing personal in
 * the file when a visit's rating is built by the kiosk's own code
 * (rating.h). Main thread only.
 */
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "card_fixture.h"
#include "check.h"
#include "core/session.h"
#include "rating.h"
#include "store/outbox.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const char rating[] = "{\"level\":5,\"service\":\"query\",\"reasons\":[]}";
static char dir[64];

static char lines[4096];

static void on_log(enum log_level level, const char *line, void *user)
{
    (void)level;
    (void)user;
    size_t n = strlen(lines);
    snprintf(lines + n, sizeof lines - n, "%s\n", line);
}

static struct outbox *open_at(const char *name, int max)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct outbox *o = NULL;
    CHECK_EQ_INT(outbox_open(path, max, &o), 0);
    return o;
}

static bool key_is_hex32(const char *k)
{
    if (strlen(k) != 32)
        return false;
    for (const char *p = k; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

static void test_put_next_delivered(void)
{
    struct outbox *o = open_at("basic.sqlite", 0);
    struct outbox_item it;
    int64_t id = 0, id2 = 0;
    CHECK_EQ_INT(outbox_count(o), 0);
    CHECK_EQ_INT(outbox_next_due(o, 1000, &it), ERR_EMPTY);
    int64_t at = 0;
    CHECK_EQ_INT(outbox_next_at(o, &at), ERR_EMPTY);

    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 1000, &id), 0);
    CHECK(id > 0);
    CHECK_EQ_INT(outbox_count(o), 1);
    CHECK_EQ_INT(outbox_next_at(o, &at), 0);
    CHECK_EQ_INT(at, 1000);
    CHECK_EQ_INT(outbox_next_due(o, 1000, &it), 0);
    CHECK_EQ_INT(it.id, id);
    CHECK_EQ_INT(it.state, OUTBOX_WAITING);
    CHECK_EQ_STR(it.kind, "rating");
    CHECK_EQ_STR(it.method, "POST");
    CHECK_EQ_STR(it.path, "/v1/ratings");
    CHECK_EQ_STR(it.body, rating);
    CHECK_EQ_INT(it.body_len, strlen(rating));
    CHECK_EQ_INT(it.created, 1000);
    CHECK_EQ_INT(it.attempts, 0);
    CHECK(key_is_hex32(it.key));

    /* Every put has its own key. */
    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 1001, &id2), 0);
    struct outbox_item it2;
    CHECK_EQ_INT(outbox_get(o, id2, &it2), 0);
    CHECK(key_is_hex32(it2.key) && strcmp(it.key, it2.key) != 0);

    /* Oldest first; delivered is finished and not due again. */
    CHECK_EQ_INT(outbox_delivered(o, id, 1002), 0);
    CHECK_EQ_INT(outbox_delivered(o, id, 1002), ERR_NOTFOUND);
    CHECK_EQ_INT(outbox_failed(o, id, 1002, false), ERR_NOTFOUND);
    CHECK_EQ_INT(outbox_count(o), 1);
    CHECK_EQ_INT(outbox_next_due(o, 5000, &it), 0);
    CHECK_EQ_INT(it.id, id2);
    CHECK_EQ_INT(outbox_get(o, id, &it), 0);
    CHECK_EQ_INT(it.state, OUTBOX_DELIVERED);
    CHECK_EQ_INT(outbox_delivered(o, id2, 1003), 0);
    CHECK_EQ_INT(outbox_count(o), 0);
    CHECK_EQ_INT(outbox_next_due(o, 5000, &it), ERR_EMPTY);
    CHECK_EQ_INT(outbox_get(o, 999, &it), ERR_NOTFOUND);

    /* Finished rows go when pruned, waiting ones never. */
    int64_t id3 = 0;
    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 1004, &id3), 0);
    CHECK_EQ_INT(outbox_prune(o, 1002), 0);
    CHECK_EQ_INT(outbox_prune(o, 1003), 1);
    CHECK_EQ_INT(outbox_prune(o, 9999), 1);
    CHECK_EQ_INT(outbox_get(o, id, &it), ERR_NOTFOUND);
    CHECK_EQ_INT(outbox_get(o, id3, &it), 0);
    CHECK_EQ_INT(outbox_count(o), 1);
    outbox_close(o);
    outbox_close(NULL);
}

static void test_backoff_same_key(void)
{
    static const int64_t waits[] = {10, 30, 120, 600, 3600, 3600, 3600};
    for (int i = 0; i < (int)(sizeof waits / sizeof waits[0]); i++)
        CHECK_EQ_INT(outbox_backoff_s(i + 1), waits[i]);
    CHECK_EQ_INT(outbox_backoff_s(1000), OUTBOX_BACKOFF_MAX_S);

    struct outbox *o = open_at("backoff.sqlite", 0);
    int64_t id = 0, other = 0;
    struct outbox_item it;
    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 100, &id), 0);
    CHECK_EQ_INT(outbox_get(o, id, &it), 0);
    char key[OUTBOX_KEY_MAX];
    memcpy(key, it.key, sizeof key);

    int64_t now = 100;
    for (int i = 0; i < (int)(sizeof waits / sizeof waits[0]); i++) {
        CHECK_EQ_INT(outbox_failed(o, id, now, false), 0);
        CHECK_EQ_INT(outbox_next_due(o, now + waits[i] - 1, &it), ERR_EMPTY);
        int64_t at = 0;
        CHECK_EQ_INT(outbox_next_at(o, &at), 0);
        CHECK_EQ_INT(at, now + waits[i]);
        now += waits[i];
        CHECK_EQ_INT(outbox_next_due(o, now, &it), 0);
        CHECK_EQ_INT(it.id, id);
        CHECK_EQ_INT(it.attempts, i + 1);
        CHECK_EQ_STR(it.key, key); /* the retry carries the first key */
    }

    /* An item in its backoff lets a younger one through. */
    CHECK_EQ_INT(outbox_failed(o, id, now, false), 0);
    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, now, &other), 0);
    CHECK_EQ_INT(outbox_next_due(o, now, &it), 0);
    CHECK_EQ_INT(it.id, other);

    /* The registry is back: nothing waits out its backoff. */
    CHECK_EQ_INT(outbox_hurry(o, now), 1);
    CHECK_EQ_INT(outbox_next_due(o, now, &it), 0);
    CHECK_EQ_INT(it.id, id);
    CHECK_EQ_STR(it.key, key);

    /* The clock set back an hour and more: the item is due, not stuck. */
    CHECK_EQ_INT(outbox_failed(o, id, now, false), 0);
    CHECK_EQ_INT(outbox_failed(o, other, now, false), 0);
    CHECK_EQ_INT(outbox_next_due(o, now + 1, &it), ERR_EMPTY);
    CHECK_EQ_INT(outbox_next_due(o, now - 2 * OUTBOX_BACKOFF_MAX_S, &it), 0);
    CHECK_EQ_INT(it.id, id);

    /* A permanent refusal drops the item, with a log line. */
    lines[0] = '\0';
    CHECK_EQ_INT(outbox_failed(o, id, now, true), 0);
    CHECK(strstr(lines, "dropped") != NULL);
    CHECK_EQ_INT(outbox_get(o, id, &it), 0);
    CHECK_EQ_INT(outbox_state_name(it.state)[0], 'd');
    CHECK_EQ_INT(it.state, OUTBOX_DROPPED);
    CHECK_EQ_INT(outbox_count(o), 1);
    outbox_close(o);
}

/* A restart (close, open) keeps every waiting item with its key,
 * attempts and next time. */
static void test_restart(void)
{
    struct outbox *o = open_at("restart.sqlite", 0);
    int64_t id = 0;
    struct outbox_item before, after;
    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 500, &id), 0);
    CHECK_EQ_INT(outbox_failed(o, id, 500, false), 0);
    CHECK_EQ_INT(outbox_get(o, id, &before), 0);
    outbox_close(o);

    o = open_at("restart.sqlite", 0);
    CHECK_EQ_INT(outbox_count(o), 1);
    CHECK_EQ_INT(outbox_next_due(o, 510, &after), 0);
    CHECK_EQ_INT(after.id, id);
    CHECK_EQ_STR(after.key, before.key);
    CHECK_EQ_INT(after.attempts, 1);
    CHECK_EQ_INT(after.next_at, 510);
    CHECK_EQ_STR(after.body, rating);
    CHECK_EQ_INT(outbox_delivered(o, id, 511), 0);
    outbox_close(o);

    o = open_at("restart.sqlite", 0);
    CHECK_EQ_INT(outbox_count(o), 0);
    outbox_close(o);
}

static void test_bound(void)
{
    struct outbox *o = open_at("bound.sqlite", 3);
    int64_t ids[4] = {0};
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(
            outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 10 + i, &ids[i]), 0);
    lines[0] = '\0';
    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 20, &ids[3]), 0);
    CHECK(strstr(lines, "oldest rating") != NULL);
    CHECK_EQ_INT(outbox_count(o), 3);
    struct outbox_item it;
    CHECK_EQ_INT(outbox_get(o, ids[0], &it), 0);
    CHECK_EQ_INT(it.state, OUTBOX_DROPPED);
    CHECK_EQ_INT(outbox_next_due(o, 100, &it), 0);
    CHECK_EQ_INT(it.id, ids[1]);

    /* Other kinds are never dropped for room: ratings go first, then the
     * put is refused. */
    int64_t a = 0;
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(outbox_put(o, "audit", "POST", "/v1/audit", "{\"e\":1}", 30 + i, &a), 0);
    CHECK_EQ_INT(outbox_count(o), 3);
    lines[0] = '\0';
    CHECK_EQ_INT(outbox_put(o, "audit", "POST", "/v1/audit", "{\"e\":2}", 40, NULL), ERR_FULL);
    CHECK(strstr(lines, "full") != NULL);
    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 41, NULL),
                 ERR_FULL);
    CHECK_EQ_INT(outbox_count(o), 3);
    CHECK_EQ_INT(outbox_next_due(o, 100, &it), 0);
    CHECK_EQ_STR(it.kind, "audit");
    outbox_close(o);
}

static void test_refused(void)
{
    struct outbox *o = open_at("refused.sqlite", 0);
    static const struct {
        const char *kind, *method, *path, *body;
    } bad[] = {
        {"", "POST", "/v1/ratings", rating},
        {"Rating", "POST", "/v1/ratings", rating},
        {"a_very_long_kind_name", "POST", "/v1/ratings", rating},
        {NULL, "POST", "/v1/ratings", rating},
        {"rating", "GET", "/v1/ratings", rating},
        {"rating", "post", "/v1/ratings", rating},
        {"rating", NULL, "/v1/ratings", rating},
        {"rating", "POST", "v1/ratings", rating},
        {"rating", "POST", "/", rating},
        {"rating", "POST", "/v1/rat ings", rating},
        {"rating", "POST", NULL, rating},
        {"rating", "POST", "/v1/ratings", ""},
        {"rating", "POST", "/v1/ratings", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(outbox_put(o, bad[i].kind, bad[i].method, bad[i].path, bad[i].body, 1, NULL),
                     ERR_INVALID);
    char *big = malloc(OUTBOX_BODY_MAX + 1);
    memset(big, 'x', OUTBOX_BODY_MAX);
    big[OUTBOX_BODY_MAX] = '\0';
    CHECK_EQ_INT(outbox_put(o, "rating", "POST", "/v1/ratings", big, 1, NULL), ERR_TOOBIG);
    big[OUTBOX_BODY_MAX - 1] = '\0';
    CHECK_EQ_INT(outbox_put(o, "rating", "POST", "/v1/ratings", big, 1, NULL), 0);
    free(big);
    CHECK_EQ_INT(outbox_count(o), 1);
    outbox_close(o);

    struct outbox *none = NULL;
    CHECK_EQ_INT(outbox_open("/nonexistent-dir/outbox.sqlite", 0, &none), ERR_IO);
    CHECK(none == NULL);
}

/* The disk fills up (a file size limit stands in for it): the put fails
 * with a clear error, nothing half-written stays, and puts work again
 * once there is room. */
static void test_full_disk(void)
{
    struct outbox *o = open_at("full.sqlite", 0);
    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 1, NULL), 0);
    struct rlimit old;
    getrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_IGN);
    char *big = malloc(OUTBOX_BODY_MAX);
    memset(big, 'y', OUTBOX_BODY_MAX - 1);
    big[OUTBOX_BODY_MAX - 1] = '\0';
    struct rlimit tiny = {64 * 1024, old.rlim_max};
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    int rc = 0, n = 0;
    lines[0] = '\0';
    for (; n < 100 && rc == 0; n++)
        rc = outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", big, 2, NULL);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK(rc == ERR_FULL || rc == ERR_IO);
    CHECK(strstr(lines, "not added") != NULL);
    int stored = outbox_count(o);
    CHECK_EQ_INT(stored, n); /* the one before, and every put that said 0 */
    CHECK_EQ_INT(outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", rating, 3, NULL), 0);
    CHECK_EQ_INT(outbox_count(o), stored + 1);
    outbox_close(o);
    o = open_at("full.sqlite", 0);
    CHECK_EQ_INT(outbox_count(o), stored + 1);
    outbox_close(o);
    free(big);
}

/* Whether the bytes of path hold text. */
static bool file_holds(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static char data[1 << 20];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    size_t t = strlen(text);
    for (size_t i = 0; i + t <= n; i++)
        if (memcmp(data + i, text, t) == 0)
            return true;
    return false;
}

/* A whole visit in the session (card, token, certificate), rated by the
 * kiosk's own code: the outbox file and its WAL hold the rating and its
 * ref, and none of the visit's personal data. */
static void test_nothing_personal(void)
{
    static struct session s;
    session_begin(&s, SERVICE_PRINT_CERT, 0);
    struct idcard card = fixture_card();
    session_set_card(&s, &card, "test-audit-key");
    static const char token[] = "tok-5f2e9a7c-SECRET-visit-token";
    memcpy(s.token, token, sizeof token);
    s.has_cert = true;
    strcpy(s.cert.number, "JZCX-7Q4M-9K2T-XW3P");
    strcpy(s.cert.verify_code, "7Q4M9KXW");
    s.rating = 2;
    static const char *const reasons[] = {"等待时间长"};

    struct buf body;
    buf_init(&body, OUTBOX_BODY_MAX - 1);
    CHECK_EQ_INT(rating_format(&s, 2, reasons, 1, &body), 0);
    CHECK_EQ_STR((const char *)body.data,
                 "{\"level\":2,\"service\":\"certificate\",\"reasons\":[\"等待时间长\"],"
                 "\"ref\":{\"kind\":\"certificate\",\"id\":\"JZCX-7Q4M-9K2T-XW3P\"}}");
    struct outbox *o = open_at("privacy.sqlite", 0);
    CHECK_EQ_INT(
        outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", (const char *)body.data, 1, NULL),
        0);
    buf_fini(&body);

    /* A queue ticket is the ref when the visit took one. */
    s.has_ticket = true;
    strcpy(s.ticket.number, "C023");
    buf_init(&body, OUTBOX_BODY_MAX - 1);
    CHECK_EQ_INT(rating_format(&s, 5, NULL, 0, &body), 0);
    CHECK(strstr((const char *)body.data, "{\"kind\":\"ticket\",\"id\":\"C023\"}") != NULL);
    CHECK_EQ_INT(
        outbox_put(o, OUTBOX_KIND_RATING, "POST", "/v1/ratings", (const char *)body.data, 2, NULL),
        0);
    buf_fini(&body);
    CHECK_EQ_INT(rating_format(&s, 0, NULL, 0, &body), ERR_INVALID);

    char db[128], wal[128];
    snprintf(db, sizeof db, "%s/privacy.sqlite", dir);
    snprintf(wal, sizeof wal, "%s/privacy.sqlite-wal", dir);
    const char *const files[] = {db, wal};
    for (int pass = 0; pass < 2; pass++) {
        bool any = false;
        for (size_t f = 0; f < 2; f++)
            any = any || file_holds(files[f], "JZCX-7Q4M-9K2T-XW3P");
        CHECK(any); /* the check sees what is there */
        const char *const secrets[] = {token,         "SECRET",    FIXTURE_ID_NUMBER,
                                       "张三",        "民主南路",  s.id_hash,
                                       s.name_masked, s.id_masked, "7Q4M9KXW"};
        for (size_t f = 0; f < 2; f++)
            for (size_t k = 0; k < sizeof secrets / sizeof secrets[0]; k++)
                if (secrets[k][0] && file_holds(files[f], secrets[k])) {
                    fprintf(stderr, "%s holds \"%s\"\n", files[f], secrets[k]);
                    CHECK(0);
                }
        /* Again after the close has checkpointed the WAL into the file. */
        if (pass == 0) {
            outbox_close(o);
            o = NULL;
        }
    }
    session_wipe(&s);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/outbox_test_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    log_set_sink(on_log, NULL);
    test_put_next_delivered();
    test_backoff_same_key();
    test_restart();
    test_bound();
    test_refused();
    test_full_disk();
    test_nothing_personal();
    log_set_sink(NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("outbox_test");
}
