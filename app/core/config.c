/* config.c - defaults and the INI parser (inih); see config.h. */
#include "config.h"

#include "base/datafile.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    str_copy(c->kiosk_id, sizeof c->kiosk_id, "JZ-JF-03");
    str_copy(c->office, sizeof c->office, "焦作市不动产登记中心");
    str_copy(c->hall, sizeof c->hall, "解放区服务大厅");
    str_copy(c->terminal, sizeof c->terminal, "03");
    c->connect_timeout_ms = 3000;
    c->timeout_ms = 10000;
    c->retries = 2;
    c->health_interval_s = 30;
    c->heartbeat_s = 60;
    /* A period, not seconds: after an outage the kiosks that missed a
     * heartbeat come back spread over a minute, not all in the first
     * seconds (tests/load measures it). */
    c->heartbeat_backoff_s = 60;
    c->heartbeat_backoff_cap_s = 300;
    str_copy(c->reader, sizeof c->reader, "usb");
    str_copy(c->camera, sizeof c->camera, "v4l2");
    str_copy(c->slip_printer, sizeof c->slip_printer, "usb");
    str_copy(c->idcard_tty, sizeof c->idcard_tty, "/dev/ttyUSB0");
    str_copy(c->output_dir, sizeof c->output_dir, "demo-out");
    str_copy(c->slip_device, sizeof c->slip_device, "/dev/usb/lp0");
    c->slip_band_rows = 128;
    c->slip_confirm_ms = 15000;
    c->slip_roll = 300;
    c->idle_s = 60;
    c->idle_banner_s = 30;
    c->capture_s = 30;
    str_copy(c->camera_device, sizeof c->camera_device, "/dev/video0");
    c->camera_width = 640;
    c->camera_height = 480;
    c->face_min_pct = 15;
    c->face_near_pct = 20;
    c->face_challenge_ms = 8000;
    str_copy(c->face_challenges, sizeof c->face_challenges, "blink,turn-left,turn-right");
    c->goodbye_s = 15;
    c->staff_idle_s = 120;
    settings_defaults(&c->settings);
}

enum kind {
    K_STR,
    K_BOOL,
    K_INT,
    K_ORIENT,
    K_LANG,
    K_MATCHER,
    K_VOICE,
    K_INCHES,
    K_READ_CMD,
    K_RENDERER
};

struct key {
    const char *section, *name;
    enum kind kind;
    size_t offset, size;
    int min, max;
};

#define S(sec, key, field)                                                                         \
    {                                                                                              \
        sec, key, K_STR, offsetof(struct config, field), sizeof(((struct config *)0)->field), 0, 0 \
    }
#define B(sec, key, field)                                                                         \
    {                                                                                              \
        sec, key, K_BOOL, offsetof(struct config, field), 0, 0, 0                                  \
    }
#define I(sec, key, field, lo, hi)                                                                 \
    {                                                                                              \
        sec, key, K_INT, offsetof(struct config, field), 0, lo, hi                                 \
    }

