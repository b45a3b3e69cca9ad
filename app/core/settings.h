/* settings.h - what staff may change in maintenance mode: the volume, the
 * display's brightness by day and while closed, the language a visit
 * starts in, the home screen's notice and the office hours.
 *
 * DESIGN: one small struct of plain values, each with its range and step,
 * checked in one place (settings_set for a key of text, settings_check
 * for the whole), so the config file, the staff's overlay file
 * (store/settings_file.h) and a tap in maintenance mode all pass the same
 * rules. Every value is one a finger can reach with − / + or a pill: no
 * keyboard. The overlay is INI text read all or nothing: a file with one
 * bad line is refused whole. Pure functions; any thread.
 *
 * The volume is kept, shown and checked, but nothing plays yet: it is
 * the mixer volume (SDL_MIX_MAXVOLUME scaled by volume / 100) that voice
 * guidance will use when it comes. Office hours are China Standard Time
 * (base/clock.h), the kiosk's only zone.
 */
#ifndef CORE_SETTINGS_H
#define CORE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a staff member can change, in the order the settings tab lists it. */
enum settings_item {
    SETTINGS_VOLUME = 0,   /* [audio] volume: 0..100 in steps of 10 */
    SETTINGS_BRIGHT_DAY,   /* [display] brightness_day: 10..100 % in steps of 10 */
    SETTINGS_BRIGHT_NIGHT, /* [display] brightness_night: 0..100 % (closed for the night) */
    SETTINGS_LANGUAGE,     /* [kiosk] language: zh-CN | en, what a visit starts in */
    SETTINGS_NOTICE,       /* [kiosk] notice: registry | none | preset-1..3 */
    SETTINGS_DAYS,         /* [hours] days: always | mon-fri | mon-sat | daily */
    SETTINGS_OPEN,         /* [hours] open: HH:MM, 00:00..23:30 in steps of 30 min */
    SETTINGS_CLOSE,        /* [hours] close: HH:MM, 00:30..24:00, after open */
    SETTINGS_COUNT
};

/* Which days the office hours hold; SETTINGS_DAYS_ALWAYS: no office hours,
 * the kiosk serves around the clock. */
enum settings_days {
    SETTINGS_DAYS_ALWAYS = 0,
    SETTINGS_DAYS_MON_FRI,
    SETTINGS_DAYS_MON_SAT,
    SETTINGS_DAYS_DAILY,
    SETTINGS_DAYS_COUNT
};

/* The home screen's notice: the registry's (as it sends it), none, or one
 * of the kiosk's own (i18n "settings.notice_preset.N"). */
#define SETTINGS_NOTICE_REGISTRY 0
#define SETTINGS_NOTICE_NONE     1
#define SETTINGS_NOTICE_PRESETS  3 /* presets are 2 .. 2 + PRESETS - 1 */
#define SETTINGS_NOTICE_COUNT    (2 + SETTINGS_NOTICE_PRESETS)

#define SETTINGS_STEP_PCT 10 /* volume and brightness */
#define SETTINGS_STEP_MIN 30 /* office hours */

struct settings {
    int volume;       /* 0..100 */
    int bright_day;   /* 10..100 */
    int bright_night; /* 0..100 */
    bool english;     /* a visit starts in English */
    int notice;       /* SETTINGS_NOTICE_* or a preset */
    int days;         /* enum settings_days */
    int open_min;     /* minutes after midnight */
    int close_min;    /* minutes after midnight, > open_min */
};

/* The defaults: volume 60, brightness 100 % by day and 30 % closed,
 * Chinese, the registry's notice, no office hours (08:30-17:00 kept for
 * when days are chosen). */
void settings_defaults(struct settings *s);

/* The overlay's name of item ("volume", "hours_open"): the audit trail's
 * word. NULL for an item that does not exist. */
const char *settings_item_name(enum settings_item item);

/* Whether [section] name is a setting of this file. */
bool settings_is_key(const char *section, const char *name);

/* Sets [section] name from its text. Returns 0, or ERR_INVALID (unknown
 * key, or a value out of range or off its step: s unchanged). Open and
 * close are checked against each other only by settings_check. */
int settings_set(struct settings *s, const char *section, const char *name, const char *value);

/* Whether every value is in range and on its step and open < close.
 * Returns 0 or ERR_INVALID. */
int settings_check(const struct settings *s);

/* Reads the overlay text over s, all or nothing: every line a known key
 * with a good value, open before close; else s is unchanged and why (a
 * line for the log: "line 4: [audio] volume") says what. Returns 0 or
 * ERR_INVALID. */
int settings_parse(struct settings *s, const char *text, char *why, size_t why_size);

/* Writes s as the overlay's INI text into out (size bytes). Returns the
 * length, or ERR_TOOBIG. */
int settings_format(const struct settings *s, char *out, size_t size);

/* One tap on the settings tab: for the steppers (volume, brightness, open,
 * close) op 0 is − and 1 is +; for the pills (language, notice, days) op
 * is the value. The result is checked whole; a change that would break a
 * rule (past a range, open at or after close) leaves s unchanged. Returns
 * 0, ERR_INVALID, or ERR_EMPTY (the value is already that). */
int settings_step(struct settings *s, enum settings_item item, int op);

/* Whether the tap (item, op) would change s, as settings_step would. */
bool settings_can_step(const struct settings *s, enum settings_item item, int op);

/* The item's value as the overlay writes it ("70", "08:30", "mon-fri"). */
void settings_value(const struct settings *s, enum settings_item item, char *out, size_t size);

/* Whether a and b hold the same values. */
bool settings_equal(const struct settings *a, const struct settings *b);

/* Whether the office hours are kept (days other than always). */
bool settings_has_hours(const struct settings *s);

/* Whether the kiosk serves at wall time t (epoch seconds, CST): always
 * without office hours; else on a chosen day from open to close. */
bool settings_open_at(const struct settings *s, int64_t t);

/* "HH:MM" of minutes after midnight (24:00 for the day's end). */
void settings_hhmm(int min, char *out, size_t size);

#endif
