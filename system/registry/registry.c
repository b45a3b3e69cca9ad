/* registry.c - the HTTP side of bdc-registry: routing, kiosk
 * authentication, idempotency, and one handler per endpoint of
 * system/api/README.md.
 *
 * DESIGN: libmicrohttpd calls access() on its one internal thread, first
 * with no data, then with each chunk of the body, then once more with
 * none; the body collects in a struct buf capped at 1 MiB (wiped when the
 * connection completes, since it may hold a face image), and the last call
 * dispatches. A write runs through the idempotency table first: a repeat
 * of (kiosk, key) with the same fingerprint gets the stored reply, with
 * another fingerprint a 409; otherwise the handler runs and its reply is
 * stored (unless it is a 5xx, which the kiosk should be free to retry).
 *
 * The face comparison is a stand-in: the reference registry has no
 * national photo record. It checks the card, consent and liveness, then
 * answers from the demo citizen's flag (or "match" for anyone else whose
 * liveness passed), and drops the image before it answers.
 */
#include "registry/registry.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "demo/demo.h"
#include "registry/registry_db.h"
#include "registry/registry_req.h"
#include "registry/registry_tickets.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define BODY_MAX             (1024 * 1024)
#define IDEMPOTENCY_WINDOW_S (24 * 3600)
#define OFFICE               "焦作市不动产登记中心"
#define PROBLEM_PREFIX       "urn:bdc:problem:"

/* Verify codes and certificate numbers: no 0/O, 1/I (read aloud, typed). */
static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

struct registry {
    struct MHD_Daemon *daemon;
    sqlite3 *db;
    int port;
    int ttl_s;
    char url[96];
    char public_url[256];
};

/* Per connection: the body as it arrives. */
struct request {
    struct buf body;
    bool too_big;
};

struct reply {
    int status;
    const char *ctype; /* static string */
    char *body;        /* owned, malloc'd; may be NULL for an empty body */
    size_t len;
    const char *allow; /* Allow header for 405 */
};

struct call {
    struct registry *reg;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *body;
    size_t len;
    char kiosk[65];
};

/* The citizen behind a bearer token. */
struct visit {
    char id_number[24];
    char name_masked[64];
    char id_masked[24];
};

/* ---- replies -------------------------------------------------------------- */

static void reply_text(struct reply *r, int status, const char *ctype, const char *text)
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
static void reply_json(struct reply *r, int status, cJSON *j)
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

static void reply_problem(struct reply *r, enum registry_problem p, const char *detail)
{
    char type[64];
    snprintf(type, sizeof type, PROBLEM_PREFIX "%s", registry_problem_type(p));
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "type", type);
    cJSON_AddStringToObject(j, "title", registry_problem_title(p));
    cJSON_AddNumberToObject(j, "status", registry_problem_status(p));
    cJSON_AddStringToObject(j, "detail", detail ? detail : "");
    reply_json(r, registry_problem_status(p), j);
    if (r->status == registry_problem_status(p))
        r->ctype = "application/problem+json";
}

