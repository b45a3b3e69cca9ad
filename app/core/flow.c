/* flow.c - the citizen journey as a pure state machine; see flow.h.
 *
 * DESIGN: the journey map (FLOW_MAP in flow.h) says, for every screen,
 * which events it takes and where each leads; flow_table.c holds its
 * guards and finds the row an event takes. This file and flow_services.c
 * hold the steps: one small function per kind of arrow, named in the
 * map's last column (this file: every screen, the card, the face, the
 * records and the certificate; flow_services.c: the counter services). A
 * step leaves only for the row's target (its `to`), never for a screen it
 * names itself, so the map is the whole truth about where the journey
 * goes. Every registry call gets a fresh request id and the flow
 * remembers only the one the current screen waits for, so an answer that
 * arrives after the citizen moved on is dropped: leaving a screen is the
 * cancellation.
 *
 * The flow never wipes the session itself: it emits ACT_END_SESSION and
 * the composition root ends the registry token, the camera buffers and the
 * session in that order, because the token must still be readable then.
 * The flow's own notes on the visit (struct flow_visit) are cleared here.
 * UI thread only.
 */
#include "flow.h"
#include "flow_internal.h"

#include "base/util.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

void flow_timing_default(struct flow_timing *t)
{
    t->idle_ms = 60000;
    t->idle_banner_ms = 30000;
    t->capture_ms = 30000;
    t->goodbye_ms = 15000;
    t->card_wait_ms = 60000;
    t->staff_idle_ms = 120000;
}

void flow_init(struct flow *f, const struct flow_timing *timing, bool demo, int64_t now_ms)
{
    memset(f, 0, sizeof *f);
    f->screen = SCREEN_HOME;
    f->timing = *timing;
    f->demo = demo;
    f->now_ms = now_ms;
    f->last_input_ms = now_ms;
    f->reader_connected = true;
    f->registry_connected = true;
    f->next_req = 1;
}

/* Elder mode doubles every timeout. */
int64_t flow_scaled_ms(const struct flow *f, int ms)
{
    return f->elder ? (int64_t)ms * 2 : ms;
}

/* A countdown that warns (the idle banner, the goodbye screen's 请取走您的
 * 身份证) runs at least FLOW_WARN_MS, whatever the config says. */
static int64_t warn_ms(const struct flow *f, int ms)
{
    int64_t t = flow_scaled_ms(f, ms);
    return t < FLOW_WARN_MS ? FLOW_WARN_MS : t;
}

/* The goodbye screen's countdown back home, from now at its full length,
 * and its warning (speech.c: the tone and the words) with it. The
 * countdown is never shorter than FLOW_WARN_MS, so the warning comes at
 * least that long before the kiosk goes home; a tap or a key starts both
 * again (flow_handle). */
static void start_countdown(struct flow *f)
{
    f->screen_deadline_ms = f->now_ms + warn_ms(f, f->timing.goodbye_ms);
    f->countdown_warns++;
}

/* ---- steps: what happens on an arrow of the map ----------------------
 *
 * Each step has the same shape: the event, the row's target `to`
 * (SCREEN_STAY on rows that keep the screen), and the actions to append. */

STEP(enter)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
}

STEP(nothing)
{
    UNUSED_STEP_ARGS;
}

STEP(redraw)
{
    UNUSED_STEP_ARGS;
    emit(out, ACT_REDRAW, 0, 0);
}

/* Ends the visit: the composition root drops the token, wipes the face
 * buffers and the session. The map sends it to the goodbye screen while a
 * card is still on the reader, so nobody walks away without it. */
STEP(end_visit)
{
    UNUSED_STEP_ARGS;
    if (f->screen == SCREEN_FACE_CAPTURE)
        emit(out, ACT_CAMERA_STOP, 0, 0);
    if (s->active)
        emit(out, ACT_END_SESSION, 0, 0);
    /* The citizen's 语音播报 and 长辈模式 last the visit (through the
     * goodbye screen). */
    if (s->active && to == SCREEN_HOME)
        visit_prefs_reset(f);
    f->visit = (struct flow_visit){.guidance = FACE_NONE};
    go(f, to, out);
    if (to == SCREEN_GOODBYE)
        start_countdown(f);
}

