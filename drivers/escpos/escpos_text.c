/* escpos_text.c - characters as a slip printer prints them: bytes of the
 * selected code page (ESC t) or GB18030 double-byte codes (FS &) become
 * Unicode through iconv, glyphs come from a fixed-pitch CJK font (Noto
 * Sans Mono CJK through fontconfig and FreeType, rendered 1-bit), in the
 * printer's cells (Font A 12x24, Font B 9x17, double-byte 24x24), then
 * widened, heightened, emboldened, underlined or reversed as the modes say
 * and laid into the line buffer. Pure apart from the font, which is opened
 * once per process and used under a lock, with a cache of cells.
 */
#include "drivers/escpos/escpos_internal.h"

#include "base/err.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define FONT_FAMILY "Noto Sans Mono CJK SC"
#define CELL_MAX    24
#define CACHE_SLOTS 4096

enum cell_kind { CELL_A, CELL_B, CELL_WIDE };

static const struct {
    int w, h, px, baseline;
} cells[] = {
    [CELL_A] = {12, 24, 24, 21},
    [CELL_B] = {9, 17, 17, 15},
    [CELL_WIDE] = {24, 24, 24, 21},
};

struct cell {
    uint32_t key;               /* cp * 4 + kind + 1; 0: free */
    uint8_t bits[CELL_MAX * 3]; /* 3 bytes a row */
};

static pthread_mutex_t font_lock = PTHREAD_MUTEX_INITIALIZER;
static FT_Library ft;
static FT_Face face;
static int font_state; /* 0 not tried, 1 open, -1 none */
static struct cell *cache;

/* Opens the font once. Lock held. */
static void font_open(void)
{
    if (font_state)
        return;
    font_state = -1;
    if (!FcInit())
        return;
    FcPattern *p = FcPatternCreate();
    if (!p)
        return;
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)FONT_FAMILY);
    FcPatternAddString(p, FC_LANG, (const FcChar8 *)"zh-cn");
    FcPatternAddInteger(p, FC_SPACING, FC_MONO);
    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, p, &res);
    FcPatternDestroy(p);
    FcChar8 *file = NULL;
    int index = 0;
    if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
        FcPatternGetInteger(m, FC_INDEX, 0, &index);
        if (FT_Init_FreeType(&ft) == 0) {
            if (FT_New_Face(ft, (const char *)file, index, &face) == 0)
                font_state = 1;
            else
                FT_Done_FreeType(ft);
        }
    }
    if (m)
        FcPatternDestroy(m);
    if (font_state == 1)
        cache = calloc(CACHE_SLOTS, sizeof *cache);
}

static void set_dot(uint8_t *bits, int stride, int x, int y)
{
    bits[(size_t)y * (size_t)stride + (size_t)(x / 8)] |= (uint8_t)(0x80 >> (x % 8));
}

static bool get_dot(const uint8_t *bits, int stride, int x, int y)
{
    return bits[(size_t)y * (size_t)stride + (size_t)(x / 8)] & (0x80 >> (x % 8));
}

