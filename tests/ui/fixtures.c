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
    f->timing.staff_idle_ms = 120000;
}

static void service(struct service_info *s, const char *code, const char *name, const char *limit,
                    bool hours, int value, bool bookable)
{
    memset(s, 0, sizeof *s);
    snprintf(s->code, sizeof s->code, "%s", code);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->time_limit, sizeof s->time_limit, "%s", limit);
    snprintf(s->windows_text, sizeof s->windows_text, "7 号至 10 号窗口");
    s->limit_hours = hours;
    s->limit_value = value;
    s->walk_in = true;
    s->bookable = bookable;
}

void fixture_services(struct service_list *l)
{
    memset(l, 0, sizeof *l);
    snprintf(l->as_of, sizeof l->as_of, "2025-09-16T09:42:00+08:00");
    service(&l->items[0], "registration", "不动产转移登记", "一般登记 3 个工作日内办结", false, 3,
            true);
    service(&l->items[1], "mortgage", "不动产抵押登记", "抵押登记 1 个工作日内办结", false, 1,
            true);
    service(&l->items[2], "cancellation", "抵押注销登记", "1 小时内办结", true, 1, true);
    service(&l->items[3], "query", "不动产登记资料查询", "查询类业务 1 小时内办结", true, 1, false);
    service(&l->items[4], "preregistration", "预告登记", "1 个工作日内办结", false, 1, true);
    service(&l->items[5], "residence", "居住权登记", "3 个工作日内办结", false, 3, true);
    service(&l->items[6], "transfer_mortgaged", "带押过户", "1 个工作日内办结", false, 1, true);
    service(&l->items[7], "seizure", "查封、解封登记", "1 小时内办结", true, 1, false);
    service(&l->items[8], "correction", "更正、异议登记", "3 个工作日内办结", false, 3, true);
    l->count = 9;
    struct service_info *r = &l->items[0];
    snprintf(r->summary, sizeof r->summary, "买卖、赠与、继承等房屋和土地的产权转移");
    static const char *const mats[] = {"买卖双方有效身份证件", "不动产权证书",
                                       "买卖合同或其他权属来源材料", "完税凭证",
                                       "不动产登记申请书（现场领取）"};
    for (int i = 0; i < 5; i++)
        snprintf(r->materials[i], sizeof r->materials[i], "%s", mats[i]);
    r->material_count = 5;
    snprintf(r->fees[0].item, sizeof r->fees[0].item, "住宅类登记费（每件）");
    r->fees[0].amount_fen = 8000;
    snprintf(r->fees[1].item, sizeof r->fees[1].item, "证书工本费（第一本）");
    r->fees[1].amount_fen = 0;
    r->fee_count = 2;
    snprintf(r->waivers[0], sizeof r->waivers[0],
             "小微企业（含个体工商户）申请不动产登记，免收登记费");
    r->waiver_count = 1;
}

void fixture_slots(struct slot_list *l)
{
    memset(l, 0, sizeof *l);
    snprintf(l->service, sizeof l->service, "registration");
    static const char *const dates[5][2] = {{"2025-09-17", "周三"},
                                            {"2025-09-18", "周四"},
                                            {"2025-09-19", "周五"},
                                            {"2025-09-22", "周一"},
                                            {"2025-09-23", "周二"}};
    static const char *const times[6][2] = {{"09:00", "10:00"}, {"10:00", "11:00"},
                                            {"11:00", "12:00"}, {"13:30", "14:30"},
                                            {"14:30", "15:30"}, {"15:30", "17:00"}};
    for (int d = 0; d < 5; d++) {
        struct slot_day *day = &l->days[d];
        snprintf(day->date, sizeof day->date, "%s", dates[d][0]);
        snprintf(day->weekday, sizeof day->weekday, "%s", dates[d][1]);
        for (int i = 0; i < 6; i++) {
            struct slot *s = &day->slots[i];
            snprintf(s->id, sizeof s->id, "%sT%s", dates[d][0], times[i][0]);
            snprintf(s->start, sizeof s->start, "%s", times[i][0]);
            snprintf(s->end, sizeof s->end, "%s", times[i][1]);
            s->capacity = 4;
            s->remaining = (d + i) % 3 == 0 ? 0 : (d + i) % 4 + 1;
        }
        day->slot_count = 6;
    }
    l->day_count = 5;
}

