/* regjson_replies.c - the other replies: the opened session (token,
 * masked requester), the issued certificate, the queue ticket. Pure, any
 * thread.
 */
#include "backend/regjson.h"

#include "backend/regjson_internal.h"
#include "base/err.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* Every parser here opens the same way (detail cleared, out zeroed, the
 * body parsed as an object); the lines stay in each so that a parser
 * reads whole, from its reply's first field to its last. */
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
