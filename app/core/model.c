/* model.c - the API names of encumbrance kinds, and finding a service in
 * the guide; see model.h.
 *
 * Pure functions, any thread. The names are the registry contract's
 * (system/api/README.md); the JSON mapping rejects any other name rather
 * than guessing, so a new kind on the registry side shows up as a
 * validation error instead of a wrong label on a citizen's record.
 */
#include "core/model.h"

#include <stddef.h>
#include <string.h>

static const char *const encumbrance_names[ENC_KIND_COUNT] = {
    [ENC_MORTGAGE] = "mortgage",      [ENC_SEIZURE] = "seizure",     [ENC_OBJECTION] = "objection",
    [ENC_PREREG] = "preregistration", [ENC_RESIDENCE] = "residence",
};

int encumbrance_kind_parse(const char *s)
{
    if (!s)
        return -1;
    for (int k = 0; k < ENC_KIND_COUNT; k++)
        if (strcmp(s, encumbrance_names[k]) == 0)
            return k;
    return -1;
}

const char *encumbrance_kind_name(enum encumbrance_kind k)
{
    if ((int)k < 0 || k >= ENC_KIND_COUNT)
        return "unknown";
    return encumbrance_names[k];
}

const struct service_info *service_list_find(const struct service_list *l, const char *code)
{
    for (int i = 0; l && code && i < l->count; i++)
        if (strcmp(l->items[i].code, code) == 0)
            return &l->items[i];
    return NULL;
}
