/* slip_test.c - slips composed from data, sent as ESC/POS, decoded back:
 * the paper equals the intended image, stays within the paper width, and
 * its QR code reads (zbarimg) as the queue-follow URL. Also the journal
 * payload round trip and the print journal itself: jobs known by their
 * own uid (queue numbers repeat), deadlines, reprints, an old file. */
#include "base/buf.h"
#include "base/err.h"
#include "check.h"
#include "drivers/escpos/escpos.h"
#include "print/slip_compose.h"
#include "print/slip_worker.h"
#include "slip_test_util.h"
#include "store/journal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int encode(const struct slip_raster *r, struct buf *b)
{
    int rc = escpos_encode_init(b);
    if (!rc)
        rc = escpos_encode_raster(b, r->bits, r->width, r->rows, r->stride, 128);
    if (!rc)
        rc = escpos_encode_cut(b, 0, true);
    return rc;
}

static void zbar(const struct escpos_page *p, const char *want)
{
    char png[] = "/tmp/slip_test_XXXXXX";
    int fd = mkstemp(png);
    close(fd);
    CHECK_EQ_INT(escpos_page_write_png(p, png), 0);
    char line[512];
    slip_test_read_qr(png, line, sizeof line);
    CHECK_EQ_STR(line, want);
    unlink(png);
}

static void test_slip(const struct slip_ticket *t)
{
    struct slip_raster r;
    CHECK_EQ_INT(slip_compose(t, NULL, &r), 0);
    CHECK_EQ_INT(r.width, 576);
    CHECK_EQ_INT(r.overflow, 0);
    CHECK(r.rows > 600 && r.rows < 1600);
    /* margins stay white: nothing printed in the outer 24 dots */
    int edge = 0;
    for (int y = 0; y < r.rows; y++)
        for (int x = 0; x < 24; x++)
            edge += (r.bits[y * 72 + x / 8] >> (7 - x % 8)) & 1 ||
                    (r.bits[y * 72 + (575 - x) / 8] >> (7 - (575 - x) % 8)) & 1;
    CHECK_EQ_INT(edge, 0);
    struct buf b;
    buf_init(&b, 4 << 20);
    CHECK_EQ_INT(encode(&r, &b), 0);
    struct escpos_page pg[2];
    int n = escpos_decode_all(b.data, b.len, pg, 2);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK_EQ_INT(pg[0].rows, r.rows);
        CHECK(memcmp(pg[0].bits, r.bits, (size_t)r.rows * 72) == 0);
        zbar(&pg[0], t->follow_url);
        escpos_page_fini(&pg[0]);
    }
    /* Another number is another picture: the text is in the raster. */
    struct slip_ticket o = *t;
    o.number[3] = o.number[3] == '9' ? '8' : (char)(o.number[3] + 1);
    struct slip_raster r2;
    CHECK_EQ_INT(slip_compose(&o, NULL, &r2), 0);
    CHECK(r2.rows != r.rows || memcmp(r2.bits, r.bits, (size_t)r.rows * 72) != 0);
    /* The same data twice is the same picture. */
    struct slip_raster r3;
    CHECK_EQ_INT(slip_compose(t, NULL, &r3), 0);
    CHECK(r3.rows == r.rows && memcmp(r3.bits, r.bits, (size_t)r.rows * 72) == 0);
    slip_raster_fini(&r);
    slip_raster_fini(&r2);
    slip_raster_fini(&r3);
    buf_fini(&b);
}

