/* ui.h - the kiosk's screen: SDL2 window, toolkit and the citizen screens.
 *
 * DESIGN: the UI is a view of (flow, session). The composition root hands
 * it a struct ui_view whenever something changed (bumping generation);
 * ui_render then rebuilds the current screen into a flat list of widgets
 * while drawing it, and presents. Nothing is drawn while nothing changes
 * (an idle kiosk costs ~0 % CPU); small waiting animations ask for the
 * next frame through ui_next_frame_ms. Taps are hit-tested against the
 * widget list and come back as (enum flow_input, arg) for flow_handle.
 * The same list serves the control socket (state, tap LABEL) and the
 * screenshot tests. Everything here runs on the UI thread only.
 */
#ifndef UI_UI_H
#define UI_UI_H

#include "core/flow.h"
#include "core/session.h"
#include "ui/geometry.h"

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How frames reach a window's screen ([display] renderer). */
enum ui_renderer {
    UI_RENDERER_AUTO = 0, /* surface on X11, gl elsewhere (ui_present.c says why) */
    UI_RENDERER_GL,       /* SDL's accelerated renderer (OpenGL): whole frames */
    UI_RENDERER_SURFACE   /* the software renderer into the window's own framebuffer:
                             only what changed is drawn and sent */
};

struct ui_config {
    /* Headless: the screen's size in real pixels (0: the reference panel
     * in the orientation below). A window takes its size from the display. */
    int width, height;
    enum geometry_orientation orientation; /* auto: from the screen's shape */
    double diagonal_in;                    /* the screen's diagonal; 0 unknown */
    bool fullscreen;
    bool headless;             /* no window: software renderer on a memory surface */
    enum ui_renderer renderer; /* a window's renderer (auto) */
    bool still;                /* no animation (screenshot tests): phase 0, no frames */
    const char *font_regular;  /* optional font paths; fontconfig otherwise */
    const char *font_bold;
    const char *office;   /* 焦作市不动产登记中心 (borrowed for the ui's life) */
    const char *hall;     /* 解放区服务大厅 */
    const char *terminal; /* 03 */
    /* Where the face is compared, for the consent notice and the privacy
     * line under the capture progress: false (the default) the registry,
     * over the government network, deleting the frame after the verdict;
     * true an on-device matcher, the frame never leaves the kiosk. Set
     * from [face] matcher; must match the path the kiosk really takes. */
    bool face_on_device;
};

/* One device as maintenance mode shows it: its state in a word and a
 * line of detail in plain words (no personal data). */
enum ui_device_state { UI_DEVICE_OK = 0, UI_DEVICE_WARN, UI_DEVICE_FAULT, UI_DEVICE_OFF };

enum ui_device {
    UI_DEV_READER = 0,
    UI_DEV_CAMERA,
    UI_DEV_SLIP,
    UI_DEV_A4,
    UI_DEV_REGISTRY,
    UI_DEV_CLOCK,
    UI_DEV_DISK,
    UI_DEV_COUNT
};

/* The A4 test page: not asked, on its way, printed, not printed. */
enum ui_page_test { UI_PAGE_NONE = 0, UI_PAGE_PRINTING, UI_PAGE_PRINTED, UI_PAGE_FAILED };

#define UI_LOG_LINES 200 /* the log view's lines, newest last */
#define UI_LOG_WIDTH 160

/* One print job as 打印记录 lists it: what it printed, by the number a
 * citizen holds (queue number, certificate number), never anything else. */
enum ui_job_state {
    UI_JOB_QUEUED = 0, /* waiting for the printer (paper, cover) */
    UI_JOB_SENDING,    /* going out */
    UI_JOB_SENT,       /* with the printer, not confirmed yet */
    UI_JOB_PRINTED,
    UI_JOB_FAILED,
    UI_JOB_HELD,   /* stuck, held for staff (a certificate) */
    UI_JOB_EXPIRED /* withdrawn: not printed in time (why says why) */
};

#define UI_JOBS_MAX 48 /* the newest jobs the view lists */

