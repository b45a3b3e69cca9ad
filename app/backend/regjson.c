/* regjson.c - registry JSON mapping; see regjson.h. This file: the
 * parsing context, the checked getters, problem+json and health.
 * The resources: regjson_properties.c, regjson_replies.c,
 * regjson_requests.c.
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

#include "backend/regjson_internal.h"
#include "base/clock.h"
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

int fail(struct ctx *c, const char *path, const char *key, const char *fmt, ...)
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
bool utf8_is_clean(const char *s, size_t len)
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
int put_value(struct ctx *c, const char *path, const char *key, const char *v, char *dst,
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

const cJSON *get_item(struct ctx *c, const cJSON *obj, const char *path, const char *key, int *rc)
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

int get_str(struct ctx *c, const cJSON *obj, const char *path, const char *key, char *dst,
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
int get_int(struct ctx *c, const cJSON *obj, const char *path, const char *key, int64_t *out,
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

const cJSON *get_typed(struct ctx *c, const cJSON *obj, const char *path, const char *key, int type,
                       int *rc)
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

void path_join(char *out, size_t size, const char *path, const char *key)
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

void tree_free(cJSON *root)
{
    tree_wipe(root);
    cJSON_Delete(root);
}

/* Parses a whole body as one JSON object with nothing but whitespace after. */
cJSON *parse_object(struct ctx *c, const char *body, size_t len, int *rc)
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

int regjson_parse_health(const char *body, size_t len, int64_t *time_s)
{
    struct ctx c = {NULL, 0};
    int rc;
    if (time_s)
        *time_s = 0;
    cJSON *root = parse_object(&c, body, len, &rc);
    if (!root)
        return rc;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "status");
    rc =
        cJSON_IsString(s) && s->valuestring && strcmp(s->valuestring, "ok") == 0 ? 0 : ERR_BADREPLY;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "time");
    int64_t at;
    if (rc == 0 && time_s && cJSON_IsString(t) && clock_parse_iso(t->valuestring, &at) == 0)
        *time_s = at;
    tree_free(root);
    return rc;
}

int regjson_parse_created(const char *body, size_t len, char *detail, size_t detail_size)
{
    struct ctx c = {detail, detail_size};
    int rc;
    cJSON *root = parse_object(&c, body, len, &rc);
    if (!root)
        return rc;
    char id[128];
    rc = get_str(&c, root, NULL, "id", id, sizeof id, true);
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
        {"slot-full", PROBLEM_SLOT_FULL},
        {"phone-invalid", PROBLEM_PHONE_INVALID},
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
