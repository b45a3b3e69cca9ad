/* settings.c - the staff's settings: ranges, steps, the overlay's INI text
 * and the office hours; see settings.h.
 */
#include "core/settings.h"

#include "base/clock.h"
#include "base/datafile.h"
#include "base/err.h"
#include "base/util.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void settings_defaults(struct settings *s)
{
    *s = (struct settings){
        .volume = 60,
        .bright_day = 100,
        .bright_night = 30,
        .english = false,
        .notice = SETTINGS_NOTICE_REGISTRY,
        .days = SETTINGS_DAYS_ALWAYS,
        .open_min = 8 * 60 + 30,
        .close_min = 17 * 60,
    };
}

/* ---- the keys ---------------------------------------------------------- */

enum kind { K_PCT, K_WORD, K_TIME };

static const char *const lang_words[] = {"zh-CN", "en", NULL};
static const char *const notice_words[] = {"registry", "none",     "preset-1",
                                           "preset-2", "preset-3", NULL};
static const char *const days_words[] = {"always", "mon-fri", "mon-sat", "daily", NULL};

struct key {
    const char *section, *name;
    enum kind kind;
    int min, max, step;       /* K_PCT and K_TIME */
    const char *const *words; /* K_WORD: the values, by index */
    const char *audit;        /* the audit trail's word */
};

static const struct key keys[SETTINGS_COUNT] = {
    [SETTINGS_VOLUME] = {"audio", "volume", K_PCT, 0, 100, SETTINGS_STEP_PCT, NULL, "volume"},
    [SETTINGS_BRIGHT_DAY] = {"display", "brightness_day", K_PCT, 10, 100, SETTINGS_STEP_PCT, NULL,
                             "brightness_day"},
    [SETTINGS_BRIGHT_NIGHT] = {"display", "brightness_night", K_PCT, 0, 100, SETTINGS_STEP_PCT,
                               NULL, "brightness_night"},
    [SETTINGS_LANGUAGE] = {"kiosk", "language", K_WORD, 0, 1, 1, lang_words, "language"},
    [SETTINGS_NOTICE] = {"kiosk", "notice", K_WORD, 0, SETTINGS_NOTICE_COUNT - 1, 1, notice_words,
                         "notice"},
    [SETTINGS_DAYS] = {"hours", "days", K_WORD, 0, SETTINGS_DAYS_COUNT - 1, 1, days_words,
                       "hours_days"},
    [SETTINGS_OPEN] = {"hours", "open", K_TIME, 0, 24 * 60 - SETTINGS_STEP_MIN, SETTINGS_STEP_MIN,
                       NULL, "hours_open"},
    [SETTINGS_CLOSE] = {"hours", "close", K_TIME, SETTINGS_STEP_MIN, 24 * 60, SETTINGS_STEP_MIN,
                        NULL, "hours_close"},
};

static int *field(struct settings *s, enum settings_item item)
{
    switch (item) {
    case SETTINGS_VOLUME:
        return &s->volume;
    case SETTINGS_BRIGHT_DAY:
        return &s->bright_day;
    case SETTINGS_BRIGHT_NIGHT:
        return &s->bright_night;
    case SETTINGS_NOTICE:
        return &s->notice;
    case SETTINGS_DAYS:
        return &s->days;
    case SETTINGS_OPEN:
        return &s->open_min;
    case SETTINGS_CLOSE:
        return &s->close_min;
    default:
        return NULL; /* the language is a bool */
    }
}

static int get(const struct settings *s, enum settings_item item)
{
    if (item == SETTINGS_LANGUAGE)
        return s->english ? 1 : 0;
    int *p = field((struct settings *)s, item);
    return p ? *p : 0;
}

static void put(struct settings *s, enum settings_item item, int v)
{
    if (item == SETTINGS_LANGUAGE) {
        s->english = v == 1;
        return;
    }
    int *p = field(s, item);
    if (p)
        *p = v;
}

static bool in_range(const struct key *k, int v)
{
    return v >= k->min && v <= k->max && (v - k->min) % k->step == 0;
}

const char *settings_item_name(enum settings_item item)
{
    return (unsigned)item < SETTINGS_COUNT ? keys[item].audit : NULL;
}

