/* text_cache.c - the fonts and the text texture cache of text.c.
 *
 * DESIGN: textures are cached by (string, size, weight), least recently
 * used first out, under a byte budget; widths of pieces by the hash of
 * the piece, size and weight. An entry made while a visit runs is marked,
 * and text_cache_forget_visit overwrites and drops those when it ends (a
 * name, an address), with the entries no screen used since the visit
 * before. Fonts are found through fontconfig (face index: face
 * 0 of the .ttc is the Japanese cut) and opened lazily. UI thread only.
 */
#include "ui/kit.h"
#include "ui/text_internal.h"

#include "base/err.h"
#include "base/filemap.h"
#include "base/log.h"
#include "base/util.h"

#include <SDL2/SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_CACHE_MAX   640
#define WIDTH_CACHE_SIZE 8192
/* Characters rendered between two drops of the font files' pages
 * (base/filemap): each glyph FreeType reads maps 64 kB of the file around
 * it, so a screen of new text holds megabytes of font in the resident
 * memory until they are dropped; reading them back costs a minor fault
 * each. */
#define CHARS_PER_FONT_RELEASE 48
#define WIDTH_WAYS             4

struct width_entry {
    uint64_t hash;
    int width;
};

struct text_cache {
    TTF_Font *font[2];
    const void
        *map[2]; /* the font file, mapped (base/filemap: shared with the certificate's faces) */
    int font_size[2];
    char path[2][512];
    int index[2];
    bool open_failed;
    struct text_entry e[TEXT_CACHE_MAX];
    int count;
    size_t bytes;
    uint32_t clock;
    uint32_t frame;                 /* the clock when the frame being drawn began */
    size_t frame_bytes, frame_most; /* text the frame draws; the most one drew */
    bool frame_zoom;                /* the frame is drawn to be enlarged */
    struct width_entry widths[WIDTH_CACHE_SIZE];
    unsigned long measured; /* pieces the font measured: the width cache's misses */
    int rendered;           /* characters read since the font pages were last dropped */
    uint32_t visit_end;     /* the clock when the last visit ended */
};

static uint64_t hash_str(const char *s, size_t n, int size, bool bold)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    /* Size and style into the low bits too (a multiply carries only
     * upwards): the width cache's place comes from them, and one piece at
     * two sizes (a heading's first character, a label's) must not take
     * the same place and push each other out at every frame. */
    h ^= (uint64_t)(size * 2 + (bold ? 1 : 0));
    h *= 1099511628211ULL;
    h ^= h >> 32;
    return h ? h : 1;
}

static bool font_lookup(const char *family, bool bold, char *path, size_t size, int *index)
{
    bool ok = false;
    FcPattern *p = FcPatternCreate();
    if (!p)
        return false;
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(p, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, p, &res);
    if (m) {
        FcChar8 *file = NULL;
        int idx = 0;
        if (FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
            FcPatternGetInteger(m, FC_INDEX, 0, &idx);
            snprintf(path, size, "%s", (const char *)file);
            *index = idx;
            ok = true;
        }
        FcPatternDestroy(m);
    }
    FcPatternDestroy(p);
    return ok;
}

/* An entry of a visit is overwritten before it is freed. */
static void entry_free(struct text_entry *e)
{
    if (e->visit) {
        kit_texture_wipe(e->tex);
        explicit_bzero(e->str, strlen(e->str));
    } else {
        SDL_DestroyTexture(e->tex);
    }
    free(e->str);
}

int text_cache_create(struct kit *k)
{
    struct text_cache *c = calloc(1, sizeof *c);
    if (!c)
        return ERR_NOMEM;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        log_err("ui", "TTF_Init: %s", TTF_GetError());
        free(c);
        return ERR_IO;
    }
    const char *over[2] = {k->cfg->font_regular, k->cfg->font_bold};
    for (int b = 0; b < 2; b++) {
        if (over[b] && over[b][0]) {
            snprintf(c->path[b], sizeof c->path[b], "%s", over[b]);
            c->index[b] = 0;
            /* "path:index" selects a face of a collection */
            char *colon = strrchr(c->path[b], ':');
            if (colon && colon[1] >= '0' && colon[1] <= '9') {
                c->index[b] = atoi(colon + 1);
                *colon = '\0';
            }
        } else if (!font_lookup("Noto Sans CJK SC", b == 1, c->path[b], sizeof c->path[b],
                                &c->index[b])) {
            log_err("ui", "no font found for Noto Sans CJK SC");
            free(c);
            return ERR_NOTFOUND;
        }
    }
    k->text = c;
    return 0;
}

