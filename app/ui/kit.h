/* kit.h - the toolkit the screens draw with (internal to app/ui).
 *
 * DESIGN: immediate mode. A screen is a function that, given the kit (the
 * renderer, the theme, the view and the content rectangle), draws itself
 * top to bottom and registers each widget it draws in the frame's flat
 * widget list. Since the kiosk redraws only when something changed, "the
 * frame" and "the widget list" are rebuilt together and never disagree.
 * Text goes through a bounded texture cache; curves through cached masks.
 * UI thread only.
 */
#ifndef UI_KIT_H
#define UI_KIT_H

#include "core/flow.h"
#include "core/i18n.h"
#include "core/session.h"
#include "ui/geometry.h"
#include "ui/theme.h"
#include "ui/ui.h"

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>

#define KIT_WIDGETS_MAX 128
#define KIT_ISSUES_MAX  8

struct text_cache;
struct tex_cache;

struct kit {
    SDL_Renderer *r;
    struct theme th;
    int w, h;       /* the canvas in design pixels (geo.w, geo.h) */
    bool landscape; /* geo.landscape */
    struct geometry geo;
    /* real pixels per design pixel that text and masks are rendered at:
     * geo.scale, twice that while 放大查看 draws the frame to enlarge it */
    double density;
    double cached_density;   /* what the text and mask caches hold */
    bool soft;               /* SDL's software renderer (headless, surface): see kit_snap */
    Uint32 target_format;    /* the pixels the renderer draws into (a window's framebuffer's
                                on the surface path), for a picture uploaded in it */
    SDL_Surface *frame_surf; /* what the software renderer draws into (the headless
                                canvas, the window's framebuffer); NULL for SDL's own */
    struct ui_view v;
    const struct flow *f;
    const struct session *s;
    const struct ui_config *cfg;

    SDL_Rect content;            /* the area between header and footer, margins applied */
    int content_bottom_reserved; /* px the idle banner may cover */

    struct ui_widget widgets[KIT_WIDGETS_MAX];
    size_t nwidgets;
    char pressed_id[UI_WIDGET_ID_MAX];

    struct text_cache *text;
    struct tex_cache *masks;
    SDL_Texture *camera_tex;
    int camera_tex_w, camera_tex_h;
    unsigned camera_tex_seq; /* the camera picture in camera_tex, 0 none */
    bool camera_tex_picture; /* camera_tex holds a picture made for the screen */
    SDL_Texture *preview_tex;
    const uint32_t *preview_src;

    int text_min; /* the smallest text drawn in this frame, design px */
    int issues;
    char issue[KIT_ISSUES_MAX][128];

    int64_t anim_ms;    /* animation clock of this frame */
    int anim_period_ms; /* the screen wants a new frame after this; 0 none */
    /* What the next animation step changes: the union of the animations'
     * areas, or the whole frame (anim_whole) when one named none. */
    SDL_Rect anim_rect;
    bool anim_whole;
    SDL_Rect camera_rect; /* where the camera's picture shows, w 0 none */
    /* A partial frame: only this area is drawn (the rest of the last
     * frame stays); w 0 draws all. Screens clip through kit_clip. */
    SDL_Rect frame_clip;
    /* Where the camera's picture paints every pixel in this frame (the
     * last frame's camera_rect, in a partial frame of the same view): the
     * canvas under it is not filled first. w 0 none. */
    SDL_Rect frame_cover;
    int demo_pick;    /* F2 cycles the demo citizen */
    int overlay_from; /* first widget of an overlay (idle banner, end-visit question), -1 none */
};

/* Whether one design pixel is not one real pixel: text and masks are
 * then rendered at the real density. */
static inline bool kit_dense(const struct kit *k)
{
    return k->density < 0.999 || k->density > 1.001;
}

/* ---- colours and fills (draw.c) ---- */
/* r (design pixels) as the renderer should take it. SDL's software
 * renderer scales a rectangle's x and width apart, truncating each, so
 * neighbours at a fractional scale leave a seam of a pixel between them
 * (a rounded corner and its edge): there r becomes the real pixels from
 * floor(x * s) to floor((x + w) * s), which always meet. Elsewhere r. */
