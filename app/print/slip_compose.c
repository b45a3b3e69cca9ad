/* slip_compose.c - queue and appointment slips from layout tables; see
 * slip_compose.h.
 *
 * Geometry is in printer dots (203 dpi): 32 dots side margins, type sizes
 * in dots (a 24-dot line is about 3 mm, the 160-dot number 20 mm). The
 * slip is drawn on a tall A8 surface (ink = alpha) with grey antialiasing,
 * then cut to the height the items used and thresholded at half ink,
 * which keeps CJK strokes whole at these sizes. The QR code is drawn as
 * whole-dot squares (no antialiasing) with its quiet zone, so a phone and
 * zbarimg read it from the paper. Runs on the caller's thread.
 */
#include "print/slip_compose.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "print/cert_compose.h"
#include "print/cert_wrap.h"

#include <cairo.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN    32
#define CONTENT_W (SLIP_WIDTH - 2 * MARGIN)
#define MAX_ROWS  2400
#define LABEL_W   112 /* label column of the rows */
#define TEXT_MAX  1024
#define ROW_LINES 12

enum item_kind {
    IT_GAP = 0, /* size = dots of white */
    IT_TEXT,    /* centred line; markup: *bold* */
    IT_NUMBER,  /* the big number, bold, centred */
    IT_RULE,    /* solid rule, size = thickness */
    IT_DASH,    /* dashed rule */
    IT_BOX,     /* a rounded box around text and text2 (two centred lines) */
    IT_ROW,     /* label (text, bold) and value (text2, wrapped) */
    IT_QR,      /* QR code of text, with text2 beside it (lines split at '\n') */
    IT_FOOTER,  /* text at the left, text2 at the right */
    IT_VOID     /* the void marker: text centred between rules */
};

struct item {
    enum item_kind kind;
    double size; /* type size in dots, or dots for GAP and RULE */
    const char *text;
    const char *text2;
    double size2;
};

/* The queue ticket (shared/ui/15-queueslip-portrait.png). */
static const struct item queue_layout[] = {
    {IT_GAP, 24},
    {IT_TEXT, 32, "*{office}*"},
    {IT_TEXT, 24, "{hall}"},
    {IT_GAP, 14},
    {IT_RULE, 3},
    {IT_GAP, 22},
    {IT_TEXT, 24, "您的排队号"},
    {IT_NUMBER, 160, "{number}"},
    {IT_TEXT, 32, "*{service}*"},
    {IT_TEXT, 28, "请到 *{windows}* 办理"},
    {IT_GAP, 14},
    {IT_BOX, 28, "*前面还有 {ahead} 人*", "预计等待约 {wait} 分钟", 22},
    {IT_GAP, 18},
    {IT_DASH, 2},
    {IT_GAP, 14},
    {IT_ROW, 22, "请携带", "{materials}"},
    {IT_ROW, 22, "办结时限", "{time_limit}"},
    {IT_ROW, 22, "温馨提示", "请留意叫号屏和语音提示；\n过号请重新取号。"},
    {IT_GAP, 8},
    {IT_DASH, 2},
    {IT_GAP, 16},
    {IT_QR, 22, "{follow_url}", "手机扫码\n查看叫号进度\n办完后可评价服务"},
    {IT_GAP, 16},
    {IT_DASH, 2},
    {IT_GAP, 14},
    {IT_FOOTER, 20, "{printed_at}", "{terminal} · 当日有效"},
    {IT_GAP, 24},
};

/* The appointment slip: the booked time instead of the queue box, and
 * the materials as a checklist. Its head and foot repeat the queue
 * ticket's rows on purpose: each table reads top to bottom as the slip it
 * prints. */
static const struct item appointment_layout[] = {
    {IT_GAP, 24},
    {IT_TEXT, 32, "*{office}*"},
    {IT_TEXT, 24, "{hall}"},
    {IT_GAP, 14},
    {IT_RULE, 3},
    {IT_GAP, 22},
    {IT_TEXT, 24, "您的预约号"},
    {IT_NUMBER, 160, "{number}"},
    {IT_TEXT, 32, "*{service}*"},
    {IT_TEXT, 28, "请到 *{windows}* 办理"},
    {IT_GAP, 14},
    {IT_BOX, 28, "*预约时段*", "{appointment}", 24},
    {IT_GAP, 18},
    {IT_DASH, 2},
    {IT_GAP, 14},
    {IT_ROW, 22, "请携带", "{checklist}"},
    {IT_ROW, 22, "办结时限", "{time_limit}"},
    {IT_ROW, 22, "温馨提示", "请提前 10 分钟到场，凭此凭条在窗口签到；原件请带齐。"},
    {IT_GAP, 8},
    {IT_DASH, 2},
    {IT_GAP, 16},
    {IT_QR, 22, "{follow_url}", "手机扫码\n查看预约和叫号进度\n办完后可评价服务"},
    {IT_GAP, 16},
    {IT_DASH, 2},
    {IT_GAP, 14},
    {IT_FOOTER, 20, "{printed_at}", "{terminal} · 预约当日有效"},
    {IT_GAP, 24},
};

