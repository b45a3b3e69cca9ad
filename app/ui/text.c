/* text.c - line breaking and drawing text; the fonts and the caches are
 * text_cache.c's.
 *
 * DESIGN: two SDL_ttf fonts (Noto Sans CJK SC Regular and Bold) switched
 * between sizes with TTF_SetFontSize. Text is rendered white and tinted
 * with a colour mod, so one texture serves every colour; textures and the
 * widths of pieces are cached (text_cache.c), so laying out a screen
 * again costs lookups only. Sizes and widths are in
 * design pixels and measured at the design size, so a screen lays out the
 * same on every display; the textures are rendered at the display's real
 * density (geometry.h) and drawn into the design-sized box, so text stays
 * crisp where one design pixel is several real ones.
 *
 * Line breaking (TOKENS §3): CJK may break between any two characters,
 * but a run of ASCII (numbers, IDs, unit numbers, times) is one piece,
 * closing punctuation sticks to what precedes it and opening punctuation
 * to what follows, "3 号" stays together, addresses prefer to break after a
 * component (…号 / …区 / …路), and the last line never holds one lone
 * character. Markup: <b>bold</b> and <em>accent</em> (bold, accent colour).
 * UI thread only.
 */
#include "ui/kit.h"
#include "ui/text_internal.h"

#include "base/err.h"
#include "base/log.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIECES_MAX  512
#define LINES_MAX   24
#define PIECE_BYTES 96

struct text_style text_role(const struct kit *k, enum theme_text role, uint32_t color)
{
    const struct theme_type *t = &k->th.type[role];
    struct text_style st = {
        .size = t->size, .line = t->line, .bold = t->bold, .color = color, .accent = k->th.c.link};
    return st;
}

/* ---- pieces ---------------------------------------------------------- */

enum { RUN_PLAIN = 0, RUN_BOLD = 1, RUN_ACCENT = 2 };

struct piece {
    const char *s;
    int n;   /* bytes */
    int cps; /* code points */
    int run; /* RUN_* */
    int width;
    bool space;      /* a breakable space */
    bool newline;    /* forced break after */
    bool addr_break; /* an address component ends here */
    bool cjk;
};

static uint32_t decode(const char *s, int *len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *len = 1;
        return u[0];
    }
    if ((u[0] & 0xE0) == 0xC0 && u[1]) {
        *len = 2;
        return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    }
    if ((u[0] & 0xF0) == 0xE0 && u[1] && u[2]) {
        *len = 3;
        return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    }
    if ((u[0] & 0xF8) == 0xF0 && u[1] && u[2] && u[3]) {
        *len = 4;
        return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
               ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    }
    *len = 1;
    return 0xFFFD;
}

static bool in_set(uint32_t cp, const char *set)
{
    for (const char *p = set; *p;) {
        int l;
        uint32_t c = decode(p, &l);
        if (c == cp)
            return true;
        p += l;
    }
    return false;
}

static const char closing[] = "，。、；：！？）」』”’》〉】,.;:!?)%…·";
static const char opening[] = "（「『“‘《〈【(";
/* Counter characters that stay with a number before them ("3 号"). */
static const char counters[] = "号份人秒页处项天步层楼室元米日月年分个套平万次";
static const char addr_ends[] = "号区县市镇乡村路街道巷弄幢组";

static bool is_word_char(uint32_t cp)
{
    return cp > 0x20 && cp < 0x7F;
}

/* Markup tags: <b>bold</b> and <em>accent</em>. Returns the tag's length
 * (negative for a closing tag), or 0. Data (masked names like 张**) never
 * holds these, so it can be mixed into templates safely. */
static int markup_tag(const char *p)
{
    if (p[0] != '<')
        return 0;
    if (strncmp(p, "<b>", 3) == 0)
        return 3;
    if (strncmp(p, "</b>", 4) == 0)
        return -4;
    if (strncmp(p, "<em>", 4) == 0)
        return 4;
    if (strncmp(p, "</em>", 5) == 0)
        return -5;
    return 0;
}

static int markup_run(const char *p)
{
    return p[1] == 'b' ? RUN_BOLD : RUN_ACCENT;
}

