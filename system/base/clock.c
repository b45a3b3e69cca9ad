/* clock.c - monotonic and wall clocks with a shared test offset. */
#include "clock.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static _Atomic int64_t clock_offset_ms;

int64_t clock_physical_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ms(void)
{
    return clock_physical_ms() + atomic_load(&clock_offset_ms);
}

struct timespec clock_deadline_in(int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

int64_t clock_wall_s(void)
{
    return (int64_t)time(NULL) + atomic_load(&clock_offset_ms) / 1000;
}

void clock_advance_ms(int64_t ms)
{
    if (ms > 0)
        atomic_fetch_add(&clock_offset_ms, ms);
}

void clock_to_cst(int64_t t, struct clock_cst *out)
{
    /* China has no daylight saving: fixed UTC+8, no tz database needed. */
    time_t local = (time_t)(t + 8 * 3600);
    struct tm tm;
    gmtime_r(&local, &tm);
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
    out->hour = tm.tm_hour;
    out->minute = tm.tm_min;
    out->second = tm.tm_sec;
    out->weekday = tm.tm_wday;
}

void clock_format_iso(int64_t t, char *out, unsigned size)
{
    struct clock_cst c;
    clock_to_cst(t, &c);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", c.year, c.month, c.day, c.hour,
             c.minute, c.second);
}

int64_t clock_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* n digits at *p as a number; -1 when one is not a digit. */
static int digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

int clock_parse_iso(const char *s, int64_t *t)
{
    if (!s)
        return -1;
    const char *p = s;
    int y = digits(&p, 4);
    int mo = *p == '-' ? (p++, digits(&p, 2)) : -1;
    int d = *p == '-' ? (p++, digits(&p, 2)) : -1;
    int h = *p == 'T' || *p == ' ' ? (p++, digits(&p, 2)) : -1;
    int mi = *p == ':' ? (p++, digits(&p, 2)) : -1;
    int se = *p == ':' ? (p++, digits(&p, 2)) : -1;
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        se < 0 || se > 60)
        return -1;
    if (*p == '.' || *p == ',') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    int off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int oh = digits(&p, 2);
        int om = *p == ':' ? (p++, digits(&p, 2)) : digits(&p, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return -1;
        off = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p)
        return -1;
    *t = clock_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    return 0;
}