static const struct key keys[] = {
    S("kiosk", "id", kiosk_id),
    S("kiosk", "office", office),
    S("kiosk", "hall", hall),
    S("kiosk", "terminal", terminal),
    {"kiosk", "orientation", K_ORIENT, offsetof(struct config, orientation), 0, 0, 0},
    {"kiosk", "language", K_LANG, offsetof(struct config, english), 0, 0, 0},
    B("kiosk", "elder_mode", elder),
    B("kiosk", "high_contrast", contrast),
    S("kiosk", "audit_key", audit_key),
    S("kiosk", "outbox", outbox),
    S("kiosk", "guide_cache", guide_cache),
    S("kiosk", "control_group", control_group),
    S("registry", "url", registry_url),
    S("registry", "ca_file", ca_file),
    S("registry", "client_cert", client_cert),
    S("registry", "client_key", client_key),
    I("registry", "connect_timeout_ms", connect_timeout_ms, 100, 60000),
    I("registry", "timeout_ms", timeout_ms, 500, 120000),
    I("registry", "retries", retries, 0, 5),
    I("registry", "health_interval_s", health_interval_s, 1, 3600),
    I("fleet", "heartbeat_s", heartbeat_s, 1, 3600),
    I("fleet", "backoff_s", heartbeat_backoff_s, 1, 3600),
    I("fleet", "backoff_cap_s", heartbeat_backoff_cap_s, 1, 86400),
    S("fleet", "settings_cache", fleet_settings_cache),
    S("devices", "reader", reader),
    S("devices", "camera", camera),
    S("devices", "slip_printer", slip_printer),
    S("idcard", "tty", idcard_tty),
    S("idcard", "usb_id", idcard_usb_id),
    S("idcard", "usb_models", idcard_usb_models),
    S("idcard", "photo_decoder", idcard_photo_decoder),
    {"idcard", "read_command", K_READ_CMD, offsetof(struct config, idcard_read_fingerprint), 0, 0,
     0},
    S("print", "cups_queue", cups_queue),
    S("print", "output_dir", output_dir),
    S("slip", "device", slip_device),
    S("slip", "usb_id", slip_usb_id),
    S("slip", "journal", slip_journal),
    S("slip", "png_dir", slip_png_dir),
    I("slip", "band_rows", slip_band_rows, 24, 256),
    I("slip", "confirm_ms", slip_confirm_ms, 500, 120000),
    I("slip", "roll", slip_roll, 10, 100000),
    S("camera", "device", camera_device),
    I("camera", "width", camera_width, 320, 1280),
    I("camera", "height", camera_height, 240, 720),
    B("camera", "mjpeg", camera_mjpeg),
    S("camera", "sim_images", camera_sim_images),
    S("camera", "uvc_id", camera_uvc_id),
    S("face", "cascade", face_cascade),
    S("face", "eye_cascade", face_eye_cascade),
    I("face", "min_face_pct", face_min_pct, 5, 50),
    I("face", "near_face_pct", face_near_pct, 5, 60),
    I("face", "challenge_ms", face_challenge_ms, 2000, 120000),
    S("face", "challenges", face_challenges),
    {"face", "matcher", K_MATCHER, offsetof(struct config, face_on_device), 0, 0, 0},
    S("ui", "font_regular", font_regular),
    S("ui", "font_bold", font_bold),
    S("staff", "pins", staff_pins),
    I("staff", "idle_s", staff_idle_s, 30, 3600),
    S("staff", "settings", staff_settings),
    S("display", "backlight", backlight),
    {"display", "orientation", K_ORIENT, offsetof(struct config, orientation), 0, 0, 0},
    {"display", "diagonal_in", K_INCHES, offsetof(struct config, diagonal_in), 0, 5, 120},
    {"display", "renderer", K_RENDERER, offsetof(struct config, renderer), 0, 0, 0},
    I("timeouts", "idle_s", idle_s, 10, 3600),
    I("timeouts", "idle_banner_s", idle_banner_s, 5, 300),
    I("timeouts", "capture_s", capture_s, 5, 300),
    I("timeouts", "goodbye_s", goodbye_s, 3, 300),
    {"voice", "enabled", K_VOICE, offsetof(struct config, voice_mode), 0, 0, 0},
    S("voice", "wav_dir", voice_wav_dir),
};

static bool parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "on"))
        *out = true;
    else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
             !strcasecmp(v, "off"))
        *out = false;
    else
        return false;
    return true;
}

struct parse_state {
    struct config *c;
    int bad;
};

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    struct parse_state *st = user;
    char *base = (char *)st->c;
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        const struct key *k = &keys[i];
        if (strcmp(k->section, section) != 0 || strcmp(k->name, name) != 0)
            continue;
        bool ok = true;
        switch (k->kind) {
        case K_STR:
            ok = str_copy(base + k->offset, k->size, value);
            break;
        case K_BOOL:
            ok = parse_bool(value, (bool *)(base + k->offset));
            break;
        case K_INT: {
            char *end;
            long v = strtol(value, &end, 10);
            ok = *value && !*end && v >= k->min && v <= k->max;
            if (ok)
                *(int *)(base + k->offset) = (int)v;
            break;
        }
        case K_ORIENT:
            ok =
                !strcmp(value, "auto") || !strcmp(value, "portrait") || !strcmp(value, "landscape");
            if (ok)
                *(int *)(base + k->offset) = !strcmp(value, "auto")       ? 0
                                             : !strcmp(value, "portrait") ? 1
                                                                          : 2;
            break;
        case K_INCHES: { /* 21.5; empty: unknown */
            char *end;
            double v = *value ? strtod(value, &end) : 0;
            ok = !*value || (!*end && v >= k->min && v <= k->max);
            if (ok)
                *(double *)(base + k->offset) = v;
            break;
        }
        case K_LANG:
            ok = !strcmp(value, "zh-CN") || !strcmp(value, "en");
            if (ok)
                *(bool *)(base + k->offset) = !strcmp(value, "en");
            break;
        case K_VOICE:
            ok = !strcmp(value, "auto") || !strcmp(value, "on") || !strcmp(value, "off");
            if (ok)
                *(int *)(base + k->offset) = !strcmp(value, "auto") ? 0
                                             : !strcmp(value, "on") ? 1
                                                                    : 2;
            break;
        case K_RENDERER:
            ok = !strcmp(value, "auto") || !strcmp(value, "gl") || !strcmp(value, "surface");
            if (ok)
                *(int *)(base + k->offset) = !strcmp(value, "auto") ? 0
                                             : !strcmp(value, "gl") ? 1
                                                                    : 2;
            break;
        case K_READ_CMD:
            ok = !strcmp(value, "text_photo") || !strcmp(value, "with_fingerprint");
            if (ok)
                *(bool *)(base + k->offset) = !strcmp(value, "with_fingerprint");
            break;
        case K_MATCHER:
            ok = !strcmp(value, "registry") || !strcmp(value, "on_device");
            if (ok)
                *(bool *)(base + k->offset) = !strcmp(value, "on_device");
            break;
        }
        if (!ok) {
            log_err("config", "bad value for [%s] %s", section, name);
            st->bad++;
        }
        return 1;
    }
    if (settings_is_key(section, name)) {
        if (settings_set(&st->c->settings, section, name, value) != 0) {
            log_err("config", "bad value for [%s] %s", section, name);
            st->bad++;
        }
        return 1;
    }
    log_warn("config", "unknown setting [%s] %s (ignored)", section, name);
    return 1;
}

