/* slip_test.c - slips composed from data, sent as ESC/POS, decoded back:
 * the paper equals the intended image, stays within the paper width, and
 * its QR code reads (zbarimg) as the queue-follow URL. Also the journal
 * payload round trip and the print journal itself. */
#include "base/buf.h"
#include "base/err.h"
#include "check.h"
#include "drivers/escpos/escpos.h"
#include "print/slip_compose.h"
#include "print/slip_worker.h"
#include "slip_test_util.h"
#include "store/journal.h"

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

/* What maintenance mode does with the journal: the newest jobs listed
 * (kinds filtered, newest first), a certificate held for staff (not
 * unfinished, not pruned, still the live job of its number), a failed
 * slip put back once, a confirmed one never. */
static void test_journal_staff(const char *path)
{
    struct journal *j, *ro;
    CHECK_EQ_INT(journal_open(path, &j), 0);
    CHECK_EQ_INT(journal_open_readonly(path, &ro), 0);
    CHECK_EQ_INT(journal_open_readonly("/nonexistent/journal.sqlite", &(struct journal *){0}),
                 ERR_IO);
    int64_t s1, s2, c1, dup;
    CHECK_EQ_INT(journal_add(j, JOURNAL_SLIP, "A010", "number=A010\n", &s1), 0);
    CHECK_EQ_INT(journal_add(j, JOURNAL_CERT, "JZCX-0001", "cups=Q\n", &c1), 0);
    CHECK_EQ_INT(journal_add(j, JOURNAL_SLIP, "A011", "number=A011\n", &s2), 0);
    CHECK_EQ_INT(journal_set(j, c1, JOURNAL_SENT, 1, 77), 0);
    CHECK_EQ_INT(journal_set(j, c1, JOURNAL_HELD, 0, 0), 0);
    CHECK_EQ_STR(journal_state_name(JOURNAL_HELD), "held");

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
     * job of its number (a second submission finds it). */
    int64_t ids[8];
    CHECK_EQ_INT(journal_unfinished(j, JOURNAL_CERT, ids, 8), 1); /* C001, sent */
    CHECK(ids[0] != c1);
    CHECK_EQ_INT(journal_add(j, JOURNAL_CERT, "JZCX-0001", NULL, &dup), ERR_BUSY);
    CHECK_EQ_INT(dup, c1);
    CHECK_EQ_INT(journal_prune(j, 1LL << 40), 0);
    CHECK_EQ_INT(journal_count(j, JOURNAL_CERT, JOURNAL_HELD), 1);

    /* Requeue: only a failed job, only while no other job of its key lives. */
    CHECK_EQ_INT(journal_requeue(j, s1), ERR_INVALID); /* queued */
    CHECK_EQ_INT(journal_requeue(j, 99999), ERR_NOTFOUND);
    CHECK_EQ_INT(journal_set(j, s1, JOURNAL_FAILED, 0, 0), 0);
    CHECK_EQ_INT(journal_requeue(j, s1), 0);
    struct journal_job *job = malloc(sizeof *job);
    CHECK_EQ_INT(journal_get(j, s1, job), 0);
    CHECK_EQ_INT(job->state, JOURNAL_QUEUED);
    CHECK_EQ_STR(job->payload, "number=A010\n");
    free(job);
    CHECK_EQ_INT(journal_set(j, s1, JOURNAL_FAILED, 0, 0), 0);
    CHECK_EQ_INT(journal_add(j, JOURNAL_SLIP, "A010", "number=A010\n", &dup), 0); /* again */
    CHECK_EQ_INT(journal_requeue(j, s1), ERR_BUSY); /* the new one would print it */
    CHECK_EQ_INT(journal_set(j, s2, JOURNAL_CONFIRMED, 0, 0), 0);
    CHECK_EQ_INT(journal_requeue(j, s2), ERR_INVALID); /* printed: never again */
    journal_close(ro);
    journal_close(j);
}

static void test_journal(void)
{
    char path[] = "/tmp/journal_test_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    struct journal *j;
    CHECK_EQ_INT(journal_open(path, &j), 0);
    int64_t a, b, c;
    CHECK_EQ_INT(journal_add(j, JOURNAL_SLIP, "C001", "number=C001\n", &a), 0);
    CHECK_EQ_INT(journal_add(j, JOURNAL_SLIP, "C002", "number=C002\n", &b), 0);
    CHECK_EQ_INT(journal_add(j, JOURNAL_SLIP, "C001", "x", &c), ERR_BUSY); /* same slip */
    CHECK_EQ_INT(c, a);
    CHECK_EQ_INT(journal_add(j, JOURNAL_CERT, "C001", NULL, &c), 0); /* another kind */
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
    unlink(path);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
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
