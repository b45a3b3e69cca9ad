/* flow.h - the citizen journey as a pure state machine.
 *
 * DESIGN: flow_handle(flow, session, event, actions) is the only place that
 * decides what happens next. It reads the event, updates the flow and the
 * session, and appends actions (start the camera, call the registry, print)
 * that the composition root carries out. It does no I/O, takes no locks and
 * reads no clock: time arrives as FLOW_EV_TICK with the current
 * milliseconds. Tests feed it event sequences and check state and actions.
 * UI thread only.
 *
 * Screen names (flow_screen_name) are stable lowercase identifiers used by
 * the control socket and the screenshot tests; see app/README.md.
 */
#ifndef CORE_FLOW_H
#define CORE_FLOW_H

#include "model.h"
#include "session.h"

#include <stdbool.h>
#include <stdint.h>

enum flow_screen {
    SCREEN_HOME = 0,
    SCREEN_INSERT_CARD,   /* place the ID card; demo strip in demo mode */
    SCREEN_FACE_CONSENT,  /* notice + two equal choices */
    SCREEN_FACE_CAPTURE,  /* guided preview, then verifying */
    SCREEN_COUNTER,       /* no face: go to the counter */
    SCREEN_LOADING,       /* waiting for the registry (records, certificate) */
    SCREEN_RECORDS,       /* the citizen's properties */
    SCREEN_RECORD_DETAIL, /* one property */
    SCREEN_CERT_PURPOSE,  /* purpose of the query */
    SCREEN_CERT_PREVIEW,  /* page preview, copies, print */
    SCREEN_PRINTING,      /* printing, then take the paper */
    SCREEN_RATING,        /* 好差评 */
    SCREEN_GOODBYE,       /* take the card, data cleared */
    SCREEN_ERROR,         /* something the kiosk cannot do now */
    SCREEN_HELP,          /* how to use, display settings */
    SCREEN_TICKET,        /* a queue number for the counter, and its slip */
    SCREEN_COUNT
};

const char *flow_screen_name(enum flow_screen s);
/* Returns the screen for a name, or -1. */
int flow_screen_parse(const char *name);

/* Taps and keys: what a widget does when activated. Screens attach one of
 * these (with an argument) to every interactive widget. */
enum flow_input {
    IN_NONE = 0,
    IN_SERVICE,         /* arg: enum session_service; home tiles */
    IN_HOME,            /* 返回首页: asks first when a visit is under way */
    IN_HOME_CONFIRM,    /* yes, end the visit */
    IN_HOME_CANCEL,     /* no, 继续办理 */
    IN_CALL_STAFF,      /* 呼叫工作人员 */
    IN_HELP,            /* 使用帮助 */
    IN_TOGGLE_ELDER,    /* 长辈模式 */
    IN_TOGGLE_LANG,     /* English / 中文 */
    IN_TOGGLE_CONTRAST, /* high-contrast theme */
    IN_DEMO_CARD,       /* arg: index of a demo citizen (demo strip) */
    IN_NO_CARD,         /* 没带身份证 */
    IN_CONSENT_ACCEPT,  /* 同意并开始 */
    IN_CONSENT_DECLINE, /* 不刷脸，到窗口办理 */
    IN_FACE_STOP,       /* stop capture: counter route */
    IN_RETRY,           /* 再试一次 / 重新连接 */
    IN_OPEN_RECORD,     /* arg: index into the property list */
    IN_BACK,            /* one screen back (detail -> records, ...) */
    IN_PAGE,            /* arg: +1 / -1 page of records */
    IN_PRINT_CERT,      /* 打印查询证明 */
    IN_PURPOSE,         /* arg: purpose index */
    IN_PURPOSE_NEXT,    /* confirm the purpose */
    IN_COPIES,          /* arg: +1 / -1 */
    IN_PRINT_CONFIRM,   /* 打印证明（N 份） */
    IN_RATE,            /* arg: 1..5 */
    IN_RATE_SUBMIT,
    IN_RATE_SKIP,
    IN_MORE_TIME,   /* 需要更多时间 / 继续办理 on the idle banner */
    IN_LEAVE_NOW,   /* goodbye: 现在离开 */
    IN_CONTINUE,    /* printing: paper taken, go on to the rating */
    IN_TAKE_TICKET, /* counter route: 取号 */
    IN_COUNT
};

