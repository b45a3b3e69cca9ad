/* main.c - bdc-kiosk's composition root and its one event loop.
 *
 * DESIGN: this is the only file that sees every concrete type. It reads
 * the arguments and the config, starts the workers (card reader, face
 * thread, registry client, print worker, control socket; in demo mode the
 * bundled reference registry as a child process), and then runs the UI
 * thread's loop:
 *
 *   sleep until an input, a bus message, or the next time-driven change
 *   (idle banner second, animation step, clock minute) -> turn each into a
 *   flow event -> flow_handle -> carry out the actions -> hand the UI a new
 *   view -> draw only if it changed.
 *
 * Workers never touch the session or SDL; they post to the bus, whose
 * first message wakes the loop. How the loop sleeps depends on SDL's video
 * driver: X11 and Wayland block in SDL_WaitEventTimeout and the bus wakes
 * them with one registered SDL event; drivers that cannot block there (SDL
 * would poll every millisecond) sleep in poll() on an eventfd the bus
 * writes to, in slices short enough for touch input, or, headless, with
 * no input but the bus, for the whole timeout. So an idle kiosk does
 * nothing at all between minutes.
 */
#include "backend/backend.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "control.h"
#include "core/bus.h"
#include "core/config.h"
#include "core/flow.h"
#include "core/i18n.h"
#include "core/session.h"
#include "demo/demo.h"
#include "drivers/camera/camera.h"
#include "drivers/camera/camera_v4l2.h"
#ifdef KIOSK_HAVE_UVC
#include "drivers/camera/camera_uvc.h"
#endif
#include "drivers/core/transport_tty.h"
#include "drivers/core/transport_usb.h"
#include "drivers/escpos/printer.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/idcard_reader.h"
#include "drivers/idcard/idcard_sam.h"
#include "drivers/idcard/idcard_sim.h"
#include "face/face.h"
#include "print/print_worker.h"
#include "print/slip_worker.h"
#include "drivers/escpos/printer_lp.h"
#include "drivers/escpos/printer_usb.h"
#include "registry_child.h"
#include "ui/ui.h"

#include <SDL2/SDL.h>
#include <cjson/cJSON.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#define CAMERA_MAX (1280 * 720 * 3)

struct options {
    bool demo;
    bool window;
    bool headless;
    bool landscape_set, landscape;
    const char *config_path;
    const char *control_path;
    const char *registry_url;
    const char *assets;
};

struct app {
    struct options opt;
    struct config cfg;
    Uint32 wake_event;
    bool sdl_waits; /* SDL_WaitEventTimeout blocks (X11, Wayland) */
    int wake_fd;    /* eventfd the bus writes when SDL cannot block */
    struct bus *bus;

    struct flow flow;
    struct session session;
    unsigned generation;

    struct ui *ui;
    struct backend *backend;
    struct idcard_sim *reader_sim; /* demo: the simulated module, else NULL */
    struct transport *reader_t;
    struct idcard_reader *reader;
    struct camera_sim *camera_sim;   /* [devices] camera = sim (always in demo mode) */
    struct camera_v4l2 *camera_v4l2; /* [devices] camera = v4l2 */
    struct camera_uvc *camera_uvc;   /* [devices] camera = uvc */
    struct face *face;
    struct print_worker *printer;
    struct printer_sim *slip_sim; /* [devices] slip_printer = sim */
    struct printer_lp *slip_lp;   /* [devices] slip_printer = lp */
    struct printer_usb *slip_usb; /* [devices] slip_printer = usb */
    struct slip_worker *slip;
    struct slip_status slip_status;
    struct control *control;
    struct registry_child registry;

    uint8_t *camera_rgb;
    int camera_w, camera_h;
    uint32_t camera_seq;
    struct cert_image preview;
    char pdf_path[256];

    struct control_cmd *wait_cmd; /* a `wait` that is not answered yet */
    int wait_screen;
    int64_t wait_deadline_ms;

