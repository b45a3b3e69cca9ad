/* hall_guide.c - the hall's service guide (办事指南) kept on disk, so a
 * kiosk that restarts while the registry is unreachable still shows it.
 *
 * DESIGN: the file ([kiosk] guide_cache, else <output_dir>/guide.json) holds
 * the last GET /v1/services body exactly as the registry sent it and the
 * backend validated it. At start-up, before the first fetch, the main
 * thread reads it back and parses it with the same parser as a live reply;
 * a missing file is the first start, a damaged one is logged with the reason
 * and ignored. When a guide arrives that reads differently from the file's
 * (as_of, the time of each answer, aside: else every refresh would write),
 * the UI thread hands its bytes to a writer thread (store/hall_cache.h
 * fsyncs, which the UI thread must not wait for); while one write is under
 * way a newer guide waits for the next refresh. A failed write is logged once, when it
 * starts failing, and retried with the next guide; the guide in memory
 * stays either way. Not personal data.
 */
#include "app.h"

#include "backend/regjson.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "store/hall_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hall_guide {
    char path[512];
    struct service_list kept; /* what the file holds or is being given */
    char *bytes;              /* the same as sent, while the writer writes it */
    size_t len;
    bool on_disk;     /* the file holds kept (UI thread, after the join) */
    bool writing;     /* a writer was started and not joined yet */
    atomic_bool done; /* the writer has finished */
    int rc;           /* the writer's last result; it logs only a change */
    pthread_t writer;
};

static void *write_copy(void *arg)
{
    struct hall_guide *g = arg;
    int prev = g->rc;
    g->rc = hall_cache_set(g->path, g->bytes, g->len);
    if (g->rc && g->rc != prev)
        log_warn("app", "guide not kept in %s: %s", g->path, err_str(g->rc));
    else if (!g->rc && prev)
        log_notice("app", "guide kept in %s again", g->path);
    atomic_store(&g->done, true);
    return NULL;
}

/* Waits for the writer (it has finished, or the kiosk is stopping). */
static void join_writer(struct hall_guide *g)
{
    if (!g->writing)
        return;
    pthread_join(g->writer, NULL);
    g->writing = false;
    g->on_disk = g->rc == 0;
    free(g->bytes);
    g->bytes = NULL;
}

static void resolve_path(struct app *a, struct hall_guide *g)
{
    devices_state_path(&a->cfg, a->cfg.guide_cache, "guide.json", g->path, sizeof g->path);
}

/* Whether two guides read the same (as_of aside). Both come zeroed from
 * the parser, so the unused rest of each entry compares too. */
static bool same_guide(const struct service_list *x, const struct service_list *y)
{
    return x->count == y->count &&
           memcmp(x->items, y->items, (size_t)x->count * sizeof x->items[0]) == 0;
}

/* Reads the file into a->services and keeps what it read to compare with. */
static void load_copy(struct app *a, struct hall_guide *g)
{
    char *buf = NULL, detail[REGJSON_DETAIL_MAX] = "";
    size_t len = 0;
    int rc = hall_cache_get(g->path, HALL_CACHE_MAX, &buf, &len);
    if (rc == ERR_NOTFOUND) {
        log_info("app", "no guide kept in %s yet", g->path);
        return;
    }
    if (!rc)
        rc = regjson_parse_services(buf, len, &a->services, detail, sizeof detail);
    free(buf);
    if (rc) {
        log_warn("app", "guide in %s ignored: %s", g->path, detail[0] ? detail : err_str(rc));
        memset(&a->services, 0, sizeof a->services);
        return;
    }
    memcpy(&g->kept, &a->services, sizeof g->kept);
    g->on_disk = true;
    log_info("app", "guide of %s (%d services) read from %s", a->services.as_of, a->services.count,
             g->path);
}

void hall_guide_open(struct app *a)
{
    struct hall_guide *g = calloc(1, sizeof *g);
    if (!g) {
        log_err("app", "guide not kept on disk: out of memory");
        return;
    }
    resolve_path(a, g);
    load_copy(a, g);
    a->guide = g;
}

/* Hands the writer thread a copy of the reply's body. */
static void start_writer(struct hall_guide *g, const struct flow_reply *r)
{
    g->bytes = malloc(r->raw_len ? r->raw_len : 1);
    if (!g->bytes)
        return; /* the next guide tries again */
    memcpy(g->bytes, r->raw, r->raw_len);
    g->len = r->raw_len;
    memcpy(&g->kept, r->services, sizeof g->kept);
    atomic_store(&g->done, false);
    int err = pthread_create(&g->writer, NULL, write_copy, g);
    g->writing = err == 0;
    if (err) {
        log_warn("app", "guide not kept: no writer thread (%s)", strerror(err));
        free(g->bytes);
        g->bytes = NULL;
    }
}

void hall_guide_set(struct app *a, const struct flow_reply *r)
{
    struct hall_guide *g = a->guide;
    if (!g || !r->services || !r->raw || (g->writing && !atomic_load(&g->done)))
        return;
    join_writer(g);
    if (g->on_disk && same_guide(&g->kept, r->services))
        return;
    g->on_disk = false;
    start_writer(g, r);
}

void hall_guide_close(struct app *a)
{
    struct hall_guide *g = a->guide;
    if (!g)
        return;
    join_writer(g);
    free(g);
    a->guide = NULL;
}
