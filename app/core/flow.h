/* flow.h - the citizen journey as a pure state machine.
 *
 * DESIGN: flow_handle(flow, session, event, actions) is the only place that
 * decides what happens next. It reads the event, updates the flow and the
 * session, and appends actions (start the camera, call the registry, print)
 * that the composition root carries out. It does no I/O, takes no locks and
 * reads no clock: time arrives as FLOW_EV_TICK with the current
 * milliseconds. Where each event leads is one table, FLOW_MAP below: a row
 * per arrow (screen, event, named guards, target, step). Tests walk every
 * row of it, and feed event sequences and check state and actions.
 * UI thread only.
 *
 * Screen names (flow_screen_name) are stable lowercase identifiers used by
 * the control socket and the screenshot tests; see app/README.md.
 */
#ifndef CORE_FLOW_H
#define CORE_FLOW_H

#include "model.h"
#include "session.h"
#include "settings.h"

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
    SCREEN_SERVICES,      /* the hall's counter services: guide, queue number, booking */
    SCREEN_GUIDE,         /* one service: materials, fees, time limit */
    SCREEN_SLOTS,         /* appointment days and time slots */
    SCREEN_PHONE,         /* the phone number for a booking, on a keypad */
    SCREEN_BOOKED,        /* the booked appointment, and its slip */
    SCREEN_PROGRESS,      /* the citizen's applications against their limits */
    SCREEN_RECEIPT,       /* progress without a card: the receipt number on a keypad */
    SCREEN_BOOKINGS,      /* the citizen's appointments, each with 取消预约 */
    SCREEN_ECERT,         /* the proof on a phone: a QR code of a short-lived link */
    SCREEN_STAFF_PIN,     /* staff entry: the PIN on a keypad */
    SCREEN_STAFF,         /* maintenance: devices, tests, paper, out of service */
    SCREEN_CLOSED,        /* out of service: the notice for citizens */
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
    IN_REASON,         /* arg: index of a reason for a low rating (toggles) */
    IN_MORE_TIME,      /* 需要更多时间 / 继续办理 on the idle banner */
    IN_LEAVE_NOW,      /* goodbye: 现在离开 */
    IN_CONTINUE,       /* printing: paper taken, go on to the rating */
    IN_TAKE_TICKET,    /* counter route: 取号 */
    IN_PICK_SERVICE,   /* arg: index into the guide's services */
    IN_GUIDE_TICKET,   /* guide: 取号 for this service */
    IN_GUIDE_BOOK,     /* guide: 预约 this service */
    IN_CHECK_IN,       /* services: 我有预约，刷证签到 */
    IN_SLOT_DAY,       /* arg: day index */
    IN_SLOT,           /* arg: slot index within the day shown */
    IN_KEY,            /* arg: digit 0..9, FLOW_KEY_DELETE or FLOW_KEY_OK (the keypad) */
    IN_MORE_SERVICES,  /* after a certificate: 取号到窗口办理, same card */
    IN_MY_BOOKINGS,    /* services: 我的预约 (list, cancel) */
    IN_UNBOOK,         /* arg: index into the bookings; asks first */
    IN_UNBOOK_CONFIRM, /* yes, cancel it */
    IN_UNBOOK_KEEP,    /* no, keep it */
    IN_PHONE_LINK,     /* certificate preview: 发送到手机 (a QR code) */
    IN_CORNER,         /* a tap in the hidden corner (five in 3 s: staff entry) */
    IN_STAFF_ACTION,   /* arg: enum flow_staff_action */
    IN_STAFF_EXIT,     /* 退出维护模式 */
    IN_STAFF_TAB, /* arg: 0 设备状态, 1 运行日志, 2 打印记录, 3 设置 (FLOW_TAB_SETTINGS) */
    IN_OOS_REASON, /* arg: why out of service (FLOW_OOS_REASONS), or -1: not now */
    IN_JOB_RETRY,  /* 打印记录: 重新打印, arg: the print journal's job id */
    IN_JOB_CANCEL, /* 打印记录: 取消, arg: the print journal's job id */
    IN_SETTING,    /* arg: FLOW_SETTING_ARG(item, op), the settings tab's − / + and pills */
    IN_WAKE,       /* a touch on the dimmed closed screen (after office hours) */
    IN_ZOOM,       /* 放大查看: arg 1 enlarges the content (records, detail, preview), 0 back */
    IN_LISTEN,     /* 再听一遍: the screen's spoken instruction again (no row: a touch) */
    IN_SPEECH,     /* 语音播报 on the home screen: arg 1 on, 0 off, for this visit */
    IN_COUNT
};

#define FLOW_KEY_DELETE     10 /* IN_KEY: remove the last digit (the keypad's 删除) */
#define FLOW_KEY_OK         11 /* IN_KEY: 确定 */
#define FLOW_PHONE_MAX      11 /* digits of a mainland mobile number */
#define FLOW_RECEIPT_DIGITS 13 /* JZ + 8 digits of the day - 5 of the number */
#define FLOW_LIST_PAGES     8  /* pages a list screen may turn to (the guide, progress) */
#define FLOW_TAB_SETTINGS   3  /* IN_STAFF_TAB: the settings staff may change */
/* IN_SETTING's arg: a setting (enum settings_item) and the tap on it (op
 * of settings_step: 0 −, 1 +, or the pill's value). */
#define FLOW_SETTING_ARG(item, op) ((int)(item)*16 + (op))
#define FLOW_SETTING_ITEM(arg)     ((arg) / 16)
#define FLOW_SETTING_OP(arg)       ((arg) % 16)
/* After office hours a touch lights the closed screen this long. */
#define FLOW_WAKE_MS 60000

/* Reasons a citizen may tick with a rating of 1..3 (FLOW_REASON_LOW at
 * most); i18n key "reason.N", the registry receives the zh-CN text. */
#define FLOW_REASON_COUNT 6
#define FLOW_REASON_LOW   3
const char *flow_reason_key(int i);

/* The purposes a query proof may state (printed on the certificate). */
#define FLOW_PURPOSE_COUNT 6
/* i18n key of purpose i ("purpose.0" ...); the registry receives the zh-CN text. */
const char *flow_purpose_key(int i);
/* The proof purpose i needs: "housing_count" (房屋套次查询证明: deed tax,
 * housing-fund loan) or "query" (不动产登记信息查询结果证明). */
const char *flow_purpose_proof(int i);

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
    FLOW_EV_SLIP,           /* req_id, slip: how the queue slip is doing */
    FLOW_EV_STAFF_PIN       /* arg: enum flow_pin_verdict, staff_no, locked_until_s */
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
    PROBLEM_SESSION_EXPIRED, /* registry token no longer valid */
    PROBLEM_SLOT_FULL,       /* the appointment slot was just taken */
    PROBLEM_PHONE_INVALID,   /* the typed phone number is not a mobile number */
    PROBLEM_RECEIPT_INVALID, /* the typed receipt number is not complete */
    PROBLEM_OFFLINE          /* a tile that needs the registry while it is unreachable */
};