SDL_FRect kit_snap(const struct kit *k, SDL_FRect r);
/* The canvas's place on the output: real pixels per canvas pixel and the
 * letterbox's offsets (ui_present.c). */
void kit_canvas_place(const struct kit *k, float *s, float *ox, float *oy);
void draw_color(struct kit *k, uint32_t rgb);
void draw_fill(struct kit *k, SDL_Rect r, uint32_t rgb);
void draw_rrect(struct kit *k, SDL_Rect r, int radius, uint32_t rgb);
/* Border of width bw in border colour around a fill. */
void draw_rrect_border(struct kit *k, SDL_Rect r, int radius, int bw, uint32_t border,
                       uint32_t fill);
/* 2 px dashed border (disabled controls) on a filled shape. */
void draw_rrect_dashed(struct kit *k, SDL_Rect r, int radius, uint32_t dash, uint32_t fill);
void draw_circle(struct kit *k, int cx, int cy, int r, uint32_t rgb);
void draw_ring(struct kit *k, int cx, int cy, int r, int w, uint32_t rgb);
/* Arc from 12 o'clock clockwise over frac (0..1) of the circle. */
void draw_arc(struct kit *k, int cx, int cy, int r, int w, float frac, uint32_t rgb);
void draw_ellipse_ring(struct kit *k, int cx, int cy, int rx, int ry, int w, uint32_t rgb);
/* Paints the area outside the rounded corners of r (images in rounded frames). */
void draw_corner_cut(struct kit *k, SDL_Rect r, int radius, uint32_t rgb);
void draw_hline(struct kit *k, int x0, int x1, int y, int w, uint32_t rgb);
void draw_vline(struct kit *k, int x, int y0, int y1, int w, uint32_t rgb);
/* Any straight line, anti-aliased, round caps. */
void draw_line(struct kit *k, int x0, int y0, int x1, int y1, int w, uint32_t rgb);

/* A cached coverage mask built by paint(m, arg) at w x h; drawn tinted. */
struct mask;
typedef void (*kit_paint_fn)(struct mask *m, const void *arg);
void draw_mask(struct kit *k, uint64_t key, int w, int h, kit_paint_fn paint, const void *arg,
               int x, int y, uint32_t rgb);

/* ---- text (text.c) ---- */
enum text_align { ALIGN_LEFT = 0, ALIGN_CENTER, ALIGN_RIGHT };

struct text_style {
    int size, line;
    bool bold;
    uint32_t color;
    uint32_t accent; /* colour of __accent__ runs */
    enum text_align align;
    bool address;  /* break at address component boundaries */
    bool tabular;  /* fixed-width digit cells (clock, countdown) */
    int max_lines; /* 0 = unlimited */
};

struct text_style text_role(const struct kit *k, enum theme_text role, uint32_t color);
/* Width of a single line (markup understood, no wrapping). */
int text_width(struct kit *k, const char *s, const struct text_style *st);
/* Draws one line with its top at y (the line box is st->line high). For
 * ALIGN_CENTER / RIGHT, x is the centre / the right edge. Returns width. */
int text_draw(struct kit *k, const char *s, int x, int y, const struct text_style *st);
/* Wraps s into width w (TOKENS §3 rules) and draws it from (x, y).
 * Returns the height used. Records a layout issue if a piece cannot fit
 * or max_lines is exceeded. */
int text_box(struct kit *k, const char *s, int x, int y, int w, const struct text_style *st);
/* Height text_box would use. */
int text_box_height(struct kit *k, const char *s, int w, const struct text_style *st);
/* Number of lines text_box would use. */
int text_box_lines(struct kit *k, const char *s, int w, const struct text_style *st);

int text_cache_create(struct kit *k);
void text_cache_destroy(struct kit *k);
/* Drops every texture (renderer change). */
void text_cache_flush(struct kit *k);
/* At the end of a visit: every text drawn while it ran (a name, an
 * address) is overwritten and dropped, its pixels too. */
