/* test_demo.c - the demo population: valid, consistent, proportionate and
 * the same on every run. Runs single-threaded. */
#include "demo/demo.h"

#include "base/util.h"
#include "check.h"

#include <stdlib.h>

static const char *const codes[] = {"410802", "410803", "410804", "410811", "410821",
                                    "410822", "410823", "410825", "410882", "410883"};
static const char *const names[] = {"解放区", "中站区", "马村区", "山阳区", "修武县",
                                    "博爱县", "武陟县", "温县",   "沁阳市", "孟州市"};

static int code_index(const char *s)
{
    for (int i = 0; i < (int)ARRAY_LEN(codes); i++)
        if (strncmp(s, codes[i], 6) == 0)
            return i;
    return -1;
}

static bool is_date(const char *s)
{
    int y, m, d;
    char tail;
    return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 &&
           m <= 12 && d >= 1 && d <= 31;
}

static void test_citizens(void)
{
    int n = demo_citizen_count();
    CHECK(n >= 56);
    int no_match = 0, unavailable = 0, expired = 0, longterm = 0, none = 0, several = 0, other = 0;
    for (int i = 0; i < n; i++) {
        struct demo_citizen c;
        CHECK(demo_citizen_get(i, &c));
        CHECK(idnum_is_valid(c.id_number));
        CHECK(code_index(c.id_number) >= 0);
        /* birth date digits 7-14 */
        char born[9];
        snprintf(born, sizeof born, "%.4s%.2s%.2s", c.birth_date, c.birth_date + 5,
                 c.birth_date + 8);
        CHECK(strncmp(c.id_number + 6, born, 8) == 0);
        CHECK(is_date(c.birth_date));
        bool odd = (c.id_number[16] - '0') % 2 == 1;
        CHECK_EQ_STR(c.gender, odd ? "男" : "女");
        CHECK_EQ_INT(demo_citizen_find(c.id_number), i);
        for (int j = 0; j < i; j++) {
            struct demo_citizen d;
            demo_citizen_get(j, &d);
            CHECK(strcmp(d.id_number, c.id_number) != 0);
        }
        CHECK(utf8_len(c.name) >= 2 && utf8_len(c.name) <= 4);
        CHECK(c.ethnicity[0] != '\0');
        CHECK(strstr(c.issuer, "公安局") != NULL);
        CHECK(strncmp(c.address, "河南省", strlen("河南省")) == 0);
        CHECK(is_date(c.valid_from));
        CHECK(strcmp(c.valid_to, "长期") == 0 || is_date(c.valid_to));
        CHECK(c.note[0] != '\0');
        longterm += strcmp(c.valid_to, "长期") == 0;
        expired += is_date(c.valid_to) && strcmp(c.valid_to, "2026-11-22") < 0;
        no_match += c.face == DEMO_FACE_NO_MATCH;
        unavailable += c.face == DEMO_FACE_UNAVAILABLE;
        none += c.property_count == 0;
        several += c.property_count >= 3;
        other += strcmp(c.ethnicity, "汉") != 0;
    }
    CHECK(no_match >= 1);
    CHECK(unavailable >= 1);
    CHECK(expired >= 1);
    CHECK(longterm >= 3);
    CHECK(none >= 2);
    CHECK(several >= 2);
    CHECK(other >= 1 && other <= n / 5);
    CHECK(!demo_citizen_get(-1, &(struct demo_citizen){0}));
    CHECK(!demo_citizen_get(n, &(struct demo_citizen){0}));
    CHECK_EQ_INT(demo_citizen_find("410802199003071234"), -1);
    CHECK_EQ_INT(demo_citizen_find(NULL), -1);
}

static bool owns(const struct demo_property *p, int citizen)
{
    for (int o = 0; o < p->owner_count; o++)
        if (p->owners[o].citizen == citizen)
            return true;
    return false;
}

