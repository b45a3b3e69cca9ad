/* staff.c - maintenance mode on the kiosk's side; see staff.h. */
#include "staff.h"

#include "backend/backend.h"
#include "backend/regjson.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "core/i18n.h"
#include "drivers/idcard/idcard_reader.h"
#include "face/face.h"
#include "log_tail.h"
#include "outbox_pump.h"
#include "print/slip_compose.h"
#include "store/hall_cache.h"
#include "store/journal.h"
#include "store/outbox.h"
#include "store/staff_pins.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/timex.h>

/* The kiosk's service state ([staff] on disk as <output_dir>/service.json):
 * out of service or not, and the slips since the last refill, so neither
 * is lost to a restart. Written whole (store/hall_cache) when staff change
 * it and at shutdown; a slip counted since the last write is lost only to
 * a crash. The write blocks for a few milliseconds: it happens on a staff
 * member's tap or at the end, never in a citizen's visit. */
static void state_path(const struct app *a, char *out, size_t size)
{
    devices_state_path(&a->cfg, "", "service.json", out, size);
}

static void load_state(struct app *a)
{
    char path[512], *text = NULL;
    size_t len = 0;
    state_path(a, path, sizeof path);
    int rc = hall_cache_get(path, 4096, &text, &len);
    if (rc == ERR_NOTFOUND)
        return;
    cJSON *j = rc ? NULL : cJSON_ParseWithLength(text, len);
    const cJSON *oos = cJSON_GetObjectItemCaseSensitive(j, "out_of_service");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "slips_since_refill");
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(j, "reason");
    if (!cJSON_IsBool(oos) || !cJSON_IsNumber(n) || n->valuedouble < 0 || n->valuedouble > 1e6) {
        log_warn("staff", "service state %s unreadable (%s): in service, paper count 0", path,
                 rc ? err_str(rc) : "not the expected JSON");
    } else {
        a->flow.out_of_service = cJSON_IsTrue(oos);
        a->slips_since_refill = (int)n->valuedouble;
        if (cJSON_IsNumber(why) && why->valueint >= 0 && why->valueint < FLOW_OOS_REASONS)
            a->flow.oos_reason = why->valueint;
        /* Out of service before the restart: citizens see the closed screen. */
        if (a->flow.out_of_service) {
            a->flow.screen = SCREEN_CLOSED;
            log_notice("staff", "the kiosk is out of service (since before the restart)");
        }
    }
    cJSON_Delete(j);
    free(text);
}

static void save_state(struct app *a)
{
    char path[512], text[128];
    state_path(a, path, sizeof path);
    int n = snprintf(
        text, sizeof text, "{\"out_of_service\":%s,\"reason\":%d,\"slips_since_refill\":%d}\n",
        a->flow.out_of_service ? "true" : "false", a->flow.oos_reason, a->slips_since_refill);
    int rc = hall_cache_set(path, text, (size_t)n);
    if (rc)
        log_warn("staff", "service state not kept in %s: %s", path, err_str(rc));
}

void staff_start(struct app *a)
{
    load_state(a);
    char path[512];
    devices_state_path(&a->cfg, a->cfg.staff_pins, "staff.sqlite", path, sizeof path);
    int rc = staff_pins_open(path, &a->pins);
    if (rc) {
        log_err("staff", "PIN store %s: %s; staff entry is refused", path, err_str(rc));
        a->pins = NULL;
        return;
    }
    if (a->opt.demo && staff_pins_seed_demo(a->pins) == 0 && staff_pins_count(a->pins) > 0)
        log_info("staff", "%d staff member(s) may enter", staff_pins_count(a->pins));
    a->flow.timing.staff_idle_ms = a->cfg.staff_idle_s * 1000;
}

void staff_stop(struct app *a)
{
    journal_close(a->journal_ro);
    a->journal_ro = NULL;
    save_state(a);
    staff_pins_close(a->pins);
    a->pins = NULL;
}

