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
 */
#include "demo/demo.h"

#include "base/log.h"
#include "base/util.h"
#include "demo/demo_data.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_SEED 0x4A5A2026B0C0FFEEull

/* ---- random numbers ------------------------------------------------------ */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. The modulo bias is irrelevant at these ranges. */
static int rng_range(struct rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static bool rng_chance(struct rng *r, int percent)
{
    return rng_range(r, 0, 99) < percent;
}

#define PICK(r, arr)       ((arr)[rng_range((r), 0, (int)ARRAY_LEN(arr) - 1)])
#define PICK_WORD(r, list) ((list).word[rng_range((r), 0, (list).count - 1)])

/* The data of the population under construction: set by build() under its
 * lock and read by the drawing functions below. */
static const struct demo_data *data;

/* snprintf through a function, so the compiler does not second-guess
 * truncation of fixed fields: every field is sized for its longest value
 * and str-copy semantics are fine if one ever is not. */
static void put(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, size, fmt, ap);
    va_end(ap);
}

/* ---- dates ---------------------------------------------------------------- */

struct ymd {
    int y, m, d;
};

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

static struct ymd date_between(struct rng *r, struct ymd a, struct ymd b)
{
    return civil_from_days(rng_range(r, days_from_civil(a), days_from_civil(b)));
}

static struct ymd date_add_days(struct ymd t, int days)
{
    return civil_from_days(days_from_civil(t) + days);
}

/* Same day N years later; 29 Feb becomes 28 Feb. */
static struct ymd date_add_years(struct ymd t, int years)
{
    struct ymd u = {t.y + years, t.m, t.d};
    if (u.m == 2 && u.d == 29 && civil_from_days(days_from_civil(u)).m != 2)
        u.d = 28;
    return u;
}

static int date_cmp(struct ymd a, struct ymd b)
{
    return days_from_civil(a) - days_from_civil(b);
}

static void date_format(struct ymd t, char *out, size_t size)
{
    put(out, size, "%04d-%02d-%02d", t.y, t.m, t.d);
}

/* The day the population describes: registrations end before it. */
static const struct ymd demo_today = {2026, 11, 1};

/* ---- places --------------------------------------------------------------- */

static int place_road_count(const struct place *p)
{
    int n = 0;
    while (n < 6 && p->roads[n] && p->roads[n][0])
        n++;
    return n;
}

static int pick_place(struct rng *r)
{
    int total = 0;
    for (int i = 0; i < data->place_count; i++)
        total += data->places[i].weight;
    int x = rng_range(r, 0, total - 1);
    for (int i = 0; i < data->place_count; i++) {
        if (x < data->places[i].weight)
            return i;
        x -= data->places[i].weight;
    }
    return 0;
}

/* ---- names ---------------------------------------------------------------- */

static void make_name(struct rng *r, bool male, char *out, size_t size)
{
    const char *s = PICK_WORD(r, data->surnames);
    const char *a = male ? PICK_WORD(r, data->given_m) : PICK_WORD(r, data->given_f);
    if (rng_chance(r, 18)) {
        put(out, size, "%s%s", s, a);
        return;
    }
    const char *b = a;
    while (b == a)
        b = male ? PICK_WORD(r, data->given_m) : PICK_WORD(r, data->given_f);
    put(out, size, "%s%s%s", s, a, b);
}

/* ---- people --------------------------------------------------------------- */

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
        put(id, sizeof id, "%s%04d%02d%02d%03d", data->places[p->place].code, p->birth.y,
            p->birth.m, p->birth.d, seq);
        id[17] = idnum_check_char(id);
        id[18] = '\0';
    } while (id_taken(b, id));
    if (b->id_count < (int)ARRAY_LEN(b->ids))
        memcpy(b->ids[b->id_count++], id, sizeof id);
    memcpy(p->id_number, id, sizeof id);
}