static void test_properties(void)
{
    int n = demo_property_count();
    CHECK(n >= 150);
    int counts[5] = {0}, shared_citizens = 0, homestead = 0;
    static char units[512][29];
    for (int i = 0; i < n; i++) {
        struct demo_property p;
        CHECK(demo_property_get(i, &p));
        /* 不动产单元号 */
        CHECK_EQ_INT(strlen(p.unit_number), 28);
        int di = code_index(p.unit_number);
        CHECK(di >= 0);
        if (di >= 0)
            CHECK_EQ_STR(p.district, names[di]);
        CHECK(strncmp(p.location, p.district, strlen(p.district)) == 0);
        for (int k = 6; k < 12; k++)
            CHECK(p.unit_number[k] >= '0' && p.unit_number[k] <= '9');
        CHECK(p.unit_number[12] == 'G' || p.unit_number[12] == 'J');
        CHECK(p.unit_number[13] >= 'A' && p.unit_number[13] <= 'Z');
        CHECK(strchr("FLW", p.unit_number[19]) != NULL);
        for (int k = 14; k < 28; k++)
            if (k != 19)
                CHECK(p.unit_number[k] >= '0' && p.unit_number[k] <= '9');
        for (int j = 0; j < i && j < 512; j++)
            CHECK(strcmp(units[j], p.unit_number) != 0);
        if (i < 512)
            memcpy(units[i], p.unit_number, 29);
        if (strstr(p.use, "宅基地")) {
            homestead++;
            CHECK(strncmp(p.unit_number + 12, "JC", 2) == 0);
            CHECK(strstr(p.right_type, "宅基地使用权") != NULL);
        }
        /* certificate number and area */
        CHECK(strncmp(p.certificate_number, "豫(", 4) == 0);
        CHECK(strstr(p.certificate_number, "不动产权第") != NULL);
        const char *dot = strchr(p.area, '.');
        CHECK(dot && strlen(dot) == 3);
        CHECK(is_date(p.registered_at));
        CHECK(strcmp(p.id, "p-000000") > 0);
        CHECK(p.owner_count >= 1 && p.owner_count <= DEMO_OWNERS_MAX);
        for (int o = 0; o < p.owner_count; o++)
            CHECK(idnum_is_valid(p.owners[o].id_number));
        if (p.owner_count == 1)
            CHECK_EQ_STR(p.ownership, "单独所有");
        else
            CHECK(strcmp(p.ownership, "共同共有") == 0 || strcmp(p.ownership, "按份共有") == 0);
        int demo_owners = 0;
        for (int o = 0; o < p.owner_count; o++)
            demo_owners += p.owners[o].citizen >= 0;
        shared_citizens += demo_owners >= 2;
        bool seen[5] = {false};
        for (int e = 0; e < p.enc_count; e++) {
            const struct demo_encumbrance *x = &p.enc[e];
            CHECK(x->kind >= DEMO_ENC_MORTGAGE && x->kind <= DEMO_ENC_RESIDENCE);
            CHECK(!seen[x->kind]);
            seen[x->kind] = true;
            counts[x->kind]++;
            CHECK(x->holder[0] != '\0');
            CHECK(x->certificate_number[0] != '\0');
            CHECK(is_date(x->registered_at));
            CHECK(strcmp(x->registered_at, "2026-11-22") < 0);
            if (x->kind == DEMO_ENC_MORTGAGE) {
                CHECK(x->amount_fen > 0);
                CHECK(strstr(x->holder, "银行") != NULL);
                CHECK(strstr(x->certificate_number, "不动产证明第") != NULL);
                CHECK(strcmp(x->registered_at, p.registered_at) >= 0);
            }
            if (x->kind == DEMO_ENC_SEIZURE)
                CHECK(strstr(x->holder, "人民法院") != NULL);
        }
    }
    /* Proportions of a real register. */
    CHECK(counts[DEMO_ENC_MORTGAGE] * 100 >= n * 35 && counts[DEMO_ENC_MORTGAGE] * 100 <= n * 40);
    CHECK(counts[DEMO_ENC_SEIZURE] * 100 >= n * 3 && counts[DEMO_ENC_SEIZURE] * 100 <= n * 5);
    CHECK(counts[DEMO_ENC_OBJECTION] * 100 >= n * 1 && counts[DEMO_ENC_OBJECTION] * 100 <= n * 3);
    CHECK(counts[DEMO_ENC_PREREG] >= 2);
    CHECK(counts[DEMO_ENC_RESIDENCE] >= 2);
    CHECK(shared_citizens >= 2);
    CHECK(homestead >= 3);
    CHECK(!demo_property_get(n, &(struct demo_property){0}));
}

