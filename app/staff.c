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
#include "log_tail.h"
#include "outbox_pump.h"
#include "print/slip_compose.h"
#include "store/hall_cache.h"
#include "store/outbox.h"
#include "store/staff_pins.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

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
    /* The journal knows a slip by its number: each test slip its own. */
    static unsigned tests;
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    snprintf(st.number, sizeof st.number, "TEST-%02d%02d-%u", c.hour, c.minute, ++tests % 1000);
    str_copy(st.service, sizeof st.service, tr_lang(I18N_ZH, "staff.test_slip"));
    snprintf(st.windows, sizeof st.windows, "%s", a->cfg.terminal);
    effects_submit_slip(a, &st, req_id);
}

void staff_act(struct app *a, const struct flow_action *act)
{
    enum flow_staff_action action = (enum flow_staff_action)act->arg;
    char detail[64] = "";
    switch (action) {
    case STAFF_TEST_SLIP:
        test_slip(a, act->req_id);
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

void staff_note_registry(struct app *a, const struct flow_reply *failed)
{
    struct clock_cst t;
    clock_to_cst(clock_wall_s(), &t);
    if (!failed) {
        snprintf(a->registry_since, sizeof a->registry_since, "%02d:%02d", t.hour, t.minute);
        return;
    }
    if (failed->status)
        snprintf(a->registry_error, sizeof a->registry_error, "%02d:%02d HTTP %d", t.hour, t.minute,
                 failed->status);
    else
        snprintf(a->registry_error, sizeof a->registry_error, "%02d:%02d %s", t.hour, t.minute,
                 err_str(failed->err));
}

static void device(struct ui_staff_view *v, enum ui_device d, enum ui_device_state st,
                   const char *detail)
{
    v->state[d] = st;
    str_copy(v->detail[d], sizeof v->detail[d], detail);
}

static void slip_device(struct app *a, struct ui_staff_view *v)
{
    const struct slip_status *s = &a->slip_status;
    char line[96];
    /* The cause before its effect: out of paper also reads as offline. */
    const char *what = tr(s->paper_out        ? "staff.slip_paper_out"
                          : s->cover_open     ? "staff.slip_cover"
                          : !s->online        ? "staff.slip_offline"
                          : s->paper_near_end ? "staff.slip_near_end"
                                              : "staff.slip_ready");
    char n[16], left[16];
    snprintf(n, sizeof n, "%d", s->pending);
    snprintf(left, sizeof left, "%d", slips_left(a));
    i18n_subst(line, sizeof line, tr("staff.slip_line"), what, n, left);
    enum ui_device_state st = !s->online || s->paper_out || s->cover_open || s->error
                                  ? UI_DEVICE_FAULT
                              : s->paper_near_end || paper_low(a) ? UI_DEVICE_WARN
                                                                  : UI_DEVICE_OK;
    device(v, UI_DEV_SLIP, a->slip ? st : UI_DEVICE_OFF, a->slip ? line : tr("staff.none"));
}

void staff_refresh(struct app *a, int64_t now_ms)
{
    if (a->flow.screen != SCREEN_STAFF || !a->printer || !a->cfg.cups_queue[0] ||
        now_ms < a->a4_due_ms)
        return;
    a->a4_due_ms = now_ms + 5000;
    print_worker_submit(a->printer, &(struct print_job){.kind = PRINT_JOB_STATUS});
}

void staff_note_a4(struct app *a, int err)
{
    if (err != a->a4_err || !a->a4_checked)
        log_info("print", "A4 printer %s: %s", a->cfg.cups_queue, err ? err_str(err) : "ready");
    a->a4_err = err;
    a->a4_checked = true;
}

/* The A4 printer: the CUPS queue's state in words, or the folder. */
static void a4_device(struct app *a, struct ui_staff_view *v)
{
    if (!a->printer) {
        device(v, UI_DEV_A4, UI_DEVICE_OFF, tr("staff.none"));
        return;
    }
    if (!a->cfg.cups_queue[0]) {
        device(v, UI_DEV_A4, UI_DEVICE_OK, tr("staff.folder"));
        return;
    }
    const char *key = !a->a4_checked              ? "staff.a4_checking"
                      : a->a4_err == 0            ? "staff.a4_ready"
                      : a->a4_err == ERR_NODEV    ? "staff.a4_stopped"
                      : a->a4_err == ERR_BUSY     ? "staff.a4_refusing"
                      : a->a4_err == ERR_NOTFOUND ? "staff.a4_no_queue"
                                                  : "staff.a4_no_cups";
    char line[96];
    i18n_subst(line, sizeof line, tr(key), a->cfg.cups_queue, NULL, NULL);
    device(v, UI_DEV_A4,
           !a->a4_checked ? UI_DEVICE_WARN
           : a->a4_err    ? UI_DEVICE_FAULT
                          : UI_DEVICE_OK,
           line);
}

static void disk_device(struct app *a, struct ui_staff_view *v)
{
    struct statvfs fs;
    char line[96];
    if (statvfs(a->cfg.output_dir, &fs) != 0 || fs.f_blocks == 0) {
        device(v, UI_DEV_DISK, UI_DEVICE_FAULT, tr("staff.disk_unknown"));
        return;
    }
    unsigned long long free_mb =
        (unsigned long long)fs.f_bavail * fs.f_frsize / (1024ULL * 1024ULL);
    int used = (int)(100 - fs.f_bavail * 100 / fs.f_blocks);
    char u[16], f[24];
    snprintf(u, sizeof u, "%d", used);
    snprintf(f, sizeof f, "%llu", free_mb);
    i18n_subst(line, sizeof line, tr("staff.disk_line"), u, f, NULL);
    device(v, UI_DEV_DISK,
           free_mb < 200 ? UI_DEVICE_FAULT
           : used > 90   ? UI_DEVICE_WARN
                         : UI_DEVICE_OK,
           line);
}

const struct ui_staff_view *staff_view(struct app *a)
{
    if (a->flow.screen != SCREEN_STAFF)
        return NULL;
    struct ui_staff_view *v = &a->staff_view;
    char line[96];
    idcard_reader_status(a->reader, line, sizeof line);
    device(v, UI_DEV_READER, a->flow.reader_connected ? UI_DEVICE_OK : UI_DEVICE_FAULT, line);
    const struct driver_info *cam = a->camera_dev.driver;
    device(v, UI_DEV_CAMERA, cam ? UI_DEVICE_OK : UI_DEVICE_OFF,
           cam ? cam->description : tr("staff.none"));
    slip_device(a, v);
    a4_device(a, v);
    i18n_subst(line, sizeof line,
               tr(a->flow.registry_connected ? "staff.connected" : "staff.disconnected"),
               a->registry_since[0] ? a->registry_since : "--:--",
               a->registry_error[0] ? a->registry_error : tr("staff.no_error"), NULL);
    device(v, UI_DEV_REGISTRY, a->flow.registry_connected ? UI_DEVICE_OK : UI_DEVICE_FAULT, line);
    disk_device(a, v);
    v->slips_since_refill = a->slips_since_refill;
    v->log_count = a->flow.staff_tab == 1 ? log_tail_copy(v->log, UI_LOG_LINES) : 0;
    return v;
}