static void make_person(struct builder *b, struct person *p, int place, bool male, int born_lo,
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
        put(out, size, "%s%s%s%d号", pl->card, PICK(r, pl->towns), PICK_WORD(r, data->villages),
            rng_range(r, 1, 260));
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

static void make_citizens(struct builder *b, struct person *people)
{
    struct demo_population *pop = b->pop;
    struct rng *r = &b->rng;
    pop->citizen_count = DEMO_CITIZENS;
    for (int i = 0; i < DEMO_CITIZENS; i++) {
        struct demo_citizen *c = &pop->citizens[i];
        struct person *p = &people[i];
        const struct showcase *s = i < data->showcase_count ? &data->showcases[i] : NULL;
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
                     i >= data->showcase_count && rng_chance(r, 7) ? PICK_WORD(r, data->minorities)
                                                                   : "汉");
        date_format(p->birth, c->birth_date, sizeof c->birth_date);
        memcpy(c->id_number, p->id_number, sizeof c->id_number);
        make_card_address(r, &data->places[place], c->address, sizeof c->address);
        str_copy(c->issuer, sizeof c->issuer, data->places[place].police);
        make_validity(r, p->birth, s && s->expired, c);
        c->face = s ? s->face : DEMO_FACE_MATCH;
        str_copy(c->note, sizeof c->note, s ? s->note : "");
    }
    /* Two more drawn citizens fail the comparison, so a demo can meet the
     * outcome without picking the showcase. */
    pop->citizens[DEMO_CITIZENS - 1].face = DEMO_FACE_NO_MATCH;
    str_copy(pop->citizens[DEMO_CITIZENS - 1].note, sizeof pop->citizens[0].note, "人脸比对不通过");
}

/* ---- properties ----------------------------------------------------------- */

static bool unit_taken(const struct builder *b, const char *unit, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(b->units[i], unit) == 0)
            return true;
    return false;
}

static void area_format(int centi, char *out, size_t size)
{
    put(out, size, "%d.%02d", centi / 100, centi % 100);
}