/* One audit item into the outbox: time, staff number, action, detail. */
static void audit(struct app *a, enum flow_staff_action action, const char *detail)
{
    char at[32];
    clock_format_iso(clock_wall_s(), at, sizeof at);
    struct regjson_audit item = {
        .at = at,
        .staff_no = action == STAFF_ENTER_REFUSED ? "" : a->flow.staff_no,
        .action = flow_staff_action_name(action),
        .detail = detail ? detail : "",
    };
    struct buf body;
    buf_init(&body, OUTBOX_BODY_MAX - 1);
    int rc = regjson_format_audit(&item, &body);
    if (!rc)
        rc = buf_terminate(&body);
    if (!rc)
        rc = outbox_pump_put(a->outbox, "audit", "POST", "/v1/audit", (const char *)body.data);
    log_notice("staff", "%s %s%s%s", item.action, item.staff_no[0] ? item.staff_no : "-",
               item.detail[0] ? " " : "", item.detail);
    if (rc)
        log_warn("staff", "audit item not kept: %s", err_str(rc));
    buf_fini(&body);
}

void staff_audit(struct app *a, enum flow_staff_action action, const char *detail)
{
    audit(a, action, detail);
}

void staff_check_pin(struct app *a, const struct flow_action *act)
{
    (void)act;
    enum staff_verdict v = STAFF_PIN_LOCKED;
    char who[16] = "";
    int64_t until = 0;
    /* With a staff card, that staff member's PIN; else anyone's. */
    const char *card = a->flow.staff_card[0] ? a->flow.staff_card : NULL;
    int64_t now = clock_wall_s();
    int rc =
        a->pins ? staff_pins_check(a->pins, card, a->flow.pin, now, &v, who, &until) : ERR_CLOSED;
    if (rc) {
        log_err("staff", "PIN not checked: %s", err_str(rc));
        v = STAFF_PIN_WRONG;
    }
    /* The wrong PIN that starts a lock is told as the lock. */
    enum flow_pin_verdict fv = v == STAFF_PIN_OK                      ? FLOW_PIN_OK
                               : v == STAFF_PIN_LOCKED || until > now ? FLOW_PIN_LOCKED
                                                                      : FLOW_PIN_WRONG;
    effects_feed(a, (struct flow_event){.kind = FLOW_EV_STAFF_PIN,
                                        .arg = (int)fv,
                                        .staff_no = who,
                                        .locked_until_s = until});
    explicit_bzero(who, sizeof who);
}

/* The test slip: the kiosk's own words, no number a citizen could hold. */
static void test_slip(struct app *a, uint32_t req_id)
{
    struct slip_ticket st = {.kind = SLIP_QUEUE, .ahead = -1, .wait_min = -1};
    effects_slip_frame(a, &st);
    /* A number no citizen holds (the journal knows each slip by its own
     * uid; the number is what staff read on it). */
    static unsigned tests;
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    snprintf(st.number, sizeof st.number, "TEST-%02d%02d-%u", c.hour, c.minute, ++tests % 1000);
    str_copy(st.service, sizeof st.service, tr_lang(I18N_ZH, "staff.test_slip"));
    snprintf(st.windows, sizeof st.windows, "%s", a->cfg.terminal);
    effects_submit_slip(a, &st, req_id);
}

/* The A4 test page: a certificate of the kiosk's own words (no record of
 * anyone, no property; its QR code holds only its own number) marked 测试页 TEST on every
 * page, composed and printed as a citizen's would be: through CUPS or into
 * the folder, and through the print journal under a number of its own.
 * Both jobs carry req_id; their answers come to staff_page_result. */
static void test_page(struct app *a, uint32_t req_id)
{
    struct certificate *c = a->printer ? calloc(1, sizeof *c) : NULL;
    int rc = !a->printer ? ERR_UNSUPPORTED : !c ? ERR_NOMEM : 0;
    if (c) {
        int64_t now = clock_wall_s();
        /* Its own number in the journal: the kiosk's id and the second. */
        snprintf(c->number, sizeof c->number, "TEST-%.16s-%lld", a->cfg.kiosk_id, (long long)now);
        clock_format_iso(now, c->issued_at, sizeof c->issued_at);
        /* Its QR code says its number: a scanner checks the print's grain. */
        str_copy(c->verify_url, sizeof c->verify_url, c->number);
        str_copy(c->verify_code, sizeof c->verify_code, "TEST");
        str_copy(c->kind, sizeof c->kind, "query");
        str_copy(c->purpose, sizeof c->purpose, tr_lang(I18N_ZH, "staff.page_purpose"));
        str_copy(c->office, sizeof c->office, a->cfg.office);
        str_copy(c->requester_name, sizeof c->requester_name,
                 tr_lang(I18N_ZH, "staff.page_requester"));
        str_copy(c->query_method, sizeof c->query_method, a->cfg.terminal);
        str_copy(c->props.as_of, sizeof c->props.as_of, c->issued_at);
        a->page_req = req_id;
        rc = print_worker_submit(
            a->printer, &(struct print_job){
                            .kind = PRINT_JOB_COMPOSE, .req_id = req_id, .cert = c, .test = true});
        if (!rc)
            rc = print_worker_submit(
                a->printer,
                &(struct print_job){.kind = PRINT_JOB_PRINT, .req_id = req_id, .copies = 1});
        free(c);
    }
    a->page_test = rc ? UI_PAGE_FAILED : UI_PAGE_PRINTING;
    a->page_err = rc;
}