enum flow_reply_kind {
    REPLY_SESSION,
    REPLY_PROPERTIES,
    REPLY_CERTIFICATE,
    REPLY_TICKET,       /* a queue number, walk-in or check-in */
    REPLY_SERVICES,     /* the guide */
    REPLY_NOTICE,       /* the home screen's notice and hours */
    REPLY_SLOTS,        /* appointment slots of one service */
    REPLY_BOOKING,      /* a booked appointment, in reply->ticket */
    REPLY_APPLICATIONS, /* progress: the citizen's, or one by receipt */
    REPLY_DELIVERY,     /* an outbox item's delivery (backend_deliver): status only */
    REPLY_BOOKINGS,     /* the citizen's appointments */
    REPLY_UNBOOKED,     /* a booking cancelled: status only */
    REPLY_LINK,         /* a proof's link for a phone */
    REPLY_STAFF         /* whether a card is a staff member's */
};

/* A registry answer as the backend worker parsed it. Payloads are owned by
 * the event; the flow copies what it keeps. */
struct flow_reply {
    enum flow_reply_kind kind;
    int err;                             /* 0, or ERR_* from the backend */
    int status;                          /* the HTTP status; 0 when no answer came */
    enum flow_problem problem;           /* set when err != 0 */
    char title[128];                     /* problem title from the registry, may be "" */
    char detail[256];                    /* for logs only, never shown to citizens */
    char token[256];                     /* REPLY_SESSION */
    const struct property_list *props;   /* REPLY_PROPERTIES */
    const struct certificate *cert;      /* REPLY_CERTIFICATE */
    const struct ticket *ticket;         /* REPLY_TICKET, REPLY_BOOKING */
    const struct service_list *services; /* REPLY_SERVICES */
    const struct hall_notice *notice;    /* REPLY_NOTICE */
    const struct slot_list *slots;       /* REPLY_SLOTS */
    const struct application_list *apps; /* REPLY_APPLICATIONS */
    const struct booking_list *bookings; /* REPLY_BOOKINGS */
    const struct cert_link *link;        /* REPLY_LINK */
    char *raw;      /* REPLY_SERVICES: the body as it came and parsed (not a string), for */
    size_t raw_len; /* the kiosk's copy on disk; NULL when it could not be kept */
    const struct staff_info *staff; /* REPLY_STAFF */
};

/* The queue slip on the ticket screen. */
enum flow_slip {
    FLOW_SLIP_NONE = 0,
    FLOW_SLIP_PRINTING,
    FLOW_SLIP_PAPER_OUT,  /* waiting for paper: the job is kept */
    FLOW_SLIP_COVER_OPEN, /* waiting for the cover: the job is kept */
    FLOW_SLIP_OFFLINE,    /* waiting for the printer */
    FLOW_SLIP_PRINTED,
    FLOW_SLIP_FAILED,
    FLOW_SLIP_EXPIRED /* not printed in time: withdrawn, it will not print later */
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
    const char *staff_no;   /* FLOW_EV_STAFF_PIN: who, when the PIN is right */
    int64_t locked_until_s; /* FLOW_EV_STAFF_PIN: staff entry locked until (wall time) */
    int64_t wall_s;         /* every event: the wall clock (epoch s), office hours; 0 unknown */
};

/* What staff do in maintenance mode; each is carried out by ACT_STAFF and
 * audited (flow_staff_action_name is the audit trail's word). */
enum flow_staff_action {
    STAFF_ENTER = 0,      /* the PIN was right */
    STAFF_ENTER_REFUSED,  /* a wrong PIN, or entry locked */
    STAFF_EXIT,           /* 退出维护模式, or no touch for the staff idle time */
    STAFF_TEST_SLIP,      /* 打印测试小票 */
    STAFF_PAPER_REFILLED, /* 已换纸: the slip roll's count starts again */
    STAFF_OUT_OF_SERVICE, /* 暂停服务: citizens see the closed screen */
    STAFF_IN_SERVICE,     /* 恢复服务 */
    STAFF_RESTART,        /* 重启程序: the kiosk program starts again */
    STAFF_TEST_PAGE,      /* 测试页: an A4 page marked TEST, composed and printed */
    STAFF_TEST_CAMERA,    /* 预览画面 / 关闭预览: the camera's picture with the face box */
    STAFF_JOB_RETRIED, /* 打印记录 重新打印: a held certificate or a failed slip (f->staff_job) */
    STAFF_JOB_CANCELLED, /* 打印记录 取消: a held certificate or a waiting slip (f->staff_job) */
    STAFF_SETTINGS,      /* a setting changed (ACT_SETTING): its name and new value */
    STAFF_ACTION_COUNT
};
const char *flow_staff_action_name(enum flow_staff_action a);

/* The PIN check's answer (FLOW_EV_STAFF_PIN arg). */
enum flow_pin_verdict { FLOW_PIN_OK = 0, FLOW_PIN_WRONG, FLOW_PIN_LOCKED };

/* Why staff take the kiosk out of service (i18n "closed.reason.N"): said
 * on the closed screen to citizens. */
#define FLOW_OOS_REASONS 4

#define FLOW_PIN_MIN        4
#define FLOW_PIN_MAX        8
#define FLOW_CORNER_TAPS    5    /* taps in the hidden corner that open staff entry */
#define FLOW_CORNER_SPAN_MS 3000 /* ... within this time */

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
    ACT_PRINT_SLIP,       /* req_id: the queue slip of session->ticket */
    ACT_FETCH_SLOTS,      /* req_id: slots of session->svc */
    ACT_BOOK,             /* req_id: session->slot_id, session->phone */
    ACT_FETCH_APPS,       /* req_id: the citizen's applications */
    ACT_CHECK_IN,         /* req_id: today's booking of the citizen */
    ACT_LOOKUP_APP,       /* req_id: the application of session->receipt, no visit */
    ACT_FETCH_BOOKINGS,   /* req_id: the citizen's appointments */
    ACT_UNBOOK,           /* req_id, arg = index into session->bookings */
    ACT_LINK_CERT,        /* req_id: a phone link to session->cert */
    ACT_STAFF_CHECK_PIN,  /* flow->pin against the staff PIN store: FLOW_EV_STAFF_PIN */
    ACT_STAFF,            /* req_id, arg = enum flow_staff_action: carried out and audited */
    ACT_CHECK_STAFF,      /* req_id: is the session's card a staff member's (REPLY_STAFF) */
    ACT_SETTING           /* arg = IN_SETTING's: changed, saved, applied and audited */
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

/* A countdown that warns before it acts (the idle banner, the goodbye
 * screen while the card is on the reader) is never shorter than this. */
#define FLOW_WARN_MS 20000

/* The citizen's 语音播报 for one visit, over staff's [voice] enabled. */
enum flow_speech {
    FLOW_SPEECH_DEFAULT = 0, /* as staff set it (on, or auto: on with a headset) */
    FLOW_SPEECH_ON,          /* switched on on the home screen */
    FLOW_SPEECH_OFF          /* switched off on the home screen */
};