void text_cache_forget_visit(struct kit *k);
/* Whether a cached text contains needle (the visit's tests). */
bool text_cache_holds(const struct kit *k, const char *needle);
/* Overwrites a texture's pixels, unless it is a render target, and
 * destroys it; NULL is a no-op. */
void kit_texture_wipe(SDL_Texture *t);
int tex_cache_create(struct kit *k);
void tex_cache_destroy(struct kit *k);
void tex_cache_flush(struct kit *k);
/* The text cache's budget: pixels of text kept, least recently drawn
 * first out. */
#define TEXT_CACHE_BYTES (4u * 1024u * 1024u)
/* A frame begins (k->density set): what it draws is not evicted while it
 * is drawn. */
void text_cache_frame(struct kit *k);
/* Bytes of pixels the text and the mask caches hold; the most text one
 * frame drew. */
size_t text_cache_bytes(const struct kit *k);
size_t text_cache_frame_most(const struct kit *k);
size_t tex_cache_bytes(const struct kit *k);
void tex_cache_frame(struct kit *k);

/* ---- icons (icon.c) ---- */
enum icon {
    ICON_HOUSE_SEARCH = 0,
    ICON_PRINTER,
    ICON_TICKET,
    ICON_CALENDAR,
    ICON_CLOCK,
    ICON_BOOK,
    ICON_SMILE,
    ICON_HOME,
    ICON_BELL,
    ICON_QUESTION,
    ICON_GLOBE,
    ICON_PERSON,
    ICON_IDCARD,
    ICON_LOCK,
    ICON_PROHIBIT,
    ICON_FLAG,
    ICON_CHECK_CIRCLE,
    ICON_CHECK,
    ICON_ALERT,
    ICON_ALERT_CIRCLE,
    ICON_CLOUD_OFF,
    ICON_SHIELD,
    ICON_FACE,
    ICON_COUNTER,
    ICON_CHEVRON_R,
    ICON_CHEVRON_L,
    ICON_INFO,
    ICON_REFRESH,
    ICON_DOC,
    ICON_ZOOM,
    ICON_MINUS,
    ICON_PLUS,
    ICON_WIFI,
    ICON_ARROW_UP,
    ICON_ARROW_DOWN,
    ICON_PAUSE,
    ICON_KEY_BACK,
    ICON_COUNT
};
void icon_draw(struct kit *k, enum icon ic, int x, int y, int size, uint32_t rgb);
/* Icon on a tint plate (rounded square, radius 25 %), centred in the plate. */
void icon_plate(struct kit *k, enum icon ic, SDL_Rect plate, uint32_t plate_rgb, uint32_t rgb);

/* ---- widgets (widget.c) ---- */
enum btn_style { BTN_PRIMARY = 0, BTN_SECONDARY, BTN_QUIET, BTN_LINK };

struct btn {
    const char *id;
    const char *label;
    enum btn_style style;
    int icon; /* enum icon or -1 */
    bool disabled;
    bool busy; /* label + waiting dots, input ignored */
    enum flow_input input;
    int arg;
    enum theme_text role; /* 0 = by style */
    const char *sub;      /* optional second line (smaller) */
};

/* Adds a widget to the frame's list. Returns it (or NULL if full). */
struct ui_widget *kit_add(struct kit *k, const char *id, const char *label,
                          enum ui_widget_kind kind, SDL_Rect r, enum flow_input in, int arg);
bool kit_pressed(const struct kit *k, const char *id);
/* Asks for another frame within period ms (waiting animations): the
 * whole frame drawn again. */
void kit_want_frame(struct kit *k, int period);
/* The same for an animation that changes only area r: the next step
 * draws only there. */
void kit_want_frame_in(struct kit *k, int period, SDL_Rect r);
/* Clips drawing to r (NULL: no clip of the screen's own), always within
 * the partial frame's area. */
