/* registry_calendar.c - working days and the arithmetic of limits; see
 * registry_calendar.h and the comment at the top of
 * assets/registry/calendar.ini. Pure apart from reading the file.
 *
 * DESIGN: a date is a YYYYMMDD integer; arithmetic goes through the day
 * number since 1970-01-01 (base/clock's clock_days_from_civil), which is
 * exact for the proleptic Gregorian calendar and needs no time zone: China
 * keeps UTC+8 all year.
 */
#include "registry/registry_calendar.h"

#include "base/clock.h"
#include "base/datafile.h"
#include "base/err.h"
#include "base/util.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CST_OFFSET_S (8 * 3600)

/* ---- dates ------------------------------------------------------------------------ */

static int64_t days_from_ymd(int ymd)
{
    return clock_days_from_civil(ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static int ymd_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    return (int)(y * 10000 + m * 100 + d);
}

int registry_ymd_add(int ymd, int n)
{
    return ymd_from_days(days_from_ymd(ymd) + n);
}

int registry_ymd_weekday(int ymd)
{
    int64_t z = days_from_ymd(ymd); /* 1970-01-01 was a Thursday */
    return (int)(((z % 7) + 11) % 7);
}

int registry_ymd_of(int64_t t)
{
    int64_t local = t + CST_OFFSET_S;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    return ymd_from_days(days);
}

int64_t registry_ymd_at(int ymd, int hh, int mm)
{
    return days_from_ymd(ymd) * 86400 + hh * 3600 + mm * 60 - CST_OFFSET_S;
}

const char *registry_weekday_name(int ymd)
{
    static const char *const names[] = {"周日", "周一", "周二", "周三", "周四", "周五", "周六"};
    return names[registry_ymd_weekday(ymd)];
}

/* ---- the file --------------------------------------------------------------------- */

struct parse {
    struct registry_calendar *cal;
    char section[16];
    int year;
    char why[160];
};

/* A refused line: its reason kept for the error message. */
#define bad(p, ...) datafile_bad((p)->why, sizeof(p)->why, __VA_ARGS__)

static bool valid_ymd(int ymd)
{
    return ymd_from_days(days_from_ymd(ymd)) == ymd && ymd % 100 >= 1 && ymd / 100 % 100 >= 1 &&
           ymd / 100 % 100 <= 12;
}

/* "MM-DD" of year into YYYYMMDD, 0 if it is not a date. */
static int month_day(const char *s, int year)
{
    if (strlen(s) != 5 || s[2] != '-')
        return 0;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int m = (s[0] - '0') * 10 + (s[1] - '0'), d = (s[3] - '0') * 10 + (s[4] - '0');
    int ymd = year * 10000 + m * 100 + d;
    return m >= 1 && m <= 12 && d >= 1 && d <= 31 && valid_ymd(ymd) ? ymd : 0;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    struct registry_calendar *cal = p->cal;
    if (p->why[0])
        return 0;
    if (strcmp(section, p->section) != 0) {
        str_copy(p->section, sizeof p->section, section);
        int y = 0;
        for (const char *s = section; *s && y < 100000; s++)
            y = *s >= '0' && *s <= '9' ? y * 10 + (*s - '0') : 100000;
        if (strlen(section) != 4 || y < 1990 || y > 9998)
            return bad(p, "[%s]: sections are years", section);
        for (int i = 0; i < cal->year_count; i++)
            if (cal->years[i] == y)
                return bad(p, "year %d twice", y);
        if (cal->year_count >= REGISTRY_CAL_YEARS_MAX)
            return bad(p, "more than %d years", REGISTRY_CAL_YEARS_MAX);
        cal->years[cal->year_count++] = y;
        p->year = y;
    }
    if (!p->year)
        return bad(p, "%s outside a [YEAR] section", name);
    char copy[200];
    if (!str_copy(copy, sizeof copy, value))
        return bad(p, "line too long");
    char *save = NULL;
    char *hname = strtok_r(copy, " ", &save);
    if (!hname || strlen(hname) >= sizeof cal->holidays[0].name)
        return bad(p, "%s needs a holiday name first", name);
    if (strcmp(name, "holiday") == 0) {
        char *a = strtok_r(NULL, " ", &save), *b = strtok_r(NULL, " ", &save);
        int from = a ? month_day(a, p->year) : 0;
        int to = b ? month_day(b, p->year) : from;
        if (to && to < from)
            to = month_day(b, p->year + 1);
        if (!from || !to || strtok_r(NULL, " ", &save) ||
            days_from_ymd(to) - days_from_ymd(from) > 31)
            return bad(p, "holiday = NAME MM-DD [MM-DD], at most a month");
        if (cal->count >= REGISTRY_CAL_HOLIDAYS_MAX)
            return bad(p, "more than %d holidays", REGISTRY_CAL_HOLIDAYS_MAX);
        struct registry_holiday *h = &cal->holidays[cal->count++];
        memset(h, 0, sizeof *h);
        str_copy(h->name, sizeof h->name, hname);
        h->from = from;
        h->to = to;
        return 1;
    }
    if (strcmp(name, "worked") == 0) {
        struct registry_holiday *h = NULL;
        for (int i = cal->count - 1; i >= 0 && !h; i--)
            if (strcmp(cal->holidays[i].name, hname) == 0 &&
                cal->holidays[i].from / 10000 == p->year)
                h = &cal->holidays[i];
        if (!h)
            return bad(p, "worked for %s before its holiday line", hname);
        char *w;
        int n = 0;
        while ((w = strtok_r(NULL, " ", &save)) != NULL) {
            int ymd = month_day(w, p->year);
            if (!ymd || h->worked_count >= REGISTRY_CAL_WORKED_MAX)
                return bad(p, "worked = NAME MM-DD ..., at most %d days", REGISTRY_CAL_WORKED_MAX);
            h->worked[h->worked_count++] = ymd;
            n++;
        }
        return n ? 1 : bad(p, "worked needs at least one day");
    }
    return bad(p, "unknown key %s", name);
}

const char *registry_calendar_path(char *buf, size_t size)
{
    return datafile_path(buf, size, "registry/calendar.ini", REGISTRY_ASSETS_DIR "/calendar.ini");
}

int registry_calendar_parse_file(const char *path, struct registry_calendar *out, char *why,
                                 size_t why_size)
{
    memset(out, 0, sizeof *out);
    struct parse p = {.cal = out};
    return datafile_ini_result(ini_parse(path, on_entry, &p), p.why, why, why_size);
}

/* ---- working days ------------------------------------------------------------------ */

static const struct registry_holiday *holiday_on(const struct registry_calendar *cal, int ymd)
{
    for (int i = 0; cal && i < cal->count; i++)
        if (ymd >= cal->holidays[i].from && ymd <= cal->holidays[i].to)
            return &cal->holidays[i];
    return NULL;
}

static bool worked_weekend(const struct registry_calendar *cal, int ymd)
{
    for (int i = 0; cal && i < cal->count; i++)
        for (int k = 0; k < cal->holidays[i].worked_count; k++)
            if (cal->holidays[i].worked[k] == ymd)
                return true;
    return false;
}

bool registry_calendar_is_working(const struct registry_calendar *cal, int ymd)
{
    if (holiday_on(cal, ymd))
        return false;
    int wd = registry_ymd_weekday(ymd);
    return (wd >= 1 && wd <= 5) || worked_weekend(cal, ymd);
}

const char *registry_calendar_name(const struct registry_calendar *cal, int ymd)
{
    const struct registry_holiday *h = holiday_on(cal, ymd);
    if (h)
        return h->name;
    return worked_weekend(cal, ymd) ? "调休上班" : "";
}

int registry_calendar_next_working(const struct registry_calendar *cal, int ymd)
{
    /* A holiday lasts at most a month: 64 days always reach a working day. */
    for (int i = 1; i < 64; i++)
        if (registry_calendar_is_working(cal, registry_ymd_add(ymd, i)))
            return registry_ymd_add(ymd, i);
    return registry_ymd_add(ymd, 64);
}

int registry_calendar_nth_working(const struct registry_calendar *cal, int ymd, int n)
{
    for (int i = 0; i < n; i++)
        ymd = registry_calendar_next_working(cal, ymd);
    return ymd;
}

int64_t registry_calendar_due(const struct registry_calendar *cal, int64_t accepted_s, bool hours,
                              int value)
{
    if (hours)
        return accepted_s + (int64_t)value * 3600;
    int day = registry_calendar_nth_working(cal, registry_ymd_of(accepted_s), value);
    return registry_ymd_at(day, 17, 0);
}

struct registry_left registry_calendar_remaining(const struct registry_calendar *cal, int64_t due_s,
                                                 bool hours_limit, int64_t now_s)
{
    struct registry_left left = {.hours = true, .value = 0};
    if (now_s >= due_s)
        return left;
    if (!hours_limit) {
        int today = registry_ymd_of(now_s), due_day = registry_ymd_of(due_s), n = 0;
        for (int d = registry_ymd_add(today, 1); d <= due_day && n < 10000;
             d = registry_ymd_add(d, 1))
            n += registry_calendar_is_working(cal, d);
        if (n > 0) {
            left.hours = false;
            left.value = n;
            return left;
        }
    }
    int64_t h = (due_s - now_s + 3599) / 3600;
    left.value = h > 100000 ? 100000 : (int)h;
    return left;
}

bool registry_calendar_open_at(const struct registry_calendar *cal, int64_t t)
{
    int ymd = registry_ymd_of(t);
    if (!registry_calendar_is_working(cal, ymd))
        return false;
    int64_t m = (t - registry_ymd_at(ymd, 0, 0)) / 60;
    return (m >= 9 * 60 && m < 12 * 60) || (m >= 13 * 60 + 30 && m < 17 * 60);
}

/* ---- the notice --------------------------------------------------------------------- */

static void append(char *out, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *out, size_t size, size_t *len, const char *fmt, ...)
{
    if (*len >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = *len + (size_t)n >= size ? size - 1 : *len + (size_t)n;
}

/* "10月10日（周六）、…正常上班" for the worked days from today on. */
static void worked_days(const struct registry_holiday *h, int today, char *out, size_t size,
                        size_t *len)
{
    int k = 0;
    for (int i = 0; i < h->worked_count; i++) {
        int d = h->worked[i];
        if (d < today)
            continue;
        append(out, size, len, "%s%d月%d日（%s）", k++ ? "、" : "", d / 100 % 100, d % 100,
               registry_weekday_name(d));
    }
}

size_t registry_calendar_notice(const struct registry_calendar *cal, int today, char *out,
                                size_t size)
{
    size_t len = 0;
    if (!size)
        return 0;
    out[0] = '\0';
    int horizon = registry_ymd_add(today, 30);
    const struct registry_holiday *next = NULL;
    for (int i = 0; cal && i < cal->count; i++) {
        const struct registry_holiday *h = &cal->holidays[i];
        if (h->to >= today && h->from <= horizon && (!next || h->from < next->from))
            next = h;
    }
    if (next) {
        int f = next->from, t = next->to;
        if (f == t)
            append(out, size, &len, "%d月%d日", f / 100 % 100, f % 100);
        else if (f / 100 == t / 100)
            append(out, size, &len, "%d月%d日至%d日", f / 100 % 100, f % 100, t % 100);
        else
            append(out, size, &len, "%d月%d日至%d月%d日", f / 100 % 100, f % 100, t / 100 % 100,
                   t % 100);
        append(out, size, &len, "%s假期，窗口暂停服务", next->name);
        size_t before = len;
        append(out, size, &len, "；");
        size_t mark = len;
        worked_days(next, today, out, size, &len);
        if (len == mark) {
            len = before;
            out[len] = '\0';
        } else {
            append(out, size, &len, "正常上班");
        }
        append(out, size, &len, "。");
        return len;
    }
    /* No holiday near: a worked weekend day still ahead (after the holiday
     * it was worked for). */
    for (int i = 0; cal && i < cal->count; i++) {
        const struct registry_holiday *h = &cal->holidays[i];
        for (int k = 0; k < h->worked_count; k++) {
            int d = h->worked[k];
            if (d >= today && d <= horizon) {
                append(out, size, &len, "%d月%d日（%s）%s调休上班，窗口正常服务。", d / 100 % 100,
                       d % 100, registry_weekday_name(d), h->name);
                return len;
            }
        }
    }
    return len;
}