/* Timeouts in milliseconds; elder mode doubles them all. */
struct flow_timing {
    int idle_ms;        /* no touch -> banner (60 s) */
    int idle_banner_ms; /* banner countdown (30 s) */
    int capture_ms;     /* face capture limit (30 s) */
    int goodbye_ms;     /* goodbye countdown (15 s) */
    int card_wait_ms;   /* insert-card screen without a card (60 s) */
    int staff_idle_ms;  /* maintenance mode without a touch: the banner, then out (120 s) */
};

/* What the flow notes about one visit, beside the citizen's data in struct
 * session: cleared as one when the visit ends. The fields are listed once
 * and reached one by one (f->page) or as the whole (f->visit). */
#define FLOW_VISIT_FIELDS                                                                          \
    uint32_t pending_req;        /* the one answer this screen waits for */                        \
    enum flow_reply_kind retry;  /* what IN_RETRY repeats on SCREEN_ERROR */                       \
    enum flow_problem problem;   /* on SCREEN_ERROR and as an inline notice */                     \
    char problem_title[128];     /* registry's title for PROBLEM_REJECTED */                       \
    int card_notice;             /* last read failure (ERR_*) on insert_card, 0 none */            \
    enum face_guidance guidance; /* what the capture screen asks for */                            \
    int face_step;               /* 0..2 on the capture progress bar */                            \
    int page;                    /* elder-mode records page */                                     \
    bool printed;                /* printing screen: pages are out */                              \
    enum flow_slip slip;         /* the queue slip on the ticket screen */                         \
    int unbook;                  /* bookings: 1 + the index asked about, 0 none */                 \
    int staff_tab;               /* maintenance: 0 devices, 1 log, 2 print jobs, 3 settings */     \
    int staff_job;               /* maintenance: the print job tapped (journal id), 0 none */      \
    bool oos_asking;             /* maintenance: the reasons for 暂停服务 are showing */       \
    bool camera_preview;         /* maintenance: the camera's picture and the detector's box */    \
    bool staff_called;

struct flow_visit {
    FLOW_VISIT_FIELDS
};

struct flow {
    enum flow_screen screen;
    struct flow_timing timing;
    bool demo; /* demo strip, 样张 */
    bool elder;
    bool contrast;
    bool english;
    /* What each visit starts with ([kiosk] elder_mode, high_contrast):
     * a citizen's 长辈模式 lasts their visit, the next one starts here. */
    bool start_elder, start_contrast;
    bool reader_connected;
    bool registry_connected;
    bool card_present; /* the reader reports a card in the field */
    /* The screen's own state, reset on every change of screen. */
    bool confirm_home;          /* inline "end the visit?" question is showing */
    bool busy;                  /* a device or the registry is working */
    int64_t idle_deadline_ms;   /* 0 when the banner is not showing */
    int64_t screen_deadline_ms; /* capture limit, goodbye countdown; 0 none */
    int64_t now_ms;
    int64_t last_input_ms; /* idle is measured from here */
    uint32_t next_req;
    int printed_copies;    /* copies that came out this visit: the goodbye says so, home clears */
    const char *audit_key; /* key of the ID-number audit hash; borrowed */
    const struct service_list *services; /* the hall's guide; borrowed, may be empty */
    /* Maintenance mode and the kiosk's service state: no citizen's data. */
    bool out_of_service;                 /* citizens see SCREEN_CLOSED */
    uint32_t services_off;               /* bit 1 << enum session_service: tiles off here */
    int oos_reason;                      /* why, 0..FLOW_OOS_REASONS-1 */
    char staff_no[16];                   /* staff in maintenance mode (or last there), "" none */
    char staff_card[16];                 /* the staff number of the card laid on, "" none */
    char pin[FLOW_PIN_MAX + 1];          /* digits typed on the PIN screen; wiped on leaving it */
    enum flow_pin_verdict pin_verdict;   /* the last refusal shown, FLOW_PIN_OK none */
    int64_t staff_locked_until_s;        /* staff entry locked until (wall time), 0 none */
    int corner_taps;                     /* taps in the hidden corner so far */
    char card_test[64];                  /* maintenance: the last card read, masked; "" none */
    int card_test_err;                   /* maintenance: the last read failure (ERR_*), 0 none */
    enum flow_problem card_test_problem; /* maintenance: the card read but refused */
    int64_t corner_first_ms;             /* when the first of them came */
    /* Office hours: outside them the closed screen shows them, dimmed. */
    const struct settings *settings; /* the staff's settings; borrowed, NULL: always open */
    int64_t wall_s;                  /* the wall clock of the last event that had one */
    bool hours_closed;               /* SCREEN_CLOSED for the office hours, not by staff */
    int64_t wake_until_ms;           /* a touch lit the closed screen until then */
    bool zoom; /* 放大查看: the content shown enlarged; reset on every change of screen */

