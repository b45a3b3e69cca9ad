/* regjson.c - registry JSON mapping; see regjson.h.
 *
 * DESIGN: replies are parsed with cJSON into a tree, then copied field by
 * field through a handful of checked getters (get_str, get_int, ...) that
 * know the field's path, so every rejection says where it happened. The
 * tree holds copies of the citizen's records; it is wiped string by string
 * before cJSON frees it. Requests are written straight into a struct buf
 * with a small escaper, so personal fields exist in one wiped place only.
 * Pure functions, any thread.
 */
#include "backend/regjson.h"

#include "base/err.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define PROBLEM_PREFIX "urn:bdc:problem:"

/* ---- parsing context: where we are, what went wrong ---- */

struct ctx {
    char *detail;
    size_t size;
};

static int fail(struct ctx *c, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct ctx *c, const char *path, const char *key, const char *fmt, ...)
{
    if (!c->detail || !c->size)
        return ERR_BADREPLY;
    int n;
    if (path && path[0] && key)
        n = snprintf(c->detail, c->size, "%s.%s: ", path, key);
    else if (key)
        n = snprintf(c->detail, c->size, "%s: ", key);
    else
        n = snprintf(c->detail, c->size, "%s: ", path && path[0] ? path : "(body)");
    if (n < 0 || (size_t)n >= c->size)
        return ERR_BADREPLY;
    va_list ap;
    va_start(ap, fmt);
    /* va_start is just above; clang 14's analyser loses it on this path. */
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vsnprintf(c->detail + n, c->size - (size_t)n, fmt, ap);
    va_end(ap);
    return ERR_BADREPLY;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF,
 * and no control characters other than tab and newline (these strings are
 * drawn on screen and printed on paper). */
static bool utf8_is_clean(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
                return false;
            i++;
            continue;
        }
        size_t n;
        unsigned cp, min;
        if ((c & 0xE0) == 0xC0) {
            n = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (len - i < n)
            return false;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n;
    }
    return true;
}

/* Copies a checked string value into a fixed field. */
static int put_value(struct ctx *c, const char *path, const char *key, const char *v, char *dst,
                     size_t size, bool nonempty)
{
    size_t len = strlen(v);
    if (len >= size)
        return fail(c, path, key, "too long (%zu bytes, max %zu)", len, size - 1);
    if (!utf8_is_clean(v, len))
        return fail(c, path, key, "invalid UTF-8 or control character");
    if (nonempty && len == 0)
        return fail(c, path, key, "empty");
    memcpy(dst, v, len + 1);
    return 0;
}

static const cJSON *get_item(struct ctx *c, const cJSON *obj, const char *path, const char *key,
                             int *rc)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!it)
        *rc = fail(c, path, key, "missing");
    else if (cJSON_IsNull(it))
        *rc = fail(c, path, key, "null");
    else
        *rc = 0;
    return *rc ? NULL : it;
}

static int get_str(struct ctx *c, const cJSON *obj, const char *path, const char *key, char *dst,
                   size_t size, bool nonempty)
{
    int rc;
    const cJSON *it = get_item(c, obj, path, key, &rc);
    if (!it)
        return rc;
    if (!cJSON_IsString(it) || !it->valuestring)
        return fail(c, path, key, "not a string");
    return put_value(c, path, key, it->valuestring, dst, size, nonempty);
}

/* An integer within [min, max]; JSON numbers are doubles in cJSON, so
 * anything beyond 2^53 cannot be trusted to be the integer that was sent. */
static int get_int(struct ctx *c, const cJSON *obj, const char *path, const char *key, int64_t *out,
                   int64_t min, int64_t max)
{
    int rc;
    const cJSON *it = get_item(c, obj, path, key, &rc);
    if (!it)
        return rc;
    if (!cJSON_IsNumber(it))
        return fail(c, path, key, "not a number");
    double v = it->valuedouble;
    if (!isfinite(v) || v != floor(v) || fabs(v) > 9007199254740992.0)
        return fail(c, path, key, "not an integer");
    if (v < (double)min || v > (double)max)
        return fail(c, path, key, "out of range");
    *out = (int64_t)v;
    return 0;
}

