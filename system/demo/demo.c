/* demo.c - builds the demo population of 焦作 from one fixed seed and
 * the data file of places, names and showcases (demo_data.h).
 *
 * Citizens first (a handful of hand-placed showcases, then drawn ones),
 * then their properties, then properties of people who hold no demo card
 * until the register has DEMO_PROPERTIES entries, then encumbrances dealt
 * out by quota so the proportions are those of a real register (about 37 %
 * mortgaged, 4 % seized, 2 % under objection, a few pre-registrations and
 * rights of residence) rather than whatever a random draw gives.
 *
 * DESIGN: everything comes from one splitmix64 stream in a fixed order, so
 * changing the order of draws changes the population: tests pin the
 * showcases by index, not by name. Runs on whichever thread first asks;
 * the data file is read and the shared copy built once under pthread_once,
 * both read-only after. Without a readable data file the population is
 * empty and demo_is_available says so (the reason is logged once).
 *
 * This file: the order of the build, the notes, and the public getters.
 * The drawing: demo_draw.c (numbers, dates, places, names), demo_people.c
 * (ID numbers, cards, citizens), demo_register.c (properties,
 * encumbrances).
 */
#include "demo/demo.h"

#include "base/log.h"
#include "base/util.h"
#include "demo/demo_build.h"
#include "demo/demo_data.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_SEED 0x4A5A2026B0C0FFEEull

/* ---- the population ------------------------------------------------------- */

static enum prop_kind drawn_kind(struct rng *r, bool county)
{
    int n = rng_range(r, 0, 99);
    if (county && n < 22)
        return PK_HOMESTEAD;
    return n < 76 ? PK_FLAT : n < 87 ? PK_SHOP : n < 94 ? PK_OFFICE : n < 98 ? PK_FACTORY : PK_LAND;
}

static void write_note(const struct demo_population *pop, int i, struct demo_citizen *c)
{
    if (c->note[0])
        return;
    int mort = 0, other = 0;
    for (int k = 0; k < pop->property_count; k++) {
        const struct demo_property *p = &pop->properties[k];
        bool mine = false;
        for (int o = 0; o < p->owner_count; o++)
            mine |= p->owners[o].citizen == i;
        if (!mine)
            continue;
        mort += has_enc(p, DEMO_ENC_MORTGAGE);
        other += p->enc_count - has_enc(p, DEMO_ENC_MORTGAGE);
    }
    static const char *const cn[] = {"无", "一", "两", "三", "四", "五", "六"};
    int n = c->property_count;
    if (n == 0) {
        put(c->note, sizeof c->note, "名下无房");
        return;
    }
    put(c->note, sizeof c->note, "%s处不动产%s%s%s", n < 7 ? cn[n] : "多", mort ? "，" : "",
        mort ? (mort < 7 ? cn[mort] : "多") : "", mort ? "处抵押" : "");
    if (other)
        put(c->note + strlen(c->note), sizeof c->note - strlen(c->note), "，另有其他登记");
}