    /* Voice guidance and time to act. */
    bool speaker; /* the kiosk has a speaker ([voice] enabled is not off): 语音播报 */
    enum flow_speech speech;  /* the citizen's 语音播报; back to DEFAULT when the visit ends */
    unsigned countdown_warns; /* bumped when a screen's countdown (goodbye) starts or starts
                                 again: the tone and the spoken warning, its full time ahead */
    union {
        struct flow_visit visit;
        struct {
            FLOW_VISIT_FIELDS
        };
    };
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

/* A timeout in milliseconds as the citizen gets it: elder mode doubles
 * every timeout. */
int64_t flow_scaled_ms(const struct flow *f, int ms);

/* Whether the display should be dimmed: the closed screen after office
 * hours, untouched for FLOW_WAKE_MS. */
bool flow_dimmed(const struct flow *f);

/* ---- the journey map ------------------------------------------------

   Every arrow of the journey is one row: on screen FROM, event EV (with
   input IN for taps) leads to screen TO when all the row's guards hold;
   STEP (flow.c) is what happens on the way. flow_handle() takes the first
   row that matches, so where rows share an event the narrower one comes
   first (a screen's own row before ANY's, more guards before fewer). ANY
   is every screen; STAY keeps the screen and changes something on it. An
   event without a row changes nothing.
   Before the map, flow_handle() notes the time, counts every tap as
   presence (it also closes the idle banner), tracks whether a card is on
   the reader, and drops registry, compose, print and slip reports that are
   not the one answer the screen waits for. After it, a tap or a key on a
   screen that counts down (goodbye) and stays starts its countdown again,
   at its full length and with its warning. */

/* Named conditions on the data a row depends on (at most three a row). */
#define FLOW_GUARD_LIST(X)                                                                         \
    X(ALWAYS, "no condition")                                                                      \
    X(VISIT, "a visit is under way")                                                               \
    X(CARD, "the card is on the reader")                                                           \
    X(CARD_READ, "the visit holds the card it read (personal data is on the way)")                 \
    X(FREE, "the screen waits for no device and no answer")                                        \
    X(DEMO, "demo mode")                                                                           \
    X(FAULT, "the event reports an error (the device's, or the reply's)")                          \
    X(OK, "the reply has no error and holds what was asked for")                                   \
    X(NOT_OK, "the reply has an error or lacks what was asked for")                                \
    X(SESSION, "the reply opens the registry session")                                             \
    X(PROPS, "the reply is the property list")                                                     \
    X(CERT, "the reply is the issued certificate")                                                 \
    X(TICKET, "the reply is the queue number")                                                     \
    X(NO_MATCH, "the registry says the face does not match the card")                              \
    X(CARD_SERVICE, "the tile is a service that needs the card")                                   \
    X(LIST_SERVICE, "the tile starts from the list of counter services (guide, ticket, booking)")  \
    X(PICKED, "the tapped service is in the guide and offers what the visit came for")             \
    X(GUIDE_VISIT, "the visit came to read the guide")                                             \
    X(TICKET_VISIT, "the visit came for a queue number")                                           \
    X(BOOKING_VISIT, "the visit came to book an appointment")                                      \
    X(PROGRESS_VISIT, "the visit came to see the progress of applications")                        \
    X(CHECKIN_VISIT, "the visit came to check in an appointment")                                  \
    X(TOKEN, "the registry session of the visit is open")                                          \
    X(WALK_IN, "the chosen service takes walk-in queue numbers")                                   \
    X(BOOKABLE, "the chosen service takes appointments")                                           \
    X(SLOTS, "the reply is the appointment slots")                                                 \
    X(BOOKING, "the reply is the booked appointment")                                              \
    X(APPS, "the reply is the list of applications")                                               \
    X(BOOKINGS, "the reply is the citizen's appointments")                                         \
    X(UNBOOKED, "the reply is a cancelled booking")                                                \
    X(LINK, "the reply is a proof's phone link")                                                   \
    X(CANCELLABLE, "the tapped booking exists and is still booked")                                \
    X(UNBOOK_ASKED, "a booking to cancel is asked about")                                          \
    X(OFFLINE_SERVICE, "the registry is unreachable and the tile needs it (not guide, rating)")    \
    X(SERVICE_OFF, "the registry's settings switched the service off here (a card: the query)")    \
    X(SLOT_FULL, "the registry says the slot was just taken")                                      \
    X(DAY, "the tapped day is in the list")                                                        \
    X(SLOT_FREE, "the tapped slot exists and has places left")                                     \
    X(KEY_OK, "the key is 确定")                                                                   \
    X(PHONE_OK, "the typed number is a mainland mobile number")                                    \
    X(RECEIPT_OK, "the typed receipt number has all its digits")                                   \
    X(RATE_SERVICE, "the tile is the rating")                                                      \
    X(QUERY, "the visit came to see the records")                                                  \
    X(PRINT_ONLY, "the visit came only to print a certificate")                                    \
    X(RECORD, "the tapped record is in the list")                                                  \
    X(PAGE, "the page turned to exists")                                                           \
    X(LIST_PAGE, "the page turned to is 0..FLOW_LIST_PAGES-1 (the list shows its last at most)")   \
    X(PURPOSE, "the tapped purpose exists")                                                        \
    X(PURPOSE_SET, "a purpose is chosen")                                                          \
    X(COPIES, "the copies stay within 1..3")                                                       \
    X(LEVEL, "the tapped level is 1..5")                                                           \
    X(RATED, "a level is chosen")                                                                  \
    X(REASON, "a low level (1..3) is chosen and the tapped reason exists")                         \
    X(PRINTED, "the pages are out")                                                                \
    X(UNPRINTED, "the pages are not out yet")                                                      \
    X(RETRY_FACE, "the face did not match and attempts are left (3 in all)")                       \
    X(RETRY_SESSION, "the registry failed to open the session; the card is known")                 \
    X(RETRY_PROPS, "the registry failed to list the properties; the session is open")              \
    X(RETRY_CERT, "the registry failed to issue the certificate; purpose and session known")       \
    X(RETRY_TICKET, "the registry failed to give a queue number")                                  \
    X(RETRY_PRINT, "printing failed; the certificate is kept")                                     \
    X(RETRY_SLOTS, "the registry failed to list the slots")                                        \
    X(RETRY_APPS, "the registry failed to list the applications; the session is open")             \
    X(RETRY_BOOKING, "the registry failed to book; slot, phone and session known")                 \
    X(RETRY_BOOKINGS, "the registry failed to list the bookings; the session is open")             \
    X(RETRY_UNBOOK, "the registry failed to cancel; booking and session known")                    \
    X(RETRY_LINK, "the registry failed to link the proof; certificate and session known")          \
    X(GESTURE, "this corner tap is the fifth within 3 s")                                          \
    X(PIN_READY, "the PIN typed has 4 to 8 digits")                                                \
    X(PIN_OK, "the staff PIN store says the PIN is right")                                         \
    X(STAFF_ACTION, "the tapped maintenance action exists")                                        \
    X(TAB, "the tapped maintenance view exists (devices, log, print jobs, settings)")              \
    X(JOB, "the tapped print job is a row of the print journal (arg > 0)")                         \
    X(OOS_ASK, "the tapped action is 暂停服务: the reasons are asked first")                       \
    X(OOS_REASON, "the tapped reason for being out of service exists")                             \
    X(OOS_KEEP, "the tap is 不暂停 (arg -1)")                                                      \
    X(STAFF_IDLE, "maintenance mode and no touch for the staff idle time")                         \
    X(OUT_OF_SERVICE, "staff took the kiosk out of service")                                       \
    X(STAFF_CARD, "the registry says the card on the reader is a staff member's")                  \
    X(TIME_UP, "the screen's own countdown ran out (capture limit, goodbye)")                      \
    X(BANNER_OVER, "the idle banner's countdown ran out")                                          \
    X(BANNER, "the idle banner is counting down")                                                  \
    X(WAITED, "no visit and no touch for the card wait, on a screen that waits")                   \
    X(IDLE, "a visit and no touch for the idle time, on a screen that waits")                      \
    X(AFTER_HOURS, "office hours are kept, now is outside them, and no visit is under way")        \
    X(OPEN_HOURS, "the closed screen shows for the office hours, and now is inside them")          \
    X(SETTING, "the settings tab shows and the tapped change keeps every setting in its rules")    \
    X(SPEAKER, "the kiosk has a speaker ([voice] enabled is not off): 语音播报 is offered")

#define FLOW_GUARD_ENUM(name, doc) GUARD_##name,
enum flow_guard { FLOW_GUARD_LIST(FLOW_GUARD_ENUM) GUARD_COUNT };
#undef FLOW_GUARD_ENUM

#define SCREEN_ANY  SCREEN_COUNT /* from: every screen */
#define SCREEN_STAY SCREEN_COUNT /* to: the screen stays */

/* clang-format off */
#define FLOW_MAP(X)                                                                                           \
 /* from          event           input            guards                   to             step */            \
 /* every screen: time (maintenance mode and the closed screen first: no visit, no card wait) */       \
 X(STAFF,         TICK,           NONE,            (BANNER_OVER, OUT_OF_SERVICE), CLOSED, staff_exit)       \
 X(STAFF,         TICK,           NONE,            (BANNER_OVER),           HOME,          staff_exit)        \
 X(STAFF,         TICK,           NONE,            (BANNER),                STAY,          redraw)            \
 X(STAFF,         TICK,           NONE,            (STAFF_IDLE),            STAY,          show_banner)       \
 X(STAFF,         TICK,           NONE,            (ALWAYS),                STAY,          nothing)           \
 X(CLOSED,        TICK,           NONE,            (OPEN_HOURS),            HOME,          enter)             \
 X(CLOSED,        TICK,           NONE,            (ALWAYS),                STAY,          nothing)           \
 X(HOME,          TICK,           NONE,            (AFTER_HOURS),           CLOSED,        close_for_hours)   \
 X(ANY,           TICK,           NONE,            (WAITED, OUT_OF_SERVICE), CLOSED,       enter)             \
 X(FACE_CAPTURE,  TICK,           NONE,            (TIME_UP),               ERROR,         face_timeout)      \
 X(GOODBYE,       TICK,           NONE,            (TIME_UP),               HOME,          enter)             \
 X(ANY,           TICK,           NONE,            (BANNER_OVER, CARD),     GOODBYE,       end_visit)         \
 X(ANY,           TICK,           NONE,            (BANNER_OVER),           HOME,          end_visit)         \
 X(ANY,           TICK,           NONE,            (BANNER),                STAY,          redraw)            \
 X(ANY,           TICK,           NONE,            (WAITED),                STAY,          show_banner)       \
 X(ANY,           TICK,           NONE,            (IDLE),                  STAY,          show_banner)       \
 /* every screen: header, footer, idle banner */                                                              \
 X(ANY,           INPUT,          MORE_TIME,       (ALWAYS),                STAY,          more_time)         \
 X(ANY,           INPUT,          TOGGLE_ELDER,    (ALWAYS),                STAY,          toggle_elder)      \
 X(ANY,           INPUT,          TOGGLE_CONTRAST, (ALWAYS),                STAY,          toggle_contrast)   \
 X(ANY,           INPUT,          TOGGLE_LANG,     (ALWAYS),                STAY,          toggle_lang)       \
 X(ANY,           INPUT,          CALL_STAFF,      (ALWAYS),                STAY,          call_staff)        \
 X(PRINTING,      INPUT,          HOME,            (UNPRINTED),             STAY,          nothing)           \
 X(COUNTER,       INPUT,          HOME,            (CARD),                  GOODBYE,       end_visit)         \
 X(COUNTER,       INPUT,          HOME,            (ALWAYS),                HOME,          end_visit)         \
 X(GOODBYE,       INPUT,          HOME,            (ALWAYS),                HOME,          end_visit)         \
 X(ANY,           INPUT,          HOME,            (CARD_READ),             STAY,          ask_home)          \
 X(ANY,           INPUT,          HOME,            (ALWAYS),                HOME,          end_visit)         \
 X(ANY,           INPUT,          HOME_CONFIRM,    (CARD),                  GOODBYE,       end_visit)         \
 X(ANY,           INPUT,          HOME_CONFIRM,    (ALWAYS),                HOME,          end_visit)         \
 X(ANY,           INPUT,          HOME_CANCEL,     (ALWAYS),                STAY,          cancel_home)       \
 /* every screen: devices */                                                                                  \
 X(ANY,           READER_STATE,   NONE,            (ALWAYS),                STAY,          note_reader)       \
 X(ANY,           REGISTRY_STATE, NONE,            (ALWAYS),                STAY,          note_registry)     \
 X(PRINTING,      CARD_REMOVED,   NONE,            (ALWAYS),                STAY,          nothing)           \
 X(GOODBYE,       CARD_REMOVED,   NONE,            (ALWAYS),                HOME,          enter)             \
 X(CLOSED,        CARD_REMOVED,   NONE,            (ALWAYS),                STAY,          forget_card)       \
 X(ANY,           CARD_REMOVED,   NONE,            (VISIT),                 HOME,          end_visit)         \
 /* home */                                                                                                   \
 X(HOME,          INPUT,          SERVICE,         (SERVICE_OFF),           STAY,          nothing)           \
 X(HOME,          INPUT,          SERVICE,         (OFFLINE_SERVICE),       ERROR,         offline)           \
 X(HOME,          INPUT,          SERVICE,         (CARD_SERVICE),          INSERT_CARD,   begin_visit)       \
 X(HOME,          INPUT,          SERVICE,         (LIST_SERVICE),          SERVICES,      begin_visit)       \
 X(HOME,          INPUT,          SERVICE,         (RATE_SERVICE),          RATING,        begin_visit)       \
 X(HOME,          INPUT,          HELP,            (ALWAYS),                HELP,          enter)             \
 X(HOME,          CARD_INSERTED,  NONE,            (SERVICE_OFF),           STAY,          nothing)           \
 X(HOME,          CARD_INSERTED,  NONE,            (ALWAYS),                FACE_CONSENT,  begin_with_card)   \
 X(HOME,          CARD_REJECTED,  NONE,            (ALWAYS),                ERROR,         card_rejected)     \
 X(HOME,          INPUT,          CORNER,          (GESTURE),               STAFF_PIN,     enter)             \
 X(HOME,          INPUT,          CORNER,          (ALWAYS),                STAY,          count_corner)      \
 /* insert_card */                                                                                            \
 X(INSERT_CARD,   CARD_INSERTED,  NONE,            (ALWAYS),                FACE_CONSENT,  keep_card)         \
 X(INSERT_CARD,   CARD_REJECTED,  NONE,            (ALWAYS),                ERROR,         card_rejected)     \
 X(INSERT_CARD,   CARD_FAILED,    NONE,            (ALWAYS),                STAY,          card_notice)       \
 X(INSERT_CARD,   INPUT,          DEMO_CARD,       (DEMO),                  STAY,          demo_card)         \
 X(INSERT_CARD,   INPUT,          NO_CARD,         (PROGRESS_VISIT),        RECEIPT,       enter)             \
 X(INSERT_CARD,   INPUT,          NO_CARD,         (ALWAYS),                COUNTER,       enter)             \
 /* face_consent */                                                                                           \
 X(FACE_CONSENT,  REPLY,          NONE,            (STAFF_CARD),            STAFF_PIN,     staff_card)        \
 X(FACE_CONSENT,  INPUT,          CONSENT_ACCEPT,  (ALWAYS),                FACE_CAPTURE,  start_capture)     \
 X(FACE_CONSENT,  INPUT,          CONSENT_DECLINE, (ALWAYS),                COUNTER,       enter)             \
 /* face_capture */                                                                                           \
 X(FACE_CAPTURE,  FACE_GUIDANCE,  NONE,            (FREE),                  STAY,          guide)             \
 X(FACE_CAPTURE,  FACE_CAPTURED,  NONE,            (FREE),                  STAY,          verify)            \
 X(FACE_CAPTURE,  FACE_FAILED,    NONE,            (FREE, FAULT),           COUNTER,       camera_fault)      \
 X(FACE_CAPTURE,  FACE_FAILED,    NONE,            (FREE),                  ERROR,         face_failed)       \
 X(FACE_CAPTURE,  REPLY,          NONE,    (SESSION, OK, BOOKING_VISIT),    LOADING,       keep_token)        \
 X(FACE_CAPTURE,  REPLY,          NONE,    (SESSION, OK, PROGRESS_VISIT),   LOADING,       keep_token)        \
 X(FACE_CAPTURE,  REPLY,          NONE,    (SESSION, OK, CHECKIN_VISIT),    TICKET,        keep_token)        \
 X(FACE_CAPTURE,  REPLY,          NONE,            (SESSION, OK),           LOADING,       keep_token)        \
 X(FACE_CAPTURE,  REPLY,          NONE,            (SESSION, NO_MATCH),     ERROR,         face_rejected)     \
 X(FACE_CAPTURE,  REPLY,          NONE,            (SESSION, NOT_OK),       ERROR,         session_failed)    \
 X(FACE_CAPTURE,  INPUT,          FACE_STOP,       (ALWAYS),                COUNTER,       stop_capture)      \
 /* counter */                                                                                                \
 X(COUNTER,       INPUT,          TAKE_TICKET,     (ALWAYS),                TICKET,        take_ticket)       \
 X(COUNTER,       INPUT,          BACK,            (CARD),                  GOODBYE,       end_visit)         \
 X(COUNTER,       INPUT,          BACK,            (ALWAYS),                HOME,          end_visit)         \
 X(COUNTER,       INPUT,          LEAVE_NOW,       (CARD),                  GOODBYE,       end_visit)         \
 X(COUNTER,       INPUT,          LEAVE_NOW,       (ALWAYS),                HOME,          end_visit)         \
 /* loading */                                                                                                \
 X(LOADING,       REPLY,          NONE,            (BOOKING, SLOT_FULL),    LOADING,       slot_taken)        \
 X(LOADING,       REPLY,          NONE,            (FAULT),                 ERROR,         reply_failed)      \
 X(LOADING,       REPLY,          NONE,            (SLOTS, OK),             SLOTS,         keep_slots)        \
 X(LOADING,       REPLY,          NONE,            (APPS, OK),              PROGRESS,      keep_apps)         \
 X(LOADING,       REPLY,          NONE,            (BOOKINGS, OK),          BOOKINGS,      keep_bookings)     \
 X(LOADING,       REPLY,          NONE,            (UNBOOKED, OK),          LOADING,       fetch_bookings)    \
 X(LOADING,       REPLY,          NONE,            (LINK, OK),              ECERT,         keep_link)         \
 X(LOADING,       REPLY,          NONE,            (BOOKING, OK),           BOOKED,        keep_booking)      \
 X(LOADING,       REPLY,          NONE,            (PROPS, OK, PRINT_ONLY), CERT_PURPOSE,  keep_props)        \
 X(LOADING,       REPLY,          NONE,            (PROPS, OK),             RECORDS,       keep_props)        \
 X(LOADING,       REPLY,          NONE,            (CERT, OK),              STAY,          compose)           \
 X(LOADING,       CERT_READY,     NONE,            (FAULT),                 ERROR,         print_failed)      \
 X(LOADING,       CERT_READY,     NONE,            (ALWAYS),                CERT_PREVIEW,  enter)             \
 /* records, record_detail */                                                                                 \
 X(RECORDS,       INPUT,          OPEN_RECORD,     (RECORD),                RECORD_DETAIL, select_record)     \
 X(RECORDS,       INPUT,          PAGE,            (PAGE),                  STAY,          turn_page)         \
 X(RECORDS,       INPUT,          PRINT_CERT,      (ALWAYS),                CERT_PURPOSE,  enter)             \
 X(RECORD_DETAIL, INPUT,          BACK,            (ALWAYS),                RECORDS,       enter)             \
 X(RECORD_DETAIL, INPUT,          PRINT_CERT,      (ALWAYS),                CERT_PURPOSE,  enter)             \
 /* cert_purpose, cert_preview, printing */                                                                   \
 X(CERT_PURPOSE,  INPUT,          PURPOSE,         (PURPOSE),               STAY,          choose_purpose)    \
 X(CERT_PURPOSE,  INPUT,          PURPOSE_NEXT,    (PURPOSE_SET),           LOADING,       issue_certificate) \
 X(CERT_PURPOSE,  INPUT,          BACK,            (QUERY),                 RECORDS,       enter)             \
 X(CERT_PREVIEW,  INPUT,          COPIES,          (COPIES),                STAY,          set_copies)        \
 X(CERT_PREVIEW,  INPUT,          PRINT_CONFIRM,   (ALWAYS),                PRINTING,      print)             \
 X(CERT_PREVIEW,  INPUT,          BACK,            (ALWAYS),                CERT_PURPOSE,  enter)             \
 X(CERT_PREVIEW,  INPUT,          PHONE_LINK,      (ALWAYS),                LOADING,       link_cert)         \
 X(ECERT,         INPUT,          BACK,            (ALWAYS),                CERT_PREVIEW,  enter)             \
 X(ECERT,         INPUT,          CONTINUE,        (ALWAYS),                RATING,        enter)             \
 X(ECERT,         INPUT,          MORE_SERVICES,   (ALWAYS),                SERVICES,      more_services)     \
 X(PRINTING,      PRINT_DONE,     NONE,            (FAULT),                 ERROR,         print_failed)      \
 X(PRINTING,      PRINT_DONE,     NONE,            (ALWAYS),                STAY,          printed)           \
 X(PRINTING,      INPUT,          CONTINUE,        (PRINTED),               RATING,        enter)             \
 X(PRINTING,      INPUT,          MORE_SERVICES,   (PRINTED),               SERVICES,      more_services)     \
 /* rating, goodbye */                                                                                        \
 X(RATING,        INPUT,          RATE,            (LEVEL),                 STAY,          choose_level)      \
 X(RATING,        INPUT,          REASON,          (REASON),                STAY,          toggle_reason)     \
 X(RATING,        INPUT,          RATE_SUBMIT,     (RATED, CARD),           GOODBYE,       submit_rating)     \
 X(RATING,        INPUT,          RATE_SUBMIT,     (RATED),                 HOME,          submit_rating)     \
 X(RATING,        INPUT,          RATE_SKIP,       (CARD),                  GOODBYE,       end_visit)         \
 X(RATING,        INPUT,          RATE_SKIP,       (ALWAYS),                HOME,          end_visit)         \
 X(GOODBYE,       INPUT,          LEAVE_NOW,       (ALWAYS),                HOME,          enter)             \
 /* error */                                                                                                  \
 X(ERROR,         INPUT,          FACE_STOP,       (ALWAYS),                COUNTER,       enter)             \
 X(ERROR,         INPUT,          RETRY,           (RETRY_FACE),            FACE_CAPTURE,  start_capture)     \
 X(ERROR,         INPUT,          RETRY,           (RETRY_SESSION),         FACE_CAPTURE,  start_capture)     \
 X(ERROR,         INPUT,          RETRY,           (RETRY_PROPS),           LOADING,       fetch_properties)  \
 X(ERROR,         INPUT,          RETRY,           (RETRY_CERT),            LOADING,       issue_certificate) \
 X(ERROR,         INPUT,          RETRY,           (RETRY_TICKET),          TICKET,        take_ticket)       \
 X(ERROR,         INPUT,          RETRY,           (RETRY_PRINT),           CERT_PREVIEW,  enter)             \
 X(ERROR,         INPUT,          RETRY,           (RETRY_SLOTS),           LOADING,       fetch_slots)       \
 X(ERROR,         INPUT,          RETRY,           (RETRY_APPS),            LOADING,       fetch_apps)        \
 X(ERROR,         INPUT,          RETRY,           (RETRY_BOOKING),         LOADING,       book)              \
 X(ERROR,         INPUT,          RETRY,           (RETRY_BOOKINGS),        LOADING,       fetch_bookings)    \
 X(ERROR,         INPUT,          RETRY,           (RETRY_UNBOOK),          LOADING,       unbook)            \
 X(ERROR,         INPUT,          RETRY,           (RETRY_LINK),            LOADING,       link_cert)         \
 /* help */                                                                                                   \
 X(HELP,          INPUT,          BACK,            (CARD),                  GOODBYE,       end_visit)         \
 X(HELP,          INPUT,          BACK,            (ALWAYS),                HOME,          end_visit)         \
 X(HELP,          INPUT,          LEAVE_NOW,       (CARD),                  GOODBYE,       end_visit)         \
 X(HELP,          INPUT,          LEAVE_NOW,       (ALWAYS),                HOME,          end_visit)         \
 /* ticket */                                                                                                 \
 X(TICKET,        REPLY,          NONE,            (TICKET, OK),            STAY,          keep_ticket)       \
 X(TICKET,        REPLY,          NONE,            (TICKET, NOT_OK),        ERROR,         reply_failed)      \
 X(TICKET,        SLIP,           NONE,            (ALWAYS),                STAY,          note_slip)         \
 X(TICKET,        INPUT,          LEAVE_NOW,       (FREE, CARD),            GOODBYE,       end_visit)         \
 X(TICKET,        INPUT,          LEAVE_NOW,       (FREE),                  HOME,          end_visit)         \
 X(TICKET,        INPUT,          CONTINUE,        (FREE),                  RATING,        enter)             \
 /* services, guide */                                                                                        \
 X(SERVICES,      INPUT,          PICK_SERVICE,    (PICKED, GUIDE_VISIT),   GUIDE,         choose_service)    \
 X(SERVICES,      INPUT,          PICK_SERVICE,    (PICKED, TICKET_VISIT),  TICKET,        walk_in)           \
 X(SERVICES,      INPUT,          PICK_SERVICE,    (PICKED, TOKEN),         LOADING,       book_service)      \
 X(SERVICES,      INPUT,          PICK_SERVICE,    (PICKED),                INSERT_CARD,   choose_service)    \
 X(SERVICES,      INPUT,          CHECK_IN,        (TOKEN),                 TICKET,        check_in)          \
 X(SERVICES,      INPUT,          CHECK_IN,        (ALWAYS),                INSERT_CARD,   check_in_visit)    \
 X(SERVICES,      INPUT,          MY_BOOKINGS,     (TOKEN),                 LOADING,       fetch_bookings)    \
 X(SERVICES,      INPUT,          MY_BOOKINGS,     (ALWAYS),                INSERT_CARD,   my_bookings_visit) \
 X(SERVICES,      INPUT,          PAGE,            (LIST_PAGE),             STAY,          turn_page)         \
 X(SERVICES,      INPUT,          BACK,            (CARD),                  GOODBYE,       end_visit)         \
 X(SERVICES,      INPUT,          BACK,            (ALWAYS),                HOME,          end_visit)         \
 X(GUIDE,         INPUT,          GUIDE_TICKET,    (WALK_IN),               TICKET,        take_ticket)       \
 X(GUIDE,         INPUT,          GUIDE_BOOK,      (BOOKABLE, TOKEN),       LOADING,       book_service)      \
 X(GUIDE,         INPUT,          GUIDE_BOOK,      (BOOKABLE),              INSERT_CARD,   guide_book)        \
 X(GUIDE,         INPUT,          BACK,            (ALWAYS),                SERVICES,      enter)             \
 /* slots, phone, booked */                                                                                   \
 X(SLOTS,         INPUT,          SLOT_DAY,        (DAY),                   STAY,          choose_day)        \
 X(SLOTS,         INPUT,          SLOT,            (SLOT_FREE),             PHONE,         choose_slot)       \
 X(SLOTS,         INPUT,          BACK,            (ALWAYS),                SERVICES,      enter)             \
 X(PHONE,         INPUT,          KEY,             (KEY_OK, PHONE_OK),      LOADING,       book)              \
 X(PHONE,         INPUT,          KEY,             (KEY_OK),                STAY,          phone_invalid)     \
 X(PHONE,         INPUT,          KEY,             (ALWAYS),                STAY,          type_key)          \
 X(PHONE,         INPUT,          BACK,            (ALWAYS),                SLOTS,         enter)             \
 X(BOOKED,        SLIP,           NONE,            (ALWAYS),                STAY,          note_slip)         \
 X(BOOKED,        INPUT,          CONTINUE,        (ALWAYS),                RATING,        enter)             \
 /* progress */                                                                                               \
 X(RECEIPT,       INPUT,          KEY,             (KEY_OK, RECEIPT_OK),    LOADING,       lookup_receipt)    \
 X(RECEIPT,       INPUT,          KEY,             (KEY_OK),                STAY,          receipt_invalid)   \
 X(RECEIPT,       INPUT,          KEY,             (ALWAYS),                STAY,          type_receipt)      \
 X(RECEIPT,       INPUT,          BACK,            (ALWAYS),                INSERT_CARD,   enter)             \
 X(PROGRESS,      INPUT,          PAGE,            (LIST_PAGE),             STAY,          turn_page)         \
 X(PROGRESS,      INPUT,          CONTINUE,        (ALWAYS),                RATING,        enter)             \
 X(PROGRESS,      INPUT,          LEAVE_NOW,       (CARD),                  GOODBYE,       end_visit)         \
 X(PROGRESS,      INPUT,          LEAVE_NOW,       (ALWAYS),                HOME,          end_visit)         \
 /* maintenance mode, and the closed screen citizens see */                                                  \
 X(CLOSED,        INPUT,          CORNER,          (GESTURE),               STAFF_PIN,     enter)             \
 X(CLOSED,        INPUT,          CORNER,          (ALWAYS),                STAY,          corner_wake)       \
 X(CLOSED,        INPUT,          WAKE,            (ALWAYS),                STAY,          wake)              \
 X(CLOSED,        CARD_INSERTED,  NONE,            (ALWAYS),                STAY,          check_staff_card)  \
 X(CLOSED,        REPLY,          NONE,            (STAFF_CARD),            STAFF_PIN,     staff_card)        \
 X(CLOSED,        REPLY,          NONE,            (ALWAYS),                STAY,          forget_card)       \
 X(STAFF_PIN,     INPUT,          KEY,             (KEY_OK, PIN_READY, FREE), STAY,        check_pin)         \
 X(STAFF_PIN,     INPUT,          KEY,             (KEY_OK),                STAY,          nothing)           \
 X(STAFF_PIN,     INPUT,          KEY,             (FREE),                  STAY,          type_pin)          \
 X(STAFF_PIN,     STAFF_PIN,      NONE,            (PIN_OK),                STAFF,         staff_enter)       \
 X(STAFF_PIN,     STAFF_PIN,      NONE,            (ALWAYS),                STAY,          pin_refused)       \
 X(STAFF_PIN,     INPUT,          BACK,            (OUT_OF_SERVICE),        CLOSED,        enter)             \
 X(STAFF_PIN,     INPUT,          BACK,            (ALWAYS),                HOME,          enter)             \
 X(STAFF,         INPUT,          STAFF_ACTION,    (OOS_ASK),               STAY,          ask_oos_reason)    \
 X(STAFF,         INPUT,          STAFF_ACTION,    (STAFF_ACTION),          STAY,          staff_act)         \
 X(STAFF,         INPUT,          OOS_REASON,      (OOS_REASON),            STAY,          take_out)          \
 X(STAFF,         INPUT,          OOS_REASON,      (OOS_KEEP),              STAY,          keep_in_service)   \
 X(STAFF,         INPUT,          STAFF_TAB,       (TAB),                   STAY,          staff_tab)         \
 X(STAFF,         INPUT,          SETTING,         (SETTING),               STAY,          change_setting)    \
 X(STAFF,         INPUT,          PAGE,            (LIST_PAGE),             STAY,          turn_page)         \
 X(STAFF,         INPUT,          JOB_RETRY,       (JOB),                   STAY,          job_act)           \
 X(STAFF,         INPUT,          JOB_CANCEL,      (JOB),                   STAY,          job_act)           \
 X(STAFF,         SLIP,           NONE,            (ALWAYS),                STAY,          note_slip)         \
 X(STAFF,         CARD_INSERTED,  NONE,            (ALWAYS),                STAY,          card_test)         \
 X(STAFF,         CARD_REJECTED,  NONE,            (ALWAYS),                STAY,          card_test)         \
 X(STAFF,         CARD_FAILED,    NONE,            (ALWAYS),                STAY,          card_test)         \
 X(STAFF,         INPUT,          STAFF_EXIT,      (OUT_OF_SERVICE),        CLOSED,        staff_exit)        \
 X(STAFF,         INPUT,          STAFF_EXIT,      (ALWAYS),                HOME,          staff_exit)        \
 /* bookings */                                                                                               \
 X(BOOKINGS,      INPUT,          UNBOOK,          (CANCELLABLE),           STAY,          ask_unbook)        \
 X(BOOKINGS,      INPUT,          UNBOOK_CONFIRM,  (UNBOOK_ASKED),          LOADING,       unbook)            \
 X(BOOKINGS,      INPUT,          UNBOOK_KEEP,     (ALWAYS),                STAY,          keep_booked)       \
 X(BOOKINGS,      INPUT,          PAGE,            (LIST_PAGE),             STAY,          turn_page)         \
 X(BOOKINGS,      INPUT,          BACK,            (ALWAYS),                SERVICES,      book_another)      \
 X(BOOKINGS,      INPUT,          CONTINUE,        (ALWAYS),                RATING,        enter)             \
 X(BOOKINGS,      INPUT,          LEAVE_NOW,       (CARD),                  GOODBYE,       end_visit)         \
 X(BOOKINGS,      INPUT,          LEAVE_NOW,       (ALWAYS),                HOME,          end_visit)         \
 /* 放大查看: the records, one record, the certificate preview enlarged */                                 \
 X(RECORDS,       INPUT,          ZOOM,            (ALWAYS),                STAY,          set_zoom)          \
 X(RECORD_DETAIL, INPUT,          ZOOM,            (ALWAYS),                STAY,          set_zoom)          \
 X(CERT_PREVIEW,  INPUT,          ZOOM,            (ALWAYS),                STAY,          set_zoom)          \
 /* 语音播报: speech for this visit, on the home screen */                                              \
 X(HOME,          INPUT,          SPEECH,          (SPEAKER),               STAY,          set_speech)
/* clang-format on */

#define FLOW_GUARDS_MAX 3

/* One row of FLOW_MAP as data (flow_map[i] is row i). */
struct flow_arrow {
    enum flow_screen from; /* SCREEN_ANY: every screen */
    enum flow_event_kind event;
    enum flow_input input;                   /* FLOW_EV_INPUT rows; IN_NONE otherwise */
    enum flow_guard guards[FLOW_GUARDS_MAX]; /* all hold; GUARD_ALWAYS pads */
    enum flow_screen to;                     /* SCREEN_STAY: the screen stays */
};

/* How a row's (guards) become the guards array; pads with GUARD_ALWAYS. */
#define FLOW_ROW_GUARDS(...) FLOW_ROW_GUARDS_(__VA_ARGS__, ALWAYS, ALWAYS, ALWAYS)
#define FLOW_ROW_GUARDS_(a, b, c, ...)                                                             \
    {                                                                                              \
        GUARD_##a, GUARD_##b, GUARD_##c                                                            \
    }
/* "+1" per row: FLOW_MAP_ROWS is 0 +1 +1 ... (parentheses would break the sum). */
#define FLOW_COUNT_ROW(...) +1 /* NOLINT(bugprone-macro-parentheses) */

enum { FLOW_MAP_ROWS = 0 FLOW_MAP(FLOW_COUNT_ROW) };

extern const struct flow_arrow flow_map[FLOW_MAP_ROWS];

/* The guard's name ("CARD") and what it means, for logs and tests. */
const char *flow_guard_name(enum flow_guard g);
const char *flow_guard_doc(enum flow_guard g);

/* Whether guard g holds for event ev on the flow's current screen. Pure. */
bool flow_guard_holds(enum flow_guard g, const struct flow *f, const struct session *s,
                      const struct flow_event *ev);

/* The first row of the map that ev takes on the current screen, or NULL
 * when the screen ignores ev. Pure: reads the flow, the session and ev. */
const struct flow_arrow *flow_map_find(const struct flow *f, const struct session *s,
                                       const struct flow_event *ev);

#endif
