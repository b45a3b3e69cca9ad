/* heartbeat.h - the kiosk's side of the fleet: a heartbeat to the
 * registry every minute (POST /v1/heartbeat: version, uptime, each
 * device's state, the paper count, the last frame drawn, free disk, error
 * lines since start) and the settings the registry keeps for this kiosk
 * (GET /v1/kiosks/{id}/settings), applied without a restart.
 *
 * DESIGN: a small state machine on the UI thread, driven by the loop's
 * timeouts (heartbeat_next_ms joins main.c's next_timeout, so an idle
 * kiosk still sleeps until something is due). One request at a time:
 *
 *   WAIT --due--> SENT --2xx--> WAIT (next in period ±20 %)
 *                      --fail--> WAIT (full jitter: random 0..min(cap, base·2^n))
 *   a 2xx whose settings_version differs from the one in force (and
 *   from one refused before) --> FETCH --> applied or refused --> WAIT
 *
 * A heartbeat is never queued: a missed one is replaced by the next. The
 * registry's coming back does not release a burst: the backoff's wait
 * runs out first, and only one request is ever in flight.
 *
 * Remote settings: the document is {"version": N, "settings": {section:
 * {name: value}}}; [audio], [display], [kiosk], [hours] are the staff's
 * settings (core/settings.h, checked by settings_parse), [flow] idle_s
 * (20..600) and [service] out_of_service (true/false) the registry's
 * alone. All or nothing: one bad key and none of it is taken, with a
 * log line. The last good document is kept on disk (store/hall_cache:
 * temp, fsync, rename) and applied at start-up before the registry
 * answers. Precedence: the registry's keys win over the staff's for the
 * keys the document names; the staff's overlay holds the rest (app/README.md).
 *
 * The pure parts (timing, the body, the reply, the document) are in
 * heartbeat_plan.c, the kiosk_heartbeat library the unit test links.
 */
#ifndef APP_HEARTBEAT_H
#define APP_HEARTBEAT_H

#include "core/settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Request ids of the heartbeat and the settings fetch: bit 30 set (the
 * outbox pump has bit 31, the flow counts up from 1). */
#define HEARTBEAT_REQ_TAG 0x40000000u

/* ---- pure (heartbeat_plan.c) ------------------------------------------------ */

/* The wait before the next heartbeat: period_ms ±20 %, rnd a uniform
 * 32-bit random number. */
int64_t heartbeat_jitter_ms(int64_t period_ms, uint32_t rnd);

/* Full jitter after failures failed attempts in a row (>= 1): uniform in
 * 0..min(cap_ms, base_ms·2^(failures-1)), rnd as above. */
int64_t heartbeat_backoff_ms(int failures, int64_t base_ms, int64_t cap_ms, uint32_t rnd);

/* What one heartbeat says. Device states are words: "ok", "off",
 * "fault", "paper-out", ... */
struct heartbeat_facts {
    const char *version;
    int64_t uptime_s;
    const char *kiosk;
    const char *hall;
    const char *reader, *camera, *slip, *a4;
    int slips_since_refill;
    int slip_roll;
    int64_t last_frame_s; /* wall s of the last frame drawn; 0: none yet */
    int64_t disk_free_mb; /* of the state folder; -1: unknown */
    long errors;          /* error lines logged since start */
    int64_t settings_version;
};

/* The JSON body into out (size bytes, NUL-terminated). Returns the length
 * or ERR_TOOBIG / ERR_NOMEM. */
int heartbeat_format(const struct heartbeat_facts *f, char *out, size_t size);

/* The reply's settings_version. Returns 0 or ERR_BADREPLY. */
int heartbeat_parse_reply(const char *body, size_t len, int64_t *settings_version);

/* A remote settings document. */
struct heartbeat_remote {
    int64_t version;
    struct settings settings; /* base with the document's keys over it */
    int idle_s;               /* 0: not in the document */
    int out_of_service;       /* -1: not in the document, else 0 or 1 */
    uint32_t services_off;    /* 1 << enum session_service: home tiles not in [service] enabled */
};

/* Parses the document over base (borrowed), all or nothing: every key
 * known and good, else ERR_INVALID and why (one line for the log).
 * Returns 0, ERR_INVALID or ERR_BADREPLY (not the document's shape). */
int heartbeat_parse_settings(const char *body, size_t len, const struct settings *base,
                             struct heartbeat_remote *out, char *why, size_t why_size);

/* ---- the kiosk's side (heartbeat.c, UI thread) ---------------------------------- */

struct app;
struct flow_reply;

/* Reads the last good settings document and applies it; arms the first
 * heartbeat. After staff_settings_start and staff_start. */
void heartbeat_start(struct app *a);

/* Milliseconds until the heartbeat needs the loop, or -1. */
int heartbeat_next_ms(const struct app *a);

/* Sends what is due. Each turn of the loop. */
void heartbeat_tick(struct app *a);

/* Whether req_id is the heartbeat's (HEARTBEAT_REQ_TAG). */
bool heartbeat_owns(uint32_t req_id);

/* The registry's answer (borrowed) to the heartbeat's request req_id. */
void heartbeat_reply(struct app *a, uint32_t req_id, const struct flow_reply *r);

#endif
