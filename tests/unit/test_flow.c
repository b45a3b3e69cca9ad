/* test_flow.c - the journey state machine, driven by event sequences.
 *
 * test_map walks the journey map of flow.h row by row: for every row it
 * sets up the row's screen and guards, feeds the row's event, and checks
 * the screen the flow lands on against the row's target; then it feeds
 * every screen the taps and events it has no row for, and checks that
 * nothing happens. The other tests feed event sequences to flow_handle and
 * check the screen, the session and the actions, the way the composition
 * root would see them.
 */
#include "base/err.h"
#include "core/flow.h"
#include "check.h"

#include <string.h>

static struct flow f;
static struct session s;
static struct flow_actions acts;
static int64_t now;

static void reset(void)
{
    struct flow_timing t;
    flow_timing_default(&t);
    memset(&s, 0, sizeof s);
    now = 1000000;
    flow_init(&f, &t, true, now);
    f.audit_key = "test-key";
}

static void send(struct flow_event ev)
{
    memset(&acts, 0, sizeof acts);
    ev.now_ms = now;
    flow_handle(&f, &s, &ev, &acts);
}

static void tap(enum flow_input in, int arg)
{
    send((struct flow_event){.kind = FLOW_EV_INPUT, .input = in, .arg = arg});
}

static void tick(int64_t ms)
{
    now += ms;
    send((struct flow_event){.kind = FLOW_EV_TICK});
}

/* Epoch seconds of CST weekday day (0 Monday .. 6 Sunday, the week of
 * 2026-03-02) at h:m. */
static int64_t cst(int day, int h, int m)
{
    return 1772380800 + (int64_t)day * 86400 + h * 3600 + m * 60;
}

/* A tick at wall time t, ms after the last event. */
static void tick_at(int64_t t, int64_t ms)
{
    now += ms;
    send((struct flow_event){.kind = FLOW_EV_TICK, .wall_s = t});
}

static const struct flow_action *find_act(enum flow_action_kind k)
{
    for (int i = 0; i < acts.count; i++)
        if (acts.items[i].kind == k)
            return &acts.items[i];
    return NULL;
}

static struct idcard card(void)
{
    struct idcard c = {0};
    strcpy(c.name, "王建国");
    strcpy(c.id_number, "41080219800101123X");
    strcpy(c.gender, "男");
    return c;
}

static void insert_card(void)
{
    struct idcard c = card();
    send((struct flow_event){.kind = FLOW_EV_CARD_INSERTED, .card = &c});
}

static void reply(enum flow_reply_kind kind, uint32_t req, int err, enum flow_problem p,
                  const struct property_list *props, const struct certificate *cert)
{
    struct flow_reply r = {.kind = kind, .err = err, .problem = p, .props = props, .cert = cert};
    strcpy(r.token, "tok-1");
    strcpy(r.title, "标题");
    send((struct flow_event){.kind = FLOW_EV_REPLY, .req_id = req, .reply = &r});
}

static struct property_list props;

/* Walks from home to the records screen; returns nothing, checks each step. */
static void to_records(void)
{
    tap(IN_SERVICE, SERVICE_QUERY);
    CHECK_EQ_INT(f.screen, SCREEN_INSERT_CARD);
    CHECK(s.active);
    insert_card();
    CHECK_EQ_INT(f.screen, SCREEN_FACE_CONSENT);
    CHECK_EQ_STR(s.name_masked, "王**");
    CHECK_EQ_STR(s.id_masked, "4108**********123X");
    CHECK_EQ_INT(strlen(s.id_hash), 64);
    tap(IN_CONSENT_ACCEPT, 0);
    CHECK_EQ_INT(f.screen, SCREEN_FACE_CAPTURE);
    CHECK(find_act(ACT_CAMERA_START) != NULL);
    send((struct flow_event){.kind = FLOW_EV_FACE_GUIDANCE, .guidance = FACE_BLINK});
    CHECK_EQ_INT(f.face_step, 1);
    send((struct flow_event){.kind = FLOW_EV_FACE_CAPTURED});
    CHECK(find_act(ACT_CAMERA_STOP) != NULL);
    const struct flow_action *open = find_act(ACT_OPEN_SESSION);
    CHECK(open != NULL);
    CHECK(f.busy);
    reply(REPLY_SESSION, open ? open->req_id : 0, 0, PROBLEM_NONE, NULL, NULL);
    CHECK_EQ_STR(s.token, "tok-1");
    CHECK_EQ_INT(f.screen, SCREEN_LOADING);
    const struct flow_action *fetch = find_act(ACT_FETCH_PROPERTIES);
    CHECK(fetch != NULL);
    memset(&props, 0, sizeof props);
    props.count = 3;
    reply(REPLY_PROPERTIES, fetch ? fetch->req_id : 0, 0, PROBLEM_NONE, &props, NULL);
    CHECK_EQ_INT(f.screen, SCREEN_RECORDS);
    CHECK(s.has_props);
    CHECK_EQ_INT(s.props.count, 3);
}

static void test_happy_path(void)
{
    reset();
    to_records();
    tap(IN_OPEN_RECORD, 1);
    CHECK_EQ_INT(f.screen, SCREEN_RECORD_DETAIL);
    CHECK_EQ_INT(s.selected, 1);
    tap(IN_BACK, 0);
    CHECK_EQ_INT(f.screen, SCREEN_RECORDS);
    tap(IN_OPEN_RECORD, 7); /* out of range: ignored */
    CHECK_EQ_INT(f.screen, SCREEN_RECORDS);
    tap(IN_PRINT_CERT, 0);
    CHECK_EQ_INT(f.screen, SCREEN_CERT_PURPOSE);
    tap(IN_PURPOSE_NEXT, 0); /* no purpose chosen yet: stays */
    CHECK_EQ_INT(f.screen, SCREEN_CERT_PURPOSE);
    tap(IN_PURPOSE, 2);
    CHECK_EQ_INT(s.purpose, 2);
    tap(IN_PURPOSE_NEXT, 0);
    CHECK_EQ_INT(f.screen, SCREEN_LOADING);
    const struct flow_action *issue = find_act(ACT_ISSUE_CERT);
    CHECK(issue && issue->arg == 2);
    struct certificate cert = {0};
    strcpy(cert.number, "JZCX-1");
    reply(REPLY_CERTIFICATE, issue ? issue->req_id : 0, 0, PROBLEM_NONE, NULL, &cert);
    CHECK(s.has_cert);
    const struct flow_action *compose = find_act(ACT_COMPOSE_CERT);
    CHECK(compose != NULL);
    CHECK_EQ_INT(f.screen, SCREEN_LOADING);
    send((struct flow_event){.kind = FLOW_EV_CERT_READY, .req_id = compose ? compose->req_id : 0});
    CHECK_EQ_INT(f.screen, SCREEN_CERT_PREVIEW);
    tap(IN_COPIES, +1);
    tap(IN_COPIES, +1);
    tap(IN_COPIES, +1);
    CHECK_EQ_INT(s.copies, 3);
    tap(IN_COPIES, -1);
    CHECK_EQ_INT(s.copies, 2);
    tap(IN_PRINT_CONFIRM, 0);
    CHECK_EQ_INT(f.screen, SCREEN_PRINTING);
    const struct flow_action *print = find_act(ACT_PRINT_CERT);
    CHECK(print && print->arg == 2);
    uint32_t print_req = print ? print->req_id : 0;
    tap(IN_HOME, 0); /* hidden while printing */
    CHECK_EQ_INT(f.screen, SCREEN_PRINTING);
    CHECK(!f.confirm_home);
    tap(IN_CONTINUE, 0); /* not yet printed */
    CHECK_EQ_INT(f.screen, SCREEN_PRINTING);
    send((struct flow_event){.kind = FLOW_EV_PRINT_DONE, .req_id = print_req});
    CHECK(f.printed);
    tap(IN_CONTINUE, 0);
    CHECK_EQ_INT(f.screen, SCREEN_RATING);
    tap(IN_RATE_SUBMIT, 0); /* nothing chosen: stays */
    CHECK_EQ_INT(f.screen, SCREEN_RATING);
    tap(IN_RATE, 5);
    tap(IN_RATE_SUBMIT, 0);
    CHECK(find_act(ACT_SUBMIT_RATING) && find_act(ACT_SUBMIT_RATING)->arg == 5);
    CHECK(find_act(ACT_END_SESSION) != NULL);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE); /* the card is still on the reader */
    send((struct flow_event){.kind = FLOW_EV_CARD_REMOVED});
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
}

static void test_print_service_skips_records(void)
{
    reset();
    tap(IN_SERVICE, SERVICE_PRINT_CERT);
    insert_card();
    tap(IN_CONSENT_ACCEPT, 0);
    send((struct flow_event){.kind = FLOW_EV_FACE_CAPTURED});
    reply(REPLY_SESSION, find_act(ACT_OPEN_SESSION)->req_id, 0, 0, NULL, NULL);
    memset(&props, 0, sizeof props);
    reply(REPLY_PROPERTIES, find_act(ACT_FETCH_PROPERTIES)->req_id, 0, 0, &props, NULL);
    CHECK_EQ_INT(f.screen, SCREEN_CERT_PURPOSE);
    tap(IN_BACK, 0); /* nowhere to go back to in this service */
    CHECK_EQ_INT(f.screen, SCREEN_CERT_PURPOSE);
}

static void test_rating_from_home(void)
{
    reset();
    tap(IN_SERVICE, SERVICE_RATE);
    CHECK_EQ_INT(f.screen, SCREEN_RATING);
    CHECK(!s.has_card);
    tap(IN_RATE, 4);
    tap(IN_RATE_SUBMIT, 0);
    CHECK(find_act(ACT_SUBMIT_RATING) && find_act(ACT_SUBMIT_RATING)->arg == 4);
    CHECK_EQ_INT(f.screen, SCREEN_HOME); /* no card on the reader: no goodbye */
}

/* Reasons go with a low rating only: ticked and unticked, gone with a
 * good level, never taken for a level that has none. */
