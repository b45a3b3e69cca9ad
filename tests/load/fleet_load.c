/* fleet_load.c - fleet-load: a thousand kiosks' traffic against
 * bdc-registry on loopback, through a restart of the registry; see
 * fleet_load.h for the design and tests/load/README.md for the figures.
 *
 *   fleet-load --url http://127.0.0.1:PORT [--kiosks N] [--scale S]
 *              [--duration SECONDS] [--no-jitter] [...]
 *
 * Prints one line a second, "t rps heartbeats settings sessions tickets
 * errors" (requests by the second they started, errors by the second they
 * ended), then a summary: each figure beside its target. Exits 1 when a
 * figure misses its target, 2 on a usage or set-up error.
 *
 * The script that runs it (fleet.sh) says when the registry went down
 * (SIGUSR1, sent just before it kills it) and when it is back (SIGUSR2,
 * once it listens again). Besides the kiosks, the hall's administration
 * writes a new settings document for a random kiosk now and then (PUT
 * /v1/kiosks/{id}/settings, from 127.0.0.1), which that kiosk fetches
 * after its next heartbeat.
 */
#include "fleet_load.h"

#include "core/config.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>

static volatile sig_atomic_t went_down, came_up, stop_now;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        went_down = 1;
    else if (sig == SIGUSR2)
        came_up = 1;
    else
        stop_now = 1;
}

uint32_t fleet_rnd(struct fleet_run *r)
{
    /* xorshift64*: fast, and enough for timing draws and keys. */
    r->rng ^= r->rng >> 12;
    r->rng ^= r->rng << 25;
    r->rng ^= r->rng >> 27;
    return (uint32_t)((r->rng * 2685821657736338717ULL) >> 32);
}

size_t fleet_run_begin(struct fleet_run *r, enum fleet_kind kind, int64_t now_ms)
{
    if (r->n_ev == r->cap_ev) {
        size_t cap = r->cap_ev ? r->cap_ev * 2 : 65536;
        struct fleet_event *ev = realloc(r->ev, cap * sizeof *ev);
        if (!ev) {
            fprintf(stderr, "fleet_load: out of memory\n");
            exit(2);
        }
        r->ev = ev;
        r->cap_ev = cap;
    }
    r->ev[r->n_ev] = (struct fleet_event){.t_ms = now_ms, .end_ms = -1, .kind = (uint8_t)kind};
    return r->n_ev++;
}

void fleet_run_end(struct fleet_run *r, size_t ev, bool ok, int64_t now_ms)
{
    r->ev[ev].ok = ok;
    r->ev[ev].end_ms = now_ms;
    int sec = (int)(now_ms / 1000);
    if (!ok && sec >= 0 && sec < r->n_bins)
        r->err_bins[sec]++;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fleet-load --url URL [--kiosks N] [--scale S] [--duration SECONDS]\n"
            "                  [--warm SECONDS] [--window SECONDS] [--period S] [--backoff S]\n"
            "                  [--backoff-cap S] [--visit S] [--settings S] [--no-jitter]\n"
            "                  [--herd-max X] [--fleet-max-ms MS] [--recover SECONDS] [--seed N]\n"
            "\n"
            "  --url URL          the registry (plain HTTP on loopback)\n"
            "  --kiosks N         kiosks simulated (default 1000)\n"
            "  --scale S          kiosk seconds per real second (default 1)\n"
            "  --duration SECONDS real seconds of the run (default 240)\n"
            "  --warm SECONDS     real seconds left out of the steady rate (default 2)\n"
            "  --window SECONDS   real seconds after the restart for the herd check\n"
            "                     (default a period and 20 %%)\n"
            "  --period S         heartbeat period, kiosk seconds (default the kiosk's)\n"
            "  --backoff S        backoff base, kiosk seconds (default the kiosk's)\n"
            "  --backoff-cap S    backoff cap, kiosk seconds (default the kiosk's)\n"
            "  --visit S          mean kiosk seconds between citizens at a kiosk (default 180)\n"
            "  --settings S       mean kiosk seconds between settings written for a kiosk\n"
            "                     (default 600)\n"
            "  --no-jitter        the backoff waits its whole bound (to see the herd check fail)\n"
            "  --herd-max X       target: peak rps after the restart / steady rps (default 1.5)\n"
            "  --fleet-max-ms MS  target: GET /fleet's slowest answer (default 200)\n"
            "  --recover SECONDS  target: every kiosk heartbeats within this after the restart\n"
            "                     (default: a period and 20 %%, and the backoff's cap)\n"
            "  --seed N           random seed (default from getrandom)\n");
}

