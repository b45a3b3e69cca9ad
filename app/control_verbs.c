/* control_verbs.c - what each control socket command does.
 *
 * control.c moves the lines; this file runs them, on the UI thread, where
 * the state they read and change lives. Every answer is one JSON object
 * with "ok"; errors carry "error", usage errors the verb's usage line.
 *
 * DESIGN: a table of verbs (names, usage lines and which are for tests
 * only in control.c's control_verb_table, the functions here, as in tmux's
 * and redis's command tables); `help` lists the table, so the list cannot
 * drift from what the kiosk understands. Outside demo mode the verbs for
 * tests are refused and `state` leaves out the widgets' labels (a
 * citizen's name and addresses) and the certificate's path. Verbs that
 * drive a simulated device answer an error when the kiosk runs a real one.
 * `wait` is the one verb answered later: it parks its command in struct
 * app and control_verbs_poll answers it from the loop.
 */
#include "app.h"
#include "memory.h"
#include "voice.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "demo/demo.h"
#include "drivers/camera/camera.h"
#include "drivers/escpos/printer.h"
#include "drivers/idcard/idcard_reader.h"
#include "drivers/idcard/idcard_sim.h"
#include "ui/ui.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

static void reply_ok(struct control_cmd *cmd)
{
    control_reply(cmd, "{\"ok\":true}");
}

static void reply_json(struct control_cmd *cmd, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    control_reply(cmd, s ? s : "{\"ok\":false}");
    cJSON_free(s);
    cJSON_Delete(o);
}

static void reply_error(struct control_cmd *cmd, const char *why)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", false);
    cJSON_AddStringToObject(o, "error", why);
    reply_json(cmd, o);
}

static const char *const widget_kind_names[UI_KIND_COUNT] = {
    "button", "tile", "option", "card", "toggle", "key", "label", "chip", "list",
};

/* The state; the widgets and the certificate's path in demo mode only. */
static void reply_state(struct app *a, struct control_cmd *cmd)
{
    bool full = a->opt.demo;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", true);
    cJSON_AddStringToObject(o, "screen", flow_screen_name(a->flow.screen));
    cJSON_AddBoolToObject(o, "busy", a->flow.busy);
    cJSON_AddNumberToObject(o, "idle_left_ms", flow_idle_left_ms(&a->flow));
    cJSON_AddBoolToObject(o, "confirm_home", a->flow.confirm_home);
    cJSON_AddBoolToObject(o, "session", a->session.active);
    cJSON_AddBoolToObject(o, "registry_connected", a->flow.registry_connected);
    cJSON_AddBoolToObject(o, "reader_connected", a->flow.reader_connected);
    cJSON_AddBoolToObject(o, "card_present", a->flow.card_present);
    char reader[128];
    idcard_reader_status(a->reader, reader, sizeof reader);
    cJSON_AddStringToObject(o, "reader_status", reader);
    cJSON_AddBoolToObject(o, "reader_waiting", idcard_reader_is_waiting(a->reader));
    if (a->flow.screen == SCREEN_ERROR)
        cJSON_AddNumberToObject(o, "problem", a->flow.problem);
    if (full && a->pdf_path[0])
        cJSON_AddStringToObject(o, "pdf", a->pdf_path);
    cJSON_AddStringToObject(o, "focus", ui_focus_id(a->ui)); /* "" until a key is used */
    cJSON_AddBoolToObject(o, "zoom", a->flow.zoom);
    /* the screen: its real pixels, the canvas the widgets' bounds are in,
     * real pixels per canvas pixel, and text that did not fit */
    const struct geometry *g = ui_geometry(a->ui);
    cJSON *d = cJSON_AddObjectToObject(o, "display");
    cJSON_AddItemToObject(d, "output", cJSON_CreateIntArray((int[]){g->px_w, g->px_h}, 2));
    cJSON_AddItemToObject(d, "canvas", cJSON_CreateIntArray((int[]){g->w, g->h}, 2));
    cJSON_AddNumberToObject(d, "scale", g->scale);
    cJSON_AddNumberToObject(d, "mm_per_px", g->mm_per_px);
    cJSON_AddStringToObject(d, "orientation", g->landscape ? "landscape" : "portrait");
    cJSON_AddStringToObject(d, "renderer", ui_renderer_name(a->ui));
    const char *first = NULL;
    cJSON_AddNumberToObject(d, "text_issues", ui_layout_issues(a->ui, &first));
    if (first)
        cJSON_AddStringToObject(d, "first_issue", first);
    /* The screen's own countdown (goodbye, the capture limit), 0 none. */
    int64_t left = a->flow.screen_deadline_ms ? a->flow.screen_deadline_ms - a->flow.now_ms : 0;
    cJSON_AddNumberToObject(o, "countdown_left_ms", (double)(left > 0 ? left : 0));
    if (!full) {
        reply_json(cmd, o);
        return;
    }
    cJSON *list = cJSON_AddArrayToObject(o, "widgets");
    const struct ui_widget *w;
    size_t n = ui_widgets(a->ui, &w);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "id", w[i].id);
        cJSON_AddStringToObject(j, "label", w[i].label);
        cJSON_AddStringToObject(j, "kind",
                                (unsigned)w[i].kind < UI_KIND_COUNT ? widget_kind_names[w[i].kind]
                                                                    : "other");
        cJSON *b = cJSON_AddArrayToObject(j, "bounds");
        cJSON_AddItemToArray(b, cJSON_CreateNumber(w[i].bounds.x));
        cJSON_AddItemToArray(b, cJSON_CreateNumber(w[i].bounds.y));
        cJSON_AddItemToArray(b, cJSON_CreateNumber(w[i].bounds.w));
        cJSON_AddItemToArray(b, cJSON_CreateNumber(w[i].bounds.h));
        cJSON_AddBoolToObject(j, "enabled", w[i].enabled);
        if (w[i].selected)
            cJSON_AddBoolToObject(j, "selected", true);
        cJSON_AddItemToArray(list, j);
    }
    reply_json(cmd, o);
}