static void reply_fini(struct reply *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* ---- small helpers ---------------------------------------------------------- */

static void now_iso(char *out, unsigned size)
{
    clock_format_iso(clock_wall_s(), out, size);
}

static int today_ymd(void)
{
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    return c.year * 10000 + c.month * 100 + c.day;
}

static int random_bytes(void *p, size_t n)
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
static int random_code(char *out, size_t n)
{
    unsigned char raw[32];
    if (n > sizeof raw || random_bytes(raw, n) < 0)
        return ERR_IO;
    for (size_t i = 0; i < n; i++)
        out[i] = code_alphabet[raw[i] & 31];
    out[n] = '\0';
    return 0;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static bool is_loopback(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return false;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
               (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127);
    }
    return false;
}

/* FNV-1a 64 over the parts that make two writes "the same request". Not a
 * defence against a hostile kiosk (kiosks are authenticated); it keeps the
 * face image out of the table while still telling bodies apart. */
static void fingerprint(const struct call *c, const char *auth, char out[17])
{
    uint64_t h = 1469598103934665603ull;
    const char *parts[] = {c->method, c->path, auth ? auth : ""};
    for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
        for (const char *p = parts[i]; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ull;
        h = (h ^ 0xFF) * 1099511628211ull;
    }
    for (size_t i = 0; i < c->len; i++)
        h = (h ^ (unsigned char)c->body[i]) * 1099511628211ull;
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

/* Finds the visit of the bearer token. PROB_NONE, PROB_SESSION_EXPIRED or
 * PROB_UNAVAILABLE. */
static enum registry_problem bearer(struct call *c, struct visit *v)
{
    memset(v, 0, sizeof *v);
    const char *auth = header(c->conn, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!auth || strncmp(auth, "Bearer ", 7) != 0 || !auth[7])
        return PROB_SESSION_EXPIRED;
    sqlite3_stmt *st = NULL;
    enum registry_problem p = PROB_SESSION_EXPIRED;
    if (sqlite3_prepare_v2(c->reg->db,
                           "SELECT id_number, name_masked, id_masked, expires_at FROM sessions"
                           " WHERE token = ? AND kiosk = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return PROB_UNAVAILABLE;
    sqlite3_bind_text(st, 1, auth + 7, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, c->kiosk, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 3) > clock_wall_s()) {
        str_copy(v->id_number, sizeof v->id_number, col(st, 0));
        str_copy(v->name_masked, sizeof v->name_masked, col(st, 1));
        str_copy(v->id_masked, sizeof v->id_masked, col(st, 2));
        p = PROB_NONE;
    }
    sqlite3_finalize(st);
    return p;
}

static cJSON *requester_json(const struct visit *v)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "name_masked", v->name_masked);
    cJSON_AddStringToObject(j, "id_number_masked", v->id_masked);
    return j;
}

/* ---- GET /v1/health --------------------------------------------------------- */

static void on_health(struct call *c, struct reply *r)
{
    (void)c;
    char now[32];
    now_iso(now, sizeof now);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "status", "ok");
    cJSON_AddStringToObject(j, "time", now);
    reply_json(r, 200, j);
}

/* ---- POST /v1/sessions ------------------------------------------------------ */

static void on_session_open(struct call *c, struct reply *r)
{
    struct registry_session_req q;
    char detail[128] = "";
    enum registry_problem p =
        registry_req_parse_session(c->body, c->len, &q, detail, sizeof detail);
    if (p == PROB_NONE)
        p = registry_req_check_card(&q.card, today_ymd(), detail, sizeof detail);
    if (p == PROB_NONE && !q.consent) {
        p = PROB_FACE_CONSENT_MISSING;
        snprintf(detail, sizeof detail, "face.consent is false");
    }
    if (p == PROB_NONE && !q.liveness_passed) {
        p = PROB_LIVENESS_FAILED;
        snprintf(detail, sizeof detail, "kiosk liveness check did not pass");
    }
    if (p == PROB_NONE) {
        /* The stand-in comparison. A demo number with another name is a
         * card the population record does not know. */
        int i = demo_citizen_find(q.card.id_number);
        struct demo_citizen d;
        if (i >= 0 && demo_citizen_get(i, &d)) {
            if (strcmp(d.name, q.card.name) != 0) {
                p = PROB_CARD_INVALID;
                snprintf(detail, sizeof detail, "card fields disagree with the population record");
            } else if (d.face == DEMO_FACE_NO_MATCH) {
                p = PROB_FACE_NO_MATCH;
                snprintf(detail, sizeof detail, "stand-in comparison: no match for this card");
            } else if (d.face == DEMO_FACE_UNAVAILABLE) {
                p = PROB_FACE_UNAVAILABLE;
                snprintf(detail, sizeof detail, "stand-in comparison: service down for this card");
            }
            explicit_bzero(&d, sizeof d);
        }
    }
    if (p != PROB_NONE) {
        explicit_bzero(&q, sizeof q);
        reply_problem(r, p, detail);
        return;
    }

    struct visit v;
    memset(&v, 0, sizeof v);
    str_copy(v.id_number, sizeof v.id_number, q.card.id_number);
    mask_name(q.card.name, v.name_masked, sizeof v.name_masked);
    mask_id(q.card.id_number, v.id_masked, sizeof v.id_masked);
    explicit_bzero(&q, sizeof q);

    unsigned char raw[16];
    char token[40] = "s_";
    if (random_bytes(raw, sizeof raw) < 0) {
        reply_problem(r, PROB_UNAVAILABLE, "no randomness");
        return;
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(token + 2 + 2 * i, 3, "%02x", raw[i]);
    int64_t expires = clock_wall_s() + c->reg->ttl_s;
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(c->reg->db, "INSERT INTO sessions VALUES(?,?,?,?,?,?)", -1, &st,
                                NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, c->kiosk, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, v.id_number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, v.name_masked, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, v.id_masked, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 6, expires);
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    sqlite3_finalize(st);
    if (!ok) {
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the session");
        return;
    }
    char exp[32];
    clock_format_iso(expires, exp, sizeof exp);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "session_token", token);
    cJSON_AddStringToObject(j, "expires_at", exp);
    cJSON_AddStringToObject(j, "verdict", "match");
    cJSON_AddItemToObject(j, "citizen", requester_json(&v));
    reply_json(r, 201, j);
    log_info("registry", "kiosk %s opened a visit", c->kiosk);
}

