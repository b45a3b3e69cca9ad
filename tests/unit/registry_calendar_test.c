/* registry_calendar_test.c - the registry's calendar as pure functions:
 * the 2026 holiday notice read from assets/registry/calendar.ini, working
 * days across weekends, holidays and worked weekend days, due times and
 * what remains of them, office hours, the hall's notice text, and data
 * files the reader must refuse. Single-threaded.
 */
#include "registry/registry_calendar.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct registry_calendar cal;

static void test_dates(void)
{
    CHECK_EQ_INT(registry_ymd_weekday(20260101), 4); /* Thursday */
    CHECK_EQ_INT(registry_ymd_weekday(20261010), 6);
    CHECK_EQ_INT(registry_ymd_weekday(20260920), 0);
    CHECK_EQ_INT(registry_ymd_weekday(19700101), 4);
    CHECK_EQ_INT(registry_ymd_add(20261231, 1), 20270101);
    CHECK_EQ_INT(registry_ymd_add(20280228, 1), 20280229);
    CHECK_EQ_INT(registry_ymd_add(20270301, -1), 20270228);
    CHECK_EQ_INT(registry_ymd_add(20260930, 12), 20261012);
    int64_t t = registry_ymd_at(20261122, 9, 43);
    char iso[32];
    clock_format_iso(t, iso, sizeof iso);
    CHECK_EQ_STR(iso, "2026-11-22T09:43:00+08:00");
    CHECK_EQ_INT(registry_ymd_of(t), 20261122);
    CHECK_EQ_INT(registry_ymd_of(registry_ymd_at(20261122, 23, 59)), 20261122);
    CHECK_EQ_INT(registry_ymd_of(registry_ymd_at(20261122, 0, 0)), 20261122);
    CHECK_EQ_STR(registry_weekday_name(20261123), "周一");
}

