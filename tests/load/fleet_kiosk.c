/* fleet_kiosk.c - the simulated kiosks of the load client (fleet_load.h):
 * each kiosk's heartbeat lane and visit lane as small state machines on
 * the run's curl multi handle. Main thread only.
 *
 * The heartbeat lane does what app/heartbeat.c does, with the same pure
 * parts (heartbeat_plan.c): WAIT --due--> BEAT --2xx--> WAIT (period
 * ±20 %) or, when the answer names a settings version the kiosk has not
 * got, FETCH (the document checked all or nothing, as the kiosk does) -->
 * WAIT; a failed heartbeat waits the full-jitter backoff. The visit lane
 * plays citizens: a records visit (open, properties, close) or, one time
 * in three, a walk-in queue number. A failed step ends the visit, as the
 * kiosk's error screen does. The card is made up per kiosk (a valid GB
 * 11643 number that is not a demo citizen's, so the stand-in comparison
 * matches); the face image is a few bytes of base64, which the registry
 * checks for shape only.
 */
#include "fleet_load.h"

#include "base/util.h"
#include "core/settings.h"
#include "heartbeat.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY_MAX 8192

enum lane_step {
    STEP_IDLE,
    STEP_BEAT,
    STEP_FETCH,
    STEP_OPEN,
    STEP_PROPS,
    STEP_CLOSE,
    STEP_TICKET,
};

struct lane {
    struct fleet_kiosk *k;
    CURL *easy;
    struct curl_slist *hdrs;
    enum lane_step step;
    int64_t due_ms; /* run ms */
    size_t ev;      /* the running request's event */
    char reply[REPLY_MAX];
    size_t len;
    char body[2048];
};

struct fleet_kiosk {
    int index;
    char id[16];
    char iface[40];
    struct lane hb, visit;
    int failures;
    int64_t have, offered, refused; /* settings versions */
    int64_t last_ok_ms, back_ms;    /* last heartbeat 2xx; first since the restart (-1) */
    int64_t late_ms;                /* widest gap outside the outage beyond the bound */
    int visit_next;                 /* STEP_OPEN or STEP_TICKET */
    char token[64];
    char session[1024];
};

static struct fleet_run *run_of; /* the run whose kiosks these are (one per process) */

static int64_t real_ms(const struct fleet_run *r, int64_t kiosk_ms)
{
    return (int64_t)((double)kiosk_ms / r->o->scale);
}

/* An exponential wait of mean kiosk ms mean, in real ms. */
static int64_t exp_wait(struct fleet_run *r, int64_t mean)
{
    double u = ((double)fleet_rnd(r) + 1.0) / 4294967297.0;
    double v = -(double)mean * log(u);
    return real_ms(r, (int64_t)v);
}

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
    struct lane *l = user;
    size_t add = size * n;
    size_t room = sizeof l->reply - 1 - l->len;
    size_t take = add < room ? add : room; /* the rest is dropped: the summary does not need it */
    memcpy(l->reply + l->len, p, take);
    l->len += take;
    l->reply[l->len] = '\0';
    return add;
}

/* A made-up resident of 焦作 for kiosk i: a valid number (region 410821,
 * not a demo citizen's), birth date and sex agreeing with it. */
static void make_session_body(struct fleet_kiosk *k)
{
    int year = 1950 + k->index % 50, month = 1 + k->index % 12, day = 1 + k->index % 28;
    int seq = 100 + k->index % 900;
    char id[32];
    snprintf(id, sizeof id, "410821%04d%02d%02d%03d", year, month, day, seq);
    id[17] = idnum_check_char(id);
    id[18] = '\0';
    snprintf(k->session, sizeof k->session,
             "{\"card\":{\"type\":\"resident\",\"id_number\":\"%s\",\"name\":\"测试%d\","
             "\"gender\":\"%s\",\"ethnicity\":\"汉\",\"birth_date\":\"%04d-%02d-%02d\","
             "\"address\":\"河南省焦作市修武县\",\"issuer\":\"修武县公安局\","
             "\"valid_from\":\"2015-06-01\",\"valid_to\":\"长期\"},"
             "\"face\":{\"consent\":true,\"image_jpeg\":\"/9j/4AAQSkZJRgABAQAAAQABAAD/2w==\","
             "\"liveness\":{\"passed\":true,\"challenge\":\"blink\"}}}",
             id, k->index, seq % 2 ? "男" : "女", year, month, day);
}

