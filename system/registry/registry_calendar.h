/* registry_calendar.h - working days in China: the State Council's
 * holiday notice of each year (public holidays and the weekend days worked
 * instead), Monday to Friday for a year without one; and the arithmetic
 * every limit, due time and appointment day is reckoned with.
 *
 * Pure functions over a calendar read from a data file
 * (assets/registry/calendar.ini, or $BDC_KIOSK_ASSETS/registry/calendar.ini).
 * Dates are YYYYMMDD integers, times epoch seconds, days and hours those
 * of China Standard Time (UTC+8, no daylight saving). Any thread; a
 * calendar is read-only once parsed.
 */
#ifndef REGISTRY_CALENDAR_H
#define REGISTRY_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REGISTRY_CAL_YEARS_MAX    32
#define REGISTRY_CAL_HOLIDAYS_MAX 256
#define REGISTRY_CAL_WORKED_MAX   4

struct registry_holiday {
    char name[32]; /* 国庆节 */
    int from, to;  /* YYYYMMDD, inclusive */
    int worked_count;
    int worked[REGISTRY_CAL_WORKED_MAX]; /* the weekend days worked for it */
};

struct registry_calendar {
    int year_count;
    int years[REGISTRY_CAL_YEARS_MAX]; /* years with a notice */
    int count;
    struct registry_holiday holidays[REGISTRY_CAL_HOLIDAYS_MAX]; /* in file order */
};

/* The data file: $BDC_KIOSK_ASSETS/registry/calendar.ini when that is set,
 * else the one of the source tree the library was built from. */
const char *registry_calendar_path(char *buf, size_t size);

/* Reads a calendar file into out (caller's storage). 0, ERR_IO or
 * ERR_INVALID with a sentence and the line number in why. */
int registry_calendar_parse_file(const char *path, struct registry_calendar *out, char *why,
                                 size_t why_size);

/* ---- dates ---------------------------------------------------------------------- */

/* YYYYMMDD plus n days (n may be negative). */
int registry_ymd_add(int ymd, int n);
/* 0 = Sunday .. 6 = Saturday. */
int registry_ymd_weekday(int ymd);
/* The date (CST) of epoch seconds t. */
int registry_ymd_of(int64_t t);
/* Epoch seconds of hh:mm CST on ymd. */
int64_t registry_ymd_at(int ymd, int hh, int mm);
/* "周一" .. "周日". */
const char *registry_weekday_name(int ymd);

/* ---- the calendar ------------------------------------------------------------------ */

/* Whether the counters work on ymd: not a holiday, and Monday to Friday
 * or a worked weekend day. cal may be NULL (Monday to Friday). */
bool registry_calendar_is_working(const struct registry_calendar *cal, int ymd);
/* What the day is: the holiday's name, "调休上班" for a worked weekend
 * day, else "". */
const char *registry_calendar_name(const struct registry_calendar *cal, int ymd);
/* The nth working day after ymd (n >= 1); ymd itself for n <= 0. */
int registry_calendar_nth_working(const struct registry_calendar *cal, int ymd, int n);
/* The first working day after ymd. */
int registry_calendar_next_working(const struct registry_calendar *cal, int ymd);

/* The promised time of a limit from accepted_s: for working days 17:00 of
 * the nth working day after the day of acceptance, for hours that many
 * hours later. */
int64_t registry_calendar_due(const struct registry_calendar *cal, int64_t accepted_s, bool hours,
                              int value);

/* What is left of a limit due at due_s, seen at now_s: whole working days
 * still to come up to the due day (the due day counts, today does not);
 * hours, rounded up, when the due day is today or the limit is in hours;
 * 0 hours once due. */
struct registry_left {
    bool hours;
    int value;
};
struct registry_left registry_calendar_remaining(const struct registry_calendar *cal, int64_t due_s,
                                                 bool hours_limit, int64_t now_s);

/* The counters' hours: 9:00-12:00 and 13:30-17:00 of a working day. */
bool registry_calendar_open_at(const struct registry_calendar *cal, int64_t t);

/* The hall's notice on day today: the next public holiday that has not
 * ended and starts within 30 days, and its worked weekend days still to
 * come ("10月1日至7日国庆节假期，窗口暂停服务；10月10日（周六）正常上班。");
 * with none, a worked weekend day within 30 days; else "". Returns the
 * length written (out always terminated). */
size_t registry_calendar_notice(const struct registry_calendar *cal, int today, char *out,
                                size_t size);

#endif
