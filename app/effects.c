/* effects.c - the flow's actions, carried out on the workers.
 *
 * The flow (core/flow.h) is a pure state machine: it answers each event
 * with a list of actions. This file runs events through it and performs
 * each action on the worker that owns the resource: the face thread, the
 * registry client, the print and slip workers, the simulated reader. UI
 * thread only.
 *
 * DESIGN: one function per action kind, in a table indexed by the kind,
 * so what an action does is one look away from its name. Workers answer
 * later, through the bus (inbox.c). A request that cannot even be queued
 * is answered at once with the event the worker would have sent, so the
 * flow never waits for a reply that will not come.
 */
#include "app.h"

#include "backend/backend.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "core/i18n.h"
#include "drivers/idcard/idcard_reader.h"
#include "face/face.h"
#include "outbox_pump.h"
#include "rating.h"
#include "staff.h"
#include "staff_settings.h"
#include "store/outbox.h"

#include <assert.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void run_actions(struct app *a, const struct flow_actions *acts);

/* The guide and the notice, when they are due and the registry answers.
 * Their replies are kept by the inbox, not the flow. */
static void refresh_hall(struct app *a, int64_t now)
{
    if (!a->backend || !a->flow.registry_connected || now < a->hall_due_ms)
        return;
    a->hall_due_ms = now + HALL_REFRESH_MS;
    if (backend_fetch_services(a->backend, 0) || backend_fetch_notice(a->backend, 0))
        log_warn("app", "guide or notice not requested");
}

void effects_feed(struct app *a, struct flow_event ev)
{
    struct flow_actions acts = {0};
    ev.now_ms = clock_mono_ms();
    ev.wall_s = clock_wall_s();
    if (ev.kind == FLOW_EV_TICK) {
        refresh_hall(a, ev.now_ms);
        staff_refresh(a, ev.now_ms);
    }
    struct speech_mark mark;
    speech_mark(a, &mark);
    flow_handle(&a->flow, &a->session, &ev, &acts);
    run_actions(a, &acts);
    /* The card screen asks for a card: the reader looks for one often, so
     * a card laid is read at once, not after the rest of a slow poll. */
    idcard_reader_set_waiting(a->reader, a->flow.screen == SCREEN_INSERT_CARD);
    speech_after(a, &mark, &ev);
    staff_settings_light(a);
}

void effects_end_session(struct app *a)
{
    if (a->session.token[0])
        backend_end_session(a->backend, a->session.token);
    face_stop(a->face);
    face_wipe(a->face);
    wipe_release(a->camera_rgb, CAMERA_MAX);
    a->camera_w = a->camera_h = 0;
    cert_image_fini(&a->preview);
    print_worker_submit(a->printer, &(struct print_job){.kind = PRINT_JOB_PURGE});
    /* A slip still waiting for the printer is not for whoever comes next. */
    slip_worker_end_visit(a->slip);
    a->pdf_path[0] = '\0';
    if (a->opt.demo)
        devices_clean_demo_output(&a->cfg, false);
    log_info("session", "visit ended after %lld s",
             (long long)((clock_mono_ms() - a->session.started_ms) / 1000));
    session_wipe(&a->session);
    /* A visit leaves freed pages behind (records, preview, text) and font
     * pages it drew from: they go back once home is drawn (app_present),
     * after the UI dropped the visit's texts and pictures. */
    a->release_due = true;
}

/* A request that could not even be queued is answered at once, as the
 * registry being unreachable, so the flow shows its error screen. */
static void submit_failed(struct app *a, uint32_t req_id, enum flow_reply_kind kind, int rc)
{
    log_err("app", "request could not be queued: %s", err_str(rc));
    struct flow_reply r = {.kind = kind, .err = rc, .problem = PROBLEM_REGISTRY_DOWN};
    effects_feed(a, (struct flow_event){.kind = FLOW_EV_REPLY, .req_id = req_id, .reply = &r});
}

/* ---- one function per action ------------------------------------------ */

static void act_redraw(struct app *a, const struct flow_action *act)
{
    (void)a;
    (void)act; /* the generation below marks the view changed */
}