/* ---- the verbs --------------------------------------------------------- */

/* A verb answers cmd (or parks it, as `wait` does). args is the rest of
 * the line after the verb and one space; "" when there is none. Returns
 * ERR_INVALID for a usage error, which the caller answers with the usage
 * line; otherwise 0, the verb having answered. */
typedef int (*control_verb_fn)(struct app *a, struct control_cmd *cmd, const char *args);

static int verb_help(struct app *a, struct control_cmd *cmd, const char *args);

static int verb_state(struct app *a, struct control_cmd *cmd, const char *args)
{
    (void)args;
    reply_state(a, cmd);
    return 0;
}

/* The enabled, tappable widget whose label is label (whole), or, with
 * containing, the first whose label contains it; NULL if none. */
static const struct ui_widget *find_widget(const struct app *a, const char *label, bool containing)
{
    const struct ui_widget *w;
    size_t n = ui_widgets(a->ui, &w);
    for (size_t i = 0; i < n; i++) {
        if (w[i].input == IN_NONE || !w[i].enabled)
            continue;
        if (containing ? strstr(w[i].label, label) != NULL : strcmp(w[i].label, label) == 0)
            return &w[i];
    }
    return NULL;
}

static void tap_widget(struct app *a, struct control_cmd *cmd, const struct ui_widget *w)
{
    effects_feed(a, (struct flow_event){.kind = FLOW_EV_INPUT, .input = w->input, .arg = w->arg});
    reply_ok(cmd);
}

/* Whole labels only: `tap 返回` must not press 返回首页. */
static int verb_tap(struct app *a, struct control_cmd *cmd, const char *args)
{
    if (!args[0])
        return ERR_INVALID;
    const struct ui_widget *w = find_widget(a, args, false);
    if (w) {
        tap_widget(a, cmd, w);
    } else if (a->opt.demo && (w = find_widget(a, args, true)) != NULL) {
        char why[CONTROL_LINE_MAX];
        snprintf(why, sizeof why, "no enabled widget labelled '%s' (but '%s' contains it)", args,
                 w->label);
        reply_error(cmd, why);
    } else {
        reply_error(cmd, "no enabled widget with that label");
    }
    return 0;
}