/* ---- DELETE /v1/sessions/current -------------------------------------------- */

static void on_session_close(struct call *c, struct reply *r)
{
    struct visit v;
    enum registry_problem p = bearer(c, &v);
    if (p != PROB_NONE) {
        reply_problem(r, p, "bearer token unknown or expired");
        return;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->reg->db, "DELETE FROM sessions WHERE token = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, header(c->conn, MHD_HTTP_HEADER_AUTHORIZATION) + 7, -1,
                          SQLITE_TRANSIENT);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    reply_text(r, 204, "application/json", NULL);
}

/* ---- GET /v1/properties ----------------------------------------------------- */

/* Parses a non-negative decimal of at most 6 digits; -1 if not one. */
static int small_number(const char *s)
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

static void on_properties(struct call *c, struct reply *r)
{
    struct visit v;
    enum registry_problem p = bearer(c, &v);
    if (p != PROB_NONE) {
        reply_problem(r, p, "bearer token unknown or expired");
        return;
    }
    const char *ls = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "limit");
    const char *cs = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "cursor");
    int limit = ls ? small_number(ls) : 50;
    if (limit < 1) {
        reply_problem(r, PROB_BAD_REQUEST, "limit must be a positive integer");
        return;
    }
    if (limit > 100)
        limit = 100;
    /* The cursor is opaque to the kiosk: "o" and the offset of the page. */
    int offset = 0;
    if (cs && *cs && (cs[0] != 'o' || (offset = small_number(cs + 1)) < 0)) {
        reply_problem(r, PROB_BAD_REQUEST, "cursor is not one this registry gave");
        return;
    }
    char now[32];
    now_iso(now, sizeof now);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "as_of", now);
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    bool more = false;
    int n = registry_db_properties(c->reg->db, v.id_number, offset, limit, false, items, &more);
    if (n < 0) {
        cJSON_Delete(j);
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    if (more) {
        char next[16];
        snprintf(next, sizeof next, "o%d", offset + n);
        cJSON_AddStringToObject(j, "next_cursor", next);
    } else {
        cJSON_AddNullToObject(j, "next_cursor");
    }
    reply_json(r, 200, j);
}

/* ---- POST /v1/certificates ---------------------------------------------------- */

