/* cert_layout.c - the certificate's layout: the document walker (text,
 * rules, wrapped paragraphs, page breaks), the page furniture, the
 * property table, the sections, the QR code and the seal. One routine,
 * cert_layout, run twice per document by cert_compose.c (see the DESIGN
 * paragraph there). Runs on whichever thread composes.
 */
#include "print/cert_internal.h"

#include "base/util.h"
#include "print/cert_wrap.h"

#include <cairo.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

/* Geometry in points. */
#define MARGIN_L      56.7 /* 20 mm */
#define MARGIN_R      56.7
#define CONTENT_W     (PAGE_W - MARGIN_L - MARGIN_R)
#define TOP_ROW_BASE  54.0
#define FOOTER_RULE_Y (PAGE_H - 58.0)
#define BODY_BOTTOM   (FOOTER_RULE_Y - 12.0)

/* Type sizes: 五号 (10.5 pt) for the body, smaller for the table. */
#define FS_TITLE 22.0
#define FS_BODY  10.5
#define FS_TABLE 9.0
#define FS_NOTE  9.0
#define FS_FOOT  8.0
#define LH_BODY  17.0
#define LH_TABLE 12.5
#define LH_NOTE  14.5

/* The verification block: QR symbol edge, and the block's height. */
#define QR_SIZE    84.0
#define BLOCK_H    126.0
#define SEAL_R     52.0 /* 37 mm across */
#define SEAL_RED_R (200.0 / 255.0)
#define SEAL_RED_G (16.0 / 255.0)
#define SEAL_RED_B (46.0 / 255.0)
#define PARA_LINES 96

enum font_kind { FONT_REGULAR = 0, FONT_BOLD = 1 };
enum align { ALIGN_LEFT, ALIGN_CENTRE, ALIGN_RIGHT };

/* ---- the document walker ---------------------------------------------- */

static void font(struct doc *d, enum font_kind k, double size)
{
    cairo_set_font_face(d->cr, d->face[k]);
    cairo_set_font_size(d->cr, size);
}

static double measure(const char *s, size_t n, void *user)
{
    struct doc *d = user;
    if (n >= sizeof d->tmp)
        n = sizeof d->tmp - 1; /* unreachable: callers' texts are smaller */
    memcpy(d->tmp, s, n);
    d->tmp[n] = '\0';
    cairo_text_extents_t e;
    cairo_text_extents(d->cr, d->tmp, &e);
    return e.x_advance;
}

static double text_w(struct doc *d, const char *s)
{
    return s[0] ? measure(s, strlen(s), d) : 0.0;
}

/* Shows n bytes of s with the baseline at y, placed by align against x
 * (left edge, centre or right edge). */
static void show_n(struct doc *d, double x, double y, const char *s, size_t n, enum align a)
{
    if (!n)
        return;
    double w = measure(s, n, d); /* leaves the text in d->tmp */
    if (!d->draw)
        return;
    if (a == ALIGN_CENTRE)
        x -= w / 2;
    else if (a == ALIGN_RIGHT)
        x -= w;
    cairo_move_to(d->cr, x, y);
    cairo_show_text(d->cr, d->tmp);
}

static void show(struct doc *d, double x, double y, const char *s, enum align a)
{
    show_n(d, x, y, s, strlen(s), a);
}

/* Text with extra spacing between characters (the title, the code). */
static double tracked_w(struct doc *d, const char *s, double track)
{
    double w = 0;
    int n = 0;
    for (const char *p = s; *p; p += utf8_seq_len(p), n++)
        w += measure(p, utf8_seq_len(p), d);
    return n ? w + track * (n - 1) : 0;
}

static void show_tracked(struct doc *d, double x, double y, const char *s, double track)
{
    for (const char *p = s; *p; p += utf8_seq_len(p)) {
        size_t k = utf8_seq_len(p);
        show_n(d, x, y, p, k, ALIGN_LEFT);
        x += measure(p, k, d) + track;
    }
}

static void rule(struct doc *d, double x0, double x1, double y, double width)
{
    if (!d->draw)
        return;
    cairo_set_line_width(d->cr, width);
    cairo_move_to(d->cr, x0, y);
    cairo_line_to(d->cr, x1, y);
    cairo_stroke(d->cr);
}

