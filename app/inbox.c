/* inbox.c - how the workers' reports reach the flow.
 *
 * Two halves. The sinks at the top run on the workers' threads (reader,
 * registry client, print and slip workers): each copies what it is handed
 * into a bus message and posts it; the bus wakes the UI thread. The table
 * at the bottom runs on the UI thread: one row per bus message kind, one
 * handler each, which turns the message into a flow event (through
 * effects_feed), or keeps a status, or hands a control line to its verb.
 *
 * DESIGN: how the UI thread sleeps depends on SDL's video driver: X11 and
 * Wayland block in SDL_WaitEventTimeout and the bus wakes them with one
 * registered SDL event; drivers that cannot block there (SDL would poll
 * every millisecond) sleep in poll() on an eventfd the bus writes to, in
 * slices short enough for touch input, or, headless, with no input but
 * the bus, for the whole timeout.
 *
 * Handlers drop what the flow no longer waits for (face reports
 * from a capture that has stopped), so the flow only ever sees events
 * that still mean something. A message kind without a row is a
 * programmer error and asserts.
 */
#include "app.h"

#include "backend/backend.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/idcard_reader.h"
#include "demo/demo.h"
#include "face/face.h"
#include "heartbeat.h"
#include "outbox_pump.h"
#include "staff.h"
#include "ui/ui.h"

#include <assert.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* ---- worker threads -> bus ------------------------------------------- */

void inbox_wake(void *user)
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

int inbox_open(struct app *a)
{
    a->wake_event = SDL_RegisterEvents(1);
    const char *driver = SDL_GetCurrentVideoDriver();
    a->sdl_waits = driver && (!strcmp(driver, "x11") || !strcmp(driver, "wayland"));
    a->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (a->wake_fd < 0)
        return ERR_IO;
    a->bus = bus_create(256, inbox_wake, a);
    return a->bus ? ERR_OK : ERR_NOMEM;
}

void inbox_close(struct app *a)
{
    bus_destroy(a->bus);
    a->bus = NULL;
    if (a->wake_fd > 0)
        close(a->wake_fd);
    a->wake_fd = -1;
}

static void free_card(void *p)
{
    explicit_bzero(p, sizeof(struct idcard));
    free(p);
}

void inbox_card_inserted(void *user, const struct idcard *card)
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

void inbox_card_removed(void *user)
{
    struct app *a = user;
    bus_post_simple(a->bus, BUS_CARD_REMOVED, 0, 0, 0, false);
}

void inbox_card_failed(void *user, int err, int sam_status)
{
    struct app *a = user;
    bus_post_simple(a->bus, BUS_CARD_FAILED, 0, err, sam_status, false);
}

void inbox_reader_state(void *user, bool connected)
{
    struct app *a = user;
    bus_post_simple(a->bus, BUS_READER_STATE, 0, 0, 0, connected);
}

static void free_reply(void *p)
{
    backend_reply_free(p);
}

void inbox_reply(void *user, uint32_t req_id, struct flow_reply *reply)
{
    struct app *a = user;
    struct bus_msg m = {
        .kind = BUS_REPLY, .req_id = req_id, .payload = reply, .free_payload = free_reply};
    if (bus_post(a->bus, &m) != 0)
        backend_reply_free(reply);
}

void inbox_registry_state(void *user, bool connected)
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
void inbox_print_done(void *user, struct print_result *r)
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

void inbox_slip_done(void *user, const struct slip_result *r)
{
    post_copy(user, BUS_SLIP_RESULT, r->req_id, r, sizeof *r);
}

void inbox_slip_status(void *user, const struct slip_status *s)
{
    post_copy(user, BUS_SLIP_STATUS, 0, s, sizeof *s);
}

/* ---- bus -> flow (UI thread) ------------------------------------------ */

static void today(char out[16])
{
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    snprintf(out, 16, "%04d-%02d-%02d", c.year, c.month, c.day);
}

static void on_card_inserted(struct app *a, struct bus_msg *m)
{
    const struct idcard *card = m->payload;
    char date[16];
    today(date);
    enum idcard_check check = idcard_validate(card, date);
    if (check != IDCARD_CHECK_OK) {
        log_notice("idcard", "card refused: %s", idcard_check_name(check));
        effects_feed(a, (struct flow_event){.kind = FLOW_EV_CARD_REJECTED,
                                            .reason = check == IDCARD_CHECK_EXPIRED
                                                          ? PROBLEM_CARD_EXPIRED
                                                          : PROBLEM_CARD_INVALID});
        return;
    }
    effects_feed(a, (struct flow_event){.kind = FLOW_EV_CARD_INSERTED, .card = card});
}