    int demo_next; /* F2 cycles through the demo citizens */
    bool quit;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

/* ---- workers -> bus ------------------------------------------------- */

static void wake_ui(void *user)
{
    struct app *a = user;
    if (a->sdl_waits) {
        SDL_Event e = {.type = a->wake_event};
        SDL_PushEvent(&e);
    } else {
        uint64_t one = 1;
        ssize_t w = write(a->wake_fd, &one, sizeof one);
        (void)w; /* a full counter still wakes the loop */
    }
}

static void free_card(void *p)
{
    explicit_bzero(p, sizeof(struct idcard));
    free(p);
}

static void on_card_inserted(void *user, const struct idcard *card)
{
    struct app *a = user;
    struct idcard *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = *card;
    struct bus_msg m = {.kind = BUS_CARD_INSERTED, .payload = copy, .free_payload = free_card};
    if (bus_post(a->bus, &m) != 0)
        free_card(copy);
}

static void on_card_removed(void *user)
{
    struct app *a = user;
    bus_post_simple(a->bus, BUS_CARD_REMOVED, 0, 0, 0, false);
}

static void on_card_failed(void *user, int err, int sam_status)
{
    struct app *a = user;
    bus_post_simple(a->bus, BUS_CARD_FAILED, 0, err, sam_status, false);
}

static void on_reader_state(void *user, bool connected)
{
    struct app *a = user;
    bus_post_simple(a->bus, BUS_READER_STATE, 0, 0, 0, connected);
}

static void free_reply(void *p)
{
    backend_reply_free(p);
}

static void on_reply(void *user, uint32_t req_id, struct flow_reply *reply)
{
    struct app *a = user;
    struct bus_msg m = {
        .kind = BUS_REPLY, .req_id = req_id, .payload = reply, .free_payload = free_reply};
    if (bus_post(a->bus, &m) != 0)
        backend_reply_free(reply);
}

static void on_registry_state(void *user, bool connected)
{
    struct app *a = user;
    bus_post_simple(a->bus, BUS_REGISTRY_STATE, 0, 0, 0, connected);
}

static void free_print_result(void *p)
{
    struct print_result *r = p;
    cert_image_fini(&r->preview);
    free(r);
}

/* Print worker thread: the result is the worker's; keep a copy and the
 * preview pixels, whose ownership the callback receives. */
static void on_print_done(void *user, struct print_result *r)
{
    struct app *a = user;
    struct print_result *copy = malloc(sizeof *copy);
    if (!copy) {
        cert_image_fini(&r->preview);
        return;
    }
    *copy = *r;
    r->preview = (struct cert_image){0};
    struct bus_msg m = {.kind = BUS_PRINT_RESULT,
                        .req_id = copy->req_id,
                        .err = copy->err,
                        .payload = copy,
                        .free_payload = free_print_result};
    if (bus_post(a->bus, &m) != 0)
        free_print_result(copy);
}

/* Slip worker thread: results and printer status go to the UI thread. */
static void post_copy(struct app *a, enum bus_kind kind, uint32_t req_id, const void *p,
                      size_t size)
{
    void *copy = malloc(size);
    if (!copy)
        return;
    memcpy(copy, p, size);
    struct bus_msg m = {.kind = kind, .req_id = req_id, .payload = copy, .free_payload = free};
    if (bus_post(a->bus, &m) != 0)
        free(copy);
}

static void on_slip_done(void *user, const struct slip_result *r)
{
    post_copy(user, BUS_SLIP_RESULT, r->req_id, r, sizeof *r);
}

static void on_slip_status(void *user, const struct slip_status *s)
{
    post_copy(user, BUS_SLIP_STATUS, 0, s, sizeof *s);
}

/* ---- flow ------------------------------------------------------------ */

static void run_actions(struct app *a, const struct flow_actions *acts);

static void feed(struct app *a, struct flow_event ev)
{
    struct flow_actions acts = {0};
    ev.now_ms = clock_mono_ms();
    flow_handle(&a->flow, &a->session, &ev, &acts);
    run_actions(a, &acts);
}

static void card_from_demo(const struct demo_citizen *c, struct idcard *out)
{
    memset(out, 0, sizeof *out);
    out->type = IDCARD_RESIDENT;
    str_copy(out->name, sizeof out->name, c->name);
    str_copy(out->gender, sizeof out->gender, c->gender);
    str_copy(out->ethnicity, sizeof out->ethnicity, c->ethnicity);
    str_copy(out->birth_date, sizeof out->birth_date, c->birth_date);
    str_copy(out->address, sizeof out->address, c->address);
    str_copy(out->id_number, sizeof out->id_number, c->id_number);
    str_copy(out->issuer, sizeof out->issuer, c->issuer);
    str_copy(out->valid_from, sizeof out->valid_from, c->valid_from);
    str_copy(out->valid_to, sizeof out->valid_to, c->valid_to);
}

static void present_demo_card(struct app *a, int index)
{
    struct demo_citizen c;
    if (!a->reader_sim || !demo_citizen_get(index, &c))
        return;
    struct idcard card;
    card_from_demo(&c, &card);
    idcard_sim_present(a->reader_sim, &card);
    explicit_bzero(&card, sizeof card);
    explicit_bzero(&c, sizeof c);
    a->demo_next = index + 1;
}

static void end_session(struct app *a)
{
    if (a->session.token[0])
        backend_end_session(a->backend, a->session.token);
    face_stop(a->face);
    face_wipe(a->face);
    explicit_bzero(a->camera_rgb, CAMERA_MAX);
    a->camera_w = a->camera_h = 0;
    cert_image_fini(&a->preview);
    print_worker_submit(a->printer, &(struct print_job){.kind = PRINT_JOB_PURGE});
    a->pdf_path[0] = '\0';
    log_info("session", "visit ended after %lld s",
             (long long)((clock_mono_ms() - a->session.started_ms) / 1000));
    session_wipe(&a->session);
    /* A visit leaves freed pages behind (records, preview, text): hand them
     * back, so an idle kiosk holds only what the next visit needs. */
    malloc_trim(0);
}

/* A request that could not even be queued is answered at once, as the
 * registry being unreachable, so the flow shows its error screen. */
static void submit_failed(struct app *a, uint32_t req_id, enum flow_reply_kind kind, int rc)
{
    log_err("app", "request could not be queued: %s", err_str(rc));
    struct flow_reply r = {.kind = kind, .err = rc, .problem = PROBLEM_REGISTRY_DOWN};
    feed(a, (struct flow_event){.kind = FLOW_EV_REPLY, .req_id = req_id, .reply = &r});
}

static void open_session(struct app *a, uint32_t req_id)
{
    uint8_t *jpeg = NULL;
    size_t len = 0;
    int rc = face_take_jpeg(a->face, &jpeg, &len);
    if (rc == 0)
        rc = backend_open_session(a->backend, req_id, &a->session.card, jpeg, len,
                                  face_challenge_name(a->face), true);
    if (jpeg) {
        explicit_bzero(jpeg, len);
        free(jpeg);
    }
    if (rc != 0)
        submit_failed(a, req_id, REPLY_SESSION, rc);
}

/* The queue slip of the ticket in the session: the registry's data plus
 * where and when it was printed. No personal data is on a slip. */
static void print_slip(struct app *a, uint32_t req_id)
{
    const struct ticket *t = &a->session.ticket;
    struct slip_ticket st = {
        .kind = t->appointment[0] ? SLIP_APPOINTMENT : SLIP_QUEUE,
        .ahead = t->ahead,
        .wait_min = t->wait_minutes,
        .demo = a->opt.demo,
    };
    str_copy(st.office, sizeof st.office, a->cfg.office);
    str_copy(st.hall, sizeof st.hall, a->cfg.hall);
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
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    snprintf(st.printed_at, sizeof st.printed_at, "%04d-%02d-%02d %02d:%02d", c.year, c.month,
             c.day, c.hour, c.minute);
    i18n_subst(st.terminal, sizeof st.terminal, tr_lang(I18N_ZH, "slip.terminal"), a->cfg.terminal,
               NULL, NULL);
    int rc = slip_worker_submit(a->slip, &st, req_id);
    if (rc) {
        log_err("slip", "slip not accepted: %s", err_str(rc));
        feed(a,
             (struct flow_event){.kind = FLOW_EV_SLIP, .req_id = req_id, .slip = FLOW_SLIP_FAILED});
    }
}

static void run_actions(struct app *a, const struct flow_actions *acts)
{
    for (int i = 0; i < acts->count; i++) {
        const struct flow_action *act = &acts->items[i];
        int rc = 0;
        switch (act->kind) {
        case ACT_REDRAW:
            break;
        case ACT_CAMERA_START:
            face_start(a->face);
            break;
        case ACT_CAMERA_STOP:
            face_stop(a->face);
            explicit_bzero(a->camera_rgb, CAMERA_MAX);
            a->camera_w = a->camera_h = 0;
            break;
        case ACT_OPEN_SESSION:
            open_session(a, act->req_id);
            break;
        case ACT_FETCH_PROPERTIES:
            rc = backend_fetch_properties(a->backend, act->req_id, a->session.token);
            if (rc)
                submit_failed(a, act->req_id, REPLY_PROPERTIES, rc);
            break;
        case ACT_ISSUE_CERT:
            rc = backend_issue_certificate(a->backend, act->req_id, a->session.token, "query",
                                           tr_lang(I18N_ZH, flow_purpose_key(act->arg)));
            if (rc)
                submit_failed(a, act->req_id, REPLY_CERTIFICATE, rc);
            break;
        case ACT_COMPOSE_CERT:
        case ACT_PRINT_CERT: {
            struct print_job job = {
                .kind = act->kind == ACT_COMPOSE_CERT ? PRINT_JOB_COMPOSE : PRINT_JOB_PRINT,
                .req_id = act->req_id,
                .cert = &a->session.cert,
                .copies = act->kind == ACT_PRINT_CERT ? act->arg : 1,
                .demo = a->opt.demo,
            };
            rc = print_worker_submit(a->printer, &job);
            if (rc) {
                log_err("print", "job not accepted: %s", err_str(rc));
                feed(a,
                     (struct flow_event){.kind = act->kind == ACT_COMPOSE_CERT ? FLOW_EV_CERT_READY
                                                                               : FLOW_EV_PRINT_DONE,
                                         .req_id = act->req_id,
                                         .err = rc});
            }
            break;
        }
        case ACT_SUBMIT_RATING:
            backend_submit_rating(a->backend, act->req_id, a->session.token, act->arg,
                                  a->session.service == SERVICE_PRINT_CERT ? "certificate"
                                  : a->session.service == SERVICE_RATE     ? "hall"
                                                                           : "query");
            break;
        case ACT_CALL_STAFF:
            /* Staff alerting goes through fleet status; the log line is the record. */
            log_notice("staff", "citizen asked for help on screen %s",
                       flow_screen_name(a->flow.screen));
            break;
        case ACT_END_SESSION:
            end_session(a);
            break;
        case ACT_DEMO_CARD:
            present_demo_card(a, act->arg);
            break;
        case ACT_TAKE_TICKET:
            rc = backend_take_ticket(a->backend, act->req_id, a->session.token, "query");
            if (rc)
                submit_failed(a, act->req_id, REPLY_TICKET, rc);
            break;
        case ACT_PRINT_SLIP:
            print_slip(a, act->req_id);
            break;
        case ACT_SETTINGS_CHANGED:
            i18n_set_lang(a->flow.english ? I18N_EN : I18N_ZH);
            break;
        }
    }
    if (acts->count)
        a->generation++;
}

/* ---- bus -> flow ------------------------------------------------------ */

static void today(char out[16])
{
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    snprintf(out, 16, "%04d-%02d-%02d", c.year, c.month, c.day);
}

static void on_card(struct app *a, const struct idcard *card)
{
    char date[16];
    today(date);
    enum idcard_check check = idcard_validate(card, date);
    if (check != IDCARD_CHECK_OK) {
        log_notice("idcard", "card refused: %s", idcard_check_name(check));
        feed(a,
             (struct flow_event){.kind = FLOW_EV_CARD_REJECTED,
                                 .reason = check == IDCARD_CHECK_EXPIRED ? PROBLEM_CARD_EXPIRED
                                                                         : PROBLEM_CARD_INVALID});
        return;
    }
    feed(a, (struct flow_event){.kind = FLOW_EV_CARD_INSERTED, .card = card});
}

static void on_print_result(struct app *a, const struct bus_msg *m)
{
    const struct print_result *r = m->payload;
    if (r->kind == PRINT_JOB_RECOVERY) {
        /* A certificate job the last run left unfinished: staff's business. */
        if (r->err)
            log_warn("print", "certificate %s from before the restart was not printed: %s",
                     r->number, err_str(r->err));
        else
            log_notice("print", "certificate %s from before the restart was printed", r->number);
        return;
    }
    if (r->kind == PRINT_JOB_COMPOSE) {
        if (r->err == 0 && m->req_id == a->flow.pending_req) {
            cert_image_fini(&a->preview);
            a->preview = r->preview;
            ((struct print_result *)r)->preview = (struct cert_image){0};
        }
        feed(a,
             (struct flow_event){.kind = FLOW_EV_CERT_READY, .req_id = m->req_id, .err = r->err});
    } else {
        if (r->err == 0 && r->path[0])
            str_copy(a->pdf_path, sizeof a->pdf_path, r->path);
        feed(a,
             (struct flow_event){.kind = FLOW_EV_PRINT_DONE, .req_id = m->req_id, .err = r->err});
    }
}

static void handle_control(struct app *a, struct control_cmd *cmd);

static void drain_bus(struct app *a)
{
    struct bus_msg m;
    while (bus_pop(a->bus, &m) == 0) {
        switch (m.kind) {
        case BUS_CARD_INSERTED:
            on_card(a, m.payload);
            break;
        case BUS_CARD_REMOVED:
            feed(a, (struct flow_event){.kind = FLOW_EV_CARD_REMOVED});
            break;
        case BUS_CARD_FAILED:
            log_notice("idcard", "read failed: %s (SAM status 0x%02x)", err_str(m.err), m.arg);
            feed(a, (struct flow_event){.kind = FLOW_EV_CARD_FAILED, .err = m.err});
            break;
        case BUS_READER_STATE:
            if (!m.flag) {
                char why[128];
                idcard_reader_status(a->reader, why, sizeof why);
                log_warn("idcard", "reader lost: %s", why);
            }
            feed(a, (struct flow_event){.kind = FLOW_EV_READER_STATE, .connected = m.flag});
            break;
        case BUS_FACE_GUIDANCE:
            if (m.req_id != face_generation(a->face))
                break; /* from a capture that has stopped */
            feed(a, (struct flow_event){.kind = FLOW_EV_FACE_GUIDANCE,
                                        .guidance = (enum face_guidance)m.arg});
            break;
        case BUS_FACE_CAPTURED:
            if (m.req_id != face_generation(a->face))
                break; /* from a capture that has stopped */
            feed(a, (struct flow_event){.kind = FLOW_EV_FACE_CAPTURED});
            break;
        case BUS_FACE_FAILED:
            if (m.req_id != face_generation(a->face))
                break; /* from a capture that has stopped */
            feed(a, (struct flow_event){.kind = FLOW_EV_FACE_FAILED,
                                        .guidance = (enum face_guidance)m.arg,
                                        .err = m.err});
            break;
        case BUS_CAMERA_FRAME:
            if (a->flow.screen == SCREEN_FACE_CAPTURE &&
                face_preview(a->face, a->camera_rgb, CAMERA_MAX, &a->camera_w, &a->camera_h,
                             &a->camera_seq))
                a->generation++;
            else
                face_preview(a->face, NULL, 0, &a->camera_w, &a->camera_h, &a->camera_seq);
            break;
        case BUS_REPLY:
            feed(a, (struct flow_event){
                        .kind = FLOW_EV_REPLY, .req_id = m.req_id, .reply = m.payload});
            break;
        case BUS_REGISTRY_STATE:
            feed(a, (struct flow_event){.kind = FLOW_EV_REGISTRY_STATE, .connected = m.flag});
            break;
        case BUS_PRINT_RESULT:
            on_print_result(a, &m);
            break;
        case BUS_SLIP_RESULT: {
            const struct slip_result *r = m.payload;
            if (r->final)
                log_info("slip", "slip %s %s", r->number,
                         r->outcome == SLIP_PRINTED ? "printed" : "failed");
            enum flow_slip st = r->outcome == SLIP_PRINTED  ? FLOW_SLIP_PRINTED
                                : r->outcome == SLIP_FAILED ? FLOW_SLIP_FAILED
                                : r->paper_out              ? FLOW_SLIP_PAPER_OUT
                                : r->cover_open             ? FLOW_SLIP_COVER_OPEN
                                                            : FLOW_SLIP_OFFLINE;
            feed(a, (struct flow_event){.kind = FLOW_EV_SLIP, .req_id = m.req_id, .slip = st});
            break;
        }
        case BUS_SLIP_STATUS: {
            const struct slip_status *st = m.payload;
            if (st->paper_out != a->slip_status.paper_out ||
                st->cover_open != a->slip_status.cover_open || st->online != a->slip_status.online)
                log_notice("slip", "printer %s%s%s, %d job(s) waiting",
                           st->online ? "online" : "offline", st->paper_out ? ", out of paper" : "",
                           st->cover_open ? ", cover open" : "", st->pending);
            a->slip_status = *st;
            break;
        }
        case BUS_CONTROL:
            handle_control(a, m.payload);
            break;
        }
        bus_msg_release(&m);
    }
}

/* ---- control socket commands ----------------------------------------- */

static void reply_ok(struct control_cmd *cmd)
{
    control_reply(cmd, "{\"ok\":true}");
}

static void reply_error(struct control_cmd *cmd, const char *why)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", false);
    cJSON_AddStringToObject(o, "error", why);
    char *s = cJSON_PrintUnformatted(o);
    control_reply(cmd, s ? s : "{\"ok\":false}");
    cJSON_free(s);
    cJSON_Delete(o);
}

