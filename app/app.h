/* app.h - the kiosk program's state and what its files share.
 *
 * DESIGN: bdc-kiosk is one UI thread that owns every piece of state below
 * and a handful of workers (card reader, face thread, registry client,
 * print and slip workers, control socket) that report to it through the
 * bus. The program is split by job, one file each:
 *
 *   main.c           options, wiring (start and stop) and the loop
 *   inbox.c          workers' reports -> bus messages -> flow events
 *   effects.c        flow events -> flow_handle -> actions on the workers
 *   devices.c        the reader, camera and printers named in [devices],
 *                    picked from the driver registry (devices.h)
 *   registry_link.c  the registry's URL (or the bundled one), the client
 *                    and the outbox pump that delivers through it
 *   hall_guide.c     the service guide's copy on disk, read at start-up
 *   staff_settings.c the settings staff change in maintenance mode, the
 *                    backlight
 *   heartbeat.c      the heartbeat to the registry, its settings for
 *                    this kiosk
 *   control_verbs.c  the control socket's verbs (control.c: its thread,
 *                    who may connect, the lines and the verb table)
 *
 * Only the UI thread reads or writes struct app; the sink callbacks in
 * inbox.c run on worker threads and touch nothing but the bus.
 */
#ifndef APP_APP_H
#define APP_APP_H

#include "control.h"
#include "core/bus.h"
#include "core/config.h"
#include "core/flow.h"
#include "core/session.h"
#include "devices.h"
#include "print/print_worker.h"
#include "print/slip_worker.h"
#include "registry_child.h"
#include "ui/ui.h"

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How often the guide and the notice are fetched again. */
#define HALL_REFRESH_MS (10 * 60 * 1000)

/* The largest camera frame the preview keeps (RGB24). */
#define CAMERA_MAX (1280 * 720 * 3)

struct backend;
struct outbox_pump;
struct camera_sim;
struct face;
struct hall_guide;
struct idcard;
struct idcard_reader;
struct idcard_sim;
struct journal;
struct printer_sim;
struct ui;
struct voice;

struct options {
    bool demo;
    bool window;
    bool headless;
    bool landscape_set, landscape;
    const char *config_path;
    const char *control_path;
    const char *registry_url;
    const char *assets;
};

struct app {
    struct options opt;
    struct config cfg;
    Uint32 wake_event;
    bool sdl_waits; /* SDL_WaitEventTimeout blocks (X11, Wayland) */
    int wake_fd;    /* eventfd the bus writes when SDL cannot block */
    struct bus *bus;

    struct flow flow;
    struct session session;
    unsigned generation;

    struct ui *ui;
    struct backend *backend;
    struct outbox_pump *outbox;    /* ratings on their way to the registry */
    struct device reader_dev;      /* [devices] reader */
    struct idcard_sim *reader_sim; /* reader = sim: the module the control socket drives */
    struct idcard_reader *reader;
    struct device camera_dev;      /* [devices] camera */
    struct camera_sim *camera_sim; /* camera = sim */
    struct face *face;
    struct print_worker *printer;
    struct device slip_dev;       /* [devices] slip_printer */
    struct printer_sim *slip_sim; /* slip_printer = sim */
    struct slip_worker *slip;
    struct slip_status slip_status;
    struct control *control;
    /* Maintenance mode (staff.c): the PIN store, the slips since the
     * last refill, the facts its screen shows. */
    struct staff_pins *pins;
    int slips_since_refill;
    char registry_error[48];         /* HH:MM and what of its last failed request */
    int a4_err;                      /* the A4 printer's last check (print_cups_check), 0 ready */
    char a4_reasons[128];            /* ... and CUPS's printer-state-reasons then */
    int dev_code[UI_DEV_COUNT];      /* each device's condition in a number ... */
    int64_t dev_since[UI_DEV_COUNT]; /* ... and since when (wall s; 0: unknown) */
    bool a4_checked;                 /* ... once there was one */
    int64_t a4_due_ms;               /* when to ask again */
    uint32_t page_req;               /* the A4 test page's two jobs (compose, print) */
    int page_test;                   /* enum ui_page_test */
    int page_err;                    /* ... its error when it failed */
    struct ui_staff_view staff_view;
    /* 打印记录: the print journal read on this thread (read-only, WAL), the
     * view's rows read again every second while it shows; staff's retry
     * and cancel go to the worker that owns the job's printer. */
    char journal_path[512];
    struct journal *journal_ro;
    int64_t jobs_due_ms;
    uint32_t job_req;  /* the last retry or cancel asked for */
    bool job_req_cert; /* ... of a certificate; else a slip */
    char job_name[64]; /* ... its kind and number, as the note says it */
    /* The settings staff change (staff_settings.c): the config file's,
     * the overlay over them, and what they drive. */
    struct settings settings;
    int light_pct;      /* the brightness last applied, -1 none yet */
    int mix_volume;     /* SDL's mixer volume of the setting (0..SDL_MIX_MAXVOLUME) */
    int64_t started_ms; /* uptime, for the settings tab */
    struct ui_facts facts;
    /* The hall's guide and notice: not personal, kept between visits,
     * fetched again every HALL_REFRESH_MS while the registry answers. */
    struct service_list services;
    struct hall_notice notice;
    bool has_notice;
    int64_t hall_due_ms;
    struct hall_guide *guide;       /* the guide's copy on disk ([kiosk] guide_cache) */
    struct registry_child registry; /* demo mode without a registry URL */
    const char *registry_url;       /* the registry in use (borrowed) */