static void on_card_removed(struct app *a, struct bus_msg *m)
{
    (void)m;
    effects_feed(a, (struct flow_event){.kind = FLOW_EV_CARD_REMOVED});
}

static void on_card_failed(struct app *a, struct bus_msg *m)
{
    log_notice("idcard", "read failed: %s (SAM status 0x%02x)", err_str(m->err), m->arg);
    effects_feed(a, (struct flow_event){.kind = FLOW_EV_CARD_FAILED, .err = m->err});
}

static void on_reader_state(struct app *a, struct bus_msg *m)
{
    if (!m->flag) {
        char why[128];
        idcard_reader_status(a->reader, why, sizeof why);
        log_warn("idcard", "reader lost: %s", why);
    }
    staff_note_device(a, UI_DEV_READER, m->flag);
    effects_feed(a, (struct flow_event){.kind = FLOW_EV_READER_STATE, .connected = m->flag});
}

/* Face reports carry the capture's generation: one from a capture that
 * has stopped is dropped. */
static bool face_current(const struct app *a, const struct bus_msg *m)
{
    return m->req_id == face_generation(a->face);
}

static void on_face_guidance(struct app *a, struct bus_msg *m)
{
    if (face_current(a, m))
        effects_feed(a, (struct flow_event){.kind = FLOW_EV_FACE_GUIDANCE,
                                            .guidance = (enum face_guidance)m->arg});
}

static void on_face_captured(struct app *a, struct bus_msg *m)
{
    if (face_current(a, m))
        effects_feed(a, (struct flow_event){.kind = FLOW_EV_FACE_CAPTURED});
}

static void on_face_failed(struct app *a, struct bus_msg *m)
{
    if (face_current(a, m))
        effects_feed(a, (struct flow_event){.kind = FLOW_EV_FACE_FAILED,
                                            .guidance = (enum face_guidance)m->arg,
                                            .err = m->err});
}

/* A preview frame is copied only while the capture screen shows it. A
 * new camera_seq is what tells the UI (which then draws only the
 * picture's area where it can); the generation stays. The capture
 * screen's picture is made at its size on the face thread and copied by
 * the UI straight into the frame or its texture (inbox_camera_fill); the
 * camera test gets the frames (its box is in frame pixels). */
static void on_camera_frame(struct app *a, struct bus_msg *m)
{
    (void)m;
    int pw = 0, ph = 0;
    if (a->flow.screen == SCREEN_FACE_CAPTURE)
        ui_camera_size(a->ui, &pw, &ph);
    bool picture = face_set_preview_size(a->face, pw, ph);
    if (picture != a->camera_picture)
        a->camera_w = a->camera_h = 0; /* what was shown is of the other kind */
    a->camera_picture = picture;
    if (picture) {
        face_picture_peek(a->face, &a->camera_w, &a->camera_h, &a->camera_seq);
        return;
    }
    bool shown = a->flow.screen == SCREEN_FACE_CAPTURE ||
                 (a->flow.screen == SCREEN_STAFF && a->flow.camera_preview);
    if (!shown || !face_preview(a->face, a->camera_rgb, CAMERA_MAX, &a->camera_w, &a->camera_h,
                                &a->camera_seq))
        face_preview(a->face, NULL, 0, &a->camera_w, &a->camera_h, &a->camera_seq);
}

bool inbox_camera_fill(void *user, uint32_t *dst, int pitch, SDL_Rect area, int w, int h)
{
    struct app *a = user;
    const struct face_area fa = {area.x, area.y, area.w, area.h};
    return face_picture_copy(a->face, dst, pitch, &fa, w, h);
}

/* The guide and the notice belong to the hall, not to a visit: kept by
 * the app for every screen, never handed to the flow. A failed fetch
 * keeps the last copy and is asked again sooner. */
static bool keep_hall_reply(struct app *a, const struct flow_reply *r)
{
    if (r->kind != REPLY_SERVICES && r->kind != REPLY_NOTICE)
        return false;
    if (r->err) {
        log_warn("app", "%s not fetched: %s", r->kind == REPLY_SERVICES ? "guide" : "notice",
                 r->detail[0] ? r->detail : err_str(r->err));
        a->hall_due_ms = clock_mono_ms() + HALL_REFRESH_MS / 10;
    } else if (r->services) {
        a->services = *r->services;
        hall_guide_set(a, r);
    } else if (r->notice) {
        a->notice = *r->notice;
        a->has_notice = true;
    }
    a->generation++;
    return true;
}

