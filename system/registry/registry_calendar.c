/* registry_calendar.c - working days and the 311 limits; see
 * registry_calendar.h.
 *
 * The table is the State Council's notice on the holidays of 2026
 * (国务院办公厅关于2026年部分节假日安排的通知, 4 November 2025). A new
 * year's notice is one row per holiday here.
 */
#include "registry/registry_calendar.h"

#include "base/log.h"

#include <stddef.h>
#include <string.h>

struct holiday {
    const char *name;
    int year;
    int first_m, first_d, last_m, last_d;
    int worked[2][2]; /* month, day; {0, 0} none */
};

static const struct holiday holidays[] = {
    {"元旦", 2026, 1, 1, 1, 3, {{1, 4}, {0, 0}}},
    {"春节", 2026, 2, 15, 2, 23, {{2, 14}, {2, 28}}},
    {"清明节", 2026, 4, 4, 4, 6, {{0, 0}, {0, 0}}},
    {"劳动节", 2026, 5, 1, 5, 5, {{5, 9}, {0, 0}}},
    {"端午节", 2026, 6, 19, 6, 21, {{0, 0}, {0, 0}}},
    {"中秋节", 2026, 9, 25, 9, 27, {{0, 0}, {0, 0}}},
    {"国庆节", 2026, 10, 1, 10, 7, {{9, 20}, {10, 10}}},
};

static const int years_known[] = {2026};

/* A year without its notice still has the holidays the law fixes by date
 * (全国年节及纪念日放假办法): 元旦, 劳动节 and 国庆节; the lunar ones and
 * the worked weekends come only with the notice. */
static const struct holiday fixed[] = {
    {"元旦", 0, 1, 1, 1, 1, {{0, 0}, {0, 0}}},
    {"劳动节", 0, 5, 1, 5, 2, {{0, 0}, {0, 0}}},
    {"国庆节", 0, 10, 1, 10, 3, {{0, 0}, {0, 0}}},
};

/* Howard Hinnant's days_from_civil. */
int64_t cal_day(int year, int month, int day)
{
    int64_t y = year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cal_date(int64_t d, int *year, int *month, int *day)
{
    d += 719468;
    int64_t era = (d >= 0 ? d : d - 146096) / 146097;
    int64_t doe = d - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = m;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
}

int64_t cal_day_of(int64_t t)
{
    int64_t s = t + 8 * 3600; /* CST, no daylight saving */
    return s >= 0 ? s / 86400 : (s - 86399) / 86400;
}

int64_t cal_time(int64_t d, int hour, int minute)
{
    return d * 86400 + hour * 3600 + minute * 60 - 8 * 3600;
}

static bool year_known(int y)
{
    for (size_t i = 0; i < sizeof years_known / sizeof years_known[0]; i++)
        if (years_known[i] == y)
            return true;
    return false;
}

/* The holiday row d falls in (1), is worked for (2), or neither (0). */
static int lookup(int64_t d, const struct holiday **h)
{
    int y, m, dd;
    cal_date(d, &y, &m, &dd);
    for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++) {
        const struct holiday *r = &holidays[i];
        if (r->year != y && !(r->year == y - 1 && r->first_m == 12))
            continue;
        int64_t first = cal_day(r->year, r->first_m, r->first_d);
        int64_t last = cal_day(r->year, r->last_m, r->last_d);
        *h = r;
        if (d >= first && d <= last)
            return 1;
        for (int k = 0; k < 2; k++)
            if (r->worked[k][0] && d == cal_day(r->year, r->worked[k][0], r->worked[k][1]))
                return 2;
    }
    if (!year_known(y)) {
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
            if (d >= cal_day(y, fixed[i].first_m, fixed[i].first_d) &&
                d <= cal_day(y, fixed[i].last_m, fixed[i].last_d)) {
                *h = &fixed[i];
                return 1;
            }
        }
    }
    *h = NULL;
    return 0;
}

bool cal_working(int64_t d)
{
    const struct holiday *h;
    int kind = lookup(d, &h);
    if (kind)
        return kind == 2;
    int y, m, dd;
    cal_date(d, &y, &m, &dd);
    static int warned;
    if (!year_known(y) && warned != y) {
        warned = y;
        log_warn("registry", "no holiday notice for %d: Monday to Friday are working days", y);
    }
    int64_t wd = (d + 4) % 7; /* 1970-01-01 was a Thursday: 0 = Sunday */
    if (wd < 0)
        wd += 7;
    return wd >= 1 && wd <= 5;
}

const char *cal_name(int64_t d)
{
    const struct holiday *h;
    int kind = lookup(d, &h);
    return kind == 1 ? h->name : kind == 2 ? "调休上班" : "";
}

int64_t cal_add_working(int64_t d, int n)
{
    while (n > 0) {
        d++;
        if (cal_working(d))
            n--;
    }
    return d;
}

int64_t cal_due(int64_t accepted, bool hours, int n)
{
    if (hours)
        return accepted + (int64_t)n * 3600;
    return cal_time(cal_add_working(cal_day_of(accepted), n), 17, 0);
}

void cal_remaining(int64_t now, int64_t due, bool *hours, int *value)
{
    *hours = true;
    *value = 0;
    if (now >= due)
        return;
    int64_t today = cal_day_of(now), due_day = cal_day_of(due);
    if (due_day == today) {
        *value = (int)((due - now + 3599) / 3600);
        return;
    }
    int n = 0;
    for (int64_t d = today + 1; d <= due_day; d++)
        n += cal_working(d);
    if (n == 0) {
        *value = (int)((due - now + 3599) / 3600);
        return;
    }
    *hours = false;
    *value = n;
}

bool cal_next_holiday(int64_t d, int days, struct cal_holiday *out)
{
    const struct holiday *best = NULL;
    int64_t best_first = 0;
    for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++) {
        const struct holiday *r = &holidays[i];
        int64_t first = cal_day(r->year, r->first_m, r->first_d);
        int64_t last = cal_day(r->year, r->last_m, r->last_d);
        if (last < d || first > d + days)
            continue;
        if (!best || first < best_first)
            best = r, best_first = first;
    }
    int y0, m0, d0;
    cal_date(d, &y0, &m0, &d0);
    for (int y = y0; y <= y0 + 1; y++) {
        if (year_known(y))
            continue;
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
            int64_t first = cal_day(y, fixed[i].first_m, fixed[i].first_d);
            int64_t last = cal_day(y, fixed[i].last_m, fixed[i].last_d);
            if (last < d || first > d + days || (best && first >= best_first))
                continue;
            best = &fixed[i], best_first = first;
        }
    }
    if (!best)
        return false;
    int by, bm, bd;
    cal_date(best_first, &by, &bm, &bd);
    memset(out, 0, sizeof *out);
    out->name = best->name;
    out->first = best_first;
    out->last = cal_day(by, best->last_m, best->last_d);
    for (int k = 0; k < 2; k++)
        if (best->worked[k][0])
            out->worked[out->worked_count++] = cal_day(by, best->worked[k][0], best->worked[k][1]);
    return true;
}