/* Builds property number idx of kind k in place pl; owners are added later. */
static void make_property(struct builder *b, int idx, enum prop_kind k, int pl)
{
    struct rng *r = &b->rng;
    struct demo_property *p = &b->pop->properties[idx];
    const struct place *P = &data->places[pl];
    if (k == PK_HOMESTEAD && !P->county)
        k = PK_FLAT;
    memset(p, 0, sizeof *p);
    put(p->id, sizeof p->id, "p-%06d", idx + 1);
    str_copy(p->district, sizeof p->district, P->name);
    int roads = place_road_count(P);

    struct ymd reg = date_between(r, (struct ymd){2016, 3, 1}, (struct ymd){2026, 10, 20});
    date_format(reg, p->registered_at, sizeof p->registered_at);
    b->cert_seq += rng_range(r, 1, 250);
    put(p->certificate_number, sizeof p->certificate_number, "豫(%d)%s不动产权第%07d号", reg.y,
        P->cert_city, b->cert_seq);
    str_copy(p->ownership, sizeof p->ownership, "单独所有");

    char unit[29];
    for (int tries = 0;; tries++) {
        int road = rng_range(r, 0, roads - 1);
        int cmp = rng_range(r, 0, data->compounds.count - 1);
        /* The same compound on the same road has one parcel and one door
         * number, so unit numbers and addresses agree across owners. */
        int zone = road + 1, sub = cmp % 12 + 1;
        int parcel = (road * 31 + cmp * 7) % 900 + 10;
        int door = (road * 13 + cmp * 29) % 380 + 1;
        const char *type = "GB";
        char fixture = 'F';
        int bld = 1, house = 1;
        switch (k) {
        case PK_FLAT: {
            int floors = PICK(r, ((const int[]){6, 11, 18, 26}));
            int unit_no = rng_range(r, 1, floors > 6 ? 2 : 4), floor = rng_range(r, 1, floors);
            int room = rng_range(r, 1, floors > 6 ? 4 : 2);
            bld = rng_range(r, 1, 24);
            house = (unit_no - 1) * floors * 4 + (floor - 1) * 4 + room;
            put(p->location, sizeof p->location, "%s%s%d号%s%s%d号楼%d单元%d%02d室", P->name,
                P->roads[road], door, data->compounds.word[cmp],
                strstr(data->compounds.word[cmp], "小区") ? "" : "小区", bld, unit_no, floor, room);
            area_format(rng_range(r, 5800, 16000), p->area, sizeof p->area);
            str_copy(p->use, sizeof p->use, "住宅");
            str_copy(p->right_type, sizeof p->right_type, "国有建设用地使用权/房屋所有权");
            int n = rng_range(r, 0, 99);
            str_copy(p->right_nature, sizeof p->right_nature,
                     n < 68   ? "出让/市场化商品房"
                     : n < 80 ? "出让/拆迁安置房"
                     : n < 92 ? "划拨/房改房"
                              : "出让/经济适用住房");
            p->residential = true;
            break;
        }
        case PK_SHOP:
            bld = rng_range(r, 1, 6);
            house = rng_range(r, 1, 30);
            put(p->location, sizeof p->location, "%s%s%d号%s%s商业楼1层%d号", P->name,
                P->roads[road], door, data->compounds.word[cmp],
                strstr(data->compounds.word[cmp], "小区") ? "" : "小区", house);
            area_format(rng_range(r, 2500, 30000), p->area, sizeof p->area);
            str_copy(p->use, sizeof p->use, "商业");
            str_copy(p->right_type, sizeof p->right_type, "国有建设用地使用权/房屋所有权");
            str_copy(p->right_nature, sizeof p->right_nature, "出让/市场化商品房");
            break;
        case PK_OFFICE: {
            int floor = rng_range(r, 2, 24), room = rng_range(r, 1, 12);
            house = floor * 100 + room;
            put(p->location, sizeof p->location, "%s%s%d号%s大厦%d%02d室", P->name, P->roads[road],
                door, data->office_towers.word[cmp % data->office_towers.count], floor, room);
            area_format(rng_range(r, 6000, 20000), p->area, sizeof p->area);
            str_copy(p->use, sizeof p->use, "办公");
            str_copy(p->right_type, sizeof p->right_type, "国有建设用地使用权/房屋所有权");
            str_copy(p->right_nature, sizeof p->right_nature, "出让/市场化商品房");
            break;
        }
        case PK_HOMESTEAD: {
            int town = rng_range(r, 0, 2), vil = rng_range(r, 0, data->villages.count - 1);
            zone = 100 + town + 1;
            sub = vil + 1;
            parcel = rng_range(r, 1, 2999);
            type = "JC";
            put(p->location, sizeof p->location, "%s%s%s%d号", P->name, P->towns[town],
                data->villages.word[vil], rng_range(r, 1, 260));
            area_format(rng_range(r, 8000, 26000), p->area, sizeof p->area);
            area_format(rng_range(r, 12000, 26600), p->land_area, sizeof p->land_area);
            str_copy(p->use, sizeof p->use, "住宅（宅基地）");
            str_copy(p->right_type, sizeof p->right_type, "宅基地使用权/房屋所有权");
            str_copy(p->right_nature, sizeof p->right_nature, "集体土地/自建房");
            p->residential = true;
            break;
        }
        case PK_FACTORY:
        case PK_LAND:
            parcel = rng_range(r, 1000, 4999);
            sub = rng_range(r, 20, 40);
            if (k == PK_LAND) {
                fixture = 'W';
                bld = house = 0;
                put(p->location, sizeof p->location, "%s%s北侧%d号地块", P->name, P->roads[road],
                    rng_range(r, 1, 30));
                area_format(rng_range(r, 200000, 2000000), p->area, sizeof p->area);
                str_copy(p->land_area, sizeof p->land_area, p->area);
                str_copy(p->right_type, sizeof p->right_type, "国有建设用地使用权");
                str_copy(p->right_nature, sizeof p->right_nature, "出让");
            } else {
                bld = rng_range(r, 1, 8);
                put(p->location, sizeof p->location, "%s%s%d号%d号厂房", P->name, P->roads[road],
                    door + 400, bld);
                area_format(rng_range(r, 80000, 600000), p->area, sizeof p->area);
                area_format(rng_range(r, 200000, 2000000), p->land_area, sizeof p->land_area);
                str_copy(p->right_type, sizeof p->right_type, "国有建设用地使用权/房屋所有权");
                str_copy(p->right_nature, sizeof p->right_nature, "出让/自建房");
            }
            str_copy(p->use, sizeof p->use, "工业");
            break;
        }
        /* 8-digit fixture unit number: building (4) + house (4). */
        put(unit, sizeof unit, "%s%03d%03d%s%05d%c%04d%04d", P->code, zone, sub, type, parcel,
            fixture, bld, house);
        if (!unit_taken(b, unit, idx) || tries > 50)
            break;
    }
    memcpy(p->unit_number, unit, sizeof p->unit_number);
    memcpy(b->units[idx], unit, sizeof b->units[idx]);
}

static void add_owner(struct demo_property *p, const struct person *who, int citizen,
                      const char *share)
{
    if (p->owner_count >= DEMO_OWNERS_MAX)
        return;
    struct demo_owner *o = &p->owners[p->owner_count++];
    str_copy(o->name, sizeof o->name, who->name);
    memcpy(o->id_number, who->id_number, sizeof o->id_number);
    o->citizen = citizen;
    str_copy(o->share, sizeof o->share, share ? share : "");
}