static void test_rating_reasons(void)
{
    reset();
    tap(IN_SERVICE, SERVICE_RATE);
    tap(IN_REASON, 0); /* no level yet: nothing */
    CHECK_EQ_INT(s.reasons, 0);
    tap(IN_RATE, 2);
    tap(IN_REASON, 0);
    tap(IN_REASON, 2);
    tap(IN_REASON, 2);
    tap(IN_REASON, 5);
    tap(IN_REASON, FLOW_REASON_COUNT); /* no such reason */
    CHECK_EQ_INT(s.reasons, (1u << 0) | (1u << 5));
    tap(IN_RATE, 4);
    CHECK_EQ_INT(s.reasons, 0);
    tap(IN_REASON, 1);
    CHECK_EQ_INT(s.reasons, 0);
    CHECK_EQ_STR(flow_reason_key(5), "reason.5");
    CHECK_EQ_STR(flow_purpose_proof(1), "housing_count"); /* deed tax */
    CHECK_EQ_STR(flow_purpose_proof(3), "housing_count"); /* housing-fund loan */
    CHECK_EQ_STR(flow_purpose_proof(2), "query");         /* school enrolment */
    CHECK(flow_reason_key(FLOW_REASON_COUNT) == NULL);
}

static void test_ticket_route(void)
{
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_DECLINE, 0);
    CHECK_EQ_INT(f.screen, SCREEN_COUNTER);
    tap(IN_TAKE_TICKET, 0);
    CHECK_EQ_INT(f.screen, SCREEN_TICKET);
    CHECK(f.busy);
    const struct flow_action *take = find_act(ACT_TAKE_TICKET);
    CHECK(take != NULL);
    uint32_t req = take ? take->req_id : 0;
    tap(IN_LEAVE_NOW, 0); /* not while the number is being taken */
    CHECK_EQ_INT(f.screen, SCREEN_TICKET);
    struct ticket t = {0};
    strcpy(t.number, "C023");
    struct flow_reply r = {.kind = REPLY_TICKET, .ticket = &t};
    send((struct flow_event){.kind = FLOW_EV_REPLY, .req_id = req, .reply = &r});
    CHECK(s.has_ticket);
    CHECK_EQ_STR(s.ticket.number, "C023");
    CHECK(!f.busy);
    const struct flow_action *slip = find_act(ACT_PRINT_SLIP);
    CHECK(slip != NULL);
    uint32_t slip_req = slip ? slip->req_id : 0;
    CHECK_EQ_INT(f.slip, FLOW_SLIP_PRINTING);
    /* Out of paper: said plainly, the number stays on screen. */
    send(
        (struct flow_event){.kind = FLOW_EV_SLIP, .req_id = slip_req, .slip = FLOW_SLIP_PAPER_OUT});
    CHECK_EQ_INT(f.slip, FLOW_SLIP_PAPER_OUT);
    send((struct flow_event){.kind = FLOW_EV_SLIP, .req_id = 999, .slip = FLOW_SLIP_FAILED});
    CHECK_EQ_INT(f.slip, FLOW_SLIP_PAPER_OUT); /* someone else's slip */
    send((struct flow_event){.kind = FLOW_EV_SLIP, .req_id = slip_req, .slip = FLOW_SLIP_PRINTED});
    CHECK_EQ_INT(f.slip, FLOW_SLIP_PRINTED);
    tap(IN_LEAVE_NOW, 0);
    CHECK(find_act(ACT_END_SESSION) != NULL);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);

    /* The registry refuses: the error screen, and 再试一次 asks again. */
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_DECLINE, 0);
    tap(IN_TAKE_TICKET, 0);
    req = find_act(ACT_TAKE_TICKET)->req_id;
    reply(REPLY_TICKET, req, ERR_NETWORK, PROBLEM_REGISTRY_DOWN, NULL, NULL);
    CHECK_EQ_INT(f.screen, SCREEN_ERROR);
    tap(IN_RETRY, 0);
    CHECK_EQ_INT(f.screen, SCREEN_TICKET);
    CHECK(find_act(ACT_TAKE_TICKET) != NULL);
}

/* Card, face and the registry session for a visit that began on the
 * insert-card screen; returns the first request the session leads to. */
static const struct flow_action *verify_face(enum flow_action_kind next)
{
    insert_card();
    tap(IN_CONSENT_ACCEPT, 0);
    send((struct flow_event){.kind = FLOW_EV_FACE_CAPTURED});
    const struct flow_action *open = find_act(ACT_OPEN_SESSION);
    reply(REPLY_SESSION, open ? open->req_id : 0, 0, PROBLEM_NONE, NULL, NULL);
    return find_act(next);
}

static void reply_bookings(uint32_t req, const struct booking_list *l)
{
    struct flow_reply r = {.kind = REPLY_BOOKINGS, .bookings = l};
    send((struct flow_event){.kind = FLOW_EV_REPLY, .req_id = req, .reply = &r});
}

static void test_my_bookings(void)
{
    static struct booking_list l;
    memset(&l, 0, sizeof l);
    l.count = 2;
    strcpy(l.items[0].code, "YA7Q4M9K");
    strcpy(l.items[0].state, "booked");
    strcpy(l.items[1].code, "YB2C3D4E");
    strcpy(l.items[1].state, "cancelled");
    reset();
    static struct service_list two = {
        .count = 2,
        .items = {{.code = "query", .walk_in = true}, {.code = "registration", .bookable = true}}};
    f.services = &two;
    tap(IN_SERVICE, SERVICE_BOOKING);
    CHECK_EQ_INT(f.screen, SCREEN_SERVICES);
    tap(IN_MY_BOOKINGS, 0);
    CHECK_EQ_INT(f.screen, SCREEN_INSERT_CARD);
    CHECK_EQ_INT(s.service, SERVICE_MY_BOOKINGS);
    const struct flow_action *fetch = verify_face(ACT_FETCH_BOOKINGS);
    CHECK(fetch != NULL);
    CHECK_EQ_INT(f.screen, SCREEN_LOADING);
    reply_bookings(fetch ? fetch->req_id : 0, &l);
    CHECK_EQ_INT(f.screen, SCREEN_BOOKINGS);
    CHECK_EQ_INT(s.bookings.count, 2);
    tap(IN_UNBOOK, 1); /* already cancelled: nothing to ask */
    CHECK_EQ_INT(f.unbook, 0);
    tap(IN_UNBOOK_CONFIRM, 0); /* nothing asked: nothing happens */
    CHECK_EQ_INT(f.screen, SCREEN_BOOKINGS);
    CHECK(find_act(ACT_UNBOOK) == NULL);
    tap(IN_UNBOOK, 0);
    CHECK_EQ_INT(f.unbook, 1);
    tap(IN_UNBOOK_KEEP, 0);
    CHECK_EQ_INT(f.unbook, 0);
    tap(IN_UNBOOK, 0);
    tap(IN_UNBOOK_CONFIRM, 0);
    CHECK_EQ_INT(f.screen, SCREEN_LOADING);
    const struct flow_action *unbook = find_act(ACT_UNBOOK);
    CHECK(unbook && unbook->arg == 0);
    uint32_t req = unbook ? unbook->req_id : 0;
    /* The network fails: 重新连接 cancels the same booking again. */
    reply(REPLY_UNBOOKED, req, ERR_NETWORK, PROBLEM_REGISTRY_DOWN, NULL, NULL);
    CHECK_EQ_INT(f.screen, SCREEN_ERROR);
    tap(IN_RETRY, 0);
    unbook = find_act(ACT_UNBOOK);
    CHECK(unbook && unbook->arg == 0);
    reply(REPLY_UNBOOKED, unbook ? unbook->req_id : 0, 0, PROBLEM_NONE, NULL, NULL);
    /* Cancelled: the list again, fresh from the registry. */
    CHECK_EQ_INT(f.screen, SCREEN_LOADING);
    fetch = find_act(ACT_FETCH_BOOKINGS);
    CHECK(fetch != NULL);
    strcpy(l.items[0].state, "cancelled");
    reply_bookings(fetch ? fetch->req_id : 0, &l);
    CHECK_EQ_INT(f.screen, SCREEN_BOOKINGS);
    CHECK_EQ_STR(s.bookings.items[0].state, "cancelled");
    /* Another booking with the same card: the list shows what is bookable. */
    tap(IN_BACK, 0);
    CHECK_EQ_INT(f.screen, SCREEN_SERVICES);
    CHECK_EQ_INT(s.service, SERVICE_BOOKING);
    tap(IN_PICK_SERVICE, 1);
    CHECK_EQ_INT(f.screen, SCREEN_LOADING);
    CHECK(find_act(ACT_FETCH_SLOTS) != NULL);
    CHECK_EQ_STR(s.svc, "registration");
}

static void test_phone_link(void)
{
    reset();
    tap(IN_SERVICE, SERVICE_PRINT_CERT);
    const struct flow_action *fetch = verify_face(ACT_FETCH_PROPERTIES);
    memset(&props, 0, sizeof props);
    reply(REPLY_PROPERTIES, fetch ? fetch->req_id : 0, 0, PROBLEM_NONE, &props, NULL);
    tap(IN_PURPOSE, 0);
    tap(IN_PURPOSE_NEXT, 0);
    struct certificate cert = {0};
    strcpy(cert.number, "JZCX-1");
    reply(REPLY_CERTIFICATE, find_act(ACT_ISSUE_CERT)->req_id, 0, PROBLEM_NONE, NULL, &cert);
    send((struct flow_event){.kind = FLOW_EV_CERT_READY,
                             .req_id = find_act(ACT_COMPOSE_CERT)->req_id});
    CHECK_EQ_INT(f.screen, SCREEN_CERT_PREVIEW);
    tap(IN_PHONE_LINK, 0);
    CHECK_EQ_INT(f.screen, SCREEN_LOADING);
    const struct flow_action *link = find_act(ACT_LINK_CERT);
    CHECK(link != NULL);
    uint32_t req = link ? link->req_id : 0;
    reply(REPLY_LINK, req, ERR_TIMEOUT, PROBLEM_REGISTRY_DOWN, NULL, NULL);
    CHECK_EQ_INT(f.screen, SCREEN_ERROR);
    tap(IN_RETRY, 0);
    link = find_act(ACT_LINK_CERT);
    CHECK(link != NULL);
    struct cert_link l = {.url = "http://127.0.0.1:8080/e/Rk9x2Qp7mW4t",
                          .expires_at = "2026-11-22T09:54:10+08:00"};
    struct flow_reply r = {.kind = REPLY_LINK, .link = &l};
    send(
        (struct flow_event){.kind = FLOW_EV_REPLY, .req_id = link ? link->req_id : 0, .reply = &r});
    CHECK_EQ_INT(f.screen, SCREEN_ECERT);
    CHECK(s.has_link);
    CHECK_EQ_STR(s.link.url, "http://127.0.0.1:8080/e/Rk9x2Qp7mW4t");
    /* Paper as well: back to the preview, the certificate kept. */
    tap(IN_BACK, 0);
    CHECK_EQ_INT(f.screen, SCREEN_CERT_PREVIEW);
    CHECK(s.has_cert);
    tap(IN_PHONE_LINK, 0);
    r.kind = REPLY_LINK;
    send((struct flow_event){
        .kind = FLOW_EV_REPLY, .req_id = find_act(ACT_LINK_CERT)->req_id, .reply = &r});
    tap(IN_CONTINUE, 0);
    CHECK_EQ_INT(f.screen, SCREEN_RATING);
}