bool staff_page_result(struct app *a, uint32_t req_id, const struct print_result *r)
{
    if (!req_id || req_id != a->page_req ||
        (r->kind != PRINT_JOB_COMPOSE && r->kind != PRINT_JOB_PRINT))
        return false;
    /* A failed composition ends it (the print after it fails too). */
    if (a->page_test == UI_PAGE_PRINTING && (r->err || r->kind == PRINT_JOB_PRINT)) {
        a->page_test = r->err ? UI_PAGE_FAILED : UI_PAGE_PRINTED;
        a->page_err = r->err;
        log_notice("print", "test page %s%s", r->err ? "not printed: " : "printed",
                   r->err ? err_str(r->err) : "");
    }
    return true;
}

/* The camera's test: its picture and the detector's box while staff look,
 * the frames wiped when they stop (the picture is of staff; it is kept
 * nowhere). */
static void camera_preview(struct app *a, bool on)
{
    if (!a->face)
        return;
    if (on) {
        face_start_preview(a->face);
        return;
    }
    struct face_judgement j;
    if (!face_preview_judged(a->face, &j))
        return;
    face_stop(a->face);
    wipe_release(a->camera_rgb, CAMERA_MAX);
    a->camera_w = a->camera_h = 0;
}

/* ---- 打印记录 ------------------------------------------------------------ */

/* The journal's newest jobs into the view: kind, number, state, when,
 * attempts, and which of 重新打印 / 取消 each allows. Reads the journal
 * (WAL: never waits for the workers' writes) at most once a second. */
static void read_jobs(struct app *a, struct ui_staff_view *v, int64_t now_ms)
{
    if (now_ms < a->jobs_due_ms)
        return;
    a->jobs_due_ms = now_ms + 1000;
    if (!a->journal_ro && a->journal_path[0] &&
        journal_open_readonly(a->journal_path, &a->journal_ro) != 0)
        a->journal_ro = NULL;
    struct journal_entry rows[UI_JOBS_MAX];
    int n = a->journal_ro ? journal_recent(a->journal_ro, JOURNAL_KINDS_ALL, rows, UI_JOBS_MAX) : 0;
    v->job_count = 0;
    for (int i = 0; i < n; i++) {
        const struct journal_entry *e = &rows[i];
        struct ui_job *j = &v->jobs[v->job_count++];
        memset(j, 0, sizeof *j);
        j->id = (int)e->id;
        j->cert = e->kind == JOURNAL_CERT;
        j->state = (enum ui_job_state)e->state;
        str_copy(j->key, sizeof j->key, e->key);
        struct clock_cst t;
        clock_to_cst(e->updated, &t);
        snprintf(j->when, sizeof j->when, "%02d-%02d %02d:%02d", t.month, t.day, t.hour, t.minute);
        j->attempts = e->attempts;
        j->why = (int)e->reason;
        /* A certificate's document lives only in its held CUPS job; a
         * slip's text is its payload, reprinted as a new job while no
         * other of its family is under way or printed. Printed: never
         * offered again. */
        bool over = e->state == JOURNAL_FAILED || e->state == JOURNAL_EXPIRED;
        j->can_retry = j->cert ? e->state == JOURNAL_HELD : over && !e->reprinted;
        j->can_cancel = j->cert ? e->state == JOURNAL_HELD : e->state == JOURNAL_QUEUED;
    }
}