/* Baseline of a line of text of size fs centred in a line box of height lh. */
static double baseline(double top, double lh, double fs)
{
    return top + lh / 2 + fs * 0.36;
}

static int wrap(struct doc *d, const char *s, double w, struct cert_wrap_line *lines)
{
    int n = cert_wrap_lines(s, w, measure, d, lines, PARA_LINES);
    if (n < 0 && !d->err)
        d->err = n;
    return n < 0 ? 0 : n;
}

static void page_break(struct doc *d);

/* Starts a new page if h more points do not fit above the footer. */
static void ensure(struct doc *d, double h)
{
    if (d->y + h > BODY_BOTTOM)
        page_break(d);
}

/* A wrapped paragraph at x, w wide, that may continue on the next page. */
static void para(struct doc *d, double x, double w, const char *s, double lh, double fs)
{
    struct cert_wrap_line lines[PARA_LINES];
    int n = wrap(d, s, w, lines);
    for (int i = 0; i < n; i++) {
        ensure(d, lh);
        show_n(d, x, baseline(d->y, lh, fs), s + lines[i].off, lines[i].len, ALIGN_LEFT);
        d->y += lh;
    }
}

/* A paragraph with a label hanging in the margin (numbered notes, the
 * restriction details): label at x, text from x + indent. The label is
 * drawn with the first line, so both move to a new page together. */
static void hanging(struct doc *d, double x, double indent, const char *label,
                    enum font_kind label_font, const char *s, double lh, double fs)
{
    struct cert_wrap_line lines[PARA_LINES];
    font(d, FONT_REGULAR, fs);
    int n = wrap(d, s, CONTENT_W - (x - MARGIN_L) - indent, lines);
    for (int i = 0; i < n; i++) {
        ensure(d, lh);
        double b = baseline(d->y, lh, fs);
        if (i == 0 && label) {
            font(d, label_font, fs);
            show(d, x, b, label, ALIGN_LEFT);
            font(d, FONT_REGULAR, fs);
        }
        show_n(d, x + indent, b, s + lines[i].off, lines[i].len, ALIGN_LEFT);
        d->y += lh;
    }
}

/* ---- page furniture --------------------------------------------------- */

static void watermark(struct doc *d)
{
    if (!d->draw || !(d->o->demo || d->o->test))
        return;
    cairo_t *cr = d->cr;
    cairo_save(cr);
    font(d, FONT_BOLD, 96);
    const char *mark = d->o->test ? "测试页 TEST" : "样张 DEMO";
    double w = text_w(d, mark);
    cairo_translate(cr, PAGE_W / 2, PAGE_H / 2);
    cairo_rotate(cr, -atan2(PAGE_H, PAGE_W));
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_move_to(cr, -w / 2, 34);
    cairo_show_text(cr, mark);
    cairo_restore(cr);
}

static void page_header(struct doc *d)
{
    cairo_t *cr = d->cr;
    watermark(d);
    if (d->draw)
        cairo_set_source_rgb(cr, 0, 0, 0);

    /* Top row: the demo (or test) mark in a box, the number on the right. */
    if (d->o->demo || d->o->test) {
        const char *box = d->o->test ? "测试页" : "样张";
        font(d, FONT_BOLD, 10);
        double w = text_w(d, box);
        show(d, MARGIN_L + 6, TOP_ROW_BASE, box, ALIGN_LEFT);
        if (d->draw) {
            cairo_set_line_width(cr, 0.8);
            cairo_rectangle(cr, MARGIN_L, TOP_ROW_BASE - 11.5, w + 12, 16);
            cairo_stroke(cr);
        }
    }
    font(d, FONT_BOLD, 10);
    double nw = text_w(d, d->c->number);
    show(d, PAGE_W - MARGIN_R, TOP_ROW_BASE, d->c->number, ALIGN_RIGHT);
    font(d, FONT_REGULAR, 9.5);
    show(d, PAGE_W - MARGIN_R - nw - 2, TOP_ROW_BASE, "证明编号：", ALIGN_RIGHT);

    if (d->page == 1) {
        font(d, FONT_BOLD, FS_TITLE);
        const char *t = title_of(d->c);
        double track = FS_TITLE * 0.08;
        show_tracked(d, PAGE_W / 2 - tracked_w(d, t, track) / 2, 100, t, track);
        rule(d, MARGIN_L, PAGE_W - MARGIN_R, 117, 1.8);
        rule(d, MARGIN_L, PAGE_W - MARGIN_R, 120.5, 0.5);
        d->y = 134;
    } else {
        char t[96];
        snprintf(t, sizeof t, "%s（续）", title_of(d->c));
        font(d, FONT_BOLD, 13);
        show(d, PAGE_W / 2, 84, t, ALIGN_CENTRE);
        rule(d, MARGIN_L, PAGE_W - MARGIN_R, 94, 0.8);
        d->y = 106;
    }
}

