/* clock.h - the kiosk's sense of time, which tests can advance.
 *
 * Every timeout in the kiosk (idle countdown, capture limit, session
 * expiry) reads clock_mono_ms(); shown times read clock_wall_s(). Both add
 * one offset that clock_advance_ms() moves forward, so a test or the
 * control socket's `clock +SECONDS` makes the kiosk live through a minute
 * at once. Thread-safe.
 */
#ifndef BASE_CLOCK_H
#define BASE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds of CLOCK_MONOTONIC plus the test offset. */
int64_t clock_mono_ms(void);

/* Milliseconds of CLOCK_MONOTONIC without the test offset: physical time,
 * for device transfer deadlines that a test's clock jump must not cut
 * short. */
int64_t clock_physical_ms(void);

/* The CLOCK_MONOTONIC instant ms (>= 0) from now, for
 * pthread_cond_timedwait on a condition variable whose clock is
 * CLOCK_MONOTONIC (pthread_condattr_setclock). Physical time, like
 * clock_physical_ms(). */
struct timespec clock_deadline_in(int64_t ms);

/* Seconds since the epoch (UTC) plus the test offset. */
int64_t clock_wall_s(void);

/* Moves both clocks forward by ms (>= 0). */
void clock_advance_ms(int64_t ms);

/* Formats t (epoch seconds) as ISO 8601 in China Standard Time
 * ("2026-11-22T09:42:00+08:00") into out (at least 26 bytes). */
void clock_format_iso(int64_t t, char *out, unsigned size);

/* Parses ISO 8601 date and time with its offset ("2026-11-22T09:42:00+08:00",
 * "...Z"; fractions of a second ignored) into epoch seconds. Returns 0,
 * or -1 when s is not such a time (nothing written). */
int clock_parse_iso(const char *s, int64_t *t);

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil; negative before 1970). */
int64_t clock_days_from_civil(int64_t y, int m, int d);

/* Broken-down China Standard Time of t (UTC+8, no daylight saving). */
struct clock_cst {
    int year, month, day, hour, minute, second, weekday; /* weekday 0 = Sunday */
};
void clock_to_cst(int64_t t, struct clock_cst *out);

#endif
