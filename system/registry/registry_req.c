/* registry_req.c - parsing and judging kiosk requests; see registry_req.h.
 *
 * Every value from the body is checked for type and length before it is
 * copied, and copied with a hard limit: a long or missing field is a
 * bad-request, never a truncation and never a crash.
 */
#include "registry/registry_req.h"

#include "base/util.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *type;
    int status;
    const char *title;
} problems[PROB_COUNT] = {
    [PROB_NONE] = {"", 200, ""},
    [PROB_BAD_REQUEST] = {"bad-request", 400, "请求有误，请稍后再试"},
    [PROB_UNAUTHENTICATED] = {"unauthenticated", 401, "终端未获授权，请联系工作人员"},
    [PROB_SESSION_EXPIRED] = {"session-expired", 401, "本次办理已超时，请重新放置身份证"},
    [PROB_NOT_FOUND] = {"not-found", 404, "没有找到相关记录"},
    [PROB_METHOD_NOT_ALLOWED] = {"method-not-allowed", 405, "请求方式有误"},
    [PROB_IDEMPOTENCY_CONFLICT] = {"idempotency-conflict", 409, "请求重复，请重新操作"},
    [PROB_PAYLOAD_TOO_LARGE] = {"payload-too-large", 413, "提交的数据过大"},
    [PROB_CARD_INVALID] = {"card-invalid", 422, "身份证信息无法核验，请到窗口办理"},
    [PROB_CARD_EXPIRED] = {"card-expired", 422, "身份证已过有效期，请到窗口办理"},
    [PROB_FACE_NO_MATCH] = {"face-no-match", 422, "这次没有比对成功"},
    [PROB_FACE_CONSENT_MISSING] = {"face-consent-missing", 422, "需要您同意人脸核验"},
    [PROB_LIVENESS_FAILED] = {"liveness-failed", 422, "活体检测未通过，请再试一次"},
    [PROB_PHONE_INVALID] = {"phone-invalid", 422, "手机号码有误，请重新输入"},
    [PROB_SLOT_FULL] = {"slot-full", 409, "该时段已约满，请选择其他时段"},
    [PROB_ALREADY_BOOKED] = {"already-booked", 409, "您已预约过该业务，如需改约请先取消原预约"},
    [PROB_TOO_EARLY] = {"too-early", 422, "还未到签到时间"},
    [PROB_APPOINTMENT_MISSED] = {"appointment-missed", 422, "预约已过时，请取普通号排队"},
    [PROB_NO_APPOINTMENT] = {"no-appointment", 404, "今天没有您的预约"},
    [PROB_FACE_UNAVAILABLE] = {"face-unavailable", 503, "人脸核验暂不可用，请到窗口办理"},
    [PROB_UNAVAILABLE] = {"unavailable", 503, "登记系统暂时无法服务，请稍后再试"},
    [PROB_TOO_MANY_REQUESTS] = {"too-many-requests", 429, "尝试次数过多，请稍后再试"},
};

const char *registry_problem_type(enum registry_problem p)
{
    return (unsigned)p < PROB_COUNT ? problems[p].type : "unavailable";
}

int registry_problem_status(enum registry_problem p)
{
    return (unsigned)p < PROB_COUNT ? problems[p].status : 503;
}

const char *registry_problem_title(enum registry_problem p)
{
    return (unsigned)p < PROB_COUNT ? problems[p].title : "";
}

static enum registry_problem fail(enum registry_problem p, char *detail, size_t size,
                                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum registry_problem fail(enum registry_problem p, char *detail, size_t size,
                                  const char *fmt, ...)
{
    if (detail && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, size, fmt, ap);
        va_end(ap);
    }
    return p;
}

/* Copies the string member `key` of obj into dst. Missing, not a string,
 * empty (unless allow_empty) or longer than dst: false. */
static bool get_str(const cJSON *obj, const char *key, char *dst, size_t size, bool allow_empty)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(v) || !v->valuestring)
        return false;
    size_t n = strlen(v->valuestring);
    if (n >= size || (!allow_empty && n == 0))
        return false;
    memcpy(dst, v->valuestring, n + 1);
    return true;
}