static void page_footer(struct doc *d)
{
    rule(d, MARGIN_L, PAGE_W - MARGIN_R, FOOTER_RULE_Y, 0.5);
    double b = FOOTER_RULE_Y + 15;
    char s[256];
    font(d, FONT_REGULAR, FS_FOOT);
    if (d->o->office_address && d->o->office_address[0])
        snprintf(s, sizeof s, "%s · %s", d->c->office, d->o->office_address);
    else
        snprintf(s, sizeof s, "%s", d->c->office);
    show(d, MARGIN_L, b, s, ALIGN_LEFT);
    if (d->pages) {
        snprintf(s, sizeof s, "第 %d 页 共 %d 页", d->page, d->pages);
        font(d, FONT_REGULAR, 8.5);
        show(d, PAGE_W - MARGIN_R, b, s, ALIGN_RIGHT);
    }
}

/* ---- the property table ------------------------------------------------ */

enum { COL_NO, COL_LOC, COL_CERT, COL_UNIT, COL_USE, COL_AREA, COL_ENC, COL_COUNT };

static const double col_w[COL_COUNT] = {28, 123, 101, 99, 38, 47, 45.876};
static const enum align col_align[COL_COUNT] = {ALIGN_CENTRE, ALIGN_LEFT,   ALIGN_LEFT,  ALIGN_LEFT,
                                                ALIGN_CENTRE, ALIGN_CENTRE, ALIGN_CENTRE};
static const char *const col_title[COL_COUNT] = {
    "序号", "坐落", "不动产权证号", "不动产单元号", "用途", "建筑面积\n（㎡）", "权利\n限制"};

#define CELL_PAD_X 4.0
#define CELL_PAD_Y 5.0

struct cell {
    const char *text;
    struct cert_wrap_line lines[16];
    int n;
};

/* Draws one table row of cells; heights are computed before, so a row is
 * moved whole to the next page. */
static void table_row(struct doc *d, struct cell cells[COL_COUNT], enum font_kind fk[COL_COUNT],
                      bool header)
{
    int max_lines = 1;
    for (int i = 0; i < COL_COUNT; i++) {
        font(d, fk[i], FS_TABLE);
        int n = cert_wrap_lines(cells[i].text, col_w[i] - 2 * CELL_PAD_X, measure, d,
                                cells[i].lines, 16);
        if (n < 0) {
            if (!d->err)
                d->err = n;
            n = 0;
        }
        cells[i].n = n;
        if (n > max_lines)
            max_lines = n;
    }
    double h = max_lines * LH_TABLE + 2 * CELL_PAD_Y;
    if (!header)
        ensure(d, h); /* may draw a header row through page_break */
    double top = d->y;
    cairo_t *cr = d->cr;
    if (d->draw) {
        if (header) {
            cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
            cairo_rectangle(cr, MARGIN_L, top, CONTENT_W, h);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
        }
        cairo_set_line_width(cr, 0.6);
        cairo_rectangle(cr, MARGIN_L, top, CONTENT_W, h);
        double x = MARGIN_L;
        for (int i = 0; i < COL_COUNT - 1; i++) {
            x += col_w[i];
            cairo_move_to(cr, x, top);
            cairo_line_to(cr, x, top + h);
        }
        cairo_stroke(cr);
    }
    double x = MARGIN_L;
    for (int i = 0; i < COL_COUNT; i++) {
        font(d, fk[i], FS_TABLE);
        /* Header cells are centred vertically; body cells start at the top
         * like the mockup's, so short cells line up with long ones. */
        double y0 = top + CELL_PAD_Y;
        if (header)
            y0 += (max_lines - cells[i].n) * LH_TABLE / 2;
        for (int k = 0; k < cells[i].n; k++) {
            double ax = header || col_align[i] == ALIGN_CENTRE ? x + col_w[i] / 2
                        : col_align[i] == ALIGN_RIGHT          ? x + col_w[i] - CELL_PAD_X
                                                               : x + CELL_PAD_X;
            show_n(d, ax, baseline(y0 + k * LH_TABLE, LH_TABLE, FS_TABLE),
                   cells[i].text + cells[i].lines[k].off, cells[i].lines[k].len,
                   header ? ALIGN_CENTRE : col_align[i]);
        }
        x += col_w[i];
    }
    d->y = top + h;
}