void kit_clip(struct kit *k, const SDL_Rect *r);
void kit_issue(struct kit *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies s without markup into out. */
void kit_plain(char *out, size_t size, const char *s);

void widget_button(struct kit *k, SDL_Rect r, const struct btn *b);
/* A white (or tint when selected) card with a 2 px line border and an edge.
 * When id is set the card is tappable. Returns the inner rect after padding 0. */
void widget_card(struct kit *k, SDL_Rect r, bool pressed, bool selected);
void widget_card_plain(struct kit *k, SDL_Rect r); /* no edge: notices, panels */
/* Radio/check option card; returns nothing, registers an option widget. */
void widget_option(struct kit *k, SDL_Rect r, const char *id, const char *label, bool selected,
                   enum flow_input in, int arg);
/* Radio disc (empty ring or primary disc with a white check). */
void widget_radio(struct kit *k, int cx, int cy, bool selected);
/* Encumbrance chip; returns its width. kind: enum encumbrance_kind, or -1
 * for 无抵押、查封、异议. */
int widget_chip(struct kit *k, int x, int y, int kind, const char *text);
int widget_chip_height(const struct kit *k);
/* Switch (track + knob); on = primary. */
void widget_switch(struct kit *k, int x, int y, int w, int h, bool on, uint32_t off_track);
void widget_stepper(struct kit *k, int y, const char *const labels[3], int current);
int widget_stepper_height(const struct kit *k);
void widget_progress(struct kit *k, SDL_Rect r, float frac);
/* Three waiting dots, one dark stepping every 400 ms; asks for frames. */
void widget_dots(struct kit *k, int x, int cy, int d, uint32_t rgb);
void widget_spinner(struct kit *k, int cx, int cy, int r);
void widget_countdown(struct kit *k, int cx, int cy, int r, int seconds, int total);
/* Numeric keypad (staff PIN): 4x3 keys, arg = digit, 10 = back, 11 = OK. */
void widget_keypad(struct kit *k, SDL_Rect r, enum flow_input in, const char *id_prefix);
/* Number badge in a tint circle (record index, numbered steps). */
void widget_badge(struct kit *k, int cx, int cy, int r, const char *num);
/* ± stepper with a value in between; returns width used. */
int widget_plusminus(struct kit *k, int x, int y, int value, int min, int max, enum flow_input in);
/* "Look here" ring pulsing at 1 Hz around r. */
void widget_look_ring(struct kit *k, SDL_Rect r, int radius);

/* ---- chrome (chrome.c) ---- */
/* Draws header(s), footer, notices and lays out k->content. */
void chrome_begin(struct kit *k);
/* Draws the overlays (home confirmation, idle banner) last. */
void chrome_end(struct kit *k);
/* Title + lead at the top of the content; returns the y after them. */
int chrome_title(struct kit *k, int y, const char *title, const char *lead);
/* Full-width primary action at the bottom of the content; returns its top. */
int chrome_primary(struct kit *k, const struct btn *b);
/* The primary button as chrome_primary places it, and a secondary one
 * with it (portrait: two halves, the primary on the right; landscape:
 * above it in the right column). Returns the top y of the two. */
int chrome_primary_pair(struct kit *k, const struct btn *secondary, const struct btn *primary);
int chrome_primary_height(const struct kit *k);
/* Bottom of the content when the primary action sits there. */
int chrome_footer_top(const struct kit *k);
/* 放大查看 (IN_ZOOM, arg 1) in r: on the records, the record detail and
 * the certificate preview. */
void chrome_zoom_button(struct kit *k, SDL_Rect r);

/* ---- demo hook: the screens show demo citizens in demo mode ---- */
int kit_demo_count(void);
bool kit_demo_label(int i, char *name, size_t nsize, char *note, size_t notesize);

/* ---- helpers ---- */
static inline SDL_Rect kit_rect(int x, int y, int w, int h)
{
    SDL_Rect r = {x, y, w, h};
    return r;
}
/* A formatted integer as a string in a caller buffer. */
const char *kit_itoa(char *buf, size_t size, long v);

#endif