/* -- every screen */

STEP(show_banner)
{
    UNUSED_STEP_ARGS;
    f->idle_deadline_ms = f->now_ms + warn_ms(f, f->timing.idle_banner_ms);
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(more_time)
{
    UNUSED_STEP_ARGS;
    f->idle_deadline_ms = 0;
    emit(out, ACT_REDRAW, 0, 0);
}

static void settings_changed(struct flow_actions *out)
{
    emit(out, ACT_SETTINGS_CHANGED, 0, 0);
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(toggle_elder)
{
    UNUSED_STEP_ARGS;
    f->elder = !f->elder;
    f->page = 0;
    settings_changed(out);
}

STEP(toggle_contrast)
{
    UNUSED_STEP_ARGS;
    f->contrast = !f->contrast;
    settings_changed(out);
}

STEP(toggle_lang)
{
    UNUSED_STEP_ARGS;
    f->english = !f->english;
    settings_changed(out);
}

/* 语音播报 on the home screen: speech on or off for this visit (speech.c
 * says the screen's instruction at once when it comes on). */
STEP(set_speech)
{
    UNUSED_STEP_ARGS;
    f->speech = ev->arg ? FLOW_SPEECH_ON : FLOW_SPEECH_OFF;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(call_staff)
{
    UNUSED_STEP_ARGS;
    f->staff_called = true;
    emit(out, ACT_CALL_STAFF, 0, 0);
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(ask_home)
{
    UNUSED_STEP_ARGS;
    f->confirm_home = true;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(cancel_home)
{
    UNUSED_STEP_ARGS;
    f->confirm_home = false;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(note_reader)
{
    UNUSED_STEP_ARGS;
    f->reader_connected = ev->connected;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(note_registry)
{
    UNUSED_STEP_ARGS;
    if (f->registry_connected != ev->connected) {
        f->registry_connected = ev->connected;
        emit(out, ACT_REDRAW, 0, 0);
    }
}

/* -- home and the card */

STEP(begin_visit)
{
    UNUSED_STEP_ARGS;
    f->page = 0;
    /* Rating needs no card: the registry records it without a visit. */
    session_begin(s, (enum session_service)ev->arg, f->now_ms);
    go(f, to, out);
}

/* A card laid on the reader from the home screen starts a query. */
STEP(begin_with_card)
{
    UNUSED_STEP_ARGS;
    session_begin(s, SERVICE_QUERY, f->now_ms);
    session_set_card(s, ev->card, f->audit_key);
    go(f, to, out);
    /* A staff card is known only to the registry: asked while the card
     * holder reads the consent screen (flow_staff.c takes the answer). */
    emit(out, ACT_CHECK_STAFF, new_request(f), 0);
}

STEP(keep_card)
{
    UNUSED_STEP_ARGS;
    session_set_card(s, ev->card, f->audit_key);
    f->card_notice = 0;
    go(f, to, out);
}

STEP(card_rejected)
{
    UNUSED_STEP_ARGS;
    if (!s->active)
        session_begin(s, SERVICE_QUERY, f->now_ms);
    fail(f, ev->reason, NULL, to, out);
}

STEP(card_notice)
{
    UNUSED_STEP_ARGS;
    f->card_notice = ev->err ? ev->err : -1;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(demo_card)
{
    UNUSED_STEP_ARGS;
    emit(out, ACT_DEMO_CARD, 0, ev->arg);
}

/* -- the face */

STEP(start_capture)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->guidance = FACE_NONE;
    f->face_step = 0;
    f->screen_deadline_ms = f->now_ms + flow_scaled_ms(f, f->timing.capture_ms);
    emit(out, ACT_CAMERA_START, 0, 0);
}

STEP(guide)
{
    UNUSED_STEP_ARGS;
    if (f->guidance == ev->guidance)
        return;
    f->guidance = ev->guidance;
    /* Progress: 0 find the face, 1 hold still / challenge, 2 verifying. */
    f->face_step = ev->guidance == FACE_OK || ev->guidance == FACE_BLINK ||
                           ev->guidance == FACE_TURN_LEFT || ev->guidance == FACE_TURN_RIGHT
                       ? 1
                       : 0;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(verify)
{
    UNUSED_STEP_ARGS;
    f->busy = true;
    f->face_step = 2;
    f->guidance = FACE_OK;
    f->screen_deadline_ms = 0;
    emit(out, ACT_CAMERA_STOP, 0, 0);
    emit(out, ACT_OPEN_SESSION, new_request(f), 0);
    emit(out, ACT_REDRAW, 0, 0);
}

/* The camera or the detector is out of order: trying again cannot help,
 * the counter can, and the citizen is told the face check is what failed
 * (the counter screen's lead reads the problem). */
STEP(camera_fault)
{
    UNUSED_STEP_ARGS;
    emit(out, ACT_CAMERA_STOP, 0, 0);
    f->guidance = ev->guidance;
    fail(f, PROBLEM_FACE_UNAVAILABLE, NULL, to, out);
}

STEP(stop_capture)
{
    UNUSED_STEP_ARGS;
    emit(out, ACT_CAMERA_STOP, 0, 0);
    go(f, to, out);
}

STEP(face_failed)
{
    UNUSED_STEP_ARGS;
    emit(out, ACT_CAMERA_STOP, 0, 0);
    f->guidance = ev->guidance;
    s->face_attempts++;
    fail(f, PROBLEM_FACE_NO_MATCH, NULL, to, out);
}

STEP(face_timeout)
{
    UNUSED_STEP_ARGS;
    emit(out, ACT_CAMERA_STOP, 0, 0);
    f->guidance = FACE_TIMEOUT;
    s->face_attempts++;
    fail(f, PROBLEM_FACE_NO_MATCH, NULL, to, out);
}

STEP(face_rejected)
{
    UNUSED_STEP_ARGS;
    s->face_attempts++;
    fail(f, PROBLEM_FACE_NO_MATCH, ev->reply->title, to, out);
}

STEP(session_failed)
{
    UNUSED_STEP_ARGS;
    f->retry = REPLY_SESSION;
    fail(f, ev->reply->problem, ev->reply->title, to, out);
}

/* -- the registry */

STEP(fetch_properties)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->retry = REPLY_PROPERTIES;
    emit(out, ACT_FETCH_PROPERTIES, new_request(f), 0);
}

/* The face matched: the registry session is open, and the visit goes on
 * with what it came for (the map's rows name where to). */
STEP(keep_token)
{
    str_copy(s->token, sizeof s->token, ev->reply->token);
    switch (s->service) {
    case SERVICE_BOOKING:
        STEP_CALL(fetch_slots);
        break;
    case SERVICE_PROGRESS:
        STEP_CALL(fetch_apps);
        break;
    case SERVICE_CHECKIN:
        STEP_CALL(check_in);
        break;
    case SERVICE_MY_BOOKINGS:
        STEP_CALL(fetch_bookings);
        break;
    default:
        STEP_CALL(fetch_properties);
        break;
    }
}

STEP(reply_failed)
{
    UNUSED_STEP_ARGS;
    fail(f, ev->reply->problem, ev->reply->title, to, out);
}

STEP(keep_props)
{
    UNUSED_STEP_ARGS;
    s->props = *ev->reply->props;
    s->has_props = true;
    f->page = 0;
    go(f, to, out);
}

STEP(issue_certificate)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->retry = REPLY_CERTIFICATE;
    emit(out, ACT_ISSUE_CERT, new_request(f), s->purpose);
}

STEP(compose)
{
    UNUSED_STEP_ARGS;
    s->cert = *ev->reply->cert;
    s->has_cert = true;
    f->retry = REPLY_CERTIFICATE;
    emit(out, ACT_COMPOSE_CERT, new_request(f), 0);
}

/* -- records and the certificate */

STEP(select_record)
{
    UNUSED_STEP_ARGS;
    s->selected = ev->arg;
    go(f, to, out);
}

STEP(turn_page)
{
    UNUSED_STEP_ARGS;
    f->page += ev->arg > 0 ? 1 : -1;
    emit(out, ACT_REDRAW, 0, 0);
}

/* 放大查看 on or off; the screen stays, the UI shows its content enlarged. */
STEP(set_zoom)
{
    UNUSED_STEP_ARGS;
    f->zoom = ev->arg != 0;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(choose_purpose)
{
    UNUSED_STEP_ARGS;
    s->purpose = ev->arg;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(set_copies)
{
    UNUSED_STEP_ARGS;
    s->copies += ev->arg > 0 ? 1 : -1;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(print)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->printed = false;
    emit(out, ACT_PRINT_CERT, new_request(f), s->copies);
}

STEP(print_failed)
{
    UNUSED_STEP_ARGS;
    fail(f, PROBLEM_PRINT_FAILED, NULL, to, out);
}

STEP(printed)
{
    UNUSED_STEP_ARGS;
    f->busy = false;
    f->printed = true;
    f->printed_copies += s->copies;
    f->pending_req = 0;
    f->last_input_ms = f->now_ms;
    emit(out, ACT_REDRAW, 0, 0);
}

/* -- rating and the counter */

STEP(choose_level)
{
    UNUSED_STEP_ARGS;
    s->rating = ev->arg;
    if (s->rating > FLOW_REASON_LOW)
        s->reasons = 0; /* reasons go with a low rating only */
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(toggle_reason)
{
    UNUSED_STEP_ARGS;
    s->reasons ^= 1u << ev->arg;
    emit(out, ACT_REDRAW, 0, 0);
}

/* Fire and forget: the visit ends whatever the registry says. */
STEP(submit_rating)
{
    emit(out, ACT_SUBMIT_RATING, f->next_req++, s->rating);
    STEP_CALL(end_visit);
}

/* The number is on screen whatever the paper does; the slip's fate is told
 * as it is, and a kept job prints once refilled. */
STEP(note_slip)
{
    UNUSED_STEP_ARGS;
    f->slip = ev->slip;
    emit(out, ACT_REDRAW, 0, 0);
}

/* ---- the map's steps, row by row ------------------------------------ */

typedef void (*step_fn)(struct flow *, struct session *, const struct flow_event *,
                        enum flow_screen, struct flow_actions *);

#define FLOW_STEP_OF(from, event, input, guards, to, step) flow_step_##step,
static const step_fn steps[FLOW_MAP_ROWS] = {FLOW_MAP(FLOW_STEP_OF)};
#undef FLOW_STEP_OF

void flow_handle(struct flow *f, struct session *s, const struct flow_event *ev,
                 struct flow_actions *out)
{
    if (ev->now_ms > f->now_ms)
        f->now_ms = ev->now_ms;
    if (ev->wall_s)
        f->wall_s = ev->wall_s;

    switch (ev->kind) {
    case FLOW_EV_INPUT:
        f->last_input_ms = f->now_ms;
        if (f->idle_deadline_ms && ev->input != IN_MORE_TIME) {
            /* Any touch while the banner shows means "still here". */
            f->idle_deadline_ms = 0;
            emit(out, ACT_REDRAW, 0, 0);
        }
        break;
    case FLOW_EV_CARD_INSERTED:
        f->card_present = true;
        f->last_input_ms = f->now_ms;
        break;
    case FLOW_EV_CARD_REJECTED:
        f->card_present = true;
        break;
    case FLOW_EV_CARD_REMOVED:
        f->card_present = false;
        break;
    case FLOW_EV_REPLY:
    case FLOW_EV_CERT_READY:
    case FLOW_EV_PRINT_DONE:
    case FLOW_EV_SLIP:
        /* Only the answer this screen waits for counts. */
        if (!ev->req_id || ev->req_id != f->pending_req)
            return;
        break;
    default:
        break;
    }

    enum flow_screen from = f->screen;
    const struct flow_arrow *a = flow_map_find(f, s, ev);
    if (a) {
        steps[a - flow_map](f, s, ev, a->to, out);
        /* A step leaves only for its row's target. */
        assert(f->screen == (a->to == SCREEN_STAY ? from : a->to));
    }
    /* Time to act: a tap or a key on the goodbye screen (anywhere: the
     * composition root sends a touch off the widgets as IN_NONE) is more
     * time, the whole countdown again, as often as it comes. */
    if (ev->kind == FLOW_EV_INPUT && from == SCREEN_GOODBYE && f->screen == SCREEN_GOODBYE &&
        f->screen_deadline_ms) {
        start_countdown(f);
        emit(out, ACT_REDRAW, 0, 0);
    }
}