static const char *const widget_kind_names[UI_KIND_COUNT] = {
    "button", "tile", "option", "card", "toggle", "key", "label", "chip", "list",
};

static void reply_state(struct app *a, struct control_cmd *cmd)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", true);
    cJSON_AddStringToObject(o, "screen", flow_screen_name(a->flow.screen));
    cJSON_AddBoolToObject(o, "busy", a->flow.busy);
    cJSON_AddNumberToObject(o, "idle_left_ms", flow_idle_left_ms(&a->flow));
    cJSON_AddBoolToObject(o, "confirm_home", a->flow.confirm_home);
    cJSON_AddBoolToObject(o, "session", a->session.active);
    cJSON_AddBoolToObject(o, "registry_connected", a->flow.registry_connected);
    cJSON_AddBoolToObject(o, "reader_connected", a->flow.reader_connected);
    cJSON_AddBoolToObject(o, "card_present", a->flow.card_present);
    char reader[128];
    idcard_reader_status(a->reader, reader, sizeof reader);
    cJSON_AddStringToObject(o, "reader_status", reader);
    if (a->flow.screen == SCREEN_ERROR)
        cJSON_AddNumberToObject(o, "problem", a->flow.problem);
    if (a->pdf_path[0])
        cJSON_AddStringToObject(o, "pdf", a->pdf_path);
    cJSON *list = cJSON_AddArrayToObject(o, "widgets");
    const struct ui_widget *w;
    size_t n = ui_widgets(a->ui, &w);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "id", w[i].id);
        cJSON_AddStringToObject(j, "label", w[i].label);
        cJSON_AddStringToObject(j, "kind",
                                (unsigned)w[i].kind < UI_KIND_COUNT ? widget_kind_names[w[i].kind]
                                                                    : "other");
        cJSON *b = cJSON_AddArrayToObject(j, "bounds");
        cJSON_AddItemToArray(b, cJSON_CreateNumber(w[i].bounds.x));
        cJSON_AddItemToArray(b, cJSON_CreateNumber(w[i].bounds.y));
        cJSON_AddItemToArray(b, cJSON_CreateNumber(w[i].bounds.w));
        cJSON_AddItemToArray(b, cJSON_CreateNumber(w[i].bounds.h));
        cJSON_AddBoolToObject(j, "enabled", w[i].enabled);
        if (w[i].selected)
            cJSON_AddBoolToObject(j, "selected", true);
        cJSON_AddItemToArray(list, j);
    }
    char *s = cJSON_PrintUnformatted(o);
    control_reply(cmd, s ? s : "{\"ok\":false}");
    cJSON_free(s);
    cJSON_Delete(o);
}