/* The purposes a query proof may state (printed on the certificate). */
#define FLOW_PURPOSE_COUNT 6
/* i18n key of purpose i ("purpose.0" ...); the registry receives the zh-CN text. */
const char *flow_purpose_key(int i);

enum flow_event_kind {
    FLOW_EV_INPUT = 0,     /* input, arg */
    FLOW_EV_TICK,          /* now_ms: timeouts are checked here */
    FLOW_EV_CARD_INSERTED, /* card */
    FLOW_EV_CARD_REMOVED,
    FLOW_EV_CARD_FAILED,    /* err: why the read failed (ERR_CHECKSUM, ERR_TIMEOUT, ...) */
    FLOW_EV_CARD_REJECTED,  /* reason: the card was read but cannot be used (expired) */
    FLOW_EV_READER_STATE,   /* connected */
    FLOW_EV_FACE_GUIDANCE,  /* guidance: what the person should do now */
    FLOW_EV_FACE_CAPTURED,  /* a good, live frame is ready (held by the face module) */
    FLOW_EV_FACE_FAILED,    /* guidance holds the reason (photo, timeout) */
    FLOW_EV_REPLY,          /* req_id, reply: a registry answer (see struct flow_reply) */
    FLOW_EV_CERT_READY,     /* req_id: the PDF and preview are composed */
    FLOW_EV_PRINT_DONE,     /* req_id, err: 0 when the pages came out */
    FLOW_EV_REGISTRY_STATE, /* connected */
    FLOW_EV_SLIP            /* req_id, slip: how the queue slip is doing */
};

/* Why the registry or the kiosk could not help, in terms a citizen can act on. */
enum flow_problem {
    PROBLEM_NONE = 0,
    PROBLEM_REGISTRY_DOWN,    /* network, timeout, 5xx */
    PROBLEM_BAD_REPLY,        /* reply failed validation */
    PROBLEM_REJECTED,         /* 4xx with a title to show */
    PROBLEM_FACE_NO_MATCH,    /* verification said no */
    PROBLEM_FACE_UNAVAILABLE, /* verification service down */
    PROBLEM_CARD_EXPIRED,
    PROBLEM_CARD_INVALID, /* number fails its check, fields inconsistent */
    PROBLEM_PRINT_FAILED,
    PROBLEM_SESSION_EXPIRED /* registry token no longer valid */
};

enum flow_reply_kind {
    REPLY_SESSION,
    REPLY_PROPERTIES,
    REPLY_CERTIFICATE,
    REPLY_RATING,
    REPLY_TICKET
};

/* A registry answer as the backend worker parsed it. Payloads are owned by
 * the event; the flow copies what it keeps. */
struct flow_reply {
    enum flow_reply_kind kind;
    int err;                           /* 0, or ERR_* from the backend */
    enum flow_problem problem;         /* set when err != 0 */
    char title[128];                   /* problem title from the registry, may be "" */
    char detail[256];                  /* for logs only, never shown to citizens */
    char token[256];                   /* REPLY_SESSION */
    const struct property_list *props; /* REPLY_PROPERTIES */
    const struct certificate *cert;    /* REPLY_CERTIFICATE */
    const struct ticket *ticket;       /* REPLY_TICKET */
};

/* The queue slip on the ticket screen. */
enum flow_slip {
    FLOW_SLIP_NONE = 0,
    FLOW_SLIP_PRINTING,
    FLOW_SLIP_PAPER_OUT,  /* waiting for paper: the job is kept */
    FLOW_SLIP_COVER_OPEN, /* waiting for the cover: the job is kept */
    FLOW_SLIP_OFFLINE,    /* waiting for the printer */
    FLOW_SLIP_PRINTED,
    FLOW_SLIP_FAILED
};

enum face_guidance {
    FACE_OK = 0,     /* 位置合适 */
    FACE_NONE,       /* 请正对屏幕 */
    FACE_TOO_FAR,    /* 请靠近一点 */
    FACE_OFF_CENTRE, /* 请移到框内 */
    FACE_TOO_DARK,   /* 光线有点暗 */
    FACE_BLURRED,    /* 请保持不动 */
    FACE_MANY,       /* 请确保只有您一人 */
    FACE_EYES,       /* 请露出眼睛 */
    FACE_BLINK,      /* 请眨眨眼 */
    FACE_TURN_LEFT,
    FACE_TURN_RIGHT,
    FACE_NOT_LIVE, /* still photo suspected */
    FACE_TIMEOUT   /* capture limit reached */
};