static const struct ui_job *find_job(struct app *a, int id)
{
    const struct ui_staff_view *v = &a->staff_view;
    for (int i = 0; i < v->job_count; i++)
        if (v->jobs[i].id == id)
            return &v->jobs[i];
    return NULL;
}

static void job_note(struct app *a, const char *key, const char *reason)
{
    i18n_subst(a->staff_view.job_note, sizeof a->staff_view.job_note, tr(key), a->job_name, reason,
               NULL);
    a->generation++;
}

/* 重新打印 or 取消 on the job staff tapped: sent to the worker that owns
 * its printer. Returns the audit detail's words in detail, or false when
 * nothing was sent (the job is not in the list, or its state does not
 * allow it: said on the screen). */
static bool job_act(struct app *a, enum flow_staff_action action, char *detail, size_t size)
{
    bool retry = action == STAFF_JOB_RETRIED;
    const struct ui_job *j = find_job(a, a->flow.staff_job);
    if (!j) {
        log_warn("staff", "print job %d is not in the list", a->flow.staff_job);
        return false;
    }
    snprintf(a->job_name, sizeof a->job_name, "%s %s",
             tr(j->cert ? "staff.job_cert" : "staff.job_slip"), j->key);
    if (retry ? !j->can_retry : !j->can_cancel) {
        job_note(a,
                 j->state == UI_JOB_PRINTED ? "staff.job_already"
                 : retry                    ? "staff.job_still"
                                            : "staff.job_not_cancelled",
                 tr("staff.job_cannot"));
        return false;
    }
    uint32_t req = ++a->job_req;
    int rc;
    if (j->cert)
        rc = print_worker_submit(
            a->printer, &(struct print_job){.kind = retry ? PRINT_JOB_RETRY : PRINT_JOB_CANCEL,
                                            .req_id = req,
                                            .journal_id = j->id});
    else
        rc = retry ? slip_worker_retry(a->slip, j->id, req)
                   : slip_worker_cancel(a->slip, j->id, req);
    if (rc) {
        log_warn("staff", "print job %d not handed to its printer: %s", j->id, err_str(rc));
        job_note(a, retry ? "staff.job_still" : "staff.job_not_cancelled", err_str(rc));
        return false;
    }
    a->job_req_cert = j->cert;
    a->staff_view.job_busy = j->id;
    job_note(a, retry ? "staff.job_retrying" : "staff.job_cancelling", NULL);
    snprintf(detail, size, "%s %s", j->cert ? "certificate" : "slip", j->key);
    return true;
}

/* Why a job did not print, in staff's words. */
static const char *job_reason(int err, bool cert, char *buf, size_t size)
{
    switch (err) {
    case ERR_NODEV:
        return tr("staff.job_err_stopped");
    case ERR_BUSY:
        return tr(cert ? "staff.job_err_refusing" : "staff.job_err_busy");
    case ERR_NETWORK:
        return tr("staff.job_err_no_cups");
    case ERR_TIMEOUT:
        return tr("staff.job_err_timeout");
    case ERR_NOTFOUND:
        return tr("staff.job_gone");
    case ERR_INVALID:
        return tr("staff.job_cannot");
    default:
        return i18n_subst(buf, size, tr("staff.job_err_other"), err_str(err), NULL, NULL);
    }
}

void staff_note_job(struct app *a, uint32_t req_id, const struct print_result *r,
                    const struct slip_result *s)
{
    a->jobs_due_ms = 0; /* the list reads the new state at once */
    a->generation++;
    if (req_id != a->job_req || (r != NULL) != a->job_req_cert)
        return; /* an earlier request's late answer */
    bool retry = r ? r->kind == PRINT_JOB_RETRY : s->op == SLIP_OP_RETRY;
    int err = r ? r->err : s->err;
    bool already = r ? r->already : err == ERR_REJECTED;
    char buf[96];
    if (s && !s->final) {
        /* A slip retried waits for paper or the cover: it prints then. */
        const char *why = tr(s->paper_out    ? "staff.slip_paper_out"
                             : s->cover_open ? "staff.slip_cover"
                                             : "staff.slip_offline");
        job_note(a, "staff.job_still", why);
        return;
    }
    a->staff_view.job_busy = 0;
    const char *key;
    if (already)
        key = "staff.job_already";
    else if (retry)
        key = !err && (!s || s->outcome == SLIP_PRINTED) ? "staff.job_printed" : "staff.job_still";
    else
        key = err ? "staff.job_not_cancelled" : "staff.job_cancelled";
    if (s && retry && s->outcome == SLIP_FAILED && !err)
        err = ERR_IO;
    job_note(a, key, err ? job_reason(err, r != NULL, buf, sizeof buf) : NULL);
    log_info("staff", "%s %s: %s", retry ? "retry" : "cancel", a->job_name,
             err ? err_str(err) : "done");
}

