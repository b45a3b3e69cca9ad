/* registry_sessions.c - the endpoints of a visit: health, opening a
 * session with the card check and the stand-in face comparison, closing
 * it, the property pages, ratings and queue tickets. Runs on
 * libmicrohttpd's threads, under the registry's lock (health without it).
 *
 * The face comparison is a stand-in: the reference registry has no
 * national photo record. It checks the card, consent and liveness, then
 * answers from the demo citizen's flag (or "match" for anyone else whose
 * liveness passed), and drops the image before it answers.
 */
#include "registry/registry_internal.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "demo/demo.h"
#include "registry/registry_db.h"
#include "registry/registry_tickets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- GET /v1/health --------------------------------------------------------- */

void on_health(struct call *c, struct reply *r)
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

/* Keeps which kiosk vouched for a liveness result and what the comparison
 * made of it (outcome: "match" or the problem's type). A row that cannot
 * be written is logged; the citizen's answer does not wait on it. */
static void record_face_check(struct call *c, const struct registry_session_req *q,
                              const char *outcome)
{
    struct store_stmt *st = NULL;
    bool ok = store_prepare(c->reg->db,
                            "INSERT INTO face_checks(kiosk, vouched_by, liveness_passed,"
                            " challenge, outcome, checked_at) VALUES(?,?,?,?,?,?)",
                            &st) == 0;
    if (ok) {
        store_bind_text(st, 1, c->kiosk);
        store_bind_text(st, 2, c->kiosk_by_cert ? "certificate" : "loopback");
        store_bind_int(st, 3, q->liveness_passed);
        store_bind_text(st, 4, q->challenge);
        store_bind_text(st, 5, outcome);
        store_bind_int64(st, 6, clock_wall_s());
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
    if (!ok)
        log_warn("registry", "cannot record the face check: %s", store_errmsg(c->reg->db));
}

void on_session_open(struct call *c, struct reply *r)
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
    /* From here the kiosk vouches for a face: its liveness result and
     * the comparison's outcome are recorded under its id. */
    bool vouched = p == PROB_NONE;
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
    if (vouched)
        record_face_check(c, &q, p == PROB_NONE ? "match" : registry_problem_type(p));
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
    struct store_stmt *st = NULL;
    int ok = store_prepare(c->reg->db, "INSERT INTO sessions VALUES(?,?,?,?,?,?)", &st) == 0;
    if (ok) {
        store_bind_text(st, 1, token);
        store_bind_text(st, 2, c->kiosk);
        store_bind_text(st, 3, v.id_number);
        store_bind_text(st, 4, v.name_masked);
        store_bind_text(st, 5, v.id_masked);
        store_bind_int64(st, 6, expires);
        ok = store_step(st) == STORE_DONE;
    }
    store_finalize(st);
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

void on_session_close(struct call *c, struct reply *r)
{
    struct visit v;
    if (!visit_or_reply(c, r, &v))
        return;
    struct store_stmt *st = NULL;
    if (store_prepare(c->reg->db, "DELETE FROM sessions WHERE token = ?", &st) == 0) {
        store_bind_text(st, 1, header(c->conn, MHD_HTTP_HEADER_AUTHORIZATION) + 7);
        store_step(st);
    }
    store_finalize(st);
    reply_text(r, 204, "application/json", NULL);
}

/* ---- GET /v1/properties ----------------------------------------------------- */

void on_properties(struct call *c, struct reply *r)
{
    struct visit v;
    if (!visit_or_reply(c, r, &v))
        return;
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

/* ---- POST /v1/ratings --------------------------------------------------------- */

void on_rating(struct call *c, struct reply *r)
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
    struct store_stmt *st = NULL;
    /* The rating and its reference are stored together or not at all. */
    bool ok = rs && store_begin(c->reg->db) == 0;
    ok = ok && store_prepare(c->reg->db,
                             "INSERT INTO ratings(kiosk, level, service, reasons,"
                             " with_visit, created_at) VALUES(?,?,?,?,?,?) RETURNING id",
                             &st) == 0;
    int64_t rid = 0;
    if (ok) {
        store_bind_text(st, 1, c->kiosk);
        store_bind_int(st, 2, q.level);
        store_bind_text(st, 3, q.service);
        store_bind_text(st, 4, rs);
        store_bind_int(st, 5, with_visit);
        store_bind_int64(st, 6, clock_wall_s());
        ok = store_step(st) == STORE_ROW;
        rid = ok ? store_column_int64(st, 0) : 0;
    }
    store_finalize(st);
    free(rs);
    /* What the visit produced that the rating is about (a ticket number,
     * a booking or certificate code: none names the citizen). */
    if (ok && q.ref_kind[0]) {
        st = NULL;
        ok = store_prepare(c->reg->db, "INSERT INTO rating_refs VALUES(?,?,?)", &st) == 0;
        if (ok) {
            store_bind_int64(st, 1, rid);
            store_bind_text(st, 2, q.ref_kind);
            store_bind_text(st, 3, q.ref_id);
            ok = store_step(st) == STORE_DONE;
        }
        store_finalize(st);
    }
    if (!ok || store_commit(c->reg->db) < 0) {
        store_rollback(c->reg->db);
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the rating");
        return;
    }
    char id[32];
    snprintf(id, sizeof id, "r-%06lld", (long long)rid);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", id);
    reply_json(r, 201, j);
}

/* ---- POST /v1/tickets (registry_tickets.c) ----------------------------------------- */

void on_ticket(struct call *c, struct reply *r)
{
    struct registry_ticket_req q;
    char detail[128] = "", title[96] = "";
    cJSON *j = NULL;
    enum registry_problem p = registry_ticket_parse(c->body, c->len, &q, detail, sizeof detail);
    /* A check-in without a code is the visit's: a token sent must be live. */
    struct visit v;
    bool with_visit = false;
    if (p == PROB_NONE && strcmp(q.kind, "appointment") == 0 && !q.appointment_code[0] &&
        header(c->conn, MHD_HTTP_HEADER_AUTHORIZATION)) {
        p = bearer(c, &v);
        with_visit = p == PROB_NONE;
        if (p != PROB_NONE)
            snprintf(detail, sizeof detail, "bearer token unknown or expired");
    }
    if (p == PROB_NONE)
        p = registry_ticket_issue(c->reg->db, c->kiosk, c->reg->public_url, &q,
                                  with_visit ? v.id_number : NULL, clock_wall_s(), &j, title,
                                  sizeof title, detail, sizeof detail);
    if (p != PROB_NONE)
        reply_problem_titled(r, p, title[0] ? title : NULL, detail);
    else
        reply_json(r, 201, j);
}