static void table_header(struct doc *d)
{
    struct cell cells[COL_COUNT];
    enum font_kind fk[COL_COUNT];
    for (int i = 0; i < COL_COUNT; i++) {
        cells[i].text = col_title[i];
        fk[i] = FONT_BOLD;
    }
    table_row(d, cells, fk, true);
}

static void property_row(struct doc *d, int idx)
{
    const struct property *p = &d->c->props.items[idx];
    char no[16], loc[MODEL_TEXT_L + 40], unit[40], enc[64];
    snprintf(no, sizeof no, "%d", idx + 1);
    /* The registry's 坐落 usually starts with the district; add it when not. */
    if (p->district[0] && !strstr(p->location, p->district))
        snprintf(loc, sizeof loc, "%s%s", p->district, p->location);
    else
        str_copy(loc, sizeof loc, p->location);
    cert_format_unit_number(p->unit_number, unit, sizeof unit);
    /* One word per kind present, in the fixed order of the enum. */
    enc[0] = '\0';
    size_t used = 0;
    for (int k = 0; k < ENC_KIND_COUNT; k++) {
        for (int e = 0; e < p->enc_count; e++) {
            if ((int)p->enc[e].kind == k) {
                int n =
                    snprintf(enc + used, sizeof enc - used, "%s%s", used ? "\n" : "", enc_word[k]);
                if (n > 0 && (size_t)n < sizeof enc - used)
                    used += (size_t)n;
                break;
            }
        }
    }
    if (!enc[0])
        strcpy(enc, "无");
    struct cell cells[COL_COUNT] = {
        {.text = no},   {.text = loc},    {.text = p->certificate_number},
        {.text = unit}, {.text = p->use}, {.text = p->area},
        {.text = enc},
    };
    enum font_kind fk[COL_COUNT] = {FONT_REGULAR, FONT_REGULAR, FONT_REGULAR, FONT_REGULAR,
                                    FONT_REGULAR, FONT_REGULAR, FONT_BOLD};
    table_row(d, cells, fk, false);
}

/* ---- sections ----------------------------------------------------------- */

static void requester_grid(struct doc *d)
{
    const struct certificate *c = d->c;
    char when[48];
    format_time(c->issued_at, true, when, sizeof when);
    const double val_dx = 64, right_x = MARGIN_L + 246;
    const double left_w = right_x - MARGIN_L - val_dx - 8;
    const double right_w = PAGE_W - MARGIN_R - right_x - val_dx;
    const char *rows[2][4] = {
        {"查询人", c->requester_name, "证件号码", c->requester_id_masked},
        {"查询时间", when, "查询目的", c->purpose},
    };
    for (int r = 0; r < 2; r++) {
        struct cert_wrap_line l1[PARA_LINES], l2[PARA_LINES];
        font(d, FONT_REGULAR, FS_BODY);
        int n1 = wrap(d, rows[r][1], left_w, l1);
        int n2 = wrap(d, rows[r][3], right_w, l2);
        int n = n1 > n2 ? n1 : n2;
        if (n < 1)
            n = 1;
        double b = baseline(d->y, LH_BODY, FS_BODY);
        font(d, FONT_BOLD, FS_BODY);
        show(d, MARGIN_L, b, rows[r][0], ALIGN_LEFT);
        show(d, right_x, b, rows[r][2], ALIGN_LEFT);
        font(d, FONT_REGULAR, FS_BODY);
        for (int i = 0; i < n1; i++)
            show_n(d, MARGIN_L + val_dx, b + i * LH_BODY, rows[r][1] + l1[i].off, l1[i].len,
                   ALIGN_LEFT);
        for (int i = 0; i < n2; i++)
            show_n(d, right_x + val_dx, b + i * LH_BODY, rows[r][3] + l2[i].off, l2[i].len,
                   ALIGN_LEFT);
        d->y += n * LH_BODY;
    }
    hanging(d, MARGIN_L, val_dx, "查询方式", FONT_BOLD, c->query_method, LH_BODY, FS_BODY);
}

