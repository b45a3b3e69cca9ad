/* regjson_requests.c - request bodies, written straight into a struct
 * buf with a small escaper: the session (card and base64 face image), the
 * certificate, the rating, an audit event, the staff check, the ticket.
 * Pure, any thread.
 */
#include "backend/regjson.h"

#include "backend/regjson_internal.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

/* ---- requests ---- */

int regjson_base64_append(struct buf *out, const uint8_t *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char quad[4 * 64];
    size_t q = 0;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        quad[q++] = tab[(v >> 18) & 63];
        quad[q++] = tab[(v >> 12) & 63];
        quad[q++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        quad[q++] = i + 2 < n ? tab[v & 63] : '=';
        if (q == sizeof quad) {
            rc = buf_append(out, quad, q);
            q = 0;
        }
    }
    if (!rc && q)
        rc = buf_append(out, quad, q);
    explicit_bzero(quad, sizeof quad);
    return rc;
}

/* Appends s (at most max bytes of it) as a JSON string. */
static int put_json_str(struct buf *b, const char *s, size_t max)
{
    size_t len = strnlen(s, max);
    if (len == max || !utf8_is_clean(s, len))
        return ERR_INVALID;
    int rc = buf_append(b, "\"", 1);
    size_t start = 0;
    for (size_t i = 0; i < len && !rc; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch != '"' && ch != '\\' && ch >= 0x20)
            continue;
        rc = buf_append(b, s + start, i - start);
        if (!rc && (ch == '"' || ch == '\\'))
            rc = buf_append(b, (char[]){'\\', (char)ch}, 2);
        else if (!rc)
            rc = buf_printf(b, "\\u%04x", ch);
        start = i + 1;
    }
    if (!rc)
        rc = buf_append(b, s + start, len - start);
    if (!rc)
        rc = buf_append(b, "\"", 1);
    return rc;
}

/* Appends ,"name":"value" for a fixed-size card field. */
static int put_field(struct buf *b, const char *name, const char *s, size_t max)
{
    int rc = buf_printf(b, ",\"%s\":", name);
    return rc ? rc : put_json_str(b, s, max);
}

#define PUT_FIELD(b, name, field) put_field((b), (name), (field), sizeof(field))

int regjson_format_session_request(const struct idcard *card, const uint8_t *jpeg, size_t jpeg_len,
                                   const char *liveness_challenge, bool liveness_passed,
                                   struct buf *out)
{
    static const char *const types[] = {
        [IDCARD_RESIDENT] = "resident",
        [IDCARD_HMT_PERMIT] = "hmt_permit",
        [IDCARD_FOREIGN_2017] = "foreign_2017",
        [IDCARD_FOREIGN_2023] = "foreign_2023",
    };
    if (!card || !jpeg || !jpeg_len || jpeg_len > REGJSON_JPEG_MAX || (int)card->type < 0 ||
        (size_t)card->type >= ARRAY_LEN(types))
        return ERR_INVALID;
    const char *challenge = liveness_challenge ? liveness_challenge : "";
    int rc = buf_printf(out, "{\"card\":{\"type\":\"%s\"", types[card->type]);
    if (!rc)
        rc = PUT_FIELD(out, "id_number", card->id_number);
    if (!rc)
        rc = PUT_FIELD(out, "name", card->name);
    if (!rc)
        rc = PUT_FIELD(out, "gender", card->gender);
    if (!rc)
        rc = PUT_FIELD(out, "ethnicity", card->ethnicity);
    if (!rc)
        rc = PUT_FIELD(out, "birth_date", card->birth_date);
    if (!rc)
        rc = PUT_FIELD(out, "address", card->address);
    if (!rc)
        rc = PUT_FIELD(out, "issuer", card->issuer);
    if (!rc)
        rc = PUT_FIELD(out, "valid_from", card->valid_from);
    if (!rc)
        rc = PUT_FIELD(out, "valid_to", card->valid_to);
    if (!rc)
        rc = buf_append_str(out, "},\"face\":{\"consent\":true,\"image_jpeg\":\"");
    if (!rc)
        rc = regjson_base64_append(out, jpeg, jpeg_len);
    if (!rc)
        rc = buf_printf(out, "\",\"liveness\":{\"passed\":%s,\"challenge\":",
                        liveness_passed ? "true" : "false");
    if (!rc)
        rc = put_json_str(out, challenge, 64);
    if (!rc)
        rc = buf_append_str(out, "}}}");
    return rc;
}

int regjson_format_certificate_request(const char *kind, const char *purpose, struct buf *out)
{
    if (!kind || !purpose || (strcmp(kind, "query") != 0 && strcmp(kind, "housing_count") != 0))
        return ERR_INVALID;
    size_t n = strnlen(purpose, 256);
    if (n == 0 || n == 256 || !utf8_is_clean(purpose, n) || utf8_len(purpose) > 32)
        return ERR_INVALID;
    int rc = buf_printf(out, "{\"kind\":\"%s\",\"purpose\":", kind);
    if (!rc)
        rc = put_json_str(out, purpose, 256);
    if (!rc)
        rc = buf_append_str(out, "}");
    return rc;
}