/* Renders cp into a cell (3 bytes a row). Lock held, font open. */
static void render_cell(uint32_t cp, enum cell_kind k, uint8_t *out)
{
    memset(out, 0, CELL_MAX * 3);
    FT_Set_Pixel_Sizes(face, 0, (FT_UInt)cells[k].px);
    FT_UInt gi = FT_Get_Char_Index(face, cp);
    if (FT_Load_Glyph(face, gi, FT_LOAD_DEFAULT | FT_LOAD_TARGET_MONO))
        return;
    /* A full-width glyph in a half-width cell (box drawing in CP437 and
     * the like) is squeezed to the cell, as a printer's ROM has it. */
    long adv = face->glyph->advance.x >> 6;
    FT_Matrix mx = {0x10000, 0, 0, 0x10000};
    if (adv > cells[k].w) {
        mx.xx = (FT_Fixed)(0x10000L * cells[k].w / adv);
        FT_Set_Transform(face, &mx, NULL);
        int rc = FT_Load_Glyph(face, gi, FT_LOAD_DEFAULT | FT_LOAD_TARGET_MONO);
        FT_Set_Transform(face, NULL, NULL);
        if (rc)
            return;
    }
    if (FT_Render_Glyph(face->glyph, FT_RENDER_MODE_MONO))
        return;
    const FT_Bitmap *bm = &face->glyph->bitmap;
    if (bm->pixel_mode != FT_PIXEL_MODE_MONO)
        return;
    int ox = face->glyph->bitmap_left;
    int oy = cells[k].baseline - face->glyph->bitmap_top;
    for (unsigned y = 0; y < bm->rows; y++)
        for (unsigned x = 0; x < bm->width; x++) {
            int tx = ox + (int)x, ty = oy + (int)y;
            if (tx < 0 || ty < 0 || tx >= cells[k].w || ty >= cells[k].h)
                continue;
            if (bm->buffer[(size_t)y * (size_t)bm->pitch + x / 8] & (0x80 >> (x % 8)))
                set_dot(out, 3, tx, ty);
        }
}

/* The cell of cp, copied into out (3 bytes a row). A missing font leaves
 * an outlined box, so a slip still shows where text was. */
static void glyph(uint32_t cp, enum cell_kind k, uint8_t *out)
{
    pthread_mutex_lock(&font_lock);
    font_open();
    if (font_state != 1) {
        pthread_mutex_unlock(&font_lock);
        memset(out, 0, CELL_MAX * 3);
        if (cp == ' ')
            return;
        for (int x = 1; x < cells[k].w - 1; x++) {
            set_dot(out, 3, x, 2);
            set_dot(out, 3, x, cells[k].h - 3);
        }
        for (int y = 2; y < cells[k].h - 2; y++) {
            set_dot(out, 3, 1, y);
            set_dot(out, 3, cells[k].w - 2, y);
        }
        return;
    }
    uint32_t key = cp * 4u + (uint32_t)k + 1u;
    size_t h = (size_t)(key * 2654435761u) % CACHE_SLOTS;
    struct cell *c = NULL;
    for (int probe = 0; cache && probe < 8; probe++) {
        struct cell *e = &cache[(h + (size_t)probe) % CACHE_SLOTS];
        if (e->key == key || e->key == 0) {
            c = e;
            break;
        }
    }
    if (c && c->key == key) {
        memcpy(out, c->bits, sizeof c->bits);
    } else {
        render_cell(cp, k, out);
        if (c) {
            c->key = key;
            memcpy(c->bits, out, sizeof c->bits);
        }
    }
    pthread_mutex_unlock(&font_lock);
}

/* ---- code pages ---------------------------------------------------------- */