static const cJSON *get_typed(struct ctx *c, const cJSON *obj, const char *path, const char *key,
                              int type, int *rc)
{
    const cJSON *it = get_item(c, obj, path, key, rc);
    if (!it)
        return NULL;
    if ((it->type & 0xFF) != type) {
        *rc = fail(c, path, key, type == cJSON_Array ? "not an array" : "not an object");
        return NULL;
    }
    return it;
}

static void path_join(char *out, size_t size, const char *path, const char *key)
{
    if (path && path[0])
        snprintf(out, size, "%s.%s", path, key);
    else
        snprintf(out, size, "%s", key);
}

/* Wipes every string of a parsed tree: a reply carries the citizen's
 * records, and cJSON_Delete frees without clearing. */
static void tree_wipe(cJSON *n)
{
    for (; n; n = n->next) {
        if (n->valuestring)
            explicit_bzero(n->valuestring, strlen(n->valuestring));
        if (n->string)
            explicit_bzero(n->string, strlen(n->string));
        tree_wipe(n->child);
    }
}

static void tree_free(cJSON *root)
{
    tree_wipe(root);
    cJSON_Delete(root);
}

/* Parses a whole body as one JSON object with nothing but whitespace after. */
static cJSON *parse_object(struct ctx *c, const char *body, size_t len, int *rc)
{
    *rc = 0;
    if (!body || len == 0) {
        *rc = fail(c, NULL, NULL, "empty body");
        return NULL;
    }
    /* cJSON would end the string at an escaped NUL and drop the rest
     * without a word; no field of the contract can hold one. */
    if (memmem(body, len, "\\u0000", 6)) {
        *rc = fail(c, NULL, NULL, "escaped NUL in a string");
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(body, len, &end, false);
    if (!root) {
        *rc = fail(c, NULL, NULL, "not JSON");
        return NULL;
    }
    for (const char *p = end; p && p < body + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '\0') {
            tree_free(root);
            *rc = fail(c, NULL, NULL, "trailing bytes after JSON");
            return NULL;
        }
    }
    if (!cJSON_IsObject(root)) {
        tree_free(root);
        *rc = fail(c, NULL, NULL, "not a JSON object");
        return NULL;
    }
    return root;
}

/* ---- properties ---- */

static int parse_encumbrance(struct ctx *c, const cJSON *o, const char *path, struct encumbrance *e)
{
    if (!cJSON_IsObject(o))
        return fail(c, path, NULL, "not an object");
    int rc;
    const cJSON *kind = get_item(c, o, path, "kind", &rc);
    if (!kind)
        return rc;
    if (!cJSON_IsString(kind) || !kind->valuestring)
        return fail(c, path, "kind", "not a string");
    int k = encumbrance_kind_parse(kind->valuestring);
    if (k < 0)
        return fail(c, path, "kind", "unknown value");
    e->kind = (enum encumbrance_kind)k;
    if ((rc = get_str(c, o, path, "holder", e->holder, sizeof e->holder, true)) ||
        (rc = get_str(c, o, path, "certificate_number", e->certificate_number,
                      sizeof e->certificate_number, false)) ||
        (rc = get_str(c, o, path, "registered_at", e->registered_at, sizeof e->registered_at,
                      true)) ||
        (rc = get_str(c, o, path, "period", e->period, sizeof e->period, false)) ||
        (rc = get_int(c, o, path, "amount_fen", &e->amount_fen, 0, INT64_C(9007199254740992))) ||
        (rc = get_str(c, o, path, "note", e->note, sizeof e->note, false)))
        return rc;
    return 0;
}

/* co_owners is a JSON array of masked names; the model keeps one line,
 * joined with the Chinese enumeration comma. */