static void test_templates(void)
{
    struct slip_ticket t;
    slip_test_queue(&t, 23);
    char out[256];
    CHECK(slip_expand(&t, "请到 *{windows}* 办理", out, sizeof out));
    CHECK_EQ_STR(out, "请到 *3 号、4 号窗口* 办理");
    CHECK(slip_expand(&t, "前面还有 {ahead} 人", out, sizeof out));
    CHECK_EQ_STR(out, "前面还有 5 人");
    t.ahead = -1;
    CHECK(!slip_expand(&t, "前面还有 {ahead} 人", out, sizeof out));
    CHECK(!slip_expand(&t, "{appointment}", out, sizeof out));
    /* long texts wrap or shrink, never leave the paper */
    str_copy(t.service, sizeof t.service,
             "不动产登记资料查询及房屋套次查询证明出具（含历史档案调阅）");
    str_copy(t.time_limit, sizeof t.time_limit,
             "查询类业务 1 小时内办结；需调阅纸质档案的 3 个工作日内办结并电话通知");
    struct slip_raster r;
    CHECK_EQ_INT(slip_compose(&t, NULL, &r), 0);
    CHECK_EQ_INT(r.overflow, 0);
    slip_raster_fini(&r);
    t.number[0] = '\0';
    CHECK_EQ_INT(slip_compose(&t, NULL, &r), ERR_INVALID);
    slip_test_queue(&t, 1);
    t.hall[0] = (char)0xFF;
    CHECK_EQ_INT(slip_compose(&t, NULL, &r), ERR_INVALID);
    CHECK_EQ_INT(slip_compose_void(NULL, &r), 0);
    CHECK(r.rows > 20 && r.rows < 120);
    slip_raster_fini(&r);
}

static void test_payload(void)
{
    struct slip_ticket t, u;
    slip_test_appointment(&t, 7);
    char text[JOURNAL_PAYLOAD_MAX];
    CHECK_EQ_INT(slip_ticket_format(&t, text, sizeof text), 0);
    CHECK_EQ_INT(slip_ticket_parse(text, &u), 0);
    char again[JOURNAL_PAYLOAD_MAX];
    CHECK_EQ_INT(slip_ticket_format(&u, again, sizeof again), 0);
    CHECK_EQ_STR(again, text);
    CHECK_EQ_INT(u.material_count, 3);
    CHECK_EQ_STR(u.appointment, t.appointment);
    CHECK_EQ_INT(u.ahead, -1);
    str_copy(t.service, sizeof t.service, "a\nb");
    CHECK_EQ_INT(slip_ticket_format(&t, text, sizeof text), ERR_INVALID);
}

/* A job of kind with its own uid, printing key; deadline 0: none. */
static int add(struct journal *j, enum journal_kind kind, const char *uid, const char *key,
               const char *payload, int64_t deadline, int64_t *id)
{
    return journal_add(
        j,
        &(struct journal_new){
            .kind = kind, .uid = uid, .key = key, .payload = payload, .deadline = deadline},
        id);
}

/* What maintenance mode does with the journal: the newest jobs listed
 * (kinds filtered, newest first), a certificate held for staff (not
 * unfinished, not pruned, still the live job of its number), a failed
 * slip reprinted as a new job linked to it, once however often asked,
 * and never once printed. */
