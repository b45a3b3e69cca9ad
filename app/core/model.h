/* model.h - the registry's answers as the kiosk holds them.
 *
 * Fixed-size structs with no heap pointers, so a session that holds them
 * can be wiped with one explicit_bzero and copied between threads by
 * value. Sizes are hard limits: the JSON mapping rejects longer values
 * instead of truncating a certificate number. Strings are UTF-8.
 */
#ifndef CORE_MODEL_H
#define CORE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

enum encumbrance_kind {
    ENC_MORTGAGE = 0, /* 抵押 */
    ENC_SEIZURE,      /* 查封 */
    ENC_OBJECTION,    /* 异议 */
    ENC_PREREG,       /* 预告登记 */
    ENC_RESIDENCE,    /* 居住权 */
    ENC_KIND_COUNT
};

/* API names of the kinds: "mortgage", "seizure", "objection",
 * "preregistration", "residence". Returns -1 for an unknown name. */
int encumbrance_kind_parse(const char *s);
const char *encumbrance_kind_name(enum encumbrance_kind k);

#define MODEL_TEXT_S 64
#define MODEL_TEXT_M 128
#define MODEL_TEXT_L 256

struct encumbrance {
    enum encumbrance_kind kind;
    char holder[MODEL_TEXT_M]; /* 抵押权人 / 查封机关 / 异议申请人 / 居住权人 */
    char certificate_number[MODEL_TEXT_S]; /* 不动产登记证明号 or 文书号 */
    char registered_at[32];                /* ISO date */
    char period[MODEL_TEXT_S];             /* "2020-03-01 至 2040-02-28", may be empty */
    int64_t amount_fen;                    /* secured amount in fen; 0 if none */
    char note[MODEL_TEXT_M];               /* plain remark, may be empty */
};

#define PROPERTY_ENC_MAX 8

struct property {
    char id[32];                           /* registry's opaque id */
    char unit_number[32];                  /* 不动产单元号, 28 characters */
    char location[MODEL_TEXT_L];           /* 坐落 */
    char district[32];                     /* 解放区 */
    char certificate_number[MODEL_TEXT_S]; /* 不动产权证书号 */
    char area[16];                         /* square metres, "112.36" */
    char land_area[16];                    /* may be empty */
    char use[MODEL_TEXT_S];                /* 用途: 住宅 */
    char right_type[MODEL_TEXT_M];         /* 权利类型 */
    char right_nature[MODEL_TEXT_S];       /* 权利性质: 市场化商品房 */
    char ownership[MODEL_TEXT_S]; /* 共有情况: 单独所有 / 共同共有 / 按份共有 50% */
    char co_owners[MODEL_TEXT_M]; /* masked names of co-owners, may be empty */
    char registered_at[32];       /* ISO date of registration */
    int enc_count;
    struct encumbrance enc[PROPERTY_ENC_MAX];
};

#define PROPERTY_LIST_MAX 32

struct property_list {
    char as_of[32]; /* ISO time the registry answered for */
    int count;
    struct property items[PROPERTY_LIST_MAX];
};

/* What the registry issued; the PDF is composed from this alone. */
struct certificate {
    char number[40];      /* random, not a timestamp */
    char verify_code[16]; /* short typed code (一证一码) */
    char verify_url[MODEL_TEXT_L];
    char issued_at[32];
    char kind[24]; /* "query" | "housing_count" */
    char purpose[MODEL_TEXT_S];
    char office[MODEL_TEXT_M];         /* 焦作市不动产登记中心 */
    char requester_name[MODEL_TEXT_S]; /* as the registry states it, masked */
    char requester_id_masked[24];
    char query_method[MODEL_TEXT_M]; /* 自助终端 JZ-03，身份证 + 人脸核验 */
    struct property_list props;      /* the snapshot the proof states */
};

/* A queue number from POST /v1/tickets (取号): a place in the hall's
 * queue, never a person. Everything a queue slip prints. */
#define TICKET_MATERIALS_MAX 8

struct ticket {
    char number[16];       /* "C023" */
    char service[32];      /* the service code: "query" */
    char service_name[96]; /* 不动产登记资料查询 */
    char windows_text[64]; /* 1 号、2 号窗口 */
    int ahead;             /* people ahead, >= 0 */
    int wait_minutes;      /* estimated wait, >= 0 */
    char time_limit[96];   /* the 311 promise: 查询类业务 1 小时内办结 */
    int material_count;
    char materials[TICKET_MATERIALS_MAX][64]; /* checklist to bring */
    char follow_url[MODEL_TEXT_L];            /* the slip's QR code */
    char issued_at[32];                       /* ISO 8601 */
    char appointment[64];  /* the booked time of an appointment check-in; "" for a walk-in */
    char code[16];         /* a booking (POST /v1/appointments): its check-in code; "" */
    char phone_masked[16]; /* a booking: 138****5678 */
    char state[16];        /* a booking: booked, checked_in, cancelled, missed; "" otherwise */
};