static void as_of_sentence(struct doc *d)
{
    const struct certificate *c = d->c;
    char when[48], reg[MODEL_TEXT_M + 16], s[512];
    format_time(c->props.as_of[0] ? c->props.as_of : c->issued_at, true, when, sizeof when);
    register_name(c, reg, sizeof reg);
    int n = c->props.count;
    if (n == 0) {
        snprintf(s, sizeof s, "经查询，截至 %s，%s中未记载查询人名下的不动产，无登记记录。", when,
                 reg);
        font(d, FONT_BOLD, FS_BODY);
    } else if (is_housing_count(c)) {
        int homes = 0;
        for (int i = 0; i < n; i++)
            if (strstr(c->props.items[i].use, "住宅"))
                homes++;
        snprintf(s, sizeof s,
                 "经查询，截至 %s，%s记载查询人名下的不动产共 %d 处，其中住宅 %d 套，详见下表：",
                 when, reg, n, homes);
        font(d, FONT_REGULAR, FS_BODY);
    } else {
        snprintf(s, sizeof s, "经查询，截至 %s，%s记载查询人名下的不动产共 %d 处，详见下表：", when,
                 reg, n);
        font(d, FONT_REGULAR, FS_BODY);
    }
    para(d, MARGIN_L, CONTENT_W, s, LH_BODY, FS_BODY);
}

static void property_table(struct doc *d)
{
    const struct property_list *pl = &d->c->props;
    d->y += 4;
    if (pl->count > 0) {
        ensure(d, 3 * LH_TABLE + 4 * CELL_PAD_Y + 2 * LH_TABLE); /* header + one row */
        table_header(d);
        d->in_table = true;
        for (int i = 0; i < pl->count; i++)
            property_row(d, i);
        d->in_table = false;
    }
    ensure(d, 16);
    font(d, FONT_REGULAR, FS_NOTE);
    show(d, PAGE_W - MARGIN_R - 4, baseline(d->y + 2, 14, FS_NOTE), "（以下空白）", ALIGN_RIGHT);
    d->y += 20;
}

static void restriction_details(struct doc *d)
{
    const struct property_list *pl = &d->c->props;
    bool any = false;
    for (int i = 0; i < pl->count; i++)
        any = any || pl->items[i].enc_count > 0;
    if (!any)
        return;
    ensure(d, 28 + LH_BODY * 2);
    font(d, FONT_BOLD, 11.5);
    show(d, MARGIN_L, baseline(d->y, 22, 11.5), "权利限制情况", ALIGN_LEFT);
    d->y += 26;
    for (int i = 0; i < pl->count; i++) {
        const struct property *p = &pl->items[i];
        for (int k = 0; k < p->enc_count; k++) {
            const struct encumbrance *e = &p->enc[k];
            char label[24], kind[32], text[1024];
            snprintf(label, sizeof label, "序号 %d", i + 1);
            snprintf(kind, sizeof kind, "%s：", enc_word[e->kind]);
            encumbrance_text(e, text, sizeof text);
            /* Number label, then the kind in bold, then the text hanging. */
            struct cert_wrap_line lines[PARA_LINES];
            font(d, FONT_REGULAR, FS_BODY);
            const double kx = MARGIN_L + 44, tx = MARGIN_L + 44 + 58;
            int n = wrap(d, text, PAGE_W - MARGIN_R - tx, lines);
            for (int l = 0; l < n; l++) {
                ensure(d, LH_BODY);
                double b = baseline(d->y, LH_BODY, FS_BODY);
                if (l == 0) {
                    if (k == 0)
                        show(d, MARGIN_L, b, label, ALIGN_LEFT);
                    font(d, FONT_BOLD, FS_BODY);
                    show(d, kx, b, kind, ALIGN_LEFT);
                    font(d, FONT_REGULAR, FS_BODY);
                }
                show_n(d, tx, b, text + lines[l].off, lines[l].len, ALIGN_LEFT);
                d->y += LH_BODY;
            }
        }
    }
    d->y += 8;
}