static const struct item void_layout[] = {
    {IT_GAP, 8},
    {IT_VOID, 24, "以上作废 · 请取下方完整凭条"},
    {IT_GAP, 8},
};

static const struct {
    const struct item *items;
    size_t n;
} layouts[SLIP_KIND_COUNT] = {
    [SLIP_QUEUE] = {queue_layout, ARRAY_LEN(queue_layout)},
    [SLIP_APPOINTMENT] = {appointment_layout, ARRAY_LEN(appointment_layout)},
};

/* ---- templates --------------------------------------------------------- */

void slip_raster_fini(struct slip_raster *r)
{
    if (!r)
        return;
    free(r->bits);
    memset(r, 0, sizeof *r);
}

/* The text of field name (n bytes) into out; false when empty. */
static bool field(const struct slip_ticket *t, const char *name, size_t n, char *out, size_t size)
{
#define IS(s) (n == strlen(s) && memcmp(name, s, n) == 0)
    out[0] = '\0';
    if (IS("office"))
        str_copy(out, size, t->office);
    else if (IS("hall"))
        str_copy(out, size, t->hall);
    else if (IS("number"))
        str_copy(out, size, t->number);
    else if (IS("service"))
        str_copy(out, size, t->service);
    else if (IS("windows"))
        str_copy(out, size, t->windows);
    else if (IS("ahead")) {
        if (t->ahead >= 0)
            snprintf(out, size, "%d", t->ahead);
    } else if (IS("wait")) {
        if (t->wait_min >= 0)
            snprintf(out, size, "%d", t->wait_min);
    } else if (IS("time_limit"))
        str_copy(out, size, t->time_limit);
    else if (IS("appointment"))
        str_copy(out, size, t->appointment);
    else if (IS("follow_url"))
        str_copy(out, size, t->follow_url);
    else if (IS("printed_at"))
        str_copy(out, size, t->printed_at);
    else if (IS("terminal"))
        str_copy(out, size, t->terminal);
    else if (IS("materials") || IS("checklist")) {
        bool check = IS("checklist");
        size_t len = 0;
        for (int i = 0; i < t->material_count && i < SLIP_MATERIALS_MAX; i++) {
            if (!t->materials[i][0])
                continue;
            int k = snprintf(out + len, size - len, "%s%s%s", len ? "\n" : "", check ? "□ " : "",
                             t->materials[i]);
            if (k < 0 || (size_t)k >= size - len)
                break;
            len += (size_t)k;
        }
    }
#undef IS
    return out[0] != '\0';
}

bool slip_expand(const struct slip_ticket *t, const char *tmpl, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = tmpl; *p;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (!e)
                return false;
            char v[512];
            if (!field(t, p + 1, (size_t)(e - p - 1), v, sizeof v))
                return false;
            size_t vl = strlen(v);
            if (len + vl + 1 > size)
                return false;
            memcpy(out + len, v, vl);
            len += vl;
            p = e + 1;
        } else {
            if (len + 2 > size)
                return false;
            out[len++] = *p++;
        }
    }
    out[len] = '\0';
    return true;
}

/* ---- drawing ------------------------------------------------------------ */

struct slip {
    cairo_t *cr;
    cairo_font_face_t *face[2];
    double y;
    int overflow;
    char tmp[TEXT_MAX];
};

static void use_font(struct slip *s, bool bold, double size)
{
    cairo_set_font_face(s->cr, s->face[bold ? 1 : 0]);
    cairo_set_font_size(s->cr, size);
}

static double measure(const char *p, size_t n, void *user)
{
    struct slip *s = user;
    if (n >= sizeof s->tmp)
        n = sizeof s->tmp - 1;
    memcpy(s->tmp, p, n);
    s->tmp[n] = '\0';
    cairo_text_extents_t e;
    cairo_text_extents(s->cr, s->tmp, &e);
    return e.x_advance;
}