static int verb_tap_containing(struct app *a, struct control_cmd *cmd, const char *args)
{
    if (!args[0])
        return ERR_INVALID;
    const struct ui_widget *w = find_widget(a, args, true);
    if (w)
        tap_widget(a, cmd, w);
    else
        reply_error(cmd, "no enabled widget whose label contains that text");
    return 0;
}

static int verb_tap_at(struct app *a, struct control_cmd *cmd, const char *args)
{
    int x, y;
    if (sscanf(args, "%d %d", &x, &y) != 2)
        return ERR_INVALID;
    /* Through SDL, as a finger would: press and release at one point. */
    SDL_Event e = {.type = SDL_MOUSEBUTTONDOWN};
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
    enum flow_input in;
    int arg;
    ui_handle_event(a->ui, &e, &in, &arg);
    e.type = SDL_MOUSEBUTTONUP;
    inbox_sdl_input(a, &e);
    reply_ok(cmd);
    return 0;
}

/* Key names on the control socket and the SDL keys they press. */
static const struct {
    const char *name;
    SDL_Keycode sym;
    Uint16 mod;
} key_names[] = {
    {"up", SDLK_UP, 0},
    {"down", SDLK_DOWN, 0},
    {"left", SDLK_LEFT, 0},
    {"right", SDLK_RIGHT, 0},
    {"tab", SDLK_TAB, 0},
    {"shift-tab", SDLK_TAB, KMOD_LSHIFT},
    {"enter", SDLK_RETURN, 0},
    {"kp-enter", SDLK_KP_ENTER, 0},
    {"space", SDLK_SPACE, 0},
    {"back", SDLK_BACKSPACE, 0},
    {"escape", SDLK_ESCAPE, 0},
    {"kp-plus", SDLK_KP_PLUS, 0},
    {"kp-minus", SDLK_KP_MINUS, 0},
    {"kp-period", SDLK_KP_PERIOD, 0},
    {"kp0", SDLK_KP_0, 0},
    {"kp1", SDLK_KP_1, 0},
    {"kp2", SDLK_KP_2, 0},
    {"kp3", SDLK_KP_3, 0},
    {"kp4", SDLK_KP_4, 0},
    {"kp5", SDLK_KP_5, 0},
    {"kp6", SDLK_KP_6, 0},
    {"kp7", SDLK_KP_7, 0},
    {"kp8", SDLK_KP_8, 0},
    {"kp9", SDLK_KP_9, 0},
};

/* A key pressed as the keyboard or keypad would press it, through the
 * UI's own key handling (focus, ring, activation). */
static int verb_key(struct app *a, struct control_cmd *cmd, const char *args)
{
    for (size_t i = 0; i < ARRAY_LEN(key_names); i++) {
        if (strcmp(key_names[i].name, args) != 0)
            continue;
        SDL_Event e = {.type = SDL_KEYDOWN};
        e.key.state = SDL_PRESSED;
        e.key.keysym.sym = key_names[i].sym;
        e.key.keysym.scancode = SDL_GetScancodeFromKey(key_names[i].sym);
        e.key.keysym.mod = key_names[i].mod;
        inbox_sdl_input(a, &e);
        reply_ok(cmd);
        return 0;
    }
    return ERR_INVALID;
}

static int verb_card(struct app *a, struct control_cmd *cmd, const char *args)
{
    int i = demo_citizen_find(args);
    if (i < 0 || !a->reader_sim) {
        reply_error(cmd, "no demo citizen with that ID number");
        return 0;
    }
    devices_present_demo_card(a, i);
    reply_ok(cmd);
    return 0;
}

static int verb_card_remove(struct app *a, struct control_cmd *cmd, const char *args)
{
    (void)args;
    if (a->reader_sim)
        idcard_sim_remove(a->reader_sim);
    reply_ok(cmd);
    return 0;
}