static void act_camera_start(struct app *a, const struct flow_action *act)
{
    (void)act;
    face_start(a->face);
}

static void act_camera_stop(struct app *a, const struct flow_action *act)
{
    (void)act;
    face_stop(a->face);
    wipe_release(a->camera_rgb, CAMERA_MAX);
    a->camera_w = a->camera_h = 0;
}

/* The card in the session and the face the capture kept go to the
 * registry; the JPEG is wiped as soon as the request holds its copy. */
static void act_open_session(struct app *a, const struct flow_action *act)
{
    uint8_t *jpeg = NULL;
    size_t len = 0;
    int rc = face_take_jpeg(a->face, &jpeg, &len);
    if (rc == 0)
        rc = backend_open_session(a->backend, act->req_id, &a->session.card, jpeg, len,
                                  face_challenge_name(a->face), true);
    if (jpeg) {
        explicit_bzero(jpeg, len);
        free(jpeg);
    }
    if (rc != 0)
        submit_failed(a, act->req_id, REPLY_SESSION, rc);
}

static void act_fetch_properties(struct app *a, const struct flow_action *act)
{
    int rc = backend_fetch_properties(a->backend, act->req_id, a->session.token);
    if (rc)
        submit_failed(a, act->req_id, REPLY_PROPERTIES, rc);
}

static void act_issue_cert(struct app *a, const struct flow_action *act)
{
    int rc = backend_issue_certificate(a->backend, act->req_id, a->session.token,
                                       flow_purpose_proof(act->arg),
                                       tr_lang(I18N_ZH, flow_purpose_key(act->arg)));
    if (rc)
        submit_failed(a, act->req_id, REPLY_CERTIFICATE, rc);
}

/* Composing (PDF and preview) and printing go to the same worker; a job it
 * refuses is answered as that job's failure. */
static void submit_print_job(struct app *a, const struct flow_action *act, enum print_job_kind kind,
                             enum flow_event_kind answer)
{
    struct print_job job = {
        .kind = kind,
        .req_id = act->req_id,
        .cert = &a->session.cert,
        .copies = kind == PRINT_JOB_PRINT ? act->arg : 1,
        .demo = a->opt.demo,
    };
    int rc = print_worker_submit(a->printer, &job);
    if (rc) {
        log_err("print", "job not accepted: %s", err_str(rc));
        effects_feed(a, (struct flow_event){.kind = answer, .req_id = act->req_id, .err = rc});
    }
}

static void act_compose_cert(struct app *a, const struct flow_action *act)
{
    submit_print_job(a, act, PRINT_JOB_COMPOSE, FLOW_EV_CERT_READY);
}

static void act_print_cert(struct app *a, const struct flow_action *act)
{
    submit_print_job(a, act, PRINT_JOB_PRINT, FLOW_EV_PRINT_DONE);
}

/* The rating goes into the outbox, which delivers it exactly once when the
 * registry is reachable; the visit ends whatever happens to it. The body
 * is built from the session's whitelist (rating.h): never the token. The
 * rating screen offers no reasons yet; when it does, they go here. */
static void act_submit_rating(struct app *a, const struct flow_action *act)
{
    const char *reasons[FLOW_REASON_COUNT];
    int reason_count = 0;
    for (int i = 0; i < FLOW_REASON_COUNT; i++)
        if (a->session.reasons & (1u << i))
            reasons[reason_count++] = tr_lang(I18N_ZH, flow_reason_key(i));
    struct buf body;
    buf_init(&body, OUTBOX_BODY_MAX - 1);
    int rc = rating_format(&a->session, act->arg, reasons, reason_count, &body);
    if (!rc)
        rc = outbox_pump_put(a->outbox, OUTBOX_KIND_RATING, "POST", "/v1/ratings",
                             (const char *)body.data);
    if (rc)
        log_warn("rating", "a rating (%d) is lost: %s", act->arg, err_str(rc));
    buf_fini(&body);
}

static void act_call_staff(struct app *a, const struct flow_action *act)
{
    (void)act;
    /* Staff alerting goes through fleet status; the log line is the record. */
    log_notice("staff", "citizen asked for help on screen %s", flow_screen_name(a->flow.screen));
}