struct ui_job {
    int id;    /* the journal's job id: the arg of IN_JOB_RETRY and IN_JOB_CANCEL */
    bool cert; /* 证明; else 小票 */
    enum ui_job_state state;
    char key[40];    /* queue number or certificate number */
    char when[16];   /* MM-DD HH:MM of its last change */
    int attempts;    /* times sent to the printer */
    int why;         /* UI_JOB_EXPIRED, UI_JOB_FAILED: enum journal_reason, 0 none */
    bool can_retry;  /* 重新打印 offered: a held certificate, a failed slip */
    bool can_cancel; /* 取消 offered: a held certificate, a slip waiting for the printer */
};

struct ui_staff_view {
    enum ui_device_state state[UI_DEV_COUNT];
    char detail[UI_DEV_COUNT][160];
    char since[UI_DEV_COUNT][32]; /* "自 09:40 起": since when it is in that state, or "" */
    /* The camera's test (flow camera_preview): the detector on the newest
     * frame, the main face's box in the frame's pixels. */
    int faces;
    SDL_Rect face_box;
    int luma, sharpness;
    enum ui_page_test page_test;
    char page_err[64]; /* why the test page did not print, in words */
    int log_count;     /* filled only while the log view shows */
    char log[UI_LOG_LINES][UI_LOG_WIDTH];
    int job_count; /* filled only while 打印记录 shows; newest first */
    struct ui_job jobs[UI_JOBS_MAX];
    int job_busy;       /* the job id a retry or cancel is under way for, 0 none */
    char job_note[160]; /* what the last retry or cancel did, in words; "" none */
};

/* The settings tab's read-only facts. */
struct ui_facts {
    char kiosk_id[64];
    char registry[160];
    char version[32];
    char uptime[64];
    char backlight[160]; /* [display] backlight, "" when none */
};

struct ui_view {
    unsigned generation;           /* bumped by the owner whenever flow/session changed */
    const struct flow *flow;       /* borrowed until the next ui_set_view */
    const struct session *session; /* borrowed until the next ui_set_view */
    int64_t wall_s;                /* header clock (epoch seconds) */
    const uint32_t *preview_argb;  /* certificate page preview ARGB8888, or NULL */
    int preview_w, preview_h;
    const uint8_t *camera_rgb; /* latest camera frame RGB24 (mirrored on screen), or NULL */
    int camera_w, camera_h;
    /* Or (camera_rgb NULL) the picture as the screen shows it, made at
     * ui_camera_size on the face thread: camera_fill copies the area of the
     * newest one, camera_w x camera_h ARGB8888 mirrored and cropped,
     * straight to dst (the area's top left in the frame, or in the UI's
     * texture; pitch bytes a row); false when it has none. UI thread. */
    bool (*camera_fill)(void *user, uint32_t *dst, int pitch, SDL_Rect area, int w, int h);
    void *camera_fill_user;
    unsigned camera_seq;               /* bumped per new frame */
    const char *pdf_path;              /* where the demo PDF went, or NULL */
    const struct hall_notice *notice;  /* the registry's notice and hours, or NULL */
    const struct ui_staff_view *staff; /* maintenance mode's facts, or NULL */
    const struct settings *settings;   /* the staff's settings (notice, hours), or NULL */
    const struct ui_facts *facts;      /* the settings tab's facts, or NULL */
    bool speech;                       /* speech is on: the footer offers 再听一遍 */
};

enum ui_widget_kind {
    UI_BUTTON = 0, /* primary/secondary/quiet buttons and links */
    UI_TILE,       /* home tiles */
    UI_OPTION,     /* radio cards, rating rows */
    UI_CARD,       /* tappable record cards */
    UI_TOGGLE,     /* switches and pills */
    UI_KEY,        /* keypad keys */
    UI_LABEL,      /* text (not interactive) */
    UI_CHIP,       /* encumbrance chips (not interactive) */
    UI_LIST,       /* label/value list rows (not interactive) */
    UI_KIND_COUNT
};

#define UI_WIDGET_ID_MAX    32
#define UI_WIDGET_LABEL_MAX 128