/* An answer to the outbox pump's delivery is the pump's; the guide and
 * the notice are the app's; the rest are the flow's. */
static void on_reply(struct app *a, struct bus_msg *m)
{
    if (outbox_pump_owns(m->req_id)) {
        outbox_pump_reply(a->outbox, m->req_id, m->payload);
        return;
    }
    if (heartbeat_owns(m->req_id)) {
        heartbeat_reply(a, m->req_id, m->payload);
        return;
    }
    const struct flow_reply *r = m->payload;
    if (r->err && r->kind != REPLY_STAFF)
        staff_note_registry(a, r);
    if (keep_hall_reply(a, m->payload))
        return;
    effects_feed(
        a, (struct flow_event){.kind = FLOW_EV_REPLY, .req_id = m->req_id, .reply = m->payload});
}

static void on_registry_state(struct app *a, struct bus_msg *m)
{
    staff_note_device(a, UI_DEV_REGISTRY, m->flag);
    outbox_pump_set_connected(a->outbox, m->flag);
    effects_feed(a, (struct flow_event){.kind = FLOW_EV_REGISTRY_STATE, .connected = m->flag});
}

static void on_print_result(struct app *a, struct bus_msg *m)
{
    struct print_result *r = m->payload;
    if (r->kind == PRINT_JOB_STATUS) {
        staff_note_a4(a, r->err, r->reasons);
        return;
    }
    if (r->kind == PRINT_JOB_RETRY || r->kind == PRINT_JOB_CANCEL) {
        staff_note_job(a, m->req_id, r, NULL);
        return;
    }
    if (staff_page_result(a, m->req_id, r))
        return; /* the maintenance test page's: its preview is freed with r */
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
            a->preview = r->preview; /* the preview's pixels are the app's now */
            r->preview = (struct cert_image){0};
        }
        effects_feed(
            a, (struct flow_event){.kind = FLOW_EV_CERT_READY, .req_id = m->req_id, .err = r->err});
    } else {
        if (r->err == 0 && r->path[0])
            str_copy(a->pdf_path, sizeof a->pdf_path, r->path);
        effects_feed(
            a, (struct flow_event){.kind = FLOW_EV_PRINT_DONE, .req_id = m->req_id, .err = r->err});
    }
}

static void on_slip_result(struct app *a, struct bus_msg *m)
{
    const struct slip_result *r = m->payload;
    if (r->final)
        log_info("slip", "slip %s %s", r->number,
                 r->outcome == SLIP_PRINTED   ? "printed"
                 : r->outcome == SLIP_EXPIRED ? "withdrawn: not printed in time"
                                              : "failed");
    if (r->final && r->outcome == SLIP_PRINTED)
        staff_count_slip(a);
    if (r->op != SLIP_OP_PRINT) { /* staff's retry or cancel from 打印记录 */
        staff_note_job(a, m->req_id, NULL, r);
        return;
    }
    enum flow_slip st = r->outcome == SLIP_PRINTED   ? FLOW_SLIP_PRINTED
                        : r->outcome == SLIP_FAILED  ? FLOW_SLIP_FAILED
                        : r->outcome == SLIP_EXPIRED ? FLOW_SLIP_EXPIRED
                        : r->paper_out               ? FLOW_SLIP_PAPER_OUT
                        : r->cover_open              ? FLOW_SLIP_COVER_OPEN
                                                     : FLOW_SLIP_OFFLINE;
    effects_feed(a, (struct flow_event){.kind = FLOW_EV_SLIP, .req_id = m->req_id, .slip = st});
}

/* The slip printer's state is logged when it changes; the flow asks for
 * it only when it prints. */
static void on_slip_status(struct app *a, struct bus_msg *m)
{
    const struct slip_status *st = m->payload;
    if (st->paper_out != a->slip_status.paper_out || st->cover_open != a->slip_status.cover_open ||
        st->online != a->slip_status.online)
        log_notice("slip", "printer %s%s%s, %d job(s) waiting", st->online ? "online" : "offline",
                   st->paper_out ? ", out of paper" : "", st->cover_open ? ", cover open" : "",
                   st->pending);
    a->slip_status = *st;
    staff_note_device(a, UI_DEV_SLIP,
                      st->online | st->paper_out << 1 | st->cover_open << 2 |
                          st->paper_near_end << 3 | st->error << 4);
}