static void test_journal_staff(const char *path)
{
    struct journal *j, *ro;
    CHECK_EQ_INT(journal_open(path, &j), 0);
    CHECK_EQ_INT(journal_open_readonly(path, &ro), 0);
    CHECK_EQ_INT(journal_open_readonly("/nonexistent/journal.sqlite", &(struct journal *){0}),
                 ERR_IO);
    int64_t s1, s2, c1, dup, r1, r2;
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-1", "A010", "number=A010\n", 0, &s1), 0);
    CHECK_EQ_INT(add(j, JOURNAL_CERT, "JZCX-0001", "JZCX-0001", "cups=Q\n", 0, &c1), 0);
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-2", "A011", "number=A011\n", 0, &s2), 0);
    CHECK_EQ_INT(journal_set(j, c1, JOURNAL_SENT, 1, 77), 0);
    CHECK_EQ_INT(journal_set(j, c1, JOURNAL_HELD, 0, 0), 0);
    CHECK_EQ_STR(journal_state_name(JOURNAL_HELD), "held");
    CHECK_EQ_STR(journal_state_name(JOURNAL_EXPIRED), "expired");

    struct journal_entry rows[8];
    int n = journal_recent(ro, JOURNAL_KINDS_ALL, rows, 8);
    CHECK(n >= 3);
    if (n >= 3) {
        CHECK(rows[0].id == s2 && rows[1].id == c1 && rows[2].id == s1);
        CHECK_EQ_INT(rows[1].kind, JOURNAL_CERT);
        CHECK_EQ_INT(rows[1].state, JOURNAL_HELD);
        CHECK_EQ_STR(rows[1].key, "JZCX-0001");
        CHECK_EQ_INT(rows[1].ext_id, 77); /* the CUPS job kept for the retry */
        CHECK_EQ_INT(rows[1].attempts, 1);
        CHECK(rows[1].created > 0 && rows[1].updated >= rows[1].created);
    }
    CHECK_EQ_INT(journal_recent(ro, 1u << JOURNAL_CERT, rows, 8), 2); /* C001 and JZCX-0001 */
    CHECK_EQ_INT(rows[0].id, c1);
    CHECK_EQ_INT(journal_recent(ro, JOURNAL_KINDS_ALL, rows, 1), 1);
    CHECK_EQ_INT(journal_recent(ro, 0, rows, 8), 0);

    /* Held: for staff, not resumed by a restart, not pruned, and the live
     * job of its uid (a second submission finds it). */
    int64_t ids[8];
    CHECK_EQ_INT(journal_unfinished(j, JOURNAL_CERT, ids, 8), 1); /* C001, sent */
    CHECK(ids[0] != c1);
    CHECK_EQ_INT(add(j, JOURNAL_CERT, "JZCX-0001", "JZCX-0001", NULL, 0, &dup), ERR_BUSY);
    CHECK_EQ_INT(dup, c1);
    CHECK_EQ_INT(journal_prune(j, 1LL << 40), 0);
    CHECK_EQ_INT(journal_count(j, JOURNAL_CERT, JOURNAL_HELD), 1);

    /* Reprint: only a failed or expired job, as a new job linked to it. */
    CHECK_EQ_INT(journal_reprint(j, s1, 0, &r1), ERR_INVALID); /* queued */
    CHECK_EQ_INT(journal_reprint(j, 99999, 0, &r1), ERR_NOTFOUND);
    CHECK_EQ_INT(journal_withdraw(j, s1, JOURNAL_EXPIRED, JOURNAL_WHY_VISIT_ENDED), 0);
    CHECK_EQ_INT(journal_withdraw(j, s1, JOURNAL_CONFIRMED, 0), ERR_INVALID);
    /* A later citizen's A010 (the numbers started again) is in no way
     * the expired one: it neither blocks its reprint nor is blocked. */
    int64_t later;
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-3", "A010", "number=A010\nlater\n", 0, &later), 0);
    CHECK_EQ_INT(journal_set(j, later, JOURNAL_CONFIRMED, 0, 0), 0);
    CHECK_EQ_INT(journal_reprint(j, s1, 12345, &r1), 0);
    CHECK(r1 != s1 && r1 != later);
    struct journal_job *job = malloc(sizeof *job);
    CHECK_EQ_INT(journal_get(j, r1, job), 0);
    CHECK_EQ_INT(job->state, JOURNAL_QUEUED);
    CHECK_EQ_STR(job->payload, "number=A010\n");
    CHECK_EQ_STR(job->key, "A010");
    CHECK_EQ_STR(job->uid, "s-1/r1");
    CHECK_EQ_INT(job->origin, s1);
    CHECK_EQ_INT(job->deadline, 12345);
    CHECK_EQ_INT(journal_get(j, s1, job), 0);
    CHECK_EQ_INT(job->state, JOURNAL_EXPIRED); /* the original stays as it ended */
    CHECK_EQ_INT(job->reason, JOURNAL_WHY_VISIT_ENDED);
    /* Pressed again while the reprint waits: that one, not a second. */
    CHECK_EQ_INT(journal_reprint(j, s1, 0, &r2), ERR_BUSY);
    CHECK_EQ_INT(r2, r1);
    n = journal_recent(ro, JOURNAL_KINDS_ALL, rows, 8);
    CHECK(n >= 1 && rows[0].id == r1 && rows[0].origin == s1 && !rows[0].reprinted);
    for (int i = 0; i < n; i++)
        if (rows[i].id == s1)
            CHECK(rows[i].reprinted && rows[i].reason == JOURNAL_WHY_VISIT_ENDED);
    /* The reprint failed too: another may go, from the original or it. */
    CHECK_EQ_INT(journal_withdraw(j, r1, JOURNAL_FAILED, JOURNAL_WHY_NONE), 0);
    CHECK_EQ_INT(journal_reprint(j, r1, 0, &r2), 0);
    CHECK_EQ_INT(journal_get(j, r2, job), 0);
    CHECK_EQ_STR(job->uid, "s-1/r2");
    CHECK_EQ_INT(job->origin, s1);
    CHECK_EQ_INT(journal_set(j, r2, JOURNAL_CONFIRMED, 0, 0), 0);
    /* One came out: never again, from any job of the family. */
    CHECK_EQ_INT(journal_reprint(j, s1, 0, &dup), ERR_REJECTED);
    CHECK_EQ_INT(journal_reprint(j, r1, 0, &dup), ERR_REJECTED);
    CHECK_EQ_INT(journal_set(j, s2, JOURNAL_CONFIRMED, 0, 0), 0);
    CHECK_EQ_INT(journal_reprint(j, s2, 0, &dup), ERR_REJECTED); /* printed: never again */
    free(job);
    journal_close(ro);
    journal_close(j);
}

