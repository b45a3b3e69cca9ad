/* demo_data.h - what the demo population is drawn from, as read from its
 * data file (assets/demo/population.ini): the places, the names, the words
 * of the register and the hand-placed showcase citizens. Private to
 * system/demo: demo.c draws the population from it.
 *
 * The file is read once per process and never changed after; every string
 * lives in the struct's own pool, so one free releases it all.
 */
#ifndef DEMO_DEMO_DATA_H
#define DEMO_DEMO_DATA_H

#include "demo/demo.h"

#include <stdbool.h>
#include <stddef.h>

#define DEMO_PLACES_MAX     16
#define DEMO_WORDS_MAX      80
#define DEMO_PLAN_MAX       5 /* properties of one showcase */
#define DEMO_LINKS_MAX      32
#define DEMO_DATA_POOL_SIZE 16384

struct place {
    const char *name;   /* 解放区 */
    const char *code;   /* 410802 */
    const char *card;   /* address prefix on the ID card */
    const char *police; /* issuing authority */
    const char *court;  /* basic people's court */
    const char *court_code;
    const char *cert_city; /* name on 不动产权证书: 焦作市 or the county */
    const char *roads[6];
    const char *towns[3]; /* rural towns (counties only) */
    const char *rural_bank;
    bool county;
    int weight; /* share of residents, roughly */
};

enum prop_kind { PK_FLAT, PK_SHOP, PK_OFFICE, PK_HOMESTEAD, PK_FACTORY, PK_LAND };

/* Hand-placed showcases: gender (1 男), birth years, place (-1 any), face
 * verdict, expired card, ethnicity (NULL: 汉), note (empty: written from
 * the properties), and the plan of their properties (kinds, -1 ends). */
struct showcase {
    int male;
    int born_lo, born_hi;
    int place;
    enum demo_face face;
    bool expired;
    const char *ethnicity;
    const char *note;
    int props[DEMO_PLAN_MAX];
};

/* A fixed relation of a showcase's property, applied after every
 * citizen's properties exist, in the file's order. */
enum showcase_link_kind {
    LINK_ENCUMBRANCE, /* enc on the property */
    LINK_CO_OWNER     /* citizen joins the property */
};

struct showcase_link {
    enum showcase_link_kind kind;
    int showcase; /* whose property */
    int property; /* which of its properties, from 0 */
    enum demo_enc_kind enc;
    int citizen;             /* LINK_CO_OWNER: who joins */
    const char *own_share;   /* LINK_CO_OWNER: NULL for 共同共有, else 按份共有 */
    const char *their_share; /* ... the joining citizen's share */
};

struct word_list {
    int count;
    const char *word[DEMO_WORDS_MAX];
};

struct demo_data {
    int place_count;
    struct place places[DEMO_PLACES_MAX];
    struct word_list surnames, given_m, given_f, minorities;
    struct word_list compounds, office_towers, villages, city_banks;
    int showcase_count;
    struct showcase showcases[DEMO_CITIZENS];
    int link_count;
    struct showcase_link links[DEMO_LINKS_MAX];
    size_t pool_used;
    char pool[DEMO_DATA_POOL_SIZE];
};

/* The data file: $BDC_KIOSK_ASSETS/demo/population.ini when that is set
 * (the kiosk's assets folder), else the one of the source tree the
 * library was built from. Returns buf or a static string. */
const char *demo_data_path(char *buf, size_t size);

/* Reads the data file at path into out (caller's storage, about 40 KiB).
 * Returns 0, ERR_IO (cannot read it) or ERR_INVALID (a line that is not
 * what the format says, or something missing); why receives a sentence
 * with the line number. Any thread. */
int demo_data_parse_file(const char *path, struct demo_data *out, char *why, size_t why_size);

#endif