static cJSON *parse_object(const char *body, size_t len, char *detail, size_t size)
{
    if (!body || len == 0) {
        fail(PROB_BAD_REQUEST, detail, size, "empty body");
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (!root) {
        fail(PROB_BAD_REQUEST, detail, size, "body is not JSON");
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        fail(PROB_BAD_REQUEST, detail, size, "body is not a JSON object");
        return NULL;
    }
    return root;
}

/* Zeroes every string in the tree before it is freed. */
static void wipe_json(cJSON *j)
{
    for (; j; j = j->next) {
        if (j->valuestring)
            explicit_bzero(j->valuestring, strlen(j->valuestring));
        wipe_json(j->child);
    }
}

/* Decoded size of standard base64 text, or -1 if it is not base64. */
static long base64_decoded_size(const char *s)
{
    size_t n = strlen(s), pad = 0;
    if (n == 0 || n % 4)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '/';
        if (c == '=' && i >= n - 2) {
            pad++;
            continue;
        }
        if (!ok || pad)
            return -1;
    }
    return (long)(n / 4 * 3 - pad);
}

static const struct {
    const char *key;
    size_t off, size;
} card_fields[] = {
#define F(k)                                                                                       \
    {                                                                                              \
#k, offsetof(struct registry_card, k), sizeof(((struct registry_card *)0)->k)              \
    }
    F(type),       F(id_number), F(name),   F(gender),     F(ethnicity),
    F(birth_date), F(address),   F(issuer), F(valid_from), F(valid_to),
#undef F
};

enum registry_problem registry_req_parse_session(const char *body, size_t len,
                                                 struct registry_session_req *out, char *detail,
                                                 size_t size)
{
    memset(out, 0, sizeof *out);
    cJSON *root = parse_object(body, len, detail, size);
    if (!root)
        return PROB_BAD_REQUEST;
    enum registry_problem p = PROB_NONE;
    const cJSON *card = cJSON_GetObjectItemCaseSensitive(root, "card");
    const cJSON *face = cJSON_GetObjectItemCaseSensitive(root, "face");
    const cJSON *consent, *live, *passed, *ch, *img;
    if (!cJSON_IsObject(card)) {
        p = fail(PROB_BAD_REQUEST, detail, size, "card missing or not an object");
        goto out;
    }
    for (size_t i = 0; i < ARRAY_LEN(card_fields); i++) {
        /* ethnicity and address are empty on some foreign cards */
        bool empty_ok = strcmp(card_fields[i].key, "ethnicity") == 0 ||
                        strcmp(card_fields[i].key, "address") == 0;
        if (!get_str(card, card_fields[i].key, (char *)&out->card + card_fields[i].off,
                     card_fields[i].size, empty_ok)) {
            p = fail(PROB_BAD_REQUEST, detail, size,
                     "card.%s missing, empty, too long or not a string", card_fields[i].key);
            goto out;
        }
    }
    if (!cJSON_IsObject(face)) {
        p = fail(PROB_BAD_REQUEST, detail, size, "face missing or not an object");
        goto out;
    }
    consent = cJSON_GetObjectItemCaseSensitive(face, "consent");
    if (!cJSON_IsBool(consent)) {
        p = fail(PROB_BAD_REQUEST, detail, size, "face.consent missing or not a boolean");
        goto out;
    }
    out->consent = cJSON_IsTrue(consent);
    live = cJSON_GetObjectItemCaseSensitive(face, "liveness");
    passed = cJSON_IsObject(live) ? cJSON_GetObjectItemCaseSensitive(live, "passed") : NULL;
    if (!cJSON_IsBool(passed)) {
        p = fail(PROB_BAD_REQUEST, detail, size, "face.liveness.passed missing or not a boolean");
        goto out;
    }
    out->liveness_passed = cJSON_IsTrue(passed);
    ch = cJSON_GetObjectItemCaseSensitive(live, "challenge");
    if (ch && !get_str(live, "challenge", out->challenge, sizeof out->challenge, true)) {
        p = fail(PROB_BAD_REQUEST, detail, size, "face.liveness.challenge not a short string");
        goto out;
    }
    img = cJSON_GetObjectItemCaseSensitive(face, "image_jpeg");
    if (out->consent) {
        if (!cJSON_IsString(img) || !img->valuestring) {
            p = fail(PROB_BAD_REQUEST, detail, size, "face.image_jpeg missing or not a string");
            goto out;
        }
        long n = base64_decoded_size(img->valuestring);
        if (n <= 0) {
            p = fail(PROB_BAD_REQUEST, detail, size, "face.image_jpeg is not base64");
            goto out;
        }
        if (n > REGISTRY_FACE_MAX) {
            p = fail(PROB_BAD_REQUEST, detail, size, "face.image_jpeg over %d bytes",
                     REGISTRY_FACE_MAX);
            goto out;
        }
        out->image_bytes = (size_t)n;
    }
out:
    /* The body held a face image and card fields: leave no copy behind. */
    wipe_json(root);
    cJSON_Delete(root);
    return p;
}

