/* registry_services.c - reads the hall's services from their data file
 * (see registry_services.h and the comment at the top of
 * assets/registry/services.ini). Runs on whichever thread first asks; the
 * shared copy is built once under pthread_once and read-only after.
 */
#include "registry/registry_services.h"

#include "base/datafile.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <ini.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parse {
    struct registry_services *s;
    struct registry_service *cur;
    char section[64];
    char why[160];
};

/* A refused line: its reason kept for the error message. */
#define bad(p, ...) datafile_bad((p)->why, sizeof(p)->why, __VA_ARGS__)

/* A decimal 0..max, or -1. */
static int number(const char *s, int max)
{
    if (!s[0] || strlen(s) > 9)
        return -1;
    long n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        n = n * 10 + (*s - '0');
    }
    return n <= max ? (int)n : -1;
}

static int yes_no(const char *v, bool *out)
{
    if (strcmp(v, "yes") == 0)
        *out = true;
    else if (strcmp(v, "no") == 0)
        *out = false;
    else
        return -1;
    return 0;
}

static int on_service(struct parse *p, const char *name, const char *value)
{
    struct registry_service *s = p->cur;
    struct {
        const char *key;
        char *dst;
        size_t size;
    } texts[] = {
        {"name", s->name, sizeof s->name},
        {"summary", s->summary, sizeof s->summary},
        {"windows", s->windows, sizeof s->windows},
        {"time_limit", s->time_limit, sizeof s->time_limit},
    };
    for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
        if (strcmp(name, texts[i].key) != 0)
            continue;
        if (!value[0] || !str_copy(texts[i].dst, texts[i].size, value))
            return bad(p, "%s is empty or too long", name);
        return 1;
    }
    if (strcmp(name, "letter") == 0) {
        if (strlen(value) != 1 || value[0] < 'A' || value[0] > 'Z' || value[0] == 'I' ||
            value[0] == 'O')
            return bad(p, "letter must be one capital, not I or O");
        str_copy(s->prefix, sizeof s->prefix, value);
    } else if (strcmp(name, "limit") == 0) {
        char unit[16] = "";
        int n = 0;
        const char *sp = strchr(value, ' ');
        if (sp && (size_t)(sp - value) < 8) {
            char digits[8];
            memcpy(digits, value, (size_t)(sp - value));
            digits[sp - value] = '\0';
            n = number(digits, 999);
            str_copy(unit, sizeof unit, sp + 1);
        }
        if (n < 1 || (strcmp(unit, "hours") != 0 && strcmp(unit, "working_days") != 0))
            return bad(p, "limit must be VALUE hours or VALUE working_days");
        s->limit_value = n;
        str_copy(s->limit_unit, sizeof s->limit_unit, unit);
    } else if (strcmp(name, "pace") == 0) {
        if ((s->minutes = number(value, 240)) < 1)
            return bad(p, "pace must be 1 to 240 minutes");
    } else if (strcmp(name, "capacity") == 0) {
        if ((s->capacity = number(value, 99)) < 0)
            return bad(p, "capacity must be 0 to 99");
    } else if (strcmp(name, "bookable") == 0) {
        if (yes_no(value, &s->bookable) < 0)
            return bad(p, "bookable must be yes or no");
    } else if (strcmp(name, "walk_in") == 0) {
        if (yes_no(value, &s->walk_in) < 0)
            return bad(p, "walk_in must be yes or no");
    } else if (strcmp(name, "material") == 0) {
        if (s->material_count >= REGISTRY_MATERIALS_MAX || !value[0] ||
            !str_copy(s->materials[s->material_count], sizeof s->materials[0], value))
            return bad(p, "at most %d materials of a line each", REGISTRY_MATERIALS_MAX);
        s->material_count++;
    } else if (strcmp(name, "fee") == 0) {
        const char *sp = strchr(value, ' ');
        char digits[12] = "";
        if (sp && (size_t)(sp - value) < sizeof digits) {
            memcpy(digits, value, (size_t)(sp - value));
            digits[sp - value] = '\0';
        }
        int fen = number(digits, 100000000);
        if (s->fee_count >= REGISTRY_FEES_MAX || fen < 0 || !sp || !sp[1] ||
            !str_copy(s->fees[s->fee_count].item, sizeof s->fees[0].item, sp + 1))
            return bad(p, "fee must be AMOUNT_FEN ITEM, at most %d", REGISTRY_FEES_MAX);
        s->fees[s->fee_count++].amount_fen = fen;
    } else if (strcmp(name, "fee_waiver") == 0) {
        if (s->waiver_count >= REGISTRY_WAIVERS_MAX || !value[0] ||
            !str_copy(s->fee_waivers[s->waiver_count], sizeof s->fee_waivers[0], value))
            return bad(p, "at most %d fee waivers", REGISTRY_WAIVERS_MAX);
        s->waiver_count++;
    } else {
        return bad(p, "unknown key %s", name);
    }
    return 1;
}

