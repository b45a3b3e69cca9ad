/* session.h - one citizen's visit, held in memory only.
 *
 * DESIGN: the session is one flat struct without heap pointers. Everything
 * personal the kiosk learns during a visit (card fields, the registry's
 * token, the property records, the issued certificate) lives here and
 * nowhere else, so ending a visit for any reason (done, cancel, idle
 * timeout, card removed, registry error) is one session_wipe(), an
 * explicit_bzero of the whole struct. Only the UI thread touches it.
 * Settings that outlive a visit (language, elder mode) are not in here.
 */
#ifndef CORE_SESSION_H
#define CORE_SESSION_H

#include "drivers/idcard/idcard.h"
#include "model.h"

#include <stdbool.h>
#include <stdint.h>

enum session_service {
    SERVICE_NONE = 0,
    SERVICE_QUERY,       /* 查询不动产 */
    SERVICE_PRINT_CERT,  /* 打印证明: goes straight to the purpose step */
    SERVICE_RATE,        /* 服务评价 from home: a rating without a visit */
    SERVICE_TICKET,      /* 取号排队: a walk-in number, no card */
    SERVICE_BOOKING,     /* 预约办理: card, face, slot, phone */
    SERVICE_PROGRESS,    /* 办件进度: card, face, the applications */
    SERVICE_GUIDE,       /* 办事指南: no card */
    SERVICE_CHECKIN,     /* 预约签到: card, face, a priority number */
    SERVICE_MY_BOOKINGS, /* 我的预约: card, face, the list, cancel */
};

struct session {
    bool active;                  /* a citizen is being served */
    enum session_service service; /* what they came for */
    int64_t started_ms;

    bool has_card;
    struct idcard card;
    char name_masked[64]; /* 张** */
    char id_masked[24];   /* 4108**********123X */
    char id_hash[65];     /* keyed hash of the ID number for audit lines */

    char token[256];   /* registry session token, dropped at the end */
    int face_attempts; /* failed verifications so far */

    bool has_props;
    struct property_list props;
    int selected; /* index into props.items, -1 when none */

    int purpose; /* index into the purpose table, -1 when none */
    int copies;  /* 1..3 */
    bool has_cert;
    struct certificate cert;
    char pdf_path[256]; /* where the PDF was saved (demo output folder) or "" */

    int rating;       /* 0 none, 1..5 (5 = 非常满意) */
    unsigned reasons; /* bit i: reason i of a low rating is ticked */

    bool has_ticket; /* the queue number taken, or the appointment booked (ticket.code) */
    struct ticket ticket;

    char svc[32]; /* the counter service chosen from the guide ("registration") */

    bool has_slots;
    struct slot_list slots;
    int slot_day;       /* the day shown */
    char slot_id[24];   /* the slot chosen: "2026-11-23T09:00" */
    char slot_text[48]; /* 2026-11-23 09:00–10:00, worded by the phone screen */
    char phone[12];     /* digits typed so far (11 at most); wiped with the visit */
    char receipt[16];   /* receipt digits typed (13 at most): progress without a card */

    bool has_apps;
    struct application_list apps;

    bool has_bookings;
    struct booking_list bookings;

    bool has_link; /* the proof's phone link (电子证照) */
    struct cert_link link;
};

/* The service as the registry names it (ratings' statistics, the fleet's
 * settings): query, certificate, ticket, booking (my bookings too),
 * progress, guide, check_in, rating; "hall" for none. */
const char *session_service_name(enum session_service service);

/* The home screen's tile named name (query, certificate, ticket, booking,
 * progress, guide, rating), or SERVICE_NONE. */
enum session_service session_tile_by_name(const char *name);

/* Starts a visit for service at now_ms. The struct must be wiped. */
void session_begin(struct session *s, enum session_service service, int64_t now_ms);

/* Stores the card and derives the masked forms and the audit hash (keyed
 * with key, which outlives visits). */
void session_set_card(struct session *s, const struct idcard *card, const char *key);

/* Wipes every byte of the visit. Safe to call on an inactive session. */
void session_wipe(struct session *s);

#endif