void fixture_booking(struct ticket *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->code, sizeof t->code, "YA7Q4M9K");
    snprintf(t->number, sizeof t->number, "A-0918-03");
    snprintf(t->service, sizeof t->service, "registration");
    snprintf(t->service_name, sizeof t->service_name, "不动产转移登记");
    snprintf(t->appointment, sizeof t->appointment, "2025-09-18 09:00–10:00");
    snprintf(t->windows_text, sizeof t->windows_text, "7 号至 10 号窗口");
    snprintf(t->time_limit, sizeof t->time_limit, "一般登记 3 个工作日内办结");
    snprintf(t->phone_masked, sizeof t->phone_masked, "138****5678");
    snprintf(t->materials[0], sizeof t->materials[0], "买卖双方有效身份证件");
    snprintf(t->materials[1], sizeof t->materials[1], "不动产权证书");
    snprintf(t->materials[2], sizeof t->materials[2], "买卖合同或其他权属来源材料");
    t->material_count = 3;
    t->ahead = t->wait_minutes = -1;
}

void fixture_bookings(struct booking_list *l)
{
    static const char *const states[3] = {"booked", "checked_in", "cancelled"};
    static const char *const when[3] = {"2025-09-18 09:00–10:00", "2025-09-12 14:30–15:30",
                                        "2025-09-19 10:00–11:00"};
    memset(l, 0, sizeof *l);
    for (int i = 0; i < 3; i++) {
        fixture_booking(&l->items[i]);
        snprintf(l->items[i].state, sizeof l->items[i].state, "%s", states[i]);
        snprintf(l->items[i].appointment, sizeof l->items[i].appointment, "%s", when[i]);
        snprintf(l->items[i].number, sizeof l->items[i].number, "A-0918-0%d", i + 3);
    }
    snprintf(l->items[1].service_name, sizeof l->items[1].service_name, "不动产抵押登记");
    l->count = 3;
}

static void application(struct application *a, const char *receipt, const char *name,
                        const char *state, const char *text, bool hours, int left, bool overdue)
{
    memset(a, 0, sizeof *a);
    snprintf(a->receipt, sizeof a->receipt, "%s", receipt);
    snprintf(a->service_name, sizeof a->service_name, "%s", name);
    snprintf(a->state, sizeof a->state, "%s", state);
    snprintf(a->state_text, sizeof a->state_text, "%s", text);
    snprintf(a->accepted_at, sizeof a->accepted_at, "2025-09-12T10:12:00+08:00");
    snprintf(a->due_at, sizeof a->due_at, "2025-09-17T17:00:00+08:00");
    a->limit_value = 3;
    a->remaining_hours = hours;
    a->remaining_value = left;
    a->overdue = overdue;
}

void fixture_apps(struct application_list *l)
{
    memset(l, 0, sizeof *l);
    snprintf(l->as_of, sizeof l->as_of, "2025-09-16T09:42:00+08:00");
    application(&l->items[0], "JZ20250912-00123", "不动产转移登记", "reviewing", "审核中", false, 2,
                false);
    application(&l->items[1], "JZ20250905-00041", "不动产抵押登记", "registering", "登簿中", false,
                0, true);
    application(&l->items[2], "JZ20250820-00007", "不动产登记资料查询", "done", "已办结", true, 0,
                false);
    l->count = 3;
}

void fixture_notice(struct hall_notice *n)
{
    memset(n, 0, sizeof *n);
    snprintf(n->notice, sizeof n->notice,
             "10月1日至7日国庆假期，窗口暂停服务；9月28日（周日）、10月11日（周六）正常上班。");
    snprintf(n->hours[0].label, sizeof n->hours[0].label, "窗口");
    snprintf(n->hours[0].text, sizeof n->hours[0].text, "周一至周五  9:00–12:00  13:30–17:00");
    snprintf(n->hours[1].label, sizeof n->hours[1].label, "自助终端");
    snprintf(n->hours[1].text, sizeof n->hours[1].text, "每天  7:00–21:00");
    n->hours_count = 2;
    n->open_now = true;
}

int fixture_next_step(struct ui *ui, void (*set_view)(struct ui *, enum flow_screen, bool),
                      enum flow_screen screen, uint64_t *t0)
{
    int ms = ui_next_frame_ms(ui);
    if (ms < 0)
        return -1;
    SDL_Delay((Uint32)ms + 1);
    uint64_t all0, part0, all1, part1;
    ui_frames(ui, &all0, &part0);
    set_view(ui, screen, false);
    *t0 = SDL_GetTicks64();
    bool drawn = ui_render(ui);
    ui_frames(ui, &all1, &part1);
    return drawn && all1 == all0 + 1 && part1 == part0 + 1;
}