int registry_req_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
        return 0;
    return y * 10000 + m * 100 + d;
}

bool registry_req_code_equal(const char *want, const char *got, size_t n)
{
    if (!want || !got)
        return false;
    /* No early exit: every step reads one byte of each and folds the
     * difference in; an index stops at its string's NUL (it is not read
     * past), and a NUL before n on either side counts as a difference. */
    unsigned diff = 0;
    size_t wi = 0, gi = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned w = (unsigned char)want[wi], g = (unsigned char)got[gi];
        diff |= (w ^ g) | (unsigned)(w == 0) | (unsigned)(g == 0);
        wi += w != 0;
        gi += g != 0;
    }
    diff |= (unsigned char)want[wi] | (unsigned char)got[gi]; /* both end at n */
    return diff == 0;
}

bool registry_req_is_token(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return n >= 1 && n <= 64;
}

enum registry_problem registry_req_check_card(const struct registry_card *c, int today,
                                              char *detail, size_t size)
{
    bool resident = strcmp(c->type, "resident") == 0;
    bool hmt = strcmp(c->type, "hmt_permit") == 0;
    bool f2017 = strcmp(c->type, "foreign_2017") == 0;
    bool f2023 = strcmp(c->type, "foreign_2023") == 0;
    if (!resident && !hmt && !f2017 && !f2023)
        return fail(PROB_BAD_REQUEST, detail, size, "unknown card.type");
    const char *id = c->id_number;
    int born = registry_req_date(c->birth_date);
    if (!born)
        return fail(PROB_CARD_INVALID, detail, size, "birth_date is not a date");
    if (f2017) {
        /* 2017 permanent residence card: 3-letter nationality + 12 digits */
        bool ok = strlen(id) == 15;
        for (int i = 0; ok && i < 15; i++)
            ok = i < 3 ? (id[i] >= 'A' && id[i] <= 'Z') : (id[i] >= '0' && id[i] <= '9');
        if (!ok)
            return fail(PROB_CARD_INVALID, detail, size, "not a 2017 permanent residence number");
    } else {
        if (!idnum_is_valid(id))
            return fail(PROB_CARD_INVALID, detail, size, "number fails the GB 11643 check");
        bool hmt_prefix = strncmp(id, "810000", 6) == 0 || strncmp(id, "820000", 6) == 0 ||
                          strncmp(id, "830000", 6) == 0;
        if (hmt != hmt_prefix || (f2023 != (id[0] == '9')) || (resident && id[0] > '6'))
            return fail(PROB_CARD_INVALID, detail, size, "number does not fit the card type");
        char digits[9];
        snprintf(digits, sizeof digits, "%08d", born);
        if (memcmp(id + 6, digits, 8) != 0)
            return fail(PROB_CARD_INVALID, detail, size, "birth_date disagrees with the number");
        bool odd = (id[16] - '0') % 2 == 1;
        if (strcmp(c->gender, odd ? "男" : "女") != 0)
            return fail(PROB_CARD_INVALID, detail, size, "gender disagrees with the number");
    }
    if (strcmp(c->gender, "男") != 0 && strcmp(c->gender, "女") != 0)
        return fail(PROB_CARD_INVALID, detail, size, "gender is neither 男 nor 女");
    int from = registry_req_date(c->valid_from);
    bool longterm = strcmp(c->valid_to, "长期") == 0;
    int to = longterm ? 99991231 : registry_req_date(c->valid_to);
    if (!from || !to || to < from || from < born)
        return fail(PROB_CARD_INVALID, detail, size, "validity dates are not consistent");
    if (from > today)
        return fail(PROB_CARD_INVALID, detail, size, "valid_from is in the future");
    /* The card is good through its last day. */
    if (to < today)
        return fail(PROB_CARD_EXPIRED, detail, size, "validity ended before today");
    return PROB_NONE;
}

enum registry_problem registry_req_parse_certificate(const char *body, size_t len,
                                                     struct registry_cert_req *out, char *detail,
                                                     size_t size)
{
    memset(out, 0, sizeof *out);
    cJSON *root = parse_object(body, len, detail, size);
    if (!root)
        return PROB_BAD_REQUEST;
    enum registry_problem p = PROB_NONE;
    if (!get_str(root, "kind", out->kind, sizeof out->kind, false) ||
        (strcmp(out->kind, "query") != 0 && strcmp(out->kind, "housing_count") != 0))
        p = fail(PROB_BAD_REQUEST, detail, size, "kind must be query or housing_count");
    else if (!get_str(root, "purpose", out->purpose, sizeof out->purpose, false) ||
             utf8_len(out->purpose) > 32)
        p = fail(PROB_BAD_REQUEST, detail, size, "purpose must be 1 to 32 characters");
    cJSON_Delete(root);
    return p;
}