static void notes(struct doc *d)
{
    const struct certificate *c = d->c;
    char when[48], n1[512], n2[256], n3[256], n4[256];
    format_time(c->props.as_of[0] ? c->props.as_of : c->issued_at, true, when, sizeof when);
    snprintf(n1, sizeof n1,
             "本证明反映截至查询时点（%s）不动产登记簿的记载情况，仅在该时点有效，"
             "此后登记簿记载可能发生变化。",
             when);
    snprintf(n2, sizeof n2,
             "使用前请扫描二维码，或凭证明编号和验证码向出具单位核验，以核验结果为准。"
             "一证一码：每份证明有唯一的证明编号和验证码。");
    snprintf(n3, sizeof n3, "本证明仅用于上述查询目的。查询人姓名和证件号码已作部分隐藏。");
    const char *items[4] = {n1, n2, n3, NULL};
    if (d->o->office_phone && d->o->office_phone[0]) {
        snprintf(n4, sizeof n4, "如有疑问，请咨询%s，电话 %s。", c->office, d->o->office_phone);
        items[3] = n4;
    }
    /* The notes and the verification block stay together: a last page
     * holding only a seal would look detachable from the record. */
    double h = 24 + 8 + BLOCK_H;
    font(d, FONT_REGULAR, FS_NOTE);
    for (int i = 0; i < 4 && items[i]; i++) {
        struct cert_wrap_line lines[PARA_LINES];
        h += wrap(d, items[i], CONTENT_W - 14, lines) * LH_NOTE;
    }
    ensure(d, h < BODY_BOTTOM - 110 ? h : 26 + LH_NOTE * 2);
    font(d, FONT_BOLD, 11.5);
    show(d, MARGIN_L, baseline(d->y, 22, 11.5), "说明", ALIGN_LEFT);
    d->y += 24;
    for (int i = 0; i < 4 && items[i]; i++) {
        char label[16];
        snprintf(label, sizeof label, "%d.", i + 1);
        hanging(d, MARGIN_L, 14, label, FONT_REGULAR, items[i], LH_NOTE, FS_NOTE);
    }
}

/* The QR symbol as one filled path of row runs: a single fill leaves no
 * hairline seams between modules in any rasteriser. */
static void draw_qr(struct doc *d, double x, double y, double size)
{
    if (!d->draw || !d->qr)
        return;
    cairo_t *cr = d->cr;
    int w = d->qr->width;
    double m = size / w, quiet = 4 * m;
    cairo_set_source_rgb(cr, 1, 1, 1); /* the quiet zone also hides the watermark */
    cairo_rectangle(cr, x - quiet, y - quiet, size + 2 * quiet, size + 2 * quiet);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < w; r++) {
        int c = 0;
        while (c < w) {
            if (!(d->qr->data[r * w + c] & 1)) {
                c++;
                continue;
            }
            int c0 = c;
            while (c < w && (d->qr->data[r * w + c] & 1))
                c++;
            cairo_rectangle(cr, x + c0 * m, y + r * m, (c - c0) * m, m);
        }
    }
    cairo_fill(cr);
}

/* The round query seal: ring, star, the office along the upper arc and
 * 查询专用章 below the star, in seal red, multiplied onto the page so the
 * text under it stays legible like a real stamp's ink. */
