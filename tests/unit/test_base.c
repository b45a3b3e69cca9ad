/* test_base.c - buf limits, queue order and close, masking, GB 11643. */
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/queue.h"
#include "base/util.h"
#include "check.h"

#include <pthread.h>
#include <string.h>

static void test_buf(void)
{
    struct buf b;
    buf_init(&b, 10);
    CHECK_EQ_INT(buf_append(&b, "12345", 5), 0);
    CHECK_EQ_INT(buf_append(&b, "123456", 6), ERR_TOOBIG);
    CHECK_EQ_INT(b.len, 5);
    CHECK_EQ_INT(buf_printf(&b, "%d", 12345), 0);
    CHECK_EQ_INT(buf_terminate(&b), 0);
    CHECK_EQ_STR((char *)b.data, "1234512345");
    buf_consume(&b, 3);
    CHECK_EQ_INT(b.len, 7);
    CHECK(memcmp(b.data, "4512345", 7) == 0);
    buf_reset(&b);
    CHECK_EQ_INT(b.len, 0);
    buf_fini(&b);
    CHECK(b.data == NULL);

    struct buf big;
    buf_init(&big, 100000);
    for (int i = 0; i < 1000; i++)
        CHECK_EQ_INT(buf_printf(&big, "%099d", i), 0);
    CHECK_EQ_INT(big.len, 99000);
    CHECK_EQ_INT(buf_printf(&big, "%01000d", 1), 0);
    CHECK_EQ_INT(buf_printf(&big, "%01000d", 1), ERR_TOOBIG);
    buf_fini(&big);
}

static void *producer(void *arg)
{
    struct queue *q = arg;
    for (int i = 0; i < 1000; i++)
        while (queue_push(q, &i, NULL) == ERR_FULL)
            ;
    return NULL;
}

static void test_queue(void)
{
    struct queue *q = queue_create(sizeof(int), 4);
    int v;
    bool was_empty = false;
    CHECK_EQ_INT(queue_pop(q, &v, 0), ERR_EMPTY);
    CHECK_EQ_INT(queue_pop(q, &v, 20), ERR_TIMEOUT);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(queue_push(q, &i, &was_empty), 0);
        CHECK(was_empty == (i == 0));
    }
    CHECK_EQ_INT(queue_push(q, &v, NULL), ERR_FULL);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(queue_pop(q, &v, 0), 0);
        CHECK_EQ_INT(v, i);
    }
    pthread_t t;
    pthread_create(&t, NULL, producer, q);
    int expect = 0, in_order = 1;
    while (expect < 1000) {
        CHECK_EQ_INT(queue_pop(q, &v, -1), 0);
        in_order &= v == expect++;
    }
    CHECK(in_order);
    pthread_join(t, NULL);
    queue_close(q);
    CHECK_EQ_INT(queue_push(q, &v, NULL), ERR_CLOSED);
    CHECK_EQ_INT(queue_pop(q, &v, -1), ERR_CLOSED);
    queue_destroy(q);
}

static void test_strings(void)
{
    char out[64];
    mask_name("张三丰", out, sizeof out);
    CHECK_EQ_STR(out, "张**");
    mask_name("李", out, sizeof out);
    CHECK_EQ_STR(out, "李");
    mask_name("", out, sizeof out);
    CHECK_EQ_STR(out, "");
    mask_id("41080219900307123X", out, sizeof out);
    CHECK_EQ_STR(out, "4108**********123X");
    mask_id("123", out, sizeof out);
    CHECK_EQ_STR(out, "***");

    /* str_copy never splits a UTF-8 character. */
    CHECK(!str_copy(out, 5, "张三"));
    CHECK_EQ_STR(out, "张");
    CHECK(str_copy(out, 7, "张三"));
    CHECK_EQ_INT(utf8_len("焦作市abc"), 6);

    /* GB 11643: published examples and a flipped digit. */
    CHECK(idnum_is_valid("11010519491231002X"));
    CHECK(idnum_is_valid("440524188001010014"));
    CHECK(!idnum_is_valid("440524188001010015"));
    CHECK(!idnum_is_valid("4405241880010100"));
    CHECK(!idnum_is_valid("44052418800101001A"));
    CHECK_EQ_INT(idnum_check_char("11010519491231002"), 'X');

    /* What the audit trail refuses: 17 digits in a row, check character or not. */
    CHECK(text_has_idnum("card 11010519491231002X read"));
    CHECK(text_has_idnum("44052418800101001"));
    CHECK(!text_has_idnum("4405241880010100"));
    CHECK(!text_has_idnum("4108**********1234"));
    CHECK(!text_has_idnum("job 12345678 1234567890"));
    CHECK(!text_has_idnum("") && !text_has_idnum(NULL));
    CHECK(audit_action_is_known("enter") && audit_action_is_known("restart"));
    CHECK(!audit_action_is_known("Enter") && !audit_action_is_known("") &&
          !audit_action_is_known(NULL));
}

static void test_clock(void)
{
    int64_t a = clock_mono_ms(), w = clock_wall_s();
    clock_advance_ms(60000);
    CHECK(clock_mono_ms() - a >= 60000);
    CHECK(clock_wall_s() - w >= 60);
    char iso[32];
    clock_format_iso(0, iso, sizeof iso);
    CHECK_EQ_STR(iso, "1970-01-01T08:00:00+08:00");
    struct clock_cst c;
    clock_to_cst(1763775720, &c); /* 2025-11-22 09:42:00 CST, a Saturday */
    CHECK_EQ_INT(c.hour, 9);
    CHECK_EQ_INT(c.weekday, 6);
    /* ISO times back to epoch seconds, whatever their offset. */
    int64_t t = -1;
    CHECK(clock_parse_iso("2025-11-22T09:42:00+08:00", &t) == 0 && t == 1763775720);
    CHECK(clock_parse_iso("2025-11-22T01:42:00Z", &t) == 0 && t == 1763775720);
    CHECK(clock_parse_iso("2025-11-21T20:12:00.250-0530", &t) == 0 && t == 1763775720);
    CHECK(clock_parse_iso("1970-01-01T00:00:00Z", &t) == 0 && t == 0);
    CHECK(clock_parse_iso("2024-02-29T12:00:00Z", &t) == 0 && t == 1709208000);
    clock_format_iso(1763775720, iso, sizeof iso);
    CHECK(clock_parse_iso(iso, &t) == 0 && t == 1763775720);
    t = 7;
    static const char *const bad[] = {"",
                                      "2025-11-22",
                                      "2025-11-22T09:42:00",
                                      "2025-13-01T00:00:00Z",
                                      "2025-11-22T24:00:00Z",
                                      "2025-11-22T09:42:00+8",
                                      "x",
                                      "2025-11-22T09:42:00Zjunk",
                                      "2025-11-22T09:42:00.Z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(clock_parse_iso(bad[i], &t) == -1);
    CHECK(clock_parse_iso(NULL, &t) == -1 && t == 7);
}

int main(void)
{
    test_buf();
    test_queue();
    test_strings();
    test_clock();
    CHECK_EQ_STR(err_name(ERR_CHECKSUM), "checksum");
    CHECK_EQ_STR(err_name(ERR_CORRUPT), "corrupt"); /* the last one has its row */
    CHECK_EQ_STR(err_str(ERR_CORRUPT), "stored data damaged");
    CHECK_EQ_STR(err_str(-999), "unknown error");
    return check_report("test_base");
}