/* Like every request parser here, it opens with out zeroed and the body
 * parsed as an object, written out in each so that each reads whole. */
enum registry_problem registry_req_parse_rating(const char *body, size_t len,
                                                struct registry_rating_req *out, char *detail,
                                                size_t size)
{
    memset(out, 0, sizeof *out);
    cJSON *root = parse_object(body, len, detail, size);
    if (!root)
        return PROB_BAD_REQUEST;
    enum registry_problem p = PROB_NONE;
    const cJSON *level = cJSON_GetObjectItemCaseSensitive(root, "level");
    const cJSON *reasons = cJSON_GetObjectItemCaseSensitive(root, "reasons");
    const cJSON *r, *ref;
    /* Range first: converting 1e300 to int would be undefined. */
    if (!cJSON_IsNumber(level) || !(level->valuedouble >= 1 && level->valuedouble <= 5) ||
        level->valuedouble != (double)(int)level->valuedouble) {
        p = fail(PROB_BAD_REQUEST, detail, size, "level must be an integer 1 to 5");
        goto out;
    }
    out->level = (int)level->valuedouble;
    if (!get_str(root, "service", out->service, sizeof out->service, false) ||
        strlen(out->service) > 32) {
        p = fail(PROB_BAD_REQUEST, detail, size, "service must be 1 to 32 bytes");
        goto out;
    }
    if (reasons && !cJSON_IsArray(reasons)) {
        p = fail(PROB_BAD_REQUEST, detail, size, "reasons must be an array");
        goto out;
    }
    cJSON_ArrayForEach(r, reasons)
    {
        if (out->reason_count >= REGISTRY_REASONS_MAX || !cJSON_IsString(r) ||
            strlen(r->valuestring) >= sizeof out->reasons[0]) {
            p = fail(PROB_BAD_REQUEST, detail, size, "reasons: at most %d short strings",
                     REGISTRY_REASONS_MAX);
            goto out;
        }
        memcpy(out->reasons[out->reason_count++], r->valuestring, strlen(r->valuestring) + 1);
    }
    ref = cJSON_GetObjectItemCaseSensitive(root, "ref");
    if (ref && !cJSON_IsNull(ref)) {
        if (!cJSON_IsObject(ref) ||
            !get_str(ref, "kind", out->ref_kind, sizeof out->ref_kind, false) ||
            (strcmp(out->ref_kind, "ticket") != 0 && strcmp(out->ref_kind, "appointment") != 0 &&
             strcmp(out->ref_kind, "certificate") != 0)) {
            p = fail(PROB_BAD_REQUEST, detail, size,
                     "ref.kind must be ticket, appointment or certificate");
            goto out;
        }
        if (!get_str(ref, "id", out->ref_id, sizeof out->ref_id, false) ||
            strlen(out->ref_id) > 64) {
            p = fail(PROB_BAD_REQUEST, detail, size, "ref.id must be 1 to 64 bytes");
            goto out;
        }
    }
out:
    cJSON_Delete(root);
    return p;
}

enum registry_problem registry_req_parse_appointment(const char *body, size_t len,
                                                     struct registry_appointment_req *out,
                                                     char *detail, size_t size)
{
    memset(out, 0, sizeof *out);
    cJSON *root = parse_object(body, len, detail, size);
    if (!root)
        return PROB_BAD_REQUEST;
    enum registry_problem p = PROB_NONE;
    char date[11];
    const cJSON *phone = cJSON_GetObjectItemCaseSensitive(root, "phone");
    if (!get_str(root, "service", out->service, sizeof out->service, false)) {
        p = fail(PROB_BAD_REQUEST, detail, size, "service missing or not a short string");
        goto out;
    }
    if (!get_str(root, "slot", out->slot, sizeof out->slot, false) || strlen(out->slot) != 16 ||
        out->slot[10] != 'T' || out->slot[13] != ':') {
        p = fail(PROB_BAD_REQUEST, detail, size, "slot must be YYYY-MM-DDTHH:MM");
        goto out;
    }
    memcpy(date, out->slot, 10);
    date[10] = '\0';
    out->day = registry_req_date(date);
    const char *t = out->slot + 11;
    bool digits = t[0] >= '0' && t[0] <= '2' && t[1] >= '0' && t[1] <= '9' && t[3] >= '0' &&
                  t[3] <= '5' && t[4] >= '0' && t[4] <= '9';
    out->minute =
        digits ? ((t[0] - '0') * 10 + (t[1] - '0')) * 60 + (t[3] - '0') * 10 + (t[4] - '0') : -1;
    if (!out->day || out->minute < 0 || out->minute >= 24 * 60) {
        p = fail(PROB_BAD_REQUEST, detail, size, "slot must be YYYY-MM-DDTHH:MM");
        goto out;
    }
    if (!cJSON_IsString(phone)) {
        p = fail(PROB_BAD_REQUEST, detail, size, "phone missing or not a string");
        goto out;
    }
    if (!get_str(root, "phone", out->phone, sizeof out->phone, false) ||
        !phone_is_mobile(out->phone)) {
        memset(out->phone, 0, sizeof out->phone);
        p = fail(PROB_PHONE_INVALID, detail, size, "phone is not a mainland mobile number");
        goto out;
    }
out:
    /* The phone number is personal: leave no copy in freed memory. */
    wipe_json(root);
    cJSON_Delete(root);
    return p;
}

