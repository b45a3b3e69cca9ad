/* slip_compose.h - queue and appointment slips as a 1-bit raster.
 *
 * A slip is drawn with cairo on an image surface, in the certificate's
 * font faces (cert_fonts_get: Noto Sans CJK SC), thresholded to 1 bit,
 * 576 dots wide at 203 dpi (80 mm paper), with the QR code drawn into the
 * same raster. The printer's code pages and glyph ROM never matter: the
 * printer gets a picture (escpos_encode_raster).
 *
 * DESIGN: what goes where is data. Each slip kind is a table of items
 * (centred text, the big number, rules, the box, label/value rows, the QR
 * block, the footer) whose texts are templates over the ticket's fields
 * ("请到 *{windows}* 办理": braces name a field, asterisks make bold); an
 * item whose fields are empty is left out, and the slip is as tall as its
 * items. A new slip kind is a new table, not new drawing code.
 *
 * What a slip shows is a queue place, never a person: no name, no ID
 * number. Pure apart from the font lookup: any thread (the slip worker).
 */
#ifndef PRINT_SLIP_COMPOSE_H
#define PRINT_SLIP_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLIP_WIDTH         576 /* dots */
#define SLIP_MATERIALS_MAX 8

enum slip_kind {
    SLIP_QUEUE = 0,   /* 取号: a walk-in queue number */
    SLIP_APPOINTMENT, /* 预约: a booked counter visit with its checklist */
    SLIP_KIND_COUNT
};

/* Everything a slip shows. Strings are UTF-8; empty means "not shown". */
struct slip_ticket {
    enum slip_kind kind;
    char office[96];      /* 焦作市不动产登记中心 */
    char hall[96];        /* 解放区服务大厅 */
    char number[16];      /* C023 */
    char service[96];     /* 不动产登记资料查询 */
    char windows[64];     /* 3 号、4 号窗口 */
    int ahead;            /* people ahead; < 0: not shown */
    int wait_min;         /* estimated wait in minutes; < 0: not shown */
    char time_limit[96];  /* 查询类业务 1 小时内办结 (the 311 promise) */
    char appointment[64]; /* appointment slip: the booked time */
    char materials[SLIP_MATERIALS_MAX][64];
    int material_count;
    char follow_url[256]; /* QR code: queue progress and rating on a phone */
    char printed_at[24];  /* 2025-09-16 09:46 */
    char terminal[64];    /* 自助终端 03 */
    bool demo;            /* 样张 across the slip */
};

/* A 1-bit picture: MSB leftmost, 1 = black. */
struct slip_raster {
    int width; /* SLIP_WIDTH */
    int rows;
    int stride;    /* bytes per row: width / 8 */
    uint8_t *bits; /* owned; free with slip_raster_fini */
    int overflow;  /* items that did not fit the paper width (layout test) */
};

void slip_raster_fini(struct slip_raster *r);

/* Composes t (borrowed) in font_family (NULL: the certificate's default).
 * Returns 0; ERR_INVALID (no number, bad kind, text not UTF-8);
 * ERR_UNSUPPORTED (no Chinese font); ERR_NOMEM; ERR_IO (cairo). out is
 * zeroed on error. */
int slip_compose(const struct slip_ticket *t, const char *font_family, struct slip_raster *out);

/* A short raster "以上作废" (void above) with a rule: printed under the
 * torn stub of a slip a crash or paper-out cut short. Same returns. */
int slip_compose_void(const char *font_family, struct slip_raster *out);

/* Expands a template over t's fields into out (size bytes). Returns false
 * when a field it names is empty (the item is left out). Pure. */
bool slip_expand(const struct slip_ticket *t, const char *tmpl, char *out, size_t size);

#endif