/* Splits s (with markup) into pieces. Returns the count. */
static int split(const char *s, struct piece *out, int max)
{
    int n = 0, run = RUN_PLAIN;
    const char *p = s;
    bool glue_next = false; /* previous piece was opening punctuation */
    while (*p && n < max) {
        int tag = markup_tag(p);
        if (tag) {
            run = tag > 0 ? markup_run(p) : RUN_PLAIN;
            p += tag > 0 ? tag : -tag;
            continue;
        }
        int l;
        uint32_t cp = decode(p, &l);
        if (cp == '\n') {
            if (n > 0)
                out[n - 1].newline = true;
            else
                out[n++] = (struct piece){.s = p, .n = 0, .run = run, .newline = true};
            p += l;
            glue_next = false;
            continue;
        }
        struct piece pc = {.s = p, .n = l, .cps = 1, .run = run};
        if (cp == ' ') {
            /* "3 号": the space between a number and its counter does not break */
            int l2;
            uint32_t next = decode(p + 1, &l2);
            bool num_before = n > 0 && out[n - 1].n > 0 && out[n - 1].s[out[n - 1].n - 1] >= '0' &&
                              out[n - 1].s[out[n - 1].n - 1] <= '9';
            if (num_before && in_set(next, counters) && out[n - 1].run == run) {
                out[n - 1].n += l;
                out[n - 1].cps++;
                p += l;
                glue_next = true;
                continue;
            }
            pc.space = true;
        } else if (is_word_char(cp)) {
            const char *q = p + l;
            while (*q && !markup_tag(q)) {
                int l3;
                uint32_t c3 = decode(q, &l3);
                if (!is_word_char(c3))
                    break;
                q += l3;
                pc.cps++;
            }
            pc.n = (int)(q - p);
        } else {
            pc.cjk = true;
        }
        bool attach = n > 0 && !out[n - 1].space && !out[n - 1].newline && out[n - 1].run == run &&
                      (glue_next || (!pc.space && in_set(cp, closing)));
        if (attach) {
            out[n - 1].n += pc.n;
            out[n - 1].cps += pc.cps;
            out[n - 1].cjk = out[n - 1].cjk || pc.cjk;
        } else {
            out[n++] = pc;
        }
        glue_next = !pc.space && in_set(cp, opening);
        p += pc.n;
    }
    /* mark address component ends: after 号 not followed by 楼/院, and the others */
    for (int i = 0; i < n; i++) {
        const char *last = out[i].s + out[i].n;
        /* find the last code point of the piece */
        const char *q = out[i].s;
        uint32_t lc = 0;
        while (q < last) {
            int l;
            lc = decode(q, &l);
            q += l;
        }
        if (!in_set(lc, addr_ends) || i + 1 >= n)
            continue;
        int l;
        uint32_t next = decode(out[i + 1].s, &l);
        if (lc == 0x53F7 /* 号 */ && (next == 0x697C /* 楼 */ || next == 0x9662 /* 院 */))
            continue;
        if (next >= '0' && next <= '9' && lc != 0x53F7)
            continue;
        out[i].addr_break = true;
    }
    return n;
}

static int run_size(const struct text_style *st)
{
    return st->size;
}

static bool run_bold(const struct text_style *st, int run)
{
    return st->bold || run != RUN_PLAIN;
}

struct line {
    int first, count; /* pieces */
    int width;
};

