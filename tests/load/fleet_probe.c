/* fleet_probe.c - the status page's prober (fleet_load.h): a thread of its
 * own that asks GET /fleet?sort=state every 200 ms, as a person at the
 * hall's desk would keep it open, and keeps each answer's latency, status,
 * the number of kiosk rows on the page and the fleet it counts. The thread owns its curl handle and
 * the samples until fleet_probe_stop joins it.
 */
#include "fleet_load.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_MAX (16 * 1024 * 1024)

struct fleet_probe {
    pthread_t thread;
    char url[256];
    int64_t t0_ms;
    int interval_ms;
    atomic_bool stop;
    struct fleet_probe_sample *s;
    size_t n, cap;
    char *page;
    size_t len;
};

int64_t fleet_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int fleet_probe_count_rows(const char *html)
{
    int n = 0;
    for (const char *p = html; (p = strstr(p, "<a href=\"/fleet/")) != NULL; p++)
        n++;
    return n;
}

int fleet_probe_total(const char *html)
{
    const char *p = strstr(html, " of <b>");
    if (!p)
        return -1;
    int n = 0;
    for (p += 7; (*p >= '0' && *p <= '9') || *p == ','; p++)
        n = *p == ',' ? n : n * 10 + (*p - '0');
    return strncmp(p, "</b> kiosks", 11) == 0 ? n : -1;
}

static size_t on_page(char *data, size_t size, size_t n, void *user)
{
    struct fleet_probe *p = user;
    size_t add = size * n;
    if (p->len + add > PAGE_MAX)
        return 0; /* a page this big is an error of its own */
    memcpy(p->page + p->len, data, add);
    p->len += add;
    p->page[p->len] = '\0';
    return add;
}

static void *probe_main(void *arg)
{
    struct fleet_probe *p = arg;
    CURL *e = curl_easy_init();
    char url[300];
    snprintf(url, sizeof url, "%s/fleet?sort=state", p->url);
    int64_t next = fleet_now_ms();
    while (e && !atomic_load(&p->stop)) {
        if (p->n == p->cap) {
            size_t cap = p->cap ? p->cap * 2 : 1024;
            struct fleet_probe_sample *s = realloc(p->s, cap * sizeof *s);
            if (!s)
                break;
            p->s = s;
            p->cap = cap;
        }
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_page);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, p);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_PROXY, "");
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
        p->len = 0;
        p->page[0] = '\0';
        int64_t start = fleet_now_ms();
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        CURLcode rc = curl_easy_perform(e);
        clock_gettime(CLOCK_MONOTONIC, &b);
        struct fleet_probe_sample *s = &p->s[p->n++];
        s->t_ms = start - p->t0_ms;
        s->ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
        s->status = 0;
        if (rc == CURLE_OK)
            curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &s->status);
        s->rows = s->status == 200 ? fleet_probe_count_rows(p->page) : 0;
        s->kiosks = s->status == 200 ? fleet_probe_total(p->page) : -1;
        next += p->interval_ms;
        int64_t now = fleet_now_ms();
        if (next < now)
            next = now; /* a slow answer: the next probe at once, not a burst of them */
        struct timespec nap = {.tv_sec = (next - now) / 1000,
                               .tv_nsec = (long)((next - now) % 1000) * 1000000L};
        nanosleep(&nap, NULL);
    }
    curl_easy_cleanup(e);
    return NULL;
}

struct fleet_probe *fleet_probe_start(const char *url, int64_t t0_ms, int interval_ms)
{
    struct fleet_probe *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->page = malloc(PAGE_MAX + 1);
    if (!p->page || strlen(url) >= sizeof p->url) {
        free(p->page);
        free(p);
        return NULL;
    }
    memcpy(p->url, url, strlen(url) + 1);
    p->t0_ms = t0_ms;
    p->interval_ms = interval_ms;
    atomic_init(&p->stop, false);
    if (pthread_create(&p->thread, NULL, probe_main, p) != 0) {
        free(p->page);
        free(p);
        return NULL;
    }
    return p;
}

const struct fleet_probe_sample *fleet_probe_stop(struct fleet_probe *p, size_t *n)
{
    atomic_store(&p->stop, true);
    pthread_join(p->thread, NULL);
    *n = p->n;
    return p->s;
}

void fleet_probe_destroy(struct fleet_probe *p)
{
    if (!p)
        return;
    free(p->s);
    free(p->page);
    free(p);
}
