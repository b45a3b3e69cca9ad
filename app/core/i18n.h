/* i18n.h - the kiosk's string tables (zh-CN default, en).
 *
 * Every word a citizen reads comes from assets/strings/<lang>.ini, so no
 * screen hard-codes text and a translator never touches C. Keys are
 * "section.name" ("home.title"). Strings may hold {1}..{3} placeholders
 * (filled with i18n_subst, so the order can change per language), "\n" for
 * a line break, and <b>bold</b> / <em>accent</em> runs that the UI's text layout
 * understands. Loaded once at start-up on the main thread; read by the UI
 * thread only afterwards. No SDL here: app/core links this library.
 */
#ifndef CORE_I18N_H
#define CORE_I18N_H

#include <stdbool.h>
#include <stddef.h>

enum i18n_lang { I18N_ZH = 0, I18N_EN, I18N_LANG_COUNT };

/* Loads zh-CN.ini and en.ini from dir (borrowed). Replaces tables loaded
 * before. Returns 0, ERR_IO if a file is missing or malformed, ERR_TOOBIG
 * if a table exceeds its hard limit. */
int i18n_load(const char *dir);

/* Frees the tables. Safe to call when nothing is loaded. */
void i18n_unload(void);

void i18n_set_lang(enum i18n_lang lang);
enum i18n_lang i18n_get_lang(void);

/* The string for key in the current language. Never NULL: a missing key
 * returns the key itself (and is logged once), so a gap shows up on screen
 * instead of crashing. The result is owned by the table. */
const char *tr(const char *key);

/* The string for key in lang (the registry always receives zh-CN). */
const char *tr_lang(enum i18n_lang lang, const char *key);

/* True if lang has key. */
bool i18n_has(enum i18n_lang lang, const char *key);

/* Number of keys in lang and the i-th key in sorted order (tests compare
 * the tables). Returns NULL past the end. */
size_t i18n_count(enum i18n_lang lang);
const char *i18n_key_at(enum i18n_lang lang, size_t i);

/* Copies tmpl into out (size bytes, always NUL-terminated, never cutting a
 * UTF-8 sequence), replacing {1}, {2}, {3} with a1..a3 (NULL = ""). Used
 * instead of printf formats so translations can reorder arguments.
 * Returns out. */
char *i18n_subst(char *out, size_t size, const char *tmpl, const char *a1, const char *a2,
                 const char *a3);

/* ---- dates in the current language (keys date.* of the tables) ---- */

enum i18n_date_form {
    I18N_DATE_DAY = 0, /* 9月18日 / 18 Sep */
    I18N_DATE_WEEKDAY, /* 9月18日 周四 / Thu 18 Sep */
    I18N_DATE_FULL,    /* 2025年9月18日 / 18 September 2025 */
};

/* Day of the week of a Gregorian date, 0 = Sunday .. 6 = Saturday. */
int i18n_weekday(int y, int m, int d);

/* Parses the ISO date at the start of s ("2025-09-18", also followed by
 * "T09:43..." or " 09:00–10:00"). Returns the bytes it read (10), or 0
 * when s does not start with a plausible date. */
int i18n_date_parse(const char *s, int *y, int *m, int *d);

/* The date in the current language, as form says. Returns out. */
char *i18n_date(char *out, size_t size, int y, int m, int d, enum i18n_date_form form);

/* A date as the registry sends it, with what follows it: "2025-09-18
 * 09:00–10:00" -> "Thu 18 Sep 09:00–10:00" / "9月18日 周四 09:00–10:00";
 * "2025-09-16T09:43:00+08:00" -> the date and "09:43". Times stay on the
 * 24-hour clock in both languages. Text that does not start with a date
 * is copied as it is. Returns out. */
char *i18n_when(char *out, size_t size, const char *iso, enum i18n_date_form form);

#endif