/* Queue numbers start again every day and after a registry restart: two
 * tickets A012 are two jobs, each printed, never taken for each other. */
static void test_journal_reset(const char *path)
{
    struct journal *j;
    CHECK_EQ_INT(journal_open(path, &j), 0);
    int64_t mon, tue, again;
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-mon", "A012", "number=A012\nmon\n", 0, &mon), 0);
    CHECK_EQ_INT(journal_set(j, mon, JOURNAL_CONFIRMED, 0, 0), 0);
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-tue", "A012", "number=A012\ntue\n", 0, &tue), 0);
    CHECK(tue != mon);
    int64_t ids[16];
    int n = journal_unfinished(j, JOURNAL_SLIP, ids, 16);
    bool has_tue = false, has_mon = false;
    for (int i = 0; i < n; i++) {
        has_tue = has_tue || ids[i] == tue;
        has_mon = has_mon || ids[i] == mon;
    }
    CHECK(has_tue && !has_mon);
    /* the same job submitted twice is still one */
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-tue", "A012", "x", 0, &again), ERR_BUSY);
    CHECK_EQ_INT(again, tue);
    journal_close(j);
}

/* Deadlines: journal_due lists what may still print past its deadline. */
static void test_journal_due(const char *path)
{
    struct journal *j;
    CHECK_EQ_INT(journal_open(path, &j), 0);
    int64_t a, b, c, d;
    CHECK_EQ_INT(add(j, JOURNAL_CERT, "JZCX-D1", "JZCX-D1", NULL, 100, &a), 0);
    CHECK_EQ_INT(add(j, JOURNAL_CERT, "JZCX-D2", "JZCX-D2", NULL, 200, &b), 0);
    CHECK_EQ_INT(add(j, JOURNAL_CERT, "JZCX-D3", "JZCX-D3", NULL, 0, &c), 0);
    CHECK_EQ_INT(add(j, JOURNAL_CERT, "JZCX-D4", "JZCX-D4", NULL, 50, &d), 0);
    CHECK_EQ_INT(journal_set(j, a, JOURNAL_HELD, 0, 5), 0);
    CHECK_EQ_INT(journal_set(j, d, JOURNAL_CONFIRMED, 0, 0), 0);
    int64_t ids[8];
    CHECK_EQ_INT(journal_due(j, JOURNAL_CERT, 99, ids, 8), 0);
    CHECK_EQ_INT(journal_due(j, JOURNAL_CERT, 150, ids, 8), 1); /* held, and due */
    CHECK_EQ_INT(ids[0], a);
    CHECK_EQ_INT(journal_due(j, JOURNAL_CERT, 1LL << 40, ids, 8), 2); /* not D3 (none), D4 */
    CHECK_EQ_INT(journal_due(j, JOURNAL_SLIP, 1LL << 40, ids, 8), 0);
    CHECK_EQ_INT(journal_withdraw(j, a, JOURNAL_EXPIRED, JOURNAL_WHY_DEADLINE), 0);
    CHECK_EQ_INT(journal_due(j, JOURNAL_CERT, 1LL << 40, ids, 8), 1);
    CHECK(journal_prune(j, 1LL << 40) >= 2); /* expired and confirmed among them */
    CHECK_EQ_INT(journal_count(j, JOURNAL_CERT, JOURNAL_EXPIRED), 0);
    journal_close(j);
}

/* A journal from before uids and deadlines opens: its rows get a uid and
 * a deadline five minutes after they were made, so what an old run left
 * waiting long ago is due now, not printed. */