static void on_certificate(struct call *c, struct reply *r)
{
    struct visit v;
    enum registry_problem p = bearer(c, &v);
    if (p != PROB_NONE) {
        reply_problem(r, p, "bearer token unknown or expired");
        return;
    }
    struct registry_cert_req q;
    char detail[128] = "";
    p = registry_req_parse_certificate(c->body, c->len, &q, detail, sizeof detail);
    if (p != PROB_NONE) {
        reply_problem(r, p, detail);
        return;
    }
    bool housing = strcmp(q.kind, "housing_count") == 0;
    char g[13], code[7], number[32], url[512], now[32], method[160];
    if (random_code(g, 12) < 0 || random_code(code, 6) < 0) {
        reply_problem(r, PROB_UNAVAILABLE, "no randomness");
        return;
    }
    snprintf(number, sizeof number, "%s-%.4s-%.4s-%.4s", housing ? "JZTC" : "JZCX", g, g + 4,
             g + 8);
    snprintf(url, sizeof url, "%s/v1/verify/%s?code=%s", c->reg->public_url, number, code);
    snprintf(method, sizeof method, "自助终端 %s · 身份证 + 人脸核验", c->kiosk);
    now_iso(now, sizeof now);

    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "number", number);
    cJSON_AddStringToObject(j, "verify_code", code);
    cJSON_AddStringToObject(j, "verify_url", url);
    cJSON_AddStringToObject(j, "issued_at", now);
    cJSON_AddStringToObject(j, "kind", q.kind);
    cJSON_AddStringToObject(j, "purpose", q.purpose);
    cJSON_AddStringToObject(j, "office", OFFICE);
    cJSON_AddItemToObject(j, "requester", requester_json(&v));
    cJSON_AddStringToObject(j, "query_method", method);
    cJSON_AddStringToObject(j, "as_of", now);
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    bool more = false;
    /* The proof states everything: no pagination, a citizen has at most
     * a few dozen records (and the kiosk holds at most 32). */
    int n = registry_db_properties(c->reg->db, v.id_number, 0, 100, housing, items, &more);
    if (n < 0) {
        cJSON_Delete(j);
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    cJSON_AddNumberToObject(j, "housing_count", housing ? n : 0);
    if (!housing) {
        /* count homes for the query proof too: one query serves both */
        cJSON *homes = cJSON_CreateArray();
        int h = registry_db_properties(c->reg->db, v.id_number, 0, 100, true, homes, &more);
        cJSON_Delete(homes);
        cJSON_ReplaceItemInObject(j, "housing_count", cJSON_CreateNumber(h < 0 ? 0 : h));
    }
    char *body = cJSON_PrintUnformatted(j);
    sqlite3_stmt *st = NULL;
    bool ok = body && sqlite3_prepare_v2(c->reg->db, "INSERT INTO certificates VALUES(?,?,?,?,?)",
                                         -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, c->kiosk, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, body, -1, SQLITE_TRANSIENT);
        ok = sqlite3_step(st) == SQLITE_DONE; /* a number collision fails here: 1 in 2^60 */
    }
    sqlite3_finalize(st);
    free(body);
    if (!ok) {
        cJSON_Delete(j);
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the certificate");
        return;
    }
    reply_json(r, 201, j);
    log_info("registry", "kiosk %s issued %s certificate %s", c->kiosk, q.kind, number);
}

/* ---- GET /v1/verify/{number}?code= ---------------------------------------------- */

static const char *enc_label(const char *kind)
{
    static const char *const map[][2] = {{"mortgage", "抵押"},
                                         {"seizure", "查封"},
                                         {"objection", "异议"},
                                         {"preregistration", "预告登记"},
                                         {"residence", "居住权"}};
    for (size_t i = 0; i < ARRAY_LEN(map); i++)
        if (strcmp(kind, map[i][0]) == 0)
            return map[i][1];
    return kind;
}