/* A spouse or partner without a demo card, of about the same age. */
static void add_background_partner(struct builder *b, struct demo_property *p,
                                   const struct person *with)
{
    struct person q;
    make_person(b, &q, with->place, !with->male, with->birth.y - 3, with->birth.y + 3);
    add_owner(p, &q, -1, NULL);
    str_copy(p->ownership, sizeof p->ownership, "共同共有");
}

/* ---- encumbrances --------------------------------------------------------- */

static struct ymd parse_ymd(const char *s)
{
    struct ymd t = {0, 1, 1};
    sscanf(s, "%d-%d-%d", &t.y, &t.m, &t.d);
    return t;
}

static int64_t area_centi(const char *s)
{
    long whole = 0, frac = 0;
    sscanf(s, "%ld.%ld", &whole, &frac);
    return (int64_t)whole * 100 + frac;
}

static void masked_person(struct rng *r, char *out, size_t size)
{
    char name[32];
    make_name(r, rng_chance(r, 50), name, sizeof name);
    mask_name(name, out, size);
}

static void add_enc(struct builder *b, struct demo_property *p, enum demo_enc_kind kind)
{
    if (p->enc_count >= DEMO_ENC_MAX)
        return;
    for (int i = 0; i < p->enc_count; i++)
        if (p->enc[i].kind == kind)
            return;
    struct rng *r = &b->rng;
    struct demo_encumbrance *e = &p->enc[p->enc_count++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    struct ymd reg = parse_ymd(p->registered_at);
    const struct place *P = &data->places[0];
    for (int i = 0; i < data->place_count; i++)
        if (strcmp(data->places[i].name, p->district) == 0)
            P = &data->places[i];
    struct ymd at, end;
    char a[11], z[11];
    switch (kind) {
    case DEMO_ENC_MORTGAGE:
    case DEMO_ENC_PREREG: {
        at = rng_chance(r, 75) ? date_add_days(reg, rng_range(r, 0, 20))
                               : date_between(r, reg, date_add_days(demo_today, -30));
        if (date_cmp(at, demo_today) >= 0)
            at = date_add_days(demo_today, -7);
        /* A loan that ran out would have been cancelled (抵押注销), so the
         * term always reaches past the demo date. */
        int term = PICK(r, ((const int[]){5, 10, 20, 30}));
        while (term < 30 && date_cmp(date_add_years(at, term), demo_today) < 365)
            term += 5;
        end = date_add_days(date_add_years(at, term), -1);
        date_format(at, a, sizeof a);
        date_format(end, z, sizeof z);
        date_format(at, e->registered_at, sizeof e->registered_at);
        put(e->period, sizeof e->period, "%s 至 %s", a, z);
        const char *bank =
            P->rural_bank && rng_chance(r, 30) ? P->rural_bank : PICK_WORD(r, data->city_banks);
        str_copy(e->holder, sizeof e->holder, bank);
        /* 30-70 % of a price of 4,000-7,500 yuan per square metre, in
         * whole ten-thousands of yuan as loan contracts state them. */
        int64_t price_fen = (int64_t)rng_range(r, 4000, 7500) * 100;
        int64_t value = area_centi(p->area) * price_fen / 100;
        int64_t amount = value * rng_range(r, 30, 70) / 100 / 1000000 * 1000000;
        e->amount_fen = amount < 5000000 ? 5000000 : amount;
        b->proof_seq += rng_range(r, 1, 120);
        put(e->certificate_number, sizeof e->certificate_number, "豫(%d)%s不动产证明第%07d号", at.y,
            P->cert_city, b->proof_seq);
        if (kind == DEMO_ENC_PREREG)
            str_copy(e->note, sizeof e->note, "预购商品房抵押权预告登记");
        else if (rng_chance(r, 15))
            str_copy(e->note, sizeof e->note, "最高额抵押");
        else
            str_copy(e->note, sizeof e->note, "一般抵押");
        break;
    }
    case DEMO_ENC_SEIZURE:
        at = date_between(r, (struct ymd){2024, 1, 1}, date_add_days(demo_today, -10));
        end = date_add_days(date_add_years(at, 3), -1);
        date_format(at, a, sizeof a);
        date_format(end, z, sizeof z);
        date_format(at, e->registered_at, sizeof e->registered_at);
        put(e->period, sizeof e->period, "%s 至 %s", a, z);
        bool guard = rng_chance(r, 50);
        str_copy(e->holder, sizeof e->holder,
                 rng_chance(r, 15) ? "河南省焦作市中级人民法院" : P->court);
        b->court_seq += rng_range(r, 3, 90);
        put(e->certificate_number, sizeof e->certificate_number, "(%d)%s执%s%d号", at.y,
            P->court_code, guard ? "保" : "", b->court_seq);
        str_copy(e->note, sizeof e->note, guard ? "诉讼财产保全查封" : "执行查封");
        break;
    case DEMO_ENC_OBJECTION:
        at = date_between(r, (struct ymd){2026, 6, 1}, date_add_days(demo_today, -5));
        date_format(at, e->registered_at, sizeof e->registered_at);
        masked_person(r, e->holder, sizeof e->holder);
        b->proof_seq += rng_range(r, 1, 120);
        put(e->certificate_number, sizeof e->certificate_number, "豫(%d)%s不动产证明第%07d号", at.y,
            P->cert_city, b->proof_seq);
        str_copy(e->note, sizeof e->note, "异议登记，申请人已在十五日内提起诉讼");
        break;
    case DEMO_ENC_RESIDENCE:
        at = date_between(r, (struct ymd){2021, 1, 1}, date_add_days(demo_today, -30));
        date_format(at, a, sizeof a);
        date_format(at, e->registered_at, sizeof e->registered_at);
        put(e->period, sizeof e->period, "%s 至 居住权人终身", a);
        masked_person(r, e->holder, sizeof e->holder);
        b->proof_seq += rng_range(r, 1, 120);
        put(e->certificate_number, sizeof e->certificate_number, "豫(%d)%s不动产证明第%07d号", at.y,
            P->cert_city, b->proof_seq);
        str_copy(e->note, sizeof e->note, "无偿设立居住权");
        break;
    }
}

static bool has_enc(const struct demo_property *p, enum demo_enc_kind kind)
{
    for (int i = 0; i < p->enc_count; i++)
        if (p->enc[i].kind == kind)
            return true;
    return false;
}

/* Deals `want` encumbrances of a kind over the unlocked properties that
 * qualify, in a seeded shuffled order, counting those already placed. */
static void deal(struct builder *b, enum demo_enc_kind kind, int want)
{
    struct demo_population *pop = b->pop;
    int have = 0;
    for (int i = 0; i < pop->property_count; i++)
        have += has_enc(&pop->properties[i], kind);
    int order[DEMO_PROPERTIES] = {0};
    for (int i = 0; i < pop->property_count; i++)
        order[i] = i;
    for (int i = pop->property_count - 1; i > 0; i--) {
        int j = rng_range(&b->rng, 0, i), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int k = 0; k < pop->property_count && have < want; k++) {
        struct demo_property *p = &pop->properties[order[k]];
        if (b->locked[order[k]] || has_enc(p, kind) || p->enc_count >= DEMO_ENC_MAX)
            continue;
        bool homestead = strstr(p->use, "宅基地") != NULL;
        bool land = strcmp(p->use, "工业") == 0;
        if (kind == DEMO_ENC_MORTGAGE && homestead)
            continue; /* 宅基地 may not be mortgaged outside pilot areas */
        if ((kind == DEMO_ENC_PREREG || kind == DEMO_ENC_RESIDENCE) && !p->residential)
            continue;
        if (kind == DEMO_ENC_PREREG && (homestead || land || has_enc(p, DEMO_ENC_MORTGAGE)))
            continue;
        add_enc(b, p, kind);
        have++;
    }
}

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
    data = d;
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
        const int *plan = i < data->showcase_count ? data->showcases[i].props : NULL;
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
                plan ? (enum prop_kind)plan[k] : drawn_kind(&b.rng, data->places[pl].county);
            if (plan && kind == PK_HOMESTEAD)
                pl = people[i].place;
            make_property(&b, n, kind, pl);
            struct demo_property *p = &pop->properties[n];
            add_owner(p, &people[i], i, NULL);
            if (!plan && p->residential && rng_chance(&b.rng, 30))
                add_background_partner(&b, p, &people[i]);
            b.locked[n] = i < data->showcase_count;
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
        make_property(&b, n, drawn_kind(&b.rng, data->places[pl].county), pl);
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
