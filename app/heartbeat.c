/* heartbeat.c - the kiosk's heartbeat and the registry's settings for it,
 * on the UI thread; see heartbeat.h for the design. The pure parts are in
 * heartbeat_plan.c.
 */
#include "heartbeat.h"

#include "app.h"
#include "backend/backend.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "log_tail.h"
#include "store/hall_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/statvfs.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "dev"
#endif

#define DOC_MAX     (16 * 1024)
#define ANSWER_MS   30000 /* an answer later than this counts as a failure */
#define PHASE_WAIT  0
#define PHASE_BEAT  1
#define PHASE_FETCH 2

static uint32_t rnd32(void)
{
    uint32_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
        r = (uint32_t)clock_mono_ms() * 2654435761u;
    return r;
}

static void cache_path(const struct app *a, char *out, size_t size)
{
    devices_state_path(&a->cfg, a->cfg.fleet_settings_cache, "fleet_settings.json", out, size);
}

/* Puts a parsed document in force. */
static void apply(struct app *a, const struct heartbeat_remote *r)
{
    a->settings = r->settings;
    a->mix_volume = SDL_MIX_MAXVOLUME * a->settings.volume / 100;
    if (r->idle_s > 0) {
        a->flow.timing.idle_ms = r->idle_s * 1000;
        a->flow.timing.card_wait_ms = r->idle_s * 1000;
    }
    if (r->out_of_service >= 0 && (bool)r->out_of_service != a->flow.out_of_service) {
        a->flow.out_of_service = r->out_of_service;
        if (a->flow.out_of_service && a->flow.screen == SCREEN_HOME)
            a->flow.screen = SCREEN_CLOSED;
        else if (!a->flow.out_of_service && a->flow.screen == SCREEN_CLOSED &&
                 settings_open_at(&a->settings, clock_wall_s()))
            a->flow.screen = SCREEN_HOME;
        log_notice("fleet", "the registry put the kiosk %s",
                   r->out_of_service ? "out of service" : "in service");
    }
    if (r->services_off != a->flow.services_off)
        log_notice("fleet", "the registry's settings offer %s home services",
                   r->services_off ? "some of the" : "all");
    a->flow.services_off = r->services_off;
    a->fleet_version = r->version;
    a->generation++;
}

void heartbeat_start(struct app *a)
{
    a->hb_due_ms = clock_mono_ms() + heartbeat_jitter_ms(1000, rnd32());
    char path[512], why[160];
    cache_path(a, path, sizeof path);
    char *text = NULL;
    size_t len = 0;
    int rc = hall_cache_get(path, DOC_MAX, &text, &len);
    if (rc == ERR_NOTFOUND)
        return;
    struct heartbeat_remote r;
    if (!rc)
        rc = heartbeat_parse_settings(text, len, &a->settings, &r, why, sizeof why);
    else
        str_copy(why, sizeof why, err_str(rc));
    free(text);
    if (rc) {
        log_err("fleet", "the registry's settings kept in %s refused (%s): not applied", path, why);
        return;
    }
    apply(a, &r);
    log_info("fleet", "the registry's settings version %lld applied from %s", (long long)r.version,
             path);
}

int heartbeat_next_ms(const struct app *a)
{
    if (!a->backend)
        return -1;
    int64_t due = a->hb_phase == PHASE_WAIT ? a->hb_due_ms : a->hb_sent_ms + ANSWER_MS;
    int64_t left = due - clock_mono_ms();
    return left < 0 ? 0 : left > 3600000 ? 3600000 : (int)left;
}

bool heartbeat_owns(uint32_t req_id)
{
    return (req_id & 0xC0000000u) == HEARTBEAT_REQ_TAG;
}

static uint32_t next_req(struct app *a)
{
    a->hb_seq = (a->hb_seq + 1) & 0x3FFFFFFFu;
    return HEARTBEAT_REQ_TAG | a->hb_seq;
}

/* The next heartbeat: after a period on success, after the backoff when
 * the registry did not answer. */
static void schedule(struct app *a, bool ok)
{
    int64_t now = clock_mono_ms();
    a->hb_phase = PHASE_WAIT;
    a->hb_req = 0;
    if (ok) {
        a->hb_failures = 0;
        a->hb_due_ms = now + heartbeat_jitter_ms((int64_t)a->cfg.heartbeat_s * 1000, rnd32());
        return;
    }
    if (a->hb_failures < 64)
        a->hb_failures++;
    int64_t wait = heartbeat_backoff_ms(a->hb_failures, (int64_t)a->cfg.heartbeat_backoff_s * 1000,
                                        (int64_t)a->cfg.heartbeat_backoff_cap_s * 1000, rnd32());
    a->hb_due_ms = now + wait;
    log_debug("fleet", "heartbeat failed %d time(s): next in %lld ms", a->hb_failures,
              (long long)wait);
}

