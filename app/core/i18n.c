/* i18n.c - string tables loaded from INI files with inih.
 *
 * Each language is one sorted array of (key, value) pairs in a single
 * arena, looked up with bsearch. The tables are built on the main thread
 * at start-up and only read afterwards (UI thread), so no lock.
 */
#include "core/i18n.h"

#include "base/err.h"
#include "base/log.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define I18N_KEYS_MAX  2048
#define I18N_ARENA_MAX (512 * 1024)

struct i18n_entry {
    const char *key;
    const char *value;
};

struct i18n_table {
    struct i18n_entry *entries;
    size_t count;
    char *arena;
    size_t used;
    bool overflow;
};

static struct i18n_table tables[I18N_LANG_COUNT];
static enum i18n_lang current = I18N_ZH;

static const char *const file_names[I18N_LANG_COUNT] = {"zh-CN.ini", "en.ini"};

static char *arena_put(struct i18n_table *t, const char *s, size_t n)
{
    if (t->used + n + 1 > I18N_ARENA_MAX) {
        t->overflow = true;
        return NULL;
    }
    char *p = t->arena + t->used;
    memcpy(p, s, n);
    p[n] = '\0';
    t->used += n + 1;
    return p;
}

/* Stores the value with "\n" turned into a real line break. */
static char *arena_put_value(struct i18n_table *t, const char *v)
{
    size_t n = strlen(v);
    char *p = arena_put(t, v, n);
    if (!p)
        return NULL;
    char *w = p;
    for (const char *r = p; *r; r++) {
        if (r[0] == '\\' && r[1] == 'n') {
            *w++ = '\n';
            r++;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return p;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    struct i18n_table *t = user;
    if (t->count >= I18N_KEYS_MAX) {
        t->overflow = true;
        return 0;
    }
    char key[128];
    int n = section[0] ? snprintf(key, sizeof key, "%s.%s", section, name)
                       : snprintf(key, sizeof key, "%s", name);
    if (n < 0 || (size_t)n >= sizeof key) {
        t->overflow = true;
        return 0;
    }
    const char *k = arena_put(t, key, (size_t)n);
    const char *v = k ? arena_put_value(t, value) : NULL;
    if (!v)
        return 0;
    t->entries[t->count].key = k;
    t->entries[t->count].value = v;
    t->count++;
    return 1;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct i18n_entry *)a)->key, ((const struct i18n_entry *)b)->key);
}

static void table_free(struct i18n_table *t)
{
    free(t->entries);
    free(t->arena);
    memset(t, 0, sizeof *t);
}

static int table_load(struct i18n_table *t, const char *path)
{
    t->entries = calloc(I18N_KEYS_MAX, sizeof *t->entries);
    t->arena = malloc(I18N_ARENA_MAX);
    if (!t->entries || !t->arena) {
        table_free(t);
        return ERR_NOMEM;
    }
    int rc = ini_parse(path, on_entry, t);
    if (t->overflow) {
        log_err("i18n", "%s exceeds the table limits", path);
        table_free(t);
        return ERR_TOOBIG;
    }
    if (rc != 0) {
        log_err("i18n", "cannot read %s (line %d)", path, rc);
        table_free(t);
        return ERR_IO;
    }
    qsort(t->entries, t->count, sizeof *t->entries, entry_cmp);
    return 0;
}

int i18n_load(const char *dir)
{
    i18n_unload();
    for (int l = 0; l < I18N_LANG_COUNT; l++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, file_names[l]);
        int rc = table_load(&tables[l], path);
        if (rc != 0) {
            i18n_unload();
            return rc;
        }
    }
    return 0;
}

void i18n_unload(void)
{
    for (int l = 0; l < I18N_LANG_COUNT; l++)
        table_free(&tables[l]);
}

void i18n_set_lang(enum i18n_lang lang)
{
    if (lang >= 0 && lang < I18N_LANG_COUNT)
        current = lang;
}

enum i18n_lang i18n_get_lang(void)
{
    return current;
}

static const struct i18n_entry *find(enum i18n_lang lang, const char *key)
{
    if (lang < 0 || lang >= I18N_LANG_COUNT || !key || !tables[lang].entries)
        return NULL;
    struct i18n_entry probe = {.key = key};
    return bsearch(&probe, tables[lang].entries, tables[lang].count, sizeof probe, entry_cmp);
}