/* A service code: 1..23 of [a-z_]. */
static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
            return false;
    return n >= 1 && n < sizeof(((struct registry_service *)0)->code);
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    if (p->why[0])
        return 0; /* keep the first error */
    if (strcmp(section, p->section) != 0) {
        str_copy(p->section, sizeof p->section, section);
        if (strncmp(section, "service ", 8) != 0 || !code_ok(section + 8))
            return bad(p, "[%s]: sections are [service CODE]", section);
        for (int i = 0; i < p->s->count; i++)
            if (strcmp(p->s->items[i].code, section + 8) == 0)
                return bad(p, "service %s twice", section + 8);
        if (p->s->count >= REGISTRY_SERVICES_MAX)
            return bad(p, "more than %d services", REGISTRY_SERVICES_MAX);
        p->cur = &p->s->items[p->s->count++];
        str_copy(p->cur->code, sizeof p->cur->code, section + 8);
    }
    return on_service(p, name, value);
}

static int check_complete(const struct registry_services *s, char *why, size_t size)
{
    if (s->count == 0) {
        snprintf(why, size, "no [service] sections");
        return ERR_INVALID;
    }
    for (int i = 0; i < s->count; i++) {
        const struct registry_service *x = &s->items[i];
        if (!x->prefix[0] || !x->name[0] || !x->summary[0] || !x->windows[0] || !x->limit_unit[0] ||
            !x->time_limit[0] || x->minutes < 1) {
            snprintf(why, size,
                     "service %s lacks letter, name, summary, windows, limit, time_limit or pace",
                     x->code);
            return ERR_INVALID;
        }
        if (x->bookable && x->capacity < 1) {
            snprintf(why, size, "service %s is bookable with no capacity", x->code);
            return ERR_INVALID;
        }
        for (int k = 0; k < i; k++) {
            if (strcmp(s->items[k].prefix, x->prefix) == 0) {
                snprintf(why, size, "services %s and %s share a letter", s->items[k].code, x->code);
                return ERR_INVALID;
            }
        }
    }
    return 0;
}

const char *registry_services_path(char *buf, size_t size)
{
    return datafile_path(buf, size, "registry/services.ini", REGISTRY_ASSETS_DIR "/services.ini");
}

int registry_services_parse_file(const char *path, struct registry_services *out, char *why,
                                 size_t why_size)
{
    memset(out, 0, sizeof *out);
    struct parse p = {.s = out};
    int line = ini_parse(path, on_entry, &p);
    int rc = datafile_ini_result(line, p.why, why, why_size);
    if (rc)
        return rc;
    return check_complete(out, why, why_size);
}

/* ---- the shared copy ------------------------------------------------------------ */

static struct registry_services shared;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void load_shared(void)
{
    char buf[512], why[200];
    const char *path = registry_services_path(buf, sizeof buf);
    if (registry_services_parse_file(path, &shared, why, sizeof why) < 0) {
        log_err("registry", "services file %s: %s", path, why);
        memset(&shared, 0, sizeof shared);
    }
}

bool registry_services_available(void)
{
    return registry_service_count() > 0;
}

int registry_service_count(void)
{
    pthread_once(&shared_once, load_shared);
    return shared.count;
}

const struct registry_service *registry_service_at(int i)
{
    return i >= 0 && i < registry_service_count() ? &shared.items[i] : NULL;
}

const struct registry_service *registry_service_find(const char *code)
{
    for (int i = 0; code && i < registry_service_count(); i++)
        if (strcmp(shared.items[i].code, code) == 0)
            return &shared.items[i];
    return NULL;
}