static int parse_co_owners(struct ctx *c, const cJSON *o, const char *path, char *dst, size_t size)
{
    int rc;
    const cJSON *arr = get_typed(c, o, path, "co_owners", cJSON_Array, &rc);
    if (!arr)
        return rc;
    static const char sep[] = "、";
    size_t used = 0;
    int i = 0;
    dst[0] = '\0';
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char key[32];
        snprintf(key, sizeof key, "co_owners[%d]", i);
        if (!cJSON_IsString(it) || !it->valuestring)
            return fail(c, path, key, "not a string");
        size_t len = strlen(it->valuestring);
        if (!utf8_is_clean(it->valuestring, len))
            return fail(c, path, key, "invalid UTF-8 or control character");
        if (len == 0)
            return fail(c, path, key, "empty");
        size_t need = (used ? sizeof sep - 1 : 0) + len;
        if (used + need >= size)
            return fail(c, path, "co_owners", "too long (max %zu bytes joined)", size - 1);
        if (used) {
            memcpy(dst + used, sep, sizeof sep - 1);
            used += sizeof sep - 1;
        }
        memcpy(dst + used, it->valuestring, len);
        used += len;
        dst[used] = '\0';
    }
    return 0;
}

static int parse_property(struct ctx *c, const cJSON *o, const char *path, struct property *p)
{
    if (!cJSON_IsObject(o))
        return fail(c, path, NULL, "not an object");
    int rc;
    if ((rc = get_str(c, o, path, "id", p->id, sizeof p->id, true)) ||
        (rc = get_str(c, o, path, "unit_number", p->unit_number, sizeof p->unit_number, true)) ||
        (rc = get_str(c, o, path, "location", p->location, sizeof p->location, true)) ||
        (rc = get_str(c, o, path, "district", p->district, sizeof p->district, false)) ||
        (rc = get_str(c, o, path, "certificate_number", p->certificate_number,
                      sizeof p->certificate_number, true)) ||
        (rc = get_str(c, o, path, "area", p->area, sizeof p->area, false)) ||
        (rc = get_str(c, o, path, "land_area", p->land_area, sizeof p->land_area, false)) ||
        (rc = get_str(c, o, path, "use", p->use, sizeof p->use, false)) ||
        (rc = get_str(c, o, path, "right_type", p->right_type, sizeof p->right_type, false)) ||
        (rc =
             get_str(c, o, path, "right_nature", p->right_nature, sizeof p->right_nature, false)) ||
        (rc = get_str(c, o, path, "ownership", p->ownership, sizeof p->ownership, false)) ||
        (rc = parse_co_owners(c, o, path, p->co_owners, sizeof p->co_owners)) ||
        (rc =
             get_str(c, o, path, "registered_at", p->registered_at, sizeof p->registered_at, true)))
        return rc;
    const cJSON *arr = get_typed(c, o, path, "encumbrances", cJSON_Array, &rc);
    if (!arr)
        return rc;
    int n = cJSON_GetArraySize(arr);
    if (n > PROPERTY_ENC_MAX)
        return fail(c, path, "encumbrances", "too many items (%d, max %d)", n, PROPERTY_ENC_MAX);
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char sub[96];
        char key[32];
        snprintf(key, sizeof key, "encumbrances[%d]", i);
        path_join(sub, sizeof sub, path, key);
        if ((rc = parse_encumbrance(c, it, sub, &p->enc[i])))
            return rc;
    }
    p->enc_count = n;
    return 0;
}

/* Appends the items array of o to list, refusing to go past the array. */
static int parse_items(struct ctx *c, const cJSON *o, struct property_list *list)
{
    int rc;
    const cJSON *arr = get_typed(c, o, NULL, "items", cJSON_Array, &rc);
    if (!arr)
        return rc;
    int n = cJSON_GetArraySize(arr);
    if (list->count < 0 || list->count > PROPERTY_LIST_MAX || n > PROPERTY_LIST_MAX - list->count)
        return fail(c, NULL, "items", "too many items (%d here, %d before, max %d)", n, list->count,
                    PROPERTY_LIST_MAX);
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char path[32];
        snprintf(path, sizeof path, "items[%d]", i);
        struct property *p = &list->items[list->count];
        memset(p, 0, sizeof *p);
        if ((rc = parse_property(c, it, path, p)))
            return rc;
        list->count++;
    }
    return 0;
}