void text_cache_flush(struct kit *k)
{
    struct text_cache *c = k->text;
    if (!c)
        return;
    for (int i = 0; i < c->count; i++)
        entry_free(&c->e[i]);
    c->count = 0;
    c->bytes = 0;
}

/* Overwrites a texture's pixels (SDL frees them as they are), then
 * destroys it. */
void kit_texture_wipe(SDL_Texture *t)
{
    if (!t)
        return;
    int w = 0, h = 0, access = 0;
    SDL_QueryTexture(t, NULL, &access, &w, &h);
    if (access != SDL_TEXTUREACCESS_TARGET && w > 0 && h > 0) {
        void *zero = calloc((size_t)w * (size_t)h, 4);
        if (zero) {
            SDL_UpdateTexture(t, NULL, zero, w * 4);
            free(zero);
        }
    }
    SDL_DestroyTexture(t);
}

void text_cache_forget_visit(struct kit *k)
{
    struct text_cache *c = k->text;
    if (!c)
        return;
    /* Text of the visit goes, and text nobody drew since the visit before
     * ended (an hour's clock, a notice since changed): the cache holds what
     * the screens between visits and the last visit use, not all it ever
     * drew, and the memory after the 100th visit is that after the 2nd. */
    int kept = 0;
    for (int i = 0; i < c->count; i++) {
        struct text_entry *e = &c->e[i];
        if (!e->visit && e->used >= c->visit_end) {
            c->e[kept++] = *e;
            continue;
        }
        entry_free(e);
        c->bytes -= e->bytes;
    }
    c->count = kept;
    c->visit_end = c->clock;
    /* A width is kept by the hash of its piece, never its text; forget
     * them anyway, so nothing of the visit is left to compare against. */
    memset(c->widths, 0, sizeof c->widths);
}

size_t text_cache_bytes(const struct kit *k)
{
    return k->text ? k->text->bytes : 0;
}

size_t text_cache_frame_most(const struct kit *k)
{
    return k->text ? k->text->frame_most : 0;
}

void text_cache_frame(struct kit *k)
{
    struct text_cache *c = k->text;
    if (!c)
        return;
    c->frame = ++c->clock;
    c->frame_bytes = 0;
    c->frame_zoom = k->density != k->geo.scale;
}

/* e is drawn in this frame. */
static void entry_use(struct text_cache *c, struct text_entry *e)
{
    if (e->used < c->frame && !c->frame_zoom) {
        c->frame_bytes += e->bytes;
        if (c->frame_bytes > c->frame_most)
            c->frame_most = c->frame_bytes;
    }
    e->used = c->clock;
}

unsigned long text_cache_measured(const struct kit *k)
{
    return k->text ? k->text->measured : 0;
}

bool text_cache_holds(const struct kit *k, const char *needle)
{
    const struct text_cache *c = k->text;
    for (int i = 0; c && i < c->count; i++)
        if (strstr(c->e[i].str, needle))
            return true;
    return false;
}

void text_cache_destroy(struct kit *k)
{
    struct text_cache *c = k->text;
    if (!c)
        return;
    text_cache_flush(k);
    for (int b = 0; b < 2; b++)
        if (c->font[b])
            TTF_CloseFont(c->font[b]);
    for (int b = 0; b < 2; b++)
        filemap_close(c->map[b]);
    free(c);
    k->text = NULL;
}

/* Opens font b from its file mapped into memory: through a stream
 * FreeType seeks and reads for every glyph of a CJK collection, which
 * costs the first frame tens of milliseconds in calls. The mapping is
 * base/filemap's, one per file in the process, so the certificate's faces
 * read the same pages. From the file itself when it cannot be mapped. */
static TTF_Font *font_open(struct text_cache *c, int b, int size)
{
    const void *m = NULL;
    size_t len = 0;
    if (filemap_open(c->path[b], &m, &len) == 0 && len <= (size_t)INT32_MAX) {
        SDL_RWops *rw = SDL_RWFromConstMem(m, (int)len);
        TTF_Font *f = rw ? TTF_OpenFontIndexRW(rw, 1, size, c->index[b]) : NULL;
        if (f) {
            c->map[b] = m;
            return f;
        }
    }
    filemap_close(m);
    return TTF_OpenFontIndex(c->path[b], size, c->index[b]);
}

