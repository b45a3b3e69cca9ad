/* demo_build.h - what the pieces of the demo generator share inside
 * kiosk_demo: the random stream, dates, a person and the builder, the
 * data being drawn from, and the drawing functions of demo_draw.c,
 * demo_people.c and demo_register.c. Everything here runs under build()'s
 * lock in demo.c. Not for use outside system/demo.
 */
#ifndef DEMO_DEMO_BUILD_H
#define DEMO_DEMO_BUILD_H

#include "base/util.h"
#include "demo/demo.h"
#include "demo/demo_data.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rng {
    uint64_t s;
};

#define PICK(r, arr)       ((arr)[rng_range((r), 0, (int)ARRAY_LEN(arr) - 1)])
#define PICK_WORD(r, list) ((list).word[rng_range((r), 0, (list).count - 1)])

/* The data of the population under construction: set by build() under its
 * lock and read by the drawing functions. */
extern const struct demo_data *demo_source;

struct ymd {
    int y, m, d;
};

struct person {
    char name[32];
    char id_number[19];
    bool male;
    struct ymd birth;
    int place;
};

struct builder {
    struct rng rng;
    struct demo_population *pop;
    char ids[512][19]; /* every ID number handed out, to keep them unique */
    int id_count;
    char units[DEMO_PROPERTIES][29];
    int cert_seq, proof_seq, court_seq;
    bool locked[DEMO_PROPERTIES]; /* showcase properties: no drawn encumbrances */
};

/* ---- demo_draw.c: numbers, text, dates, places, names ---- */

int rng_range(struct rng *r, int lo, int hi);
bool rng_chance(struct rng *r, int percent);
/* snprintf that truncates fixed fields quietly (see demo_draw.c). */
void put(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
struct ymd date_between(struct rng *r, struct ymd a, struct ymd b);
struct ymd date_add_days(struct ymd t, int days);
/* Same day N years later; 29 Feb becomes 28 Feb. */
struct ymd date_add_years(struct ymd t, int years);
int date_cmp(struct ymd a, struct ymd b);
void date_format(struct ymd t, char *out, size_t size);
int place_road_count(const struct place *p);
int pick_place(struct rng *r);
void make_name(struct rng *r, bool male, char *out, size_t size);

/* ---- demo_people.c: card holders and people without demo cards ---- */

void make_person(struct builder *b, struct person *p, int place, bool male, int born_lo,
                 int born_hi);
void make_citizens(struct builder *b, struct person *people);

/* ---- demo_register.c: properties and encumbrances ---- */

/* Builds property number idx of kind k in place pl; owners are added later. */
void make_property(struct builder *b, int idx, enum prop_kind k, int pl);
void add_owner(struct demo_property *p, const struct person *who, int citizen, const char *share);
/* A spouse or partner without a demo card, of about the same age. */
void add_background_partner(struct builder *b, struct demo_property *p, const struct person *with);
void add_enc(struct builder *b, struct demo_property *p, enum demo_enc_kind kind);
bool has_enc(const struct demo_property *p, enum demo_enc_kind kind);
/* Deals `want` encumbrances of a kind over the unlocked properties that
 * qualify, in a seeded shuffled order, counting those already placed. */
void deal(struct builder *b, enum demo_enc_kind kind, int want);

#endif