/* A numeric option; false if unknown or out of range. */
static bool set_number(struct fleet_opts *o, const char *a, double d)
{
    if (!strcmp(a, "--kiosks") && d >= 1 && d <= 60000)
        o->kiosks = (int)d;
    else if (!strcmp(a, "--scale") && d >= 0.01)
        o->scale = d;
    else if (!strcmp(a, "--duration") && d >= 1 && d < 86400)
        o->duration_s = d;
    else if (!strcmp(a, "--warm"))
        o->warm_s = d;
    else if (!strcmp(a, "--window"))
        o->window_s = d;
    else if (!strcmp(a, "--period") && d >= 1)
        o->period_ms = (int64_t)(d * 1000);
    else if (!strcmp(a, "--backoff") && d >= 0.01)
        o->backoff_ms = (int64_t)(d * 1000);
    else if (!strcmp(a, "--backoff-cap") && d >= 0.01)
        o->cap_ms = (int64_t)(d * 1000);
    else if (!strcmp(a, "--visit") && d >= 1)
        o->visit_ms = (int64_t)(d * 1000);
    else if (!strcmp(a, "--settings"))
        o->settings_ms = (int64_t)(d * 1000);
    else if (!strcmp(a, "--herd-max"))
        o->herd_max = d;
    else if (!strcmp(a, "--fleet-max-ms"))
        o->fleet_max_ms = d;
    else if (!strcmp(a, "--recover"))
        o->recover_s = d;
    else if (!strcmp(a, "--seed"))
        o->seed = (uint64_t)d;
    else
        return false;
    return true;
}

static bool parse_opts(int argc, char **argv, struct fleet_opts *o)
{
    /* The kiosk's own timing, as app/core/config.c sets it. */
    struct config kiosk;
    config_defaults(&kiosk);
    *o = (struct fleet_opts){.kiosks = 1000,
                             .scale = 1,
                             .duration_s = 240,
                             .warm_s = 2,
                             .period_ms = (int64_t)kiosk.heartbeat_s * 1000,
                             .backoff_ms = (int64_t)kiosk.heartbeat_backoff_s * 1000,
                             .cap_ms = (int64_t)kiosk.heartbeat_backoff_cap_s * 1000,
                             .visit_ms = 180000,
                             .settings_ms = 600000,
                             .herd_max = 1.5,
                             .fleet_max_ms = 200};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!a)
            return false;
        char *end = NULL;
        double d = v ? strtod(v, &end) : 0;
        bool num = v && end != v && *end == '\0' && d >= 0;
        if (!strcmp(a, "--no-jitter")) {
            o->no_jitter = true;
            continue;
        }
        if (!strcmp(a, "--url") && v)
            o->url = v;
        else if (!num || !set_number(o, a, d))
            return false;
        i++;
    }
    if (!o->url || strncmp(o->url, "http://", 7) != 0 || strlen(o->url) > 200)
        return false;
    if (o->window_s <= 0)
        o->window_s = (double)o->period_ms * 1.2 / 1000.0 / o->scale;
    return true;
}

/* ---- the hall's administration: a settings document now and then ------------------- */

struct admin {
    CURL *easy;
    struct curl_slist *hdrs;
    bool busy;
    int64_t due_ms;
    size_t ev;
    int version;
    char body[256];
};