void staff_act(struct app *a, const struct flow_action *act)
{
    enum flow_staff_action action = (enum flow_staff_action)act->arg;
    char detail[64] = "";
    switch (action) {
    case STAFF_TEST_SLIP:
        test_slip(a, act->req_id);
        break;
    case STAFF_TEST_PAGE:
        test_page(a, act->req_id);
        break;
    case STAFF_TEST_CAMERA:
        snprintf(detail, sizeof detail, "%s",
                 a->flow.camera_preview ? "preview on" : "preview off");
        camera_preview(a, a->flow.camera_preview);
        break;
    case STAFF_EXIT:
        camera_preview(a, false);
        break;
    case STAFF_PAPER_REFILLED:
        snprintf(detail, sizeof detail, "%d slips since the last refill", a->slips_since_refill);
        a->slips_since_refill = 0;
        break;
    case STAFF_OUT_OF_SERVICE: {
        static const char *const why[FLOW_OOS_REASONS] = {"maintenance", "network fault",
                                                          "printer fault", "upgrade"};
        snprintf(detail, sizeof detail, "%s", why[a->flow.oos_reason % FLOW_OOS_REASONS]);
        break;
    }
    case STAFF_ENTER_REFUSED:
        snprintf(detail, sizeof detail, "%s",
                 a->flow.pin_verdict == FLOW_PIN_LOCKED ? "locked" : "wrong PIN");
        break;
    case STAFF_ENTER:
        a->staff_view.job_note[0] = '\0'; /* the last staff member's notes are theirs */
        a->staff_view.job_busy = 0;
        break;
    case STAFF_JOB_RETRIED:
    case STAFF_JOB_CANCELLED:
        if (!job_act(a, action, detail, sizeof detail))
            return; /* nothing done: nothing to audit */
        break;
    default:
        break;
    }
    if (action == STAFF_PAPER_REFILLED || action == STAFF_OUT_OF_SERVICE ||
        action == STAFF_IN_SERVICE)
        save_state(a);
    audit(a, action, detail);
    /* The audit item is in the outbox on disk: it is delivered after. */
    if (action == STAFF_RESTART)
        a->restart = a->quit = true;
}

void staff_check_card(struct app *a, const struct flow_action *act)
{
    /* A number that is not valid is nobody's staff card: no answer needed. */
    int rc = backend_check_staff(a->backend, act->req_id, &a->session.card);
    if (rc && rc != ERR_INVALID)
        log_warn("staff", "staff card not checked: %s", err_str(rc));
}

/* What is left of the roll, from the slips printed since "paper refilled". */
static int slips_left(const struct app *a)
{
    int left = a->cfg.slip_roll - a->slips_since_refill;
    return left > 0 ? left : 0;
}

/* A tenth of the roll or less: time to bring paper. */
static bool paper_low(const struct app *a)
{
    return slips_left(a) * 10 <= a->cfg.slip_roll;
}

void staff_count_slip(struct app *a)
{
    bool was_low = paper_low(a);
    a->slips_since_refill++;
    if (paper_low(a) && !was_low)
        log_warn("slip", "paper running low: about %d slips left of the roll", slips_left(a));
}

void staff_note_device(struct app *a, enum ui_device d, int code)
{
    if (a->dev_since[d] && a->dev_code[d] == code)
        return;
    a->dev_code[d] = code;
    a->dev_since[d] = clock_wall_s();
}

void staff_note_registry(struct app *a, const struct flow_reply *failed)
{
    struct clock_cst t;
    clock_to_cst(clock_wall_s(), &t);
    if (failed->status)
        snprintf(a->registry_error, sizeof a->registry_error, "%02d:%02d HTTP %d", t.hour, t.minute,
                 failed->status);
    else
        snprintf(a->registry_error, sizeof a->registry_error, "%02d:%02d %s", t.hour, t.minute,
                 err_str(failed->err));
}