struct ui_widget {
    char id[UI_WIDGET_ID_MAX];
    char label[UI_WIDGET_LABEL_MAX]; /* visible text, UTF-8, markup removed */
    enum ui_widget_kind kind;
    SDL_Rect bounds;
    bool enabled;
    bool selected;
    enum flow_input input; /* IN_NONE for non-interactive widgets */
    int arg;
};

struct ui;

/* Creates the window (or, headless, a memory surface) and the renderer.
 * cfg is borrowed during the call; its strings for the ui's life. Fonts
 * open lazily on the first frame. Returns NULL and logs on failure. */
struct ui *ui_create(const struct ui_config *cfg);
void ui_destroy(struct ui *ui);

/* Takes a new view (copied; its pointers are borrowed until the next
 * call). Marks the frame dirty when generation, the clock minute, the
 * camera frame or the preview changed. */
void ui_set_view(struct ui *ui, const struct ui_view *v);

/* Draws and presents if dirty or an animation step is due. Returns true
 * if it drew. */
bool ui_render(struct ui *ui);

/* Milliseconds until the next animation step, or -1 if none. */
int ui_next_frame_ms(const struct ui *ui);

/* Feeds one SDL event. Returns true when a widget (or key) was activated;
 * *input and *arg then say what to tell the flow. Window events that
 * need a redraw mark the frame dirty. */
bool ui_handle_event(struct ui *ui, const SDL_Event *e, enum flow_input *input, int *arg);

/* The widgets of the last frame (owned by ui, valid until the next
 * ui_render). Returns the count. */
/* Frames drawn since start: all, and those drawn only in an animation's
 * or the camera picture's area. */
void ui_frames(const struct ui *ui, uint64_t *all, uint64_t *partial);
/* Bytes of pixels the text and the shape caches hold, the most text one
 * frame drew since start (放大查看's frames, drawn twice as sharp, apart),
 * and the text cache's budget (a frame may go over it: its text is kept
 * while it is drawn). */
struct ui_cache_bytes {
    size_t text, masks, frame_text_most, text_budget;
};
struct ui_cache_bytes ui_cache_bytes(const struct ui *ui);

/* The camera picture's size on the output (real pixels) in the last frame
 * drawn, 0 x 0 when it showed none: the size to make pictures at. */
void ui_camera_size(const struct ui *ui, int *w, int *h);
size_t ui_widgets(const struct ui *ui, const struct ui_widget **out);

/* The interactive, enabled widget whose label is label (exact match
 * first, then the first substring match), or NULL. */
const struct ui_widget *ui_find(const struct ui *ui, const char *label);

/* Writes the current frame as an 8-bit RGB PNG. Returns 0 or ERR_IO. */
int ui_screenshot(struct ui *ui, const char *png_path);

/* Copies the current frame as ARGB8888 (w*h pixels) into a new buffer the
 * caller frees. Returns NULL on failure. */
uint32_t *ui_read_pixels(struct ui *ui, int *w, int *h);

/* Forces portrait or landscape. Headless, the screen turns with it (the
 * reference panel turned); a window turns its shape; a fullscreen window
 * letterboxes a layout that goes against the display's shape. */
void ui_set_orientation(struct ui *ui, bool landscape);

/* The screen and canvas of the last layout (geometry.h). */
const struct geometry *ui_geometry(const struct ui *ui);

/* How frames reach the screen: "headless", "gl", "surface", or the
 * name of the renderer SDL fell back to. */
const char *ui_renderer_name(const struct ui *ui);

/* The smallest text of the last frame, in design pixels (INT_MAX none). */
int ui_text_min(const struct ui *ui);

/* The id of the widget the keys have focused ("" when keys are not in
 * use or nothing can take the focus). See ui.c for the key map. */
const char *ui_focus_id(const struct ui *ui);

/* Layout problems found while drawing the last frame (text wider than its
 * box, too many lines). Returns the count; *first is the first message. */
int ui_layout_issues(const struct ui *ui, const char **first);

/* The error screen's string stem for f->problem (error.<stem>.title and
 * .lead), as the screen shows it: what the kiosk speaks for an error. */
const char *ui_error_key(const struct flow *f);

#endif