/* The registry out of reach: the tiles that need it say so and start no
 * visit; the guide and the rating still work; it comes back by itself. */
static void test_offline_tiles(void)
{
    reset();
    send((struct flow_event){.kind = FLOW_EV_REGISTRY_STATE, .connected = false});
    static const enum session_service need[] = {SERVICE_QUERY, SERVICE_PRINT_CERT, SERVICE_TICKET,
                                                SERVICE_BOOKING, SERVICE_PROGRESS};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        tap(IN_SERVICE, (int)need[i]);
        CHECK_EQ_INT(f.screen, SCREEN_ERROR);
        CHECK_EQ_INT(f.problem, PROBLEM_OFFLINE);
        CHECK(!s.active);
        CHECK(find_act(ACT_TAKE_TICKET) == NULL);
        tap(IN_HOME, 0);
        CHECK_EQ_INT(f.screen, SCREEN_HOME);
    }
    tap(IN_SERVICE, SERVICE_GUIDE);
    CHECK_EQ_INT(f.screen, SCREEN_SERVICES);
    tap(IN_HOME, 0);
    tap(IN_SERVICE, SERVICE_RATE);
    CHECK_EQ_INT(f.screen, SCREEN_RATING);
    tap(IN_HOME, 0);
    send((struct flow_event){.kind = FLOW_EV_REGISTRY_STATE, .connected = true});
    tap(IN_SERVICE, SERVICE_QUERY);
    CHECK_EQ_INT(f.screen, SCREEN_INSERT_CARD);
}

static const struct flow_action *staff_act(enum flow_staff_action a)
{
    for (int i = 0; i < acts.count; i++)
        if (acts.items[i].kind == ACT_STAFF && acts.items[i].arg == (int)a)
            return &acts.items[i];
    return NULL;
}

static void corner_taps(int n, int64_t gap_ms)
{
    for (int i = 0; i < n; i++) {
        now += gap_ms;
        tap(IN_CORNER, 0);
    }
}

static void pin(const char *digits, bool ok)
{
    for (const char *p = digits; *p; p++)
        tap(IN_KEY, *p - '0');
    tap(IN_KEY, FLOW_KEY_OK);
    CHECK(find_act(ACT_STAFF_CHECK_PIN) != NULL);
    CHECK(f.busy);
    send((struct flow_event){.kind = FLOW_EV_STAFF_PIN,
                             .arg = ok ? FLOW_PIN_OK : FLOW_PIN_WRONG,
                             .staff_no = ok ? "0312" : ""});
}

/* Maintenance mode: the hidden corner, the PIN, the actions, out of
 * service and back, and leaving by the button or by idling. */
static void test_staff(void)
{
    reset();
    corner_taps(5, 1000); /* too slow: the fifth starts the count again */
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK_EQ_INT(f.corner_taps, 1);
    now += FLOW_CORNER_SPAN_MS + 1;
    corner_taps(4, 300);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    corner_taps(1, 300);
    CHECK_EQ_INT(f.screen, SCREEN_STAFF_PIN);
    CHECK(!s.active); /* no citizen's visit */
    tap(IN_KEY, 2);
    tap(IN_KEY, 4);
    tap(IN_KEY, FLOW_KEY_OK); /* too short: not checked */
    CHECK(find_act(ACT_STAFF_CHECK_PIN) == NULL);
    tap(IN_KEY, FLOW_KEY_DELETE);
    tap(IN_KEY, FLOW_KEY_DELETE);
    pin("1111", false);
    CHECK_EQ_INT(f.screen, SCREEN_STAFF_PIN);
    CHECK_EQ_INT(f.pin_verdict, FLOW_PIN_WRONG);
    CHECK_EQ_STR(f.pin, "");
    CHECK(staff_act(STAFF_ENTER_REFUSED) != NULL);
    CHECK(!f.busy);
    /* Locked: said with the time, the digits gone. */
    tap(IN_KEY, 1);
    tap(IN_KEY, 2);
    tap(IN_KEY, 3);
    tap(IN_KEY, 4);
    tap(IN_KEY, FLOW_KEY_OK);
    send((struct flow_event){
        .kind = FLOW_EV_STAFF_PIN, .arg = FLOW_PIN_LOCKED, .locked_until_s = 1700000000});
    CHECK_EQ_INT(f.pin_verdict, FLOW_PIN_LOCKED);
    CHECK(f.staff_locked_until_s == 1700000000);
    pin("2468", true);
    CHECK_EQ_INT(f.screen, SCREEN_STAFF);
    CHECK_EQ_STR(f.staff_no, "0312");
    CHECK(staff_act(STAFF_ENTER) != NULL);
    CHECK_EQ_STR(f.pin, ""); /* wiped on leaving the PIN screen */
    /* A test slip, answered by the slip worker. */
    tap(IN_STAFF_ACTION, STAFF_TEST_SLIP);
    const struct flow_action *t = staff_act(STAFF_TEST_SLIP);
    CHECK(t && t->req_id != 0);
    send((struct flow_event){
        .kind = FLOW_EV_SLIP, .req_id = t ? t->req_id : 0, .slip = FLOW_SLIP_PRINTED});
    CHECK_EQ_INT(f.slip, FLOW_SLIP_PRINTED);
    tap(IN_STAFF_ACTION, STAFF_PAPER_REFILLED);
    CHECK(staff_act(STAFF_PAPER_REFILLED) != NULL);
    tap(IN_STAFF_TAB, 1);
    CHECK_EQ_INT(f.staff_tab, 1);
    tap(IN_PAGE, +1);
    CHECK_EQ_INT(f.page, 1);
    tap(IN_STAFF_TAB, 4); /* no such view */
    CHECK_EQ_INT(f.staff_tab, 1);
    /* 打印记录: a job retried and one cancelled, by their journal ids. */
    tap(IN_STAFF_TAB, 2);
    CHECK_EQ_INT(f.staff_tab, 2);
    CHECK_EQ_INT(f.page, 0);
    tap(IN_JOB_RETRY, 7);
    CHECK(staff_act(STAFF_JOB_RETRIED) != NULL);
    CHECK_EQ_INT(f.staff_job, 7);
    tap(IN_JOB_CANCEL, 9);
    CHECK(staff_act(STAFF_JOB_CANCELLED) != NULL);
    CHECK_EQ_INT(f.staff_job, 9);
    tap(IN_JOB_RETRY, 0); /* no job */
    CHECK_EQ_INT(acts.count, 0);
    tap(IN_STAFF_ACTION, STAFF_JOB_RETRIED); /* only with a job */
    CHECK_EQ_INT(acts.count, 0);
    CHECK_EQ_STR(flow_staff_action_name(STAFF_JOB_RETRIED), "job_retried");
    CHECK_EQ_STR(flow_staff_action_name(STAFF_JOB_CANCELLED), "job_cancelled");
    tap(IN_STAFF_TAB, 0);
    CHECK_EQ_INT(f.page, 0);
    tap(IN_STAFF_ACTION, STAFF_ENTER); /* not an action staff tap */
    CHECK_EQ_INT(acts.count, 0);
    /* Out of service: citizens see the closed screen, whatever time passes. */
    tap(IN_STAFF_ACTION, STAFF_OUT_OF_SERVICE); /* asks why first */
    CHECK(f.oos_asking && !f.out_of_service);
    tap(IN_OOS_REASON, -1); /* 不暂停 */
    CHECK(!f.oos_asking && !f.out_of_service);
    tap(IN_STAFF_ACTION, STAFF_OUT_OF_SERVICE);
    tap(IN_OOS_REASON, 2);
    CHECK(f.out_of_service);
    CHECK_EQ_INT(f.oos_reason, 2);
    CHECK(staff_act(STAFF_OUT_OF_SERVICE) != NULL);
    tap(IN_STAFF_EXIT, 0);
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    CHECK(staff_act(STAFF_EXIT) != NULL);
    tick(10 * 60 * 1000);
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card(); /* asked about, as it might be a staff card */
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    CHECK(find_act(ACT_CHECK_STAFF) != NULL);
    send((struct flow_event){.kind = FLOW_EV_CARD_REMOVED});
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    CHECK(find_act(ACT_END_SESSION) != NULL);
    session_wipe(&s); /* what the composition root does for ACT_END_SESSION */
    corner_taps(5, 200);
    CHECK_EQ_INT(f.screen, SCREEN_STAFF_PIN);
    tap(IN_BACK, 0);
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    corner_taps(5, 200);
    pin("2468", true);
    tap(IN_STAFF_ACTION, STAFF_IN_SERVICE);
    tap(IN_STAFF_ACTION, STAFF_RESTART);
    CHECK(staff_act(STAFF_RESTART) != NULL);
    tap(IN_STAFF_ACTION, STAFF_ACTION_COUNT); /* past the last: nothing */
    CHECK_EQ_INT(acts.count, 0);
    CHECK(!f.out_of_service);
    /* No touch: the banner, then out, to the home screen. */
    tick(f.timing.staff_idle_ms);
    tick(f.timing.idle_banner_ms);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);

    /* A card on the home screen is asked about; a citizen's goes on. */
    insert_card();
    CHECK_EQ_INT(f.screen, SCREEN_FACE_CONSENT);
    const struct flow_action *ask = find_act(ACT_CHECK_STAFF);
    CHECK(ask != NULL);
    struct staff_info no = {.staff = false}, yes = {.staff = true, .staff_no = "0420"};
    struct flow_reply r = {.kind = REPLY_STAFF, .staff = &no};
    send((struct flow_event){.kind = FLOW_EV_REPLY, .req_id = ask ? ask->req_id : 0, .reply = &r});
    CHECK_EQ_INT(f.screen, SCREEN_FACE_CONSENT);
    CHECK(s.active);
    tap(IN_HOME, 0);
    tap(IN_HOME_CONFIRM, 0);
    send((struct flow_event){.kind = FLOW_EV_CARD_REMOVED});
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    /* A staff card: that staff member's PIN, the card's data let go. */
    session_wipe(&s);
    insert_card();
    ask = find_act(ACT_CHECK_STAFF);
    r.staff = &yes;
    send((struct flow_event){.kind = FLOW_EV_REPLY, .req_id = ask ? ask->req_id : 0, .reply = &r});
    CHECK_EQ_INT(f.screen, SCREEN_STAFF_PIN);
    CHECK_EQ_STR(f.staff_card, "0420");
    CHECK(find_act(ACT_END_SESSION) != NULL);
    tap(IN_BACK, 0);
    CHECK_EQ_STR(f.staff_card, ""); /* no PIN given: the card counts no more */
    session_wipe(&s);
    /* On the closed screen a citizen's card is let go at once. */
    f.out_of_service = true;
    f.screen = SCREEN_CLOSED;
    insert_card();
    ask = find_act(ACT_CHECK_STAFF);
    CHECK(ask != NULL);
    r.staff = &no;
    send((struct flow_event){.kind = FLOW_EV_REPLY, .req_id = ask ? ask->req_id : 0, .reply = &r});
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    CHECK(find_act(ACT_END_SESSION) != NULL);
    session_wipe(&s);
    f.out_of_service = false;
    f.screen = SCREEN_HOME;
    corner_taps(5, 100);
    pin("2468", true);
    tick(f.timing.staff_idle_ms);
    CHECK(f.idle_deadline_ms != 0);
    CHECK_EQ_INT(f.screen, SCREEN_STAFF);
    tick(f.timing.idle_banner_ms);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK(staff_act(STAFF_EXIT) != NULL);
}

