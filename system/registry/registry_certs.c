/* registry_certs.c - certificates: POST /v1/certificates issues one (a
 * snapshot of the register, with number and verify code), GET
 * /v1/verify/{number}?code= shows it again as a page for the phone that
 * scanned its QR code, POST /v1/certificates/{number}/link gives the
 * visit that issued it a 10-minute link and GET /e/{token} is the proof
 * in full behind that link. Runs on libmicrohttpd's threads, under the
 * registry's lock.
 *
 * The two public lookups (verify, link page) are what a guesser would try:
 * the code is compared in constant time, and each failed lookup is charged
 * to the client's address (registry_guard.h); an address that has failed
 * 10 times waits (429, Retry-After) and then gets one try per 6 s. The
 * guessing cost is worked out in system/api/README.md.
 */
#include "registry/registry_internal.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "registry/registry_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFFICE   "焦作市不动产登记中心"
#define CODE_LEN 8 /* characters of the verify code: 40 bits */

bool guesses_exhausted(struct call *c, struct reply *r, bool html)
{
    unsigned char who[16];
    client_key(c->conn, who);
    int wait = registry_limiter_wait_s(c->reg->limiter, who, clock_mono_ms());
    if (wait <= 0)
        return false;
    r->retry_after_s = wait;
    if (html) {
        char page[512];
        snprintf(page, sizeof page,
                 "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width\">"
                 "<title>请稍后再试</title></head><body><main><h1>尝试次数过多</h1>"
                 "<p>请 %d 秒后再试。</p></main></body></html>",
                 wait);
        reply_text(r, 429, "text/html; charset=utf-8", page);
    } else {
        reply_problem(r, PROB_TOO_MANY_REQUESTS, "too many failed lookups from this address");
    }
    return true;
}

void guess_failed(struct call *c)
{
    unsigned char who[16];
    client_key(c->conn, who);
    registry_limiter_charge(c->reg->limiter, who, clock_mono_ms());
}

/* ---- POST /v1/certificates ---------------------------------------------------- */

