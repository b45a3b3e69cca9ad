/* backend_services.c - the replies of the hall's services (guide, notice,
 * slots, booking, bookings, applications, a proof's link, staff) and the
 * booking, staff check and audit requests, table-driven: a
 * valid reply parses to what it says, then one damage per row must be
 * refused with the field's path in the detail. Pure.
 */
#include "backend/regjson.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "check.h"
#include "reply_edit.h"

#include <stdlib.h>
#include <string.h>

static const char services[] =
    "{\"as_of\":\"2026-11-22T09:43:00+08:00\",\"items\":[{\"code\":\"registration\","
    "\"letter\":\"A\",\"name\":\"不动产转移登记\",\"summary\":\"买卖、赠与\","
    "\"windows_text\":\"7 号至 10 号窗口\",\"limit\":{\"unit\":\"working_days\",\"value\":3},"
    "\"time_limit\":\"一般登记 3 个工作日内办结\",\"materials\":[\"身份证件\",\"不动产权证书\"],"
    "\"fees\":[{\"item\":\"住宅类登记费\",\"amount_fen\":8000}],"
    "\"fee_waivers\":[\"小微企业免收登记费\"],\"bookable\":true,\"walk_in\":true},"
    "{\"code\":\"query\",\"letter\":\"C\",\"name\":\"查询\",\"summary\":\"\",\"windows_text\":\"\","
    "\"limit\":{\"unit\":\"hours\",\"value\":1},\"time_limit\":\"1 小时内办结\",\"materials\":[],"
    "\"fees\":[],\"fee_waivers\":[],\"bookable\":false,\"walk_in\":true}]}";

static const char notice[] =
    "{\"notice\":\"1月1日至3日元旦假期\",\"hours\":[{\"label\":\"窗口\",\"text\":\"周一至周五\"}],"
    "\"open_now\":false}";

static const char slots[] =
    "{\"service\":\"registration\",\"days\":[{\"date\":\"2026-11-23\",\"weekday\":\"周一\","
    "\"slots\":[{\"id\":\"2026-11-23T09:00\",\"start\":\"09:00\",\"end\":\"10:00\",\"capacity\":4,"
    "\"remaining\":2}]}]}";

/* One booking, alone (POST /v1/appointments) or as an item (GET). */
#define BOOKING_JSON                                                                                  \
    "{\"code\":\"YA7Q4M9K\",\"number\":\"A-1123-03\",\"service\":\"registration\","                   \
    "\"service_name\":\"不动产转移登记\",\"date\":\"2026-11-23\",\"start\":\"09:00\","         \
    "\"end\":\"10:00\",\"windows_text\":\"7 号至 10 号窗口\",\"time_limit\":\"3 个工作日\"," \
    "\"materials\":[\"身份证件\"],\"phone_masked\":\"138****5678\",\"state\":\"booked\","         \
    "\"follow_url\":\"http://x/a/YA7Q4M9K\",\"booked_at\":\"2026-11-22T09:50:00+08:00\"}"

static const char booking[] = BOOKING_JSON;

static const char bookings[] = "{\"items\":[" BOOKING_JSON "]}";

static const char cert_link[] = "{\"url\":\"http://127.0.0.1:8080/e/Rk9x2Qp7mW4t\","
                                "\"expires_at\":\"2026-11-22T09:54:10+08:00\"}";

static const char apps[] =
    "{\"as_of\":\"2026-11-22T09:43:00+08:00\",\"items\":[{\"receipt\":\"JZ20261120-00123\","
    "\"service\":\"registration\",\"service_name\":\"不动产转移登记\",\"state\":\"reviewing\","
    "\"state_text\":\"审核中\",\"accepted_at\":\"2026-11-20T10:12:00+08:00\","
    "\"limit\":{\"unit\":\"working_days\",\"value\":3},\"due_at\":\"2026-11-25T17:00:00+08:00\","
    "\"remaining\":{\"unit\":\"working_days\",\"value\":2},\"overdue\":false,"
    "\"location\":\"解放区民主南路168号\"}]}";

static const char staff[] = "{\"staff\":true,\"staff_no\":\"0312\",\"name_masked\":\"李**\","
                            "\"role\":\"maintenance\"}";

enum kind { SERVICES, NOTICE, SLOTS, BOOKING, APPS, APP, BOOKINGS, LINK, STAFF };