/* Names of the simulated reader's faults on the control socket. */
static int reader_fault_parse(const char *name)
{
    static const struct {
        const char *name;
        enum idcard_sim_fault fault;
    } faults[] = {
        {"ok", IDCARD_SIM_FAULT_NONE},
        {"no-card", IDCARD_SIM_FAULT_NO_CARD},
        {"checksum", IDCARD_SIM_FAULT_CHECKSUM},
        {"truncated", IDCARD_SIM_FAULT_TRUNCATED},
        {"read-failed", IDCARD_SIM_FAULT_READ_FAILED},
        {"find-failed", IDCARD_SIM_FAULT_FIND_FAILED},
        {"select-failed", IDCARD_SIM_FAULT_SELECT_FAILED},
        {"silent", IDCARD_SIM_FAULT_SILENT},
        {"sam-dead", IDCARD_SIM_FAULT_SAM_DEAD},
        {"unplug", IDCARD_SIM_FAULT_UNPLUG},
        {"unplug-on-read", IDCARD_SIM_FAULT_UNPLUG_ON_READ},
        {"replug", IDCARD_SIM_FAULT_REPLUG},
        {"wedged", IDCARD_SIM_FAULT_WEDGED},
    };
    for (size_t i = 0; i < ARRAY_LEN(faults); i++)
        if (!strcmp(faults[i].name, name))
            return (int)faults[i].fault;
    return -1;
}

static int verb_reader(struct app *a, struct control_cmd *cmd, const char *args)
{
    int fault = reader_fault_parse(args);
    if (fault < 0 || !a->reader_sim) {
        reply_error(cmd, "unknown reader fault");
        return 0;
    }
    idcard_sim_fault(a->reader_sim, (enum idcard_sim_fault)fault);
    reply_ok(cmd);
    return 0;
}

static int verb_face(struct app *a, struct control_cmd *cmd, const char *args)
{
    if (a->camera_sim && (!strcmp(args, "unplug") || !strcmp(args, "replug"))) {
        camera_sim_set_plugged(a->camera_sim, args[0] == 'r'); /* ERR_NODEV while out */
        reply_ok(cmd);
        return 0;
    }
    int scene = camera_sim_scene_parse(args);
    if (scene < 0 || !a->camera_sim) {
        char why[160];
        snprintf(why, sizeof why, "face %s|unplug|replug (simulated camera only)",
                 camera_sim_scene_names());
        reply_error(cmd, why);
        return 0;
    }
    camera_sim_set_scene(a->camera_sim, (enum camera_sim_scene)scene);
    reply_ok(cmd);
    return 0;
}

static int verb_printer(struct app *a, struct control_cmd *cmd, const char *args)
{
    int rows, st = printer_sim_state_parse(args);
    if (a->slip_sim && sscanf(args, "paper %d", &rows) == 1)
        printer_sim_set_paper(a->slip_sim, rows); /* runs out after that many dot rows */
    else if (st >= 0 && a->slip_sim)
        printer_sim_set_state(a->slip_sim, (enum printer_sim_state)st);
    else
        return ERR_INVALID;
    reply_ok(cmd);
    return 0;
}

static int verb_screenshot(struct app *a, struct control_cmd *cmd, const char *args)
{
    if (!args[0] || ui_screenshot(a->ui, args) != 0) {
        reply_error(cmd, "screenshot failed");
        return 0;
    }
    reply_ok(cmd);
    return 0;
}

static int verb_wait(struct app *a, struct control_cmd *cmd, const char *args)
{
    char name[32];
    int ms = 5000;
    if (sscanf(args, "%31s %d", name, &ms) < 1 || flow_screen_parse(name) < 0)
        return ERR_INVALID;
    if (a->wait_cmd)
        reply_error(a->wait_cmd, "superseded");
    a->wait_cmd = cmd;
    a->wait_screen = flow_screen_parse(name);
    a->wait_deadline_ms = clock_mono_ms() + ms;
    control_verbs_poll(a);
    return 0;
}

static int verb_clock(struct app *a, struct control_cmd *cmd, const char *args)
{
    long secs;
    if (sscanf(args, "+%ld", &secs) != 1 || secs < 0)
        return ERR_INVALID;
    /* Step through whole seconds so each second's timeouts fire in order. */
    for (long s = 0; s < secs; s++) {
        clock_advance_ms(1000);
        effects_feed(a, (struct flow_event){.kind = FLOW_EV_TICK});
    }
    reply_ok(cmd);
    return 0;
}

static int verb_orientation(struct app *a, struct control_cmd *cmd, const char *args)
{
    ui_set_orientation(a->ui, !strcmp(args, "landscape"));
    a->generation++;
    reply_ok(cmd);
    return 0;
}