/* A device's row: its state, the detail, and since when it is so ("自
 * 09:42 起"; with the date when before today). */
static void device(struct app *a, struct ui_staff_view *v, enum ui_device d,
                   enum ui_device_state st, const char *detail)
{
    v->state[d] = st;
    str_copy(v->detail[d], sizeof v->detail[d], detail);
    v->since[d][0] = '\0';
    int64_t at = a->dev_since[d];
    if (!at)
        return;
    struct clock_cst t, now;
    clock_to_cst(at, &t);
    clock_to_cst(clock_wall_s(), &now);
    char when[24];
    if (t.year == now.year && t.month == now.month && t.day == now.day)
        snprintf(when, sizeof when, "%02d:%02d", t.hour, t.minute);
    else
        i18n_date(when, sizeof when, t.year, t.month, t.day, I18N_DATE_DAY);
    i18n_subst(v->since[d], sizeof v->since[d], tr("staff.since"), when, NULL, NULL);
}

static void slip_device(struct app *a, struct ui_staff_view *v)
{
    const struct slip_status *s = &a->slip_status;
    char line[160];
    /* The cause before its effect: out of paper also reads as offline. */
    const char *what = tr(s->paper_out        ? "staff.slip_paper_out"
                          : s->cover_open     ? "staff.slip_cover"
                          : !s->online        ? "staff.slip_offline"
                          : s->paper_near_end ? "staff.slip_near_end"
                                              : "staff.slip_ready");
    /* What the printer says of itself, the paper count, the jobs waiting. */
    char n[16], left[16], pending[48];
    snprintf(n, sizeof n, "%d", a->slips_since_refill);
    snprintf(left, sizeof left, "%d", slips_left(a));
    i18n_subst(line, sizeof line, tr("staff.slip_line"), what, n, left);
    if (s->pending) {
        snprintf(n, sizeof n, "%d", s->pending);
        i18n_subst(pending, sizeof pending, tr("staff.slip_pending"), n, NULL, NULL);
        size_t at = strlen(line);
        snprintf(line + at, sizeof line - at, " · %s", pending);
    }
    enum ui_device_state st = !s->online || s->paper_out || s->cover_open || s->error
                                  ? UI_DEVICE_FAULT
                              : s->paper_near_end || paper_low(a) ? UI_DEVICE_WARN
                                                                  : UI_DEVICE_OK;
    device(a, v, UI_DEV_SLIP, a->slip ? st : UI_DEVICE_OFF, a->slip ? line : tr("staff.none"));
}

void staff_refresh(struct app *a, int64_t now_ms)
{
    if (a->flow.screen != SCREEN_STAFF || !a->printer || !a->cfg.cups_queue[0] ||
        now_ms < a->a4_due_ms)
        return;
    a->a4_due_ms = now_ms + 5000;
    print_worker_submit(a->printer, &(struct print_job){.kind = PRINT_JOB_STATUS});
}

void staff_note_a4(struct app *a, int err, const char *reasons)
{
    if (err != a->a4_err || !a->a4_checked || strcmp(reasons, a->a4_reasons) != 0)
        log_info("print", "A4 printer %s: %s (%s)", a->cfg.cups_queue, err ? err_str(err) : "ready",
                 reasons[0] ? reasons : "-");
    a->a4_err = err;
    a->a4_checked = true;
    str_copy(a->a4_reasons, sizeof a->a4_reasons, reasons);
    staff_note_device(a, UI_DEV_A4, err);
}

/* CUPS's printer-state-reasons in words: each keyword (its -report,
 * -warning or -error suffix aside) that staff can act on is said, an
 * unknown one is shown as CUPS names it. *warn is set when one is more
 * than a report. */