static void act_end_session(struct app *a, const struct flow_action *act)
{
    (void)act;
    effects_end_session(a);
}

static void act_demo_card(struct app *a, const struct flow_action *act)
{
    devices_present_demo_card(a, act->arg);
}

static void act_settings_changed(struct app *a, const struct flow_action *act)
{
    (void)act;
    i18n_set_lang(a->flow.english ? I18N_EN : I18N_ZH);
}

/* A walk-in number for the service chosen in the guide; the counter
 * route (no service chosen) queues for 查询. */
static void act_take_ticket(struct app *a, const struct flow_action *act)
{
    const char *svc = a->session.svc[0] ? a->session.svc : "query";
    int rc = backend_take_ticket(a->backend, act->req_id, a->session.token, svc);
    if (rc)
        submit_failed(a, act->req_id, REPLY_TICKET, rc);
}

static void act_check_in(struct app *a, const struct flow_action *act)
{
    int rc = backend_check_in(a->backend, act->req_id, a->session.token);
    if (rc)
        submit_failed(a, act->req_id, REPLY_TICKET, rc);
}

static void act_fetch_slots(struct app *a, const struct flow_action *act)
{
    int rc = backend_fetch_slots(a->backend, act->req_id, a->session.svc, 5);
    if (rc)
        submit_failed(a, act->req_id, REPLY_SLOTS, rc);
}

static void act_book(struct app *a, const struct flow_action *act)
{
    int rc = backend_book(a->backend, act->req_id, a->session.token, a->session.svc,
                          a->session.slot_id, a->session.phone);
    if (rc)
        submit_failed(a, act->req_id, REPLY_BOOKING, rc);
}

/* The receipt the citizen typed: JZ20261120-00123 from its 13 digits. */
static void act_lookup_app(struct app *a, const struct flow_action *act)
{
    const char *d = a->session.receipt;
    char receipt[24];
    snprintf(receipt, sizeof receipt, "JZ%.8s-%.5s", d, strlen(d) > 8 ? d + 8 : "");
    int rc = backend_lookup_application(a->backend, act->req_id, receipt);
    if (rc)
        submit_failed(a, act->req_id, REPLY_APPLICATIONS, rc);
}

static void act_fetch_apps(struct app *a, const struct flow_action *act)
{
    int rc = backend_fetch_applications(a->backend, act->req_id, a->session.token);
    if (rc)
        submit_failed(a, act->req_id, REPLY_APPLICATIONS, rc);
}

static void act_fetch_bookings(struct app *a, const struct flow_action *act)
{
    int rc = backend_fetch_bookings(a->backend, act->req_id, a->session.token);
    if (rc)
        submit_failed(a, act->req_id, REPLY_BOOKINGS, rc);
}

/* The booking the citizen confirmed, by its check-in code. */
static void act_unbook(struct app *a, const struct flow_action *act)
{
    const struct booking_list *l = &a->session.bookings;
    int rc = act->arg >= 0 && act->arg < l->count
                 ? backend_cancel_booking(a->backend, act->req_id, a->session.token,
                                          l->items[act->arg].code)
                 : ERR_INVALID;
    if (rc)
        submit_failed(a, act->req_id, REPLY_UNBOOKED, rc);
}

static void act_link_cert(struct app *a, const struct flow_action *act)
{
    int rc =
        backend_link_certificate(a->backend, act->req_id, a->session.token, a->session.cert.number);
    if (rc)
        submit_failed(a, act->req_id, REPLY_LINK, rc);
}

/* Where and when a slip is printed, and by which terminal: every slip's
 * frame (queue, appointment, the staff's test slip). */
void effects_slip_frame(struct app *a, struct slip_ticket *st)
{
    str_copy(st->office, sizeof st->office, a->cfg.office);
    str_copy(st->hall, sizeof st->hall, a->cfg.hall);
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    snprintf(st->printed_at, sizeof st->printed_at, "%04d-%02d-%02d %02d:%02d", c.year, c.month,
             c.day, c.hour, c.minute);
    i18n_subst(st->terminal, sizeof st->terminal, tr_lang(I18N_ZH, "slip.terminal"),
               a->cfg.terminal, NULL, NULL);
    st->demo = a->opt.demo;
}