static void test_journal_upgrade(void)
{
    char path[] = "/tmp/journal_old_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    sqlite3 *db = NULL;
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(db,
                              "CREATE TABLE print_jobs(id INTEGER PRIMARY KEY AUTOINCREMENT,"
                              " kind INTEGER NOT NULL, state INTEGER NOT NULL, key TEXT NOT NULL,"
                              " attempts INTEGER NOT NULL DEFAULT 0,"
                              " ext_id INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL,"
                              " updated INTEGER NOT NULL, payload TEXT NOT NULL DEFAULT '');"
                              "INSERT INTO print_jobs(kind, state, key, created, updated, payload)"
                              " VALUES(0, 0, 'C001', 1000, 1000, 'number=C001');",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    struct journal *j;
    CHECK_EQ_INT(journal_open(path, &j), 0);
    struct journal_job *job = malloc(sizeof *job);
    CHECK_EQ_INT(journal_get(j, 1, job), 0);
    CHECK_EQ_STR(job->uid, "old-1");
    CHECK_EQ_INT(job->deadline, 1300);
    CHECK_EQ_STR(job->key, "C001");
    free(job);
    int64_t ids[4], id;
    CHECK_EQ_INT(journal_due(j, JOURNAL_SLIP, 1LL << 40, ids, 4), 1);
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-new", "C001", NULL, 0, &id), 0);
    journal_close(j);
    CHECK_EQ_INT(journal_open(path, &j), 0); /* and opens again as it is now */
    journal_close(j);
    unlink(path);
}

static void test_journal(void)
{
    char path[] = "/tmp/journal_test_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    struct journal *j;
    CHECK_EQ_INT(journal_open(path, &j), 0);
    int64_t a, b, c;
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-a", "C001", "number=C001\n", 0, &a), 0);
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-b", "C002", "number=C002\n", 0, &b), 0);
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "s-a", "C001", "x", 0, &c), ERR_BUSY); /* same job */
    CHECK_EQ_INT(c, a);
    CHECK_EQ_INT(add(j, JOURNAL_CERT, "s-a", "C001", NULL, 0, &c), 0);        /* another kind */
    CHECK_EQ_INT(add(j, JOURNAL_SLIP, "", "C003", NULL, 0, &c), ERR_INVALID); /* no uid */
    CHECK_EQ_INT(journal_set(j, a, JOURNAL_SENDING, 1, 0), 0);
    CHECK_EQ_INT(journal_set(j, c, JOURNAL_SENT, 1, 42), 0);
    CHECK_EQ_INT(journal_set(j, 999, JOURNAL_SENT, 0, 0), ERR_NOTFOUND);
    journal_close(j);
    /* what was committed is there after a reopen */
    CHECK_EQ_INT(journal_open(path, &j), 0);
    struct journal_job *job = malloc(sizeof *job);
    CHECK_EQ_INT(journal_get(j, a, job), 0);
    CHECK_EQ_INT(job->state, JOURNAL_SENDING);
    CHECK_EQ_INT(job->attempts, 1);
    CHECK_EQ_STR(job->payload, "number=C001\n");
    CHECK_EQ_STR(job->uid, "s-a");
    CHECK_EQ_INT(journal_get(j, c, job), 0);
    CHECK_EQ_INT(job->ext_id, 42);
    int64_t ids[8];
    CHECK_EQ_INT(journal_unfinished(j, JOURNAL_SLIP, ids, 8), 2);
    CHECK(ids[0] == a && ids[1] == b);
    CHECK_EQ_INT(journal_set(j, a, JOURNAL_CONFIRMED, 0, 0), 0);
    CHECK_EQ_INT(journal_unfinished(j, JOURNAL_SLIP, ids, 8), 1);
    CHECK_EQ_INT(journal_count(j, JOURNAL_SLIP, JOURNAL_CONFIRMED), 1);
    CHECK_EQ_INT(journal_prune(j, 1LL << 40), 1);
    free(job);
    journal_close(j);
    test_journal_staff(path);
    test_journal_reset(path);
    test_journal_due(path);
    unlink(path);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    test_journal_upgrade();
}

int main(void)
{
    struct slip_ticket t;
    slip_test_queue(&t, 23);
    test_slip(&t);
    slip_test_appointment(&t, 7);
    test_slip(&t);
    test_templates();
    test_payload();
    test_journal();
    return check_report("slip_test");
}

/* fontconfig keeps process-wide caches it never frees; not ours to fix.
 * Read by LeakSanitizer only. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
