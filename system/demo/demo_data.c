/* demo_data.c - reads the demo population's data file into struct
 * demo_data (see demo_data.h and the comment at the top of the file).
 *
 * The file is INI, read with inih: [place NAME] and [showcase N] sections
 * repeat, so a section begins whenever the section name changes; a
 * repeated list key appends to its list. Every value is checked here, so
 * the generator can trust what it draws from. Runs on whichever thread
 * first asks for the population.
 */
#include "demo/demo_data.h"

#include "base/datafile.h"
#include "base/err.h"
#include "base/util.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parse {
    struct demo_data *d;
    char section[64]; /* the section under way */
    struct place *place;
    struct showcase *showcase;
    int plan_count; /* properties planned for the showcase under way */
    char why[160];
};

/* A refused line: its reason kept for the error message. */
#define bad(p, ...) datafile_bad((p)->why, sizeof(p)->why, __VA_ARGS__)

/* A copy of s in the pool, or NULL when the pool is full. */
static char *keep(struct demo_data *d, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > sizeof d->pool - d->pool_used)
        return NULL;
    char *out = d->pool + d->pool_used;
    memcpy(out, s, n);
    d->pool_used += n;
    return out;
}

/* Appends the space-separated words of value to list, at most max in all. */
static int add_words(struct parse *p, const char **list, int *count, int max, const char *name,
                     const char *value)
{
    char *copy = keep(p->d, value);
    if (!copy)
        return bad(p, "the data file is larger than the reader allows");
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (*count >= max)
            return bad(p, "%s: more than %d entries", name, max);
        list[(*count)++] = w;
    }
    return 1;
}

static int set_text(struct parse *p, const char **dst, const char *name, const char *value)
{
    if (!value[0])
        return bad(p, "%s is empty", name);
    if (*dst)
        return bad(p, "%s given twice", name);
    *dst = keep(p->d, value);
    return *dst ? 1 : bad(p, "the data file is larger than the reader allows");
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_yes_no(const char *s, bool *out)
{
    if (strcmp(s, "yes") == 0 || strcmp(s, "no") == 0) {
        *out = s[0] == 'y';
        return true;
    }
    return false;
}

static int find_place(const struct demo_data *d, const char *name)
{
    for (int i = 0; i < d->place_count; i++)
        if (strcmp(d->places[i].name, name) == 0)
            return i;
    return -1;
}

static int enc_kind_of(const char *name)
{
    for (int k = DEMO_ENC_MORTGAGE; k <= DEMO_ENC_RESIDENCE; k++)
        if (strcmp(demo_enc_kind_name((enum demo_enc_kind)k), name) == 0)
            return k;
    return -1;
}

static int prop_kind_of(const char *name)
{
    static const char *const kinds[] = {
        [PK_FLAT] = "flat",           [PK_SHOP] = "shop",       [PK_OFFICE] = "office",
        [PK_HOMESTEAD] = "homestead", [PK_FACTORY] = "factory", [PK_LAND] = "land",
    };
    for (int k = 0; k < (int)ARRAY_LEN(kinds); k++)
        if (strcmp(kinds[k], name) == 0)
            return k;
    return -1;
}

/* ---- sections -------------------------------------------------------------- */

static int begin_section(struct parse *p, const char *section)
{
    struct demo_data *d = p->d;
    str_copy(p->section, sizeof p->section, section);
    p->place = NULL;
    p->showcase = NULL;
    if (strncmp(section, "place ", 6) == 0) {
        const char *name = section + 6;
        if (!name[0] || strlen(name) >= sizeof((struct demo_property){0}.district))
            return bad(p, "a place needs a name of at most 15 bytes");
        if (find_place(d, name) >= 0)
            return bad(p, "place %s given twice", name);
        if (d->place_count >= DEMO_PLACES_MAX)
            return bad(p, "more than %d places", DEMO_PLACES_MAX);
        if (d->showcase_count)
            return bad(p, "places come before the showcases");
        p->place = &d->places[d->place_count++];
        p->place->name = keep(d, name);
        return p->place->name ? 1 : bad(p, "the data file is larger than the reader allows");
    }
    if (strncmp(section, "showcase ", 9) == 0) {
        int n;
        if (!parse_int(section + 9, 0, DEMO_CITIZENS - 1, &n) || n != d->showcase_count)
            return bad(p, "showcases are numbered from 0 in order; expected [showcase %d]",
                       d->showcase_count);
        p->showcase = &d->showcases[d->showcase_count++];
        p->showcase->male = -1;
        p->showcase->place = -1;
        p->showcase->face = DEMO_FACE_MATCH;
        p->showcase->props[0] = -1;
        p->plan_count = 0;
        return 1;
    }
    if (strcmp(section, "names") == 0 || strcmp(section, "register") == 0)
        return 1;
    return bad(p, "unknown section [%s]", section);
}

static int on_place(struct parse *p, const char *name, const char *value)
{
    struct place *pl = p->place;
    if (strcmp(name, "code") == 0) {
        if (strlen(value) != 6 || strspn(value, "0123456789") != 6)
            return bad(p, "code must be six digits");
        return set_text(p, &pl->code, name, value);
    }
    if (strcmp(name, "card_address") == 0)
        return set_text(p, &pl->card, name, value);
    if (strcmp(name, "police") == 0)
        return set_text(p, &pl->police, name, value);
    if (strcmp(name, "court") == 0)
        return set_text(p, &pl->court, name, value);
    if (strcmp(name, "court_code") == 0)
        return set_text(p, &pl->court_code, name, value);
    if (strcmp(name, "cert_city") == 0)
        return set_text(p, &pl->cert_city, name, value);
    if (strcmp(name, "rural_bank") == 0)
        return set_text(p, &pl->rural_bank, name, value);
    if (strcmp(name, "roads") == 0) {
        int n = 0;
        while (n < 6 && pl->roads[n])
            n++;
        return add_words(p, pl->roads, &n, 6, name, value);
    }
    if (strcmp(name, "towns") == 0) {
        int n = 0;
        while (n < 3 && pl->towns[n])
            n++;
        return add_words(p, pl->towns, &n, 3, name, value);
    }
    if (strcmp(name, "county") == 0)
        return parse_yes_no(value, &pl->county) ? 1 : bad(p, "county must be yes or no");
    if (strcmp(name, "weight") == 0)
        return parse_int(value, 1, 1000, &pl->weight) ? 1 : bad(p, "weight must be 1 to 1000");
    return bad(p, "unknown key %s in [%s]", name, p->section);
}

static int on_list(struct parse *p, const char *name, const char *value)
{
    struct demo_data *d = p->d;
    static const struct {
        const char *section, *key;
        size_t offset;
    } lists[] = {
        {"names", "surnames", offsetof(struct demo_data, surnames)},
        {"names", "given_male", offsetof(struct demo_data, given_m)},
        {"names", "given_female", offsetof(struct demo_data, given_f)},
        {"names", "minorities", offsetof(struct demo_data, minorities)},
        {"register", "compounds", offsetof(struct demo_data, compounds)},
        {"register", "office_towers", offsetof(struct demo_data, office_towers)},
        {"register", "villages", offsetof(struct demo_data, villages)},
        {"register", "city_banks", offsetof(struct demo_data, city_banks)},
    };
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        if (strcmp(lists[i].section, p->section) != 0 || strcmp(lists[i].key, name) != 0)
            continue;
        struct word_list *l = (struct word_list *)((char *)d + lists[i].offset);
        return add_words(p, l->word, &l->count, DEMO_WORDS_MAX, name, value);
    }
    return bad(p, "unknown key %s in [%s]", name, p->section);
}