/* The newest utterances, oldest first, after the voice has finished: what
 * each was (a screen's name, error, warn, card_left, printout), the voice,
 * its samples and its WAV file. Never the words: tests read the file. */
static int verb_spoken(struct app *a, struct control_cmd *cmd, const char *args)
{
    (void)args;
    voice_idle_wait(a->voice, 10000);
    struct voice_said said[VOICE_LOG];
    int n = voice_log(a->voice, said, VOICE_LOG);
    char out[VOICE_LOG * 128 + 64];
    size_t len = (size_t)snprintf(out, sizeof out, "{\"ok\":true,\"on\":%s,\"said\":[",
                                  voice_is_on(a->voice) ? "true" : "false");
    for (int i = 0; i < n && len < sizeof out; i++)
        len += (size_t)snprintf(out + len, sizeof out - len,
                                "%s{\"seq\":%u,\"tag\":\"%s\",\"lang\":\"%s\",\"samples\":%zu,"
                                "\"tone\":%s,\"wav\":\"%s\"}",
                                i ? "," : "", said[i].seq, said[i].tag,
                                said[i].lang == VOICE_EN ? "en" : "zh", said[i].samples,
                                said[i].tone ? "true" : "false", said[i].wav);
    if (len < sizeof out)
        snprintf(out + len, sizeof out - len, "]}");
    control_reply(cmd, out);
    return 0;
}

/* The process as it sees itself: open files, threads, resident memory (by
 * kind, with malloc's count: memory.h). A soak reads them here, because
 * the kiosk is not dumpable and another process of its user cannot list
 * its /proc/PID/fd. */
static int verb_process(struct app *a, struct control_cmd *cmd, const char *args)
{
    (void)args;
    int fds = 0;
    DIR *dir = opendir("/proc/self/fd");
    for (struct dirent *e; dir && (e = readdir(dir));)
        fds += e->d_name[0] != '.';
    if (dir) {
        closedir(dir);
        fds--; /* the listing's own */
    }
    long threads = -1, rss = -1, hwm = -1;
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        sscanf(line, "Threads: %ld", &threads);
        sscanf(line, "VmRSS: %ld", &rss);
        sscanf(line, "VmHWM: %ld", &hwm);
    }
    if (f)
        fclose(f);
    long pss = -1; /* the shared libraries' and fonts' pages divided among their users */
    f = fopen("/proc/self/smaps_rollup", "r");
    while (f && fgets(line, sizeof line, f))
        sscanf(line, "Pss: %ld", &pss);
    if (f)
        fclose(f);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", true);
    cJSON_AddNumberToObject(o, "fds", fds);
    cJSON_AddNumberToObject(o, "threads", (double)threads);
    cJSON_AddNumberToObject(o, "rss_kb", (double)rss);
    cJSON_AddNumberToObject(o, "hwm_kb", (double)hwm);
    cJSON_AddNumberToObject(o, "pss_kb", (double)pss);
    struct memory_figures m;
    memory_figures(&m);
    cJSON_AddNumberToObject(o, "heap_used_kb", (double)m.heap_used_kb);
    cJSON_AddNumberToObject(o, "heap_free_kb", (double)m.heap_free_kb);
    cJSON_AddNumberToObject(o, "arenas_used_kb", (double)m.arenas_used_kb);
    cJSON_AddNumberToObject(o, "mmapped_kb", (double)m.mmapped_kb);
    cJSON_AddNumberToObject(o, "rss_heap_kb", (double)m.rss_heap_kb);
    cJSON_AddNumberToObject(o, "rss_anon_kb", (double)m.rss_anon_kb);
    cJSON_AddNumberToObject(o, "rss_file_kb", (double)m.rss_file_kb);
    uint64_t frames = 0, partial = 0;
    ui_frames(a->ui, &frames, &partial);
    cJSON_AddNumberToObject(o, "frames", (double)frames);
    cJSON_AddNumberToObject(o, "frames_partial", (double)partial);
    struct ui_cache_bytes cb = ui_cache_bytes(a->ui);
    cJSON_AddNumberToObject(o, "text_cache_kb", (double)(cb.text >> 10));
    cJSON_AddNumberToObject(o, "mask_cache_kb", (double)(cb.masks >> 10));
    cJSON_AddNumberToObject(o, "frame_text_most_kb", (double)(cb.frame_text_most >> 10));
    reply_json(cmd, o);
    return 0;
}