static void test_working_days(void)
{
    static const struct {
        int ymd;
        bool working;
        const char *name;
    } days[] = {
        {20260101, false, "元旦"},
        {20260103, false, "元旦"},
        {20260104, true, "调休上班"},
        {20260214, true, "调休上班"},
        {20260215, false, "春节"},
        {20260223, false, "春节"},
        {20260224, true, ""},
        {20260228, true, "调休上班"},
        {20260404, false, "清明节"},
        {20260406, false, "清明节"},
        {20260407, true, ""},
        {20260505, false, "劳动节"},
        {20260509, true, "调休上班"},
        {20260619, false, "端午节"},
        {20260920, true, "调休上班"},
        {20260925, false, "中秋节"},
        {20260927, false, "中秋节"},
        {20260930, true, ""},
        {20261001, false, "国庆节"},
        {20261007, false, "国庆节"},
        {20261008, true, ""},
        {20261010, true, "调休上班"},
        {20261011, false, ""},
        {20261121, false, ""},
        {20261123, true, ""},
        /* no notice for 2027: Monday to Friday */
        {20270101, true, ""},
        {20270102, false, ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(days); i++) {
        if (registry_calendar_is_working(&cal, days[i].ymd) != days[i].working)
            fprintf(stderr, "  %d: working should be %d\n", days[i].ymd, days[i].working);
        CHECK(registry_calendar_is_working(&cal, days[i].ymd) == days[i].working);
        CHECK_EQ_STR(registry_calendar_name(&cal, days[i].ymd), days[i].name);
    }
    CHECK(registry_calendar_is_working(NULL, 20261001)); /* no calendar: a Thursday */
    /* Across a weekend. */
    CHECK_EQ_INT(registry_calendar_nth_working(&cal, 20261120, 3), 20261125);
    CHECK_EQ_INT(registry_calendar_nth_working(&cal, 20261120, 0), 20261120);
    /* Across 国庆: 10-01..07 off, 10-08 and 10-09 worked, 10-10 a worked Saturday. */
    CHECK_EQ_INT(registry_calendar_nth_working(&cal, 20260930, 1), 20261008);
    CHECK_EQ_INT(registry_calendar_nth_working(&cal, 20260930, 3), 20261010);
    CHECK_EQ_INT(registry_calendar_nth_working(&cal, 20260930, 4), 20261012);
    /* Across 春节, with its worked Saturdays before and after. */
    CHECK_EQ_INT(registry_calendar_nth_working(&cal, 20260213, 1), 20260214);
    CHECK_EQ_INT(registry_calendar_nth_working(&cal, 20260214, 1), 20260224);
    CHECK_EQ_INT(registry_calendar_nth_working(&cal, 20260226, 2), 20260228);
    CHECK_EQ_INT(registry_calendar_next_working(&cal, 20261231), 20270101);
}

static void test_due_and_remaining(void)
{
    char iso[32];
    int64_t acc = registry_ymd_at(20260930, 10, 12);
    clock_format_iso(registry_calendar_due(&cal, acc, false, 3), iso, sizeof iso);
    CHECK_EQ_STR(iso, "2026-10-10T17:00:00+08:00");
    acc = registry_ymd_at(20261120, 10, 12);
    int64_t due = registry_calendar_due(&cal, acc, false, 3);
    clock_format_iso(due, iso, sizeof iso);
    CHECK_EQ_STR(iso, "2026-11-25T17:00:00+08:00");
    clock_format_iso(registry_calendar_due(&cal, acc, true, 1), iso, sizeof iso);
    CHECK_EQ_STR(iso, "2026-11-20T11:12:00+08:00");
    /* Accepted on a holiday (a registry may accept online): counted from it. */
    clock_format_iso(registry_calendar_due(&cal, registry_ymd_at(20261003, 9, 0), false, 1), iso,
                     sizeof iso);
    CHECK_EQ_STR(iso, "2026-10-08T17:00:00+08:00");

    struct registry_left l =
        registry_calendar_remaining(&cal, due, false, registry_ymd_at(20261123, 9, 43));
    CHECK(!l.hours);
    CHECK_EQ_INT(l.value, 2);
    l = registry_calendar_remaining(&cal, due, false, registry_ymd_at(20261122, 9, 43));
    CHECK(!l.hours);
    CHECK_EQ_INT(l.value, 3);
    l = registry_calendar_remaining(&cal, due, false, registry_ymd_at(20261124, 17, 30));
    CHECK(!l.hours);
    CHECK_EQ_INT(l.value, 1);
    l = registry_calendar_remaining(&cal, due, false, registry_ymd_at(20261125, 9, 30));
    CHECK(l.hours);
    CHECK_EQ_INT(l.value, 8); /* 7.5 hours, rounded up */
    l = registry_calendar_remaining(&cal, due, false, due);
    CHECK(l.hours);
    CHECK_EQ_INT(l.value, 0);
    l = registry_calendar_remaining(&cal, due, false, due + 86400 * 5);
    CHECK_EQ_INT(l.value, 0);
    /* An hours limit stays in hours. */
    l = registry_calendar_remaining(&cal, acc + 3600, true, acc + 60);
    CHECK(l.hours);
    CHECK_EQ_INT(l.value, 1);
    /* Across 国庆 from 09-30: 10-08, 10-09, 10-10 are what is left. */
    due = registry_calendar_due(&cal, registry_ymd_at(20260930, 10, 0), false, 3);
    l = registry_calendar_remaining(&cal, due, false, registry_ymd_at(20260930, 11, 0));
    CHECK(!l.hours);
    CHECK_EQ_INT(l.value, 3);
}

static void test_hours(void)
{
    CHECK(registry_calendar_open_at(&cal, registry_ymd_at(20261010, 10, 0)));
    CHECK(!registry_calendar_open_at(&cal, registry_ymd_at(20261011, 10, 0)));
    CHECK(!registry_calendar_open_at(&cal, registry_ymd_at(20261005, 10, 0)));
    CHECK(!registry_calendar_open_at(&cal, registry_ymd_at(20261009, 12, 30)));
    CHECK(registry_calendar_open_at(&cal, registry_ymd_at(20261009, 13, 30)));
    CHECK(registry_calendar_open_at(&cal, registry_ymd_at(20261009, 9, 0)));
    CHECK(!registry_calendar_open_at(&cal, registry_ymd_at(20261009, 8, 59)));
    CHECK(!registry_calendar_open_at(&cal, registry_ymd_at(20261009, 17, 0)));
}

static void test_notice(void)
{
    static const struct {
        int today;
        const char *want;
    } cases[] = {
        {20251220, "1月1日至3日元旦假期，窗口暂停服务；1月4日（周日）正常上班。"},
        {20260102, "1月1日至3日元旦假期，窗口暂停服务；1月4日（周日）正常上班。"},
        {20260120,
         "2月15日至23日春节假期，窗口暂停服务；2月14日（周六）、2月28日（周六）正常上班。"},
        {20260215, "2月15日至23日春节假期，窗口暂停服务；2月28日（周六）正常上班。"},
        {20260224, "2月28日（周六）春节调休上班，窗口正常服务。"},
        {20260310, "4月4日至6日清明节假期，窗口暂停服务。"},
        {20260915, "9月25日至27日中秋节假期，窗口暂停服务。"},
        {20260928, "10月1日至7日国庆节假期，窗口暂停服务；10月10日（周六）正常上班。"},
        {20261008, "10月10日（周六）国庆节调休上班，窗口正常服务。"},
        {20261101, ""},
        {20261205, ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char out[600];
        size_t n = registry_calendar_notice(&cal, cases[i].today, out, sizeof out);
        CHECK_EQ_STR(out, cases[i].want);
        CHECK_EQ_INT((int)n, (int)strlen(cases[i].want));
        CHECK(utf8_len(out) <= 200);
    }
    char small[20];
    registry_calendar_notice(&cal, 20260928, small, sizeof small);
    CHECK(strlen(small) < sizeof small);
}

/* A year's section given twice, apart. */
static const char repeated[] = "[2026]\nholiday = 元旦 01-01\n[2027]\nholiday = 元旦 01-01\n"
                               "[2026]\nholiday = 春节 02-01\n";

static void test_bad_files(void)
{
    static const char *const bad[] = {
        "[2026]\nholiday = 元旦 13-01\n",
        "[2026]\nholiday = 元旦 02-30\n",
        "[2026]\nworked = 元旦 01-04\n",
        "[2026]\nholiday = 元旦 01-01 01-03 01-05\n",
        "[2026]\nholiday = 元旦 01-01 03-03\n",
        "[twenty]\nholiday = 元旦 01-01\n",
        "holiday = 元旦 01-01\n",
        "[2026]\nvacation = 元旦 01-01\n",
        repeated,
    };
    char path[] = "/tmp/registry_calendar_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        FILE *f = fopen(path, "w");
        fputs(bad[i], f);
        fclose(f);
        struct registry_calendar c;
        char why[200] = "";
        int rc = registry_calendar_parse_file(path, &c, why, sizeof why);
        if (rc != ERR_INVALID)
            fprintf(stderr, "  bad file %zu accepted\n", i);
        CHECK_EQ_INT(rc, ERR_INVALID);
        CHECK(strstr(why, "line ") == why);
    }
    /* A holiday over New Year runs into the next year. */
    FILE *f = fopen(path, "w");
    fputs("[2030]\nholiday = 元旦 12-31 01-02\n", f);
    fclose(f);
    struct registry_calendar c;
    char why[200] = "";
    CHECK_EQ_INT(registry_calendar_parse_file(path, &c, why, sizeof why), 0);
    CHECK(!registry_calendar_is_working(&c, 20310102));
    CHECK(!registry_calendar_is_working(&c, 20301231));
    unlink(path);
    CHECK_EQ_INT(registry_calendar_parse_file("/nonexistent/calendar.ini", &c, why, sizeof why),
                 ERR_IO);
}

int main(void)
{
    unsetenv("BDC_KIOSK_ASSETS");
    char buf[256], why[200] = "";
    const char *path = registry_calendar_path(buf, sizeof buf);
    int rc = registry_calendar_parse_file(path, &cal, why, sizeof why);
    if (rc)
        fprintf(stderr, "  %s: %s\n", path, why);
    CHECK_EQ_INT(rc, 0);
    CHECK_EQ_INT(cal.year_count, 1);
    CHECK_EQ_INT(cal.count, 7);
    test_dates();
    test_working_days();
    test_due_and_remaining();
    test_hours();
    test_notice();
    test_bad_files();
    return check_report("registry_calendar_test");
}
