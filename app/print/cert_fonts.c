/* cert_fonts.c - the certificate's faces: fontconfig match, wrapped in a
 * cairo user font that draws each glyph from its outline (see WHY A USER
 * FONT below), cached per family; and the kiosk's use of cairo, given
 * back between visits (see WHY CAIRO IS GIVEN BACK below). Any thread;
 * the cache is locked.
 */
#include "print/cert_internal.h"

#include "base/err.h"
#include "base/filemap.h"
#include "base/log.h"
#include "base/util.h"

#include <cairo-ft.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ---- fonts ------------------------------------------------------------ */

/* WHY A USER FONT: cairo 1.16's CFF subsetter (the one Debian 12 ships)
 * silently blanks some glyphs of Noto Sans CJK in small subsets: "如"
 * alone prints as a gap. So the OpenType face is wrapped in a cairo user
 * font that draws each glyph from its outline. The PDF then embeds the
 * glyphs as a Type 3 font, with a ToUnicode map, so the text is still
 * real text; every glyph is drawn from the same outline on paper and on
 * the preview. Outlines are taken at 1000 units per em and scaled down
 * (FreeType quantises to 1/64 of the requested size). */
#define OUTLINE_UPM 1000.0

/* Glyphs outlined between two drops of the font files' pages
 * (base/filemap): FreeType reads a glyph's outline once, and the kernel
 * maps 64 kB of the file around each glyph it reads, so a certificate's
 * few hundred glyphs would otherwise hold most of two 19 MB files in the
 * kiosk's resident memory while it is composed. */
#define GLYPHS_PER_FONT_RELEASE 32
static atomic_int glyphs_outlined;

static const cairo_user_data_key_t outline_key;

static cairo_scaled_font_t *outline_source(cairo_scaled_font_t *sf)
{
    return cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(sf), &outline_key);
}

