/* demo_register.c - the register: properties with unit numbers,
 * locations and certificate numbers, their owners, and encumbrances
 * (mortgages, seizures, objections, pre-registrations, rights of
 * residence) with the quota dealer.
 */
#include "demo/demo_build.h"

#include <stdio.h>
#include <string.h>

/* The day the population describes: registrations end before it. */
static const struct ymd demo_today = {2026, 11, 1};

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
void make_property(struct builder *b, int idx, enum prop_kind k, int pl)
{
    struct rng *r = &b->rng;
    struct demo_property *p = &b->pop->properties[idx];
    const struct place *P = &demo_source->places[pl];
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
        int cmp = rng_range(r, 0, demo_source->compounds.count - 1);
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
                P->roads[road], door, demo_source->compounds.word[cmp],
                strstr(demo_source->compounds.word[cmp], "小区") ? "" : "小区", bld, unit_no, floor,
                room);
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
                P->roads[road], door, demo_source->compounds.word[cmp],
                strstr(demo_source->compounds.word[cmp], "小区") ? "" : "小区", house);
            area_format(rng_range(r, 2500, 30000), p->area, sizeof p->area);
            str_copy(p->use, sizeof p->use, "商业");
            str_copy(p->right_type, sizeof p->right_type, "国有建设用地使用权/房屋所有权");
            str_copy(p->right_nature, sizeof p->right_nature, "出让/市场化商品房");
            break;
        case PK_OFFICE: {
            int floor = rng_range(r, 2, 24), room = rng_range(r, 1, 12);
            house = floor * 100 + room;
            put(p->location, sizeof p->location, "%s%s%d号%s大厦%d%02d室", P->name, P->roads[road],
                door, demo_source->office_towers.word[cmp % demo_source->office_towers.count],
                floor, room);
            area_format(rng_range(r, 6000, 20000), p->area, sizeof p->area);
            str_copy(p->use, sizeof p->use, "办公");
            str_copy(p->right_type, sizeof p->right_type, "国有建设用地使用权/房屋所有权");
            str_copy(p->right_nature, sizeof p->right_nature, "出让/市场化商品房");
            break;
        }
        case PK_HOMESTEAD: {
            int town = rng_range(r, 0, 2), vil = rng_range(r, 0, demo_source->villages.count - 1);
            zone = 100 + town + 1;
            sub = vil + 1;
            parcel = rng_range(r, 1, 2999);
            type = "JC";
            put(p->location, sizeof p->location, "%s%s%s%d号", P->name, P->towns[town],
                demo_source->villages.word[vil], rng_range(r, 1, 260));
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

void add_owner(struct demo_property *p, const struct person *who, int citizen, const char *share)
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
void add_background_partner(struct builder *b, struct demo_property *p, const struct person *with)
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

void add_enc(struct builder *b, struct demo_property *p, enum demo_enc_kind kind)
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
    const struct place *P = &demo_source->places[0];
    for (int i = 0; i < demo_source->place_count; i++)
        if (strcmp(demo_source->places[i].name, p->district) == 0)
            P = &demo_source->places[i];
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
        const char *bank = P->rural_bank && rng_chance(r, 30)
                               ? P->rural_bank
                               : PICK_WORD(r, demo_source->city_banks);
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

bool has_enc(const struct demo_property *p, enum demo_enc_kind kind)
{
    for (int i = 0; i < p->enc_count; i++)
        if (p->enc[i].kind == kind)
            return true;
    return false;
}

/* Deals `want` encumbrances of a kind over the unlocked properties that
 * qualify, in a seeded shuffled order, counting those already placed. */
void deal(struct builder *b, enum demo_enc_kind kind, int want)
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