static void a4_reasons(const char *reasons, char *out, size_t size, bool *warn)
{
    static const struct {
        const char *keyword, *key;
    } words[] = {
        {"media-empty", "a4why.paper_out"},
        {"media-needed", "a4why.paper_out"},
        {"media-jam", "a4why.jam"},
        {"media-low", "a4why.paper_low"},
        {"cover-open", "a4why.cover"},
        {"door-open", "a4why.cover"},
        {"input-tray-missing", "a4why.tray"},
        {"output-area-full", "a4why.output_full"},
        {"toner-empty", "a4why.toner_out"},
        {"marker-supply-empty", "a4why.toner_out"},
        {"toner-low", "a4why.toner_low"},
        {"marker-supply-low", "a4why.toner_low"},
        {"offline", "a4why.offline"},
        {"timed-out", "a4why.offline"},
        {"connecting-to-device", "a4why.connecting"},
        {"paused", "a4why.paused"},
        {"spool-area-full", "a4why.spool_full"},
        {"cups-missing-filter", "a4why.no_driver"},
        {"other", "a4why.other"},
    };
    out[0] = '\0';
    *warn = false;
    char list[128];
    str_copy(list, sizeof list, reasons);
    char *save = NULL;
    for (char *kw = strtok_r(list, ",", &save); kw; kw = strtok_r(NULL, ",", &save)) {
        if (strcmp(kw, "none") == 0)
            continue;
        size_t n = strlen(kw);
        static const char *const suffixes[] = {"-report", "-warning", "-error"};
        bool report = false;
        for (size_t i = 0; i < 3; i++) {
            size_t m = strlen(suffixes[i]);
            if (n > m && strcmp(kw + n - m, suffixes[i]) == 0) {
                kw[n - m] = '\0';
                report = i == 0;
                break;
            }
        }
        const char *said = kw;
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (strcmp(kw, words[i].keyword) == 0)
                said = tr(words[i].key);
        if (strstr(out, said))
            continue;
        char so_far[128];
        str_copy(so_far, sizeof so_far, out);
        if (so_far[0])
            i18n_subst(out, size, tr("a4why.join"), so_far, said, NULL);
        else
            str_copy(out, size, said);
        *warn = *warn || !report;
    }
}

/* The A4 printer: the CUPS queue's state in words, or the folder. */
static void a4_device(struct app *a, struct ui_staff_view *v)
{
    if (!a->printer) {
        device(a, v, UI_DEV_A4, UI_DEVICE_OFF, tr("staff.none"));
        return;
    }
    if (!a->cfg.cups_queue[0]) {
        device(a, v, UI_DEV_A4, UI_DEVICE_OK, tr("staff.folder"));
        return;
    }
    const char *key = !a->a4_checked              ? "staff.a4_checking"
                      : a->a4_err == 0            ? "staff.a4_ready"
                      : a->a4_err == ERR_NODEV    ? "staff.a4_stopped"
                      : a->a4_err == ERR_BUSY     ? "staff.a4_refusing"
                      : a->a4_err == ERR_NOTFOUND ? "staff.a4_no_queue"
                                                  : "staff.a4_no_cups";
    char why[128], line[160];
    bool warn = false;
    a4_reasons(a->a4_checked ? a->a4_reasons : "", why, sizeof why, &warn);
    i18n_subst(line, sizeof line, tr(key), a->cfg.cups_queue, why[0] ? why : tr("a4why.unknown"),
               NULL);
    if (a->a4_err == 0 && why[0]) {
        /* Ready, with something to tell: toner low ... */
        size_t n = strlen(line);
        snprintf(line + n, sizeof line - n, " · %s", why);
    }
    device(a, v, UI_DEV_A4,
           !a->a4_checked ? UI_DEVICE_WARN
           : a->a4_err    ? UI_DEVICE_FAULT
           : warn         ? UI_DEVICE_WARN
                          : UI_DEVICE_OK,
           line);
}

static void disk_device(struct app *a, struct ui_staff_view *v)
{
    struct statvfs fs;
    char line[160];
    if (statvfs(a->cfg.output_dir, &fs) != 0 || fs.f_blocks == 0) {
        device(a, v, UI_DEV_DISK, UI_DEVICE_FAULT, tr("staff.disk_unknown"));
        return;
    }
    unsigned long long free_mb =
        (unsigned long long)fs.f_bavail * fs.f_frsize / (1024ULL * 1024ULL);
    int used = (int)(100 - fs.f_bavail * 100 / fs.f_blocks);
    char u[16], f[24];
    snprintf(u, sizeof u, "%d", used);
    snprintf(f, sizeof f, "%llu", free_mb);
    i18n_subst(line, sizeof line, tr("staff.disk_line"), u, f, NULL);
    enum ui_device_state st = free_mb < 200 ? UI_DEVICE_FAULT
                              : used > 90   ? UI_DEVICE_WARN
                                            : UI_DEVICE_OK;
    staff_note_device(a, UI_DEV_DISK, (int)st);
    device(a, v, UI_DEV_DISK, st, line);
}