/* Lays pieces into lines of at most w px. Returns the line count. */
static int layout(struct kit *k, const char *s, int w, const struct text_style *st,
                  struct piece *pc, int *npc, struct line *lines, bool *overflow)
{
    int n = split(s, pc, PIECES_MAX);
    *npc = n;
    for (int i = 0; i < n; i++)
        pc[i].width =
            text_piece_width(k, pc[i].s, (size_t)pc[i].n, run_size(st), run_bold(st, pc[i].run));
    int nl = 0, i = 0;
    *overflow = false;
    while (i < n && nl < LINES_MAX) {
        /* skip spaces at the start of a line */
        while (i < n && pc[i].space && !pc[i].newline)
            i++;
        if (i >= n)
            break;
        int start = i, width = 0, j = i;
        int brk = -1; /* last piece index (exclusive end) where we may break */
        int addr_brk = -1;
        for (; j < n; j++) {
            int nw = width + pc[j].width;
            if (nw > w && j > start) {
                break;
            }
            if (nw > w) {
                *overflow = true; /* a single piece wider than the box */
            }
            width = nw;
            if (pc[j].newline) {
                j++;
                brk = j;
                goto done;
            }
            brk = j + 1;
            if (pc[j].addr_break)
                addr_brk = j + 1;
        }
        if (j < n) {
            /* did not fit: break at the last opportunity, preferring an
             * address boundary when it keeps at least a third of the line */
            if (st->address && addr_brk > start) {
                int aw = 0;
                for (int q = start; q < addr_brk; q++)
                    aw += pc[q].width;
                if (aw * 3 >= w)
                    brk = addr_brk;
            }
        }
    done:
        if (brk <= start)
            brk = start + 1;
        int end = brk;
        /* trailing spaces do not count */
        int lw = 0, last = end;
        while (last > start && pc[last - 1].space)
            last--;
        for (int q = start; q < last; q++)
            lw += pc[q].width;
        lines[nl].first = start;
        lines[nl].count = last - start;
        lines[nl].width = lw;
        nl++;
        i = end;
    }
    if (i < n)
        *overflow = true;
    /* no lone last character: borrow one piece from the line before */
    if (nl >= 2) {
        struct line *a = &lines[nl - 2], *b = &lines[nl - 1];
        bool a_forced = pc[a->first + a->count - 1].newline ||
                        (a->first + a->count < n && pc[a->first + a->count].newline);
        if (b->count == 1 && pc[b->first].cjk && pc[b->first].cps <= 2 && a->count >= 3 &&
            !a_forced && !pc[a->first + a->count - 1].space) {
            int moved = a->first + a->count - 1;
            if (b->width + pc[moved].width <= w) {
                a->count--;
                a->width -= pc[moved].width;
                b->first = moved;
                b->count++;
                b->width += pc[moved].width;
            }
        }
    }
    return nl;
}

/* The width of a texture in design pixels. */
static int design_w(const struct kit *k, const struct text_entry *e)
{
    return kit_dense(k) ? (int)ceil(e->w / k->density) : e->w;
}

/* Draws e tinted col with its left at x, centred on a line of height
 * line whose top is y (design pixels). */
static void blit(struct kit *k, const struct text_entry *e, int x, int y, int line, uint32_t col)
{
    SDL_SetTextureColorMod(e->tex, (col >> 16) & 0xFF, (col >> 8) & 0xFF, col & 0xFF);
    if (!kit_dense(k)) {
        SDL_Rect dst = {x, y + (line - e->h) / 2, e->w, e->h};
        SDL_RenderCopy(k->r, e->tex, NULL, &dst);
        return;
    }
    float w = (float)(e->w / k->density), h = (float)(e->h / k->density);
    SDL_FRect dst = kit_snap(k, (SDL_FRect){(float)x, (float)y + ((float)line - h) / 2, w, h});
    SDL_RenderCopyF(k->r, e->tex, NULL, &dst);
}

/* Draws pieces [first, first+count) as runs starting at x, top y. */
static void draw_pieces(struct kit *k, const struct piece *pc, int first, int count, int x, int y,
                        const struct text_style *st)
{
    if (count > 0 && st->size < k->text_min)
        k->text_min = st->size;
    int q = first, end = first + count;
    while (q < end) {
        int run = pc[q].run;
        const char *s0 = pc[q].s;
        const char *s1 = pc[q].s + pc[q].n;
        int r = q + 1;
        while (r < end && pc[r].run == run && pc[r].s == s1) {
            s1 = pc[r].s + pc[r].n;
            r++;
        }
        int width = 0;
        for (int t = q; t < r; t++)
            width += pc[t].width;
        size_t n = (size_t)(s1 - s0);
        if (n > 0) {
            struct text_entry *e = text_texture_for(k, s0, n, st->size, run_bold(st, run));
            if (e) {
                blit(k, e, x, y, st->line, run == RUN_ACCENT ? st->accent : st->color);
                int ew = design_w(k, e);
                width = ew > width ? ew : width;
            }
        }
        x += width;
        q = r;
    }
}

static struct piece g_pieces[PIECES_MAX];