static void test_card_on_home_starts_query(void)
{
    reset();
    insert_card();
    CHECK_EQ_INT(f.screen, SCREEN_FACE_CONSENT);
    CHECK_EQ_INT(s.service, SERVICE_QUERY);
}

static void test_consent_decline(void)
{
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_DECLINE, 0);
    CHECK_EQ_INT(f.screen, SCREEN_COUNTER);
    CHECK(find_act(ACT_CAMERA_START) == NULL);
    tap(IN_BACK, 0);
    CHECK(find_act(ACT_END_SESSION) != NULL);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    /* 请取走您的身份证 shows (and is spoken) at least FLOW_WARN_MS before
     * the kiosk goes home without the card: the 15 s goodbye is 20 s. */
    now += 16000;
    send((struct flow_event){.kind = FLOW_EV_TICK});
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    now += FLOW_WARN_MS - 16000;
    send((struct flow_event){.kind = FLOW_EV_TICK});
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
}

static void test_face_paths(void)
{
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_ACCEPT, 0);
    /* No match three times: the third offers only the counter. */
    for (int i = 1; i <= 3; i++) {
        send((struct flow_event){.kind = FLOW_EV_FACE_CAPTURED});
        const struct flow_action *open = find_act(ACT_OPEN_SESSION);
        reply(REPLY_SESSION, open->req_id, ERR_REJECTED, PROBLEM_FACE_NO_MATCH, NULL, NULL);
        CHECK_EQ_INT(f.screen, SCREEN_ERROR);
        CHECK_EQ_INT(f.problem, PROBLEM_FACE_NO_MATCH);
        CHECK_EQ_INT(s.face_attempts, i);
        tap(IN_RETRY, 0);
        CHECK_EQ_INT(f.screen, i < 3 ? SCREEN_FACE_CAPTURE : SCREEN_ERROR);
    }
    tap(IN_FACE_STOP, 0);
    CHECK_EQ_INT(f.screen, SCREEN_COUNTER);

    /* Capture limit: 30 s without a good face. */
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_ACCEPT, 0);
    tick(29000);
    CHECK_EQ_INT(f.screen, SCREEN_FACE_CAPTURE);
    tick(1500);
    CHECK_EQ_INT(f.screen, SCREEN_ERROR);
    CHECK_EQ_INT(f.guidance, FACE_TIMEOUT);
    CHECK(find_act(ACT_CAMERA_STOP) != NULL);

    /* A still photo fails liveness. */
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_ACCEPT, 0);
    send((struct flow_event){.kind = FLOW_EV_FACE_FAILED, .guidance = FACE_NOT_LIVE});
    CHECK_EQ_INT(f.screen, SCREEN_ERROR);
    CHECK_EQ_INT(f.guidance, FACE_NOT_LIVE);

    /* The camera is gone: straight to the counter, no retry. */
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_ACCEPT, 0);
    send((struct flow_event){.kind = FLOW_EV_FACE_FAILED, .err = ERR_NODEV});
    CHECK_EQ_INT(f.screen, SCREEN_COUNTER);
    CHECK_EQ_INT(s.face_attempts, 0);
    CHECK(find_act(ACT_CAMERA_STOP) != NULL);
    CHECK_EQ_INT(f.problem, PROBLEM_FACE_UNAVAILABLE); /* the counter says why */

    /* Stop button. */
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_ACCEPT, 0);
    tap(IN_FACE_STOP, 0);
    CHECK_EQ_INT(f.screen, SCREEN_COUNTER);
    CHECK(find_act(ACT_CAMERA_STOP) != NULL);
    CHECK_EQ_INT(f.problem, PROBLEM_NONE); /* the citizen's choice: nothing failed */
}

static void test_registry_errors(void)
{
    static const enum flow_problem problems[] = {PROBLEM_REGISTRY_DOWN, PROBLEM_BAD_REPLY,
                                                 PROBLEM_REJECTED, PROBLEM_SESSION_EXPIRED,
                                                 PROBLEM_FACE_UNAVAILABLE};
    for (size_t i = 0; i < sizeof problems / sizeof problems[0]; i++) {
        reset();
        tap(IN_SERVICE, SERVICE_QUERY);
        insert_card();
        tap(IN_CONSENT_ACCEPT, 0);
        send((struct flow_event){.kind = FLOW_EV_FACE_CAPTURED});
        reply(REPLY_SESSION, find_act(ACT_OPEN_SESSION)->req_id, 0, 0, NULL, NULL);
        uint32_t req = find_act(ACT_FETCH_PROPERTIES)->req_id;
        reply(REPLY_PROPERTIES, req, ERR_NETWORK, problems[i], NULL, NULL);
        CHECK_EQ_INT(f.screen, SCREEN_ERROR);
        CHECK_EQ_INT(f.problem, problems[i]);
        CHECK_EQ_STR(f.problem_title, "标题");
        tap(IN_RETRY, 0);
        bool retries = problems[i] == PROBLEM_REGISTRY_DOWN || problems[i] == PROBLEM_BAD_REPLY ||
                       problems[i] == PROBLEM_FACE_UNAVAILABLE;
        CHECK_EQ_INT(f.screen, retries ? SCREEN_LOADING : SCREEN_ERROR);
        if (retries) {
            const struct flow_action *again = find_act(ACT_FETCH_PROPERTIES);
            CHECK(again && again->req_id != req);
            /* The first request's late answer is dropped. */
            reply(REPLY_PROPERTIES, req, 0, 0, &props, NULL);
            CHECK_EQ_INT(f.screen, SCREEN_LOADING);
        }
    }

    /* Expired card read on the insert screen. */
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    send((struct flow_event){.kind = FLOW_EV_CARD_REJECTED, .reason = PROBLEM_CARD_EXPIRED});
    CHECK_EQ_INT(f.screen, SCREEN_ERROR);
    CHECK_EQ_INT(f.problem, PROBLEM_CARD_EXPIRED);

    /* A damaged read: a notice on the same screen, no visit change. */
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    send((struct flow_event){.kind = FLOW_EV_CARD_FAILED, .err = ERR_CHECKSUM});
    CHECK_EQ_INT(f.screen, SCREEN_INSERT_CARD);
    CHECK_EQ_INT(f.card_notice, ERR_CHECKSUM);
    insert_card();
    CHECK_EQ_INT(f.card_notice, 0);

    /* Print failure keeps the certificate for another try. */
    reset();
    to_records();
    tap(IN_PRINT_CERT, 0);
    tap(IN_PURPOSE, 0);
    tap(IN_PURPOSE_NEXT, 0);
    struct certificate cert = {0};
    reply(REPLY_CERTIFICATE, find_act(ACT_ISSUE_CERT)->req_id, 0, 0, NULL, &cert);
    send((struct flow_event){.kind = FLOW_EV_CERT_READY,
                             .req_id = find_act(ACT_COMPOSE_CERT)->req_id});
    tap(IN_PRINT_CONFIRM, 0);
    send((struct flow_event){
        .kind = FLOW_EV_PRINT_DONE, .req_id = find_act(ACT_PRINT_CERT)->req_id, .err = ERR_IO});
    CHECK_EQ_INT(f.screen, SCREEN_ERROR);
    CHECK_EQ_INT(f.problem, PROBLEM_PRINT_FAILED);
    tap(IN_RETRY, 0);
    CHECK_EQ_INT(f.screen, SCREEN_CERT_PREVIEW);
}

