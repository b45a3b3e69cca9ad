/* regjson_properties.c - property records and pages: GET /v1/properties
 * replies (items, owners, encumbrances, the cursor) into struct
 * property_list. Pure, any thread.
 */
#include "backend/regjson.h"

#include "backend/regjson_internal.h"
#include "base/err.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
int parse_items(struct ctx *c, const cJSON *o, struct property_list *list)
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