static int parse(enum kind k, const char *body, char *detail, size_t size)
{
    static struct service_list sl;
    static struct hall_notice hn;
    static struct slot_list sv;
    static struct ticket t;
    static struct application_list al;
    static struct application a;
    static struct booking_list bl;
    static struct cert_link cl;
    static struct staff_info si;
    size_t n = strlen(body);
    switch (k) {
    case SERVICES:
        return regjson_parse_services(body, n, &sl, detail, size);
    case NOTICE:
        return regjson_parse_notice(body, n, &hn, detail, size);
    case SLOTS:
        return regjson_parse_slots(body, n, &sv, detail, size);
    case BOOKING:
        return regjson_parse_appointment(body, n, &t, detail, size);
    case APPS:
        return regjson_parse_applications(body, n, &al, detail, size);
    case APP:
        return regjson_parse_application(body, n, &a, detail, size);
    case BOOKINGS:
        return regjson_parse_bookings(body, n, &bl, detail, size);
    case LINK:
        return regjson_parse_cert_link(body, n, &cl, detail, size);
    case STAFF:
        return regjson_parse_staff(body, n, &si, detail, size);
    }
    return ERR_INVALID;
}

static void test_good(void)
{
    char d[256];
    struct service_list sl;
    CHECK_EQ_INT(regjson_parse_services(services, strlen(services), &sl, d, sizeof d), 0);
    CHECK_EQ_INT(sl.count, 2);
    CHECK_EQ_STR(sl.items[0].code, "registration");
    CHECK(!sl.items[0].limit_hours && sl.items[0].limit_value == 3);
    CHECK(sl.items[1].limit_hours && sl.items[1].limit_value == 1);
    CHECK_EQ_INT(sl.items[0].fees[0].amount_fen, 8000);
    CHECK_EQ_STR(sl.items[0].waivers[0], "小微企业免收登记费");
    CHECK(sl.items[0].bookable && !sl.items[1].bookable);
    CHECK(service_list_find(&sl, "query") == &sl.items[1]);
    CHECK(service_list_find(&sl, "nope") == NULL);

    struct hall_notice hn;
    CHECK_EQ_INT(regjson_parse_notice(notice, strlen(notice), &hn, d, sizeof d), 0);
    CHECK_EQ_INT(hn.hours_count, 1);
    CHECK(!hn.open_now);

    struct slot_list sv;
    CHECK_EQ_INT(regjson_parse_slots(slots, strlen(slots), &sv, d, sizeof d), 0);
    CHECK_EQ_INT(sv.days[0].slots[0].remaining, 2);
    CHECK_EQ_STR(sv.days[0].weekday, "周一");

    struct ticket t;
    CHECK_EQ_INT(regjson_parse_appointment(booking, strlen(booking), &t, d, sizeof d), 0);
    CHECK_EQ_STR(t.code, "YA7Q4M9K");
    CHECK_EQ_STR(t.appointment, "2026-11-23 09:00–10:00");
    CHECK_EQ_STR(t.phone_masked, "138****5678");
    CHECK_EQ_STR(t.state, "booked");
    CHECK_EQ_INT(t.ahead, -1);

    struct application_list al;
    CHECK_EQ_INT(regjson_parse_applications(apps, strlen(apps), &al, d, sizeof d), 0);
    CHECK_EQ_INT(al.count, 1);
    CHECK(!al.items[0].remaining_hours && al.items[0].remaining_value == 2);
    CHECK_EQ_STR(al.items[0].location, "解放区民主南路168号");

    /* A receipt lookup carries no location; one that does is refused. */
    char *one = reply_edit(apps, "{\"as_of\":\"2026-11-22T09:43:00+08:00\",\"items\":[", "");
    CHECK(one != NULL);
    if (one) {
        one[strlen(one) - 2] = '\0'; /* drop "]}" */
        struct application a;
        CHECK_EQ_INT(regjson_parse_application(one, strlen(one), &a, d, sizeof d), ERR_BADREPLY);
        CHECK(strstr(d, "location") != NULL);
        char *anon = reply_edit(one, ",\"location\":\"解放区民主南路168号\"", "");
        CHECK(anon != NULL);
        if (anon)
            CHECK_EQ_INT(regjson_parse_application(anon, strlen(anon), &a, d, sizeof d), 0);
        free(anon);
        free(one);
    }
}