static void test_home_and_cancel(void)
{
    reset();
    to_records();
    tap(IN_HOME, 0);
    CHECK(f.confirm_home);
    CHECK_EQ_INT(f.screen, SCREEN_RECORDS);
    tap(IN_HOME_CANCEL, 0);
    CHECK(!f.confirm_home);
    CHECK(s.has_props);
    tap(IN_HOME, 0);
    tap(IN_HOME_CONFIRM, 0);
    CHECK(find_act(ACT_END_SESSION) != NULL);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    tap(IN_LEAVE_NOW, 0);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);

    /* 返回首页 before a visit goes straight home. */
    reset();
    tap(IN_HELP, 0);
    CHECK_EQ_INT(f.screen, SCREEN_HELP);
    tap(IN_HOME, 0);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK(find_act(ACT_END_SESSION) == NULL);

    /* Toggles and staff call work anywhere. */
    reset();
    tap(IN_TOGGLE_ELDER, 0);
    CHECK(f.elder);
    CHECK(find_act(ACT_SETTINGS_CHANGED) != NULL);
    tap(IN_TOGGLE_LANG, 0);
    CHECK(f.english);
    tap(IN_TOGGLE_CONTRAST, 0);
    CHECK(f.contrast);
    tap(IN_CALL_STAFF, 0);
    CHECK(f.staff_called);
    CHECK(find_act(ACT_CALL_STAFF) != NULL);
}

static void test_card_removed_ends_visit(void)
{
    reset();
    to_records();
    send((struct flow_event){.kind = FLOW_EV_CARD_REMOVED});
    CHECK(find_act(ACT_END_SESSION) != NULL);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
}

static void test_idle(void)
{
    reset();
    to_records();
    tick(59000);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 0);
    int wake = flow_next_wakeup_ms(&f);
    CHECK(wake > 0 && wake <= 1000);
    tick(1000);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 30000);
    CHECK(find_act(ACT_REDRAW) != NULL);
    tick(10000);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 20000);
    tap(IN_MORE_TIME, 0);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 0);
    CHECK_EQ_INT(f.screen, SCREEN_RECORDS);
    tick(60000);
    CHECK(flow_idle_left_ms(&f) > 0);
    tick(30000);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE); /* the card is still on the reader */
    CHECK(find_act(ACT_END_SESSION) != NULL);

    /* Elder mode doubles every timeout: the idle time, the banner, the
     * goodbye, the capture limit, the card wait. */
    reset();
    tap(IN_TOGGLE_ELDER, 0);
    to_records();
    tick(60000);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 0);
    tick(59999);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 0);
    tick(1);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 60000);
    tick(59999);
    CHECK_EQ_INT(f.screen, SCREEN_RECORDS);
    tick(1);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    CHECK_EQ_INT(f.screen_deadline_ms - now, 2 * f.timing.goodbye_ms); /* 30 s */
    tick(2 * f.timing.goodbye_ms);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK(!f.elder); /* it lasted the visit */
    CHECK_EQ_INT(flow_scaled_ms(&f, 15000), 15000);
    f.elder = true;
    CHECK_EQ_INT(flow_scaled_ms(&f, 15000), 30000);
    reset();
    tap(IN_TOGGLE_ELDER, 0);
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_ACCEPT, 0);
    CHECK_EQ_INT(f.screen_deadline_ms - now, 2 * f.timing.capture_ms);

    /* Every warning comes at least FLOW_WARN_MS before its timeout, even
     * when the config asks for a shorter banner. */
    reset();
    f.timing.idle_banner_ms = 5000;
    to_records();
    tick(60000);
    CHECK_EQ_INT(flow_idle_left_ms(&f), FLOW_WARN_MS);
    tick(FLOW_WARN_MS - 1);
    CHECK_EQ_INT(f.screen, SCREEN_RECORDS);
    /* A key or a tap (any input) is more time. */
    tap(IN_MORE_TIME, 0);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 0);
    CHECK_EQ_INT(f.screen, SCREEN_RECORDS);

    /* A visit that times out with the card on the reader ends on the
     * goodbye screen (请取走您的身份证, at least FLOW_WARN_MS), not at home. */
    reset();
    to_records();
    CHECK(f.card_present);
    tick(60000);
    tick(30000);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    CHECK(find_act(ACT_END_SESSION) != NULL);
    CHECK_EQ_INT(f.screen_deadline_ms - now, FLOW_WARN_MS);
    tick(FLOW_WARN_MS);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);

    /* The insert-card screen without a card warns too, then goes home. */
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    CHECK_EQ_INT(f.screen, SCREEN_INSERT_CARD);
    tick(60000);
    CHECK_EQ_INT(f.screen, SCREEN_INSERT_CARD);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 30000);
    tick(29999);
    CHECK_EQ_INT(f.screen, SCREEN_INSERT_CARD);
    tick(1);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);

    /* No banner while the machine works. */
    reset();
    tap(IN_SERVICE, SERVICE_QUERY);
    insert_card();
    tap(IN_CONSENT_ACCEPT, 0);
    send((struct flow_event){.kind = FLOW_EV_FACE_CAPTURED});
    tick(61000);
    CHECK_EQ_INT(flow_idle_left_ms(&f), 0);
    CHECK_EQ_INT(f.screen, SCREEN_FACE_CAPTURE);

    /* Home never counts down. */
    reset();
    tick(600000);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK_EQ_INT(flow_next_wakeup_ms(&f), -1);
}

/* Office hours: the closed screen with the hours between visits, dimmed
 * until a touch; never in a visit; home again at opening time. */
static void test_office_hours(void)
{
    struct settings st;
    settings_defaults(&st);
    reset();
    f.settings = &st;
    tick_at(cst(0, 3, 0), 1000); /* no office hours: always open */
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK(!flow_dimmed(&f));

    st.days = SETTINGS_DAYS_MON_FRI; /* 08:30-17:00 */
    tick_at(cst(0, 8, 29), 1000);
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    CHECK(f.hours_closed);
    CHECK(flow_dimmed(&f));
    CHECK_EQ_INT(flow_next_wakeup_ms(&f), -1); /* nothing to count down, even much later */
    tick_at(cst(0, 8, 29), 600000);
    CHECK_EQ_INT(flow_next_wakeup_ms(&f), -1);
    /* A touch lights it for a minute. */
    tap(IN_WAKE, 0);
    CHECK(!flow_dimmed(&f));
    CHECK_EQ_INT(flow_next_wakeup_ms(&f), FLOW_WAKE_MS);
    tick_at(cst(0, 8, 29), FLOW_WAKE_MS);
    CHECK(flow_dimmed(&f));
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    /* Opening time: home by itself, bright. */
    tick_at(cst(0, 8, 30), 1000);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK(!f.hours_closed);
    CHECK(!flow_dimmed(&f));
    /* A visit at closing time goes on; the closed screen waits for its end. */
    tap(IN_SERVICE, SERVICE_QUERY);
    CHECK(s.active);
    tick_at(cst(0, 17, 0), 1000);
    CHECK_EQ_INT(f.screen, SCREEN_INSERT_CARD);
    tap(IN_HOME, 0);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK(find_act(ACT_END_SESSION) != NULL);
    session_wipe(&s); /* as the composition root does on ACT_END_SESSION */
    tick_at(cst(0, 17, 0), 1000);
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    /* The corner still opens staff entry (and lights the screen). */
    for (int i = 0; i < FLOW_CORNER_TAPS - 1; i++) {
        tap(IN_CORNER, 0);
        CHECK(!flow_dimmed(&f));
    }
    tap(IN_CORNER, 0);
    CHECK_EQ_INT(f.screen, SCREEN_STAFF_PIN);
    CHECK(!f.hours_closed);
    CHECK(!flow_dimmed(&f));
    tap(IN_BACK, 0);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    /* Saturday is not a working day for Mon-Fri; it is for Mon-Sat. */
    tick_at(cst(5, 10, 0), 1000);
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    st.days = SETTINGS_DAYS_MON_SAT;
    tick_at(cst(5, 10, 0), 1000);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    /* Out of service by staff: the opening time does not end it. */
    f.out_of_service = true;
    f.screen = SCREEN_CLOSED;
    tick_at(cst(0, 10, 0), 1000);
    CHECK_EQ_INT(f.screen, SCREEN_CLOSED);
    CHECK(!flow_dimmed(&f));

    /* The default language: each visit starts in it. */
    reset();
    settings_defaults(&st);
    st.english = true;
    f.settings = &st;
    tap(IN_SERVICE, SERVICE_QUERY);
    tap(IN_HOME, 0);
    CHECK(f.english);
    CHECK(find_act(ACT_SETTINGS_CHANGED) != NULL);
    tap(IN_TOGGLE_LANG, 0); /* a citizen's choice holds for their visit */
    CHECK(!f.english);
    tap(IN_HELP, 0);
    CHECK(!f.english);
    tap(IN_HOME, 0);
    CHECK(f.english);
}

/* The settings tab: a tap that keeps the rules asks for the change. */
static void test_settings_tab(void)
{
    struct settings st;
    settings_defaults(&st);
    reset();
    f.settings = &st;
    f.screen = SCREEN_STAFF;
    tap(IN_SETTING, FLOW_SETTING_ARG(SETTINGS_VOLUME, 1));
    CHECK(find_act(ACT_SETTING) == NULL); /* not on the devices tab */
    tap(IN_STAFF_TAB, FLOW_TAB_SETTINGS);
    CHECK_EQ_INT(f.staff_tab, FLOW_TAB_SETTINGS);
    tap(IN_SETTING, FLOW_SETTING_ARG(SETTINGS_VOLUME, 1));
    const struct flow_action *a = find_act(ACT_SETTING);
    CHECK(a && a->arg == FLOW_SETTING_ARG(SETTINGS_VOLUME, 1));
    st.volume = 100;
    tap(IN_SETTING, FLOW_SETTING_ARG(SETTINGS_VOLUME, 1)); /* past the range */
    CHECK(find_act(ACT_SETTING) == NULL);
    st.open_min = st.close_min - SETTINGS_STEP_MIN;
    tap(IN_SETTING, FLOW_SETTING_ARG(SETTINGS_OPEN, 1)); /* open at close */
    CHECK(find_act(ACT_SETTING) == NULL);
    tap(IN_SETTING, FLOW_SETTING_ARG(SETTINGS_DAYS, SETTINGS_DAYS_DAILY));
    CHECK(find_act(ACT_SETTING) != NULL);
    tap(IN_SETTING, FLOW_SETTING_ARG(SETTINGS_DAYS, SETTINGS_DAYS_COUNT)); /* no such pill */
    CHECK(find_act(ACT_SETTING) == NULL);
    tap(IN_SETTING, FLOW_SETTING_ARG(SETTINGS_COUNT, 0));
    CHECK(find_act(ACT_SETTING) == NULL);
    CHECK_EQ_STR(flow_staff_action_name(STAFF_SETTINGS), "settings");
}