static void on_control(struct app *a, struct bus_msg *m)
{
    control_verbs_run(a, m->payload);
}

typedef void (*inbox_handler_fn)(struct app *a, struct bus_msg *m);

static const inbox_handler_fn inbox_handlers[] = {
    [BUS_CARD_INSERTED] = on_card_inserted,
    [BUS_CARD_REMOVED] = on_card_removed,
    [BUS_CARD_FAILED] = on_card_failed,
    [BUS_READER_STATE] = on_reader_state,
    [BUS_FACE_GUIDANCE] = on_face_guidance,
    [BUS_FACE_CAPTURED] = on_face_captured,
    [BUS_FACE_FAILED] = on_face_failed,
    [BUS_CAMERA_FRAME] = on_camera_frame,
    [BUS_REPLY] = on_reply,
    [BUS_REGISTRY_STATE] = on_registry_state,
    [BUS_PRINT_RESULT] = on_print_result,
    [BUS_SLIP_RESULT] = on_slip_result,
    [BUS_SLIP_STATUS] = on_slip_status,
    [BUS_CONTROL] = on_control,
};

void inbox_drain(struct app *a)
{
    struct bus_msg m;
    while (bus_pop(a->bus, &m) == 0) {
        size_t k = (size_t)m.kind;
        assert(k < ARRAY_LEN(inbox_handlers) && inbox_handlers[k]);
        if (k < ARRAY_LEN(inbox_handlers) && inbox_handlers[k])
            inbox_handlers[k](a, &m);
        bus_msg_release(&m);
    }
}

/* ---- SDL events -> flow (UI thread) ----------------------------------- */

/* The bus's wake-up, the window closing, F2 in demo mode (the next demo
 * citizen's card), and touches and keys, which the UI turns into inputs. */
void inbox_sdl_event(struct app *a, const SDL_Event *e)
{
    if (e->type == a->wake_event) {
        inbox_drain(a);
        return;
    }
    if (e->type == SDL_QUIT) {
        a->quit = true;
        return;
    }
    if (e->type == SDL_KEYDOWN && e->key.keysym.sym == SDLK_F2 && a->opt.demo &&
        a->flow.screen == SCREEN_INSERT_CARD) {
        int n = demo_citizen_count();
        devices_present_demo_card(a, n ? a->demo_next % n : 0);
        return;
    }
    if (e->type == SDL_AUDIODEVICEADDED && !e->adevice.iscapture) {
        speech_device_added(a, (int)e->adevice.which);
        return;
    }
    inbox_sdl_input(a, e);
}

/* A finger or the mouse button lifted, or a key pressed: the citizen. */
static bool is_presence(const SDL_Event *e)
{
    switch (e->type) {
    case SDL_KEYDOWN:
    case SDL_FINGERUP:
        return true;
    case SDL_MOUSEBUTTONUP:
        return e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT;
    default:
        return false;
    }
}

bool inbox_sdl_input(struct app *a, const SDL_Event *e)
{
    enum flow_input in;
    int arg;
    if (ui_handle_event(a->ui, e, &in, &arg)) {
        effects_feed(a, (struct flow_event){.kind = FLOW_EV_INPUT, .input = in, .arg = arg});
        return true;
    }
    if (is_presence(e))
        /* Time to act: a touch anywhere, or any key, is more time (the
         * idle banner's 需要更多时间, the goodbye countdown again). */
        effects_feed(
            a, (struct flow_event){.kind = FLOW_EV_INPUT,
                                   .input = a->flow.idle_deadline_ms ? IN_MORE_TIME : IN_NONE});
    return false;
}

void inbox_wait(struct app *a, int timeout)
{
    SDL_Event e;
    if (a->sdl_waits) {
        if (SDL_WaitEventTimeout(&e, timeout)) {
            inbox_sdl_event(a, &e);
            while (!a->quit && SDL_PollEvent(&e))
                inbox_sdl_event(a, &e);
        }
    } else {
        /* Touch and keys arrive through SDL's pump: look every 20 ms. */
        int slice = a->opt.headless || timeout < 20 ? timeout : 20;
        struct pollfd p = {a->wake_fd, POLLIN, 0};
        if (poll(&p, 1, slice) > 0) {
            uint64_t n;
            ssize_t r = read(a->wake_fd, &n, sizeof n);
            (void)r;
            inbox_drain(a);
        }
        while (!a->quit && SDL_PollEvent(&e))
            inbox_sdl_event(a, &e);
    }
}
