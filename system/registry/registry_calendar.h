/* registry_calendar.h - working days in China: the State Council's
 * holiday notice of each year (public holidays, and the weekend days that
 * are worked instead), and the 311 limits reckoned with it.
 *
 * A year the table has no notice for counts Monday to Friday as working
 * days, less the holidays the law fixes by date (元旦, 劳动节 1-2, 国庆节
 * 1-3), and says so in the log once, so the registry keeps answering in a
 * new year before its notice is added. Dates are days since 1970-01-01 in China Standard
 * Time; times are epoch seconds. Pure, any thread.
 */
#ifndef REGISTRY_CALENDAR_H
#define REGISTRY_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01 of a civil date, and back. */
int64_t cal_day(int year, int month, int day);
void cal_date(int64_t d, int *year, int *month, int *day);

/* The CST day of an epoch time, and the epoch time of hh:mm CST on day d. */
int64_t cal_day_of(int64_t t);
int64_t cal_time(int64_t d, int hour, int minute);

/* Whether the counters work on day d, and the day's name when it is a
 * public holiday ("国庆节") or a worked weekend day ("调休上班"), else "". */
bool cal_working(int64_t d);
const char *cal_name(int64_t d);

/* The nth working day after day d (n >= 1). */
int64_t cal_add_working(int64_t d, int n);

/* The promise of a limit from accepted (epoch s): for working days, 17:00
 * of the nth working day after the day of acceptance; for hours, n hours
 * later. */
int64_t cal_due(int64_t accepted, bool hours, int n);

/* What is left at now of a promise due at due: whole working days after
 * today up to the due day, or, when the due day is today (or the limit is
 * in hours), the hours left rounded up. 0 once due. */
void cal_remaining(int64_t now, int64_t due, bool *hours, int *value);

/* The next public holiday that starts within days of day d: its name, its
 * first and last day, and up to 2 worked weekend days around it. Returns
 * false when there is none. */
struct cal_holiday {
    const char *name;
    int64_t first, last;
    int64_t worked[2];
    int worked_count;
};
bool cal_next_holiday(int64_t d, int days, struct cal_holiday *out);

#endif
