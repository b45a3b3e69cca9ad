/* flow.c - the citizen journey as a pure state machine; see flow.h.
 *
 * DESIGN: one function per screen handles the inputs and replies that
 * belong to that screen; flow_handle() first deals with what applies on
 * every screen (time, the idle banner, card removal, the header toggles,
 * 返回首页 and 呼叫工作人员) and then hands the event to the screen. Every
 * registry call gets a fresh request id and the flow remembers only the
 * one the current screen waits for, so an answer that arrives after the
 * citizen moved on is dropped: leaving a screen is the cancellation.
 *
 * The flow never wipes the session itself: it emits ACT_END_SESSION and
 * the composition root ends the registry token, the camera buffers and the
 * session in that order, because the token must still be readable then.
 * UI thread only.
 */
#include "flow.h"

#include "base/util.h"

#include <stdio.h>
#include <string.h>

static const char *const screen_names[SCREEN_COUNT] = {
    [SCREEN_HOME] = "home",
    [SCREEN_INSERT_CARD] = "insert_card",
    [SCREEN_FACE_CONSENT] = "face_consent",
    [SCREEN_FACE_CAPTURE] = "face_capture",
    [SCREEN_COUNTER] = "counter",
    [SCREEN_LOADING] = "loading",
    [SCREEN_RECORDS] = "records",
    [SCREEN_RECORD_DETAIL] = "record_detail",
    [SCREEN_CERT_PURPOSE] = "cert_purpose",
    [SCREEN_CERT_PREVIEW] = "cert_preview",
    [SCREEN_PRINTING] = "printing",
    [SCREEN_RATING] = "rating",
    [SCREEN_GOODBYE] = "goodbye",
    [SCREEN_ERROR] = "error",
    [SCREEN_HELP] = "help",
    [SCREEN_TICKET] = "ticket",
};

const char *flow_screen_name(enum flow_screen s)
{
    return (unsigned)s < SCREEN_COUNT ? screen_names[s] : "unknown";
}

int flow_screen_parse(const char *name)
{
    for (int i = 0; i < SCREEN_COUNT; i++)
        if (strcmp(screen_names[i], name) == 0)
            return i;
    return -1;
}

const char *flow_purpose_key(int i)
{
    static const char *const keys[FLOW_PURPOSE_COUNT] = {
        "purpose.0", "purpose.1", "purpose.2", "purpose.3", "purpose.4", "purpose.5",
    };
    return i >= 0 && i < FLOW_PURPOSE_COUNT ? keys[i] : NULL;
}