/* Tabular digits: each digit in a cell as wide as the widest digit. */
static int draw_tabular(struct kit *k, const char *s, int x, int y, const struct text_style *st,
                        bool draw)
{
    int cell = 0;
    for (int digit = '0'; digit <= '9'; digit++) {
        char d = (char)digit;
        int w = text_piece_width(k, &d, 1, st->size, st->bold);
        if (w > cell)
            cell = w;
    }
    int cx = x;
    if (draw && *s && st->size < k->text_min)
        k->text_min = st->size;
    for (const char *p = s; *p;) {
        int l;
        uint32_t cp = decode(p, &l);
        int w =
            (cp >= '0' && cp <= '9') ? cell : text_piece_width(k, p, (size_t)l, st->size, st->bold);
        if (draw) {
            struct text_entry *e = text_texture_for(k, p, (size_t)l, st->size, st->bold);
            if (e)
                blit(k, e, cx + (w - design_w(k, e)) / 2, y, st->line, st->color);
        }
        cx += w;
        p += l;
    }
    return cx - x;
}

int text_width(struct kit *k, const char *s, const struct text_style *st)
{
    if (!s || !*s)
        return 0;
    if (st->tabular)
        return draw_tabular(k, s, 0, 0, st, false);
    int n = split(s, g_pieces, PIECES_MAX), w = 0;
    for (int i = 0; i < n; i++)
        w += text_piece_width(k, g_pieces[i].s, (size_t)g_pieces[i].n, st->size,
                              run_bold(st, g_pieces[i].run));
    return w;
}

int text_draw(struct kit *k, const char *s, int x, int y, const struct text_style *st)
{
    if (!s || !*s)
        return 0;
    int w = text_width(k, s, st);
    int x0 = st->align == ALIGN_CENTER ? x - w / 2 : st->align == ALIGN_RIGHT ? x - w : x;
    if (st->tabular)
        return draw_tabular(k, s, x0, y, st, true);
    int n = split(s, g_pieces, PIECES_MAX);
    for (int i = 0; i < n; i++)
        g_pieces[i].width = text_piece_width(k, g_pieces[i].s, (size_t)g_pieces[i].n, st->size,
                                             run_bold(st, g_pieces[i].run));
    draw_pieces(k, g_pieces, 0, n, x0, y, st);
    return w;
}

static int box(struct kit *k, const char *s, int x, int y, int w, const struct text_style *st,
               bool draw, int *nlines)
{
    static struct line lines[LINES_MAX];
    if (!s || !*s) {
        *nlines = 0;
        return 0;
    }
    int npc;
    bool overflow;
    int nl = layout(k, s, w, st, g_pieces, &npc, lines, &overflow);
    *nlines = nl;
    if (draw) {
        char plain[64];
        if (overflow) {
            kit_plain(plain, sizeof plain, s);
            kit_issue(k, "text does not fit %d px: %s", w, plain);
        }
        if (st->max_lines && nl > st->max_lines) {
            kit_plain(plain, sizeof plain, s);
            kit_issue(k, "text needs %d lines (max %d): %s", nl, st->max_lines, plain);
        }
        for (int i = 0; i < nl; i++) {
            int lx = x;
            if (st->align == ALIGN_CENTER)
                lx = x + (w - lines[i].width) / 2;
            else if (st->align == ALIGN_RIGHT)
                lx = x + w - lines[i].width;
            draw_pieces(k, g_pieces, lines[i].first, lines[i].count, lx, y + i * st->line, st);
        }
    }
    return nl * st->line;
}

int text_box(struct kit *k, const char *s, int x, int y, int w, const struct text_style *st)
{
    int nl;
    return box(k, s, x, y, w, st, true, &nl);
}

int text_box_height(struct kit *k, const char *s, int w, const struct text_style *st)
{
    int nl;
    return box(k, s, 0, 0, w, st, false, &nl);
}

int text_box_lines(struct kit *k, const char *s, int w, const struct text_style *st)
{
    int nl;
    box(k, s, 0, 0, w, st, false, &nl);
    return nl;
}

void kit_plain(char *out, size_t size, const char *s)
{
    size_t w = 0;
    if (!size)
        return;
    for (const char *p = s ? s : ""; *p && w + 1 < size;) {
        int tag = markup_tag(p);
        if (tag) {
            p += tag > 0 ? tag : -tag;
            continue;
        }
        int l;
        decode(p, &l);
        if (w + (size_t)l + 1 > size)
            break;
        memcpy(out + w, p, (size_t)l);
        w += (size_t)l;
        p += l;
    }
    out[w] = '\0';
}

void kit_issue(struct kit *k, const char *fmt, ...)
{
    if (k->issues < KIT_ISSUES_MAX) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(k->issue[k->issues], sizeof k->issue[0], fmt, ap);
        va_end(ap);
    }
    k->issues++;
}