static void html_escape(struct buf *b, const char *s)
{
    for (; *s; s++) {
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

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

static const char html_head[] =
    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
    "<title>不动产登记证明核验</title><style>"
    "body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;"
    "margin:0;background:#f4f6f9;color:#1f2d3d}"
    "main{max-width:640px;margin:0 auto;padding:24px 16px}"
    "h1{font-size:20px;margin:0 0 16px}"
    ".ok{background:#e8f5ec;color:#17633a;border-radius:8px;padding:12px 16px;font-size:18px}"
    ".bad{background:#fdecec;color:#9b1c1c;border-radius:8px;padding:12px 16px;font-size:18px}"
    "dl{display:grid;grid-template-columns:7em 1fr;gap:8px 12px;background:#fff;"
    "border-radius:8px;padding:16px;margin:16px 0}dt{color:#5b6b7c}dd{margin:0}"
    "table{width:100%;border-collapse:collapse;background:#fff;border-radius:8px}"
    "td,th{padding:8px;border-bottom:1px solid #e5e9f0;text-align:left;font-size:14px}"
    "footer{color:#8492a6;font-size:12px;margin-top:24px}"
    "</style></head><body><main><h1>焦作市不动产登记中心 · 证明核验</h1>";

static void verify_html(struct reply *r, const cJSON *cert, bool found)
{
    struct buf b;
    buf_init(&b, 256 * 1024);
    buf_append_str(&b, html_head);
    if (!found) {
        buf_append_str(&b, "<p class=\"bad\">未找到该证明。请核对证明编号和核验码。</p>");
    } else {
        bool housing = strcmp(jstr(cert, "kind"), "housing_count") == 0;
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(cert, "requester");
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(cert, "items");
        buf_append_str(&b,
                       "<p class=\"ok\">✔ 该证明由本中心出具，内容如下（出具时的记录）。</p><dl>");
        const char *rows[][2] = {
            {"证明编号", jstr(cert, "number")},
            {"证明类型", housing ? "房屋套次查询证明" : "不动产登记信息查询结果证明"},
            {"出具时间", jstr(cert, "issued_at")},
            {"查询目的", jstr(cert, "purpose")},
            {"出具机构", jstr(cert, "office")},
            {"申请人", jstr(req, "name_masked")},
            {"证件号码", jstr(req, "id_number_masked")},
        };
        for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
            buf_append_str(&b, "<dt>");
            buf_append_str(&b, rows[i][0]);
            buf_append_str(&b, "</dt><dd>");
            html_escape(&b, rows[i][1]);
            buf_append_str(&b, "</dd>");
        }
        buf_printf(&b, "<dt>不动产数量</dt><dd>%d 处</dd></dl>", cJSON_GetArraySize(items));
        if (cJSON_GetArraySize(items) > 0) {
            buf_append_str(&b,
                           "<table><tr><th>不动产单元号</th><th>坐落</th><th>登记事项</th></tr>");
            const cJSON *it;
            cJSON_ArrayForEach(it, items)
            {
                buf_append_str(&b, "<tr><td>");
                html_escape(&b, jstr(it, "unit_number"));
                buf_append_str(&b, "</td><td>");
                html_escape(&b, jstr(it, "location"));
                buf_append_str(&b, "</td><td>");
                const cJSON *e, *encs = cJSON_GetObjectItemCaseSensitive(it, "encumbrances");
                int k = 0;
                cJSON_ArrayForEach(e, encs)
                {
                    if (k++)
                        buf_append_str(&b, "、");
                    html_escape(&b, enc_label(jstr(e, "kind")));
                }
                if (!k)
                    buf_append_str(&b, "无");
                buf_append_str(&b, "</td></tr>");
            }
            buf_append_str(&b, "</table>");
        } else {
            buf_append_str(&b, "<p>经查询，申请人名下无登记记录。</p>");
        }
    }
    buf_append_str(
        &b, "<footer>本页面仅用于核验证明真伪，信息已按规定脱敏。</footer></main></body></html>");
    if (buf_terminate(&b) < 0) {
        buf_fini(&b);
        reply_problem(r, PROB_UNAVAILABLE, "page too large");
        return;
    }
    reply_text(r, found ? 200 : 404, "text/html; charset=utf-8", (const char *)b.data);
    buf_fini(&b);
}

static void on_verify(struct call *c, struct reply *r)
{
    const char *number = c->path + strlen("/v1/verify/");
    const char *code = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "code");
    const char *accept = header(c->conn, MHD_HTTP_HEADER_ACCEPT);
    bool html = accept && strstr(accept, "text/html");
    cJSON *cert = NULL;
    sqlite3_stmt *st = NULL;
    if (code && strlen(number) < 32 && strlen(code) == 6 &&
        sqlite3_prepare_v2(c->reg->db, "SELECT code, body FROM certificates WHERE number = ?", -1,
                           &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            /* compare all six characters whatever the first mismatch */
            const char *want = col(st, 0);
            unsigned diff = strlen(want) != 6;
            for (int i = 0; i < 6 && !diff; i++)
                diff |= (unsigned)(want[i] ^ code[i]);
            if (!diff)
                cert = cJSON_Parse(col(st, 1));
        }
    }
    sqlite3_finalize(st);
    if (html) {
        verify_html(r, cert, cert != NULL);
        cJSON_Delete(cert);
        return;
    }
    if (!cert) {
        reply_problem(r, PROB_NOT_FOUND, "no certificate with this number and code");
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddTrueToObject(j, "valid");
    static const char *const keys[] = {"number", "kind", "issued_at", "purpose", "office"};
    for (size_t i = 0; i < ARRAY_LEN(keys); i++)
        cJSON_AddStringToObject(j, keys[i], jstr(cert, keys[i]));
    cJSON *req = cJSON_DetachItemFromObjectCaseSensitive(cert, "requester");
    cJSON_AddItemToObject(j, "requester", req ? req : cJSON_CreateObject());
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(cert, "items");
    cJSON_AddNumberToObject(j, "property_count", cJSON_GetArraySize(items));
    const cJSON *hc = cJSON_GetObjectItemCaseSensitive(cert, "housing_count");
    cJSON_AddNumberToObject(j, "housing_count", cJSON_IsNumber(hc) ? hc->valuedouble : 0);
    cJSON *out = cJSON_AddArrayToObject(j, "items");
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "unit_number", jstr(it, "unit_number"));
        cJSON_AddStringToObject(o, "location", jstr(it, "location"));
        cJSON *kinds = cJSON_AddArrayToObject(o, "encumbrances");
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(it, "encumbrances"))
            cJSON_AddItemToArray(kinds, cJSON_CreateString(jstr(e, "kind")));
        cJSON_AddItemToArray(out, o);
    }
    cJSON_Delete(cert);
    reply_json(r, 200, j);
}