    /* The fleet (heartbeat.c): the heartbeat's state machine, the
     * registry's settings version in force, offered, refused. */
    int64_t last_frame_s; /* wall time of the last frame drawn */
    bool release_due;     /* a visit ended: memory_release once home is drawn */
    int hb_phase;
    int hb_failures;
    uint32_t hb_seq, hb_req;
    int64_t hb_due_ms, hb_sent_ms;
    int64_t fleet_version, fleet_offered, fleet_refused;

    uint8_t *camera_rgb;
    int camera_w, camera_h;
    uint32_t camera_seq;
    bool camera_picture; /* the face thread makes the screen's picture (ui_view.camera_fill) */
    struct cert_image preview;
    char pdf_path[256];

    struct control_cmd *wait_cmd; /* a `wait` that is not answered yet */
    int wait_screen;
    int64_t wait_deadline_ms;

    struct voice *voice; /* spoken guidance (speech.c, voice.c) */

    int demo_next; /* F2 cycles through the demo citizens */
    bool quit;
    bool restart; /* after quitting, start again (maintenance mode's 重启程序) */
};

/* ---- main.c ---------------------------------------------------------- */

/* Hands the UI the current view and draws it if it changed, so `state`
 * and `screenshot` see the screen as a person would. UI thread. */
void app_present(struct app *a);

/* Shutdown names the step it is in (NULL: done); a step that takes more
 * than 2 s ends the process, logging the step. */
void app_stopping(const char *what);

/* ---- inbox.c: workers -> bus -> flow --------------------------------- */

/* Sinks the workers call on their own threads: each copies what it is
 * given into a bus message. user is the struct app. */
void inbox_wake(void *user);
void inbox_card_inserted(void *user, const struct idcard *card);
void inbox_card_removed(void *user);
void inbox_card_failed(void *user, int err, int sam_status);
void inbox_reader_state(void *user, bool connected);
void inbox_reply(void *user, uint32_t req_id, struct flow_reply *reply);
void inbox_registry_state(void *user, bool connected);
void inbox_print_done(void *user, struct print_result *r);
void inbox_slip_done(void *user, const struct slip_result *r);
void inbox_slip_status(void *user, const struct slip_status *s);

/* An area of the capture screen's picture copied from the face thread's
 * mailbox straight into the frame or the UI's texture (ui_view.camera_fill).
 * UI thread. */
bool inbox_camera_fill(void *user, uint32_t *dst, int pitch, SDL_Rect area, int w, int h);

/* Creates the bus and how it wakes the UI thread: a registered SDL event
 * where SDL can block (X11, Wayland), else an eventfd. Returns 0 or an err. */
int inbox_open(struct app *a);

/* Destroys the bus (every worker has stopped) and closes the eventfd. */
void inbox_close(struct app *a);

/* Turns one SDL event into flow events (or drains the bus, when it is
 * the bus's wake-up). UI thread. */
void inbox_sdl_event(struct app *a, const SDL_Event *e);

/* A touch or a key through the UI (focus, hit testing) into the flow. One
 * that reaches no widget (a finger lifted off them, a key the UI does not
 * use) still says the citizen is there: IN_NONE, or IN_MORE_TIME while
 * the idle banner shows, so the idle time, the banner and the goodbye
 * countdown start again. The control socket's tap-at and key come here
 * too. Returns whether the UI took it as a widget's input. */
bool inbox_sdl_input(struct app *a, const SDL_Event *e);

/* Sleeps until an input or a bus message arrives or timeout ms pass, and
 * handles what arrived. UI thread. */
void inbox_wait(struct app *a, int timeout);

/* Takes every message off the bus and turns each into flow events (or a
 * control verb). UI thread. */
void inbox_drain(struct app *a);

/* ---- effects.c: flow -> workers --------------------------------------- */

/* Stamps ev with the time, runs it through the flow and carries out the
 * actions it asks for. UI thread. */
void effects_feed(struct app *a, struct flow_event ev);