void flow_timing_default(struct flow_timing *t)
{
    t->idle_ms = 60000;
    t->idle_banner_ms = 30000;
    t->capture_ms = 30000;
    t->goodbye_ms = 15000;
    t->card_wait_ms = 60000;
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

/* Elder mode lengthens every timeout by half (TOKENS §3.3). */
static int64_t scaled(const struct flow *f, int ms)
{
    return f->elder ? (int64_t)ms * 3 / 2 : ms;
}

static void emit(struct flow_actions *out, enum flow_action_kind kind, uint32_t req_id, int arg)
{
    if (out->count < FLOW_ACTIONS_MAX)
        out->items[out->count++] = (struct flow_action){kind, req_id, arg};
}

static uint32_t new_request(struct flow *f)
{
    uint32_t id = f->next_req++;
    if (f->next_req == 0)
        f->next_req = 1;
    f->pending_req = id;
    return id;
}

static void go(struct flow *f, enum flow_screen s, struct flow_actions *out)
{
    if (s == SCREEN_HOME) {
        f->printed_copies = 0;
        f->slip = FLOW_SLIP_NONE;
    }
    f->screen = s;
    f->confirm_home = false;
    f->idle_deadline_ms = 0;
    f->screen_deadline_ms = 0;
    f->busy = false;
    emit(out, ACT_REDRAW, 0, 0);
}

static void fail(struct flow *f, enum flow_problem p, const char *title, struct flow_actions *out)
{
    f->problem = p;
    str_copy(f->problem_title, sizeof f->problem_title, title ? title : "");
    f->pending_req = 0;
    go(f, SCREEN_ERROR, out);
}

/* Ends the visit: the composition root drops the token, wipes the face
 * buffers and the session. The goodbye screen follows while a card is
 * still on the reader, so nobody walks away without it. */
static void end_visit(struct flow *f, struct session *s, bool say_goodbye, struct flow_actions *out)
{
    if (f->screen == SCREEN_FACE_CAPTURE)
        emit(out, ACT_CAMERA_STOP, 0, 0);
    if (s->active)
        emit(out, ACT_END_SESSION, 0, 0);
    f->pending_req = 0;
    f->problem = PROBLEM_NONE;
    f->problem_title[0] = '\0';
    f->page = 0;
    f->printed = false;
    f->staff_called = false;
    f->card_notice = 0;
    f->guidance = FACE_NONE;
    f->face_step = 0;
    if (say_goodbye && f->card_present) {
        go(f, SCREEN_GOODBYE, out);
        f->screen_deadline_ms = f->now_ms + scaled(f, f->timing.goodbye_ms);
    } else {
        go(f, SCREEN_HOME, out);
    }
}

static void start_capture(struct flow *f, struct flow_actions *out)
{
    go(f, SCREEN_FACE_CAPTURE, out);
    f->guidance = FACE_NONE;
    f->face_step = 0;
    f->screen_deadline_ms = f->now_ms + f->timing.capture_ms;
    emit(out, ACT_CAMERA_START, 0, 0);
}

static void fetch_properties(struct flow *f, struct flow_actions *out)
{
    go(f, SCREEN_LOADING, out);
    f->busy = true;
    f->retry = REPLY_PROPERTIES;
    emit(out, ACT_FETCH_PROPERTIES, new_request(f), 0);
}

static void issue_certificate(struct flow *f, const struct session *s, struct flow_actions *out)
{
    go(f, SCREEN_LOADING, out);
    f->busy = true;
    f->retry = REPLY_CERTIFICATE;
    emit(out, ACT_ISSUE_CERT, new_request(f), s->purpose);
}

static void face_failed(struct flow *f, struct session *s, enum flow_problem p, const char *title,
                        struct flow_actions *out)
{
    s->face_attempts++;
    fail(f, p, title, out);
}

/* ---- screens -------------------------------------------------------- */

static void on_counter(struct flow *f, struct session *s, const struct flow_event *ev,
                       struct flow_actions *out);

static void on_home(struct flow *f, struct session *s, const struct flow_event *ev,
                    struct flow_actions *out)
{
    if (ev->kind == FLOW_EV_INPUT && ev->input == IN_SERVICE &&
        (ev->arg == SERVICE_QUERY || ev->arg == SERVICE_PRINT_CERT)) {
        session_begin(s, (enum session_service)ev->arg, f->now_ms);
        go(f, SCREEN_INSERT_CARD, out);
        return;
    }
    if (ev->kind == FLOW_EV_INPUT && ev->input == IN_SERVICE && ev->arg == SERVICE_RATE) {
        /* Rating needs no card: the registry records it without a visit. */
        session_begin(s, SERVICE_RATE, f->now_ms);
        go(f, SCREEN_RATING, out);
        return;
    }
    if (ev->kind == FLOW_EV_INPUT && ev->input == IN_HELP) {
        go(f, SCREEN_HELP, out);
        return;
    }
    /* A card laid on the reader from the home screen starts a query. */
    if (ev->kind == FLOW_EV_CARD_INSERTED) {
        session_begin(s, SERVICE_QUERY, f->now_ms);
        session_set_card(s, ev->card, f->audit_key);
        go(f, SCREEN_FACE_CONSENT, out);
    }
}

static void on_insert_card(struct flow *f, struct session *s, const struct flow_event *ev,
                           struct flow_actions *out)
{
    switch (ev->kind) {
    case FLOW_EV_CARD_INSERTED:
        session_set_card(s, ev->card, f->audit_key);
        f->card_notice = 0;
        go(f, SCREEN_FACE_CONSENT, out);
        break;
    case FLOW_EV_CARD_FAILED:
        f->card_notice = ev->err ? ev->err : -1;
        emit(out, ACT_REDRAW, 0, 0);
        break;
    case FLOW_EV_INPUT:
        if (ev->input == IN_DEMO_CARD && f->demo)
            emit(out, ACT_DEMO_CARD, 0, ev->arg);
        else if (ev->input == IN_NO_CARD)
            go(f, SCREEN_COUNTER, out);
        break;
    default:
        break;
    }
}

static void on_consent(struct flow *f, struct session *s, const struct flow_event *ev,
                       struct flow_actions *out)
{
    (void)s;
    if (ev->kind != FLOW_EV_INPUT)
        return;
    if (ev->input == IN_CONSENT_ACCEPT)
        start_capture(f, out);
    else if (ev->input == IN_CONSENT_DECLINE)
        go(f, SCREEN_COUNTER, out);
}

static void on_capture(struct flow *f, struct session *s, const struct flow_event *ev,
                       struct flow_actions *out)
{
    switch (ev->kind) {
    case FLOW_EV_FACE_GUIDANCE:
        if (f->busy)
            break;
        if (f->guidance != ev->guidance) {
            f->guidance = ev->guidance;
            /* Progress: 0 find the face, 1 hold still / challenge, 2 verifying. */
            f->face_step = ev->guidance == FACE_OK || ev->guidance == FACE_BLINK ||
                                   ev->guidance == FACE_TURN_LEFT || ev->guidance == FACE_TURN_RIGHT
                               ? 1
                               : 0;
            emit(out, ACT_REDRAW, 0, 0);
        }
        break;
    case FLOW_EV_FACE_CAPTURED:
        if (f->busy)
            break;
        f->busy = true;
        f->face_step = 2;
        f->guidance = FACE_OK;
        f->screen_deadline_ms = 0;
        emit(out, ACT_CAMERA_STOP, 0, 0);
        emit(out, ACT_OPEN_SESSION, new_request(f), 0);
        emit(out, ACT_REDRAW, 0, 0);
        break;
    case FLOW_EV_FACE_FAILED:
        if (f->busy)
            break;
        emit(out, ACT_CAMERA_STOP, 0, 0);
        f->guidance = ev->guidance;
        if (ev->err) {
            /* The camera or the detector is out of order: trying again
             * cannot help, the counter can. */
            go(f, SCREEN_COUNTER, out);
            break;
        }
        face_failed(f, s, PROBLEM_FACE_NO_MATCH, NULL, out);
        break;
    case FLOW_EV_REPLY:
        if (ev->reply->kind != REPLY_SESSION)
            break;
        if (ev->reply->err == 0) {
            str_copy(s->token, sizeof s->token, ev->reply->token);
            fetch_properties(f, out);
        } else if (ev->reply->problem == PROBLEM_FACE_NO_MATCH) {
            face_failed(f, s, PROBLEM_FACE_NO_MATCH, ev->reply->title, out);
        } else {
            f->retry = REPLY_SESSION;
            fail(f, ev->reply->problem, ev->reply->title, out);
        }
        break;
    case FLOW_EV_INPUT:
        if (ev->input == IN_FACE_STOP) {
            emit(out, ACT_CAMERA_STOP, 0, 0);
            go(f, SCREEN_COUNTER, out);
        }
        break;
    default:
        break;
    }
}

static void on_loading(struct flow *f, struct session *s, const struct flow_event *ev,
                       struct flow_actions *out)
{
    if (ev->kind == FLOW_EV_REPLY) {
        const struct flow_reply *r = ev->reply;
        if (r->err) {
            fail(f, r->problem, r->title, out);
            return;
        }
        if (r->kind == REPLY_PROPERTIES && r->props) {
            s->props = *r->props;
            s->has_props = true;
            f->page = 0;
            go(f, s->service == SERVICE_PRINT_CERT ? SCREEN_CERT_PURPOSE : SCREEN_RECORDS, out);
        } else if (r->kind == REPLY_CERTIFICATE && r->cert) {
            s->cert = *r->cert;
            s->has_cert = true;
            f->retry = REPLY_CERTIFICATE;
            emit(out, ACT_COMPOSE_CERT, new_request(f), 0);
        }
    } else if (ev->kind == FLOW_EV_CERT_READY) {
        if (ev->err) {
            fail(f, PROBLEM_PRINT_FAILED, NULL, out);
            return;
        }
        go(f, SCREEN_CERT_PREVIEW, out);
    }
}

static void on_records(struct flow *f, struct session *s, const struct flow_event *ev,
                       struct flow_actions *out)
{
    if (ev->kind != FLOW_EV_INPUT)
        return;
    switch (ev->input) {
    case IN_OPEN_RECORD:
        if (ev->arg >= 0 && ev->arg < s->props.count) {
            s->selected = ev->arg;
            go(f, SCREEN_RECORD_DETAIL, out);
        }
        break;
    case IN_PAGE: {
        /* Records come in pages: 3 to a page, 2 in elder mode (no scrolling). */
        int per_page = f->elder ? 2 : 3, pages = (s->props.count + per_page - 1) / per_page;
        int page = f->page + (ev->arg > 0 ? 1 : -1);
        if (page >= 0 && page < pages) {
            f->page = page;
            emit(out, ACT_REDRAW, 0, 0);
        }
        break;
    }
    case IN_PRINT_CERT:
        go(f, SCREEN_CERT_PURPOSE, out);
        break;
    default:
        break;
    }
}

static void on_detail(struct flow *f, struct session *s, const struct flow_event *ev,
                      struct flow_actions *out)
{
    (void)s;
    if (ev->kind != FLOW_EV_INPUT)
        return;
    if (ev->input == IN_BACK)
        go(f, SCREEN_RECORDS, out);
    else if (ev->input == IN_PRINT_CERT)
        go(f, SCREEN_CERT_PURPOSE, out);
}

static void on_purpose(struct flow *f, struct session *s, const struct flow_event *ev,
                       struct flow_actions *out)
{
    if (ev->kind != FLOW_EV_INPUT)
        return;
    switch (ev->input) {
    case IN_PURPOSE:
        if (ev->arg >= 0 && ev->arg < FLOW_PURPOSE_COUNT) {
            s->purpose = ev->arg;
            emit(out, ACT_REDRAW, 0, 0);
        }
        break;
    case IN_PURPOSE_NEXT:
        if (s->purpose >= 0)
            issue_certificate(f, s, out);
        break;
    case IN_BACK:
        if (s->service == SERVICE_QUERY)
            go(f, SCREEN_RECORDS, out);
        break;
    default:
        break;
    }
}

static void on_preview(struct flow *f, struct session *s, const struct flow_event *ev,
                       struct flow_actions *out)
{
    if (ev->kind != FLOW_EV_INPUT)
        return;
    switch (ev->input) {
    case IN_COPIES: {
        int c = s->copies + (ev->arg > 0 ? 1 : -1);
        if (c >= 1 && c <= 3) {
            s->copies = c;
            emit(out, ACT_REDRAW, 0, 0);
        }
        break;
    }
    case IN_PRINT_CONFIRM:
        go(f, SCREEN_PRINTING, out);
        f->busy = true;
        f->printed = false;
        emit(out, ACT_PRINT_CERT, new_request(f), s->copies);
        break;
    case IN_BACK:
        go(f, SCREEN_CERT_PURPOSE, out);
        break;
    default:
        break;
    }
}

static void on_printing(struct flow *f, struct session *s, const struct flow_event *ev,
                        struct flow_actions *out)
{
    if (ev->kind == FLOW_EV_PRINT_DONE) {
        if (ev->err) {
            fail(f, PROBLEM_PRINT_FAILED, NULL, out);
            return;
        }
        f->busy = false;
        f->printed = true;
        f->printed_copies += s->copies;
        f->pending_req = 0;
        f->last_input_ms = f->now_ms;
        emit(out, ACT_REDRAW, 0, 0);
    } else if (ev->kind == FLOW_EV_INPUT && ev->input == IN_CONTINUE && f->printed) {
        go(f, SCREEN_RATING, out);
    }
}

static void on_rating(struct flow *f, struct session *s, const struct flow_event *ev,
                      struct flow_actions *out)
{
    if (ev->kind != FLOW_EV_INPUT)
        return;
    switch (ev->input) {
    case IN_RATE:
        if (ev->arg >= 1 && ev->arg <= 5) {
            s->rating = ev->arg;
            emit(out, ACT_REDRAW, 0, 0);
        }
        break;
    case IN_RATE_SUBMIT:
        if (s->rating) {
            /* Fire and forget: the visit ends whatever the registry says. */
            emit(out, ACT_SUBMIT_RATING, f->next_req++, s->rating);
            end_visit(f, s, true, out);
        }
        break;
    case IN_RATE_SKIP:
        end_visit(f, s, true, out);
        break;
    default:
        break;
    }
}

static void on_goodbye(struct flow *f, struct session *s, const struct flow_event *ev,
                       struct flow_actions *out)
{
    (void)s;
    if (ev->kind == FLOW_EV_CARD_REMOVED ||
        (ev->kind == FLOW_EV_INPUT && ev->input == IN_LEAVE_NOW))
        go(f, SCREEN_HOME, out);
}

static void on_error(struct flow *f, struct session *s, const struct flow_event *ev,
                     struct flow_actions *out)
{
    if (ev->kind != FLOW_EV_INPUT)
        return;
    if (ev->input == IN_FACE_STOP) {
        go(f, SCREEN_COUNTER, out);
        return;
    }
    if (ev->input != IN_RETRY)
        return;
    switch (f->problem) {
    case PROBLEM_FACE_NO_MATCH:
        if (s->face_attempts < 3)
            start_capture(f, out);
        break;
    case PROBLEM_REGISTRY_DOWN:
    case PROBLEM_BAD_REPLY:
    case PROBLEM_FACE_UNAVAILABLE:
        if (f->retry == REPLY_SESSION && s->has_card)
            start_capture(f, out);
        else if (f->retry == REPLY_PROPERTIES && s->token[0])
            fetch_properties(f, out);
        else if (f->retry == REPLY_CERTIFICATE && s->token[0] && s->purpose >= 0)
            issue_certificate(f, s, out);
        else if (f->retry == REPLY_TICKET)
            on_counter(f, s, &(struct flow_event){.kind = FLOW_EV_INPUT, .input = IN_TAKE_TICKET},
                       out);
        break;
    case PROBLEM_PRINT_FAILED:
        if (s->has_cert) {
            go(f, SCREEN_CERT_PREVIEW, out);
        }
        break;
    default:
        break;
    }
}

static void on_simple(struct flow *f, struct session *s, const struct flow_event *ev,
                      struct flow_actions *out)
{
    /* Counter and help screens: the back button leaves them. */
    if (ev->kind == FLOW_EV_INPUT && (ev->input == IN_BACK || ev->input == IN_LEAVE_NOW))
        end_visit(f, s, true, out);
}

static void on_counter(struct flow *f, struct session *s, const struct flow_event *ev,
                       struct flow_actions *out)
{
    if (ev->kind == FLOW_EV_INPUT && ev->input == IN_TAKE_TICKET) {
        go(f, SCREEN_TICKET, out);
        f->busy = true;
        f->slip = FLOW_SLIP_NONE;
        f->retry = REPLY_TICKET;
        emit(out, ACT_TAKE_TICKET, new_request(f), 0);
        return;
    }
    on_simple(f, s, ev, out);
}

static void on_ticket(struct flow *f, struct session *s, const struct flow_event *ev,
                      struct flow_actions *out)
{
    if (ev->kind == FLOW_EV_REPLY && ev->reply->kind == REPLY_TICKET) {
        if (ev->reply->err || !ev->reply->ticket) {
            fail(f, ev->reply->problem, ev->reply->title, out);
            return;
        }
        s->ticket = *ev->reply->ticket;
        s->has_ticket = true;
        f->busy = false;
        f->slip = FLOW_SLIP_PRINTING;
        f->last_input_ms = f->now_ms;
        emit(out, ACT_PRINT_SLIP, new_request(f), 0);
        emit(out, ACT_REDRAW, 0, 0);
    } else if (ev->kind == FLOW_EV_SLIP) {
        /* The number is on screen whatever the paper does; the slip's
         * fate is told as it is, and a kept job prints once refilled. */
        f->slip = ev->slip;
        emit(out, ACT_REDRAW, 0, 0);
    } else if (ev->kind == FLOW_EV_INPUT && ev->input == IN_LEAVE_NOW && !f->busy) {
        end_visit(f, s, true, out);
    }
}

typedef void (*screen_fn)(struct flow *, struct session *, const struct flow_event *,
                          struct flow_actions *);

static const screen_fn screen_handlers[SCREEN_COUNT] = {
    [SCREEN_HOME] = on_home,
    [SCREEN_INSERT_CARD] = on_insert_card,
    [SCREEN_FACE_CONSENT] = on_consent,
    [SCREEN_FACE_CAPTURE] = on_capture,
    [SCREEN_COUNTER] = on_counter,
    [SCREEN_LOADING] = on_loading,
    [SCREEN_RECORDS] = on_records,
    [SCREEN_RECORD_DETAIL] = on_detail,
    [SCREEN_CERT_PURPOSE] = on_purpose,
    [SCREEN_CERT_PREVIEW] = on_preview,
    [SCREEN_PRINTING] = on_printing,
    [SCREEN_RATING] = on_rating,
    [SCREEN_GOODBYE] = on_goodbye,
    [SCREEN_ERROR] = on_error,
    [SCREEN_HELP] = on_simple,
    [SCREEN_TICKET] = on_ticket,
};

/* ---- what applies on every screen ----------------------------------- */

/* Screens where the machine is working or that count down on their own:
 * the idle banner waits (TOKENS §11). */
static bool idle_suspended(const struct flow *f)
{
    return f->busy || f->screen == SCREEN_HOME || f->screen == SCREEN_FACE_CAPTURE ||
           f->screen == SCREEN_LOADING || f->screen == SCREEN_GOODBYE ||
           (f->screen == SCREEN_PRINTING && !f->printed);
}

static void on_tick(struct flow *f, struct session *s, struct flow_actions *out)
{
    if (f->screen_deadline_ms && f->now_ms >= f->screen_deadline_ms) {
        f->screen_deadline_ms = 0;
        if (f->screen == SCREEN_FACE_CAPTURE && !f->busy) {
            emit(out, ACT_CAMERA_STOP, 0, 0);
            f->guidance = FACE_TIMEOUT;
            face_failed(f, s, PROBLEM_FACE_NO_MATCH, NULL, out);
        } else if (f->screen == SCREEN_GOODBYE) {
            go(f, SCREEN_HOME, out);
        }
        return;
    }
    if (f->idle_deadline_ms) {
        if (f->now_ms >= f->idle_deadline_ms)
            end_visit(f, s, false, out);
        else
            emit(out, ACT_REDRAW, 0, 0); /* the banner counts down */
        return;
    }
    if (idle_suspended(f))
        return;
    int64_t quiet = f->now_ms - f->last_input_ms;
    if (!s->active) {
        /* Help screen, insert-card without a visit: no data to clear, just go home. */
        if (quiet >= scaled(f, f->timing.card_wait_ms))
            go(f, SCREEN_HOME, out);
        return;
    }
    if (quiet >= scaled(f, f->timing.idle_ms)) {
        f->idle_deadline_ms = f->now_ms + scaled(f, f->timing.idle_banner_ms);
        emit(out, ACT_REDRAW, 0, 0);
    }
}

static bool on_global_input(struct flow *f, struct session *s, const struct flow_event *ev,
                            struct flow_actions *out)
{
    switch (ev->input) {
    case IN_MORE_TIME:
        f->idle_deadline_ms = 0;
        emit(out, ACT_REDRAW, 0, 0);
        return true;
    case IN_TOGGLE_ELDER:
        f->elder = !f->elder;
        f->page = 0;
        emit(out, ACT_SETTINGS_CHANGED, 0, 0);
        emit(out, ACT_REDRAW, 0, 0);
        return true;
    case IN_TOGGLE_CONTRAST:
        f->contrast = !f->contrast;
        emit(out, ACT_SETTINGS_CHANGED, 0, 0);
        emit(out, ACT_REDRAW, 0, 0);
        return true;
    case IN_TOGGLE_LANG:
        f->english = !f->english;
        emit(out, ACT_SETTINGS_CHANGED, 0, 0);
        emit(out, ACT_REDRAW, 0, 0);
        return true;
    case IN_CALL_STAFF:
        f->staff_called = true;
        emit(out, ACT_CALL_STAFF, 0, 0);
        emit(out, ACT_REDRAW, 0, 0);
        return true;
    case IN_HOME:
        if (f->screen == SCREEN_PRINTING && !f->printed)
            return true; /* hidden while printing; ignore a stray key */
        if (s->active && f->screen != SCREEN_GOODBYE && f->screen != SCREEN_COUNTER) {
            f->confirm_home = true;
            emit(out, ACT_REDRAW, 0, 0);
        } else {
            end_visit(f, s, f->screen == SCREEN_COUNTER, out);
        }
        return true;
    case IN_HOME_CONFIRM:
        end_visit(f, s, true, out);
        return true;
    case IN_HOME_CANCEL:
        f->confirm_home = false;
        emit(out, ACT_REDRAW, 0, 0);
        return true;
    default:
        return false;
    }
}

void flow_handle(struct flow *f, struct session *s, const struct flow_event *ev,
                 struct flow_actions *out)
{
    if (ev->now_ms > f->now_ms)
        f->now_ms = ev->now_ms;

    switch (ev->kind) {
    case FLOW_EV_TICK:
        on_tick(f, s, out);
        return;
    case FLOW_EV_INPUT:
        f->last_input_ms = f->now_ms;
        if (f->idle_deadline_ms && ev->input != IN_MORE_TIME) {
            /* Any touch while the banner shows means "still here". */
            f->idle_deadline_ms = 0;
            emit(out, ACT_REDRAW, 0, 0);
        }
        if (on_global_input(f, s, ev, out))
            return;
        break;
    case FLOW_EV_READER_STATE:
        f->reader_connected = ev->connected;
        emit(out, ACT_REDRAW, 0, 0);
        return;
    case FLOW_EV_REGISTRY_STATE:
        if (f->registry_connected != ev->connected) {
            f->registry_connected = ev->connected;
            emit(out, ACT_REDRAW, 0, 0);
        }
        return;
    case FLOW_EV_CARD_INSERTED:
        f->card_present = true;
        f->last_input_ms = f->now_ms;
        /* A second card during a visit is not a new visit. */
        if (f->screen != SCREEN_HOME && f->screen != SCREEN_INSERT_CARD)
            return;
        break;
    case FLOW_EV_CARD_REJECTED:
        f->card_present = true;
        if (f->screen == SCREEN_HOME || f->screen == SCREEN_INSERT_CARD) {
            if (!s->active)
                session_begin(s, SERVICE_QUERY, f->now_ms);
            fail(f, ev->reason, NULL, out);
        }
        return;
    case FLOW_EV_CARD_REMOVED:
        f->card_present = false;
        /* Taking the card away ends the visit, except while paper is coming
         * out: the citizen still gets the page and the goodbye follows. */
        if (s->active && f->screen != SCREEN_PRINTING && f->screen != SCREEN_GOODBYE) {
            end_visit(f, s, false, out);
            return;
        }
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
    screen_handlers[f->screen](f, s, ev, out);
}

int flow_idle_left_ms(const struct flow *f)
{
    if (!f->idle_deadline_ms || f->idle_deadline_ms <= f->now_ms)
        return 0;
    return (int)(f->idle_deadline_ms - f->now_ms);
}

/* Milliseconds from now until t, rounded so the wake-up lands just after a
 * whole second of a countdown ends (the number on screen changes then). */
static int64_t until_next_second(int64_t now, int64_t deadline)
{
    int64_t left = deadline - now;
    if (left <= 0)
        return 0;
    int64_t step = left % 1000;
    return step ? step : 1000;
}

int flow_next_wakeup_ms(const struct flow *f)
{
    int64_t best = -1;
#define CONSIDER(ms)                                                                               \
    do {                                                                                           \
        int64_t v_ = (ms);                                                                         \
        if (v_ >= 0 && (best < 0 || v_ < best))                                                    \
            best = v_;                                                                             \
    } while (0)
    if (f->idle_deadline_ms)
        CONSIDER(until_next_second(f->now_ms, f->idle_deadline_ms));
    if (f->screen_deadline_ms)
        CONSIDER(until_next_second(f->now_ms, f->screen_deadline_ms));
    if (!f->idle_deadline_ms && f->screen != SCREEN_HOME) {
        int64_t limit = f->elder ? (int64_t)f->timing.idle_ms * 3 / 2 : f->timing.idle_ms;
        int64_t at = f->last_input_ms + limit - f->now_ms;
        CONSIDER(at > 0 ? at : 0);
    }
#undef CONSIDER
    if (best > 0x7fffffff)
        best = 0x7fffffff;
    return (int)best;
}