/* Width of markup text (segments between '*' are bold) at size. */
static double markup_w(struct slip *s, const char *m, double size)
{
    double w = 0;
    bool bold = false;
    for (const char *p = m; *p;) {
        const char *e = strchr(p, '*');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            use_font(s, bold, size);
            w += measure(p, n, s);
        }
        if (!e)
            break;
        bold = !bold;
        p = e + 1;
    }
    return w;
}

static void markup_show(struct slip *s, double x, double base, const char *m, double size)
{
    bool bold = false;
    for (const char *p = m; *p;) {
        const char *e = strchr(p, '*');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            use_font(s, bold, size);
            double w = measure(p, n, s);
            cairo_move_to(s->cr, x, base);
            cairo_show_text(s->cr, s->tmp);
            x += w;
        }
        if (!e)
            break;
        bold = !bold;
        p = e + 1;
    }
}

/* A centred markup line within [x0, x0 + w]; shrinks the size to fit. */
static void centred(struct slip *s, const char *m, double size, double x0, double w)
{
    double tw = markup_w(s, m, size);
    for (int i = 0; tw > w && i < 4; i++) {
        size *= w / tw * 0.995;
        tw = markup_w(s, m, size);
    }
    if (tw > w + 0.5)
        s->overflow++;
    double base = s->y + size * 0.88;
    markup_show(s, x0 + (w - tw) / 2, base, m, size);
    s->y += size * 1.32;
}

static void hrule(struct slip *s, double thick, bool dashed)
{
    cairo_save(s->cr);
    cairo_set_line_width(s->cr, thick);
    if (dashed) {
        double d[] = {8, 6};
        cairo_set_dash(s->cr, d, 2, 0);
    }
    cairo_move_to(s->cr, MARGIN, s->y + thick / 2);
    cairo_line_to(s->cr, SLIP_WIDTH - MARGIN, s->y + thick / 2);
    cairo_stroke(s->cr);
    cairo_restore(s->cr);
    s->y += thick;
}

static void rounded(cairo_t *cr, double x, double y, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -(M_PI / 2), 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, (M_PI / 2));
    cairo_arc(cr, x + r, y + h - r, r, (M_PI / 2), 2 * (M_PI / 2));
    cairo_arc(cr, x + r, y + r, r, 2 * (M_PI / 2), 3 * (M_PI / 2));
    cairo_close_path(cr);
}

static int row(struct slip *s, const struct item *it, const char *label, const char *value)
{
    struct cert_wrap_line lines[ROW_LINES];
    use_font(s, false, it->size);
    double vw = CONTENT_W - LABEL_W;
    int n = cert_wrap_lines(value, vw, measure, s, lines, ROW_LINES);
    if (n < 0)
        return n;
    double lh = it->size * 1.45;
    use_font(s, true, it->size);
    double base = s->y + it->size * 0.9;
    if (measure(label, strlen(label), s) > LABEL_W - 6)
        s->overflow++;
    cairo_move_to(s->cr, MARGIN, base);
    cairo_show_text(s->cr, s->tmp);
    use_font(s, false, it->size);
    for (int i = 0; i < n; i++) {
        if (measure(value + lines[i].off, lines[i].len, s) > vw + 0.5)
            s->overflow++;
        cairo_move_to(s->cr, MARGIN + LABEL_W, base + i * lh);
        cairo_show_text(s->cr, s->tmp);
    }
    s->y += (n > 0 ? n : 1) * lh + 6;
    return 0;
}

static int qr_block(struct slip *s, const struct item *it, const char *url, const char *side)
{
    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return ERR_INVALID;
    int mod = 168 / q->width; /* about 21 mm across */
    if (mod < 3)
        mod = 3;
    int x0 = MARGIN + 4, y0 = (int)(s->y + 0.5);
    int edge = q->width * mod;
    if (x0 + edge > SLIP_WIDTH - MARGIN)
        s->overflow++;
    cairo_save(s->cr);
    cairo_set_antialias(s->cr, CAIRO_ANTIALIAS_NONE);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                cairo_rectangle(s->cr, x0 + x * mod, y0 + y * mod, mod, mod);
    cairo_fill(s->cr);
    cairo_restore(s->cr);
    QRcode_free(q);
    /* The side text, vertically centred on the symbol. */
    char lines[4][128];
    int n = 0;
    for (const char *p = side; *p && n < 4;) {
        const char *e = strchr(p, '\n');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k >= sizeof lines[0])
            k = sizeof lines[0] - 1;
        memcpy(lines[n], p, k);
        lines[n++][k] = '\0';
        p = e ? e + 1 : p + k;
    }
    double lh = it->size * 1.6;
    double tx = x0 + edge + 4 * mod + 8;
    double top = y0 + (edge - n * lh) / 2;
    use_font(s, false, it->size);
    for (int i = 0; i < n; i++) {
        if (tx + measure(lines[i], strlen(lines[i]), s) > SLIP_WIDTH - MARGIN)
            s->overflow++;
        cairo_move_to(s->cr, tx, top + i * lh + it->size * 1.1);
        cairo_show_text(s->cr, s->tmp);
    }
    s->y = y0 + edge;
    return 0;
}

