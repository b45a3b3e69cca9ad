/* registry_services.c - the hall's counter services, and the endpoints
 * that describe the hall rather than a citizen: GET /v1/services (the
 * guide), GET /v1/notice, GET /v1/calendar. HTTP thread; the table is
 * pure data.
 *
 * The 311 limits: general registration 3 working days, mortgage 1 working
 * day, query, seizure and cancellation within 1 hour. Registration fees
 * follow the national schedule (住宅 80 元 a case, 非住宅 550 元; the first
 * certificate free, each further 10 元); small and micro enterprises and
 * individual businesses pay no registration fee.
 */
#include "registry/registry_internal.h"
#include "registry/registry_calendar.h"
#include "registry/registry_tickets.h"

#include "base/clock.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

#define WAIVER_SMALL "小微企业（含个体工商户）申请不动产登记，免收登记费"

static const struct registry_service services[] = {
    {"registration",
     "A",
     "不动产转移登记",
     "买卖、赠与、继承等房屋和土地的产权转移",
     "7 号至 10 号窗口",
     false,
     3,
     "一般登记 3 个工作日内办结",
     12,
     {"买卖双方有效身份证件", "不动产权证书", "买卖合同或其他权属来源材料", "完税凭证",
      "不动产登记申请书（现场领取）", NULL},
     {{"住宅类登记费（每件）", 8000},
      {"非住宅类登记费（每件）", 55000},
      {"证书工本费（第一本）", 0},
      {NULL, 0}},
     {WAIVER_SMALL, NULL},
     true,
     true},
    {"mortgage",
     "B",
     "不动产抵押登记",
     "以房屋、土地向银行等设立抵押",
     "5 号、6 号窗口",
     false,
     1,
     "抵押登记 1 个工作日内办结",
     10,
     {"抵押人有效身份证件", "不动产权证书", "主债权合同与抵押合同", "金融机构授权委托书", NULL},
     {{"住宅类登记费（每件）", 8000}, {"非住宅类登记费（每件）", 55000}, {NULL, 0}},
     {WAIVER_SMALL, "申请人以个人住房向银行贷款设立抵押的，按住宅类收费", NULL},
     true,
     true},
    {"cancellation",
     "E",
     "抵押注销登记",
     "贷款还清后注销抵押",
     "5 号、6 号窗口",
     true,
     1,
     "注销登记 1 小时内办结",
     6,
     {"抵押权人出具的注销申请", "不动产登记证明", "申请人有效身份证件", NULL},
     {{"注销登记", 0}, {NULL, 0}},
     {"注销登记不收费", NULL},
     true,
     true},
    {"query",
     "C",
     "不动产登记资料查询",
     "本人名下房屋、土地及抵押、查封情况",
     "3 号、4 号窗口",
     true,
     1,
     "查询类业务 1 小时内办结",
     4,
     {"本人有效身份证件", "代他人查询：授权委托书", "受托人有效身份证件", NULL},
     {{"查询", 0}, {NULL, 0}},
     {NULL},
     false,
     true},
    {"preregistration",
     "F",
     "预告登记",
     "预购商品房、预售备案后的预告登记",
     "7 号至 10 号窗口",
     false,
     1,
     "预告登记 1 个工作日内办结",
     10,
     {"买卖双方有效身份证件", "商品房预售合同", "预售合同备案证明", NULL},
     {{"住宅类登记费（每件）", 8000}, {NULL, 0}},
     {WAIVER_SMALL, NULL},
     true,
     true},
    {"residence",
     "G",
     "居住权登记",
     "依合同或遗嘱设立居住权",
     "12 号窗口",
     false,
     3,
     "一般登记 3 个工作日内办结",
     12,
     {"当事人有效身份证件", "不动产权证书", "居住权合同或生效遗嘱", NULL},
     {{"住宅类登记费（每件）", 8000}, {NULL, 0}},
     {NULL},
     true,
     true},
    {"transfer_mortgaged",
     "H",
     "带押过户",
     "房屋抵押未解除时直接办理转移",
     "7 号至 10 号窗口",
     false,
     1,
     "带押过户 1 个工作日内办结",
     12,
     {"买卖双方有效身份证件", "不动产权证书", "抵押权人同意转让的书面材料", "买卖合同", NULL},
     {{"住宅类登记费（每件）", 8000}, {NULL, 0}},
     {WAIVER_SMALL, NULL},
     true,
     true},
    {"seizure",
     "D",
     "查封、解封登记",
     "法院等机关的查封与解封",
     "11 号窗口",
     true,
     1,
     "查封登记 1 小时内办结",
     8,
     {"协助执行通知书", "执行公务证件", NULL},
     {{"查封登记", 0}, {NULL, 0}},
     {"查封、解封登记不收费", NULL},
     false,
     true},
    {"correction",
     "J",
     "更正、异议登记",
     "登记簿记载有误时的更正，或对记载提出异议",
     "12 号窗口",
     false,
     3,
     "一般登记 3 个工作日内办结",
     12,
     {"申请人有效身份证件", "证明登记错误的材料", "不动产权证书", NULL},
     {{"更正登记", 0}, {"异议登记", 0}, {NULL, 0}},
     {NULL},
     true,
     true},
};

const struct registry_service *registry_services(int *count)
{
    *count = (int)ARRAY_LEN(services);
    return services;
}

const struct registry_service *registry_ticket_service(const char *code)
{
    for (size_t i = 0; code && i < ARRAY_LEN(services); i++)
        if (strcmp(services[i].code, code) == 0)
            return &services[i];
    return NULL;
}

static cJSON *strings(const char *const *v)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; v[i]; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

cJSON *registry_limit_json(bool hours, int value)
{
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "unit", hours ? "hours" : "working_days");
    cJSON_AddNumberToObject(l, "value", value);
    return l;
}