static int on_link(struct parse *p, const char *name, const char *value)
{
    struct demo_data *d = p->d;
    if (d->link_count >= DEMO_LINKS_MAX)
        return bad(p, "more than %d fixed relations", DEMO_LINKS_MAX);
    struct showcase_link *l = &d->links[d->link_count];
    memset(l, 0, sizeof *l);
    l->showcase = d->showcase_count - 1;
    int enc = enc_kind_of(name);
    if (enc >= 0) {
        int which;
        if (!parse_int(value, 1, p->plan_count, &which))
            return bad(p, "%s names one of the %d properties it owns, from 1", name, p->plan_count);
        l->kind = LINK_ENCUMBRANCE;
        l->enc = (enum demo_enc_kind)enc;
        l->property = which - 1;
    } else if (strcmp(name, "co_owner") == 0) {
        char *copy = keep(d, value), *save = NULL;
        if (!copy)
            return bad(p, "the data file is larger than the reader allows");
        const char *who = strtok_r(copy, " ", &save);
        l->own_share = strtok_r(NULL, " ", &save);
        l->their_share = strtok_r(NULL, " ", &save);
        if (!who || !parse_int(who, 0, DEMO_CITIZENS - 1, &l->citizen) ||
            l->citizen == l->showcase || p->plan_count < 1 || !l->own_share != !l->their_share ||
            strtok_r(NULL, " ", &save))
            return bad(p, "co_owner = another citizen [own share, their share], for a showcase "
                          "that owns a property");
        l->kind = LINK_CO_OWNER;
    } else {
        return bad(p, "unknown key %s in [%s]", name, p->section);
    }
    d->link_count++;
    return 1;
}