/* Renders pending changes so `state` and `screenshot` see the screen as a
 * person would at this moment. */
static void present(struct app *a);

static void check_wait(struct app *a)
{
    if (!a->wait_cmd)
        return;
    if ((int)a->flow.screen == a->wait_screen) {
        present(a);
        struct control_cmd *cmd = a->wait_cmd;
        a->wait_cmd = NULL;
        reply_state(a, cmd);
    } else if (clock_mono_ms() >= a->wait_deadline_ms) {
        struct control_cmd *cmd = a->wait_cmd;
        a->wait_cmd = NULL;
        char why[96];
        snprintf(why, sizeof why, "timeout: screen is %s", flow_screen_name(a->flow.screen));
        reply_error(cmd, why);
    }
}

static void tap_widget(struct app *a, const struct ui_widget *w)
{
    feed(a, (struct flow_event){.kind = FLOW_EV_INPUT, .input = w->input, .arg = w->arg});
}

/* Names of the simulated reader's faults on the control socket. */
static int reader_fault_parse(const char *name)
{
    static const struct {
        const char *name;
        enum idcard_sim_fault fault;
    } faults[] = {
        {"ok", IDCARD_SIM_FAULT_NONE},
        {"no-card", IDCARD_SIM_FAULT_NO_CARD},
        {"checksum", IDCARD_SIM_FAULT_CHECKSUM},
        {"truncated", IDCARD_SIM_FAULT_TRUNCATED},
        {"read-failed", IDCARD_SIM_FAULT_READ_FAILED},
        {"find-failed", IDCARD_SIM_FAULT_FIND_FAILED},
        {"select-failed", IDCARD_SIM_FAULT_SELECT_FAILED},
        {"silent", IDCARD_SIM_FAULT_SILENT},
        {"sam-dead", IDCARD_SIM_FAULT_SAM_DEAD},
        {"unplug", IDCARD_SIM_FAULT_UNPLUG},
        {"unplug-on-read", IDCARD_SIM_FAULT_UNPLUG_ON_READ},
        {"replug", IDCARD_SIM_FAULT_REPLUG},
    };
    for (size_t i = 0; i < ARRAY_LEN(faults); i++)
        if (!strcmp(faults[i].name, name))
            return (int)faults[i].fault;
    return -1;
}