/* The showcases the demo script and the registry tests rely on. */
static void test_showcases(void)
{
    int n = demo_property_count();
    int c0 = 0, c0_mort = 0, c1_seize_obj = 0, total_for[64] = {0};
    for (int i = 0; i < n; i++) {
        struct demo_property p;
        demo_property_get(i, &p);
        bool seize = false, obj = false, mort = false;
        for (int e = 0; e < p.enc_count; e++) {
            seize |= p.enc[e].kind == DEMO_ENC_SEIZURE;
            obj |= p.enc[e].kind == DEMO_ENC_OBJECTION;
            mort |= p.enc[e].kind == DEMO_ENC_MORTGAGE;
        }
        if (owns(&p, 0)) {
            c0++;
            c0_mort += mort;
        }
        c1_seize_obj += owns(&p, 1) && seize && obj;
        for (int o = 0; o < p.owner_count; o++)
            if (p.owners[o].citizen >= 0 && p.owners[o].citizen < 64)
                total_for[p.owners[o].citizen]++;
    }
    CHECK(c0 >= 2 && c0 <= 3);
    CHECK_EQ_INT(c0_mort, 1);
    CHECK_EQ_INT(c1_seize_obj, 1);
    for (int i = 0; i < demo_citizen_count() && i < 64; i++) {
        struct demo_citizen c;
        demo_citizen_get(i, &c);
        CHECK_EQ_INT(c.property_count, total_for[i]);
    }
    struct demo_citizen c;
    demo_citizen_get(0, &c);
    CHECK_EQ_INT(c.face, DEMO_FACE_MATCH);
    CHECK(strcmp(c.valid_to, "2027-01-01") > 0);
}

/* Field by field: a copied struct's padding bytes are unspecified. */
static bool citizen_same(const struct demo_citizen *x, const struct demo_citizen *y)
{
#define SAME(f) (memcmp(x->f, y->f, sizeof x->f) == 0)
    bool same = SAME(name) && SAME(gender) && SAME(ethnicity) && SAME(birth_date) &&
                SAME(address) && SAME(id_number) && SAME(issuer) && SAME(valid_from) &&
                SAME(valid_to) && x->face == y->face && x->property_count == y->property_count &&
                SAME(note);
#undef SAME
    return same;
}

static void test_determinism(void)
{
    struct demo_population *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    CHECK(a && b);
    if (!a || !b) {
        free(a);
        free(b);
        return;
    }
    demo_generate(a);
    demo_generate(b);
    /* demo.h promises the same bytes on every call, padding included. */
    // NOLINTNEXTLINE(bugprone-suspicious-memory-comparison): the bytes are the point
    CHECK(memcmp(a, b, sizeof *a) == 0);
    struct demo_citizen c;
    CHECK(demo_citizen_get(0, &c));
    CHECK(citizen_same(&c, &a->citizens[0]));
    CHECK_EQ_INT(a->property_count, demo_property_count());
    free(a);
    free(b);
}

/* The staff: valid numbers that no citizen and no owner holds, so a staff
 * card never opens someone's visit. */
static void test_staff(void)
{
    CHECK_EQ_INT(demo_staff_count(), 2);
    for (int i = 0; i < demo_staff_count(); i++) {
        struct demo_staff s;
        CHECK(demo_staff_get(i, &s));
        CHECK(idnum_is_valid(s.id_number));
        CHECK(code_index(s.id_number) >= 0);
        CHECK_EQ_INT(demo_citizen_find(s.id_number), -1);
        CHECK_EQ_INT(demo_staff_find(s.id_number), i);
        CHECK(s.staff_no[0] && s.name[0] && strcmp(s.role, "maintenance") == 0);
        for (int k = 0; k < demo_property_count(); k++) {
            struct demo_property p;
            CHECK(demo_property_get(k, &p));
            for (int o = 0; o < p.owner_count; o++)
                CHECK(strcmp(p.owners[o].id_number, s.id_number) != 0);
        }
    }
    struct demo_staff s;
    CHECK(!demo_staff_get(2, &s) && !demo_staff_get(-1, &s));
    CHECK_EQ_INT(demo_staff_find("410802199003071234"), -1);
    CHECK_EQ_INT(demo_staff_find(NULL), -1);
}

int main(void)
{
    test_staff();
    test_citizens();
    test_properties();
    test_showcases();
    test_determinism();
    return check_report("test_demo");
}