static int on_showcase(struct parse *p, const char *name, const char *value)
{
    struct showcase *s = p->showcase;
    if (strcmp(name, "gender") == 0) {
        if (strcmp(value, "男") != 0 && strcmp(value, "女") != 0)
            return bad(p, "gender must be 男 or 女");
        s->male = strcmp(value, "男") == 0;
        return 1;
    }
    if (strcmp(name, "born") == 0) {
        int lo, hi, used = 0;
        if (sscanf(value, "%4d-%4d%n", &lo, &hi, &used) != 2 || value[used] || lo < 1900 ||
            hi < lo || hi > 2008)
            return bad(p, "born must be a range of years, 1900-2008");
        s->born_lo = lo;
        s->born_hi = hi;
        return 1;
    }
    if (strcmp(name, "place") == 0) {
        s->place = strcmp(value, "any") == 0 ? -1 : find_place(p->d, value);
        return s->place >= 0 || strcmp(value, "any") == 0 ? 1 : bad(p, "no place named %s", value);
    }
    if (strcmp(name, "face") == 0) {
        if (strcmp(value, "match") == 0)
            s->face = DEMO_FACE_MATCH;
        else if (strcmp(value, "no_match") == 0)
            s->face = DEMO_FACE_NO_MATCH;
        else if (strcmp(value, "unavailable") == 0)
            s->face = DEMO_FACE_UNAVAILABLE;
        else
            return bad(p, "face must be match, no_match or unavailable");
        return 1;
    }
    if (strcmp(name, "validity") == 0) {
        if (strcmp(value, "valid") != 0 && strcmp(value, "expired") != 0)
            return bad(p, "validity must be valid or expired");
        s->expired = strcmp(value, "expired") == 0;
        return 1;
    }
    if (strcmp(name, "ethnicity") == 0)
        return set_text(p, &s->ethnicity, name, value);
    if (strcmp(name, "note") == 0)
        return set_text(p, &s->note, name, value);
    if (strcmp(name, "owns") == 0) {
        const char *words[DEMO_PLAN_MAX];
        int n = 0;
        if (p->plan_count || !add_words(p, words, &n, DEMO_PLAN_MAX, name, value))
            return bad(p, "owns: once, at most %d property kinds", DEMO_PLAN_MAX);
        for (int i = 0; i < n; i++) {
            s->props[i] = prop_kind_of(words[i]);
            if (s->props[i] < 0)
                return bad(p, "owns: unknown kind %s", words[i]);
        }
        if (n < DEMO_PLAN_MAX)
            s->props[n] = -1;
        p->plan_count = n;
        return 1;
    }
    return on_link(p, name, value);
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    if (p->why[0])
        return 0; /* keep the first error */
    if (strcmp(section, p->section) != 0 && !begin_section(p, section))
        return 0;
    if (p->place)
        return on_place(p, name, value);
    if (p->showcase)
        return on_showcase(p, name, value);
    if (!section[0])
        return bad(p, "%s outside a section", name);
    return on_list(p, name, value);
}

/* ---- completeness ------------------------------------------------------------ */

static int check_complete(const struct demo_data *d, char *why, size_t size)
{
    if (d->place_count == 0) {
        snprintf(why, size, "no [place] sections");
        return ERR_INVALID;
    }
    for (int i = 0; i < d->place_count; i++) {
        const struct place *pl = &d->places[i];
        bool towns = pl->towns[0] && pl->towns[1] && pl->towns[2];
        if (!pl->code || !pl->card || !pl->police || !pl->court || !pl->court_code ||
            !pl->cert_city || !pl->roads[0] || !pl->weight ||
            (pl->county && (!towns || !pl->rural_bank))) {
            snprintf(why, size,
                     "place %s lacks one of code, card_address, police, court, court_code, "
                     "cert_city, roads, weight (and for a county: three towns, rural_bank)",
                     pl->name);
            return ERR_INVALID;
        }
    }
    const struct {
        const char *name;
        const struct word_list *list;
        int min;
    } lists[] = {
        {"surnames", &d->surnames, 1},    {"given_male", &d->given_m, 2},
        {"given_female", &d->given_f, 2}, {"minorities", &d->minorities, 1},
        {"compounds", &d->compounds, 1},  {"office_towers", &d->office_towers, 1},
        {"villages", &d->villages, 1},    {"city_banks", &d->city_banks, 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        if (lists[i].list->count < lists[i].min) {
            snprintf(why, size, "%s needs at least %d entries", lists[i].name, lists[i].min);
            return ERR_INVALID;
        }
    }
    for (int i = 0; i < d->showcase_count; i++) {
        const struct showcase *s = &d->showcases[i];
        if (s->male < 0 || s->born_lo == 0) {
            snprintf(why, size, "showcase %d lacks gender or born", i);
            return ERR_INVALID;
        }
    }
    return 0;
}

/* ---- public ------------------------------------------------------------------ */

const char *demo_data_path(char *buf, size_t size)
{
    return datafile_path(buf, size, "demo/population.ini", DEMO_DATA_FILE);
}

int demo_data_parse_file(const char *path, struct demo_data *out, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    struct parse p = {.d = out};
    int line = ini_parse(path, on_entry, &p);
    int rc = datafile_ini_result(line, p.why, why, why_size);
    if (rc)
        return rc;
    return check_complete(out, why, why_size);
}