static void test_stray_events(void)
{
    reset();
    /* Replies and print results nobody waits for are ignored. */
    reply(REPLY_PROPERTIES, 99, 0, 0, &props, NULL);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK_EQ_INT(acts.count, 0);
    send((struct flow_event){.kind = FLOW_EV_PRINT_DONE, .req_id = 0});
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    send((struct flow_event){.kind = FLOW_EV_FACE_CAPTURED});
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    /* Demo cards only in demo mode. */
    f.demo = false;
    tap(IN_SERVICE, SERVICE_QUERY);
    tap(IN_DEMO_CARD, 0);
    CHECK(find_act(ACT_DEMO_CARD) == NULL);
    f.demo = true;
    tap(IN_DEMO_CARD, 3);
    CHECK(find_act(ACT_DEMO_CARD) && find_act(ACT_DEMO_CARD)->arg == 3);
}

static void test_names(void)
{
    for (int i = 0; i < SCREEN_COUNT; i++) {
        CHECK(flow_screen_name((enum flow_screen)i)[0] != '\0');
        CHECK_EQ_INT(flow_screen_parse(flow_screen_name((enum flow_screen)i)), i);
    }
    CHECK_EQ_INT(flow_screen_parse("nope"), -1);
    CHECK_EQ_STR(flow_purpose_key(0), "purpose.0");
    CHECK(flow_purpose_key(FLOW_PURPOSE_COUNT) == NULL);
}

static void test_wipe(void)
{
    reset();
    to_records();
    session_wipe(&s);
    const unsigned char *p = (const unsigned char *)&s.card;
    int nonzero = 0;
    for (size_t i = 0; i < sizeof s.card; i++)
        nonzero += p[i] != 0;
    CHECK_EQ_INT(nonzero, 0);
    CHECK(!s.active);
    CHECK_EQ_INT(s.token[0], 0);
}

/* ---- the map, row by row -------------------------------------------- */

/* What a row's event carries when the test feeds it. */
struct map_case {
    struct flow_event ev;
    struct flow_reply reply;
    struct idcard card;
    struct property_list props;
    struct certificate cert;
    struct ticket ticket;
    struct slot_list slots;
    struct application_list apps;
    struct booking_list bookings;
    struct cert_link link;
    struct staff_info staff;
};

/* The guide the flow is given: a walk-in-only service and a bookable one. */
static struct service_list guide = {
    .count = 2,
    .items = {{.code = "query", .walk_in = true},
              {.code = "registration", .walk_in = true, .bookable = true}},
};

static bool begins_visit(enum flow_guard g)
{
    return g == GUARD_VISIT || g == GUARD_QUERY || g == GUARD_PRINT_ONLY || g == GUARD_IDLE ||
           g == GUARD_CARD_READ;
}

/* Office hours daily 08:30-17:00; the other settings as they come. */
static struct settings office = {.volume = 60,
                                 .bright_day = 100,
                                 .bright_night = 30,
                                 .days = SETTINGS_DAYS_DAILY,
                                 .open_min = 8 * 60 + 30,
                                 .close_min = 17 * 60};

/* Makes guard g hold: the flow, the session or the event gets what g reads. */
static void arrange_guard(enum flow_guard g, struct map_case *c)
{
    switch (g) {
    case GUARD_ALWAYS:
    case GUARD_VISIT:
    case GUARD_QUERY:
    case GUARD_FREE:
    case GUARD_UNPRINTED:
        break; /* the session is begun, or the fresh flow already says so */
    case GUARD_PRINT_ONLY:
        s.service = SERVICE_PRINT_CERT;
        break;
    case GUARD_CARD:
        f.card_present = true;
        break;
    case GUARD_CARD_READ:
        s.has_card = true;
        break;
    case GUARD_DEMO:
        f.demo = true;
        break;
    case GUARD_FAULT:
        c->ev.err = ERR_IO;
        c->reply.err = ERR_NETWORK;
        c->reply.problem = PROBLEM_REGISTRY_DOWN;
        break;
    case GUARD_OK:
        c->reply.err = 0;
        break;
    case GUARD_NOT_OK:
        c->reply.err = ERR_NETWORK;
        c->reply.problem = PROBLEM_REGISTRY_DOWN;
        break;
    case GUARD_SESSION:
        c->reply.kind = REPLY_SESSION;
        break;
    case GUARD_PROPS:
        c->reply.kind = REPLY_PROPERTIES;
        break;
    case GUARD_CERT:
        c->reply.kind = REPLY_CERTIFICATE;
        break;
    case GUARD_TICKET:
        c->reply.kind = REPLY_TICKET;
        break;
    case GUARD_NO_MATCH:
        c->reply.err = ERR_REJECTED;
        c->reply.problem = PROBLEM_FACE_NO_MATCH;
        break;
    case GUARD_CARD_SERVICE:
        c->ev.arg = SERVICE_PRINT_CERT;
        break;
    case GUARD_LIST_SERVICE:
        c->ev.arg = SERVICE_BOOKING;
        break;
    case GUARD_PICKED:
        c->ev.arg = 1;
        break;
    case GUARD_GUIDE_VISIT:
        s.service = SERVICE_GUIDE;
        break;
    case GUARD_TICKET_VISIT:
        s.service = SERVICE_TICKET;
        break;
    case GUARD_BOOKING_VISIT:
        s.service = SERVICE_BOOKING;
        break;
    case GUARD_PROGRESS_VISIT:
        s.service = SERVICE_PROGRESS;
        break;
    case GUARD_CHECKIN_VISIT:
        s.service = SERVICE_CHECKIN;
        break;
    case GUARD_TOKEN:
        strcpy(s.token, "tok-1");
        break;
    case GUARD_WALK_IN:
    case GUARD_BOOKABLE:
        strcpy(s.svc, "registration");
        break;
    case GUARD_SLOTS:
        c->reply.kind = REPLY_SLOTS;
        break;
    case GUARD_BOOKING:
        c->reply.kind = REPLY_BOOKING;
        break;
    case GUARD_APPS:
        c->reply.kind = REPLY_APPLICATIONS;
        break;
    case GUARD_SLOT_FULL:
        c->reply.err = ERR_REJECTED;
        c->reply.problem = PROBLEM_SLOT_FULL;
        break;
    case GUARD_DAY:
        s.slots.day_count = 2;
        c->ev.arg = 1;
        break;
    case GUARD_SLOT_FREE:
        s.slots.day_count = 1;
        s.slots.days[0].slot_count = 2;
        s.slots.days[0].slots[1].remaining = 1;
        s.slot_day = 0;
        c->ev.arg = 1;
        break;
    case GUARD_KEY_OK:
        c->ev.arg = FLOW_KEY_OK;
        break;
    case GUARD_RECEIPT_OK:
        strcpy(s.receipt, "2026112000123");
        break;
    case GUARD_PHONE_OK:
        strcpy(s.phone, "13812345678");
        break;
    case GUARD_RETRY_SLOTS:
        f.problem = PROBLEM_REGISTRY_DOWN;
        f.retry = REPLY_SLOTS;
        strcpy(s.svc, "registration");
        break;
    case GUARD_RETRY_APPS:
        f.problem = PROBLEM_REGISTRY_DOWN;
        f.retry = REPLY_APPLICATIONS;
        strcpy(s.token, "tok-1");
        break;
    case GUARD_RETRY_BOOKING:
        f.problem = PROBLEM_BAD_REPLY;
        f.retry = REPLY_BOOKING;
        strcpy(s.token, "tok-1");
        strcpy(s.slot_id, "2026-11-23T09:00");
        strcpy(s.phone, "13812345678");
        break;
    case GUARD_RATE_SERVICE:
        c->ev.arg = SERVICE_RATE;
        break;
    case GUARD_BOOKINGS:
        c->reply.kind = REPLY_BOOKINGS;
        break;
    case GUARD_UNBOOKED:
        c->reply.kind = REPLY_UNBOOKED;
        break;
    case GUARD_LINK:
        c->reply.kind = REPLY_LINK;
        break;
    case GUARD_CANCELLABLE:
        s.bookings.count = 2;
        strcpy(s.bookings.items[1].state, "booked");
        c->ev.arg = 1;
        break;
    case GUARD_UNBOOK_ASKED:
        s.bookings.count = 1;
        f.unbook = 1;
        break;
    case GUARD_SERVICE_OFF:
        f.services_off = 1u << SERVICE_TICKET | 1u << SERVICE_QUERY; /* a card: the query */
        c->ev.arg = SERVICE_TICKET;
        break;
    case GUARD_OFFLINE_SERVICE:
        f.registry_connected = false;
        c->ev.arg = SERVICE_PROGRESS;
        break;
    case GUARD_RETRY_BOOKINGS:
        f.problem = PROBLEM_REGISTRY_DOWN;
        f.retry = REPLY_BOOKINGS;
        strcpy(s.token, "tok-1");
        break;
    case GUARD_RETRY_UNBOOK:
        f.problem = PROBLEM_BAD_REPLY;
        f.retry = REPLY_UNBOOKED;
        strcpy(s.token, "tok-1");
        s.bookings.count = 1;
        f.unbook = 1;
        break;
    case GUARD_RETRY_LINK:
        f.problem = PROBLEM_REGISTRY_DOWN;
        f.retry = REPLY_LINK;
        strcpy(s.token, "tok-1");
        s.has_cert = true;
        break;
    case GUARD_RECORD:
        s.props.count = 3;
        c->ev.arg = 2;
        break;
    case GUARD_PAGE:
        s.props.count = 7;
        c->ev.arg = +1;
        break;
    case GUARD_LIST_PAGE:
        c->ev.arg = +1;
        break;
    case GUARD_PURPOSE:
        c->ev.arg = FLOW_PURPOSE_COUNT - 1;
        break;
    case GUARD_PURPOSE_SET:
        s.purpose = 1;
        break;
    case GUARD_COPIES:
        s.copies = 2;
        c->ev.arg = +1;
        break;
    case GUARD_LEVEL:
        c->ev.arg = 3;
        break;
    case GUARD_REASON:
        s.rating = 2;
        c->ev.arg = FLOW_REASON_COUNT - 1;
        break;
    case GUARD_RATED:
        s.rating = 5;
        break;
    case GUARD_PRINTED:
        f.printed = true;
        break;
    case GUARD_RETRY_FACE:
        f.problem = PROBLEM_FACE_NO_MATCH;
        s.face_attempts = 2;
        break;
    case GUARD_RETRY_SESSION:
        f.problem = PROBLEM_REGISTRY_DOWN;
        f.retry = REPLY_SESSION;
        s.has_card = true;
        break;
    case GUARD_RETRY_PROPS:
        f.problem = PROBLEM_BAD_REPLY;
        f.retry = REPLY_PROPERTIES;
        strcpy(s.token, "tok-1");
        break;
    case GUARD_RETRY_CERT:
        f.problem = PROBLEM_FACE_UNAVAILABLE;
        f.retry = REPLY_CERTIFICATE;
        strcpy(s.token, "tok-1");
        s.purpose = 0;
        break;
    case GUARD_RETRY_TICKET:
        f.problem = PROBLEM_REGISTRY_DOWN;
        f.retry = REPLY_TICKET;
        break;
    case GUARD_RETRY_PRINT:
        f.problem = PROBLEM_PRINT_FAILED;
        s.has_cert = true;
        break;
    case GUARD_GESTURE:
        f.corner_taps = FLOW_CORNER_TAPS - 1;
        f.corner_first_ms = now - 1000;
        break;
    case GUARD_PIN_READY:
        strcpy(f.pin, "2468");
        break;
    case GUARD_PIN_OK:
        c->ev.arg = FLOW_PIN_OK;
        c->ev.staff_no = "0312";
        break;
    case GUARD_STAFF_ACTION:
        c->ev.arg = STAFF_TEST_SLIP;
        break;
    case GUARD_TAB:
        c->ev.arg = 1;
        break;
    case GUARD_JOB:
        c->ev.arg = 7;
        break;
    case GUARD_OOS_ASK:
        c->ev.arg = STAFF_OUT_OF_SERVICE;
        break;
    case GUARD_OOS_REASON:
        c->ev.arg = FLOW_OOS_REASONS - 1;
        break;
    case GUARD_OOS_KEEP:
        c->ev.arg = -1;
        break;
    case GUARD_STAFF_IDLE:
        f.last_input_ms = now - 10 * 60 * 1000;
        break;
    case GUARD_OUT_OF_SERVICE:
        f.out_of_service = true;
        break;
    case GUARD_STAFF_CARD:
        c->reply.kind = REPLY_STAFF;
        c->staff = (struct staff_info){.staff = true, .staff_no = "0312"};
        break;
    case GUARD_TIME_UP:
        f.screen_deadline_ms = now;
        break;
    case GUARD_BANNER_OVER:
        f.idle_deadline_ms = now;
        break;
    case GUARD_BANNER:
        f.idle_deadline_ms = now + 5000;
        break;
    case GUARD_WAITED:
    case GUARD_IDLE:
        f.last_input_ms = now - 10 * 60 * 1000;
        break;
    case GUARD_AFTER_HOURS:
        f.settings = &office;
        f.wall_s = cst(0, 3, 0); /* Monday 03:00 */
        break;
    case GUARD_OPEN_HOURS:
        f.hours_closed = true;
        f.settings = &office;
        f.wall_s = cst(0, 9, 0);
        break;
    case GUARD_SETTING:
        f.staff_tab = FLOW_TAB_SETTINGS;
        f.settings = &office;
        c->ev.arg = FLOW_SETTING_ARG(SETTINGS_VOLUME, 1);
        break;
    case GUARD_SPEAKER:
        f.speaker = true;
        c->ev.arg = 1;
        break;
    case GUARD_COUNT:
        CHECK(g != GUARD_COUNT); /* not a guard */
        break;
    }
}