enum registry_problem registry_req_parse_staff_check(const char *body, size_t len,
                                                     struct registry_staff_req *out, char *detail,
                                                     size_t size)
{
    memset(out, 0, sizeof *out);
    cJSON *root = parse_object(body, len, detail, size);
    if (!root)
        return PROB_BAD_REQUEST;
    enum registry_problem p = PROB_NONE;
    /* idnum_is_valid takes a lower-case x too; the card prints X. */
    if (!get_str(root, "id_number", out->id_number, sizeof out->id_number, false) ||
        !idnum_is_valid(out->id_number) || out->id_number[17] == 'x') {
        explicit_bzero(out, sizeof *out);
        p = fail(PROB_BAD_REQUEST, detail, size,
                 "id_number must be 17 digits and a check character (digit or X)");
    }
    /* The body held an ID number: leave no copy in freed memory. */
    wipe_json(root);
    cJSON_Delete(root);
    return p;
}

/* Two digits at s, or -1. */
static int two_digits(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
               ? (s[0] - '0') * 10 + (s[1] - '0')
               : -1;
}

/* "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM" / "-HH:MM": a real date and
 * time of day, an offset within 14 hours. */
static bool iso_time_ok(const char *s)
{
    char date[11];
    if (strlen(s) < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return false;
    memcpy(date, s, 10);
    date[10] = '\0';
    int h = two_digits(s + 11), m = two_digits(s + 14), sec = two_digits(s + 17);
    if (!registry_req_date(date) || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
        return false;
    const char *z = s + 19;
    if (strcmp(z, "Z") == 0)
        return true;
    int oh = two_digits(z + 1), om = strlen(z) == 6 && z[3] == ':' ? two_digits(z + 4) : -1;
    return (z[0] == '+' || z[0] == '-') && oh >= 0 && oh <= 14 && om >= 0 && om <= 59;
}

/* No control characters: a line of text. */
static bool one_line(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

enum registry_problem registry_req_parse_audit(const char *body, size_t len,
                                               struct registry_audit_req *out, char *detail,
                                               size_t size)
{
    memset(out, 0, sizeof *out);
    cJSON *root = parse_object(body, len, detail, size);
    if (!root)
        return PROB_BAD_REQUEST;
    enum registry_problem p = PROB_NONE;
    bool staff_ok = get_str(root, "staff_no", out->staff_no, sizeof out->staff_no, true);
    for (const char *c = out->staff_no; staff_ok && *c; c++)
        staff_ok = (*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z');
    if (!get_str(root, "at", out->at, sizeof out->at, false) || !iso_time_ok(out->at))
        p = fail(PROB_BAD_REQUEST, detail, size, "at must be ISO 8601 with an offset");
    else if (!get_str(root, "action", out->action, sizeof out->action, false) ||
             !audit_action_is_known(out->action))
        p = fail(PROB_BAD_REQUEST, detail, size, "action is not one of the audit actions");
    else if (!staff_ok)
        p = fail(PROB_BAD_REQUEST, detail, size, "staff_no must be 0 to 15 of [0-9A-Za-z]");
    else if (!get_str(root, "detail", out->detail, sizeof out->detail, true) ||
             !one_line(out->detail))
        p = fail(PROB_BAD_REQUEST, detail, size, "detail must be one line of at most %d bytes",
                 REGISTRY_AUDIT_DETAIL_MAX);
    else if (text_has_idnum(out->detail))
        p = fail(PROB_BAD_REQUEST, detail, size, "detail holds what looks like an ID number");
    if (p != PROB_NONE)
        explicit_bzero(out, sizeof *out);
    wipe_json(root);
    cJSON_Delete(root);
    return p;
}
