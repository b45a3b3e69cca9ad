/* cert_format.c - the certificate's words: amounts, unit numbers, dates,
 * the sentence of each restriction, the title, and the check that a
 * certificate is fit to draw. Pure; any thread.
 */
#include "print/cert_internal.h"

#include "base/err.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small pure helpers ---------------------------------------------- */

void cert_image_fini(struct cert_image *img)
{
    if (!img)
        return;
    if (img->data) /* the page shows the requester: overwritten before it is freed */
        explicit_bzero(img->data, (size_t)img->h * (size_t)img->stride);
    free(img->data);
    memset(img, 0, sizeof *img);
}

void cert_format_unit_number(const char *unit, char *out, size_t size)
{
    if (!size)
        return;
    if (strlen(unit) == 28)
        snprintf(out, size, "%.6s %.6s %.7s %.9s", unit, unit + 6, unit + 12, unit + 19);
    else
        str_copy(out, size, unit);
}

/* "2025-09-16T09:47:00+08:00" -> "2025年9月16日 09:47" (or the date only).
 * Anything unparseable is shown as it came. */
void format_time(const char *iso, bool with_time, char *out, size_t size)
{
    int y, mo, d, h = 0, mi = 0;
    int n = sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi);
    if (n < 3 || mo < 1 || mo > 12 || d < 1 || d > 31) {
        str_copy(out, size, iso);
        return;
    }
    if (with_time && n == 5)
        snprintf(out, size, "%d年%d月%d日 %02d:%02d", y, mo, d, h, mi);
    else
        snprintf(out, size, "%d年%d月%d日", y, mo, d);
}

static bool utf8_ok(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned c = *u;
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!n || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4))
            return false;
        for (size_t i = 1; i < n; i++)
            if ((u[i] & 0xC0) != 0x80)
                return false;
        if (n == 3) {
            unsigned cp = ((c & 0x0F) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
                return false;
        } else if (n == 4) {
            unsigned cp = ((c & 0x07) << 18) | ((u[1] & 0x3Fu) << 12);
            if (cp < 0x10000 || cp > 0x10FFFF)
                return false;
        }
        u += n;
    }
    return true;
}

/* A field must end inside its array and be valid UTF-8: the struct may
 * come from a queue or a test, and cairo refuses invalid strings with a
 * sticky error. */
#define FIELD_OK(f) (memchr((f), 0, sizeof(f)) != NULL && utf8_ok(f))

int cert_validate(const struct certificate *c)
{
    if (!FIELD_OK(c->number) || !FIELD_OK(c->verify_code) || !FIELD_OK(c->verify_url) ||
        !FIELD_OK(c->issued_at) || !FIELD_OK(c->kind) || !FIELD_OK(c->purpose) ||
        !FIELD_OK(c->office) || !FIELD_OK(c->requester_name) || !FIELD_OK(c->requester_id_masked) ||
        !FIELD_OK(c->query_method) || !FIELD_OK(c->props.as_of))
        return ERR_INVALID;
    if (!c->number[0] || !c->verify_code[0] || !c->verify_url[0])
        return ERR_INVALID;
    if (c->props.count < 0 || c->props.count > PROPERTY_LIST_MAX)
        return ERR_INVALID;
    for (int i = 0; i < c->props.count; i++) {
        const struct property *p = &c->props.items[i];
        if (!FIELD_OK(p->unit_number) || !FIELD_OK(p->location) || !FIELD_OK(p->district) ||
            !FIELD_OK(p->certificate_number) || !FIELD_OK(p->area) || !FIELD_OK(p->use))
            return ERR_INVALID;
        if (p->enc_count < 0 || p->enc_count > PROPERTY_ENC_MAX)
            return ERR_INVALID;
        for (int k = 0; k < p->enc_count; k++) {
            const struct encumbrance *e = &p->enc[k];
            if ((unsigned)e->kind >= ENC_KIND_COUNT || !FIELD_OK(e->holder) ||
                !FIELD_OK(e->certificate_number) || !FIELD_OK(e->registered_at) ||
                !FIELD_OK(e->period) || !FIELD_OK(e->note))
                return ERR_INVALID;
        }
    }
    return 0;
}

/* Plain words of the 权利限制 column. */
const char *const enc_word[ENC_KIND_COUNT] = {"抵押", "查封", "异议", "预告登记", "居住权"};

/* ---- titles ----------------------------------------------------------- */

bool is_housing_count(const struct certificate *c)
{
    return strcmp(c->kind, "housing_count") == 0;
}

const char *title_of(const struct certificate *c)
{
    return is_housing_count(c) ? "房屋套次查询证明" : "不动产登记信息查询结果证明";
}

/* "焦作市不动产登记中心" -> "焦作市不动产登记簿": the register the office keeps. */
void register_name(const struct certificate *c, char *out, size_t size)
{
    static const char suffix[] = "不动产登记中心";
    size_t n = strlen(c->office), k = sizeof suffix - 1;
    if (n > k && strcmp(c->office + n - k, suffix) == 0)
        snprintf(out, size, "%.*s不动产登记簿", (int)(n - k), c->office);
    else
        str_copy(out, size, "不动产登记簿");
}

/* ---- restrictions ----------------------------------------------------- */

void encumbrance_text(const struct encumbrance *e, char *s, size_t size)
{
    static const char *const holder_label[ENC_KIND_COUNT] = {"抵押权人", "查封机关", "异议申请人",
                                                             "预告登记权利人", "居住权人"};
    static const char *const number_label[ENC_KIND_COUNT] = {
        "不动产登记证明号", "查封文号", "不动产登记证明号", "不动产登记证明号", "不动产登记证明号"};
    static const char *const period_label[ENC_KIND_COUNT] = {"债务履行期限", "查封期限", "期限",
                                                             "期限", "居住权期限"};
    size_t n = 0;
    s[0] = '\0';
#define APPEND(...)                                                                                \
    do {                                                                                           \
        if (n < size) {                                                                            \
            int k_ = snprintf(s + n, size - n, __VA_ARGS__);                                       \
            n += k_ > 0 ? (size_t)k_ : 0;                                                          \
        }                                                                                          \
    } while (0)
    if (e->holder[0])
        APPEND("%s %s；", holder_label[e->kind], e->holder);
    if (e->certificate_number[0])
        APPEND("%s %s；", number_label[e->kind], e->certificate_number);
    if (e->amount_fen > 0) {
        char y[40];
        fmt_fen(e->amount_fen, y, sizeof y);
        APPEND("%s %s 元；", e->kind == ENC_MORTGAGE ? "被担保债权数额" : "金额", y);
    }
    if (e->period[0])
        APPEND("%s %s；", period_label[e->kind], e->period);
    if (e->registered_at[0]) {
        char when[48];
        format_time(e->registered_at, false, when, sizeof when);
        APPEND("登记时间 %s；", when);
    }
    if (e->note[0])
        APPEND("备注：%s；", e->note);
#undef APPEND
    if (n >= size)
        n = strlen(s);
    /* The last "；" becomes "。" (both 3 bytes in UTF-8). */
    if (n >= 3 && strcmp(s + n - 3, "；") == 0)
        memcpy(s + n - 3, "。", 3);
    if (!s[0])
        str_copy(s, size, "登记簿未载明详细信息。");
}
