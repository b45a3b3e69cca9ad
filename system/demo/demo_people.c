/* demo_people.c - the people: unique GB 11643 ID numbers, card
 * addresses and validity, the card holders (showcases first, then drawn
 * ones) and people who hold no demo card.
 */
#include "demo/demo_build.h"

#include <string.h>

/* ---- people --------------------------------------------------------------- */

static bool id_taken(const struct builder *b, const char *id)
{
    for (int i = 0; i < b->id_count; i++)
        if (strcmp(b->ids[i], id) == 0)
            return true;
    return false;
}

/* Fills the ID number of p from its place, birth date and gender. */
static void make_id(struct builder *b, struct person *p)
{
    char id[19];
    do {
        int seq = rng_range(&b->rng, 1, 499) * 2 - (p->male ? 1 : 0); /* odd = 男 */
        put(id, sizeof id, "%s%04d%02d%02d%03d", demo_source->places[p->place].code, p->birth.y,
            p->birth.m, p->birth.d, seq);
        id[17] = idnum_check_char(id);
        id[18] = '\0';
    } while (id_taken(b, id));
    if (b->id_count < (int)ARRAY_LEN(b->ids))
        memcpy(b->ids[b->id_count++], id, sizeof id);
    memcpy(p->id_number, id, sizeof id);
}

void make_person(struct builder *b, struct person *p, int place, bool male, int born_lo,
                 int born_hi)
{
    p->place = place;
    p->male = male;
    make_name(&b->rng, male, p->name, sizeof p->name);
    p->birth = date_between(&b->rng, (struct ymd){born_lo, 1, 1}, (struct ymd){born_hi, 12, 31});
    make_id(b, p);
}

static void make_card_address(struct rng *r, const struct place *pl, char *out, size_t size)
{
    int roads = place_road_count(pl);
    if (pl->county && rng_chance(r, 45)) {
        put(out, size, "%s%s%s%d号", pl->card, PICK(r, pl->towns),
            PICK_WORD(r, demo_source->villages), rng_range(r, 1, 260));
        return;
    }
    const char *road = pl->roads[rng_range(r, 0, roads - 1)];
    if (rng_chance(r, 70))
        put(out, size, "%s%s%d号%d号楼%d单元%d%02d号", pl->card, road, rng_range(r, 1, 399),
            rng_range(r, 1, 24), rng_range(r, 1, 4), rng_range(r, 1, 18), rng_range(r, 1, 4));
    else
        put(out, size, "%s%s%d号院%d号", pl->card, road, rng_range(r, 1, 399), rng_range(r, 1, 40));
}

/* Card validity per the Resident Identity Card Law, Art. 5: under 16 five
 * years, 16-25 ten years, 26-45 twenty years, 46 and over long-term. */
static void make_validity(struct rng *r, struct ymd birth, bool expired, struct demo_citizen *c)
{
    struct ymd from, to;
    int years;
    for (int tries = 0;; tries++) {
        if (expired)
            from = date_between(r, (struct ymd){2013, 1, 1}, (struct ymd){2015, 6, 30});
        else
            from = date_between(r, (struct ymd){2012, 1, 1}, (struct ymd){2025, 12, 31});
        int age = from.y - birth.y - (from.m < birth.m || (from.m == birth.m && from.d < birth.d));
        if (age < 16)
            continue;
        years = age <= 25 ? 10 : age <= 45 ? 20 : 0;
        if (expired && years == 0)
            continue;
        to = date_add_years(from, years);
        /* Cards of the showcases stay valid for years after the demo date,
         * so the demo does not rot; only the expired one is expired. */
        if (expired || years == 0 || date_cmp(to, (struct ymd){2029, 1, 1}) > 0 || tries > 200)
            break;
    }
    date_format(from, c->valid_from, sizeof c->valid_from);
    if (years == 0)
        put(c->valid_to, sizeof c->valid_to, "长期");
    else
        date_format(to, c->valid_to, sizeof c->valid_to);
}

/* ---- citizens ------------------------------------------------------------- */

void make_citizens(struct builder *b, struct person *people)
{
    struct demo_population *pop = b->pop;
    struct rng *r = &b->rng;
    pop->citizen_count = DEMO_CITIZENS;
    for (int i = 0; i < DEMO_CITIZENS; i++) {
        struct demo_citizen *c = &pop->citizens[i];
        struct person *p = &people[i];
        const struct showcase *s =
            i < demo_source->showcase_count ? &demo_source->showcases[i] : NULL;
        bool male = s ? s->male : rng_chance(r, 50);
        int place = s && s->place >= 0 ? s->place : pick_place(r);
        int lo = s ? s->born_lo : 1950, hi = s ? s->born_hi : 2003;
        /* Names are unique among card holders: staff pick people by name. */
        for (;;) {
            make_person(b, p, place, male, lo, hi);
            bool dup = false;
            for (int j = 0; j < i; j++)
                dup |= strcmp(people[j].name, p->name) == 0;
            if (!dup)
                break;
            b->id_count--; /* give the number back */
        }
        str_copy(c->name, sizeof c->name, p->name);
        str_copy(c->gender, sizeof c->gender, male ? "男" : "女");
        if (s && s->ethnicity)
            str_copy(c->ethnicity, sizeof c->ethnicity, s->ethnicity);
        else
            str_copy(c->ethnicity, sizeof c->ethnicity,
                     i >= demo_source->showcase_count && rng_chance(r, 7)
                         ? PICK_WORD(r, demo_source->minorities)
                         : "汉");
        date_format(p->birth, c->birth_date, sizeof c->birth_date);
        memcpy(c->id_number, p->id_number, sizeof c->id_number);
        make_card_address(r, &demo_source->places[place], c->address, sizeof c->address);
        str_copy(c->issuer, sizeof c->issuer, demo_source->places[place].police);
        make_validity(r, p->birth, s && s->expired, c);
        c->face = s ? s->face : DEMO_FACE_MATCH;
        str_copy(c->note, sizeof c->note, s ? s->note : "");
    }
    /* Two more drawn citizens fail the comparison, so a demo can meet the
     * outcome without picking the showcase. */
    pop->citizens[DEMO_CITIZENS - 1].face = DEMO_FACE_NO_MATCH;
    str_copy(pop->citizens[DEMO_CITIZENS - 1].note, sizeof pop->citizens[0].note, "人脸比对不通过");
}
