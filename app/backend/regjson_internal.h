/* regjson_internal.h - what the pieces of the JSON mapping share inside
 * kiosk_backend: the parsing context and the checked getters of regjson.c
 * (each rejection names the field's path), the property record parser the
 * certificate reuses. Pure. Not for use outside app/backend.
 */
#ifndef BACKEND_REGJSON_INTERNAL_H
#define BACKEND_REGJSON_INTERNAL_H

#include "backend/regjson.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctx {
    char *detail;
    size_t size;
};

/* Writes "path.key: message" into the context's detail; returns ERR_BADREPLY. */
int fail(struct ctx *c, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- checked getters (regjson.c) ---- */

bool utf8_is_clean(const char *s, size_t len);
int put_value(struct ctx *c, const char *path, const char *key, const char *v, char *dst,
              size_t size, bool nonempty);
const cJSON *get_item(struct ctx *c, const cJSON *obj, const char *path, const char *key, int *rc);
int get_str(struct ctx *c, const cJSON *obj, const char *path, const char *key, char *dst,
            size_t size, bool nonempty);
int get_int(struct ctx *c, const cJSON *obj, const char *path, const char *key, int64_t *out,
            int64_t min, int64_t max);
const cJSON *get_typed(struct ctx *c, const cJSON *obj, const char *path, const char *key, int type,
                       int *rc);
void path_join(char *out, size_t size, const char *path, const char *key);
void tree_free(cJSON *root);
cJSON *parse_object(struct ctx *c, const char *body, size_t len, int *rc);

/* ---- property records (regjson_properties.c) ---- */

int parse_items(struct ctx *c, const cJSON *o, struct property_list *list);

#endif