/* ---- POST /v1/ratings --------------------------------------------------------- */

static void on_rating(struct call *c, struct reply *r)
{
    struct registry_rating_req q;
    char detail[128] = "";
    enum registry_problem p = registry_req_parse_rating(c->body, c->len, &q, detail, sizeof detail);
    if (p != PROB_NONE) {
        reply_problem(r, p, detail);
        return;
    }
    /* A rating without a visit is allowed; an unknown or ended token just
     * means the rating is not tied to a visit. */
    struct visit v;
    bool with_visit = bearer(c, &v) == PROB_NONE;
    cJSON *reasons = cJSON_CreateArray();
    for (int i = 0; i < q.reason_count; i++)
        cJSON_AddItemToArray(reasons, cJSON_CreateString(q.reasons[i]));
    char *rs = cJSON_PrintUnformatted(reasons);
    cJSON_Delete(reasons);
    sqlite3_stmt *st = NULL;
    bool ok = rs && sqlite3_prepare_v2(c->reg->db,
                                       "INSERT INTO ratings(kiosk, level, service, reasons,"
                                       " with_visit, created_at) VALUES(?,?,?,?,?,?)",
                                       -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_text(st, 1, c->kiosk, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, q.level);
        sqlite3_bind_text(st, 3, q.service, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, rs, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 5, with_visit);
        sqlite3_bind_int64(st, 6, clock_wall_s());
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    sqlite3_finalize(st);
    free(rs);
    if (!ok) {
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the rating");
        return;
    }
    char id[32];
    snprintf(id, sizeof id, "r-%06lld", (long long)sqlite3_last_insert_rowid(c->reg->db));
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", id);
    reply_json(r, 201, j);
}

/* ---- POST /v1/tickets (registry_tickets.c) ----------------------------------------- */

static void on_ticket(struct call *c, struct reply *r)
{
    struct registry_ticket_req q;
    char detail[128] = "";
    cJSON *j = NULL;
    enum registry_problem p = registry_ticket_parse(c->body, c->len, &q, detail, sizeof detail);
    if (p == PROB_NONE)
        p = registry_ticket_issue(c->reg->db, c->kiosk, c->reg->public_url, &q, clock_wall_s(), &j,
                                  detail, sizeof detail);
    if (p != PROB_NONE)
        reply_problem(r, p, detail);
    else
        reply_json(r, 201, j);
}

/* ---- routing ------------------------------------------------------------------ */

typedef void (*handler_fn)(struct call *c, struct reply *r);

static const struct route {
    const char *method;
    const char *path; /* exact, or a prefix when it ends in '/' */
    handler_fn fn;
    bool kiosk; /* X-Kiosk-Id required */
    bool write; /* Idempotency-Key required */
} routes[] = {
    {"GET", "/v1/health", on_health, false, false},
    {"POST", "/v1/sessions", on_session_open, true, true},
    {"DELETE", "/v1/sessions/current", on_session_close, true, true},
    {"GET", "/v1/properties", on_properties, true, false},
    {"POST", "/v1/certificates", on_certificate, true, true},
    {"GET", "/v1/verify/", on_verify, false, false},
    {"POST", "/v1/ratings", on_rating, true, true},
    {"POST", "/v1/tickets", on_ticket, true, true},
};

static bool path_matches(const char *pattern, const char *path)
{
    size_t n = strlen(pattern);
    if (pattern[n - 1] == '/')
        return strncmp(path, pattern, n) == 0 && path[n] && !strchr(path + n, '/');
    return strcmp(pattern, path) == 0;
}

/* Looks up a stored answer. Returns 1 (replayed into r), 0 (none), or a
 * negative error; sets r to a 409 problem on a fingerprint mismatch. */
static int idem_lookup(struct call *c, const char *key, const char *fp, struct reply *r)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(c->reg->db,
                           "SELECT fingerprint, status, content_type, body FROM idempotency"
                           " WHERE kiosk = ? AND key = ? AND created_at > ?",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_IO;
    sqlite3_bind_text(st, 1, c->kiosk, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, clock_wall_s() - IDEMPOTENCY_WINDOW_S);
    if (sqlite3_step(st) == SQLITE_ROW) {
        rc = 1;
        if (strcmp(col(st, 0), fp) != 0) {
            reply_problem(r, PROB_IDEMPOTENCY_CONFLICT,
                          "Idempotency-Key reused with a different request");
        } else {
            const char *ct = col(st, 2);
            int n = sqlite3_column_bytes(st, 3);
            r->status = sqlite3_column_int(st, 1);
            r->ctype = strcmp(ct, "application/problem+json") == 0 ? "application/problem+json"
                       : strncmp(ct, "text/html", 9) == 0          ? "text/html; charset=utf-8"
                                                                   : "application/json";
            r->len = (size_t)n;
            r->body = n > 0 ? malloc((size_t)n) : NULL;
            if (n > 0 && !r->body)
                rc = ERR_NOMEM;
            else if (n > 0)
                memcpy(r->body, sqlite3_column_blob(st, 3), (size_t)n);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static void idem_store(struct call *c, const char *key, const char *fp, const struct reply *r)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->reg->db, "INSERT OR REPLACE INTO idempotency VALUES(?,?,?,?,?,?,?)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, c->kiosk, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, fp, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 4, r->status);
        sqlite3_bind_text(st, 5, r->ctype ? r->ctype : "", -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 6, r->body ? r->body : "", (int)r->len, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 7, clock_wall_s());
        if (sqlite3_step(st) != SQLITE_DONE)
            log_warn("registry", "cannot store an idempotent reply: %s",
                     sqlite3_errmsg(c->reg->db));
    }
    sqlite3_finalize(st);
}

static void housekeeping(struct registry *reg)
{
    char sql[160];
    long long now = (long long)clock_wall_s();
    snprintf(sql, sizeof sql,
             "DELETE FROM sessions WHERE expires_at <= %lld;"
             "DELETE FROM idempotency WHERE created_at <= %lld;",
             now, now - IDEMPOTENCY_WINDOW_S);
    registry_db_exec(reg->db, sql);
}

static void dispatch(struct call *c, bool too_big, struct reply *r)
{
    const struct route *rt = NULL;
    bool path_known = false;
    for (size_t i = 0; i < ARRAY_LEN(routes); i++) {
        if (!path_matches(routes[i].path, c->path))
            continue;
        path_known = true;
        if (strcmp(routes[i].method, c->method) == 0)
            rt = &routes[i];
        else
            r->allow = routes[i].method;
    }
    if (!rt) {
        if (path_known) {
            reply_problem(r, PROB_METHOD_NOT_ALLOWED, "method not allowed on this path");
        } else {
            r->allow = NULL;
            reply_problem(r, PROB_NOT_FOUND, "no such resource");
        }
        return;
    }
    r->allow = NULL;
    if (too_big) {
        reply_problem(r, PROB_PAYLOAD_TOO_LARGE, "request body over 1 MiB");
        return;
    }
    if (rt->kiosk) {
        const char *k = header(c->conn, "X-Kiosk-Id");
        if (!k || !registry_req_is_token(k) || !is_loopback(c->conn)) {
            reply_problem(r, PROB_UNAUTHENTICATED,
                          "X-Kiosk-Id missing or malformed, or not from loopback");
            return;
        }
        str_copy(c->kiosk, sizeof c->kiosk, k);
    }
    if (!rt->write) {
        rt->fn(c, r);
        return;
    }
    const char *key = header(c->conn, "Idempotency-Key");
    if (!key || !registry_req_is_token(key)) {
        reply_problem(r, PROB_BAD_REQUEST, "Idempotency-Key missing or malformed");
        return;
    }
    char fp[17];
    fingerprint(c, header(c->conn, MHD_HTTP_HEADER_AUTHORIZATION), fp);
    int found = idem_lookup(c, key, fp, r);
    if (found < 0) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    if (found)
        return;
    if (rt->fn == on_session_open)
        housekeeping(c->reg);
    rt->fn(c, r);
    if (r->status < 500)
        idem_store(c, key, fp, r);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, const struct reply *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->len, r->body ? r->body : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    if (r->len || r->status != 204)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **con_cls)
{
    (void)version;
    struct registry *reg = cls;
    struct request *req = *con_cls;
    if (!req) {
        req = calloc(1, sizeof *req);
        if (!req)
            return MHD_NO;
        buf_init(&req->body, BODY_MAX);
        *con_cls = req;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!req->too_big && buf_append(&req->body, upload, *upload_size) < 0) {
            req->too_big = true;
            buf_reset(&req->body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    struct call c = {.reg = reg,
                     .conn = conn,
                     .method = method,
                     .path = url,
                     .body = (const char *)req->body.data,
                     .len = req->body.len};
    struct reply r = {0};
    dispatch(&c, req->too_big, &r);
    if (r.status >= 500)
        log_warn("registry", "%s %s -> %d", method,
                 strncmp(url, "/v1/verify/", 11) ? url : "/v1/verify/…", r.status);
    enum MHD_Result ret = send_reply(conn, &r);
    reply_fini(&r);
    return ret;
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)conn;
    (void)code;
    struct request *req = *con_cls;
    if (req) {
        buf_fini(&req->body); /* wipes: the body may have held a face image */
        free(req);
        *con_cls = NULL;
    }
}

/* ---- start / stop --------------------------------------------------------------- */

static int parse_listen(const char *s, struct sockaddr_in *sa, char *host, size_t host_size)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= host_size)
        return ERR_INVALID;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    if (strcmp(host, "localhost") == 0)
        str_copy(host, host_size, "127.0.0.1");
    int port = small_number(colon + 1);
    if (port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return ERR_INVALID;
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

int registry_start(const struct registry_config *cfg, struct registry **out)
{
    *out = NULL;
    struct registry *reg = calloc(1, sizeof *reg);
    if (!reg)
        return ERR_NOMEM;
    reg->ttl_s = cfg->token_ttl_s > 0 ? cfg->token_ttl_s : 900;
    struct sockaddr_in sa;
    char host[64];
    int rc = parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:0", &sa, host, sizeof host);
    if (rc < 0) {
        log_err("registry", "listen address must be HOST:PORT (IPv4)");
        goto fail;
    }
    rc = registry_db_open(cfg->db_path ? cfg->db_path : "./bdc-registry.sqlite", &reg->db);
    if (rc < 0)
        goto fail;
    if (cfg->seed) {
        rc = registry_db_seed(reg->db);
        if (rc < 0)
            goto fail;
        if (rc > 0)
            log_info("registry", "seeded %d demo properties", rc);
    }
    /* The socket is bound here, before the daemon's thread starts, so the
     * URLs that requests read are written before any request can arrive. */
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    socklen_t salen = sizeof sa;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &salen) != 0) {
        log_err("registry", "cannot listen on %s", cfg->listen ? cfg->listen : "127.0.0.1:0");
        if (fd >= 0)
            close(fd);
        rc = ERR_NETWORK;
        goto fail;
    }
    reg->port = ntohs(sa.sin_port);
    /* A wildcard bind is reached on loopback by the kiosk on this machine. */
    snprintf(reg->url, sizeof reg->url, "http://%s:%d",
             strcmp(host, "0.0.0.0") == 0 ? "127.0.0.1" : host, reg->port);
    str_copy(reg->public_url, sizeof reg->public_url,
             cfg->public_url && cfg->public_url[0] ? cfg->public_url : reg->url);
    size_t n = strlen(reg->public_url);
    while (n > 0 && reg->public_url[n - 1] == '/')
        reg->public_url[--n] = '\0';
    /* The daemon owns the listening socket from here and closes it. */
    reg->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        access_cb, reg, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_COMPLETED, completed_cb,
        reg, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
        MHD_OPTION_END);
    if (!reg->daemon) {
        log_err("registry", "cannot serve on %s", reg->url);
        close(fd);
        rc = ERR_NETWORK;
        goto fail;
    }
    *out = reg;
    return 0;
fail:
    sqlite3_close(reg->db);
    free(reg);
    return rc;
}

int registry_port(const struct registry *r)
{
    return r->port;
}

const char *registry_url(const struct registry *r)
{
    return r->url;
}

void registry_stop(struct registry *r)
{
    if (!r)
        return;
    if (r->daemon)
        MHD_stop_daemon(r->daemon);
    sqlite3_close(r->db);
    free(r);
}