int regjson_parse_properties(const char *body, size_t len, struct property_list *list, char *cursor,
                             size_t cursor_size, char *detail, size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    if (detail && detail_size)
        detail[0] = '\0';
    if (cursor && cursor_size)
        cursor[0] = '\0';
    int rc;
    cJSON *root = parse_object(&c, body, len, &rc);
    if (!root)
        return rc;
    char as_of[sizeof list->as_of];
    rc = get_str(&c, root, NULL, "as_of", as_of, sizeof as_of, true);
    if (!rc)
        rc = parse_items(&c, root, list);
    if (!rc) {
        const cJSON *nc = cJSON_GetObjectItemCaseSensitive(root, "next_cursor");
        if (!nc)
            rc = fail(&c, NULL, "next_cursor", "missing");
        else if (cJSON_IsNull(nc))
            ; /* last page */
        else if (!cJSON_IsString(nc) || !nc->valuestring)
            rc = fail(&c, NULL, "next_cursor", "not a string or null");
        else if (nc->valuestring[0] == '\0')
            rc = fail(&c, NULL, "next_cursor", "empty");
        else if (!cursor || !cursor_size)
            rc = fail(&c, NULL, "next_cursor", "unexpected");
        else
            rc = put_value(&c, NULL, "next_cursor", nc->valuestring, cursor, cursor_size, true);
    }
    if (!rc && list->as_of[0] == '\0')
        memcpy(list->as_of, as_of, sizeof as_of);
    tree_free(root);
    return rc;
}

/* ---- session ---- */

/* The token is echoed in an Authorization header: refuse anything that is
 * not visible ASCII, or a reply could inject headers. */
static bool token_is_safe(const char *t)
{
    for (; *t; t++)
        if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f)
            return false;
    return true;
}

int regjson_parse_session(const char *body, size_t len, struct regjson_session *out, char *detail,
                          size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    if (detail && detail_size)
        detail[0] = '\0';
    memset(out, 0, sizeof *out);
    int rc;
    cJSON *root = parse_object(&c, body, len, &rc);
    if (!root)
        return rc;
    const cJSON *cit = NULL;
    if (!(rc = get_str(&c, root, NULL, "session_token", out->token, sizeof out->token, true)) &&
        !token_is_safe(out->token))
        rc = fail(&c, NULL, "session_token", "not a token (visible ASCII only)");
    if (!rc)
        rc = get_str(&c, root, NULL, "expires_at", out->expires_at, sizeof out->expires_at, true);
    if (!rc)
        rc = get_str(&c, root, NULL, "verdict", out->verdict, sizeof out->verdict, true);
    if (!rc)
        cit = get_typed(&c, root, NULL, "citizen", cJSON_Object, &rc);
    if (!rc)
        rc = get_str(&c, cit, "citizen", "name_masked", out->name_masked, sizeof out->name_masked,
                     false);
    if (!rc)
        rc = get_str(&c, cit, "citizen", "id_number_masked", out->id_number_masked,
                     sizeof out->id_number_masked, false);
    tree_free(root);
    if (rc)
        explicit_bzero(out, sizeof *out);
    return rc;
}

/* ---- certificate ---- */

