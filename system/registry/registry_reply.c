/* registry_reply.c - the pieces every endpoint of bdc-registry uses:
 * JSON and problem+json replies, the clock in China Standard Time, random
 * bytes and codes, request headers, the visit behind a bearer token.
 * Runs on libmicrohttpd's threads, under the registry's lock.
 */
#include "registry/registry_internal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define PROBLEM_PREFIX "urn:bdc:problem:"

/* Verify codes and certificate numbers: no 0/O, 1/I (read aloud, typed). */
static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/* ---- replies -------------------------------------------------------------- */

void reply_text(struct reply *r, int status, const char *ctype, const char *text)
{
    r->status = status;
    r->ctype = ctype;
    r->len = text ? strlen(text) : 0;
    r->body = text ? strdup(text) : NULL;
    if (text && !r->body) {
        r->status = 503;
        r->len = 0;
    }
}

/* Takes j. */
void reply_json(struct reply *r, int status, cJSON *j)
{
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!s) {
        reply_text(r, 503, "application/problem+json",
                   "{\"type\":\"" PROBLEM_PREFIX "unavailable\",\"title\":\"登记系统暂时无法服务，"
                   "请稍后再试\",\"status\":503,\"detail\":\"out of memory\"}");
        return;
    }
    r->status = status;
    r->ctype = "application/json";
    r->body = s;
    r->len = strlen(s);
}

void reply_problem(struct reply *r, enum registry_problem p, const char *detail)
{
    reply_problem_titled(r, p, NULL, detail);
}

void reply_problem_titled(struct reply *r, enum registry_problem p, const char *title,
                          const char *detail)
{
    char type[64];
    snprintf(type, sizeof type, PROBLEM_PREFIX "%s", registry_problem_type(p));
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "type", type);
    cJSON_AddStringToObject(j, "title", title ? title : registry_problem_title(p));
    cJSON_AddNumberToObject(j, "status", registry_problem_status(p));
    cJSON_AddStringToObject(j, "detail", detail ? detail : "");
    reply_json(r, registry_problem_status(p), j);
    if (r->status == registry_problem_status(p))
        r->ctype = "application/problem+json";
}

void reply_fini(struct reply *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* ---- small helpers ---------------------------------------------------------- */

void now_iso(char *out, unsigned size)
{
    clock_format_iso(clock_wall_s(), out, size);
}

int today_ymd(void)
{
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    return c.year * 10000 + c.month * 100 + c.day;
}

int random_bytes(void *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = getrandom((char *)p + got, n - got, 0);
        if (k <= 0)
            return ERR_IO;
        got += (size_t)k;
    }
    return 0;
}

/* n characters of code_alphabet; 256 is a multiple of 32, so no bias. */
int random_code(char *out, size_t n)
{
    unsigned char raw[32];
    if (n > sizeof raw || random_bytes(raw, n) < 0)
        return ERR_IO;
    for (size_t i = 0; i < n; i++)
        out[i] = code_alphabet[raw[i] & 31];
    out[n] = '\0';
    return 0;
}

const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

const char *col(struct store_stmt *st, int i)
{
    const char *s = store_column_text(st, i);
    return s ? s : "";
}

/* Finds the visit of the bearer token. PROB_NONE, PROB_SESSION_EXPIRED or
 * PROB_UNAVAILABLE. */
enum registry_problem bearer(struct call *c, struct visit *v)
{
    memset(v, 0, sizeof *v);
    const char *auth = header(c->conn, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!auth || strncmp(auth, "Bearer ", 7) != 0 || !auth[7])
        return PROB_SESSION_EXPIRED;
    struct store_stmt *st = NULL;
    enum registry_problem p = PROB_SESSION_EXPIRED;
    if (store_prepare(c->reg->db,
                      "SELECT id_number, name_masked, id_masked, expires_at FROM sessions"
                      " WHERE token = ? AND kiosk = ?",
                      &st) != 0)
        return PROB_UNAVAILABLE;
    store_bind_text(st, 1, auth + 7);
    store_bind_text(st, 2, c->kiosk);
    if (store_step(st) == STORE_ROW && store_column_int64(st, 3) > clock_wall_s()) {
        str_copy(v->id_number, sizeof v->id_number, col(st, 0));
        str_copy(v->name_masked, sizeof v->name_masked, col(st, 1));
        str_copy(v->id_masked, sizeof v->id_masked, col(st, 2));
        p = PROB_NONE;
    }
    store_finalize(st);
    return p;
}

bool visit_or_reply(struct call *c, struct reply *r, struct visit *v)
{
    enum registry_problem p = bearer(c, v);
    if (p != PROB_NONE)
        reply_problem(r, p, "bearer token unknown or expired");
    return p == PROB_NONE;
}

cJSON *requester_json(const struct visit *v)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "name_masked", v->name_masked);
    cJSON_AddStringToObject(j, "id_number_masked", v->id_masked);
    return j;
}

/* ---- numbers ---------------------------------------------------------------- */

/* Parses a non-negative decimal of at most 6 digits; -1 if not one. */
int small_number(const char *s)
{
    if (!s || !*s || strlen(s) > 6)
        return -1;
    int n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        n = n * 10 + (*s - '0');
    }
    return n;
}

void html_escape(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            buf_append_str(b, "&lt;");
            break;
        case '>':
            buf_append_str(b, "&gt;");
            break;
        case '&':
            buf_append_str(b, "&amp;");
            break;
        case '"':
            buf_append_str(b, "&quot;");
            break;
        case '\'':
            buf_append_str(b, "&#39;");
            break;
        default:
            buf_append(b, s, 1);
        }
    }
}

const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}
