/* registry_staff.c - the hall's staff and the kiosks' audit trail: POST
 * /v1/staff/check (is this card a staff member's?), POST /v1/audit (one
 * thing staff did at a kiosk, delivered through the kiosk's outbox), GET
 * /v1/audit (the trail, newest first, for the hall and the tests), and
 * the demo staff of the seed. Runs on libmicrohttpd's threads, under the
 * registry's lock; the seed on the starting thread.
 *
 * The kiosk keeps no list of staff: it asks here with the ID number of
 * the card on its reader, and answers a "no" as a citizen's visit. The
 * number is never echoed and never logged. The audit trail carries staff
 * numbers, never a citizen's data: a detail that looks like an ID number
 * is refused (registry_req_parse_audit).
 */
#include "registry/registry_internal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "demo/demo.h"
#include "registry/registry_db.h"

#include <stdio.h>
#include <string.h>

#define AUDIT_LIST_DEFAULT 50
#define AUDIT_LIST_MAX     200

/* ---- the seed ------------------------------------------------------------------ */

int registry_staff_seed(struct store *db)
{
    struct store_stmt *st = NULL;
    int have = -1;
    if (store_prepare(db, "SELECT count(*) FROM staff", &st) == 0 && store_step(st) == STORE_ROW)
        have = store_column_int(st, 0);
    store_finalize(st);
    if (have != 0)
        return have < 0 ? ERR_IO : 0;
    st = NULL;
    if (store_prepare(db, "INSERT INTO staff VALUES(?,?,?,?)", &st) != 0)
        return ERR_IO;
    int n = 0;
    for (int i = 0; i < demo_staff_count(); i++) {
        struct demo_staff s;
        if (!demo_staff_get(i, &s))
            break;
        store_reset(st);
        store_bind_text(st, 1, s.id_number);
        store_bind_text(st, 2, s.staff_no);
        store_bind_text(st, 3, s.name);
        store_bind_text(st, 4, s.role);
        if (store_step(st) != STORE_DONE) {
            n = ERR_IO;
            break;
        }
        n++;
    }
    store_finalize(st);
    if (n < 0)
        log_err("registry", "seeding the staff failed: %s", store_errmsg(db));
    return n;
}

/* ---- POST /v1/staff/check ---------------------------------------------------------- */

void on_staff_check(struct call *c, struct reply *r)
{
    struct registry_staff_req q;
    char detail[128] = "";
    enum registry_problem p =
        registry_req_parse_staff_check(c->body, c->len, &q, detail, sizeof detail);
    if (p != PROB_NONE) {
        reply_problem(r, p, detail);
        return;
    }
    struct store_stmt *st = NULL;
    if (store_prepare(c->reg->db, "SELECT staff_no, name, role FROM staff WHERE id_number = ?",
                      &st) != 0) {
        explicit_bzero(&q, sizeof q);
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    store_bind_text(st, 1, q.id_number);
    explicit_bzero(&q, sizeof q);
    int step = store_step(st);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddBoolToObject(j, "staff", step == STORE_ROW);
    char staff_no[16] = "";
    if (step == STORE_ROW) {
        char masked[64];
        mask_name(col(st, 1), masked, sizeof masked);
        str_copy(staff_no, sizeof staff_no, col(st, 0));
        cJSON_AddStringToObject(j, "staff_no", staff_no);
        cJSON_AddStringToObject(j, "name_masked", masked);
        cJSON_AddStringToObject(j, "role", col(st, 2));
    }
    store_finalize(st);
    if (step != STORE_ROW && step != STORE_DONE) {
        cJSON_Delete(j);
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    reply_json(r, 200, j);
    log_info("registry", "kiosk %s staff check: %s", c->kiosk,
             staff_no[0] ? staff_no : "not staff");
}

/* ---- POST /v1/audit ------------------------------------------------------------------ */

void on_audit(struct call *c, struct reply *r)
{
    struct registry_audit_req q;
    char detail[128] = "";
    enum registry_problem p = registry_req_parse_audit(c->body, c->len, &q, detail, sizeof detail);
    if (p != PROB_NONE) {
        reply_problem(r, p, detail);
        return;
    }
    struct store_stmt *st = NULL;
    bool ok = store_prepare(c->reg->db,
                            "INSERT INTO audit(kiosk, at, staff_no, action, detail,"
                            " received_at) VALUES(?,?,?,?,?,?) RETURNING id",
                            &st) == 0;
    int64_t aid = 0;
    if (ok) {
        const char *v[] = {c->kiosk, q.at, q.staff_no, q.action, q.detail};
        for (int i = 0; i < (int)ARRAY_LEN(v); i++)
            store_bind_text(st, i + 1, v[i]);
        store_bind_int64(st, 6, clock_wall_s());
        ok = store_step(st) == STORE_ROW;
        aid = ok ? store_column_int64(st, 0) : 0;
    }
    store_finalize(st);
    if (!ok) {
        log_warn("registry", "audit: %s", store_errmsg(c->reg->db));
        reply_problem(r, PROB_UNAVAILABLE, "cannot store the audit event");
        return;
    }
    char id[32];
    snprintf(id, sizeof id, "a-%06lld", (long long)aid);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", id);
    reply_json(r, 201, j);
}

/* ---- GET /v1/audit?kiosk=ID&limit=N ------------------------------------------------------ */

void on_audit_list(struct call *c, struct reply *r)
{
    if (!is_loopback(c->conn)) {
        reply_problem(r, PROB_UNAUTHENTICATED, "the audit trail is read on loopback only");
        return;
    }
    const char *kiosk = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "kiosk");
    const char *ls = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, "limit");
    int limit = ls ? small_number(ls) : AUDIT_LIST_DEFAULT;
    if (kiosk && !registry_req_is_token(kiosk)) {
        reply_problem(r, PROB_BAD_REQUEST, "kiosk must be 1 to 64 of [A-Za-z0-9_-]");
        return;
    }
    if (limit < 1 || limit > AUDIT_LIST_MAX) {
        reply_problem(r, PROB_BAD_REQUEST, "limit must be 1 to 200");
        return;
    }
    struct store_stmt *st = NULL;
    if (store_prepare(c->reg->db,
                      "SELECT at, kiosk, staff_no, action, detail FROM audit"
                      " WHERE ?1 IS NULL OR kiosk = ?1 ORDER BY id DESC LIMIT ?2",
                      &st) != 0) {
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    if (kiosk)
        store_bind_text(st, 1, kiosk);
    store_bind_int(st, 2, limit);
    cJSON *j = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    static const char *const keys[] = {"at", "kiosk", "staff_no", "action", "detail"};
    int step;
    while ((step = store_step(st)) == STORE_ROW) {
        cJSON *o = cJSON_CreateObject();
        for (int k = 0; k < (int)ARRAY_LEN(keys); k++)
            cJSON_AddStringToObject(o, keys[k], col(st, k));
        cJSON_AddItemToArray(items, o);
    }
    store_finalize(st);
    if (step != STORE_DONE) {
        cJSON_Delete(j);
        reply_problem(r, PROB_UNAVAILABLE, "database error");
        return;
    }
    reply_json(r, 200, j);
}