static int find_key(const char *section, const char *name)
{
    for (int i = 0; i < SETTINGS_COUNT; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return i;
    return -1;
}

bool settings_is_key(const char *section, const char *name)
{
    return find_key(section, name) >= 0;
}

/* "HH:MM" with two digits each, or -1. */
static int parse_hhmm(const char *v)
{
    if (strlen(v) != 5 || v[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (v[i] < '0' || v[i] > '9'))
            return -1;
    int h = (v[0] - '0') * 10 + (v[1] - '0'), m = (v[3] - '0') * 10 + (v[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return -1;
    return h * 60 + m;
}

/* A whole number without sign, spaces or leading zeros, or -1. */
static int parse_pct(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > 3 || (n > 1 && v[0] == '0'))
        return -1;
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        x = x * 10 + (v[i] - '0');
    }
    return x;
}

int settings_set(struct settings *s, const char *section, const char *name, const char *value)
{
    int i = find_key(section, name);
    if (i < 0 || !value)
        return ERR_INVALID;
    const struct key *k = &keys[i];
    int v = -1;
    switch (k->kind) {
    case K_PCT:
        v = parse_pct(value);
        break;
    case K_TIME:
        v = parse_hhmm(value);
        break;
    case K_WORD:
        for (int w = 0; k->words[w]; w++)
            if (strcmp(k->words[w], value) == 0)
                v = w;
        break;
    }
    if (v < 0 || !in_range(k, v))
        return ERR_INVALID;
    put(s, (enum settings_item)i, v);
    return 0;
}

int settings_check(const struct settings *s)
{
    for (int i = 0; i < SETTINGS_COUNT; i++)
        if (!in_range(&keys[i], get(s, (enum settings_item)i)))
            return ERR_INVALID;
    return s->open_min < s->close_min ? 0 : ERR_INVALID;
}

/* ---- the overlay's text ----------------------------------------------- */

struct parse_state {
    struct settings next;
    char key[64]; /* the first bad key */
    int bad;
};

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    struct parse_state *st = user;
    if (settings_set(&st->next, section, name, value) != 0) {
        if (!st->bad++)
            snprintf(st->key, sizeof st->key, "[%.20s] %.32s", section, name);
        return 0; /* the file is refused whole */
    }
    return 1;
}

int settings_parse(struct settings *s, const char *text, char *why, size_t why_size)
{
    char spare[8];
    if (!why || why_size == 0) {
        why = spare;
        why_size = sizeof spare;
    }
    why[0] = '\0';
    int long_line = datafile_long_line(text ? text : "");
    if (long_line) {
        snprintf(why, why_size, "line %d: longer than %d bytes", long_line, DATAFILE_LINE_MAX);
        return ERR_INVALID;
    }
    struct parse_state st = {.next = *s};
    int line = ini_parse_string(text ? text : "", on_entry, &st);
    if (line != 0) {
        if (st.bad)
            snprintf(why, why_size, "line %d: %s is unknown or out of range", line, st.key);
        else
            snprintf(why, why_size, "line %d: not INI", line);
        return ERR_INVALID;
    }
    if (settings_check(&st.next) != 0) {
        snprintf(why, why_size, "[hours] open is not before close");
        return ERR_INVALID;
    }
    *s = st.next;
    return 0;
}

void settings_hhmm(int min, char *out, size_t size)
{
    snprintf(out, size, "%02d:%02d", (min / 60) % 25, min % 60);
}

void settings_value(const struct settings *s, enum settings_item item, char *out, size_t size)
{
    if (!out || size == 0)
        return;
    out[0] = '\0';
    if ((unsigned)item >= SETTINGS_COUNT)
        return;
    const struct key *k = &keys[item];
    int v = get(s, item);
    switch (k->kind) {
    case K_PCT:
        snprintf(out, size, "%d", v);
        break;
    case K_TIME:
        settings_hhmm(v, out, size);
        break;
    case K_WORD:
        snprintf(out, size, "%s", in_range(k, v) ? k->words[v] : "");
        break;
    }
}

int settings_format(const struct settings *s, char *out, size_t size)
{
    size_t at = 0;
    int n = snprintf(out, size,
                     "# The settings staff changed in maintenance mode, over the "
                     "config file's.\n# Written whole by the kiosk.\n");
    if (n < 0 || (size_t)n >= size)
        return ERR_TOOBIG;
    at = (size_t)n;
    const char *section = "";
    for (int i = 0; i < SETTINGS_COUNT; i++) {
        char v[32];
        settings_value(s, (enum settings_item)i, v, sizeof v);
        const char *sec = strcmp(section, keys[i].section) ? keys[i].section : NULL;
        n = sec ? snprintf(out + at, size - at, "[%s]\n%s = %s\n", sec, keys[i].name, v)
                : snprintf(out + at, size - at, "%s = %s\n", keys[i].name, v);
        if (n < 0 || (size_t)n >= size - at)
            return ERR_TOOBIG;
        at += (size_t)n;
        section = keys[i].section;
    }
    return (int)at;
}

/* ---- a tap -------------------------------------------------------------- */

/* The value (item, op) leads to, or -1 when op means nothing for item. */
static int target(const struct settings *s, enum settings_item item, int op)
{
    if ((unsigned)item >= SETTINGS_COUNT)
        return -1;
    const struct key *k = &keys[item];
    if (k->kind == K_WORD)
        return op >= k->min && op <= k->max ? op : -1;
    if (op != 0 && op != 1)
        return -1;
    return get(s, item) + (op ? k->step : -k->step);
}

int settings_step(struct settings *s, enum settings_item item, int op)
{
    int v = target(s, item, op);
    if (v < 0)
        return ERR_INVALID;
    if (v == get(s, item))
        return ERR_EMPTY;
    struct settings next = *s;
    put(&next, item, v);
    if (settings_check(&next) != 0)
        return ERR_INVALID;
    *s = next;
    return 0;
}

bool settings_can_step(const struct settings *s, enum settings_item item, int op)
{
    struct settings next = *s;
    return settings_step(&next, item, op) == 0;
}

bool settings_equal(const struct settings *a, const struct settings *b)
{
    for (int i = 0; i < SETTINGS_COUNT; i++)
        if (get(a, (enum settings_item)i) != get(b, (enum settings_item)i))
            return false;
    return true;
}

/* ---- office hours ------------------------------------------------------- */

bool settings_has_hours(const struct settings *s)
{
    return s && s->days != SETTINGS_DAYS_ALWAYS;
}

bool settings_open_at(const struct settings *s, int64_t t)
{
    if (!settings_has_hours(s))
        return true;
    struct clock_cst c;
    clock_to_cst(t, &c);
    bool day = s->days == SETTINGS_DAYS_DAILY ||
               (c.weekday >= 1 && c.weekday <= (s->days == SETTINGS_DAYS_MON_SAT ? 6 : 5));
    int now = c.hour * 60 + c.minute;
    return day && now >= s->open_min && now < s->close_min;
}
