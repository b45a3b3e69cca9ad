/* main.c - bdc-kiosk's composition root and its one event loop.
 *
 * DESIGN: this is the only file that sees every worker. It reads the
 * arguments and the config, starts the workers (devices.c opens the
 * reader, camera and slip printer; here the registry client, the print
 * worker, the control socket, and in demo mode the bundled reference
 * registry as a child process), and then runs the UI thread's loop:
 *
 *   sleep until an input, a bus message, or the next time-driven change
 *   (idle banner second, animation step, clock minute) -> turn each into a
 *   flow event (inbox.c) -> flow_handle -> carry out the actions
 *   (effects.c) -> hand the UI a new view -> draw only if it changed.
 *
 * Workers never touch the session or SDL; they post to the bus, whose
 * first message wakes the loop (inbox_wait says how it sleeps). So an idle
 * kiosk does nothing at all between minutes; under systemd's watchdog
 * (watchdog.c) it also wakes every WatchdogSec/2 to say it still runs.
 */
#include "app.h"

#include "base/clock.h"
#include "base/datafile.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "core/i18n.h"
#include "heartbeat.h"
#include "demo/demo.h"
#include "log_tail.h"
#include "memory.h"
#include "staff.h"
#include "staff_settings.h"
#include "ui/ui.h"
#include "voice.h"
#include "watchdog.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* Each step of stop() must end within this, or the process exits anyway. */
#define STOP_STEP_MS 2000

static atomic_int got_signal;    /* set by the signal thread, read by the loop */
static _Atomic bool loop_ready;  /* the inbox is open: a wake reaches the loop */
static struct watchdog watchdog; /* systemd's, when it runs the kiosk (UI thread) */

/* SIGINT and SIGTERM are blocked in every thread and taken here, by a
 * thread of their own: the loop may sleep in SDL's wait for X or Wayland
 * events, which a signal handler cannot interrupt, so the signal has to
 * arrive as a wake-up. Children unblock them before exec. */
static void *signals_thread(void *arg)
{
    struct app *a = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig;
    if (sigwait(&set, &sig) == 0) {
        got_signal = sig;
        if (loop_ready)
            inbox_wake(a);
    }
    return NULL;
}

/* ---- a bounded shutdown --------------------------------------------- */

/* The step stop() is in, and since when: a thread of its own watches it,
 * so that a worker stuck in a driver (a USB read the kernel never ends, a
 * printer port that never answers) cannot keep a kiosk from restarting. */
static _Atomic(const char *) stop_step;
static atomic_llong stop_step_ms;

void app_stopping(const char *what)
{
    stop_step_ms = clock_mono_ms();
    stop_step = what;
}