static void handle_control(struct app *a, struct control_cmd *cmd)
{
    char verb[32] = "", rest[CONTROL_LINE_MAX] = "";
    const char *line = cmd->line;
    size_t vlen = strcspn(line, " ");
    if (vlen >= sizeof verb) {
        reply_error(cmd, "unknown command");
        return;
    }
    memcpy(verb, line, vlen);
    verb[vlen] = '\0';
    if (line[vlen])
        str_copy(rest, sizeof rest, line + vlen + 1);

    present(a);
    if (!strcmp(verb, "state")) {
        reply_state(a, cmd);
    } else if (!strcmp(verb, "tap")) {
        const struct ui_widget *w = ui_find(a->ui, rest);
        if (!w) {
            reply_error(cmd, "no enabled widget with that label");
            return;
        }
        tap_widget(a, w);
        reply_ok(cmd);
    } else if (!strcmp(verb, "tap-at")) {
        int x, y;
        if (sscanf(rest, "%d %d", &x, &y) != 2) {
            reply_error(cmd, "usage: tap-at X Y");
            return;
        }
        /* Through SDL, as a finger would: press and release at one point. */
        SDL_Event e = {.type = SDL_MOUSEBUTTONDOWN};
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = x;
        e.button.y = y;
        enum flow_input in;
        int arg;
        ui_handle_event(a->ui, &e, &in, &arg);
        e.type = SDL_MOUSEBUTTONUP;
        if (ui_handle_event(a->ui, &e, &in, &arg))
            feed(a, (struct flow_event){.kind = FLOW_EV_INPUT, .input = in, .arg = arg});
        reply_ok(cmd);
    } else if (!strcmp(verb, "card")) {
        int i = demo_citizen_find(rest);
        if (i < 0 || !a->reader_sim) {
            reply_error(cmd, "no demo citizen with that ID number");
            return;
        }
        present_demo_card(a, i);
        reply_ok(cmd);
    } else if (!strcmp(verb, "card-remove")) {
        if (a->reader_sim)
            idcard_sim_remove(a->reader_sim);
        reply_ok(cmd);
    } else if (!strcmp(verb, "reader")) {
        int fault = reader_fault_parse(rest);
        if (fault < 0 || !a->reader_sim) {
            reply_error(cmd, "unknown reader fault");
            return;
        }
        idcard_sim_fault(a->reader_sim, (enum idcard_sim_fault)fault);
        reply_ok(cmd);
    } else if (!strcmp(verb, "face")) {
        int scene = camera_sim_scene_parse(rest);
        if (scene < 0 || !a->camera_sim) {
            char why[160];
            snprintf(why, sizeof why, "face %s (simulated camera only)", camera_sim_scene_names());
            reply_error(cmd, why);
            return;
        }
        camera_sim_set_scene(a->camera_sim, (enum camera_sim_scene)scene);
        reply_ok(cmd);
    } else if (!strcmp(verb, "printer")) {
        int rows, st = printer_sim_state_parse(rest);
        if (a->slip_sim && sscanf(rest, "paper %d", &rows) == 1) {
            printer_sim_set_paper(a->slip_sim, rows); /* runs out after that many dot rows */
        } else if (st >= 0 && a->slip_sim) {
            printer_sim_set_state(a->slip_sim, (enum printer_sim_state)st);
        } else {
            reply_error(cmd, "printer ready|paper-out|near-end|cover-open|offline|paper ROWS");
            return;
        }
        reply_ok(cmd);
    } else if (!strcmp(verb, "screenshot")) {
        if (!rest[0] || ui_screenshot(a->ui, rest) != 0) {
            reply_error(cmd, "screenshot failed");
            return;
        }
        reply_ok(cmd);
    } else if (!strcmp(verb, "wait")) {
        char name[32];
        int ms = 5000;
        if (sscanf(rest, "%31s %d", name, &ms) < 1 || flow_screen_parse(name) < 0) {
            reply_error(cmd, "usage: wait SCREEN [MS]");
            return;
        }
        if (a->wait_cmd)
            reply_error(a->wait_cmd, "superseded");
        a->wait_cmd = cmd;
        a->wait_screen = flow_screen_parse(name);
        a->wait_deadline_ms = clock_mono_ms() + ms;
        check_wait(a);
    } else if (!strcmp(verb, "clock")) {
        long secs;
        if (sscanf(rest, "+%ld", &secs) != 1 || secs < 0) {
            reply_error(cmd, "usage: clock +SECONDS");
            return;
        }
        /* Step through whole seconds so each second's timeouts fire in order. */
        for (long s = 0; s < secs; s++) {
            clock_advance_ms(1000);
            feed(a, (struct flow_event){.kind = FLOW_EV_TICK});
        }
        reply_ok(cmd);
    } else if (!strcmp(verb, "orientation")) {
        ui_set_orientation(a->ui, !strcmp(rest, "landscape"));
        a->generation++;
        reply_ok(cmd);
    } else if (!strcmp(verb, "quit")) {
        reply_ok(cmd);
        a->quit = true;
    } else {
        reply_error(cmd, "unknown command");
    }
}

/* ---- the loop ------------------------------------------------------- */

static void present(struct app *a)
{
    struct ui_view v = {
        .generation = a->generation,
        .flow = &a->flow,
        .session = &a->session,
        .wall_s = clock_wall_s(),
        .preview_argb = (const uint32_t *)a->preview.data,
        .preview_w = a->preview.w,
        .preview_h = a->preview.h,
        .camera_rgb = a->camera_w ? a->camera_rgb : NULL,
        .camera_w = a->camera_w,
        .camera_h = a->camera_h,
        .camera_seq = a->camera_seq,
        .pdf_path = a->pdf_path[0] ? a->pdf_path : NULL,
    };
    ui_set_view(a->ui, &v);
    ui_render(a->ui);
}