int regjson_format_rating(const struct regjson_rating *r, struct buf *out)
{
    static const char *const ref_kinds[] = {"ticket", "appointment", "certificate"};
    if (!r || r->level < 1 || r->level > 5 || !r->service || !r->service[0] ||
        r->reason_count < 0 || r->reason_count > REGJSON_REASONS_MAX ||
        (r->reason_count && !r->reasons))
        return ERR_INVALID;
    for (int i = 0; i < r->reason_count; i++)
        if (!r->reasons[i] || !r->reasons[i][0])
            return ERR_INVALID;
    bool has_ref = r->ref_kind && r->ref_kind[0];
    if (has_ref) {
        bool known = false;
        for (size_t i = 0; i < ARRAY_LEN(ref_kinds); i++)
            known = known || !strcmp(r->ref_kind, ref_kinds[i]);
        if (!known || !r->ref_id || !r->ref_id[0])
            return ERR_INVALID;
    }
    int rc = buf_printf(out, "{\"level\":%d,\"service\":", r->level);
    if (!rc)
        rc = put_json_str(out, r->service, 32);
    if (!rc)
        rc = buf_append_str(out, ",\"reasons\":[");
    for (int i = 0; i < r->reason_count && !rc; i++) {
        if (i)
            rc = buf_append_str(out, ",");
        if (!rc)
            rc = put_json_str(out, r->reasons[i], REGJSON_REASON_MAX);
    }
    if (!rc)
        rc = buf_append_str(out, "]");
    if (!rc && has_ref) {
        rc = buf_printf(out, ",\"ref\":{\"kind\":\"%s\",\"id\":", r->ref_kind);
        if (!rc)
            rc = put_json_str(out, r->ref_id, 65);
        if (!rc)
            rc = buf_append_str(out, "}");
    }
    if (!rc)
        rc = buf_append_str(out, "}");
    return rc;
}

/* An audit event's time: "2026-11-22T09:42:00" and "Z" or "+08:00" (whole
 * seconds, as the registry takes it); the registry judges the date. */
static bool audit_time_ok(const char *at)
{
    size_t n = at ? strnlen(at, 32) : 0;
    if (n != 20 && n != 25)
        return false;
    for (; *at; at++)
        if (!((*at >= '0' && *at <= '9') || strchr("T:+Z-", *at)))
            return false;
    return true;
}

int regjson_format_audit(const struct regjson_audit *a, struct buf *out)
{
    if (!a || !audit_time_ok(a->at) || !audit_action_is_known(a->action))
        return ERR_INVALID;
    const char *staff_no = a->staff_no ? a->staff_no : "";
    const char *detail = a->detail ? a->detail : "";
    if (strnlen(staff_no, 16) > 15 || strnlen(detail, 129) > 128 || text_has_idnum(detail))
        return ERR_INVALID;
    for (const char *p = staff_no; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
            return ERR_INVALID;
    for (const char *p = detail; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return ERR_INVALID; /* one line, as the registry takes it */
    int rc = buf_printf(out, "{\"at\":\"%s\",\"staff_no\":\"%s\",\"action\":\"%s\"", a->at,
                        staff_no, a->action);
    if (!rc)
        rc = put_field(out, "detail", detail, 129);
    return rc ? rc : buf_append_str(out, "}");
}

int regjson_format_staff_request(const struct idcard *card, struct buf *out)
{
    if (!card || !idnum_is_valid(card->id_number))
        return ERR_INVALID;
    /* Straight into out (no formatting buffer left on the stack): 17
     * digits and the check character, X in capitals as on the card. */
    char check = card->id_number[17] == 'x' ? 'X' : card->id_number[17];
    int rc = buf_append_str(out, "{\"id_number\":\"");
    if (!rc)
        rc = buf_append(out, card->id_number, 17);
    if (!rc)
        rc = buf_append(out, &check, 1);
    return rc ? rc : buf_append_str(out, "\"}");
}

int regjson_format_ticket_request(const char *service, const char *appointment_code,
                                  struct buf *out)
{
    if (appointment_code && appointment_code[0]) {
        size_t n = strlen(appointment_code);
        if (n > 64)
            return ERR_INVALID;
        for (const char *p = appointment_code; *p; p++)
            if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
                return ERR_INVALID;
        int rc = buf_append_str(out, "{\"kind\":\"appointment\",\"appointment_code\":");
        if (!rc)
            rc = put_json_str(out, appointment_code, 64);
        return rc ? rc : buf_append_str(out, "}");
    }
    if (!service || !service[0])
        return buf_append_str(out, "{\"kind\":\"appointment\"}");
    if (strlen(service) > 31)
        return ERR_INVALID;
    for (const char *p = service; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
            return ERR_INVALID;
    int rc = buf_append_str(out, "{\"kind\":\"walk_in\",\"service\":");
    if (!rc)
        rc = put_json_str(out, service, 32);
    return rc ? rc : buf_append_str(out, "}");
}

int regjson_format_booking_request(const char *service, const char *slot, const char *phone,
                                   struct buf *out)
{
    if (!service || !service[0] || strlen(service) > 31 || !slot || !slot[0] || strlen(slot) > 23 ||
        !phone_is_mobile(phone))
        return ERR_INVALID;
    for (const char *p = service; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
            return ERR_INVALID;
    for (const char *p = slot; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == 'T' || *p == ':' || *p == '-'))
            return ERR_INVALID;
    int rc = buf_append_str(out, "{\"service\":");
    if (!rc)
        rc = put_json_str(out, service, 32);
    if (!rc)
        rc = buf_append_str(out, ",\"slot\":");
    if (!rc)
        rc = put_json_str(out, slot, 24);
    if (!rc)
        rc = buf_append_str(out, ",\"phone\":");
    if (!rc)
        rc = put_json_str(out, phone, 12);
    return rc ? rc : buf_append_str(out, "}");
}
