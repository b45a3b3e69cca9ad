/* ui_internal.h - what ui.c and ui_keys.c share: the ui's state, and the
 * few functions one calls in the other. UI thread only. */
#ifndef UI_UI_INTERNAL_H
#define UI_UI_INTERNAL_H

#include "ui/kit.h"
#include "ui/ui.h"

#include <stdbool.h>

#define HIT_SLOP  12 /* half of the 24 px minimum gap */
#define FOCUS_MAX KIT_WIDGETS_MAX

struct ui {
    struct kit k;
    struct ui_config cfg;
    SDL_Window *win;
    SDL_Surface *surf; /* headless target */
    /* surface presentation (ui_present.c): the window's framebuffer the
     * software renderer draws into, as it was when the renderer was made */
    bool surface_mode;
    SDL_Surface *win_surf;
    void *win_pixels;
    int win_w, win_h;
    bool present_failed; /* logged once */
    char renderer_name[24];
    int logged_w, logged_h; /* the screen size last logged */
    bool dirty;
    bool drew_once;
    unsigned gen;
    int64_t minute;
    unsigned cam_seq;
    const uint32_t *preview;
    bool have_view;
    bool in_visit;     /* the last view had a visit running */
    int64_t next_anim; /* SDL ticks of the next animation step, 0 none */
    /* Partial frames: what the last frame's animation and camera picture
     * cover (w 0 none, or the whole frame), and whether a new camera
     * picture waits to be drawn there. */
    SDL_Rect anim_rect, camera_rect;
    bool camera_due;
    bool keeps_frame; /* the renderer's target keeps the last frame (software) */
    uint64_t frames, frames_partial;
    bool pressing;
    SDL_Rect press_rect;
    enum flow_input press_in;
    int press_arg;
    /* keys */
    bool keys;                       /* a key was used since the last touch: the ring shows */
    char focus_id[UI_WIDGET_ID_MAX]; /* the focused widget, "" none yet */
    int focus_arg;
    int focus_pos; /* its place in reading order */
    int focus_w;   /* its index in the frame's widgets, -1 none */
    enum flow_screen focus_screen;
    bool focus_zoom; /* 放大查看 showed in the last frame */
    /* 放大查看 */
    SDL_Texture *zoom_tex; /* the whole frame, drawn before it is enlarged; while zoomed only */
    int zoom_tex_w, zoom_tex_h;
    SDL_Rect zoom_view; /* where the enlarged picture shows, w 0 none */
    int pan_x, pan_y;   /* the top left of the enlarged part, from the content's */
    bool dragging;
    int drag_x, drag_y;
};

/* ui.c: 放大查看's state; the layout for the renderer's output as it is
 * now; the textures of pictures (camera, preview, zoom) dropped. */
bool ui_zooming(const struct ui *ui);
void ui_clamp_pan(struct ui *ui);
void ui_relayout(struct ui *ui);
void ui_drop_pictures(struct ui *ui);

/* ui_present.c: the renderer made for the target (a memory surface, the
 * window's framebuffer, or SDL's accelerated renderer) and dropped with
 * every texture made on it; before a frame, the renderer made again when
 * the window's framebuffer was (a resize: true, the whole frame must be
 * drawn); the frame drawn sent to the screen, only clip when its w is
 * not 0. */
int ui_renderer_make(struct ui *ui);
void ui_renderer_drop(struct ui *ui);
bool ui_renderer_follow(struct ui *ui);
void ui_present(struct ui *ui, SDL_Rect clip);

/* ui_keys.c: a widget that a tap or a key may activate; the focus settled
 * on the frame just built (kept by id, reset on a new screen) and its
 * ring; a key turned into what to tell the flow. */
bool ui_interactive(const struct ui_widget *w);
void ui_focus_settle(struct ui *ui);
void ui_focus_ring(struct kit *k, SDL_Rect b);
bool ui_key(struct ui *ui, const SDL_Keysym *ks, enum flow_input *in, int *arg);

#endif