int regjson_parse_certificate(const char *body, size_t len, struct certificate *out, char *detail,
                              size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    if (detail && detail_size)
        detail[0] = '\0';
    memset(out, 0, sizeof *out);
    int rc;
    cJSON *root = parse_object(&c, body, len, &rc);
    if (!root)
        return rc;
    const cJSON *req = NULL;
    if ((rc = get_str(&c, root, NULL, "number", out->number, sizeof out->number, true)) ||
        (rc = get_str(&c, root, NULL, "verify_code", out->verify_code, sizeof out->verify_code,
                      true)) ||
        (rc = get_str(&c, root, NULL, "verify_url", out->verify_url, sizeof out->verify_url,
                      true)) ||
        (rc = get_str(&c, root, NULL, "issued_at", out->issued_at, sizeof out->issued_at, true)) ||
        (rc = get_str(&c, root, NULL, "kind", out->kind, sizeof out->kind, true)))
        goto out;
    if (strcmp(out->kind, "query") != 0 && strcmp(out->kind, "housing_count") != 0) {
        rc = fail(&c, NULL, "kind", "unknown value");
        goto out;
    }
    if ((rc = get_str(&c, root, NULL, "purpose", out->purpose, sizeof out->purpose, true)) ||
        (rc = get_str(&c, root, NULL, "office", out->office, sizeof out->office, true)))
        goto out;
    if (!(req = get_typed(&c, root, NULL, "requester", cJSON_Object, &rc)))
        goto out;
    if ((rc = get_str(&c, req, "requester", "name_masked", out->requester_name,
                      sizeof out->requester_name, false)) ||
        (rc = get_str(&c, req, "requester", "id_number_masked", out->requester_id_masked,
                      sizeof out->requester_id_masked, false)) ||
        (rc = get_str(&c, root, NULL, "query_method", out->query_method, sizeof out->query_method,
                      false)) ||
        (rc = get_str(&c, root, NULL, "as_of", out->props.as_of, sizeof out->props.as_of, true)))
        goto out;
    rc = parse_items(&c, root, &out->props);
out:
    tree_free(root);
    if (rc)
        explicit_bzero(out, sizeof *out);
    return rc;
}

/* ---- ticket ---- */

static int no_newline(struct ctx *c, const char *path, const char *key, const char *v)
{
    return strchr(v, '\n') ? fail(c, path, key, "newline in value") : 0;
}

int regjson_parse_ticket(const char *body, size_t len, struct ticket *out, char *detail,
                         size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    if (detail && detail_size)
        detail[0] = '\0';
    memset(out, 0, sizeof *out);
    int rc;
    cJSON *root = parse_object(&c, body, len, &rc);
    if (!root)
        return rc;
    int64_t ahead = 0, wait = 0;
    const cJSON *mats = NULL;
    if ((rc = get_str(&c, root, NULL, "number", out->number, sizeof out->number, true)))
        goto out;
    for (const char *p = out->number; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-')) {
            rc = fail(&c, NULL, "number", "not [A-Za-z0-9-]");
            goto out;
        }
    }
    if ((rc = get_str(&c, root, NULL, "service", out->service, sizeof out->service, true)) ||
        (rc = get_str(&c, root, NULL, "service_name", out->service_name, sizeof out->service_name,
                      true)) ||
        (rc = get_str(&c, root, NULL, "windows_text", out->windows_text, sizeof out->windows_text,
                      false)) ||
        (rc = get_int(&c, root, NULL, "ahead", &ahead, 0, 100000)) ||
        (rc = get_int(&c, root, NULL, "wait_minutes", &wait, 0, 100000)) ||
        (rc = get_str(&c, root, NULL, "time_limit", out->time_limit, sizeof out->time_limit,
                      false)) ||
        (rc = get_str(&c, root, NULL, "follow_url", out->follow_url, sizeof out->follow_url,
                      false)) ||
        (rc = get_str(&c, root, NULL, "issued_at", out->issued_at, sizeof out->issued_at, true)))
        goto out;
    out->ahead = (int)ahead;
    out->wait_minutes = (int)wait;
    if (cJSON_GetObjectItemCaseSensitive(root, "appointment") &&
        (rc = get_str(&c, root, NULL, "appointment", out->appointment, sizeof out->appointment,
                      false)))
        goto out;
    if (!(mats = get_typed(&c, root, NULL, "materials", cJSON_Array, &rc)))
        goto out;
    if (cJSON_GetArraySize(mats) > TICKET_MATERIALS_MAX) {
        rc = fail(&c, NULL, "materials", "more than %d", TICKET_MATERIALS_MAX);
        goto out;
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, mats)
    {
        char key[24];
        snprintf(key, sizeof key, "materials[%d]", out->material_count);
        if (!cJSON_IsString(m) || !m->valuestring) {
            rc = fail(&c, NULL, key, "not a string");
            goto out;
        }
        char *dst = out->materials[out->material_count];
        if ((rc = put_value(&c, NULL, key, m->valuestring, dst, sizeof out->materials[0], true)) ||
            (rc = no_newline(&c, NULL, key, dst)))
            goto out;
        out->material_count++;
    }
    static const struct {
        const char *key;
        size_t off;
    } texts[] = {
        {"service_name", offsetof(struct ticket, service_name)},
        {"windows_text", offsetof(struct ticket, windows_text)},
        {"time_limit", offsetof(struct ticket, time_limit)},
        {"follow_url", offsetof(struct ticket, follow_url)},
        {"issued_at", offsetof(struct ticket, issued_at)},
        {"service", offsetof(struct ticket, service)},
        {"appointment", offsetof(struct ticket, appointment)},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if ((rc = no_newline(&c, NULL, texts[i].key, (const char *)out + texts[i].off)))
            goto out;
out:
    tree_free(root);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ---- problems and health ---- */

static void copy_lenient(const cJSON *o, const char *key, char *dst, size_t size)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(it) && it->valuestring &&
        utf8_is_clean(it->valuestring, strlen(it->valuestring)))
        str_copy(dst, size, it->valuestring);
}