struct fleet_kiosk *fleet_kiosks_create(struct fleet_run *r, int n)
{
    struct fleet_kiosk *ks = calloc((size_t)n, sizeof *ks);
    if (!ks)
        return NULL;
    run_of = r;
    for (int i = 0; i < n; i++) {
        struct fleet_kiosk *k = &ks[i];
        k->index = i;
        snprintf(k->id, sizeof k->id, "FL-%04d", i + 1);
        /* Its own loopback address: the registry holds at most 32
         * connections per address, as a hall's kiosks each have one. */
        snprintf(k->iface, sizeof k->iface, "host!127.1.%d.%d", i / 250, i % 250 + 1);
        k->last_ok_ms = -1;
        k->back_ms = -1;
        k->refused = -1;
        make_session_body(k);
        struct lane *lanes[] = {&k->hb, &k->visit};
        for (size_t j = 0; j < ARRAY_LEN(lanes); j++) {
            lanes[j]->k = k;
            lanes[j]->easy = curl_easy_init();
            if (!lanes[j]->easy) {
                fleet_kiosks_destroy(ks, i + 1);
                return NULL;
            }
        }
        /* A fleet that has been running: heartbeats anywhere in the first
         * period, visits a random time away. */
        k->hb.due_ms = real_ms(r, (int64_t)(((uint64_t)r->o->period_ms * fleet_rnd(r)) >> 32));
        k->visit.due_ms = exp_wait(r, r->o->visit_ms);
        k->visit_next = fleet_rnd(r) % 3 ? STEP_OPEN : STEP_TICKET;
    }
    return ks;
}

void fleet_kiosks_destroy(struct fleet_kiosk *ks, int n)
{
    if (!ks)
        return;
    for (int i = 0; i < n; i++) {
        struct lane *lanes[] = {&ks[i].hb, &ks[i].visit};
        for (size_t j = 0; j < ARRAY_LEN(lanes); j++) {
            if (lanes[j]->easy) {
                if (lanes[j]->step != STEP_IDLE)
                    curl_multi_remove_handle(run_of->multi, lanes[j]->easy);
                curl_easy_cleanup(lanes[j]->easy);
            }
            curl_slist_free_all(lanes[j]->hdrs);
        }
    }
    free(ks);
}

static enum fleet_kind kind_of(enum lane_step s)
{
    return s == STEP_BEAT     ? FLEET_HEARTBEAT
           : s == STEP_FETCH  ? FLEET_SETTINGS
           : s == STEP_TICKET ? FLEET_TICKET
                              : FLEET_SESSION;
}

/* Starts one request on lane l: method, path (after the URL), body or
 * NULL; with the kiosk's id, its bearer token, an idempotency key. */
static void send_req(struct fleet_run *r, struct lane *l, enum lane_step step, const char *method,
                     const char *path, const char *body, bool bearer, int64_t now_ms)
{
    struct fleet_kiosk *k = l->k;
    CURL *e = l->easy;
    char url[256], h[160];
    curl_easy_reset(e);
    curl_slist_free_all(l->hdrs);
    l->hdrs = NULL;
    snprintf(url, sizeof url, "%s%s", r->o->url, path);
    snprintf(h, sizeof h, "X-Kiosk-Id: %s", k->id);
    l->hdrs = curl_slist_append(l->hdrs, h);
    if (bearer) {
        snprintf(h, sizeof h, "Authorization: Bearer %s", k->token);
        l->hdrs = curl_slist_append(l->hdrs, h);
    }
    if (strcmp(method, "GET") != 0 && step != STEP_BEAT) {
        snprintf(h, sizeof h, "Idempotency-Key: fl%08x%08x", fleet_rnd(r), fleet_rnd(r));
        l->hdrs = curl_slist_append(l->hdrs, h);
    }
    if (body)
        l->hdrs = curl_slist_append(l->hdrs, "Content-Type: application/json");
    l->hdrs = curl_slist_append(l->hdrs, "Expect:");
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, l->hdrs);
    curl_easy_setopt(e, CURLOPT_INTERFACE, k->iface);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, l);
    curl_easy_setopt(e, CURLOPT_PRIVATE, l);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    /* The kiosk counts an answer later than 30 s as lost: the registry's
     * time is not compressed, so neither is this. */
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 30000L);
    l->len = 0;
    l->reply[0] = '\0';
    l->step = step;
    l->ev = fleet_run_begin(r, kind_of(step), now_ms);
    if (curl_multi_add_handle(r->multi, e) != CURLM_OK) {
        fleet_run_end(r, l->ev, false, now_ms);
        l->step = STEP_IDLE;
        l->due_ms = now_ms + 1000;
        return;
    }
    r->inflight++;
}