static int verb_quit(struct app *a, struct control_cmd *cmd, const char *args)
{
    (void)args;
    reply_ok(cmd);
    a->quit = true;
    return 0;
}

/* Indexed by enum control_verb_kind; control_verb_table has the names. */
static const control_verb_fn control_verb_fns[CONTROL_VERB_COUNT] = {
    [CONTROL_VERB_HELP] = verb_help,
    [CONTROL_VERB_STATE] = verb_state,
    [CONTROL_VERB_TAP] = verb_tap,
    [CONTROL_VERB_TAP_CONTAINING] = verb_tap_containing,
    [CONTROL_VERB_TAP_AT] = verb_tap_at,
    [CONTROL_VERB_KEY] = verb_key,
    [CONTROL_VERB_CARD] = verb_card,
    [CONTROL_VERB_CARD_REMOVE] = verb_card_remove,
    [CONTROL_VERB_READER] = verb_reader,
    [CONTROL_VERB_FACE] = verb_face,
    [CONTROL_VERB_PRINTER] = verb_printer,
    [CONTROL_VERB_SCREENSHOT] = verb_screenshot,
    [CONTROL_VERB_WAIT] = verb_wait,
    [CONTROL_VERB_CLOCK] = verb_clock,
    [CONTROL_VERB_ORIENTATION] = verb_orientation,
    [CONTROL_VERB_PROCESS] = verb_process,
    [CONTROL_VERB_QUIT] = verb_quit,
    [CONTROL_VERB_SPOKEN] = verb_spoken,
};

static int verb_help(struct app *a, struct control_cmd *cmd, const char *args)
{
    (void)args;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", true);
    cJSON *list = cJSON_AddArrayToObject(o, "verbs");
    for (size_t i = 0; i < CONTROL_VERB_COUNT; i++)
        if (a->opt.demo || !control_verb_table[i].test_only)
            cJSON_AddItemToArray(list, cJSON_CreateString(control_verb_table[i].usage));
    reply_json(cmd, o);
    return 0;
}

void control_verbs_run(struct app *a, struct control_cmd *cmd)
{
    enum control_verb_kind verb;
    const char *args;
    switch (control_parse(cmd->line, a->opt.demo, &verb, &args)) {
    case CONTROL_PARSE_OK:
        break;
    case CONTROL_PARSE_TEST_ONLY:
        reply_error(cmd, "a verb for tests: only with --demo");
        return;
    case CONTROL_PARSE_UNKNOWN:
    default:
        reply_error(cmd, "unknown command (help lists them)");
        return;
    }
    app_present(a); /* the verb sees the screen as it is now */
    if (control_verb_fns[verb](a, cmd, args) == ERR_INVALID) {
        char why[160];
        snprintf(why, sizeof why, "usage: %s", control_verb_table[verb].usage);
        reply_error(cmd, why);
    }
}

void control_verbs_poll(struct app *a)
{
    if (!a->wait_cmd)
        return;
    if ((int)a->flow.screen == a->wait_screen) {
        app_present(a);
        struct control_cmd *cmd = a->wait_cmd;
        a->wait_cmd = NULL;
        reply_state(a, cmd);
    } else if (clock_mono_ms() >= a->wait_deadline_ms) {
        struct control_cmd *cmd = a->wait_cmd;
        a->wait_cmd = NULL;
        char why[96];
        snprintf(why, sizeof why, "timeout: screen is %s", flow_screen_name(a->flow.screen));
        reply_error(cmd, why);
    }
}

void control_verbs_cancel(struct app *a)
{
    if (a->wait_cmd) {
        reply_error(a->wait_cmd, "kiosk stopping");
        a->wait_cmd = NULL;
    }
    if (a->bus) {
        struct bus_msg m;
        while (bus_pop(a->bus, &m) == 0) {
            if (m.kind == BUS_CONTROL)
                reply_error(m.payload, "kiosk stopping");
            bus_msg_release(&m);
        }
    }
}
