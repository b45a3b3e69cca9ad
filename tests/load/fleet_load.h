/* fleet_load.h - a simulated fleet of kiosks against bdc-registry on
 * loopback: what the load client's files share.
 *
 * DESIGN: one thread runs every kiosk on one libcurl multi handle (no
 * window, no SDL: only each kiosk's traffic). A kiosk has two lanes, each
 * with one request at most in flight: the heartbeat lane (POST
 * /v1/heartbeat on the kiosk's own schedule, from app/heartbeat_plan.c:
 * the period ±20 %, full-jitter backoff while the registry does not
 * answer, then GET /v1/kiosks/{id}/settings when the heartbeat's answer
 * names a version it does not have) and the visit lane (a citizen every
 * few minutes: a records visit, POST /v1/sessions, GET /v1/properties,
 * DELETE /v1/sessions/current, or a queue number, POST /v1/tickets). Each
 * kiosk speaks from its own loopback address (127.1.x.y), as a hall's
 * kiosks each have theirs, and names itself with X-Kiosk-Id.
 *
 * Time is compressed by a scale factor: every kiosk duration (period,
 * backoff, visit gaps) is divided by it; the figures are in real seconds.
 * Every request is logged (start time, kind, outcome) for the summary; a
 * second thread (fleet_probe.c) times GET /fleet every 200 ms.
 */
#ifndef TESTS_LOAD_FLEET_LOAD_H
#define TESTS_LOAD_FLEET_LOAD_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fleet_kind { FLEET_HEARTBEAT, FLEET_SETTINGS, FLEET_SESSION, FLEET_TICKET, FLEET_KINDS };

struct fleet_opts {
    const char *url; /* http://127.0.0.1:PORT */
    int kiosks;
    double scale;      /* kiosk seconds per real second */
    double duration_s; /* real seconds of the whole run */
    double warm_s;     /* real seconds left out of the steady rate */
    double window_s;   /* real seconds after the restart for the herd check */
    /* Kiosk time, ms (divided by scale when waited). */
    int64_t period_ms, backoff_ms, cap_ms, visit_ms, settings_ms;
    bool no_jitter;      /* the backoff waits its whole top, not a random part */
    double herd_max;     /* peak rps after the restart / steady rps */
    double fleet_max_ms; /* the status page's latency target */
    double recover_s;    /* real s: every kiosk heartbeats again within; 0: computed */
    uint64_t seed;       /* 0: from getrandom */
};

/* One request, as it started (real ms since the run began) and ended. */
struct fleet_event {
    int64_t t_ms, end_ms; /* end_ms -1: still running */
    uint8_t kind;         /* enum fleet_kind */
    uint8_t ok;
};

/* The whole run's record: main thread only. */
struct fleet_run {
    const struct fleet_opts *o;
    CURLM *multi;
    int64_t t0_ms;   /* monotonic ms at start */
    int64_t down_ms; /* run ms the registry went down; -1: not yet */
    int64_t up_ms;   /* run ms it was back; -1: not yet */
    struct fleet_event *ev;
    size_t n_ev, cap_ev;
    int *err_bins; /* failed requests per real second, by their end */
    int n_bins;
    size_t inflight;
    uint64_t rng;
};

struct fleet_kiosk;

/* ---- fleet_kiosk.c: the kiosks (main thread) ---------------------------------- */

/* Makes n kiosks with their handles, first heartbeat at a random point of
 * the first period and first visit a random time away. NULL on failure. */
struct fleet_kiosk *fleet_kiosks_create(struct fleet_run *r, int n);
void fleet_kiosks_destroy(struct fleet_kiosk *k, int n);

/* Starts what is due on every kiosk; returns the real ms until the next
 * thing is due (at most max_ms). */
int64_t fleet_kiosks_tick(struct fleet_run *r, struct fleet_kiosk *k, int n, int64_t now_ms,
                          int64_t max_ms);

/* A finished transfer of the multi handle: hands it to its kiosk. */
void fleet_kiosks_done(struct fleet_run *r, CURL *easy, CURLcode rc, int64_t now_ms);

/* Kiosks that heartbeated (2xx) at or after run ms since_ms, and the run
 * ms of the last of them to do so first. */
int fleet_kiosks_back(const struct fleet_kiosk *k, int n, int64_t since_ms, int64_t *last_ms);

/* Kiosks whose heartbeats came further apart than the period allows
 * outside the outage [down_ms, up_ms], and the widest such gap (real ms). */
int fleet_kiosks_late(const struct fleet_kiosk *k, int n, int64_t *widest_ms);

/* Kiosks holding a settings document the administration wrote, and
 * kiosks that refused one. */
void fleet_kiosks_settings(const struct fleet_kiosk *k, int n, int *taken, int *refused);

/* A random 32-bit number of the run. */
uint32_t fleet_rnd(struct fleet_run *r);

/* Logs a request's start; returns its index, for fleet_run_end. */
size_t fleet_run_begin(struct fleet_run *r, enum fleet_kind kind, int64_t now_ms);
void fleet_run_end(struct fleet_run *r, size_t ev, bool ok, int64_t now_ms);

/* ---- fleet_probe.c: the status page's prober (its own thread) --------------------- */

struct fleet_probe_sample {
    int64_t t_ms; /* run ms the probe started */
    double ms;    /* its latency */
    long status;  /* HTTP status, 0: no answer */
    int rows;     /* kiosk rows on the page */
    int kiosks;   /* the fleet the page counts ("of N kiosks"), -1 if it says none */
};

/* The rows on one page of GET /fleet (the registry's page size). */
#define FLEET_PAGE_ROWS 100

struct fleet_probe;

/* Starts the thread: GET url/fleet?sort=state (the worst first, the
 * heaviest sort) every interval_ms from t0_ms (the run's monotonic start).
 * NULL on failure. */
struct fleet_probe *fleet_probe_start(const char *url, int64_t t0_ms, int interval_ms);

/* Stops the thread and returns its samples (owned by the probe). */
const struct fleet_probe_sample *fleet_probe_stop(struct fleet_probe *p, size_t *n);
void fleet_probe_destroy(struct fleet_probe *p);

/* The rows of a /fleet page: links to a kiosk's own page. */
int fleet_probe_count_rows(const char *html);
/* The kiosks a /fleet page counts in all ("of <b>1,000</b> kiosks"); -1. */
int fleet_probe_total(const char *html);

/* Monotonic ms. */
int64_t fleet_now_ms(void);

#endif