struct flow_event {
    enum flow_event_kind kind;
    enum flow_input input;
    int arg;
    int64_t now_ms;
    const struct idcard *card;
    int err;
    enum flow_problem reason;
    bool connected;
    enum face_guidance guidance;
    uint32_t req_id;
    const struct flow_reply *reply;
    enum flow_slip slip;
};

enum flow_action_kind {
    ACT_REDRAW = 0, /* something visible changed */
    ACT_CAMERA_START,
    ACT_CAMERA_STOP,
    ACT_OPEN_SESSION,     /* req_id: card from the session + the captured face */
    ACT_FETCH_PROPERTIES, /* req_id */
    ACT_ISSUE_CERT,       /* req_id, arg = purpose index */
    ACT_COMPOSE_CERT,     /* req_id: PDF + preview from session->cert */
    ACT_PRINT_CERT,       /* req_id, arg = copies */
    ACT_SUBMIT_RATING,    /* req_id, arg = level */
    ACT_CALL_STAFF,
    ACT_END_SESSION,      /* wipe everything personal outside the session too */
    ACT_DEMO_CARD,        /* arg = demo citizen index: the sim reader presents it */
    ACT_SETTINGS_CHANGED, /* language, elder mode, contrast */
    ACT_TAKE_TICKET,      /* req_id: a walk-in queue number for the counter */
    ACT_PRINT_SLIP        /* req_id: the queue slip of session->ticket */
};

struct flow_action {
    enum flow_action_kind kind;
    uint32_t req_id;
    int arg;
};

#define FLOW_ACTIONS_MAX 8

struct flow_actions {
    int count;
    struct flow_action items[FLOW_ACTIONS_MAX];
};

/* Timeouts in milliseconds; elder mode lengthens them by half. */
struct flow_timing {
    int idle_ms;        /* no touch -> banner (60 s) */
    int idle_banner_ms; /* banner countdown (30 s) */
    int capture_ms;     /* face capture limit (30 s) */
    int goodbye_ms;     /* goodbye countdown (15 s) */
    int card_wait_ms;   /* insert-card screen without a card (60 s) */
};

struct flow {
    enum flow_screen screen;
    struct flow_timing timing;
    bool demo; /* demo strip, 样张 */
    bool elder;
    bool contrast;
    bool english;
    bool reader_connected;
    bool registry_connected;
    bool confirm_home; /* inline "end the visit?" question is showing */
    bool busy;         /* a device or the registry is working */
    int64_t now_ms;
    int64_t last_input_ms;      /* idle is measured from here */
    int64_t idle_deadline_ms;   /* 0 when the banner is not showing */
    int64_t screen_deadline_ms; /* capture limit, goodbye countdown; 0 none */
    uint32_t next_req;
    uint32_t pending_req; /* the one answer this screen waits for */
    enum face_guidance guidance;
    int face_step;             /* 0..2 on the capture progress bar */
    enum flow_problem problem; /* on SCREEN_ERROR and as an inline notice */
    char problem_title[128];   /* registry's title for PROBLEM_REJECTED */
    int card_notice;           /* last read failure (ERR_*) on insert_card, 0 none */
    int page;                  /* elder-mode records page */
    bool printed;              /* printing screen: pages are out */
    int printed_copies;        /* copies that came out this visit (goodbye says so) */
    enum flow_slip slip;       /* the queue slip on the ticket screen */
    bool staff_called;
    bool card_present;          /* the reader reports a card in the field */
    enum flow_reply_kind retry; /* what IN_RETRY repeats on SCREEN_ERROR */
    const char *audit_key;      /* key of the ID-number audit hash; borrowed */
};

/* Sets up the flow on the home screen. */
void flow_init(struct flow *f, const struct flow_timing *timing, bool demo, int64_t now_ms);

/* The default timing (60/30/30/15/60 s). */
void flow_timing_default(struct flow_timing *t);

/* Handles one event. Appends actions to out (which the caller zeroes).
 * Never fails: an event that does not apply to the current screen is
 * ignored (late registry answers, stray card events). */
void flow_handle(struct flow *f, struct session *s, const struct flow_event *ev,
                 struct flow_actions *out);

/* Milliseconds left on the idle banner (0 when it is not showing). */
int flow_idle_left_ms(const struct flow *f);

/* Milliseconds until the next time-driven change (banner, countdown
 * second), or -1 if nothing is scheduled: the event loop sleeps that long. */
int flow_next_wakeup_ms(const struct flow *f);

#endif