static void send_beat(struct fleet_run *r, struct fleet_kiosk *k, int64_t now_ms)
{
    char hall[32];
    snprintf(hall, sizeof hall, "大厅 %02d", k->index / 20 + 1);
    struct heartbeat_facts f = {
        .version = "1.4.0-fleet",
        .uptime_s = (int64_t)((double)now_ms * run_of->o->scale / 1000.0) + 3600,
        .kiosk = k->id,
        .hall = hall,
        .reader = "ok",
        .camera = "ok",
        .slip = "ok",
        .a4 = "ok",
        .slips_since_refill = k->index % 300,
        .slip_roll = 300,
        .last_frame_s = 0,
        .disk_free_mb = 2048,
        .errors = 0,
        .settings_version = k->have,
    };
    if (heartbeat_format(&f, k->hb.body, sizeof k->hb.body) < 0) {
        fprintf(stderr, "fleet_load: heartbeat body does not fit\n");
        abort();
    }
    send_req(r, &k->hb, STEP_BEAT, "POST", "/v1/heartbeat", k->hb.body, false, now_ms);
}

static void start_visit(struct fleet_run *r, struct fleet_kiosk *k, int64_t now_ms)
{
    struct lane *l = &k->visit;
    switch (k->visit_next) {
    case STEP_OPEN:
        send_req(r, l, STEP_OPEN, "POST", "/v1/sessions", k->session, false, now_ms);
        break;
    case STEP_PROPS:
        send_req(r, l, STEP_PROPS, "GET", "/v1/properties", NULL, true, now_ms);
        break;
    case STEP_CLOSE:
        send_req(r, l, STEP_CLOSE, "DELETE", "/v1/sessions/current", NULL, true, now_ms);
        break;
    case STEP_TICKET:
        send_req(r, l, STEP_TICKET, "POST", "/v1/tickets",
                 "{\"kind\":\"walk_in\",\"service\":\"query\"}", false, now_ms);
        break;
    default:
        break;
    }
}

int64_t fleet_kiosks_tick(struct fleet_run *r, struct fleet_kiosk *ks, int n, int64_t now_ms,
                          int64_t max_ms)
{
    int64_t next = now_ms + max_ms;
    for (int i = 0; i < n; i++) {
        struct fleet_kiosk *k = &ks[i];
        if (k->hb.step == STEP_IDLE) {
            if (k->hb.due_ms <= now_ms)
                send_beat(r, k, now_ms);
            else if (k->hb.due_ms < next)
                next = k->hb.due_ms;
        }
        if (k->visit.step == STEP_IDLE) {
            if (k->visit.due_ms <= now_ms)
                start_visit(r, k, now_ms);
            else if (k->visit.due_ms < next)
                next = k->visit.due_ms;
        }
    }
    return next - now_ms;
}

/* The next heartbeat: after the period, or the backoff after a failure. */
static void schedule_beat(struct fleet_run *r, struct fleet_kiosk *k, bool ok, int64_t now_ms)
{
    k->hb.step = STEP_IDLE;
    if (ok) {
        k->failures = 0;
        k->hb.due_ms = now_ms + real_ms(r, heartbeat_jitter_ms(r->o->period_ms, fleet_rnd(r)));
        return;
    }
    if (k->failures < 64)
        k->failures++;
    uint32_t rnd = r->o->no_jitter ? UINT32_MAX : fleet_rnd(r);
    k->hb.due_ms =
        now_ms + real_ms(r, heartbeat_backoff_ms(k->failures, r->o->backoff_ms, r->o->cap_ms, rnd));
}

/* A heartbeat answered 2xx at now_ms: the gap since the last one. */
static void beat_arrived(struct fleet_run *r, struct fleet_kiosk *k, int64_t now_ms)
{
    /* Period +20 %, and a tenth of it for the answer and the loop. */
    int64_t bound = real_ms(r, r->o->period_ms * 13 / 10);
    bool across = r->down_ms >= 0 && k->last_ok_ms <= r->down_ms;
    if (k->last_ok_ms >= 0 && !across && now_ms - k->last_ok_ms > bound &&
        now_ms - k->last_ok_ms > k->late_ms)
        k->late_ms = now_ms - k->last_ok_ms;
    k->last_ok_ms = now_ms;
    if (r->up_ms >= 0 && k->back_ms < 0)
        k->back_ms = now_ms;
}