static int next_timeout(struct app *a)
{
    int t = flow_next_wakeup_ms(&a->flow);
    int u = ui_next_frame_ms(a->ui);
    if (u >= 0 && (t < 0 || u < t))
        t = u;
    /* The header clock changes once a minute. */
    int m = (int)(60 - clock_wall_s() % 60) * 1000;
    if (t < 0 || m < t)
        t = m;
    if (a->wait_cmd) {
        int64_t w = a->wait_deadline_ms - clock_mono_ms();
        if (w < t)
            t = w < 0 ? 0 : (int)w;
    }
    return t;
}

static void handle_sdl(struct app *a, const SDL_Event *e)
{
    if (e->type == a->wake_event) {
        drain_bus(a);
        return;
    }
    if (e->type == SDL_QUIT) {
        a->quit = true;
        return;
    }
    if (e->type == SDL_KEYDOWN && e->key.keysym.sym == SDLK_F2 && a->opt.demo &&
        a->flow.screen == SCREEN_INSERT_CARD) {
        int n = demo_citizen_count();
        present_demo_card(a, n ? a->demo_next % n : 0);
        return;
    }
    enum flow_input in;
    int arg;
    if (ui_handle_event(a->ui, e, &in, &arg))
        feed(a, (struct flow_event){.kind = FLOW_EV_INPUT, .input = in, .arg = arg});
}

static void run(struct app *a)
{
    present(a);
    while (!a->quit && !got_signal) {
        SDL_Event e;
        int timeout = next_timeout(a);
        if (a->sdl_waits) {
            if (SDL_WaitEventTimeout(&e, timeout)) {
                handle_sdl(a, &e);
                while (!a->quit && SDL_PollEvent(&e))
                    handle_sdl(a, &e);
            }
        } else {
            /* Touch and keys arrive through SDL's pump: look every 20 ms. */
            int slice = a->opt.headless || timeout < 20 ? timeout : 20;
            struct pollfd p = {a->wake_fd, POLLIN, 0};
            if (poll(&p, 1, slice) > 0) {
                uint64_t n;
                ssize_t r = read(a->wake_fd, &n, sizeof n);
                (void)r;
                drain_bus(a);
            }
            while (!a->quit && SDL_PollEvent(&e))
                handle_sdl(a, &e);
        }
        feed(a, (struct flow_event){.kind = FLOW_EV_TICK});
        present(a);
        check_wait(a);
    }
}

/* ---- start-up -------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: bdc-kiosk [--demo] [--window] [--headless] [--landscape|--portrait]\n"
               "                 [--config PATH] [--control PATH] [--registry URL]\n"
               "                 [--assets DIR]\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {
        {"demo", no_argument, 0, 'd'},
        {"window", no_argument, 0, 'w'},
        {"headless", no_argument, 0, 'H'},
        {"landscape", no_argument, 0, 'L'},
        {"portrait", no_argument, 0, 'P'},
        {"config", required_argument, 0, 'c'},
        {"control", required_argument, 0, 's'},
        {"registry", required_argument, 0, 'r'},
        {"assets", required_argument, 0, 'a'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'd':
            o->demo = true;
            break;
        case 'w':
            o->window = true;
            break;
        case 'H':
            o->headless = true;
            break;
        case 'L':
            o->landscape_set = o->landscape = true;
            break;
        case 'P':
            o->landscape_set = true;
            o->landscape = false;
            break;
        case 'c':
            o->config_path = optarg;
            break;
        case 's':
            o->control_path = optarg;
            break;
        case 'r':
            o->registry_url = optarg;
            break;
        case 'a':
            o->assets = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

/* The folder beside the executable's source tree where assets live:
 * --assets, else $BDC_KIOSK_ASSETS, else the compiled-in path. */
static const char *assets_dir(const struct options *o)
{
    if (o->assets)
        return o->assets;
    const char *env = getenv("BDC_KIOSK_ASSETS");
    return env ? env : KIOSK_ASSETS_DIR;
}

/* The bench sets BDC_KIOSK_T0_NS to the wall time just before exec; the
 * kiosk reports how long it took to show its first frame. */
static void log_first_frame(void)
{
    const char *t0 = getenv("BDC_KIOSK_T0_NS");
    if (!t0)
        return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec - atoll(t0);
    log_info("app", "first frame after %.1f ms", (double)ns / 1e6);
}

/* Makes dir (one level) unless it exists; logs why not. */
static void make_dir(const char *dir)
{
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        log_warn("app", "cannot create %s: %s", dir, strerror(errno));
}

/* The print journal both printers share: every slip and certificate job
 * with its state, so a restart finishes what a crash interrupted. */
static void journal_path(const struct app *a, char *out, size_t size)
{
    if (a->cfg.slip_journal[0])
        str_copy(out, size, a->cfg.slip_journal);
    else
        snprintf(out, size, "%s/journal.sqlite", a->cfg.output_dir);
}

/* The slip printer from [devices] slip_printer (sim, lp) and its worker
 * with the print journal, which finishes any slip a crash interrupted. */
static int start_slip_printer(struct app *a)
{
    const struct printer_ops *ops;
    void *ctx;
    char path[512];
    make_dir(a->cfg.output_dir);
    if (!a->opt.demo && !strcmp(a->cfg.slip_printer, "lp")) {
        a->slip_lp = printer_lp_create(a->cfg.slip_device);
        ops = &printer_lp_ops;
        ctx = a->slip_lp;
    } else if (!a->opt.demo && !strcmp(a->cfg.slip_printer, "usb")) {
        struct printer_usb_config uc = {0};
        if (a->cfg.slip_usb_id[0] && printer_usb_parse_id(a->cfg.slip_usb_id, &uc.vid, &uc.pid)) {
            log_err("slip", "[slip] usb_id is not VVVV:PPPP");
            return ERR_INVALID;
        }
        a->slip_usb = printer_usb_create(&uc);
        ops = &printer_usb_ops;
        ctx = a->slip_usb;
    } else {
        a->slip_sim = printer_sim_create(1 << 20);
        if (a->cfg.slip_png_dir[0])
            str_copy(path, sizeof path, a->cfg.slip_png_dir);
        else
            snprintf(path, sizeof path, "%s/slips", a->cfg.output_dir);
        make_dir(path);
        if (a->slip_sim)
            printer_sim_set_png_dir(a->slip_sim, path);
        ops = &printer_sim_ops;
        ctx = a->slip_sim;
    }
    if (!ctx)
        return ERR_NOMEM;
    journal_path(a, path, sizeof path);
    struct slip_worker_config sc = {
        .ops = ops,
        .printer = ctx,
        .journal_path = path,
        .band_rows = a->cfg.slip_band_rows,
        .confirm_timeout_ms = a->cfg.slip_confirm_ms,
    };
    a->slip = slip_worker_start(&sc, on_slip_done, on_slip_status, a);
    return a->slip ? ERR_OK : ERR_IO;
}