/* The citizen's appointments (GET /v1/appointments): bookings from today
 * on and today's past ones, each a struct ticket with code, number,
 * appointment, phone_masked and state set. */
#define BOOKING_LIST_MAX 20

struct booking_list {
    int count;
    struct ticket items[BOOKING_LIST_MAX];
};

/* A short-lived link that opens an issued proof on a phone (电子证照,
 * POST /v1/certificates/{number}/link). */
struct cert_link {
    char url[MODEL_TEXT_L];
    char expires_at[32]; /* ISO 8601 */
};

/* ---- the hall's services and calendar: not personal ---------------- */

#define SERVICE_LIST_MAX    12
#define SERVICE_FEES_MAX    6
#define SERVICE_WAIVERS_MAX 4

/* One counter service of the guide (GET /v1/services). */
struct service_info {
    char code[32];  /* "registration": what tickets and bookings take */
    char letter[4]; /* "A" */
    char name[96];  /* 不动产转移登记 */
    char summary[MODEL_TEXT_M];
    char windows_text[64];
    bool limit_hours;    /* the 311 limit in hours, else in working days */
    int limit_value;     /* 1, 3 */
    char time_limit[96]; /* 一般登记 3 个工作日内办结 */
    int material_count;
    char materials[TICKET_MATERIALS_MAX][64];
    int fee_count;
    struct {
        char item[64];
        int64_t amount_fen;
    } fees[SERVICE_FEES_MAX];
    int waiver_count;
    char waivers[SERVICE_WAIVERS_MAX][MODEL_TEXT_M];
    bool bookable; /* appointments can be made */
    bool walk_in;  /* a kiosk may issue a queue number */
};

struct service_list {
    char as_of[32];
    int count;
    struct service_info items[SERVICE_LIST_MAX];
};

/* Returns the service with code, or NULL. */
const struct service_info *service_list_find(const struct service_list *l, const char *code);

#define NOTICE_HOURS_MAX 4

/* The home screen's notice and office hours (GET /v1/notice). */
struct hall_notice {
    char notice[600]; /* up to 200 characters, may be empty */
    int hours_count;
    struct {
        char label[32];
        char text[96];
    } hours[NOTICE_HOURS_MAX];
    bool open_now;
};

/* ---- appointments ------------------------------------------------------ */

#define SLOT_DAYS_MAX     10
#define SLOTS_PER_DAY_MAX 8

struct slot {
    char id[24]; /* "2026-11-23T09:00": what the booking sends */
    char start[8], end[8];
    int capacity, remaining;
};

struct slot_day {
    char date[12];    /* 2026-11-23 */
    char weekday[16]; /* 周一 */
    int slot_count;
    struct slot slots[SLOTS_PER_DAY_MAX];
};

/* The bookable slots of one service (GET /v1/appointments/slots). */
struct slot_list {
    char service[32];
    int day_count;
    struct slot_day days[SLOT_DAYS_MAX];
};

/* ---- progress ---------------------------------------------------------- */

#define APPLICATION_LIST_MAX 16

/* One application the hall accepted (GET /v1/applications). */
struct application {
    char receipt[32]; /* JZ20261120-00123 */
    char service_name[96];
    char state[16];       /* accepted, reviewing, registering, ready, done, rejected */
    char state_text[32];  /* 审核中 */
    char accepted_at[32]; /* ISO 8601 */
    char due_at[32];
    bool limit_hours; /* the promise in hours, else working days */
    int limit_value;
    bool remaining_hours; /* what is left, in hours, else working days */
    int remaining_value;
    bool overdue;
    char location[MODEL_TEXT_L]; /* may be empty (receipt lookups never carry it) */
};

struct application_list {
    char as_of[32];
    int count;
    struct application items[APPLICATION_LIST_MAX];
};

/* ---- the hall's staff -------------------------------------------------- */

/* Whether the card on the reader is a staff member's (POST
 * /v1/staff/check): the kiosk keeps no list of staff. Never the number. */
struct staff_info {
    bool staff;
    char staff_no[16];    /* "0312": 1..15 of [0-9A-Za-z]; "" when not staff */
    char name_masked[32]; /* 李** */
    char role[24];        /* "maintenance", may be "" */
};

#endif