static cairo_status_t outline_init(cairo_scaled_font_t *sf, cairo_t *cr, cairo_font_extents_t *ext)
{
    (void)cr;
    cairo_font_extents_t e;
    cairo_scaled_font_extents(outline_source(sf), &e);
    ext->ascent = e.ascent / OUTLINE_UPM;
    ext->descent = e.descent / OUTLINE_UPM;
    ext->height = e.height / OUTLINE_UPM;
    ext->max_x_advance = e.max_x_advance / OUTLINE_UPM;
    ext->max_y_advance = 0;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t outline_render(cairo_scaled_font_t *sf, unsigned long glyph, cairo_t *cr,
                                     cairo_text_extents_t *ext)
{
    cairo_scaled_font_t *src = outline_source(sf);
    cairo_glyph_t g = {.index = glyph};
    cairo_text_extents_t e;
    cairo_scaled_font_glyph_extents(src, &g, 1, &e);
    ext->x_advance = e.x_advance / OUTLINE_UPM;
    ext->y_advance = 0;
    /* The outline at full size, in a scratch context of our own. */
    cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *t = cairo_create(scratch);
    cairo_set_scaled_font(t, src);
    cairo_glyph_path(t, &g, 1);
    cairo_path_t *path = cairo_copy_path(t);
    cairo_status_t st = path->status;
    if (st == CAIRO_STATUS_SUCCESS) {
        cairo_scale(cr, 1 / OUTLINE_UPM, 1 / OUTLINE_UPM);
        cairo_append_path(cr, path);
        cairo_fill(cr);
    }
    cairo_path_destroy(path);
    cairo_destroy(t);
    cairo_surface_destroy(scratch);
    if (atomic_fetch_add(&glyphs_outlined, 1) % GLYPHS_PER_FONT_RELEASE ==
        GLYPHS_PER_FONT_RELEASE - 1)
        filemap_release();
    return st;
}

static cairo_status_t outline_unicode(cairo_scaled_font_t *sf, unsigned long u,
                                      unsigned long *glyph)
{
    char s[4];
    int n;
    if (u < 0x80) {
        s[0] = (char)u;
        n = 1;
    } else if (u < 0x800) {
        s[0] = (char)(0xC0 | (u >> 6));
        s[1] = (char)(0x80 | (u & 0x3F));
        n = 2;
    } else if (u < 0x10000) {
        s[0] = (char)(0xE0 | (u >> 12));
        s[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        s[2] = (char)(0x80 | (u & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (u >> 18));
        s[1] = (char)(0x80 | ((u >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((u >> 6) & 0x3F));
        s[3] = (char)(0x80 | (u & 0x3F));
        n = 4;
    }
    cairo_glyph_t *g = NULL;
    int ng = 0;
    *glyph = 0; /* .notdef when the font lacks the character */
    if (cairo_scaled_font_text_to_glyphs(outline_source(sf), 0, 0, s, n, &g, &ng, NULL, NULL,
                                         NULL) == CAIRO_STATUS_SUCCESS &&
        ng >= 1)
        *glyph = g[0].index;
    cairo_glyph_free(g);
    return CAIRO_STATUS_SUCCESS;
}

/* Wraps an outline face in a user font; takes ft. NULL on failure. */
static cairo_font_face_t *outline_face(cairo_font_face_t *ft)
{
    cairo_matrix_t size, identity;
    cairo_matrix_init_scale(&size, OUTLINE_UPM, OUTLINE_UPM);
    cairo_matrix_init_identity(&identity);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_scaled_font_t *src = cairo_scaled_font_create(ft, &size, &identity, fo);
    cairo_font_options_destroy(fo);
    cairo_font_face_destroy(ft);
    if (cairo_scaled_font_status(src) != CAIRO_STATUS_SUCCESS) {
        cairo_scaled_font_destroy(src);
        return NULL;
    }
    cairo_font_face_t *uf = cairo_user_font_face_create();
    cairo_user_font_face_set_init_func(uf, outline_init);
    cairo_user_font_face_set_render_glyph_func(uf, outline_render);
    cairo_user_font_face_set_unicode_to_glyph_func(uf, outline_unicode);
    if (cairo_font_face_set_user_data(uf, &outline_key, src,
                                      (cairo_destroy_func_t)cairo_scaled_font_destroy) !=
        CAIRO_STATUS_SUCCESS) {
        cairo_scaled_font_destroy(src);
        cairo_font_face_destroy(uf);
        return NULL;
    }
    return uf;
}

/* Matched faces of the last family asked for. Fontconfig matching costs a
 * few milliseconds and the kiosk uses one family, so one entry suffices;
 * the faces live as long as the process. */
static pthread_mutex_t font_lock = PTHREAD_MUTEX_INITIALIZER;
static char font_cached_family[128];
static cairo_font_face_t *font_cache[2];

/* WHY CAIRO IS GIVEN BACK: cairo keeps each scaled font it made (up to
 * 256, with every glyph drawn and the faces under them) for the life of
 * the process, whoever still refers to them: about 3 MB after one
 * certificate (app/README.md, Memory). Only cairo_debug_reset_static_data
 * frees them, and only while no cairo object exists anywhere in the
 * process. So every composition (certificate, preview, slip) holds
 * cairo_use, nothing else in the kiosk draws with cairo (its PNGs are
 * libpng's), and cert_fonts_release takes it without waiting: a
 * composition running keeps everything until the next try. One
 * composition at a time: cairo takes its font map's and a scaled font's
 * locks in either order (tests/tsan.supp), and a kiosk serves one visit
 * at a time, so a slip and a certificate hardly ever meet. */
static pthread_mutex_t cairo_use = PTHREAD_MUTEX_INITIALIZER;

void cert_cairo_enter(void)
{
    pthread_mutex_lock(&cairo_use);
}

void cert_cairo_leave(void)
{
    pthread_mutex_unlock(&cairo_use);
}

bool cert_fonts_release(void)
{
    if (pthread_mutex_trylock(&cairo_use) != 0)
        return false;
    pthread_mutex_lock(&font_lock);
    cairo_font_face_destroy(font_cache[0]);
    cairo_font_face_destroy(font_cache[1]);
    font_cache[0] = font_cache[1] = NULL;
    font_cached_family[0] = '\0';
    pthread_mutex_unlock(&font_lock);
    /* the scaled fonts go, then the faces with them (ft_face_done) */
    cairo_debug_reset_static_data();
    pthread_mutex_unlock(&cairo_use);
    return true;
}

/* The faces are FreeType's over base/filemap's mapping of the file, the
 * one the UI's text reads too: cairo opening the file itself would map it
 * a second time, and every page both touch would count twice in the
 * kiosk's memory (app/README.md, Memory). ft_lock serialises what
 * FreeType's library object does not guard (opening and closing faces);
 * cairo locks each face while it draws from it. */
static pthread_mutex_t ft_lock = PTHREAD_MUTEX_INITIALIZER;
static FT_Library ft_lib;
static const cairo_user_data_key_t ft_face_key;

struct ft_held {
    FT_Face face;
    const void *map; /* filemap's reference, dropped after the face */
};

static void ft_face_done(void *p)
{
    struct ft_held *h = p;
    pthread_mutex_lock(&ft_lock);
    FT_Done_Face(h->face);
    pthread_mutex_unlock(&ft_lock);
    filemap_close(h->map);
    free(h);
}

/* A cairo face for face INDEX of the file PATH, read from its shared
 * mapping; synthetic bold when fontconfig asks for it (a family without
 * a bold file). NULL on failure. */
static cairo_font_face_t *face_from_file(const char *path, int index, bool embolden)
{
    const void *map = NULL;
    size_t len = 0;
    if (filemap_open(path, &map, &len) != 0)
        return NULL;
    struct ft_held *h = calloc(1, sizeof *h);
    if (!h) {
        filemap_close(map);
        return NULL;
    }
    h->map = map;
    pthread_mutex_lock(&ft_lock);
    int ferr = ft_lib ? 0 : FT_Init_FreeType(&ft_lib);
    if (ferr == 0)
        ferr = FT_New_Memory_Face(ft_lib, map, (FT_Long)len, index, &h->face);
    pthread_mutex_unlock(&ft_lock);
    if (ferr != 0) {
        filemap_close(map);
        free(h);
        return NULL;
    }
    cairo_font_face_t *f = cairo_ft_font_face_create_for_ft_face(h->face, 0);
    if (cairo_font_face_status(f) != CAIRO_STATUS_SUCCESS ||
        cairo_font_face_set_user_data(f, &ft_face_key, h, ft_face_done) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(f);
        ft_face_done(h);
        return NULL;
    }
    if (embolden)
        cairo_ft_font_face_set_synthesize(f, CAIRO_FT_SYNTHESIZE_BOLD);
    return f;
}

static cairo_font_face_t *font_match(const char *family, bool bold)
{
    FcPattern *p = FcPatternCreate();
    if (!p)
        return NULL;
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)DEFAULT_FONT);
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)"WenQuanYi Micro Hei");
    FcPatternAddString(p, FC_LANG, (const FcChar8 *)"zh-cn");
    FcPatternAddInteger(p, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, p, &res);
    FcPatternDestroy(p);
    if (!m)
        return NULL;
    /* Whatever fontconfig falls back to must carry the characters of the
     * title; a certificate of empty boxes is worse than no certificate. */
    FcCharSet *cs = NULL;
    FcChar8 *file = NULL;
    int index = 0;
    FcBool embolden = FcFalse;
    if (FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) != FcResultMatch ||
        !FcCharSetHasChar(cs, 0x767B) || !FcCharSetHasChar(cs, 0x8BC1) ||
        FcPatternGetString(m, FC_FILE, 0, &file) != FcResultMatch) {
        FcPatternDestroy(m);
        return NULL;
    }
    (void)FcPatternGetInteger(m, FC_INDEX, 0, &index);
    (void)FcPatternGetBool(m, FC_EMBOLDEN, 0, &embolden);
    cairo_font_face_t *f = face_from_file((const char *)file, index, embolden == FcTrue);
    FcPatternDestroy(m);
    return f ? outline_face(f) : NULL;
}

/* Fills out[] with referenced faces (the caller destroys them). */
int cert_fonts_get(const char *family, cairo_font_face_t *out[2])
{
    int err = 0;
    if (!family || !family[0])
        family = DEFAULT_FONT;
    pthread_mutex_lock(&font_lock);
    if (!font_cache[0] || strcmp(font_cached_family, family) != 0) {
        cairo_font_face_t *r = font_match(family, false);
        cairo_font_face_t *b = r ? font_match(family, true) : NULL;
        if (!r || !b) {
            cairo_font_face_destroy(r);
            cairo_font_face_destroy(b);
            log_err("print", "no font with Chinese glyphs for family '%s'", family);
            err = ERR_UNSUPPORTED;
            goto out;
        }
        cairo_font_face_destroy(font_cache[0]);
        cairo_font_face_destroy(font_cache[1]);
        font_cache[0] = r;
        font_cache[1] = b;
        str_copy(font_cached_family, sizeof font_cached_family, family);
    }
    out[0] = cairo_font_face_reference(font_cache[0]);
    out[1] = cairo_font_face_reference(font_cache[1]);
out:
    pthread_mutex_unlock(&font_lock);
    return err;
}