static const char *codepage_name(int n)
{
    static const struct {
        int n;
        const char *name;
    } pages[] = {
        {0, "CP437"},       {2, "IBM850"},       {3, "IBM860"},  {4, "IBM863"},      {5, "IBM865"},
        {11, "IBM851"},     {13, "IBM857"},      {14, "CP737"},  {15, "ISO-8859-7"}, {16, "CP1252"},
        {17, "IBM866"},     {18, "IBM852"},      {19, "IBM858"}, {21, "TIS-620"},    {33, "CP775"},
        {34, "IBM855"},     {35, "IBM861"},      {36, "IBM862"}, {37, "IBM864"},     {38, "IBM869"},
        {39, "ISO-8859-2"}, {40, "ISO-8859-15"}, {44, "CP1125"}, {45, "CP1250"},     {46, "CP1251"},
        {47, "CP1253"},     {48, "CP1254"},      {49, "CP1255"}, {50, "CP1256"},     {51, "CP1257"},
        {52, "CP1258"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (pages[i].n == n)
            return pages[i].name;
    return "CP437"; /* a table this decoder lacks: the printer's default */
}

/* First code point of UTF-8 in s (k bytes); '?' when malformed. */
static uint32_t utf8_first(const uint8_t *s, size_t k)
{
    if (k == 0)
        return '?';
    if (s[0] < 0x80)
        return s[0];
    int n = s[0] >= 0xF0 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC0 ? 1 : -1;
    if (n < 0 || (size_t)n >= k)
        return '?';
    uint32_t cp = s[0] & (0x3F >> n);
    for (int i = 1; i <= n; i++)
        cp = cp << 6 | (s[i] & 0x3F);
    return cp;
}

static uint32_t convert(iconv_t cd, const uint8_t *p, size_t n)
{
    if (cd == (iconv_t)-1)
        return '?';
    char in[4], out[16];
    memcpy(in, p, n < 4 ? n : 4);
    char *ip = in, *op = out;
    size_t il = n < 4 ? n : 4, ol = sizeof out;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
        return '?';
    return utf8_first((const uint8_t *)out, sizeof out - ol);
}

uint32_t escpos_codepage_char(struct escpos_state *s, uint8_t b)
{
    if (b < 0x80)
        return b;
    if (s->cd == (iconv_t)-1 || s->cd_page != s->codepage) {
        if (s->cd != (iconv_t)-1)
            iconv_close(s->cd);
        s->cd = iconv_open("UTF-8", codepage_name(s->codepage));
        s->cd_page = s->codepage;
    }
    return convert(s->cd, &b, 1);
}

uint32_t escpos_gb_char(struct escpos_state *s, const uint8_t *p, size_t n)
{
    if (s->gb == (iconv_t)-1)
        s->gb = iconv_open("UTF-8", "GB18030");
    return convert(s->gb, p, n);
}

void escpos_text_fini(struct escpos_state *s)
{
    if (s->cd != (iconv_t)-1)
        iconv_close(s->cd);
    if (s->gb != (iconv_t)-1)
        iconv_close(s->gb);
    s->cd = s->gb = (iconv_t)-1;
    free(s->arena);
    s->arena = NULL;
    s->arena_len = s->arena_cap = 0;
}

/* ---- the line buffer ----------------------------------------------------- */

int escpos_line_print(struct escpos_decoder *d, int feed)
{
    struct escpos_state *s = d->st;
    if (s->nitems == 0)
        return feed > 0 ? escpos_page_grow(d, feed) : 0;
    int h = 0;
    for (int i = 0; i < s->nitems; i++)
        h = s->items[i].h > h ? s->items[i].h : h;
    int left, width;
    escpos_area(s, &left, &width);
    int x0 = left;
    if (s->x < width)
        x0 += s->align == 1 ? (width - s->x) / 2 : s->align == 2 ? width - s->x : 0;
    int rows = h > feed ? h : feed;
    int rc = escpos_page_grow(d, rows);
    if (!rc) {
        int y0 = d->page.rows - rows;
        for (int i = 0; i < s->nitems; i++) {
            const struct escpos_item *it = &s->items[i];
            escpos_blit(d->page.bits, d->page.stride, left + width, d->page.rows, x0 + it->x,
                        y0 + h - it->h, s->arena + it->off, (it->w + 7) / 8, it->w, it->h);
        }
    }
    s->nitems = 0;
    s->x = 0;
    s->arena_len = 0;
    return rc;
}

int escpos_line_add(struct escpos_decoder *d, const uint8_t *bits, int w, int h, int stride)
{
    struct escpos_state *s = d->st;
    int left, width;
    escpos_area(s, &left, &width);
    int rc = 0;
    if ((s->x > 0 && s->x + w > width) || s->nitems == ESCPOS_LINE_ITEMS)
        rc = escpos_line_print(d, s->line_spacing); /* the line is full: it wraps */
    if (rc)
        return rc;
    int ws = (w + 7) / 8;
    size_t need = (size_t)ws * (size_t)h;
    if (s->arena_len + need > s->arena_cap) {
        size_t cap = s->arena_cap ? s->arena_cap : 4096;
        while (cap < s->arena_len + need)
            cap *= 2;
        if (cap > ESCPOS_ARENA_MAX)
            return ERR_TOOBIG;
        uint8_t *nb = realloc(s->arena, cap);
        if (!nb)
            return ERR_NOMEM;
        s->arena = nb;
        s->arena_cap = cap;
    }
    uint8_t *t = s->arena + s->arena_len;
    for (int y = 0; y < h; y++)
        memcpy(t + (size_t)y * (size_t)ws, bits + (size_t)y * (size_t)stride, (size_t)ws);
    s->items[s->nitems++] = (struct escpos_item){.x = s->x, .w = w, .h = h, .off = s->arena_len};
    s->arena_len += need;
    s->x += w;
    return 0;
}

/* The cell scaled and styled into an item of the line. */
int escpos_text_put(struct escpos_decoder *d, uint32_t cp, bool wide)
{
    struct escpos_state *s = d->st;
    enum cell_kind k = wide ? CELL_WIDE : s->font ? CELL_B : CELL_A;
    uint8_t cell[CELL_MAX * 3];
    glyph(cp, k, cell);
    int cw = cells[k].w, ch = cells[k].h;
    int wm = s->wmul, hm = s->hmul, lead = 0, space = s->char_space, ul = s->underline;
    if (wide) {
        wm = s->cjk_wmul > wm ? s->cjk_wmul : wm;
        hm = s->cjk_hmul > hm ? s->cjk_hmul : hm;
        lead = s->cjk_left;
        space = s->cjk_right;
        ul = s->cjk_underline > ul ? s->cjk_underline : ul;
    }
    int w = (lead + cw + space) * wm, h = ch * hm;
    int stride = (w + 7) / 8;
    uint8_t *bits = calloc((size_t)stride, (size_t)h);
    if (!bits)
        return ERR_NOMEM;
    for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw; x++) {
            /* emphasis is the printer's double strike: one dot to the right */
            bool on = get_dot(cell, 3, x, y) || (s->bold && x > 0 && get_dot(cell, 3, x - 1, y));
            if (!on)
                continue;
            for (int yy = 0; yy < hm; yy++)
                for (int xx = 0; xx < wm; xx++)
                    set_dot(bits, stride, (lead + x) * wm + xx, y * hm + yy);
        }
    for (int y = h - ul; ul && y < h; y++)
        for (int x = 0; x < w; x++)
            set_dot(bits, stride, x, y);
    if (s->reverse)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                bits[(size_t)y * (size_t)stride + (size_t)(x / 8)] ^= (uint8_t)(0x80 >> (x % 8));
    int rc = escpos_line_add(d, bits, w, h, stride);
    free(bits);
    return rc;
}

int escpos_text_tab(struct escpos_decoder *d)
{
    struct escpos_state *s = d->st;
    int cw = (cells[s->font ? CELL_B : CELL_A].w + s->char_space) * s->wmul;
    int col = s->x / cw, next = -1;
    if (s->tabs[0] == 0) {
        next = (col / 8 + 1) * 8;
    } else {
        for (int i = 0; i < 32 && s->tabs[i]; i++)
            if (s->tabs[i] > col) {
                next = s->tabs[i];
                break;
            }
    }
    int left, width;
    escpos_area(s, &left, &width);
    if (next > 0 && next * cw <= width)
        s->x = next * cw;
    return 0;
}

int escpos_text_bitmap(const char *text, int font, int min_w, uint8_t **out, int *w, int *h)
{
    enum cell_kind k = font ? CELL_B : CELL_A;
    int n = (int)strlen(text);
    int tw = n * cells[k].w;
    *w = tw > min_w ? tw : min_w;
    *h = cells[k].h;
    int stride = (*w + 7) / 8;
    *out = calloc((size_t)stride, (size_t)*h);
    if (!*out)
        return ERR_NOMEM;
    int x0 = (*w - tw) / 2;
    for (int i = 0; i < n; i++) {
        uint8_t cell[CELL_MAX * 3];
        glyph((uint8_t)text[i], k, cell);
        escpos_blit(*out, stride, *w, *h, x0 + i * cells[k].w, 0, cell, 3, cells[k].w, cells[k].h);
    }
    return 0;
}