/* Ends the visit: the registry session, the camera, the preview, the
 * certificate files, and wipes the session. UI thread. */
void effects_end_session(struct app *a);

/* Fills a slip's frame: office, hall, terminal, when, demo. */
struct slip_ticket;
void effects_slip_frame(struct app *a, struct slip_ticket *st);

/* Queues a slip answered as req_id (FLOW_EV_SLIP); a refusal is a failed slip. */
void effects_submit_slip(struct app *a, const struct slip_ticket *st, uint32_t req_id);

/* ---- speech.c: what the kiosk says, and when -------------------------- */

/* The flow as it was before an event, to tell what changed. */
struct speech_mark {
    enum flow_screen screen;
    bool banner, printed, card_present, english;
    enum flow_speech speech;  /* the citizen's 语音播报 */
    unsigned countdown_warns; /* flow.countdown_warns */
};

/* Starts the voice ([voice] enabled, wav_dir; the staff's volume); a
 * kiosk without sound runs silent. Main thread, before the loop. */
void speech_start(struct app *a);

/* Stops the voice. Safe without start. */
void speech_stop(struct app *a);

/* Notes the flow before an event; speech_after speaks what changed
 * (a screen's instruction, an error, the idle warning with its tone, the
 * card or printout left behind), or the instruction again for IN_LISTEN. */
void speech_mark(const struct app *a, struct speech_mark *m);
void speech_after(struct app *a, const struct speech_mark *m, const struct flow_event *ev);

/* SDL added an output device (which: its index): a headset switches
 * speech on in auto mode. */
void speech_device_added(struct app *a, int which);

/* Whether speech is on (the footer's 再听一遍 shows then). */
bool speech_is_on(const struct app *a);

/* ---- devices.c ------------------------------------------------------- */

/* Registers the drivers and checks the names in [devices]; an unknown
 * name is logged with the setting and the allowed values. Returns 0 or
 * ERR_INVALID. */
int devices_check(const struct config *cfg);

/* Opens the camera and starts the face thread. Returns 0 or an err. */
int devices_start_face(struct app *a);

/* Opens the reader's transport and starts the reader thread. */
int devices_start_reader(struct app *a);

/* Opens the slip printer and starts its worker, and the certificate
 * printer's worker, both with the print journal. */
int devices_start_printers(struct app *a);

/* Stops and closes whatever the start functions opened (each may have
 * failed or not run). */
void devices_stop(struct app *a);

/* The simulated reader presents demo citizen index's card; no-op without
 * a simulated reader. */
void devices_present_demo_card(struct app *a, int index);

/* ---- registry_link.c ------------------------------------------------- */

/* Settles which registry to use and checks that the TLS files named in
 * [registry] can be read (before the window opens). Returns 0 or an err,
 * logged (ERR_INVALID: a TLS file that cannot be read; ERR_INVALID too
 * without a registry outside demo mode). */
int registry_link_check(struct app *a);

/* In demo mode without a registry, starts the bundled one, which seeds
 * while the devices open: after the first frame, so that neither its fork
 * nor its seeding slows the window's start. Returns 0 or an err. */
int registry_link_start(struct app *a, const char *argv0);

/* Waits for the bundled registry if there is one and starts the client. */
int registry_link_connect(struct app *a);

/* Opens the outbox ([kiosk] outbox) and starts its pump on the client.
 * Returns 0 or an err, logged. */
int registry_link_start_outbox(struct app *a);

/* Stops the outbox pump, the client and the bundled registry. Safe after a
 * failed start. */
void registry_link_stop(struct app *a);

/* ---- hall_guide.c ---------------------------------------------------- */

/* Reads the guide's copy ([kiosk] guide_cache) into a->services, before the
 * first fetch; a missing or damaged copy is logged and the guide starts
 * empty. Never fails start-up. Main thread. */
void hall_guide_open(struct app *a);

/* A guide arrived (r borrowed, REPLY_SERVICES): its body (r->raw) goes to
 * disk on the writer thread unless the file reads the same already. A
 * failed write is logged by the writer. UI thread. */
void hall_guide_set(struct app *a, const struct flow_reply *r);

/* Waits for a write under way and frees the copy. Safe without open. */
void hall_guide_close(struct app *a);

/* ---- control_verbs.c ------------------------------------------------- */

/* Runs one control socket line and answers it (a `wait` is answered
 * later, by control_verbs_poll). UI thread. */
void control_verbs_run(struct app *a, struct control_cmd *cmd);

/* Answers a pending `wait` whose screen shows or whose time is up. */
void control_verbs_poll(struct app *a);

/* Answers the pending `wait` and any command still on the bus with an
 * error; before the control socket stops. */
void control_verbs_cancel(struct app *a);

#endif