/* Hands a slip to the slip worker; one it refuses is answered at once as
 * a failed slip. */
void effects_submit_slip(struct app *a, const struct slip_ticket *st, uint32_t req_id)
{
    int rc = slip_worker_submit(a->slip, st, req_id);
    if (rc) {
        log_err("slip", "slip not accepted: %s", err_str(rc));
        effects_feed(a, (struct flow_event){
                            .kind = FLOW_EV_SLIP, .req_id = req_id, .slip = FLOW_SLIP_FAILED});
    }
}

/* The queue slip of the ticket in the session: the registry's data plus
 * where and when it was printed. No personal data is on a slip. */
static void act_print_slip(struct app *a, const struct flow_action *act)
{
    const struct ticket *t = &a->session.ticket;
    struct slip_ticket st = {
        .kind = t->code[0] ? SLIP_APPOINTMENT : SLIP_QUEUE,
        .ahead = t->ahead,
        .wait_min = t->wait_minutes,
    };
    effects_slip_frame(a, &st);
    str_copy(st.number, sizeof st.number, t->number);
    str_copy(st.service, sizeof st.service, t->service_name);
    str_copy(st.windows, sizeof st.windows, t->windows_text);
    str_copy(st.time_limit, sizeof st.time_limit, t->time_limit);
    str_copy(st.appointment, sizeof st.appointment, t->appointment);
    str_copy(st.follow_url, sizeof st.follow_url, t->follow_url);
    for (int i = 0; i < t->material_count && i < SLIP_MATERIALS_MAX; i++)
        str_copy(st.materials[i], sizeof st.materials[i], t->materials[i]);
    st.material_count =
        t->material_count < SLIP_MATERIALS_MAX ? t->material_count : SLIP_MATERIALS_MAX;
    effects_submit_slip(a, &st, act->req_id);
}

typedef void (*effects_action_fn)(struct app *a, const struct flow_action *act);

static const effects_action_fn effects_actions[] = {
    [ACT_REDRAW] = act_redraw,
    [ACT_CAMERA_START] = act_camera_start,
    [ACT_CAMERA_STOP] = act_camera_stop,
    [ACT_OPEN_SESSION] = act_open_session,
    [ACT_FETCH_PROPERTIES] = act_fetch_properties,
    [ACT_ISSUE_CERT] = act_issue_cert,
    [ACT_COMPOSE_CERT] = act_compose_cert,
    [ACT_PRINT_CERT] = act_print_cert,
    [ACT_SUBMIT_RATING] = act_submit_rating,
    [ACT_CALL_STAFF] = act_call_staff,
    [ACT_END_SESSION] = act_end_session,
    [ACT_DEMO_CARD] = act_demo_card,
    [ACT_SETTINGS_CHANGED] = act_settings_changed,
    [ACT_TAKE_TICKET] = act_take_ticket,
    [ACT_PRINT_SLIP] = act_print_slip,
    [ACT_FETCH_SLOTS] = act_fetch_slots,
    [ACT_BOOK] = act_book,
    [ACT_FETCH_APPS] = act_fetch_apps,
    [ACT_CHECK_IN] = act_check_in,
    [ACT_LOOKUP_APP] = act_lookup_app,
    [ACT_FETCH_BOOKINGS] = act_fetch_bookings,
    [ACT_UNBOOK] = act_unbook,
    [ACT_LINK_CERT] = act_link_cert,
    [ACT_STAFF_CHECK_PIN] = staff_check_pin,
    [ACT_STAFF] = staff_act,
    [ACT_CHECK_STAFF] = staff_check_card,
    [ACT_SETTING] = staff_settings_act,
};

static void run_actions(struct app *a, const struct flow_actions *acts)
{
    for (int i = 0; i < acts->count; i++) {
        const struct flow_action *act = &acts->items[i];
        size_t k = (size_t)act->kind;
        assert(k < ARRAY_LEN(effects_actions) && effects_actions[k]);
        if (k < ARRAY_LEN(effects_actions) && effects_actions[k])
            effects_actions[k](a, act);
    }
    if (acts->count)
        a->generation++;
}