static int draw_item(struct slip *s, const struct slip_ticket *t, const struct item *it)
{
    char a[TEXT_MAX], b[TEXT_MAX];
    bool ha = it->text ? slip_expand(t, it->text, a, sizeof a) : true;
    bool hb = it->text2 ? slip_expand(t, it->text2, b, sizeof b) : true;
    switch (it->kind) {
    case IT_GAP:
        s->y += it->size;
        return 0;
    case IT_RULE:
    case IT_DASH:
        hrule(s, it->size, it->kind == IT_DASH);
        return 0;
    case IT_TEXT:
        if (ha)
            centred(s, a, it->size, MARGIN, CONTENT_W);
        return 0;
    case IT_NUMBER: {
        if (!ha)
            return 0;
        char m[TEXT_MAX + 2];
        snprintf(m, sizeof m, "*%s*", a);
        double size = it->size;
        double tw = markup_w(s, m, size);
        if (tw > CONTENT_W)
            size *= CONTENT_W / tw;
        /* Digits and capitals sit high in a CJK face's em box: place the
         * number by its ink, not its line. */
        use_font(s, true, size);
        cairo_text_extents_t e;
        cairo_text_extents(s->cr, a, &e);
        double x = MARGIN + (CONTENT_W - e.x_advance) / 2;
        double base = s->y - e.y_bearing + 8;
        cairo_move_to(s->cr, x, base);
        cairo_show_text(s->cr, a);
        if (e.x_advance > CONTENT_W + 0.5)
            s->overflow++;
        s->y = base + 22;
        return 0;
    }
    case IT_BOX: {
        if (!ha && !hb)
            return 0;
        double top = s->y;
        s->y += 14;
        if (ha)
            centred(s, a, it->size, MARGIN + 12, CONTENT_W - 24);
        if (hb)
            centred(s, b, it->size2, MARGIN + 12, CONTENT_W - 24);
        s->y += 8;
        cairo_set_line_width(s->cr, 3);
        rounded(s->cr, MARGIN + 1.5, top + 1.5, CONTENT_W - 3, s->y - top - 3, 10);
        cairo_stroke(s->cr);
        return 0;
    }
    case IT_ROW:
        return ha && hb ? row(s, it, a, b) : 0;
    case IT_QR:
        return ha ? qr_block(s, it, a, hb ? b : "") : 0;
    case IT_FOOTER: {
        use_font(s, false, it->size);
        double base = s->y + it->size * 0.9;
        double wa = ha ? measure(a, strlen(a), s) : 0;
        if (ha) {
            cairo_move_to(s->cr, MARGIN, base);
            cairo_show_text(s->cr, a);
        }
        if (hb) {
            double wb = measure(b, strlen(b), s);
            if (wa + wb + 16 > CONTENT_W)
                s->overflow++;
            cairo_move_to(s->cr, SLIP_WIDTH - MARGIN - wb, base);
            cairo_show_text(s->cr, b);
        }
        s->y += it->size * 1.3;
        return 0;
    }
    case IT_VOID: {
        hrule(s, 3, false);
        s->y += 8;
        centred(s, it->text, it->size, MARGIN, CONTENT_W);
        hrule(s, 3, false);
        return 0;
    }
    }
    return ERR_INVALID;
}

/* Demo and training slips end in a black band saying so. A stamp across
 * the slip would hide the number or the wait, the two things a citizen
 * reads; a band below them hides nothing and cannot be missed. */