int regjson_parse_problem(const char *body, size_t len, struct regjson_problem *out)
{
    memset(out, 0, sizeof *out);
    struct ctx c = {NULL, 0};
    int rc;
    cJSON *root = parse_object(&c, body, len, &rc);
    if (!root)
        return rc;
    /* A type cut short would switch on the wrong name: drop it instead. */
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "type");
    if (cJSON_IsString(t) && t->valuestring && strlen(t->valuestring) < sizeof out->type)
        copy_lenient(root, "type", out->type, sizeof out->type);
    copy_lenient(root, "title", out->title, sizeof out->title);
    copy_lenient(root, "detail", out->detail, sizeof out->detail);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "status");
    if (cJSON_IsNumber(s) && s->valuedouble >= 100 && s->valuedouble <= 599)
        out->status = (int)s->valuedouble;
    tree_free(root);
    return 0;
}

int regjson_parse_health(const char *body, size_t len)
{
    struct ctx c = {NULL, 0};
    int rc;
    cJSON *root = parse_object(&c, body, len, &rc);
    if (!root)
        return rc;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "status");
    rc =
        cJSON_IsString(s) && s->valuestring && strcmp(s->valuestring, "ok") == 0 ? 0 : ERR_BADREPLY;
    tree_free(root);
    return rc;
}

enum flow_problem regjson_problem_map(int http_status, const char *type)
{
    static const struct {
        const char *name;
        enum flow_problem problem;
    } known[] = {
        {"face-no-match", PROBLEM_FACE_NO_MATCH},
        {"face-unavailable", PROBLEM_FACE_UNAVAILABLE},
        {"card-expired", PROBLEM_CARD_EXPIRED},
        {"card-invalid", PROBLEM_CARD_INVALID},
        {"session-expired", PROBLEM_SESSION_EXPIRED},
    };
    size_t plen = sizeof PROBLEM_PREFIX - 1;
    if (type && strncmp(type, PROBLEM_PREFIX, plen) == 0)
        for (size_t i = 0; i < ARRAY_LEN(known); i++)
            if (strcmp(type + plen, known[i].name) == 0)
                return known[i].problem;
    if (http_status >= 500 && http_status <= 599)
        return PROBLEM_REGISTRY_DOWN;
    if (http_status >= 400 && http_status <= 499)
        return PROBLEM_REJECTED;
    return PROBLEM_BAD_REPLY;
}

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

int regjson_format_rating_request(int level, const char *service, struct buf *out)
{
    if (level < 1 || level > 5 || !service || !service[0])
        return ERR_INVALID;
    int rc = buf_printf(out, "{\"level\":%d,\"service\":", level);
    if (!rc)
        rc = put_json_str(out, service, 32);
    if (!rc)
        rc = buf_append_str(out, ",\"reasons\":[]}");
    return rc;
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
    if (!service || !service[0] || strlen(service) > 31)
        return ERR_INVALID;
    for (const char *p = service; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
            return ERR_INVALID;
    int rc = buf_append_str(out, "{\"kind\":\"walk_in\",\"service\":");
    if (!rc)
        rc = put_json_str(out, service, 32);
    return rc ? rc : buf_append_str(out, "}");
}