void on_services(struct call *c, struct reply *r)
{
    (void)c;
    char at[32];
    now_iso(at, sizeof at);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "as_of", at);
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    for (size_t i = 0; i < ARRAY_LEN(services); i++) {
        const struct registry_service *s = &services[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", s->code);
        cJSON_AddStringToObject(o, "letter", s->prefix);
        cJSON_AddStringToObject(o, "name", s->name);
        cJSON_AddStringToObject(o, "summary", s->summary);
        cJSON_AddStringToObject(o, "windows_text", s->windows);
        cJSON_AddItemToObject(o, "limit", registry_limit_json(s->limit_hours, s->limit_value));
        cJSON_AddStringToObject(o, "time_limit", s->time_limit);
        cJSON_AddItemToObject(o, "materials", strings(s->materials));
        cJSON *fees = cJSON_AddArrayToObject(o, "fees");
        for (int k = 0; s->fees[k].item; k++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "item", s->fees[k].item);
            cJSON_AddNumberToObject(f, "amount_fen", s->fees[k].amount_fen);
            cJSON_AddItemToArray(fees, f);
        }
        cJSON_AddItemToObject(o, "fee_waivers", strings(s->waivers));
        cJSON_AddBoolToObject(o, "bookable", s->bookable);
        cJSON_AddBoolToObject(o, "walk_in", s->walk_in);
        cJSON_AddItemToArray(items, o);
    }
    reply_json(r, 200, j);
}

static const char *const weekdays[7] = {"周日", "周一", "周二", "周三", "周四", "周五", "周六"};

const char *registry_weekday(int64_t d)
{
    int64_t wd = (d + 4) % 7;
    return weekdays[wd < 0 ? wd + 7 : wd];
}

/* "10月1日" */
static void month_day(int64_t d, char *out, size_t size)
{
    int y, m, dd;
    cal_date(d, &y, &m, &dd);
    snprintf(out, size, "%d月%d日", m, dd);
}

void registry_notice_text(int64_t now, char *out, size_t size)
{
    out[0] = '\0';
    struct cal_holiday h;
    if (!cal_next_holiday(cal_day_of(now), 30, &h))
        return;
    /* "10月1日至7日", "1月1日", "2月15日至23日", "12月31日至1月2日" */
    char span[48];
    int y1, m1, d1, y2, m2, d2;
    cal_date(h.first, &y1, &m1, &d1);
    cal_date(h.last, &y2, &m2, &d2);
    if (h.first == h.last)
        snprintf(span, sizeof span, "%d月%d日", m1, d1);
    else if (m1 == m2)
        snprintf(span, sizeof span, "%d月%d日至%d日", m1, d1, d2);
    else
        snprintf(span, sizeof span, "%d月%d日至%d月%d日", m1, d1, m2, d2);
    size_t n = (size_t)snprintf(out, size, "%s%s假期，窗口暂停服务", span, h.name);
    for (int i = 0; i < h.worked_count && n < size; i++) {
        char w[16];
        month_day(h.worked[i], w, sizeof w);
        n += (size_t)snprintf(out + n, size - n, "%s%s（%s）", i ? "、" : "；", w,
                              registry_weekday(h.worked[i]));
    }
    if (n < size)
        snprintf(out + n, size - n, "%s。", h.worked_count ? "正常上班" : "");
}

void on_notice(struct call *c, struct reply *r)
{
    (void)c;
    int64_t now = clock_wall_s();
    char text[600];
    registry_notice_text(now, text, sizeof text);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "notice", text);
    cJSON *hours = cJSON_AddArrayToObject(j, "hours");
    static const char *const rows[2][2] = {{"窗口", "周一至周五  9:00–12:00  13:30–17:00"},
                                           {"自助终端", "每天  7:00–21:00"}};
    for (int i = 0; i < 2; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "label", rows[i][0]);
        cJSON_AddStringToObject(o, "text", rows[i][1]);
        cJSON_AddItemToArray(hours, o);
    }
    int64_t d = cal_day_of(now);
    int minute = (int)((now - cal_time(d, 0, 0)) / 60);
    bool open = cal_working(d) && ((minute >= 9 * 60 && minute < 12 * 60) ||
                                   (minute >= 13 * 60 + 30 && minute < 17 * 60));
    cJSON_AddBoolToObject(j, "open_now", open);
    reply_json(r, 200, j);
}

/* The value of name=... in the query string, or NULL. */
const char *registry_query_arg(struct call *c, const char *name)
{
    return MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, name);
}

void on_calendar(struct call *c, struct reply *r)
{
    const char *from = registry_query_arg(c, "from");
    const char *days_s = registry_query_arg(c, "days");
    int days = days_s ? small_number(days_s) : 14;
    int64_t d = cal_day_of(clock_wall_s());
    int y, m, dd;
    if (from && (sscanf(from, "%4d-%2d-%2d", &y, &m, &dd) != 3 || strlen(from) != 10 || m < 1 ||
                 m > 12 || dd < 1 || dd > 31)) {
        reply_problem(r, PROB_BAD_REQUEST, "from is not a date");
        return;
    }
    if (from)
        d = cal_day(y, m, dd);
    if (days < 1 || days > 62) {
        reply_problem(r, PROB_BAD_REQUEST, "days must be 1 to 62");
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON *a = cJSON_AddArrayToObject(j, "days");
    for (int i = 0; i < days; i++) {
        char date[16];
        cal_date(d + i, &y, &m, &dd);
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, dd);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "date", date);
        cJSON_AddBoolToObject(o, "working", cal_working(d + i));
        cJSON_AddStringToObject(o, "name", cal_name(d + i));
        cJSON_AddItemToArray(a, o);
    }
    reply_json(r, 200, j);
}