static void *stop_watch(void *arg)
{
    (void)arg;
    for (;;) {
        const char *what = stop_step;
        if (what && clock_mono_ms() - stop_step_ms > STOP_STEP_MS) {
            log_err("app", "shutdown: %s did not stop within %d s; exiting without it", what,
                    STOP_STEP_MS / 1000);
            _exit(3);
        }
        struct timespec pause = {0, 50 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return NULL;
}

/* The process holds names, ID numbers and faces: it leaves no core file,
 * and no other process of its user may read its memory (ptrace,
 * /proc/PID/mem). An exec (the restart) makes it dumpable again, so this
 * runs first thing in main. */
static void keep_memory_private(void)
{
    struct rlimit none = {0, 0};
    bool core_off = setrlimit(RLIMIT_CORE, &none) == 0;
    bool undumpable = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 && prctl(PR_GET_DUMPABLE) == 0;
    if (core_off && undumpable)
        log_info("app", "memory kept private: no core dumps, not dumpable");
    else
        log_err("app", "memory not kept private: %s", strerror(errno));
}

/* ---- the loop ------------------------------------------------------- */

void app_present(struct app *a)
{
    struct ui_view v = {
        .generation = a->generation,
        .flow = &a->flow,
        .session = &a->session,
        .wall_s = clock_wall_s(),
        .preview_argb = (const uint32_t *)a->preview.data,
        .preview_w = a->preview.w,
        .preview_h = a->preview.h,
        .camera_rgb = a->camera_w && !a->camera_picture ? a->camera_rgb : NULL,
        .camera_fill = a->camera_w && a->camera_picture ? inbox_camera_fill : NULL,
        .camera_fill_user = a,
        .camera_w = a->camera_w,
        .camera_h = a->camera_h,
        .camera_seq = a->camera_seq,
        .pdf_path = a->pdf_path[0] ? a->pdf_path : NULL,
        .notice = a->has_notice ? &a->notice : NULL,
        .staff = staff_view(a),
        .settings = &a->settings,
        .facts = staff_settings_facts(a),
        .speech = speech_is_on(a),
    };
    ui_set_view(a->ui, &v);
    if (ui_render(a->ui))
        a->last_frame_s = clock_wall_s();
    /* After a visit, its memory goes back once home is drawn: the UI
     * frees the visit's texts and pictures when it sees the visit ended,
     * and the screens after it (goodbye, home) draw and free more. Pages
     * freed after a release stay resident until the next one: released at
     * the visit's end instead, 7-10 MB of freed heap stayed resident on
     * home, more as the heap spread (app/README.md, Memory). */
    if (a->release_due && !a->session.active && a->flow.screen == SCREEN_HOME) {
        a->release_due = false;
        memory_release();
    }
}

static int next_timeout(struct app *a)
{
    int t = flow_next_wakeup_ms(&a->flow);
    int u = ui_next_frame_ms(a->ui);
    if (u >= 0 && (t < 0 || u < t))
        t = u;
    /* The header clock changes once a minute. */
    int m = (int)(60 - clock_wall_s() % 60) * 1000;
    if (t < 0 || m < t)
        t = m;
    int h = heartbeat_next_ms(a);
    if (h >= 0 && h < t)
        t = h;
    if (a->wait_cmd) {
        int64_t w = a->wait_deadline_ms - clock_mono_ms();
        if (w < t)
            t = w < 0 ? 0 : (int)w;
    }
    int d = watchdog_next_ms(&watchdog, clock_mono_ms()); /* -1 outside systemd */
    if (d >= 0 && d < t)
        t = d;
    return t;
}

static void run(struct app *a)
{
    app_present(a);
    while (!a->quit && !got_signal) {
        inbox_wait(a, next_timeout(a));
        effects_feed(a, (struct flow_event){.kind = FLOW_EV_TICK});
        heartbeat_tick(a);
        app_present(a);
        control_verbs_poll(a);
        watchdog_poll(&watchdog, clock_mono_ms()); /* this turn drew and handled events */
    }
}

/* ---- start-up -------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: bdc-kiosk [--demo] [--window] [--headless] [--landscape|--portrait]\n"
               "                 [--config PATH] [--control PATH] [--registry URL]\n"
               "                 [--assets DIR]\n");
}

/* Each long option sets a flag or keeps its string. */
static int parse_args(int argc, char **argv, struct options *o)
{
    bool help = false;
    const struct {
        const char *name;
        bool *flag;
        const char **value;
    } rows[] = {
        {"demo", &o->demo, NULL},
        {"window", &o->window, NULL},
        {"headless", &o->headless, NULL},
        {"landscape", NULL, NULL},
        {"portrait", NULL, NULL},
        {"help", &help, NULL},
        {"config", NULL, &o->config_path},
        {"control", NULL, &o->control_path},
        {"registry", NULL, &o->registry_url},
        {"assets", NULL, &o->assets},
    };
    struct option longs[ARRAY_LEN(rows) + 1] = {{0}};
    for (size_t i = 0; i < ARRAY_LEN(rows); i++)
        longs[i] = (struct option){rows[i].name, rows[i].value ? required_argument : no_argument,
                                   NULL, (int)i};
    int ch;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        if (ch < 0 || (size_t)ch >= ARRAY_LEN(rows)) {
            usage(stderr);
            return ERR_INVALID;
        }
        if (rows[ch].flag) {
            *rows[ch].flag = true;
        } else if (rows[ch].value) {
            *rows[ch].value = optarg;
        } else { /* --landscape or --portrait: the last one wins */
            o->landscape_set = true;
            o->landscape = !strcmp(rows[ch].name, "landscape");
        }
    }
    if (help) {
        usage(stdout);
        exit(0);
    }
    return ERR_OK;
}

/* The bench sets BDC_KIOSK_T0_NS to the wall time just before exec; the
 * kiosk reports how long it took to show its first frame. */
static void log_first_frame(void)
{
    const char *t0 = getenv("BDC_KIOSK_T0_NS");
    if (!t0)
        return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec - atoll(t0);
    log_info("app", "first frame after %.1f ms", (double)ns / 1e6);
}

/* Start-up's steps at debug level (BDC_KIOSK_LOG=debug): ms since exec
 * when the bench gave its time stamp (BDC_KIOSK_T0_NS), else since main. */
static long long startup_t0_ns;

static void startup_steps_begin(void)
{
    const char *level = getenv("BDC_KIOSK_LOG");
    if (level && !strcmp(level, "debug"))
        log_set_level(LOG_LEVEL_DEBUG);
    const char *t0 = getenv("BDC_KIOSK_T0_NS");
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    startup_t0_ns = t0 ? atoll(t0) : (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static void startup_step(const char *what)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec - startup_t0_ns;
    log_debug("app", "start-up: %s at %.1f ms", what, (double)ns / 1e6);
}

static int start(struct app *a, const char *argv0)
{
    startup_step("main");
    config_defaults(&a->cfg);
    int rc = a->opt.config_path ? config_load(&a->cfg, a->opt.config_path) : 0;
    if (rc) {
        log_err("app", "config %s: %s", a->opt.config_path, err_str(rc));
        return rc;
    }
    rc = devices_check(&a->cfg);
    if (!rc && !a->opt.demo)
        rc = config_check_production(&a->cfg, a->opt.registry_url ? a->opt.registry_url
                                                                  : a->cfg.registry_url);
    if (rc)
        return rc;
    if (a->opt.landscape_set)
        a->cfg.orientation = a->opt.landscape ? ORIENT_LANDSCAPE : ORIENT_PORTRAIT;

    char buf[512]; /* --assets is $BDC_KIOSK_ASSETS by now (main) */
    const char *strings = datafile_path(buf, sizeof buf, "strings", KIOSK_ASSETS_DIR "/strings");
    if (i18n_load(strings) != 0) {
        log_err("app", "string tables not found in %s", strings);
        return ERR_NOTFOUND;
    }
    i18n_set_lang(a->cfg.english ? I18N_EN : I18N_ZH);
    startup_step("strings");

    rc = registry_link_check(a);
    if (rc)
        return rc;

    struct ui_config ucfg = {
        .orientation = (enum geometry_orientation)a->cfg.orientation,
        .diagonal_in = a->cfg.diagonal_in,
        .fullscreen = !a->opt.window && !a->opt.headless,
        .headless = a->opt.headless,
        .renderer = (enum ui_renderer)a->cfg.renderer,
        .font_regular = a->cfg.font_regular[0] ? a->cfg.font_regular : NULL,
        .font_bold = a->cfg.font_bold[0] ? a->cfg.font_bold : NULL,
        .office = a->cfg.office,
        .hall = a->cfg.hall,
        .terminal = a->cfg.terminal,
        .face_on_device = false,
    };
    /* The consent notice must say where the face really goes. This build
     * has no on-device matcher, so the frame always goes to the registry. */
    if (a->cfg.face_on_device)
        log_err("face", "[face] matcher = on_device, but no on-device matcher is installed: "
                        "faces go to the registry and the notice says so");
    a->ui = ui_create(&ucfg);
    if (!a->ui)
        return ERR_IO;
    startup_step("window and fonts");
    rc = inbox_open(a);
    if (rc)
        return rc;

    struct flow_timing t = {
        .idle_ms = a->cfg.idle_s * 1000,
        .idle_banner_ms = a->cfg.idle_banner_s * 1000,
        .capture_ms = a->cfg.capture_s * 1000,
        .goodbye_ms = a->cfg.goodbye_s * 1000,
        .card_wait_ms = a->cfg.idle_s * 1000,
    };
    flow_init(&a->flow, &t, a->opt.demo, clock_mono_ms());
    a->flow.audit_key = a->cfg.audit_key[0] ? a->cfg.audit_key : config_demo_audit_key;
    a->flow.services = &a->services;
    hall_guide_open(a); /* the last guide, until the registry sends one */
    startup_step("guide");
    a->flow.elder = a->flow.start_elder = a->cfg.elder;
    a->flow.contrast = a->flow.start_contrast = a->cfg.contrast;
    a->flow.english = a->cfg.english;
    /* [voice] enabled = off: no speaker, the home screen offers no 语音播报. */
    a->flow.speaker = a->cfg.voice_mode != VOICE_OFF;
    staff_settings_start(a); /* the staff's settings over the config file's */
    startup_step("settings");
    session_wipe(&a->session);
    /* The home screen first: what it does not need opens after it. The
     * registry's notices and guide, and the devices' states, arrive through
     * the bus and redraw it; speech waits for no one on the home screen. */
    app_present(a);
    log_first_frame();
    startup_step("first frame");
    watchdog_ready(&watchdog, clock_mono_ms()); /* READY=1: the first frame is drawn */

    rc = registry_link_start(a, argv0); /* the bundled one seeds while the devices open */
    if (rc)
        return rc;
    speech_start(a);
    if (speech_is_on(a))
        a->generation++; /* the header's 语音播报 shows it on */
    startup_step("registry started, speech");
    if (a->opt.demo)
        devices_clean_demo_output(&a->cfg, true);
    rc = devices_start_face(a);
    if (!rc)
        rc = devices_start_reader(a);
    if (!rc)
        rc = devices_start_printers(a);
    if (rc)
        return rc;
    startup_step("devices");

    rc = registry_link_connect(a);
    if (!rc)
        rc = registry_link_start_outbox(a);
    if (rc)
        return rc;
    staff_start(a);
    log_tail_start();
    heartbeat_start(a); /* the registry's last settings over the staff's */

    if (a->opt.control_path) {
        a->control = control_start(a->opt.control_path, a->bus, a->cfg.control_group);
        if (!a->control)
            return ERR_IO;
    }
    startup_step("ready");
    log_info("app", "ready: %s mode, registry %s", a->opt.demo ? "demo" : "production",
             a->registry_url);
    return ERR_OK;
}

static void stop(struct app *a)
{
    if (!a->restart) /* systemd would take STOPPING=1 as the end and kill the exec'd kiosk */
        watchdog_stopping(&watchdog);
    pthread_t watch;
    if (pthread_create(&watch, NULL, stop_watch, NULL) == 0)
        pthread_detach(watch);
    else
        log_warn("app", "shutdown is not watched: no thread for it");
    /* Answer whatever the control thread still waits for, then stop it. */
    app_stopping("control socket");
    control_verbs_cancel(a);
    control_stop(a->control);
    app_stopping("the end of the visit");
    if (a->session.active && a->backend)
        effects_end_session(a);
    devices_stop(a); /* names each device it stops */
    cert_image_fini(&a->preview);
    app_stopping("log tail");
    log_tail_stop();
    app_stopping("speech");
    speech_stop(a);
    app_stopping("maintenance mode");
    staff_stop(a);
    app_stopping("registry link");
    registry_link_stop(a);
    hall_guide_close(a);
    app_stopping("window");
    inbox_close(a);
    ui_destroy(a->ui);
    session_wipe(&a->session);
    i18n_unload();
    app_stopping(NULL);
}

int main(int argc, char **argv)
{
    static struct app app; /* large (the session holds records): not on the stack */
    memory_tune();         /* before any thread */
    keep_memory_private();
    watchdog_init(&watchdog, clock_mono_ms());
    if (parse_args(argc, argv, &app.opt) != 0)
        return 2;
    startup_steps_begin();
    if (app.opt.assets) /* the demo population and the registry child read it too */
        setenv("BDC_KIOSK_ASSETS", app.opt.assets, 1);
    if (app.opt.headless) {
        /* Software rendering on SDL's dummy driver: identical pixels everywhere. */
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_RENDER_DRIVER", "software", 1);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN); /* a file at its size limit: the write fails (EFBIG), said once */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* before any thread starts */
    pthread_t sig_thread;
    bool sig_watch = pthread_create(&sig_thread, NULL, signals_thread, &app) == 0;
    int rc = start(&app, argv[0]);
    if (rc == 0) {
        loop_ready = true;
        run(&app);
    }
    loop_ready = false;
    stop(&app);
    if (sig_watch) {
        pthread_cancel(sig_thread); /* sigwait is a cancellation point */
        pthread_join(sig_thread, NULL);
    }
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    if (rc)
        log_err("app", "start-up failed: %s", err_str(rc));
    if (!rc && app.restart) {
        /* 重启程序 in maintenance mode: the same program and options, fresh. */
        log_notice("app", "restarting");
        execv("/proc/self/exe", argv);
        log_err("app", "restart failed: %s", strerror(errno));
    }
    return rc || app.restart ? 1 : 0;
}