static void test_damaged(void)
{
    static const struct {
        enum kind k;
        const char *body;
        const char *from, *to, *path;
    } rows[] = {
        {SERVICES, services, "\"code\":\"registration\"", "\"code\":\"Reg istration\"", "code"},
        {SERVICES, services, "\"code\":\"query\"", "\"code\":\"registration\"", "code"},
        {SERVICES, services, "\"unit\":\"working_days\"", "\"unit\":\"weeks\"", "unit"},
        {SERVICES, services, "\"value\":3", "\"value\":0", "value"},
        {SERVICES, services, "\"amount_fen\":8000", "\"amount_fen\":-1", "amount_fen"},
        {SERVICES, services, "\"bookable\":true", "\"bookable\":1", "bookable"},
        {SERVICES, services, "[\"身份证件\",", "[\"身份\\n证件\",", "materials[0]"},
        {NOTICE, notice, "\"hours\":[{\"label\":\"窗口\",\"text\":\"周一至周五\"}]", "\"hours\":[]",
         "hours"},
        {NOTICE, notice, "\"open_now\":false", "\"open_now\":null", "open_now"},
        {SLOTS, slots, "\"remaining\":2", "\"remaining\":5", "remaining"},
        {SLOTS, slots, "\"slots\":[", "\"slotz\":[", "slots"},
        {BOOKING, booking, "\"number\":\"A-1123-03\"", "\"number\":\"A 1123\"", "number"},
        {BOOKING, booking, "\"phone_masked\":\"138****5678\"", "\"phone_masked\":\"\"",
         "phone_masked"},
        {BOOKING, booking, "\"code\":\"YA7Q4M9K\",", "", "code"},
        {BOOKING, booking, "\"state\":\"booked\"", "\"state\":\"gone\"", "state"},
        {BOOKINGS, bookings, "\"state\":\"booked\"", "\"state\":\"Booked\"", "items[0].state"},
        {BOOKINGS, bookings, "\"state\":\"booked\",", "", "items[0].state"},
        {BOOKINGS, bookings, "\"state\":\"booked\"", "\"state\":\"\"", "items[0].state"},
        {BOOKINGS, bookings, "\"state\":\"booked\"", "\"state\":\"checked_in_and_then_some\"",
         "items[0].state"},
        {BOOKINGS, bookings, "\"code\":\"YA7Q4M9K\"", "\"code\":\"YA7Q4M9K12345678\"",
         "items[0].code"},
        {BOOKINGS, bookings, "\"number\":\"A-1123-03\"", "\"number\":\"A/1123\"",
         "items[0].number"},
        {BOOKINGS, bookings, "\"date\":\"2026-11-23\",", "", "items[0].date"},
        {BOOKINGS, bookings, "\"phone_masked\":\"138****5678\",", "", "items[0].phone_masked"},
        {BOOKINGS, bookings, "[\"身份证件\"]", "[\"身份\\n证件\"]", "items[0].materials[0]"},
        {BOOKINGS, bookings, "{\"items\":[", "{\"items\":[1,", "items[0]"},
        {BOOKINGS, bookings, "{\"items\":[", "{\"itemz\":[", "items"},
        {LINK, cert_link, "\"url\":\"http:", "\"url\":\"ftp:", "url"},
        {LINK, cert_link, "\"url\":\"http://127.0.0.1:8080", "\"url\":\"javascript:alert(1)",
         "url"},
        {LINK, cert_link, "\"url\":\"http://127.0.0.1:8080/e/Rk9x2Qp7mW4t\"",
         "\"url\":\"https://\"", "url"},
        {LINK, cert_link, "http://127.0.0.1:8080/e/", "http:///e/", "url"},
        {LINK, cert_link, "http://127.0.0.1:8080/e/", "http://127.0.0.1:8080/e /", "url"},
        {LINK, cert_link, "\"url\":\"http://127.0.0.1:8080/e/Rk9x2Qp7mW4t\"", "\"url\":\"\"",
         "url"},
        {LINK, cert_link, "\"url\":\"http://127.0.0.1:8080/e/Rk9x2Qp7mW4t\"", "\"url\":7", "url"},
        {LINK, cert_link, "\"url\":\"http://127.0.0.1:8080/e/Rk9x2Qp7mW4t\",", "", "url"},
        {LINK, cert_link, ",\"expires_at\":\"2026-11-22T09:54:10+08:00\"", "", "expires_at"},
        {LINK, cert_link, "\"expires_at\":\"2026-11-22T09:54:10+08:00\"", "\"expires_at\":null",
         "expires_at"},
        {LINK, cert_link, "\"expires_at\":\"2026-11-22T09:54:10+08:00\"", "\"expires_at\":\"\"",
         "expires_at"},
        {STAFF, staff, "\"staff\":true", "\"staff\":1", "staff"},
        {STAFF, staff, "\"staff\":true,", "", "staff"},
        {STAFF, staff, "\"staff_no\":\"0312\",", "", "staff_no"},
        {STAFF, staff, "\"staff_no\":\"0312\"", "\"staff_no\":\"\"", "staff_no"},
        {STAFF, staff, "\"staff_no\":\"0312\"", "\"staff_no\":\"03-12\"", "staff_no"},
        {STAFF, staff, "\"staff_no\":\"0312\"", "\"staff_no\":\"0312031203120312\"", "staff_no"},
        {STAFF, staff, "\"name_masked\":\"李**\",", "", "name_masked"},
        {STAFF, staff, "\"name_masked\":\"李**\"", "\"name_masked\":null", "name_masked"},
        {STAFF, staff, "\"role\":\"maintenance\"", "\"role\":7", "role"},
        {APPS, apps, "\"state\":\"reviewing\"", "\"state\":\"lost\"", "state"},
        {APPS, apps, "\"overdue\":false", "\"overdue\":\"no\"", "overdue"},
        {APPS, apps, "\"remaining\":{\"unit\":\"working_days\",\"value\":2}",
         "\"remaining\":{\"unit\":\"working_days\",\"value\":-2}", "value"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *body = reply_edit(rows[i].body, rows[i].from, rows[i].to);
        CHECK(body != NULL);
        if (!body)
            continue;
        char d[256] = "";
        int rc = parse(rows[i].k, body, d, sizeof d);
        if (rc != ERR_BADREPLY || !strstr(d, rows[i].path))
            fprintf(stderr, "row %zu: rc %d, detail \"%s\"\n", i, rc, d);
        CHECK_EQ_INT(rc, ERR_BADREPLY);
        CHECK(strstr(d, rows[i].path) != NULL);
        free(body);
    }
    char d[64];
    CHECK_EQ_INT(parse(SERVICES, "[]", d, sizeof d), ERR_BADREPLY);
    CHECK_EQ_INT(parse(APPS, "{", d, sizeof d), ERR_BADREPLY);
}

/* The citizen's bookings (every state of the contract, up to the list's
 * bound) and a proof's link. */
static void test_bookings_and_link(void)
{
    char d[256], body[16384];
    static struct booking_list bl;
    static const char *const states[] = {"booked", "checked_in", "cancelled", "missed"};
    size_t n = (size_t)snprintf(body, sizeof body, "{\"items\":[");
    for (int i = 0; i < BOOKING_LIST_MAX; i++) {
        char state[40];
        snprintf(state, sizeof state, "\"state\":\"%s\"", states[i % 4]);
        char *one = reply_edit(booking, "\"state\":\"booked\"", state);
        CHECK(one != NULL);
        n += (size_t)snprintf(body + n, sizeof body - n, "%s%s", i ? "," : "", one ? one : "");
        free(one);
    }
    snprintf(body + n, sizeof body - n, "]}");
    CHECK(n < sizeof body - 2);
    CHECK_EQ_INT(regjson_parse_bookings(body, strlen(body), &bl, d, sizeof d), 0);
    CHECK_EQ_INT(bl.count, BOOKING_LIST_MAX);
    CHECK_EQ_STR(bl.items[0].code, "YA7Q4M9K");
    CHECK_EQ_STR(bl.items[0].appointment, "2026-11-23 09:00–10:00");
    CHECK_EQ_STR(bl.items[1].state, "checked_in");
    CHECK_EQ_STR(bl.items[3].state, "missed");
    CHECK_EQ_STR(bl.items[19].phone_masked, "138****5678");
    CHECK_EQ_INT(bl.items[2].ahead, -1);

    /* One more than the bound: refused, and nothing kept. */
    char *more = reply_edit(body, "{\"items\":[", "{\"items\":[" BOOKING_JSON ",");
    CHECK(more != NULL);
    if (more) {
        CHECK_EQ_INT(regjson_parse_bookings(more, strlen(more), &bl, d, sizeof d), ERR_BADREPLY);
        CHECK(strstr(d, "items: more than 20") != NULL);
        CHECK_EQ_INT(bl.count, 0);
    }
    free(more);
    CHECK_EQ_INT(regjson_parse_bookings("{\"items\":[]}", 12, &bl, d, sizeof d), 0);
    CHECK_EQ_INT(bl.count, 0);

    struct cert_link cl;
    CHECK_EQ_INT(regjson_parse_cert_link(cert_link, strlen(cert_link), &cl, d, sizeof d), 0);
    CHECK_EQ_STR(cl.url, "http://127.0.0.1:8080/e/Rk9x2Qp7mW4t");
    CHECK_EQ_STR(cl.expires_at, "2026-11-22T09:54:10+08:00");
    char *tls = reply_edit(cert_link, "http:", "https:");
    CHECK(tls && regjson_parse_cert_link(tls, strlen(tls), &cl, d, sizeof d) == 0);
    free(tls);

    /* A URL longer than the model holds is refused, not cut short. */
    char url[sizeof cl.url + 16];
    memset(url, 'e', sizeof url - 1);
    url[sizeof url - 1] = '\0';
    char *long_url = reply_edit(cert_link, "Rk9x2Qp7mW4t", url);
    CHECK(long_url != NULL);
    if (long_url) {
        CHECK_EQ_INT(regjson_parse_cert_link(long_url, strlen(long_url), &cl, d, sizeof d),
                     ERR_BADREPLY);
        CHECK(strstr(d, "url: too long") != NULL);
        CHECK_EQ_STR(cl.url, "");
    }
    free(long_url);
}

static void test_booking_request(void)
{
    struct buf b;
    buf_init(&b, 4096);
    CHECK_EQ_INT(
        regjson_format_booking_request("registration", "2026-11-23T09:00", "13812345678", &b), 0);
    buf_terminate(&b);
    CHECK_EQ_STR((const char *)b.data,
                 "{\"service\":\"registration\",\"slot\":\"2026-11-23T09:00\","
                 "\"phone\":\"13812345678\"}");
    buf_reset(&b);
    static const char *const bad_phones[] = {
        "", "1381234567", "138123456789", "12812345678", "2381234567x", "1381234567a", NULL};
    for (int i = 0; i < 7; i++)
        CHECK_EQ_INT(
            regjson_format_booking_request("registration", "2026-11-23T09:00", bad_phones[i], &b),
            ERR_INVALID);
    CHECK_EQ_INT(regjson_format_booking_request("Reg", "2026-11-23T09:00", "13812345678", &b),
                 ERR_INVALID);
    CHECK_EQ_INT(regjson_format_booking_request("registration", "x\"}", "13812345678", &b),
                 ERR_INVALID);
    CHECK(phone_is_mobile("19912345678") && !phone_is_mobile("11912345678"));
    buf_fini(&b);
}

/* Whether a card is a staff member's: yes with who, no with nothing. */
static void test_staff(void)
{
    char d[256];
    struct staff_info si;
    CHECK_EQ_INT(regjson_parse_staff(staff, strlen(staff), &si, d, sizeof d), 0);
    CHECK(si.staff);
    CHECK_EQ_STR(si.staff_no, "0312");
    CHECK_EQ_STR(si.name_masked, "李**");
    CHECK_EQ_STR(si.role, "maintenance");
    char *no_role = reply_edit(staff, ",\"role\":\"maintenance\"", "");
    CHECK(no_role && regjson_parse_staff(no_role, strlen(no_role), &si, d, sizeof d) == 0);
    CHECK(si.staff && si.role[0] == '\0');
    free(no_role);
    /* Not staff: nothing else is kept, whatever came with it. */
    static const char no[] = "{\"staff\":false,\"staff_no\":\"0312\",\"name_masked\":\"x\"}";
    CHECK_EQ_INT(regjson_parse_staff(no, strlen(no), &si, d, sizeof d), 0);
    CHECK(!si.staff && !si.staff_no[0] && !si.name_masked[0]);
    CHECK_EQ_INT(regjson_parse_staff("{\"staff\":false}", 15, &si, d, sizeof d), 0);
    CHECK(!si.staff);
    CHECK_EQ_INT(regjson_parse_staff("[]", 2, &si, d, sizeof d), ERR_BADREPLY);
    CHECK_EQ_INT(regjson_parse_staff("{}", 2, &si, d, sizeof d), ERR_BADREPLY);
    CHECK(strstr(d, "staff") != NULL);
}

/* The staff check's body: the card's number, and nothing else of it. */
static void test_staff_request(void)
{
    struct idcard card;
    memset(&card, 0, sizeof card);
    str_copy(card.id_number, sizeof card.id_number, "41081119850923042x");
    str_copy(card.name, sizeof card.name, "王芳");
    struct buf b;
    buf_init(&b, 4096);
    CHECK_EQ_INT(regjson_format_staff_request(&card, &b), 0);
    buf_terminate(&b);
    CHECK_EQ_STR((const char *)b.data, "{\"id_number\":\"41081119850923042X\"}");
    buf_reset(&b);
    static const char *const bad[] = {"410811198509230421", "41081119850923042", "",
                                      "41081119850923042X1", "4108111985092304\"X"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        str_copy(card.id_number, sizeof card.id_number, bad[i]);
        CHECK_EQ_INT(regjson_format_staff_request(&card, &b), ERR_INVALID);
    }
    CHECK_EQ_INT(regjson_format_staff_request(NULL, &b), ERR_INVALID);
    CHECK_EQ_INT((int)b.len, 0);
    buf_fini(&b);
}

/* An audit event as the outbox carries it; never with an ID number. */
static void test_audit(void)
{
    struct buf b;
    buf_init(&b, 4096);
    struct regjson_audit a = {"2026-11-22T09:42:00+08:00", "0312", "enter", "gesture"};
    CHECK_EQ_INT(regjson_format_audit(&a, &b), 0);
    buf_terminate(&b);
    CHECK_EQ_STR((const char *)b.data, "{\"at\":\"2026-11-22T09:42:00+08:00\",\"staff_no\":"
                                       "\"0312\",\"action\":\"enter\",\"detail\":\"gesture\"}");
    buf_reset(&b);
    /* A refused entry names no one; a detail is escaped. */
    struct regjson_audit refused = {"2026-11-22T09:42:00Z", NULL, "enter_refused", "PIN \"1\""};
    CHECK_EQ_INT(regjson_format_audit(&refused, &b), 0);
    buf_terminate(&b);
    CHECK_EQ_STR((const char *)b.data,
                 "{\"at\":\"2026-11-22T09:42:00Z\",\"staff_no\":\"\","
                 "\"action\":\"enter_refused\",\"detail\":\"PIN \\\"1\\\"\"}");
    buf_reset(&b);
    char long_detail[140];
    memset(long_detail, 'd', 129);
    long_detail[129] = '\0';
    static const struct regjson_audit bad[] = {
        {"2026-11-22T09:42:00+08:00", "0312", "dance", ""},
        {"2026-11-22T09:42:00+08:00", "0312", NULL, ""},
        {"2026-11-22 09:42", "0312", "exit", ""},
        {"2026-11-22T09:42:00.5+08:00", "0312", "exit", ""},
        {NULL, "0312", "exit", ""},
        {"2026-11-22T09:42:00+08:00\"", "0312", "exit", ""},
        {"2026-11-22T09:42:00+08:00", "03-12", "exit", ""},
        {"2026-11-22T09:42:00+08:00", "0312031203120312", "exit", ""},
        {"2026-11-22T09:42:00+08:00", "0312", "exit", "card 410802197804120310"},
        {"2026-11-22T09:42:00+08:00", "0312", "exit", "41080219780412031"},
        {"2026-11-22T09:42:00+08:00", "0312", "exit", "two\nlines"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        CHECK_EQ_INT(regjson_format_audit(&bad[i], &b), ERR_INVALID);
    struct regjson_audit too_long = {"2026-11-22T09:42:00+08:00", "0312", "exit", long_detail};
    CHECK_EQ_INT(regjson_format_audit(&too_long, &b), ERR_INVALID);
    long_detail[128] = '\0';
    CHECK_EQ_INT(regjson_format_audit(&too_long, &b), 0);
    buf_reset(&b);
    CHECK_EQ_INT(regjson_format_audit(NULL, &b), ERR_INVALID);
    CHECK_EQ_INT((int)b.len, 0);
    buf_fini(&b);
}

int main(void)
{
    test_staff();
    test_staff_request();
    test_audit();
    test_good();
    test_damaged();
    test_bookings_and_link();
    test_booking_request();
    return check_report("test_backend_services");
}