static bool heartbeat_done(struct fleet_run *r, struct lane *l, long status, int64_t now_ms)
{
    struct fleet_kiosk *k = l->k;
    bool ok = status >= 200 && status <= 299;
    if (l->step == STEP_BEAT) {
        int64_t v = 0;
        if (!ok) {
            schedule_beat(r, k, false, now_ms);
            return false;
        }
        beat_arrived(r, k, now_ms);
        if (heartbeat_parse_reply(l->reply, l->len, &v) == 0 && v != k->have && v != k->refused &&
            v > 0) {
            k->offered = v;
            char path[128];
            snprintf(path, sizeof path, "/v1/kiosks/%s/settings?have=%lld", k->id,
                     (long long)k->have);
            send_req(r, l, STEP_FETCH, "GET", path, NULL, false, now_ms);
            return true;
        }
        schedule_beat(r, k, true, now_ms);
        return true;
    }
    /* STEP_FETCH: checked all or nothing over the defaults, as the kiosk does. */
    if (status == 200) {
        struct settings base;
        struct heartbeat_remote rem;
        char why[160];
        settings_defaults(&base);
        if (heartbeat_parse_settings(l->reply, l->len, &base, &rem, why, sizeof why) == 0)
            k->have = rem.version;
        else
            k->refused = k->offered;
    }
    schedule_beat(r, k, true, now_ms);
    return status == 200 || status == 304;
}

static bool visit_done(struct fleet_run *r, struct lane *l, long status, int64_t now_ms)
{
    struct fleet_kiosk *k = l->k;
    enum lane_step s = l->step;
    bool ok = (s == STEP_OPEN || s == STEP_TICKET) ? status == 201
              : s == STEP_PROPS                    ? status == 200
                                                   : status == 204;
    l->step = STEP_IDLE;
    if (ok && s == STEP_OPEN) {
        cJSON *j = cJSON_ParseWithLength(l->reply, l->len);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "session_token");
        ok = cJSON_IsString(t) && str_copy(k->token, sizeof k->token, t->valuestring);
        cJSON_Delete(j);
    }
    if (ok && (s == STEP_OPEN || s == STEP_PROPS)) {
        /* The citizen's face check and reading: seconds, kiosk time. */
        k->visit_next = s == STEP_OPEN ? STEP_PROPS : STEP_CLOSE;
        l->due_ms = now_ms + real_ms(r, s == STEP_OPEN ? 8000 : 20000);
        return true;
    }
    /* The visit is over (done, or an error screen): the next citizen. */
    k->visit_next = fleet_rnd(r) % 3 ? STEP_OPEN : STEP_TICKET;
    l->due_ms = now_ms + exp_wait(r, r->o->visit_ms);
    return ok;
}

void fleet_kiosks_done(struct fleet_run *r, CURL *easy, CURLcode rc, int64_t now_ms)
{
    struct lane *l = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&l);
    curl_multi_remove_handle(r->multi, easy);
    r->inflight--;
    if (!l)
        return;
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    size_t ev = l->ev;
    bool ok = (l->step == STEP_BEAT || l->step == STEP_FETCH) ? heartbeat_done(r, l, status, now_ms)
                                                              : visit_done(r, l, status, now_ms);
    /* A fetch started from a heartbeat's answer logs itself. */
    fleet_run_end(r, ev, ok, now_ms);
}

int fleet_kiosks_back(const struct fleet_kiosk *ks, int n, int64_t since_ms, int64_t *last_ms)
{
    int back = 0;
    *last_ms = -1;
    for (int i = 0; i < n; i++) {
        if (ks[i].back_ms >= since_ms && since_ms >= 0) {
            back++;
            if (ks[i].back_ms > *last_ms)
                *last_ms = ks[i].back_ms;
        }
    }
    return back;
}

void fleet_kiosks_settings(const struct fleet_kiosk *ks, int n, int *taken, int *refused)
{
    *taken = *refused = 0;
    for (int i = 0; i < n; i++) {
        *taken += ks[i].have > 0;
        *refused += ks[i].refused >= 0;
    }
}

int fleet_kiosks_late(const struct fleet_kiosk *ks, int n, int64_t *widest_ms)
{
    int late = 0;
    *widest_ms = 0;
    for (int i = 0; i < n; i++) {
        if (ks[i].late_ms > 0)
            late++;
        if (ks[i].late_ms > *widest_ms)
            *widest_ms = ks[i].late_ms;
    }
    return late;
}