/* Opens the font lazily (first frame) and sets the size (real pixels). */
static TTF_Font *font_at(struct kit *k, int size, bool bold)
{
    struct text_cache *c = k->text;
    int b = bold ? 1 : 0;
    if (!c->font[b]) {
        if (c->open_failed)
            return NULL;
        c->font[b] = font_open(c, b, size);
        if (!c->font[b]) {
            log_err("ui", "cannot open font %s: %s", c->path[b], TTF_GetError());
            c->open_failed = true;
            return NULL;
        }
        c->font_size[b] = size;
    }
    if (c->font_size[b] != size) {
        TTF_SetFontSize(c->font[b], size);
        c->font_size[b] = size;
    }
    return c->font[b];
}

/* Counts the characters of s as read from the fonts (measured or drawn);
 * every CHARS_PER_FONT_RELEASE, the font files' pages go. */
static void fonts_read(struct text_cache *c, const char *s)
{
    c->rendered += (int)utf8_len(s);
    if (c->rendered >= CHARS_PER_FONT_RELEASE) {
        c->rendered = 0;
        filemap_release();
    }
}

int text_piece_width(struct kit *k, const char *s, size_t n, int size, bool bold)
{
    if (n == 0)
        return 0;
    struct text_cache *c = k->text;
    uint64_t h = hash_str(s, n, size, bold);
    /* WIDTH_WAYS places a piece may sit in: a screen that wraps its text
     * measures hundreds of pieces each frame, and two that share a single
     * place would push each other out at every frame (measured: 40 % of
     * an animation frame spent measuring again). */
    struct width_entry *set =
        &c->widths[(h / WIDTH_WAYS) % (WIDTH_CACHE_SIZE / WIDTH_WAYS) * WIDTH_WAYS];
    struct width_entry *we = &set[h % WIDTH_WAYS];
    for (int i = 0; i < WIDTH_WAYS; i++) {
        if (set[i].hash == h)
            return set[i].width;
        if (set[i].hash == 0)
            we = &set[i];
    }
    TTF_Font *f = font_at(k, size, bold);
    if (!f)
        return (int)n * size / 2;
    char buf[512];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int w = 0, hh = 0;
    TTF_SizeUTF8(f, buf, &w, &hh);
    c->measured++;
    fonts_read(c, buf);
    we->hash = h;
    we->width = w;
    return w;
}

struct text_entry *text_texture_for(struct kit *k, const char *s, size_t n, int size, bool bold)
{
    struct text_cache *c = k->text;
    uint64_t h = hash_str(s, n, size, bold);
    c->clock++;
    for (int i = 0; i < c->count; i++) {
        struct text_entry *e = &c->e[i];
        if (e->hash == h && e->size == size && e->bold == bold && strlen(e->str) == n &&
            memcmp(e->str, s, n) == 0) {
            entry_use(c, e);
            return e;
        }
    }
    TTF_Font *f = font_at(k, kit_dense(k) ? (int)lround(size * k->density) : size, bold);
    if (!f)
        return NULL;
    char *str = malloc(n + 1);
    if (!str)
        return NULL;
    memcpy(str, s, n);
    str[n] = '\0';
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, str, white);
    if (!surf) {
        free(str);
        return NULL;
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(k->r, surf);
    int w = surf->w, hh = surf->h;
    bool visit = k->s && k->s->active;
    if (visit) /* SDL frees pixels as they are */
        explicit_bzero(surf->pixels, (size_t)surf->pitch * (size_t)surf->h);
    SDL_FreeSurface(surf);
    fonts_read(c, str);
    if (!t) {
        free(str);
        return NULL;
    }
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    size_t bytes = (size_t)w * (size_t)hh * 4;
    /* evict least recently used until the new one fits; what this frame
     * drew stays (a screen with more text than the budget would otherwise
     * make its text again at every frame), unless the table is full */
    while (c->count > 0 && (c->count == TEXT_CACHE_MAX || c->bytes + bytes > TEXT_CACHE_BYTES)) {
        int lru = 0;
        for (int i = 1; i < c->count; i++)
            if (c->e[i].used < c->e[lru].used)
                lru = i;
        if (c->e[lru].used >= c->frame && c->count < TEXT_CACHE_MAX)
            break;
        entry_free(&c->e[lru]);
        c->bytes -= c->e[lru].bytes;
        c->e[lru] = c->e[--c->count];
    }
    struct text_entry *e = &c->e[c->count++];
    *e = (struct text_entry){h, str, size, bold, t, w, hh, bytes, 0, visit};
    c->bytes += bytes;
    entry_use(c, e);
    return e;
}