/* A fresh flow on screen `on` (not in demo mode, no card, no visit) and the
 * event of a row, answering the request the screen waits for. */
static void arrange_event(enum flow_screen on, enum flow_event_kind kind, enum flow_input input,
                          struct map_case *c)
{
    struct flow_timing t;
    flow_timing_default(&t);
    memset(&s, 0, sizeof s);
    session_wipe(&s);
    now = 1000000;
    flow_init(&f, &t, false, now);
    f.audit_key = "test-key";
    f.services = &guide;
    f.screen = on;
    f.pending_req = 7;

    memset(c, 0, sizeof *c);
    c->card = card();
    c->props.count = 1;
    strcpy(c->ticket.number, "C001");
    c->reply = (struct flow_reply){.kind = REPLY_DELIVERY,
                                   .props = &c->props,
                                   .cert = &c->cert,
                                   .ticket = &c->ticket,
                                   .slots = &c->slots,
                                   .apps = &c->apps,
                                   .bookings = &c->bookings,
                                   .link = &c->link,
                                   .staff = &c->staff};
    strcpy(c->reply.token, "tok-1");
    c->ev = (struct flow_event){.kind = kind,
                                .input = kind == FLOW_EV_INPUT ? input : IN_NONE,
                                .now_ms = now,
                                .card = &c->card,
                                .reason = PROBLEM_CARD_EXPIRED,
                                .connected = true,
                                .guidance = FACE_TOO_FAR,
                                .req_id = 7,
                                .reply = &c->reply,
                                .slip = FLOW_SLIP_PRINTED};
}

static void arrange_row(const struct flow_arrow *a, enum flow_screen on, struct map_case *c)
{
    arrange_event(on, a->event, a->input, c);
    for (int g = 0; g < FLOW_GUARDS_MAX; g++)
        if (begins_visit(a->guards[g]))
            session_begin(&s, SERVICE_QUERY, now);
    for (int g = 0; g < FLOW_GUARDS_MAX; g++)
        arrange_guard(a->guards[g], c);
}

static void describe_row(int i)
{
    const struct flow_arrow *a = &flow_map[i];
    fprintf(stderr, "  row %d: %s, event %d, input %d, guards %s %s %s -> %s\n", i,
            a->from == SCREEN_ANY ? "ANY" : flow_screen_name(a->from), a->event, a->input,
            flow_guard_name(a->guards[0]), flow_guard_name(a->guards[1]),
            flow_guard_name(a->guards[2]), a->to == SCREEN_STAY ? "STAY" : flow_screen_name(a->to));
}

/* Every row: from its screen (each screen, for rows on ANY that no earlier
 * row shadows), with its guards made to hold, its event lands on its target. */
static int check_every_row(void)
{
    int checked = 0;
    struct map_case c;
    for (int i = 0; i < FLOW_MAP_ROWS; i++) {
        const struct flow_arrow *a = &flow_map[i];
        int screens = 0;
        for (int sc = 0; sc < SCREEN_COUNT; sc++) {
            if (a->from != SCREEN_ANY && a->from != (enum flow_screen)sc)
                continue;
            arrange_row(a, (enum flow_screen)sc, &c);
            const struct flow_arrow *taken = flow_map_find(&f, &s, &c.ev);
            if (a->from == SCREEN_ANY && taken != a)
                continue; /* an earlier row speaks for this screen, or it has no idle time */
            screens++;
            int failed = check_failed;
            CHECK(taken == a);
            memset(&acts, 0, sizeof acts);
            flow_handle(&f, &s, &c.ev, &acts);
            if (a->to == SCREEN_STAY) {
                CHECK_EQ_INT(f.screen, sc);
            } else {
                CHECK_EQ_INT(f.screen, a->to);
                CHECK(find_act(ACT_REDRAW) != NULL);
            }
            if (check_failed != failed) {
                describe_row(i);
                fprintf(stderr, "    from screen %s\n", flow_screen_name((enum flow_screen)sc));
            }
        }
        CHECK(screens > 0); /* every row can be taken somewhere */
        if (!screens)
            describe_row(i);
        checked += screens > 0;
    }
    return checked;
}

static bool has_row(enum flow_screen on, enum flow_event_kind kind, enum flow_input input)
{
    for (int i = 0; i < FLOW_MAP_ROWS; i++) {
        const struct flow_arrow *a = &flow_map[i];
        if ((a->from == SCREEN_ANY || a->from == on) && a->event == kind &&
            (kind != FLOW_EV_INPUT || a->input == input))
            return true;
    }
    return false;
}

/* Every screen ignores the taps and events it has no row for: same screen,
 * no action, even with a visit under way and the card on the reader. */
static int check_no_row_no_change(void)
{
    int checked = 0;
    struct map_case c;
    for (int sc = 0; sc < SCREEN_COUNT; sc++) {
        for (int k = FLOW_EV_INPUT; k <= FLOW_EV_STAFF_PIN; k++) {
            for (int in = k == FLOW_EV_INPUT ? 1 : 0; in < (k == FLOW_EV_INPUT ? IN_COUNT : 1);
                 in++) {
                enum flow_event_kind kind = (enum flow_event_kind)k;
                if (has_row((enum flow_screen)sc, kind, (enum flow_input)in))
                    continue;
                arrange_event((enum flow_screen)sc, kind, (enum flow_input)in, &c);
                session_begin(&s, SERVICE_QUERY, now);
                f.card_present = true;
                c.ev.arg = 1;
                memset(&acts, 0, sizeof acts);
                flow_handle(&f, &s, &c.ev, &acts);
                int failed = check_failed;
                CHECK_EQ_INT(f.screen, sc);
                CHECK_EQ_INT(acts.count, 0);
                if (check_failed != failed)
                    fprintf(stderr, "  screen %s, event %d, input %d\n",
                            flow_screen_name((enum flow_screen)sc), k, in);
                checked++;
            }
        }
    }
    return checked;
}

