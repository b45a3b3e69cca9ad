/* fixtures.c - fictional citizens and properties for the UI tests, and a
 * stand-in for the demo population so the screenshots do not change when
 * the demo data does. Fictional people, real district names. */
#include "ui_fixtures.h"

#include "base/util.h"
#include "demo/demo.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *note;
} people[] = {
    {"张伟", "三处房产，一处抵押"}, {"李秀英", "名下没有房产"}, {"王建国", "房产被查封"},
    {"刘芳", "人脸比对不通过"},     {"陈明", "身份证已过期"},   {"赵丽", "共同共有"},
};

int demo_citizen_count(void)
{
    return (int)(sizeof people / sizeof people[0]);
}

bool demo_citizen_get(int i, struct demo_citizen *out)
{
    if (i < 0 || i >= demo_citizen_count())
        return false;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", people[i].name);
    snprintf(out->note, sizeof out->note, "%s", people[i].note);
    return true;
}

int demo_citizen_find(const char *id_number)
{
    (void)id_number;
    return -1;
}

static void prop(struct property *p, const char *loc, const char *unit, const char *area,
                 const char *use, const char *cert)
{
    memset(p, 0, sizeof *p);
    snprintf(p->location, sizeof p->location, "%s", loc);
    snprintf(p->unit_number, sizeof p->unit_number, "%s", unit);
    snprintf(p->area, sizeof p->area, "%s", area);
    snprintf(p->use, sizeof p->use, "%s", use);
    snprintf(p->certificate_number, sizeof p->certificate_number, "%s", cert);
    snprintf(p->right_type, sizeof p->right_type, "国有建设用地使用权 / 房屋所有权");
    snprintf(p->right_nature, sizeof p->right_nature, "出让 / 商品房");
    snprintf(p->ownership, sizeof p->ownership, "单独所有");
    snprintf(p->registered_at, sizeof p->registered_at, "2019-04-22");
}

void fixture_session(struct session *s, int props)
{
    memset(s, 0, sizeof *s);
    s->active = true;
    s->service = SERVICE_QUERY;
    s->has_card = true;
    snprintf(s->name_masked, sizeof s->name_masked, "张**");
    snprintf(s->id_masked, sizeof s->id_masked, "4108**********123X");
    s->selected = -1;
    s->purpose = -1;
    s->copies = 1;
    s->has_props = true;
    struct property_list *l = &s->props;
    snprintf(l->as_of, sizeof l->as_of, "2025-09-16T09:43:00+08:00");
    l->count = props;
    if (props < 1)
        return;
    struct property *p = &l->items[0];
    prop(p, "解放区民主南路168号丰泽园小区3号楼2单元501室", "410802004003GB00123F00020015",
         "112.36", "住宅", "豫(2019)焦作市不动产权第0012345号");
    snprintf(p->land_area, sizeof p->land_area, "28.64");
    p->enc_count = 1;
    p->enc[0].kind = ENC_MORTGAGE;
    snprintf(p->enc[0].holder, sizeof p->enc[0].holder, "中国建设银行股份有限公司焦作分行");
    snprintf(p->enc[0].certificate_number, sizeof p->enc[0].certificate_number,
             "豫(2019)焦作市不动产证明第0004567号");
    p->enc[0].amount_fen = 48000000;
    snprintf(p->enc[0].period, sizeof p->enc[0].period, "2019年4月30日 至 2039年4月29日");
    if (props < 2)
        return;
    p = &l->items[1];
    prop(p, "山阳区塔南路2099号锦华商业广场1幢1层106号", "410811007012GB00456F00010106", "56.80",
         "商业", "豫(2017)焦作市不动产权第0004321号");
    p->enc_count = 2;
    p->enc[0].kind = ENC_SEIZURE;
    snprintf(p->enc[0].holder, sizeof p->enc[0].holder, "焦作市山阳区人民法院");
    snprintf(p->enc[0].certificate_number, sizeof p->enc[0].certificate_number,
             "(2024)豫0811执1234号");
    snprintf(p->enc[0].period, sizeof p->enc[0].period, "2024年3月1日 至 2027年2月28日");
    p->enc[1].kind = ENC_OBJECTION;
    snprintf(p->enc[1].holder, sizeof p->enc[1].holder, "李**");
    snprintf(p->enc[1].registered_at, sizeof p->enc[1].registered_at, "2025-06-02");
    if (props < 3)
        return;
    p = &l->items[2];
    prop(p, "温县祥云镇和乐村2组36号", "410825105203JC00789F00010001", "168.40", "住宅（宅基地）",
         "豫(2016)温县不动产权第0000789号");
    snprintf(p->right_type, sizeof p->right_type, "宅基地使用权 / 房屋所有权");
    snprintf(p->right_nature, sizeof p->right_nature, "划拨 / 自建房");
}

void fixture_flow(struct flow *f, enum flow_screen screen)
{
    memset(f, 0, sizeof *f);
    f->screen = screen;
    f->reader_connected = true;
    f->registry_connected = true;
    f->now_ms = 100000;
    f->last_input_ms = 100000;
    f->timing.goodbye_ms = 15000;
    f->timing.idle_ms = 60000;
    f->timing.idle_banner_ms = 30000;
    f->timing.capture_ms = 30000;
    f->timing.card_wait_ms = 60000;
}