void on_certificate(struct call *c, struct reply *r)
{
    struct visit v;
    if (!visit_or_reply(c, r, &v))
        return;
    struct registry_cert_req q;
    char detail[128] = "";
    enum registry_problem p =
        registry_req_parse_certificate(c->body, c->len, &q, detail, sizeof detail);
    if (p != PROB_NONE) {
        reply_problem(r, p, detail);
        return;
    }
    bool housing = strcmp(q.kind, "housing_count") == 0;
    char g[13], code[CODE_LEN + 1], number[32], url[512], now[32], method[160];
    if (random_code(g, 12) < 0 || random_code(code, CODE_LEN) < 0) {
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
    struct store_stmt *st = NULL;
    bool ok =
        body && store_prepare(c->reg->db, "INSERT INTO certificates VALUES(?,?,?,?,?)", &st) == 0;
    if (ok) {
        store_bind_text(st, 1, number);
        store_bind_text(st, 2, code);
        store_bind_text(st, 3, c->kiosk);
        store_bind_text(st, 4, now);
        store_bind_text(st, 5, body);
        ok = store_step(st) == STORE_DONE; /* a number collision fails here: 1 in 2^60 */
    }
    store_finalize(st);
    st = NULL;
    free(body);
    /* The visit that issued it may send the proof to a phone (link). */
    ok = ok && store_prepare(c->reg->db, "INSERT INTO certificate_visits VALUES(?,?)", &st) == 0;
    if (ok) {
        store_bind_text(st, 1, number);
        store_bind_text(st, 2, header(c->conn, MHD_HTTP_HEADER_AUTHORIZATION) + 7);
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
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

/* Every record of the proof in full, one block each. */
static void full_items(struct buf *b, const cJSON *items)
{
    static const char *const rows[][2] = {
        {"unit_number", "不动产单元号"},  {"location", "坐落"},
        {"certificate_number", "权证号"}, {"use", "用途"},
        {"area", "面积（㎡）"},           {"right_type", "权利类型"},
        {"right_nature", "权利性质"},     {"ownership", "共有情况"},
        {"registered_at", "登记日期"},
    };
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        buf_append_str(b, "<dl>");
        for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
            buf_printf(b, "<dt>%s</dt><dd>", rows[i][1]);
            html_escape(b, json_str(it, rows[i][0]));
            buf_append_str(b, "</dd>");
        }
        buf_append_str(b, "<dt>登记事项</dt><dd>");
        const cJSON *e;
        int k = 0;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(it, "encumbrances"))
        {
            if (k++)
                buf_append_str(b, "；");
            html_escape(b, enc_label(json_str(e, "kind")));
            buf_append_str(b, " ");
            html_escape(b, json_str(e, "holder"));
            buf_append_str(b, " ");
            html_escape(b, json_str(e, "certificate_number"));
        }
        if (!k)
            buf_append_str(b, "无");
        buf_append_str(b, "</dd></dl>");
    }
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

/* The page of a proof: the verify page, or with full (the proof on a
 * phone) every field of every record. */
static void verify_html(struct reply *r, const cJSON *cert, bool found, bool full)
{
    struct buf b;
    buf_init(&b, 256 * 1024);
    buf_append_str(&b, html_head);
    if (!found) {
        buf_append_str(&b, "<p class=\"bad\">未找到该证明。请核对证明编号和核验码。</p>");
    } else {
        bool housing = strcmp(json_str(cert, "kind"), "housing_count") == 0;
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(cert, "requester");
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(cert, "items");
        buf_append_str(&b,
                       "<p class=\"ok\">✔ 该证明由本中心出具，内容如下（出具时的记录）。</p><dl>");
        const char *rows[][2] = {
            {"证明编号", json_str(cert, "number")},
            {"证明类型", housing ? "房屋套次查询证明" : "不动产登记信息查询结果证明"},
            {"出具时间", json_str(cert, "issued_at")},
            {"查询目的", json_str(cert, "purpose")},
            {"出具机构", json_str(cert, "office")},
            {"申请人", json_str(req, "name_masked")},
            {"证件号码", json_str(req, "id_number_masked")},
        };
        for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
            buf_append_str(&b, "<dt>");
            buf_append_str(&b, rows[i][0]);
            buf_append_str(&b, "</dt><dd>");
            html_escape(&b, rows[i][1]);
            buf_append_str(&b, "</dd>");
        }
        buf_printf(&b, "<dt>不动产数量</dt><dd>%d 处</dd></dl>", cJSON_GetArraySize(items));
        if (full && cJSON_GetArraySize(items) > 0) {
            full_items(&b, items);
        } else if (cJSON_GetArraySize(items) > 0) {
            buf_append_str(&b,
                           "<table><tr><th>不动产单元号</th><th>坐落</th><th>登记事项</th></tr>");
            const cJSON *it;
            cJSON_ArrayForEach(it, items)
            {
                buf_append_str(&b, "<tr><td>");
                html_escape(&b, json_str(it, "unit_number"));
                buf_append_str(&b, "</td><td>");
                html_escape(&b, json_str(it, "location"));
                buf_append_str(&b, "</td><td>");
                const cJSON *e, *encs = cJSON_GetObjectItemCaseSensitive(it, "encumbrances");
                int k = 0;
                cJSON_ArrayForEach(e, encs)
                {
                    if (k++)
                        buf_append_str(&b, "、");
                    html_escape(&b, enc_label(json_str(e, "kind")));
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
        &b,
        full
            ? "<footer>本页面为证明的电子版，链接 10 分钟内有效。</footer></main></body></html>"
            : "<footer>本页面仅用于核验证明真伪，信息已按规定脱敏。</footer></main></body></html>");
    if (buf_terminate(&b) < 0) {
        buf_fini(&b);
        reply_problem(r, PROB_UNAVAILABLE, "page too large");
        return;
    }
    reply_text(r, found ? 200 : 404, "text/html; charset=utf-8", (const char *)b.data);
    buf_fini(&b);
}

void on_verify(struct call *c, struct reply *r)
{
    const char *number = c->path + strlen("/v1/verify/");
    const char *code = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "code");
    const char *accept = header(c->conn, MHD_HTTP_HEADER_ACCEPT);
    bool html = accept && strstr(accept, "text/html");
    if (guesses_exhausted(c, r, html))
        return;
    cJSON *cert = NULL;
    struct store_stmt *st = NULL;
    if (code && strlen(number) < 32 &&
        store_prepare(c->reg->db, "SELECT code, body FROM certificates WHERE number = ?", &st) ==
            0) {
        store_bind_text(st, 1, number);
        /* Certificates issued with a shorter code keep it: its length is the stored one's. */
        if (store_step(st) == STORE_ROW && store_column_bytes(st, 0) >= 6 &&
            registry_req_code_equal(col(st, 0), code, (size_t)store_column_bytes(st, 0)))
            cert = cJSON_Parse(col(st, 1));
    }
    store_finalize(st);
    if (!cert)
        guess_failed(c);
    if (html) {
        verify_html(r, cert, cert != NULL, false);
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
        cJSON_AddStringToObject(j, keys[i], json_str(cert, keys[i]));
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
        cJSON_AddStringToObject(o, "unit_number", json_str(it, "unit_number"));
        cJSON_AddStringToObject(o, "location", json_str(it, "location"));
        cJSON *kinds = cJSON_AddArrayToObject(o, "encumbrances");
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(it, "encumbrances"))
            cJSON_AddItemToArray(kinds, cJSON_CreateString(json_str(e, "kind")));
        cJSON_AddItemToArray(out, o);
    }
    cJSON_Delete(cert);
    reply_json(r, 200, j);
}

/* ---- POST /v1/certificates/{number}/link ------------------------------------------------ */

#define LINK_TTL_S (10 * 60)

void on_certificate_link(struct call *c, struct reply *r)
{
    struct visit v;
    if (!visit_or_reply(c, r, &v))
        return;
    char number[32];
    const char *from = c->path + strlen("/v1/certificates/");
    const char *slash = strchr(from, '/');
    if (!slash || (size_t)(slash - from) >= sizeof number) {
        reply_problem(r, PROB_NOT_FOUND, "no such proof of this visit");
        return;
    }
    memcpy(number, from, (size_t)(slash - from));
    number[slash - from] = '\0';
    struct store_stmt *st = NULL;
    bool mine = false;
    if (store_prepare(c->reg->db, "SELECT 1 FROM certificate_visits WHERE number = ? AND token = ?",
                      &st) == 0) {
        store_bind_text(st, 1, number);
        store_bind_text(st, 2, header(c->conn, MHD_HTTP_HEADER_AUTHORIZATION) + 7);
        mine = store_step(st) == STORE_ROW;
    }
    store_finalize(st);
    if (!mine) {
        reply_problem(r, PROB_NOT_FOUND, "no such proof of this visit");
        return;
    }
    char token[16], url[384], exp[32];
    if (random_code(token, 12) < 0) {
        reply_problem(r, PROB_UNAVAILABLE, "no randomness");
        return;
    }
    int64_t expires = clock_wall_s() + LINK_TTL_S;
    st = NULL;
    bool ok = store_prepare(c->reg->db, "INSERT INTO links VALUES(?,?,?)", &st) == 0;
    if (ok) {
        store_bind_text(st, 1, token);
        store_bind_text(st, 2, number);
        store_bind_int64(st, 3, expires);
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
    if (!ok) {
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the link");
        return;
    }
    snprintf(url, sizeof url, "%s/e/%s", c->reg->public_url, token);
    clock_format_iso(expires, exp, sizeof exp);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "url", url);
    cJSON_AddStringToObject(j, "expires_at", exp);
    reply_json(r, 201, j);
    log_info("registry", "kiosk %s linked a certificate to a phone", c->kiosk);
}

/* ---- GET /e/{token} ---------------------------------------------------------------------- */

void on_link_page(struct call *c, struct reply *r)
{
    const char *token = c->path + strlen("/e/");
    if (guesses_exhausted(c, r, true))
        return;
    cJSON *cert = NULL;
    struct store_stmt *st = NULL;
    if (strlen(token) == 12 &&
        store_prepare(c->reg->db,
                      "SELECT c.body FROM links l JOIN certificates c ON c.number = l.number"
                      " WHERE l.token = ? AND l.expires_at > ?",
                      &st) == 0) {
        store_bind_text(st, 1, token);
        store_bind_int64(st, 2, clock_wall_s());
        if (store_step(st) == STORE_ROW)
            cert = cJSON_Parse(col(st, 0));
    }
    store_finalize(st);
    if (!cert)
        guess_failed(c);
    verify_html(r, cert, cert != NULL, true);
    cJSON_Delete(cert);
}
