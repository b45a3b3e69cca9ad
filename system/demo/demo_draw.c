/* demo_draw.c - the generator's means of drawing: the splitmix64
 * stream, fixed-field text, civil dates, weighted places and names. Pure
 * apart from the data being drawn from (demo_source).
 */
#include "demo/demo_build.h"

#include <stdarg.h>
#include <stdio.h>

/* ---- random numbers ------------------------------------------------------ */

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]; lo when the range is empty (a data file with no
 * entries is refused when read, but a draw never divides by zero). The
 * modulo bias is irrelevant at these ranges. */
int rng_range(struct rng *r, int lo, int hi)
{
    if (hi < lo)
        return lo;
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

bool rng_chance(struct rng *r, int percent)
{
    return rng_range(r, 0, 99) < percent;
}

/* The data being drawn from (demo_build.h). */
const struct demo_data *demo_source;

/* snprintf through a function, so the compiler does not second-guess
 * truncation of fixed fields: every field is sized for its longest value
 * and str-copy semantics are fine if one ever is not. */
void put(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, size, fmt, ap);
    va_end(ap);
}

/* ---- dates ---------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int days_from_civil(struct ymd t)
{
    int y = t.y - (t.m <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (t.m + (t.m > 2 ? -3 : 9)) + 2) / 5 + t.d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static struct ymd civil_from_days(int z)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    struct ymd t;
    t.d = doy - (153 * mp + 2) / 5 + 1;
    t.m = mp + (mp < 10 ? 3 : -9);
    t.y = yoe + era * 400 + (t.m <= 2);
    return t;
}

struct ymd date_between(struct rng *r, struct ymd a, struct ymd b)
{
    return civil_from_days(rng_range(r, days_from_civil(a), days_from_civil(b)));
}

struct ymd date_add_days(struct ymd t, int days)
{
    return civil_from_days(days_from_civil(t) + days);
}

/* Same day N years later; 29 Feb becomes 28 Feb. */
struct ymd date_add_years(struct ymd t, int years)
{
    struct ymd u = {t.y + years, t.m, t.d};
    if (u.m == 2 && u.d == 29 && civil_from_days(days_from_civil(u)).m != 2)
        u.d = 28;
    return u;
}

int date_cmp(struct ymd a, struct ymd b)
{
    return days_from_civil(a) - days_from_civil(b);
}

void date_format(struct ymd t, char *out, size_t size)
{
    put(out, size, "%04d-%02d-%02d", t.y, t.m, t.d);
}

/* ---- places --------------------------------------------------------------- */

int place_road_count(const struct place *p)
{
    int n = 0;
    while (n < 6 && p->roads[n] && p->roads[n][0])
        n++;
    return n;
}

int pick_place(struct rng *r)
{
    int total = 0;
    for (int i = 0; i < demo_source->place_count; i++)
        total += demo_source->places[i].weight;
    int x = rng_range(r, 0, total - 1);
    for (int i = 0; i < demo_source->place_count; i++) {
        if (x < demo_source->places[i].weight)
            return i;
        x -= demo_source->places[i].weight;
    }
    return 0;
}

/* ---- names ---------------------------------------------------------------- */

void make_name(struct rng *r, bool male, char *out, size_t size)
{
    const char *s = PICK_WORD(r, demo_source->surnames);
    const char *a = male ? PICK_WORD(r, demo_source->given_m) : PICK_WORD(r, demo_source->given_f);
    if (rng_chance(r, 18)) {
        put(out, size, "%s%s", s, a);
        return;
    }
    const char *b = a;
    while (b == a)
        b = male ? PICK_WORD(r, demo_source->given_m) : PICK_WORD(r, demo_source->given_f);
    put(out, size, "%s%s%s", s, a, b);
}