static void test_map(void)
{
    int rows = check_every_row();
    CHECK_EQ_INT(rows, FLOW_MAP_ROWS);
    int ignored = check_no_row_no_change();
    CHECK(ignored > 0);

    /* Every screen is left somewhere, and reached from another one. */
    for (int i_sc = 0; i_sc < SCREEN_COUNT; i_sc++) {
        enum flow_screen sc = (enum flow_screen)i_sc;
        bool leaves = false, reached = sc == SCREEN_HOME;
        for (int i = 0; i < FLOW_MAP_ROWS; i++) {
            const struct flow_arrow *a = &flow_map[i];
            leaves |=
                (a->from == sc || a->from == SCREEN_ANY) && a->to != SCREEN_STAY && a->to != sc;
            reached |= a->to == sc && a->from != sc;
        }
        CHECK(leaves);
        CHECK(reached);
    }
    for (int g = 0; g < GUARD_COUNT; g++)
        CHECK(flow_guard_doc((enum flow_guard)g)[0] != '\0');
    printf("test_flow: %d map rows, %d screen-event pairs without a row\n", rows, ignored);
}

/* 放大查看: on and off on the records and the detail, gone with the screen,
 * not offered elsewhere. */
static void test_zoom(void)
{
    reset();
    to_records();
    tap(IN_ZOOM, 1);
    CHECK(f.zoom);
    CHECK(find_act(ACT_REDRAW) != NULL);
    CHECK_EQ_INT(f.screen, SCREEN_RECORDS);
    tap(IN_ZOOM, 0);
    CHECK(!f.zoom);
    tap(IN_ZOOM, 1);
    tap(IN_OPEN_RECORD, 0);
    CHECK_EQ_INT(f.screen, SCREEN_RECORD_DETAIL);
    CHECK(!f.zoom); /* a new screen shows at its normal size */
    tap(IN_ZOOM, 1);
    CHECK(f.zoom);
    tap(IN_BACK, 0);
    CHECK(!f.zoom);
    tap(IN_PRINT_CERT, 0);
    CHECK_EQ_INT(f.screen, SCREEN_CERT_PURPOSE);
    tap(IN_ZOOM, 1); /* not on the purpose screen */
    CHECK(!f.zoom);
}

/* 语音播报 on the home screen: only where the kiosk has a speaker; on or
 * off for the visit, through its goodbye, then as staff set it. */
static void test_speech_switch(void)
{
    reset();
    tap(IN_SPEECH, 1); /* [voice] enabled = off: no speaker, no switch */
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_DEFAULT);
    CHECK_EQ_INT(acts.count, 0);
    f.speaker = true;
    tap(IN_SPEECH, 1);
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_ON);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK(find_act(ACT_REDRAW) != NULL);
    tap(IN_SPEECH, 0);
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_OFF);
    tap(IN_SPEECH, 1);

    /* Help is not a visit: back home, speech stays on. */
    tap(IN_HELP, 0);
    CHECK_EQ_INT(f.screen, SCREEN_HELP);
    tap(IN_BACK, 0);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_ON);

    /* A visit with the card: on through 请取走您的身份证, off after it. */
    to_records();
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_ON);
    tap(IN_SPEECH, 0); /* only on the home screen */
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_ON);
    tap(IN_HOME, 0);
    tap(IN_HOME_CONFIRM, 0);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_ON);
    send((struct flow_event){.kind = FLOW_EV_CARD_REMOVED});
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_DEFAULT);

    /* A visit without a card ends at home: off again; so does a goodbye
     * that times out. */
    tap(IN_SPEECH, 1);
    tap(IN_SERVICE, SERVICE_TICKET);
    CHECK_EQ_INT(f.screen, SCREEN_SERVICES);
    tap(IN_BACK, 0);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_DEFAULT);
    tap(IN_SPEECH, 0);
    to_records();
    tick(60000);
    tick(30000);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_OFF);
    tick(FLOW_WARN_MS);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK_EQ_INT(f.speech, FLOW_SPEECH_DEFAULT);
}

/* 长辈模式 lasts the citizen's visit, through 请取走您的身份证, and the next
 * visit starts as the kiosk is set ([kiosk] elder_mode); help is no visit. */
static void test_elder_lasts_visit(void)
{
    reset();
    CHECK(!f.elder);
    tap(IN_TOGGLE_ELDER, 0);
    CHECK(f.elder);
    tap(IN_HELP, 0);
    tap(IN_BACK, 0);
    CHECK(f.elder);
    to_records();
    CHECK(f.elder);
    tap(IN_HOME, 0);
    tap(IN_HOME_CONFIRM, 0);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    CHECK(f.elder); /* the card is still to be taken, in large type */
    send((struct flow_event){.kind = FLOW_EV_CARD_REMOVED});
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK(!f.elder);
    /* a kiosk set to start in elder mode goes back to it */
    f.start_elder = f.elder = true;
    to_records();
    tap(IN_TOGGLE_ELDER, 0);
    CHECK(!f.elder);
    tap(IN_HOME, 0);
    tap(IN_HOME_CONFIRM, 0);
    send((struct flow_event){.kind = FLOW_EV_CARD_REMOVED});
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK(f.elder);
}

/* Time to act on the screens that count down: a tap or a key is the whole
 * time again, with its warning again, at least FLOW_WARN_MS ahead. */
static void test_countdown_extends(void)
{
    reset();
    to_records();
    tap(IN_HOME, 0);
    tap(IN_HOME_CONFIRM, 0);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    CHECK_EQ_INT(f.countdown_warns, 1u); /* warned as it starts */
    CHECK_EQ_INT(f.screen_deadline_ms - now, FLOW_WARN_MS);
    tick(FLOW_WARN_MS - 1000);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    tap(IN_NONE, 0); /* a touch off the widgets, or a key moving the focus */
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    CHECK_EQ_INT(f.screen_deadline_ms - now, FLOW_WARN_MS);
    CHECK_EQ_INT(f.countdown_warns, 2u);
    CHECK(find_act(ACT_REDRAW) != NULL);
    tick(FLOW_WARN_MS - 1);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    tap(IN_TOGGLE_LANG, 0); /* any tap that stays on the screen */
    CHECK_EQ_INT(f.screen_deadline_ms - now, FLOW_WARN_MS);
    CHECK_EQ_INT(f.countdown_warns, 3u);
    tap(IN_LISTEN, 0);
    CHECK_EQ_INT(f.countdown_warns, 4u);
    tick(FLOW_WARN_MS - 1);
    CHECK_EQ_INT(f.screen, SCREEN_GOODBYE);
    tick(1);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK_EQ_INT(f.screen_deadline_ms, 0);

    /* 现在离开 leaves: no countdown again, no warning. */
    to_records();
    tap(IN_HOME, 0);
    tap(IN_HOME_CONFIRM, 0);
    unsigned warns = f.countdown_warns;
    tap(IN_LEAVE_NOW, 0);
    CHECK_EQ_INT(f.screen, SCREEN_HOME);
    CHECK_EQ_INT(f.countdown_warns, warns);

    /* Elder mode: twice the time, again twice the time. */
    reset();
    tap(IN_TOGGLE_ELDER, 0);
    to_records();
    tap(IN_HOME, 0);
    tap(IN_HOME_CONFIRM, 0);
    CHECK_EQ_INT(f.screen_deadline_ms - now, 2 * f.timing.goodbye_ms);
    tick(20000);
    tap(IN_NONE, 0);
    CHECK_EQ_INT(f.screen_deadline_ms - now, 2 * f.timing.goodbye_ms);

    /* The screens that wait on the idle timer (the printout to take, the
     * queue number, the receipt number, the booking): a touch anywhere
     * puts the banner away and the idle time starts again; the banner
     * warns FLOW_WARN_MS or more before it acts. */
    static const enum flow_screen waiting[] = {SCREEN_PRINTING, SCREEN_TICKET, SCREEN_RECEIPT,
                                               SCREEN_BOOKED};
    for (size_t i = 0; i < sizeof waiting / sizeof waiting[0]; i++) {
        reset();
        session_begin(&s, SERVICE_QUERY, now);
        f.screen = waiting[i];
        f.printed = true;
        tick(60000);
        CHECK(flow_idle_left_ms(&f) >= FLOW_WARN_MS);
        tick(10000);
        tap(IN_NONE, 0);
        CHECK_EQ_INT(flow_idle_left_ms(&f), 0);
        tick(59999);
        CHECK_EQ_INT(f.screen, waiting[i]);
        CHECK_EQ_INT(flow_idle_left_ms(&f), 0);
        tick(1);
        CHECK(flow_idle_left_ms(&f) >= FLOW_WARN_MS);
        tick(flow_idle_left_ms(&f));
        CHECK_EQ_INT(f.screen, SCREEN_HOME);
    }
}

int main(void)
{
    test_map();
    test_happy_path();
    test_print_service_skips_records();
    test_card_on_home_starts_query();
    test_rating_from_home();
    test_rating_reasons();
    test_ticket_route();
    test_my_bookings();
    test_phone_link();
    test_offline_tiles();
    test_staff();
    test_consent_decline();
    test_face_paths();
    test_registry_errors();
    test_home_and_cancel();
    test_card_removed_ends_visit();
    test_idle();
    test_office_hours();
    test_settings_tab();
    test_stray_events();
    test_names();
    test_wipe();
    test_zoom();
    test_speech_switch();
    test_elder_lasts_visit();
    test_countdown_extends();
    return check_report("test_flow");
}