/* The clock: whether the kernel's clock is disciplined by a time server
 * (adjtimex, read-only), and how far it is from the registry's, which
 * decides booking windows and check-in: a few seconds is a warning, more
 * than a minute a fault. */
static void clock_device(struct app *a, struct ui_staff_view *v)
{
    struct timex tx = {0};
    int rc = adjtimex(&tx);
    bool ntp = rc >= 0 && rc != TIME_ERROR && !(tx.status & STA_UNSYNC);
    struct backend_link link;
    backend_link(a->backend, &link);
    int64_t skew = link.skew_s < 0 ? -link.skew_s : link.skew_s;
    char line[160], n[24], theirs[96];
    snprintf(n, sizeof n, "%lld", (long long)skew);
    if (!link.skew_known)
        str_copy(theirs, sizeof theirs, tr("staff.clock_unchecked"));
    else if (skew <= 1)
        str_copy(theirs, sizeof theirs, tr("staff.clock_same"));
    else
        i18n_subst(theirs, sizeof theirs,
                   tr(link.skew_s > 0 ? "staff.clock_behind" : "staff.clock_ahead"), n, NULL, NULL);
    snprintf(line, sizeof line, "%s · %s", tr(ntp ? "staff.clock_ntp" : "staff.clock_no_ntp"),
             theirs);
    /* The registry's clock is the one that matters; without it, NTP's word. */
    enum ui_device_state st;
    if (link.skew_known)
        st = skew > 60 ? UI_DEVICE_FAULT : skew > 5 ? UI_DEVICE_WARN : UI_DEVICE_OK;
    else
        st = ntp ? UI_DEVICE_OK : UI_DEVICE_WARN;
    staff_note_device(a, UI_DEV_CLOCK, (int)st);
    device(a, v, UI_DEV_CLOCK, st, line);
}

const struct ui_staff_view *staff_view(struct app *a)
{
    if (a->flow.screen != SCREEN_STAFF)
        return NULL;
    struct ui_staff_view *v = &a->staff_view;
    char line[160];
    idcard_reader_status(a->reader, line, sizeof line);
    device(a, v, UI_DEV_READER, a->flow.reader_connected ? UI_DEVICE_OK : UI_DEVICE_FAULT, line);
    const struct driver_info *cam = a->camera_dev.driver;
    device(a, v, UI_DEV_CAMERA, cam ? UI_DEVICE_OK : UI_DEVICE_OFF,
           cam ? cam->description : tr("staff.none"));
    slip_device(a, v);
    a4_device(a, v);
    /* Connected: the round trip of the last health poll. */
    struct backend_link link;
    backend_link(a->backend, &link);
    char rtt[16];
    snprintf(rtt, sizeof rtt, "%d", link.rtt_ms);
    i18n_subst(line, sizeof line,
               tr(!a->flow.registry_connected ? "staff.disconnected"
                  : link.rtt_ms >= 0          ? "staff.connected"
                                              : "staff.connected_no_rtt"),
               rtt, a->registry_error[0] ? a->registry_error : tr("staff.no_error"), NULL);
    device(a, v, UI_DEV_REGISTRY, a->flow.registry_connected ? UI_DEVICE_OK : UI_DEVICE_FAULT,
           line);
    clock_device(a, v);
    disk_device(a, v);
    struct face_judgement j = {0};
    if (a->flow.camera_preview && a->face)
        face_preview_judged(a->face, &j);
    v->faces = j.faces;
    v->face_box = (SDL_Rect){j.x, j.y, j.w, j.h};
    v->luma = j.luma;
    v->sharpness = j.sharpness;
    v->page_test = (enum ui_page_test)a->page_test;
    str_copy(v->page_err, sizeof v->page_err, a->page_err ? err_str(a->page_err) : "");
    v->log_count = a->flow.staff_tab == 1 ? log_tail_copy(v->log, UI_LOG_LINES) : 0;
    if (a->flow.staff_tab == 2)
        read_jobs(a, v, clock_mono_ms());
    else
        a->jobs_due_ms = 0;
    return v;
}