/* The settings as a whole (office hours open before they close); the
 * language a visit starts in is [kiosk] language. */
static int finish(struct config *c, int bad)
{
    c->settings.english = c->english;
    if (!bad && settings_check(&c->settings) != 0) {
        log_err("config", "[hours] open must be before close");
        bad++;
    }
    return bad ? ERR_INVALID : ERR_OK;
}

/* name is the file's path for the messages, or NULL. */
static int parse_text(struct config *c, const char *text, const char *name)
{
    const char *at = name ? name : "config";
    int long_line = datafile_long_line(text);
    if (long_line) {
        log_err("config", "%s: line %d is longer than %d bytes", at, long_line, DATAFILE_LINE_MAX);
        return ERR_INVALID;
    }
    struct parse_state st = {c, 0};
    int line = ini_parse_string(text, on_entry, &st);
    if (line != 0) {
        log_err("config", "%s: syntax error on line %d", at, line);
        return ERR_INVALID;
    }
    return finish(c, st.bad);
}

int config_parse(struct config *c, const char *text)
{
    return parse_text(c, text, NULL);
}

int config_load(struct config *c, const char *path)
{
    enum { FILE_MAX = 256 * 1024 }; /* a kiosk's settings are a few KiB */
    FILE *f = fopen(path, "r");
    if (!f)
        return ERR_NOTFOUND;
    char *text = malloc(FILE_MAX + 1);
    size_t n = text ? fread(text, 1, FILE_MAX + 1, f) : 0;
    bool failed = ferror(f) != 0;
    fclose(f);
    if (!text)
        return ERR_NOMEM;
    int rc;
    if (failed) {
        log_err("config", "%s: cannot read it", path);
        rc = ERR_IO;
    } else if (n > FILE_MAX) {
        log_err("config", "%s: larger than %d KiB", path, FILE_MAX / 1024);
        rc = ERR_TOOBIG;
    } else if (memchr(text, '\0', n)) {
        log_err("config", "%s: not a text file", path);
        rc = ERR_INVALID;
    } else {
        text[n] = '\0';
        rc = parse_text(c, text, path);
    }
    free(text);
    return rc;
}

/* The audit key demo mode uses when [kiosk] audit_key is empty. */
const char config_demo_audit_key[] = "bdc-kiosk-demo-audit-key";

int config_check_production(const struct config *c, const char *registry_url)
{
    int bad = 0;
    if (!registry_url[0]) {
        log_err("config", "[registry] url is empty: outside demo mode the kiosk needs its "
                          "registry (https://)");
        bad++;
    } else if (strncmp(registry_url, "https://", 8) != 0) {
        log_err("config",
                "[registry] url = %s: outside demo mode the registry is reached over "
                "https:// only (mutual TLS)",
                registry_url);
        bad++;
    }
    if (!c->cups_queue[0]) {
        log_err("config", "[print] cups_queue is empty: outside demo mode certificates go to a "
                          "CUPS queue, never into a folder");
        bad++;
    }
    if (!c->audit_key[0] || !strcmp(c->audit_key, config_demo_audit_key)) {
        log_err("config", "[kiosk] audit_key is %s: outside demo mode the hall sets its own",
                c->audit_key[0] ? "the published demo key" : "empty");
        bad++;
    }
    const struct {
        const char *key, *value;
    } devices[] = {{"reader", c->reader}, {"camera", c->camera}, {"slip_printer", c->slip_printer}};
    for (size_t i = 0; i < ARRAY_LEN(devices); i++)
        if (!strcmp(devices[i].value, "sim")) {
            log_err("config", "[devices] %s = sim: the simulated device runs only with --demo",
                    devices[i].key);
            bad++;
        }
    return bad ? ERR_INVALID : ERR_OK;
}