static size_t drop(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

static void admin_tick(struct fleet_run *r, struct admin *a, int64_t now_ms)
{
    const struct fleet_opts *o = r->o;
    if (a->busy || o->settings_ms <= 0 || now_ms < a->due_ms)
        return;
    /* Each kiosk every settings_ms on average: the fleet's writes come
     * kiosks times as often. */
    double mean = (double)o->settings_ms / o->scale / o->kiosks;
    double u = ((double)fleet_rnd(r) + 1.0) / 4294967297.0;
    a->due_ms = now_ms + (int64_t)(-mean * log(u));
    char url[300];
    snprintf(url, sizeof url, "%s/v1/kiosks/FL-%04u/settings", o->url,
             fleet_rnd(r) % (unsigned)o->kiosks + 1);
    snprintf(a->body, sizeof a->body,
             "{\"settings\":{\"kiosk\":{\"notice\":\"preset-%d\"},\"flow\":{\"idle_s\":%d}}}",
             a->version % 3 + 1, 60 + a->version % 60);
    a->version++;
    curl_easy_reset(a->easy);
    curl_easy_setopt(a->easy, CURLOPT_URL, url);
    curl_easy_setopt(a->easy, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(a->easy, CURLOPT_POSTFIELDS, a->body);
    curl_easy_setopt(a->easy, CURLOPT_HTTPHEADER, a->hdrs);
    curl_easy_setopt(a->easy, CURLOPT_WRITEFUNCTION, drop);
    curl_easy_setopt(a->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(a->easy, CURLOPT_PROXY, "");
    curl_easy_setopt(a->easy, CURLOPT_TIMEOUT_MS, 5000L);
    a->ev = fleet_run_begin(r, FLEET_SETTINGS, now_ms);
    if (curl_multi_add_handle(r->multi, a->easy) == CURLM_OK) {
        a->busy = true;
        r->inflight++;
    } else {
        fleet_run_end(r, a->ev, false, now_ms);
    }
}

static void admin_done(struct fleet_run *r, struct admin *a, CURLcode rc, int64_t now_ms)
{
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(a->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(r->multi, a->easy);
    r->inflight--;
    a->busy = false;
    fleet_run_end(r, a->ev, status == 200, now_ms);
}

/* ---- the run ---------------------------------------------------------------------- */

/* Prints the line of second sec: requests that started in it by kind, and
 * the failures that ended in it. */
static void print_second(const struct fleet_run *r, size_t *from, int sec)
{
    int by[FLEET_KINDS] = {0}, all = 0;
    int64_t end = (int64_t)(sec + 1) * 1000;
    while (*from < r->n_ev && r->ev[*from].t_ms < end) {
        by[r->ev[*from].kind]++;
        all++;
        (*from)++;
    }
    printf("%d %d %d %d %d %d %d\n", sec + 1, all, by[FLEET_HEARTBEAT], by[FLEET_SETTINGS],
           by[FLEET_SESSION], by[FLEET_TICKET], r->err_bins[sec]);
    fflush(stdout);
}

static int run_loop(struct fleet_run *r, struct fleet_kiosk *ks, struct admin *adm)
{
    const struct fleet_opts *o = r->o;
    int64_t end_ms = (int64_t)(o->duration_s * 1000);
    size_t printed_ev = 0;
    int printed = 0;
    printf("t rps heartbeats settings sessions tickets errors\n");
    for (;;) {
        int64_t now = fleet_now_ms() - r->t0_ms;
        if (went_down && r->down_ms < 0) {
            r->down_ms = now;
            fprintf(stderr, "fleet_load: the registry went down at %.1f s\n", (double)now / 1e3);
        }
        if (came_up && r->up_ms < 0 && r->down_ms >= 0) {
            r->up_ms = now;
            fprintf(stderr, "fleet_load: the registry is back at %.1f s\n", (double)now / 1e3);
        }
        while (printed < r->n_bins && (int64_t)(printed + 1) * 1000 <= now)
            print_second(r, &printed_ev, printed++);
        if (now >= end_ms || stop_now)
            break;
        int64_t wait = fleet_kiosks_tick(r, ks, o->kiosks, now, 20);
        admin_tick(r, adm, now);
        int running = 0;
        curl_multi_perform(r->multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(r->multi, &left)) != NULL) {
            if (m->msg != CURLMSG_DONE)
                continue;
            int64_t t = fleet_now_ms() - r->t0_ms;
            if (m->easy_handle == adm->easy)
                admin_done(r, adm, m->data.result, t);
            else
                fleet_kiosks_done(r, m->easy_handle, m->data.result, t);
        }
        curl_multi_poll(r->multi, NULL, 0, wait > 0 ? (int)wait : 0, NULL);
    }
    return printed;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static int missed;

static void figure(const char *name, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void figure(const char *name, bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("fleet: %-26s ", name);
    vprintf(fmt, ap);
    printf("  %s\n", ok ? "ok" : "MISSED");
    va_end(ap);
    if (!ok)
        missed++;
}

static void summary(const struct fleet_run *r, const struct fleet_kiosk *ks,
                    const struct fleet_probe_sample *ps, size_t np)
{
    const struct fleet_opts *o = r->o;
    int64_t down = r->down_ms, up = r->up_ms;
    printf("fleet: %d kiosks, time x%g: heartbeat every %.0f s (%.1f s real), backoff from %.0f s"
           " doubling to %.0f s %s\n",
           o->kiosks, o->scale, (double)o->period_ms / 1000.0,
           (double)o->period_ms / 1000.0 / o->scale, (double)o->backoff_ms / 1000.0,
           (double)o->cap_ms / 1000.0, o->no_jitter ? "WITHOUT jitter" : "with full jitter");
    if (down < 0 || up < 0) {
        figure("registry restarted", false, "no (SIGUSR1 then SIGUSR2 never came)");
        return;
    }
    printf("fleet: registry down at %.1f s, back at %.1f s (%.1f s)\n", (double)down / 1e3,
           (double)up / 1e3, (double)(up - down) / 1e3);

    /* Steady rate: every request started from warm-up to the outage. */
    int64_t warm = (int64_t)(o->warm_s * 1000);
    size_t steady_n = 0;
    for (size_t i = 0; i < r->n_ev; i++)
        steady_n += r->ev[i].t_ms >= warm && r->ev[i].t_ms < down;
    double steady = down > warm ? (double)steady_n * 1000.0 / (double)(down - warm) : 0;
    /* The herd: seconds counted from the restart on. */
    int w = (int)(o->window_s + 0.5);
    int *bins = calloc((size_t)w + 1, sizeof *bins);
    int peak = 0, peak_at = 0;
    for (size_t i = 0; bins && i < r->n_ev; i++) {
        int64_t d = r->ev[i].t_ms - up;
        if (d >= 0 && d < (int64_t)w * 1000)
            bins[d / 1000]++;
    }
    for (int s = 0; bins && s < w; s++) {
        if (bins[s] > peak) {
            peak = bins[s];
            peak_at = s;
        }
    }
    free(bins);
    printf("fleet: steady_rps %.1f (mean from %.0f s to the outage)\n", steady, o->warm_s);
    figure("herd_peak_rps", steady > 0 && peak <= o->herd_max * steady,
           "%d in second %d after the restart = %.2f x steady  target <= %.2f x", peak, peak_at + 1,
           steady > 0 ? peak / steady : 0, o->herd_max);

    /* Every kiosk heartbeats again within the bound: one that was not
     * waiting out a backoff within a period and 20 %, one that was within
     * the backoff's cap (the most any wait can be). */
    double bound = o->recover_s > 0
                       ? o->recover_s
                       : ((double)o->period_ms * 1.2 + (double)o->cap_ms) / 1000.0 / o->scale + 0.5;
    int64_t last = -1;
    int back = fleet_kiosks_back(ks, o->kiosks, up, &last);
    double took = last >= 0 ? (double)(last - up) / 1000.0 : -1;
    figure("kiosks_back", back == o->kiosks && took <= bound,
           "%d of %d heartbeated since the restart, the last after %.1f s  target all within "
           "%.1f s",
           back, o->kiosks, took, bound);
    int64_t widest = 0;
    int late = fleet_kiosks_late(ks, o->kiosks, &widest);
    figure("late_heartbeats", late == 0,
           "%d kiosks with a gap over the period +30 %% outside the outage (widest %.1f s)"
           "  target 0",
           late, (double)widest / 1000.0);

    /* Requests: failures only while the registry was down. */
    size_t hb = 0, hb_ok = 0, fail_out = 0, fail_in = 0;
    for (size_t i = 0; i < r->n_ev; i++) {
        const struct fleet_event *e = &r->ev[i];
        if (e->kind == FLEET_HEARTBEAT) {
            hb++;
            hb_ok += e->ok;
        }
        if (e->ok || e->end_ms < 0)
            continue;
        if (e->end_ms < down || e->t_ms >= up)
            fail_out++;
        else
            fail_in++;
    }
    printf("fleet: heartbeats %zu sent, %zu answered 2xx; %zu requests failed during the outage\n",
           hb, hb_ok, fail_in);
    /* How long the registry took to answer a heartbeat (for the record). */
    double *hl = calloc(hb_ok + 1, sizeof *hl);
    size_t nh = 0;
    for (size_t i = 0; hl && i < r->n_ev; i++) {
        const struct fleet_event *e = &r->ev[i];
        if (e->kind == FLEET_HEARTBEAT && e->ok && nh < hb_ok + 1)
            hl[nh++] = (double)(e->end_ms - e->t_ms);
    }
    if (hl && nh) {
        qsort(hl, nh, sizeof *hl, cmp_double);
        printf("fleet: heartbeat answered in p50 %.0f p99 %.0f max %.0f ms\n", hl[nh / 2],
               hl[nh * 99 / 100], hl[nh - 1]);
    }
    free(hl);
    int taken = 0, refused = 0;
    fleet_kiosks_settings(ks, o->kiosks, &taken, &refused);
    printf("fleet: settings: %d kiosks hold a document the administration wrote, %d refused one\n",
           taken, refused);
    figure("errors_outside_outage", fail_out == 0, "%zu  target 0", fail_out);

    /* The status page. */
    double *lat = calloc(np + 1, sizeof *lat);
    size_t nl = 0, unanswered_out = 0, unanswered_in = 0;
    int shown = -1, rows = -1;
    for (size_t i = 0; lat && i < np; i++) {
        if (ps[i].status == 200) {
            lat[nl++] = ps[i].ms;
            shown = ps[i].kiosks;
            rows = ps[i].rows;
        } else if (ps[i].t_ms + (int64_t)ps[i].ms >= down && ps[i].t_ms <= up) {
            unanswered_in++;
        } else {
            unanswered_out++;
        }
    }
    double max = -1, p99 = -1, p50 = -1;
    if (lat && nl) {
        qsort(lat, nl, sizeof *lat, cmp_double);
        max = lat[nl - 1];
        p99 = lat[nl * 99 / 100];
        p50 = lat[nl / 2];
    }
    free(lat);
    figure("fleet_page_ms", nl > 0 && max <= o->fleet_max_ms,
           "max %.1f p99 %.1f p50 %.1f over %zu answers (%zu unanswered while down)"
           "  target max <= %.0f",
           max, p99, p50, nl, unanswered_in, o->fleet_max_ms);
    figure("fleet_page_unanswered", unanswered_out == 0, "%zu outside the outage  target 0",
           unanswered_out);
    int page_rows = o->kiosks < FLEET_PAGE_ROWS ? o->kiosks : FLEET_PAGE_ROWS;
    figure("fleet_page_kiosks", shown == o->kiosks && rows == page_rows,
           "the last page counts %d kiosks and lists %d  target %d and %d", shown, rows, o->kiosks,
           page_rows);
}

int main(int argc, char **argv)
{
    struct fleet_opts o;
    if (!parse_opts(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    /* Two handles per kiosk, each its own socket at times. */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 2;

    struct fleet_run r = {.o = &o, .down_ms = -1, .up_ms = -1, .rng = o.seed};
    if (!r.rng && getrandom(&r.rng, sizeof r.rng, 0) != (ssize_t)sizeof r.rng)
        r.rng = (uint64_t)fleet_now_ms();
    r.rng |= 1;
    r.n_bins = (int)o.duration_s + 2;
    r.err_bins = calloc((size_t)r.n_bins, sizeof *r.err_bins);
    r.multi = curl_multi_init();
    struct admin adm = {.easy = curl_easy_init()};
    adm.hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    r.t0_ms = fleet_now_ms();
    struct fleet_kiosk *ks = r.multi ? fleet_kiosks_create(&r, o.kiosks) : NULL;
    struct fleet_probe *probe = ks ? fleet_probe_start(o.url, r.t0_ms, 200) : NULL;
    int rc = 2;
    if (r.err_bins && adm.easy && adm.hdrs && probe) {
        run_loop(&r, ks, &adm);
        size_t np = 0;
        const struct fleet_probe_sample *ps = fleet_probe_stop(probe, &np);
        summary(&r, ks, ps, np);
        printf("fleet: %s\n", missed ? "FAIL" : "PASS");
        rc = missed ? 1 : 0;
    } else {
        fprintf(stderr, "fleet_load: cannot set up %d kiosks\n", o.kiosks);
        if (probe)
            fleet_probe_stop(probe, &(size_t){0});
    }

    fleet_probe_destroy(probe);
    if (adm.busy)
        curl_multi_remove_handle(r.multi, adm.easy);
    curl_easy_cleanup(adm.easy);
    curl_slist_free_all(adm.hdrs);
    fleet_kiosks_destroy(ks, o.kiosks);
    curl_multi_cleanup(r.multi);
    curl_global_cleanup();
    free(r.ev);
    free(r.err_bins);
    return rc;
}