/* The camera from [devices] camera (sim in demo mode, or v4l2) and the
 * face thread with its detector, challenges and quality limits. */
static int start_face(struct app *a)
{
    const struct camera_ops *ops;
    void *cam;
    if (!a->opt.demo && !strcmp(a->cfg.camera, "v4l2")) {
        struct camera_v4l2_config vc = {.device = a->cfg.camera_device,
                                        .width = a->cfg.camera_width,
                                        .height = a->cfg.camera_height,
                                        .mjpeg = a->cfg.camera_mjpeg};
        a->camera_v4l2 = camera_v4l2_create(&vc, NULL);
        ops = &camera_v4l2_ops;
        cam = a->camera_v4l2;
    } else if (!a->opt.demo && !strcmp(a->cfg.camera, "uvc")) {
#ifdef KIOSK_HAVE_UVC
        struct camera_uvc_config uc = {.width = a->cfg.camera_width,
                                       .height = a->cfg.camera_height,
                                       .mjpeg = a->cfg.camera_mjpeg};
        if (a->cfg.camera_uvc_id[0] &&
            camera_uvc_parse_id(a->cfg.camera_uvc_id, &uc.vid, &uc.pid)) {
            log_err("camera", "[camera] uvc_id is not VVVV:PPPP");
            return ERR_INVALID;
        }
        a->camera_uvc = camera_uvc_create(&uc);
        ops = &camera_uvc_ops;
        cam = a->camera_uvc;
#else
        log_err("camera", "[devices] camera = uvc, but this build has no libuvc");
        return ERR_UNSUPPORTED;
#endif
    } else {
        a->camera_sim = camera_sim_create();
        if (a->camera_sim && a->cfg.camera_sim_images[0]) {
            /* A ':'-separated list of pictures to play instead of a scene. */
            char list[CONFIG_STR], *save = NULL;
            const char *paths[16];
            int n = 0;
            str_copy(list, sizeof list, a->cfg.camera_sim_images);
            for (char *p = strtok_r(list, ":", &save); p && n < 16; p = strtok_r(NULL, ":", &save))
                paths[n++] = p;
            if (camera_sim_play(a->camera_sim, paths, n) == 0)
                camera_sim_set_scene(a->camera_sim, CAMERA_SIM_FILES);
            else
                log_warn("camera", "[camera] sim_images could not be read; showing a scene");
        }
        ops = &camera_sim_ops;
        cam = a->camera_sim;
    }
    int challenges = face_challenges_parse(a->cfg.face_challenges);
    if (!challenges)
        log_warn("face", "[face] challenges '%s' not understood; all are allowed",
                 a->cfg.face_challenges);
    struct face_config fc = {
        .challenge_ms = a->cfg.face_challenge_ms,
        .jpeg_quality = 85,
        .face_cascade = a->cfg.face_cascade[0] ? a->cfg.face_cascade : NULL,
        .eye_cascade = a->cfg.face_eye_cascade[0] ? a->cfg.face_eye_cascade : NULL,
        .min_face_pct = a->cfg.face_min_pct,
        .near_face_pct = a->cfg.face_near_pct,
        .challenges = challenges,
    };
    a->camera_rgb = calloc(1, CAMERA_MAX);
    a->face = a->camera_rgb && cam ? face_create(ops, cam, a->bus, &fc) : NULL;
    return a->face ? ERR_OK : ERR_NOMEM;
}

/* The card reader's transport from [devices] reader: the simulated module
 * (demo mode always uses it), native USB, or a USB-serial bridge. */
static int open_reader_transport(struct app *a)
{
    const char *kind = a->opt.demo ? "sim" : a->cfg.reader;
    if (!strcmp(kind, "sim")) {
        a->reader_sim = idcard_sim_create();
        a->reader_t = a->reader_sim ? idcard_sim_transport(a->reader_sim) : NULL;
    } else if (!strcmp(kind, "usb")) {
        struct transport_usb_config uc;
        transport_usb_config_init(&uc, idcard_sam_driver.usb_ids);
        if ((a->cfg.idcard_usb_id[0] &&
             transport_usb_parse_id(a->cfg.idcard_usb_id, &uc.extra_vid, &uc.extra_pid) != 0) ||
            transport_usb_parse_models(a->cfg.idcard_usb_models, &uc) != 0) {
            log_err("idcard", "[idcard] usb_id or usb_models is not valid");
            return ERR_INVALID;
        }
        a->reader_t = transport_usb_create(&uc);
    } else if (!strcmp(kind, "tty")) {
        a->reader_t = transport_tty_create(a->cfg.idcard_tty, 115200);
    } else {
        log_err("idcard", "unknown reader transport '%s' (sim, usb, tty)", kind);
        return ERR_INVALID;
    }
    if (!a->reader_t)
        return ERR_NOMEM;
    log_info("idcard", "reader transport: %s", kind);
    return ERR_OK;
}

static void close_reader_transport(struct app *a)
{
    if (a->reader_sim)
        idcard_sim_destroy(a->reader_sim); /* owns its transport */
    else if (a->reader_t && !strcmp(a->cfg.reader, "usb"))
        transport_usb_destroy(a->reader_t);
    else if (a->reader_t)
        transport_tty_destroy(a->reader_t);
    a->reader_sim = NULL;
    a->reader_t = NULL;
}