static void build(struct demo_population *pop, const struct demo_data *d)
{
    static struct builder b; /* big; only ever used under pthread_once or by one caller */
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    demo_source = d;
    memset(&b, 0, sizeof b);
    memset(pop, 0, sizeof *pop);
    b.rng.s = DEMO_SEED;
    b.pop = pop;
    b.cert_seq = 1200;
    b.proof_seq = 300;
    b.court_seq = 20;
    struct person people[DEMO_CITIZENS];
    memset(people, 0, sizeof people);
    make_citizens(&b, people);

    int n = 0;
    int first_of[DEMO_CITIZENS];
    for (int i = 0; i < DEMO_CITIZENS; i++) {
        first_of[i] = n;
        const int *plan = i < demo_source->showcase_count ? demo_source->showcases[i].props : NULL;
        int count;
        if (plan) {
            count = 0;
            while (count < 5 && plan[count] >= 0)
                count++;
        } else {
            int x = rng_range(&b.rng, 0, 99);
            count = x < 12 ? 0 : x < 62 ? 1 : x < 88 ? 2 : x < 97 ? 3 : 4;
        }
        for (int k = 0; k < count && n < DEMO_PROPERTIES; k++) {
            /* Most people own where they live; some bought elsewhere. */
            int pl = rng_chance(&b.rng, 80) ? people[i].place : pick_place(&b.rng);
            enum prop_kind kind =
                plan ? (enum prop_kind)plan[k] : drawn_kind(&b.rng, demo_source->places[pl].county);
            if (plan && kind == PK_HOMESTEAD)
                pl = people[i].place;
            make_property(&b, n, kind, pl);
            struct demo_property *p = &pop->properties[n];
            add_owner(p, &people[i], i, NULL);
            if (!plan && p->residential && rng_chance(&b.rng, 30))
                add_background_partner(&b, p, &people[i]);
            b.locked[n] = i < demo_source->showcase_count;
            n++;
        }
    }
    pop->property_count = n;

    /* Showcase relations and fixed encumbrances, in the data file's order. */
    struct demo_property *P = pop->properties;
    for (int k = 0; k < d->link_count; k++) {
        const struct showcase_link *l = &d->links[k];
        struct demo_property *p = &P[first_of[l->showcase] + l->property];
        if (l->kind == LINK_ENCUMBRANCE) {
            add_enc(&b, p, l->enc);
        } else if (l->own_share) {
            str_copy(p->owners[0].share, sizeof p->owners[0].share, l->own_share);
            add_owner(p, &people[l->citizen], l->citizen, l->their_share);
            str_copy(p->ownership, sizeof p->ownership, "按份共有");
        } else {
            add_owner(p, &people[l->citizen], l->citizen, NULL);
            str_copy(p->ownership, sizeof p->ownership, "共同共有");
        }
    }

    /* The rest of the city: owners without demo cards. */
    while (n < DEMO_PROPERTIES) {
        int pl = pick_place(&b.rng);
        make_property(&b, n, drawn_kind(&b.rng, demo_source->places[pl].county), pl);
        struct demo_property *p = &pop->properties[n];
        struct person q;
        make_person(&b, &q, pl, rng_chance(&b.rng, 55), 1950, 2003);
        if (rng_chance(&b.rng, 10)) {
            struct person q2;
            make_person(&b, &q2, pl, rng_chance(&b.rng, 50), 1950, 2003);
            add_owner(p, &q, -1, "50%");
            add_owner(p, &q2, -1, "50%");
            str_copy(p->ownership, sizeof p->ownership, "按份共有");
        } else {
            add_owner(p, &q, -1, NULL);
            if (p->residential && rng_chance(&b.rng, 40))
                add_background_partner(&b, p, &q);
        }
        n++;
    }
    pop->property_count = n;

    deal(&b, DEMO_ENC_MORTGAGE, n * 37 / 100);
    deal(&b, DEMO_ENC_SEIZURE, n * 4 / 100);
    deal(&b, DEMO_ENC_OBJECTION, n * 2 / 100);
    deal(&b, DEMO_ENC_PREREG, n * 3 / 100);
    deal(&b, DEMO_ENC_RESIDENCE, n * 2 / 100);

    for (int k = 0; k < n; k++)
        for (int o = 0; o < P[k].owner_count; o++)
            if (P[k].owners[o].citizen >= 0)
                pop->citizens[P[k].owners[o].citizen].property_count++;
    for (int i = 0; i < pop->citizen_count; i++)
        write_note(pop, i, &pop->citizens[i]);
    explicit_bzero(people, sizeof people);
    pthread_mutex_unlock(&lock);
}

/* ---- public --------------------------------------------------------------- */

static struct demo_data *loaded;
static pthread_once_t loaded_once = PTHREAD_ONCE_INIT;
static struct demo_population *shared;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void data_load(void)
{
    char buf[4096], why[256];
    const char *path = demo_data_path(buf, sizeof buf);
    /* Lives for the life of the process: read-only after this. */
    struct demo_data *d = calloc(1, sizeof *d);
    if (!d) {
        log_err("demo", "no memory for the demo population");
        return;
    }
    if (demo_data_parse_file(path, d, why, sizeof why) < 0) {
        log_err("demo", "no demo population: %s: %s", path, why);
        free(d);
        return;
    }
    loaded = d;
}

static const struct demo_data *data_get(void)
{
    pthread_once(&loaded_once, data_load);
    return loaded;
}

static void shared_build(void)
{
    const struct demo_data *d = data_get();
    if (!d)
        return;
    /* Lives for the life of the process: read-only after this. */
    shared = calloc(1, sizeof *shared);
    if (shared)
        build(shared, d);
}

static const struct demo_population *population(void)
{
    pthread_once(&shared_once, shared_build);
    return shared;
}

bool demo_is_available(void)
{
    return population() != NULL;
}

void demo_generate(struct demo_population *out)
{
    const struct demo_data *d = data_get();
    if (d)
        build(out, d);
    else
        memset(out, 0, sizeof *out);
}

int demo_citizen_count(void)
{
    const struct demo_population *p = population();
    return p ? p->citizen_count : 0;
}

bool demo_citizen_get(int i, struct demo_citizen *out)
{
    const struct demo_population *p = population();
    if (!p || i < 0 || i >= p->citizen_count)
        return false;
    *out = p->citizens[i];
    return true;
}

int demo_citizen_find(const char *id_number)
{
    const struct demo_population *p = population();
    if (!p || !id_number)
        return -1;
    for (int i = 0; i < p->citizen_count; i++)
        if (strcmp(p->citizens[i].id_number, id_number) == 0)
            return i;
    return -1;
}

int demo_property_count(void)
{
    const struct demo_population *p = population();
    return p ? p->property_count : 0;
}

bool demo_property_get(int i, struct demo_property *out)
{
    const struct demo_population *p = population();
    if (!p || i < 0 || i >= p->property_count)
        return false;
    *out = p->properties[i];
    return true;
}

const char *demo_enc_kind_name(enum demo_enc_kind kind)
{
    switch (kind) {
    case DEMO_ENC_MORTGAGE:
        return "mortgage";
    case DEMO_ENC_SEIZURE:
        return "seizure";
    case DEMO_ENC_OBJECTION:
        return "objection";
    case DEMO_ENC_PREREG:
        return "preregistration";
    case DEMO_ENC_RESIDENCE:
        return "residence";
    }
    return "";
}
