/* print_fixture.c - fictional certificates for the print tests.
 *
 * print_fixture_cert(c, n) fills c with n properties (0..PROPERTY_LIST_MAX).
 * The first three are the ones of the certificate mockup: one mortgaged,
 * one under seizure and objection, one clean; the rest are generated.
 * Every name and number here is invented; ID numbers are masked.
 */
#include "print_fixture.h"

#include <stdio.h>
#include <string.h>

static void enc(struct property *p, enum encumbrance_kind kind, const char *holder,
                const char *number, const char *date, const char *period, int64_t fen)
{
    struct encumbrance *e = &p->enc[p->enc_count++];
    e->kind = kind;
    snprintf(e->holder, sizeof e->holder, "%s", holder);
    snprintf(e->certificate_number, sizeof e->certificate_number, "%s", number);
    snprintf(e->registered_at, sizeof e->registered_at, "%s", date);
    snprintf(e->period, sizeof e->period, "%s", period);
    e->amount_fen = fen;
}

static void prop(struct property *p, const char *unit, const char *district, const char *loc,
                 const char *cert, const char *area, const char *use)
{
    snprintf(p->id, sizeof p->id, "p-%.20s", unit + 14);
    snprintf(p->unit_number, sizeof p->unit_number, "%s", unit);
    snprintf(p->district, sizeof p->district, "%s", district);
    snprintf(p->location, sizeof p->location, "%s", loc);
    snprintf(p->certificate_number, sizeof p->certificate_number, "%s", cert);
    snprintf(p->area, sizeof p->area, "%s", area);
    snprintf(p->use, sizeof p->use, "%s", use);
    snprintf(p->right_type, sizeof p->right_type, "国有建设用地使用权/房屋所有权");
    snprintf(p->ownership, sizeof p->ownership, "单独所有");
}

void print_fixture_cert(struct certificate *c, int n)
{
    static const struct {
        const char *code, *name, *street;
    } districts[] = {
        {"410802", "解放区", "民主南路"}, {"410803", "中站区", "朝阳路"},
        {"410804", "马村区", "待王大道"}, {"410811", "山阳区", "塔南路"},
        {"410821", "修武县", "云台大道"}, {"410823", "武陟县", "兴华路"},
    };
    memset(c, 0, sizeof *c);
    snprintf(c->number, sizeof c->number, "JZCX-7Q4M-9K2T-XW3P");
    snprintf(c->verify_code, sizeof c->verify_code, "7Q4M9KXW");
    snprintf(c->verify_url, sizeof c->verify_url,
             "http://127.0.0.1:8080/v1/verify/JZCX-7Q4M-9K2T-XW3P?code=7Q4M9KXW");
    snprintf(c->issued_at, sizeof c->issued_at, "2025-09-16T09:47:12+08:00");
    snprintf(c->kind, sizeof c->kind, "query");
    snprintf(c->purpose, sizeof c->purpose, "子女入学");
    snprintf(c->office, sizeof c->office, "焦作市不动产登记中心");
    snprintf(c->requester_name, sizeof c->requester_name, "张**");
    snprintf(c->requester_id_masked, sizeof c->requester_id_masked, "4108**********123X");
    snprintf(c->query_method, sizeof c->query_method,
             "本人持身份证自助查询（解放区服务大厅 自助终端 JZ-03，身份证 + 人脸核验）");
    snprintf(c->props.as_of, sizeof c->props.as_of, "2025-09-16T09:47:10+08:00");
    c->props.count = n;
    for (int i = 0; i < n; i++) {
        struct property *p = &c->props.items[i];
        if (i == 0) {
            prop(p, "410802004003GB00123F00020015", "解放区",
                 "解放区民主南路168号丰泽园小区3号楼2单元501室",
                 "豫(2019)焦作市不动产权第0012345号", "112.36", "住宅");
            enc(p, ENC_MORTGAGE, "中国建设银行股份有限公司焦作分行",
                "豫(2019)焦作市不动产证明第0004567号", "2019-04-30", "2019-04-30 至 2039-04-29",
                48000000);
        } else if (i == 1) {
            prop(p, "410811007012GB00456F00010106", "山阳区",
                 "山阳区塔南路2099号锦华商业广场1幢1层106号", "豫(2021)焦作市不动产权第0045678号",
                 "56.80", "商业");
            enc(p, ENC_SEIZURE, "焦作市山阳区人民法院", "(2025)豫0811执保1234号", "2025-03-10",
                "2025-03-10 至 2028-03-09", 0);
            enc(p, ENC_OBJECTION, "李*", "豫(2025)焦作市不动产证明第0007788号", "2025-08-05", "",
                0);
        } else if (i == 2) {
            prop(p, "410825105203JC00789F00010001", "温县", "温县祥云镇和乐村2组36号",
                 "豫(2022)温县不动产权第0003321号", "168.40", "住宅");
        } else {
            const unsigned d = (unsigned)i % (sizeof districts / sizeof districts[0]);
            char unit[64], loc[128], cert[64], area[24];
            snprintf(unit, sizeof unit, "%s%06dGB%05dF%08d", districts[d].code, 4003 + i, 100 + i,
                     20015 + i * 7);
            snprintf(loc, sizeof loc, "%s%s%d号%d号楼%d单元%d室", districts[d].name,
                     districts[d].street, 100 + i * 3, 1 + i % 9, 1 + i % 3, 101 + i);
            snprintf(cert, sizeof cert, "豫(20%02d)焦作市不动产权第%07d号", 10 + i % 15,
                     12345 + i * 101);
            snprintf(area, sizeof area, "%d.%02d", 60 + i * 3, i % 100);
            prop(p, unit, districts[d].name, loc, cert, area, i % 4 == 0 ? "商业" : "住宅");
            if (i % 5 == 0)
                enc(p, ENC_MORTGAGE, "中国工商银行股份有限公司焦作分行",
                    "豫(2023)焦作市不动产证明第0001234号", "2023-06-01", "2023-06-01 至 2043-05-31",
                    35000000 + i * 100000LL);
        }
    }
}

/* fontconfig keeps process-wide caches it never frees (its default
 * language list); that is not ours to fix. Read by LeakSanitizer only;
 * it lives here because every print test links this file. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
