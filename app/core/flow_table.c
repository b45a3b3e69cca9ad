/* flow_table.c - the journey map of flow.h as data, its guards, and the
 * lookup flow_handle() runs on every event; the names and keys screens
 * show (purposes, reasons) and the time left on the flow's clocks; see
 * flow.h.
 *
 * A guard reads the flow, the session and the event and changes nothing,
 * so the map can be checked row by row without running a step. The steps
 * (what happens on an arrow) are in flow.c. UI thread only.
 */
#include "flow.h"

#include "base/util.h"

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
    [SCREEN_SERVICES] = "services",
    [SCREEN_GUIDE] = "guide",
    [SCREEN_SLOTS] = "slots",
    [SCREEN_PHONE] = "phone",
    [SCREEN_BOOKED] = "booked",
    [SCREEN_PROGRESS] = "progress",
    [SCREEN_RECEIPT] = "receipt",
    [SCREEN_BOOKINGS] = "bookings",
    [SCREEN_ECERT] = "ecert",
    [SCREEN_STAFF_PIN] = "staff_pin",
    [SCREEN_STAFF] = "staff",
    [SCREEN_CLOSED] = "closed",
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

#define FLOW_ARROW_OF(from_, event_, input_, guards_, to_, step_)                                  \
    {.from = SCREEN_##from_,                                                                       \
     .event = FLOW_EV_##event_,                                                                    \
     .input = IN_##input_,                                                                         \
     .guards = FLOW_ROW_GUARDS guards_,                                                            \
     .to = SCREEN_##to_},

const struct flow_arrow flow_map[FLOW_MAP_ROWS] = {FLOW_MAP(FLOW_ARROW_OF)};

#define FLOW_GUARD_NAME(name, doc) #name,
#define FLOW_GUARD_DOC(name, doc)  doc,
static const char *const guard_names[GUARD_COUNT] = {FLOW_GUARD_LIST(FLOW_GUARD_NAME)};
static const char *const guard_docs[GUARD_COUNT] = {FLOW_GUARD_LIST(FLOW_GUARD_DOC)};

const char *flow_guard_name(enum flow_guard g)
{
    return (unsigned)g < GUARD_COUNT ? guard_names[g] : "unknown";
}

const char *flow_guard_doc(enum flow_guard g)
{
    return (unsigned)g < GUARD_COUNT ? guard_docs[g] : "unknown";
}

/* Screens where the machine is working or that count down on their own:
 * the idle banner waits (TOKENS §11). */
static bool idle_suspended(const struct flow *f)
{
    return f->busy || f->screen == SCREEN_HOME || f->screen == SCREEN_FACE_CAPTURE ||
           f->screen == SCREEN_LOADING || f->screen == SCREEN_GOODBYE ||
           (f->screen == SCREEN_PRINTING && !f->printed);
}

/* No touch for ms (scaled for elder mode), on a screen where idle counts. */
static bool quiet_for(const struct flow *f, int ms)
{
    return !f->idle_deadline_ms && !idle_suspended(f) &&
           f->now_ms - f->last_input_ms >= flow_scaled_ms(f, ms);
}

/* The registry could not be reached or answered badly: asking again may help. */
static bool transient(enum flow_problem p)
{
    return p == PROBLEM_REGISTRY_DOWN || p == PROBLEM_BAD_REPLY || p == PROBLEM_FACE_UNAVAILABLE;
}

static bool reply_is(const struct flow_event *ev, enum flow_reply_kind kind)
{
    return ev->kind == FLOW_EV_REPLY && ev->reply && ev->reply->kind == kind;
}

static bool reply_ok(const struct flow_reply *r)
{
    if (!r || r->err)
        return false;
    switch (r->kind) {
    case REPLY_PROPERTIES:
        return r->props != NULL;
    case REPLY_CERTIFICATE:
        return r->cert != NULL;
    case REPLY_TICKET:
    case REPLY_BOOKING:
        return r->ticket != NULL;
    case REPLY_SLOTS:
        return r->slots != NULL;
    case REPLY_APPLICATIONS:
        return r->apps != NULL;
    case REPLY_BOOKINGS:
        return r->bookings != NULL;
    case REPLY_LINK:
        return r->link != NULL;
    case REPLY_STAFF:
        return r->staff != NULL;
    default:
        return true;
    }
}

/* The service the visit chose from the guide, or NULL. */
static const struct service_info *chosen(const struct flow *f, const struct session *s)
{
    return service_list_find(f->services, s->svc);
}

/* Whether guide entry i offers what the visit came for. */
static bool pickable(const struct flow *f, const struct session *s, int i)
{
    if (!f->services || i < 0 || i >= f->services->count)
        return false;
    const struct service_info *si = &f->services->items[i];
    switch (s->service) {
    case SERVICE_TICKET:
        return si->walk_in;
    case SERVICE_BOOKING:
        return si->bookable;
    default:
        return true;
    }
}

bool flow_guard_holds(enum flow_guard g, const struct flow *f, const struct session *s,
                      const struct flow_event *ev)
{
    switch (g) {
    case GUARD_ALWAYS:
        return true;
    case GUARD_VISIT:
        return s->active;
    case GUARD_CARD:
        return f->card_present;
    case GUARD_CARD_READ:
        return s->active && s->has_card;
    case GUARD_FREE:
        return !f->busy;
    case GUARD_DEMO:
        return f->demo;
    case GUARD_FAULT:
        return ev->kind == FLOW_EV_REPLY ? ev->reply && ev->reply->err : ev->err != 0;
    case GUARD_OK:
        return ev->kind == FLOW_EV_REPLY && reply_ok(ev->reply);
    case GUARD_NOT_OK:
        return ev->kind == FLOW_EV_REPLY && !reply_ok(ev->reply);
    case GUARD_SESSION:
        return reply_is(ev, REPLY_SESSION);
    case GUARD_PROPS:
        return reply_is(ev, REPLY_PROPERTIES);
    case GUARD_CERT:
        return reply_is(ev, REPLY_CERTIFICATE);
    case GUARD_TICKET:
        return reply_is(ev, REPLY_TICKET);
    case GUARD_NO_MATCH:
        return ev->kind == FLOW_EV_REPLY && ev->reply && ev->reply->err &&
               ev->reply->problem == PROBLEM_FACE_NO_MATCH;
    case GUARD_CARD_SERVICE:
        return ev->arg == SERVICE_QUERY || ev->arg == SERVICE_PRINT_CERT ||
               ev->arg == SERVICE_PROGRESS;
    case GUARD_LIST_SERVICE:
        return ev->arg == SERVICE_GUIDE || ev->arg == SERVICE_TICKET || ev->arg == SERVICE_BOOKING;
    case GUARD_PICKED:
        return pickable(f, s, ev->arg);
    case GUARD_GUIDE_VISIT:
        return s->service == SERVICE_GUIDE;
    case GUARD_TICKET_VISIT:
        return s->service == SERVICE_TICKET;
    case GUARD_BOOKING_VISIT:
        return s->service == SERVICE_BOOKING;
    case GUARD_PROGRESS_VISIT:
        return s->service == SERVICE_PROGRESS;
    case GUARD_CHECKIN_VISIT:
        return s->service == SERVICE_CHECKIN;
    case GUARD_TOKEN:
        return s->token[0] != '\0';
    case GUARD_WALK_IN:
        return chosen(f, s) && chosen(f, s)->walk_in;
    case GUARD_BOOKABLE:
        return chosen(f, s) && chosen(f, s)->bookable;
    case GUARD_SLOTS:
        return reply_is(ev, REPLY_SLOTS);
    case GUARD_BOOKING:
        return reply_is(ev, REPLY_BOOKING);
    case GUARD_APPS:
        return reply_is(ev, REPLY_APPLICATIONS);
    case GUARD_BOOKINGS:
        return reply_is(ev, REPLY_BOOKINGS);
    case GUARD_UNBOOKED:
        return reply_is(ev, REPLY_UNBOOKED);
    case GUARD_LINK:
        return reply_is(ev, REPLY_LINK);
    case GUARD_CANCELLABLE:
        return ev->arg >= 0 && ev->arg < s->bookings.count &&
               strcmp(s->bookings.items[ev->arg].state, "booked") == 0;
    case GUARD_UNBOOK_ASKED:
        return f->unbook > 0 && f->unbook <= s->bookings.count;
    case GUARD_OFFLINE_SERVICE:
        return !f->registry_connected && ev->arg != SERVICE_GUIDE && ev->arg != SERVICE_RATE;
    case GUARD_SLOT_FULL:
        return ev->kind == FLOW_EV_REPLY && ev->reply && ev->reply->err &&
               ev->reply->problem == PROBLEM_SLOT_FULL;
    case GUARD_DAY:
        return ev->arg >= 0 && ev->arg < s->slots.day_count;
    case GUARD_SLOT_FREE: {
        if (s->slot_day < 0 || s->slot_day >= s->slots.day_count)
            return false;
        const struct slot_day *d = &s->slots.days[s->slot_day];
        return ev->arg >= 0 && ev->arg < d->slot_count && d->slots[ev->arg].remaining > 0;
    }
    case GUARD_KEY_OK:
        return ev->arg == FLOW_KEY_OK;
    case GUARD_RECEIPT_OK:
        return strlen(s->receipt) == FLOW_RECEIPT_DIGITS;
    case GUARD_PHONE_OK:
        return phone_is_mobile(s->phone);
    case GUARD_SERVICE_OFF: {
        int svc = ev->kind == FLOW_EV_CARD_INSERTED ? SERVICE_QUERY : ev->arg;
        return svc > 0 && svc < 32 && (f->services_off & (1u << svc));
    }
    case GUARD_RATE_SERVICE:
        return ev->arg == SERVICE_RATE;
    case GUARD_QUERY:
        return s->service == SERVICE_QUERY;
    case GUARD_PRINT_ONLY:
        return s->service == SERVICE_PRINT_CERT;
    case GUARD_RECORD:
        return ev->arg >= 0 && ev->arg < s->props.count;
    case GUARD_PAGE: {
        /* Records come in pages: 3 to a page, 2 in elder mode (no scrolling). */
        int per_page = f->elder ? 2 : 3, pages = (s->props.count + per_page - 1) / per_page;
        int page = f->page + (ev->arg > 0 ? 1 : -1);
        return page >= 0 && page < pages;
    }
    case GUARD_LIST_PAGE: {
        int page = f->page + (ev->arg > 0 ? 1 : -1);
        return page >= 0 && page < FLOW_LIST_PAGES;
    }
    case GUARD_PURPOSE:
        return ev->arg >= 0 && ev->arg < FLOW_PURPOSE_COUNT;
    case GUARD_PURPOSE_SET:
        return s->purpose >= 0;
    case GUARD_COPIES: {
        int c = s->copies + (ev->arg > 0 ? 1 : -1);
        return c >= 1 && c <= 3;
    }
    case GUARD_LEVEL:
        return ev->arg >= 1 && ev->arg <= 5;
    case GUARD_REASON:
        return s->rating >= 1 && s->rating <= FLOW_REASON_LOW && ev->arg >= 0 &&
               ev->arg < FLOW_REASON_COUNT;
    case GUARD_RATED:
        return s->rating != 0;
    case GUARD_PRINTED:
        return f->printed;
    case GUARD_UNPRINTED:
        return !f->printed;
    case GUARD_RETRY_FACE:
        return f->problem == PROBLEM_FACE_NO_MATCH && s->face_attempts < 3;
    case GUARD_RETRY_SESSION:
        return transient(f->problem) && f->retry == REPLY_SESSION && s->has_card;
    case GUARD_RETRY_PROPS:
        return transient(f->problem) && f->retry == REPLY_PROPERTIES && s->token[0];
    case GUARD_RETRY_CERT:
        return transient(f->problem) && f->retry == REPLY_CERTIFICATE && s->token[0] &&
               s->purpose >= 0;
    case GUARD_RETRY_TICKET:
        return transient(f->problem) && f->retry == REPLY_TICKET;
    case GUARD_RETRY_PRINT:
        return f->problem == PROBLEM_PRINT_FAILED && s->has_cert;
    case GUARD_RETRY_SLOTS:
        return transient(f->problem) && f->retry == REPLY_SLOTS && s->svc[0];
    case GUARD_RETRY_APPS:
        return transient(f->problem) && f->retry == REPLY_APPLICATIONS && s->token[0];
    case GUARD_RETRY_BOOKING:
        return transient(f->problem) && f->retry == REPLY_BOOKING && s->token[0] && s->slot_id[0] &&
               phone_is_mobile(s->phone);
    case GUARD_RETRY_BOOKINGS:
        return transient(f->problem) && f->retry == REPLY_BOOKINGS && s->token[0];
    case GUARD_RETRY_UNBOOK:
        return transient(f->problem) && f->retry == REPLY_UNBOOKED && s->token[0] &&
               f->unbook > 0 && f->unbook <= s->bookings.count;
    case GUARD_RETRY_LINK:
        return transient(f->problem) && f->retry == REPLY_LINK && s->token[0] && s->has_cert;
    case GUARD_GESTURE:
        return f->corner_taps == FLOW_CORNER_TAPS - 1 &&
               f->now_ms - f->corner_first_ms <= FLOW_CORNER_SPAN_MS;
    case GUARD_PIN_READY:
        return strlen(f->pin) >= FLOW_PIN_MIN;
    case GUARD_PIN_OK:
        return ev->kind == FLOW_EV_STAFF_PIN && ev->arg == FLOW_PIN_OK && ev->staff_no &&
               ev->staff_no[0];
    case GUARD_STAFF_ACTION:
        /* The buttons' actions; a print job's come through IN_JOB_*. */
        return ev->arg >= STAFF_TEST_SLIP && ev->arg <= STAFF_TEST_CAMERA;
    case GUARD_OOS_ASK:
        return ev->arg == STAFF_OUT_OF_SERVICE;
    case GUARD_OOS_REASON:
        return ev->arg >= 0 && ev->arg < FLOW_OOS_REASONS;
    case GUARD_OOS_KEEP:
        return ev->arg == -1;
    case GUARD_TAB:
        return ev->arg >= 0 && ev->arg <= FLOW_TAB_SETTINGS;
    case GUARD_JOB:
        return ev->arg > 0;
    case GUARD_STAFF_IDLE:
        return f->screen == SCREEN_STAFF && quiet_for(f, f->timing.staff_idle_ms);
    case GUARD_OUT_OF_SERVICE:
        return f->out_of_service;
    case GUARD_STAFF_CARD:
        return reply_is(ev, REPLY_STAFF) && reply_ok(ev->reply) && ev->reply->staff->staff &&
               ev->reply->staff->staff_no[0];
    case GUARD_TIME_UP:
        return f->screen_deadline_ms && f->now_ms >= f->screen_deadline_ms;
    case GUARD_BANNER_OVER:
        return f->idle_deadline_ms && f->now_ms >= f->idle_deadline_ms;
    case GUARD_BANNER:
        return f->idle_deadline_ms && f->now_ms < f->idle_deadline_ms;
    case GUARD_WAITED:
        return !s->active && quiet_for(f, f->timing.card_wait_ms);
    case GUARD_IDLE:
        return s->active && quiet_for(f, f->timing.idle_ms);
    case GUARD_AFTER_HOURS:
        return !s->active && settings_has_hours(f->settings) &&
               !settings_open_at(f->settings, f->wall_s);
    case GUARD_OPEN_HOURS:
        return f->hours_closed && settings_open_at(f->settings, f->wall_s);
    case GUARD_SETTING:
        return f->staff_tab == FLOW_TAB_SETTINGS && f->settings && ev->arg >= 0 &&
               settings_can_step(f->settings, (enum settings_item)FLOW_SETTING_ITEM(ev->arg),
                                 FLOW_SETTING_OP(ev->arg));
    case GUARD_SPEAKER:
        return f->speaker;
    case GUARD_COUNT:
        break;
    }
    return false;
}

const struct flow_arrow *flow_map_find(const struct flow *f, const struct session *s,
                                       const struct flow_event *ev)
{
    for (int i = 0; i < FLOW_MAP_ROWS; i++) {
        const struct flow_arrow *a = &flow_map[i];
        if ((a->from != SCREEN_ANY && a->from != f->screen) || a->event != ev->kind ||
            (ev->kind == FLOW_EV_INPUT && a->input != ev->input))
            continue;
        bool holds = true;
        for (int g = 0; g < FLOW_GUARDS_MAX && holds; g++)
            holds = flow_guard_holds(a->guards[g], f, s, ev);
        if (holds)
            return a;
    }
    return NULL;
}

/* ---- the words a screen offers, by index --------------------------- */

const char *flow_staff_action_name(enum flow_staff_action a)
{
    static const char *const names[STAFF_ACTION_COUNT] = {
        [STAFF_ENTER] = "enter",
        [STAFF_ENTER_REFUSED] = "enter_refused",
        [STAFF_EXIT] = "exit",
        [STAFF_TEST_SLIP] = "test_slip",
        [STAFF_PAPER_REFILLED] = "paper_refilled",
        [STAFF_OUT_OF_SERVICE] = "out_of_service",
        [STAFF_IN_SERVICE] = "in_service",
        [STAFF_RESTART] = "restart",
        [STAFF_TEST_PAGE] = "test_page",
        [STAFF_TEST_CAMERA] = "test_camera",
        [STAFF_JOB_RETRIED] = "job_retried",
        [STAFF_JOB_CANCELLED] = "job_cancelled",
        [STAFF_SETTINGS] = "settings",
    };
    return (unsigned)a < STAFF_ACTION_COUNT ? names[a] : "unknown";
}

const char *flow_reason_key(int i)
{
    static const char *const keys[FLOW_REASON_COUNT] = {
        "reason.0", "reason.1", "reason.2", "reason.3", "reason.4", "reason.5",
    };
    return i >= 0 && i < FLOW_REASON_COUNT ? keys[i] : NULL;
}

/* The purpose wizard: what the citizen needs the proof for decides which
 * proof the registry issues. Deed tax and housing-fund loans ask how many
 * homes the family has (首套/二套认定); the rest ask what is registered. */
const char *flow_purpose_proof(int i)
{
    return i == 1 || i == 3 ? "housing_count" : "query";
}

const char *flow_purpose_key(int i)
{
    static const char *const keys[FLOW_PURPOSE_COUNT] = {
        "purpose.0", "purpose.1", "purpose.2", "purpose.3", "purpose.4", "purpose.5",
    };
    return i >= 0 && i < FLOW_PURPOSE_COUNT ? keys[i] : NULL;
}

/* ---- time ------------------------------------------------------------ */

bool flow_dimmed(const struct flow *f)
{
    return f->screen == SCREEN_CLOSED && f->hours_closed && f->now_ms >= f->wake_until_ms;
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
    /* The closed screen has no idle time (only its light's), maintenance
     * mode its own: neither wakes the loop again and again once past. */
    if (!f->idle_deadline_ms && f->screen != SCREEN_HOME && f->screen != SCREEN_CLOSED) {
        int ms = f->screen == SCREEN_STAFF ? f->timing.staff_idle_ms : f->timing.idle_ms;
        int64_t at = f->last_input_ms + flow_scaled_ms(f, ms) - f->now_ms;
        CONSIDER(at > 0 ? at : 0);
    }
    if (f->screen == SCREEN_CLOSED && f->wake_until_ms > f->now_ms)
        CONSIDER(f->wake_until_ms - f->now_ms);
#undef CONSIDER
    if (best > 0x7fffffff)
        best = 0x7fffffff;
    return (int)best;
}