const char *tr_lang(enum i18n_lang lang, const char *key)
{
    const struct i18n_entry *e = find(lang, key);
    if (e)
        return e->value;
    static char last_missing[64];
    if (key && strncmp(last_missing, key, sizeof last_missing - 1) != 0) {
        snprintf(last_missing, sizeof last_missing, "%s", key);
        log_warn("i18n", "missing string %s", key);
    }
    return key ? key : "";
}

const char *tr(const char *key)
{
    return tr_lang(current, key);
}

bool i18n_has(enum i18n_lang lang, const char *key)
{
    return find(lang, key) != NULL;
}

size_t i18n_count(enum i18n_lang lang)
{
    return (lang >= 0 && lang < I18N_LANG_COUNT) ? tables[lang].count : 0;
}

const char *i18n_key_at(enum i18n_lang lang, size_t i)
{
    if (lang < 0 || lang >= I18N_LANG_COUNT || i >= tables[lang].count)
        return NULL;
    return tables[lang].entries[i].key;
}

char *i18n_subst(char *out, size_t size, const char *tmpl, const char *a1, const char *a2,
                 const char *a3)
{
    if (!size)
        return out;
    const char *args[3] = {a1, a2, a3};
    size_t w = 0;
    for (const char *p = tmpl ? tmpl : ""; *p;) {
        const char *piece = p;
        size_t n = 1;
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '3' && p[2] == '}') {
            piece = args[p[1] - '1'] ? args[p[1] - '1'] : "";
            n = strlen(piece);
            p += 3;
        } else {
            /* Copy one whole UTF-8 sequence so a cut never splits one. */
            unsigned char c = (unsigned char)*p;
            n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            for (size_t i = 1; i < n; i++)
                if (!p[i]) {
                    n = i;
                    break;
                }
            p += n;
        }
        for (size_t i = 0; i < n;) {
            unsigned char c = (unsigned char)piece[i];
            size_t sl = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (i + sl > n)
                sl = n - i;
            if (w + sl + 1 > size) {
                out[w] = '\0';
                return out;
            }
            memcpy(out + w, piece + i, sl);
            w += sl;
            i += sl;
        }
    }
    out[w] = '\0';
    return out;
}

int i18n_weekday(int y, int m, int d)
{
    /* Sakamoto's method over the Gregorian calendar */
    static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 1 || m > 12)
        return 0;
    if (m < 3)
        y -= 1;
    int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
    return w < 0 ? w + 7 : w;
}

static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

int i18n_date_parse(const char *s, int *y, int *m, int *d)
{
    if (!s || !digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, m) || s[7] != '-' ||
        !digits(s + 8, 2, d))
        return 0;
    if (*y < 1900 || *m < 1 || *m > 12 || *d < 1 || *d > 31)
        return 0;
    return 10;
}

char *i18n_date(char *out, size_t size, int y, int m, int d, enum i18n_date_form form)
{
    char ys[16], ms[16], ds[16], key[24];
    snprintf(ys, sizeof ys, "%d", y);
    snprintf(ds, sizeof ds, "%d", d);
    snprintf(key, sizeof key, "date.%s%d", form == I18N_DATE_FULL ? "long" : "m", m);
    snprintf(ms, sizeof ms, "%s", tr(key));
    char day[96];
    i18n_subst(day, sizeof day, tr(form == I18N_DATE_FULL ? "date.full" : "date.day"), ys, ms, ds);
    if (form != I18N_DATE_WEEKDAY)
        return i18n_subst(out, size, "{1}", day, NULL, NULL);
    snprintf(key, sizeof key, "date.w%d", i18n_weekday(y, m, d));
    return i18n_subst(out, size, tr("date.weekday"), day, tr(key), NULL);
}

char *i18n_when(char *out, size_t size, const char *iso, enum i18n_date_form form)
{
    int y, m, d, n = i18n_date_parse(iso, &y, &m, &d);
    if (!n)
        return i18n_subst(out, size, "{1}", iso ? iso : "", NULL, NULL);
    char date[128], rest[64] = "";
    i18n_date(date, sizeof date, y, m, d, form);
    const char *r = iso + n;
    if (r[0] == 'T') /* "T09:43:00+08:00": the hour and minute */
        snprintf(rest, sizeof rest, "%.5s", r + 1);
    else if (r[0] == ' ')
        snprintf(rest, sizeof rest, "%s", r + 1);
    return i18n_subst(out, size, rest[0] ? "{1} {2}" : "{1}", date, rest, NULL);
}