static const char *slip_word(const struct app *a)
{
    const struct slip_status *s = &a->slip_status;
    return !a->slip            ? "off"
           : !s->online        ? "offline"
           : s->paper_out      ? "paper-out"
           : s->cover_open     ? "cover-open"
           : s->error          ? "fault"
           : s->paper_near_end ? "near-end"
                               : "ok";
}

static const char *a4_word(const struct app *a)
{
    if (!a->printer)
        return "off";
    if (!a->cfg.cups_queue[0])
        return "ok"; /* a folder */
    return !a->a4_checked ? "unchecked" : a->a4_err ? "fault" : "ok";
}

static void send_beat(struct app *a)
{
    struct statvfs fs;
    int64_t free_mb = -1;
    if (statvfs(a->cfg.output_dir, &fs) == 0)
        free_mb = (int64_t)((unsigned long long)fs.f_bavail * fs.f_frsize / (1024ULL * 1024ULL));
    struct heartbeat_facts f = {
        .version = KIOSK_VERSION,
        .uptime_s = (clock_mono_ms() - a->started_ms) / 1000,
        .kiosk = a->cfg.kiosk_id,
        .hall = a->cfg.hall,
        .reader = a->flow.reader_connected ? "ok" : "fault",
        .camera = a->camera_dev.driver ? "ok" : "off",
        .slip = slip_word(a),
        .a4 = a4_word(a),
        .slips_since_refill = a->slips_since_refill,
        .slip_roll = a->cfg.slip_roll,
        .last_frame_s = a->last_frame_s,
        .disk_free_mb = free_mb,
        .errors = log_tail_errors(),
        .settings_version = a->fleet_version,
    };
    char body[2048];
    int n = heartbeat_format(&f, body, sizeof body);
    uint32_t id = next_req(a);
    int rc = n < 0 ? n : backend_heartbeat(a->backend, id, body);
    if (rc) {
        log_warn("fleet", "heartbeat not sent: %s", err_str(rc));
        schedule(a, false);
        return;
    }
    a->hb_req = id;
    a->hb_phase = PHASE_BEAT;
    a->hb_sent_ms = clock_mono_ms();
}

void heartbeat_tick(struct app *a)
{
    if (!a->backend)
        return;
    int64_t now = clock_mono_ms();
    if (a->hb_phase != PHASE_WAIT) {
        if (now - a->hb_sent_ms >= ANSWER_MS) { /* lost: a late answer is ignored */
            backend_cancel(a->backend, a->hb_req);
            schedule(a, false);
        }
        return;
    }
    if (now >= a->hb_due_ms)
        send_beat(a);
}

static void fetch_settings(struct app *a)
{
    uint32_t id = next_req(a);
    int rc = backend_fetch_kiosk_settings(a->backend, id, a->cfg.kiosk_id, a->fleet_version);
    if (rc) {
        log_warn("fleet", "settings not asked for: %s", err_str(rc));
        schedule(a, true);
        return;
    }
    a->hb_req = id;
    a->hb_phase = PHASE_FETCH;
    a->hb_sent_ms = clock_mono_ms();
}

/* A settings document arrived: checked whole, kept on disk, applied. */
static void take_settings(struct app *a, const struct flow_reply *r)
{
    char why[160];
    struct heartbeat_remote rem;
    int rc = heartbeat_parse_settings(r->raw, r->raw_len, &a->settings, &rem, why, sizeof why);
    if (rc) {
        int64_t v = a->fleet_offered; /* not fetched again until another comes */
        a->fleet_refused = v;
        log_err("fleet",
                "the registry's settings version %lld refused (%s): nothing of it taken, "
                "version %lld stays in force",
                (long long)v, why, (long long)a->fleet_version);
        return;
    }
    if (rem.version == a->fleet_version)
        return;
    char path[512];
    cache_path(a, path, sizeof path);
    rc = hall_cache_set(path, r->raw, r->raw_len);
    if (rc)
        log_warn("fleet", "the registry's settings not kept in %s: %s", path, err_str(rc));
    apply(a, &rem);
    log_notice("fleet", "the registry's settings version %lld applied", (long long)rem.version);
}

void heartbeat_reply(struct app *a, uint32_t req_id, const struct flow_reply *r)
{
    if (req_id != a->hb_req || a->hb_phase == PHASE_WAIT)
        return; /* late: already counted as lost */
    bool ok = r->status >= 200 && r->status <= 299;
    if (a->hb_phase == PHASE_BEAT) {
        int64_t v = 0;
        if (ok && r->raw && heartbeat_parse_reply(r->raw, r->raw_len, &v) == 0 &&
            v != a->fleet_version && v != a->fleet_refused && v > 0) {
            a->fleet_offered = v;
            fetch_settings(a);
            return;
        }
        schedule(a, ok);
        return;
    }
    /* PHASE_FETCH: 304 says the version in force is current. */
    if (ok && r->raw)
        take_settings(a, r);
    else if (r->status != 304)
        log_warn("fleet", "settings not fetched: %s", r->detail[0] ? r->detail : "no answer");
    schedule(a, true);
}