static int start(struct app *a, const char *argv0)
{
    config_defaults(&a->cfg);
    const char *cfg_path = a->opt.config_path;
    if (cfg_path) {
        int rc = config_load(&a->cfg, cfg_path);
        if (rc) {
            log_err("app", "config %s: %s", cfg_path, err_str(rc));
            return rc;
        }
    }
    if (a->opt.landscape_set)
        a->cfg.landscape = a->opt.landscape;

    char strings[512];
    snprintf(strings, sizeof strings, "%s/strings", assets_dir(&a->opt));
    if (i18n_load(strings) != 0) {
        log_err("app", "string tables not found in %s", strings);
        return ERR_NOTFOUND;
    }
    i18n_set_lang(a->cfg.english ? I18N_EN : I18N_ZH);

    /* The registry starts first: it seeds while the window opens. */
    const char *url = a->opt.registry_url ? a->opt.registry_url : a->cfg.registry_url;
    if (!url[0]) {
        if (!a->opt.demo) {
            log_err("app", "no registry configured ([registry] url) and not in demo mode");
            return ERR_INVALID;
        }
        if (registry_child_start(&a->registry, argv0) != 0)
            return ERR_IO;
    }

    struct ui_config ucfg = {
        .width = a->cfg.landscape ? 1920 : 1080,
        .height = a->cfg.landscape ? 1080 : 1920,
        .fullscreen = !a->opt.window && !a->opt.headless,
        .headless = a->opt.headless,
        .font_regular = a->cfg.font_regular[0] ? a->cfg.font_regular : NULL,
        .font_bold = a->cfg.font_bold[0] ? a->cfg.font_bold : NULL,
        .office = a->cfg.office,
        .hall = a->cfg.hall,
        .terminal = a->cfg.terminal,
        .face_on_device = false,
    };
    /* The consent notice must say where the face really goes. This build
     * has no on-device matcher, so the frame always goes to the registry. */
    if (a->cfg.face_on_device)
        log_err("face", "[face] matcher = on_device, but no on-device matcher is installed: "
                        "faces go to the registry and the notice says so");
    a->ui = ui_create(&ucfg);
    if (!a->ui)
        return ERR_IO;
    a->wake_event = SDL_RegisterEvents(1);
    const char *driver = SDL_GetCurrentVideoDriver();
    a->sdl_waits = driver && (!strcmp(driver, "x11") || !strcmp(driver, "wayland"));
    a->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (a->wake_fd < 0)
        return ERR_IO;
    a->bus = bus_create(256, wake_ui, a);
    if (!a->bus)
        return ERR_NOMEM;

    struct flow_timing t = {
        .idle_ms = a->cfg.idle_s * 1000,
        .idle_banner_ms = a->cfg.idle_banner_s * 1000,
        .capture_ms = a->cfg.capture_s * 1000,
        .goodbye_ms = a->cfg.goodbye_s * 1000,
        .card_wait_ms = a->cfg.idle_s * 1000,
    };
    flow_init(&a->flow, &t, a->opt.demo, clock_mono_ms());
    a->flow.audit_key = a->cfg.audit_key[0] ? a->cfg.audit_key : "bdc-kiosk-demo-audit-key";
    a->flow.elder = a->cfg.elder;
    a->flow.contrast = a->cfg.contrast;
    a->flow.english = a->cfg.english;
    session_wipe(&a->session);
    present(a); /* first frame before the workers spin up */
    log_first_frame();

    int rc = start_face(a);
    if (rc)
        return rc;

    struct idcard_sink sink = {
        .card_inserted = on_card_inserted,
        .card_removed = on_card_removed,
        .read_failed = on_card_failed,
        .reader_state = on_reader_state,
        .user = a,
    };
    rc = open_reader_transport(a);
    if (rc)
        return rc;
    a->reader = idcard_reader_create(&idcard_sam_ops, a->reader_t, &sink, NULL);
    if (!a->reader || idcard_reader_start(a->reader) != 0)
        return ERR_NOMEM;

    rc = start_slip_printer(a);
    if (rc)
        return rc;

    char journal[512];
    journal_path(a, journal, sizeof journal);
    struct print_worker_config pc = {
        .queue = a->cfg.cups_queue,
        .out_dir = a->cfg.output_dir,
        .preview_width = 360,
        .journal_path = journal,
    };
    a->printer = print_worker_start(&pc, on_print_done, a);
    if (!a->printer)
        return ERR_IO;

    if (!url[0]) {
        if (registry_child_wait_url(&a->registry, 5000) != 0)
            return ERR_TIMEOUT;
        url = a->registry.url;
    }
    struct backend_config bc;
    backend_config_default(&bc);
    bc.base_url = url;
    bc.kiosk_id = a->cfg.kiosk_id;
    bc.ca_file = a->cfg.ca_file[0] ? a->cfg.ca_file : NULL;
    bc.client_cert = a->cfg.client_cert[0] ? a->cfg.client_cert : NULL;
    bc.client_key = a->cfg.client_key[0] ? a->cfg.client_key : NULL;
    bc.connect_timeout_ms = a->cfg.connect_timeout_ms;
    bc.total_timeout_ms = a->cfg.timeout_ms;
    bc.retries = a->cfg.retries;
    bc.health_interval_ms = a->cfg.health_interval_s * 1000;
    a->backend = backend_create(&bc, on_reply, on_registry_state, a);
    if (!a->backend)
        return ERR_NETWORK;

    if (a->opt.control_path) {
        a->control = control_start(a->opt.control_path, a->bus);
        if (!a->control)
            return ERR_IO;
    }
    log_info("app", "ready: %s mode, registry %s", a->opt.demo ? "demo" : "production", url);
    return ERR_OK;
}

static void stop(struct app *a)
{
    /* Answer whatever the control thread still waits for, then stop it. */
    if (a->wait_cmd) {
        reply_error(a->wait_cmd, "kiosk stopping");
        a->wait_cmd = NULL;
    }
    if (a->bus) {
        struct bus_msg m;
        while (bus_pop(a->bus, &m) == 0) {
            if (m.kind == BUS_CONTROL)
                reply_error(m.payload, "kiosk stopping");
            bus_msg_release(&m);
        }
    }
    control_stop(a->control);
    if (a->session.active && a->backend)
        end_session(a);
    backend_destroy(a->backend);
    if (a->reader)
        idcard_reader_stop(a->reader);
    idcard_reader_destroy(a->reader);
    close_reader_transport(a);
    face_destroy(a->face);
    camera_sim_destroy(a->camera_sim);
    camera_v4l2_destroy(a->camera_v4l2);
#ifdef KIOSK_HAVE_UVC
    camera_uvc_destroy(a->camera_uvc);
#endif
    print_worker_stop(a->printer);
    slip_worker_stop(a->slip);
    printer_sim_destroy(a->slip_sim);
    printer_lp_destroy(a->slip_lp);
    printer_usb_destroy(a->slip_usb);
    cert_image_fini(&a->preview);
    bus_destroy(a->bus);
    ui_destroy(a->ui);
    registry_child_stop(&a->registry);
    if (a->wake_fd > 0)
        close(a->wake_fd);
    if (a->camera_rgb) {
        explicit_bzero(a->camera_rgb, CAMERA_MAX);
        free(a->camera_rgb);
    }
    session_wipe(&a->session);
    i18n_unload();
}

int main(int argc, char **argv)
{
    static struct app app; /* large (the session holds records): not on the stack */
    if (parse_args(argc, argv, &app.opt) != 0)
        return 2;
    if (app.opt.headless) {
        /* Software rendering on SDL's dummy driver: identical pixels everywhere. */
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_RENDER_DRIVER", "software", 1);
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    int rc = start(&app, argv[0]);
    if (rc == 0)
        run(&app);
    stop(&app);
    if (rc)
        log_err("app", "start-up failed: %s", err_str(rc));
    return rc ? 1 : 0;
}