static void draw_seal(struct doc *d, double cx, double cy, double r)
{
    if (!d->draw)
        return;
    cairo_t *cr = d->cr;
    cairo_save(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
    cairo_set_source_rgba(cr, SEAL_RED_R, SEAL_RED_G, SEAL_RED_B, 0.92);
    double lw = r * 0.06;
    cairo_set_line_width(cr, lw);
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, r - lw / 2, 0, 2 * M_PI);
    cairo_stroke(cr);

    double so = r * 0.27, si = so * 0.382;
    for (int i = 0; i < 10; i++) {
        double a = -M_PI / 2 + i * M_PI / 5, rr = (i % 2) ? si : so;
        double px = cx + rr * cos(a), py = cy - r * 0.02 + rr * sin(a);
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    cairo_close_path(cr);
    cairo_fill(cr);

    /* The office along the arc, upright towards the centre. */
    double fs = r * 0.21;
    cairo_set_font_face(cr, d->face[FONT_BOLD]);
    cairo_set_font_size(cr, fs);
    double rb = r - lw - r * 0.05 - fs * 0.86; /* baseline radius */
    const char *s = d->c->office;
    int n = (int)utf8_len(s);
    if (n > 0) {
        double step = (fs * 1.12) / rb;
        double span = step * n;
        if (span > 4.3) /* about 245 degrees at most */
            span = 4.3, step = span / n;
        int i = 0;
        for (const char *p = s; *p; p += utf8_seq_len(p), i++) {
            char ch[8];
            size_t k = utf8_seq_len(p);
            memcpy(ch, p, k);
            ch[k] = '\0';
            cairo_text_extents_t e;
            cairo_text_extents(cr, ch, &e);
            double a = -span / 2 + step * (i + 0.5);
            cairo_save(cr);
            cairo_translate(cr, cx, cy);
            cairo_rotate(cr, a);
            cairo_move_to(cr, -e.x_advance / 2, -rb);
            cairo_text_path(cr, ch);
            cairo_restore(cr);
        }
        cairo_fill(cr);
    }
    const char *bottom = "查询专用章";
    cairo_set_font_size(cr, r * 0.16);
    cairo_text_extents_t e;
    cairo_text_extents(cr, bottom, &e);
    cairo_move_to(cr, cx - e.x_advance / 2, cy + r * 0.56);
    cairo_text_path(cr, bottom);
    cairo_fill(cr);
    cairo_restore(cr);
}

static void verification_block(struct doc *d)
{
    const struct certificate *c = d->c;
    d->y += 8;
    ensure(d, BLOCK_H);
    double qx = MARGIN_L + 10, qy = d->y + 6;
    draw_qr(d, qx, qy, QR_SIZE);

    double tx = qx + QR_SIZE + 24;
    font(d, FONT_BOLD, 11);
    show(d, tx, qy + 12, "扫码核验", ALIGN_LEFT);
    font(d, FONT_REGULAR, 9);
    show(d, tx, qy + 30, "验证码", ALIGN_LEFT);
    font(d, FONT_BOLD, 20);
    show_tracked(d, tx, qy + 55, c->verify_code, 3.0);
    font(d, FONT_REGULAR, 9);
    show(d, tx, qy + 73, "一证一码 · 可随时核验", ALIGN_LEFT);
    show(d, tx, qy + 87, "扫描二维码或凭证明编号和验证码核验", ALIGN_LEFT);

    char when[48], s[MODEL_TEXT_M + 32];
    format_time(c->issued_at, false, when, sizeof when);
    double rx = PAGE_W - MARGIN_R;
    double b2 = qy + 70, b1 = b2 - LH_BODY - 1;
    font(d, FONT_REGULAR, FS_BODY);
    snprintf(s, sizeof s, "出具单位：%s", c->office);
    show(d, rx, b1, s, ALIGN_RIGHT);
    snprintf(s, sizeof s, "出具时间：%s", when);
    show(d, rx, b2, s, ALIGN_RIGHT);
    /* Stamped the way a clerk does it: over the office's name and across
     * the date (骑年压月), so the seal and the date cannot be separated. */
    draw_seal(d, rx - 62, b2 - 8, SEAL_R);
    d->y = qy + 120; /* the seal's lower edge, with a little air */
}

static void page_break(struct doc *d)
{
    page_footer(d);
    if (d->drawing && d->only_page == 0)
        cairo_show_page(d->cr);
    d->page++;
    d->draw = d->drawing && (d->only_page == 0 || d->page == d->only_page);
    page_header(d);
    if (d->in_table)
        table_header(d);
}

void cert_layout(struct doc *d, bool drawing)
{
    d->drawing = drawing;
    d->page = 1;
    d->in_table = false;
    d->draw = drawing && (d->only_page == 0 || d->only_page == 1);
    page_header(d);
    requester_grid(d);
    d->y += 6;
    as_of_sentence(d);
    property_table(d);
    restriction_details(d);
    notes(d);
    verification_block(d);
    page_footer(d);
}
