/* clock.c - monotonic and wall clocks with a shared test offset. */
#include "clock.h"

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