static void demo_band(struct slip *s)
{
    const double h = 64, y = s->y + 16;
    cairo_save(s->cr);
    cairo_set_source_rgba(s->cr, 0, 0, 0, 1);
    cairo_rectangle(s->cr, 0, y, SLIP_WIDTH, h);
    cairo_fill(s->cr);
    use_font(s, true, 30);
    const char *text = "样张 DEMO · 演示凭条，不能排队";
    cairo_text_extents_t e;
    cairo_text_extents(s->cr, text, &e);
    cairo_set_source_rgba(s->cr, 0, 0, 0, 0); /* clear: white on the 1-bit paper */
    cairo_set_operator(s->cr, CAIRO_OPERATOR_SOURCE);
    cairo_move_to(s->cr, (SLIP_WIDTH - e.x_advance) / 2, y + h / 2 - e.y_bearing - e.height / 2);
    cairo_show_text(s->cr, text);
    cairo_restore(s->cr);
    s->y = y + h;
}

static int compose(const struct slip_ticket *t, const struct item *items, size_t count,
                   const char *font_family, struct slip_raster *out)
{
    memset(out, 0, sizeof *out);
    struct slip s = {0};
    cert_cairo_enter();
    int err = cert_fonts_get(font_family, s.face);
    if (err) {
        cert_cairo_leave();
        return err;
    }
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_A8, SLIP_WIDTH, MAX_ROWS);
    s.cr = cairo_create(surf);
    if (cairo_status(s.cr) != CAIRO_STATUS_SUCCESS) {
        err = ERR_NOMEM;
        goto out;
    }
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(s.cr, fo);
    cairo_font_options_destroy(fo);
    cairo_set_source_rgba(s.cr, 0, 0, 0, 1);
    for (size_t i = 0; i < count && !err; i++) {
        err = draw_item(&s, t, &items[i]);
        if (s.y > MAX_ROWS - 8)
            err = ERR_TOOBIG;
    }
    if (!err && t && t->demo)
        demo_band(&s);
    if (err)
        goto out;
    cairo_surface_flush(surf);
    int rows = (int)(s.y + 0.999);
    out->width = SLIP_WIDTH;
    out->stride = SLIP_WIDTH / 8;
    out->rows = rows;
    out->overflow = s.overflow;
    out->bits = calloc((size_t)rows, (size_t)out->stride);
    if (!out->bits) {
        err = ERR_NOMEM;
        goto out;
    }
    const uint8_t *px = cairo_image_surface_get_data(surf);
    int ps = cairo_image_surface_get_stride(surf);
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < SLIP_WIDTH; x++)
            if (px[y * ps + x] >= 128)
                out->bits[(size_t)y * (size_t)out->stride + (size_t)(x / 8)] |=
                    (uint8_t)(0x80 >> (x % 8));
out:
    if (err)
        slip_raster_fini(out);
    if (s.cr && cairo_status(s.cr) != CAIRO_STATUS_SUCCESS && !err) {
        err = ERR_IO;
        slip_raster_fini(out);
    }
    cairo_destroy(s.cr);
    cairo_surface_destroy(surf);
    cairo_font_face_destroy(s.face[0]);
    cairo_font_face_destroy(s.face[1]);
    cert_cairo_leave();
    return err;
}

static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0)
            return false;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

int slip_compose(const struct slip_ticket *t, const char *font_family, struct slip_raster *out)
{
    if (!out)
        return ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (!t || (unsigned)t->kind >= SLIP_KIND_COUNT || !t->number[0] || t->material_count < 0 ||
        t->material_count > SLIP_MATERIALS_MAX)
        return ERR_INVALID;
#define TXT(f)                                                                                     \
    {                                                                                              \
        t->f, sizeof t->f                                                                          \
    }
    const struct {
        const char *s;
        size_t n;
    } texts[] = {TXT(office),     TXT(hall),       TXT(number),      TXT(service),
                 TXT(windows),    TXT(time_limit), TXT(appointment), TXT(follow_url),
                 TXT(printed_at), TXT(terminal)};
#undef TXT
    for (size_t i = 0; i < ARRAY_LEN(texts); i++)
        if (!memchr(texts[i].s, '\0', texts[i].n) || !utf8_ok(texts[i].s))
            return ERR_INVALID;
    for (int i = 0; i < t->material_count; i++)
        if (!memchr(t->materials[i], '\0', sizeof t->materials[i]) || !utf8_ok(t->materials[i]))
            return ERR_INVALID;
    return compose(t, layouts[t->kind].items, layouts[t->kind].n, font_family, out);
}

int slip_compose_void(const char *font_family, struct slip_raster *out)
{
    static const struct slip_ticket none;
    return compose(&none, void_layout, ARRAY_LEN(void_layout), font_family, out);
}
