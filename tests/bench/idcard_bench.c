/* idcard_bench.c - how long the kiosk itself takes with an ID card.
 *
 * 1. idcard_read_to_event: from the last byte of a 30 01 reply arriving
 *    at the transport to the card_inserted callback, through the real
 *    reader loop, SAM driver, frame decoder and text parser. The device is
 *    the simulated module behind a wrapper transport that timestamps the
 *    read() handing out the reply's last byte; the appended-address read
 *    (a device round trip) is off, so only kiosk time is counted.
 *    Target: under 1 ms. Median and p99 over many reads.
 * 2. idcard_frame_decode: stream-decoding 1295-byte 30 01 replies in
 *    64-byte USB packets, and parsing their text block, per second.
 */
#include "card_fixture.h"
#include "base/log.h"
#include "drivers/idcard/idcard_reader.h"
#include "drivers/idcard/idcard_sim.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define READS 300

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The wrapper: counts the bytes of a reply to 30 01 and stamps the last. */
struct stamp {
    struct transport t;
    struct transport *inner;
    bool in_read_base;
    size_t got;
    atomic_llong last_byte_ns;
};

static int w_open(struct transport *t)
{
    struct stamp *s = t->priv;
    return transport_open(s->inner);
}

static void w_close(struct transport *t)
{
    struct stamp *s = t->priv;
    transport_close(s->inner);
}

static int w_write(struct transport *t, const uint8_t *d, size_t n, int ms)
{
    struct stamp *s = t->priv;
    s->in_read_base = n >= 9 && d[7] == 0x30 && d[8] == 0x01;
    s->got = 0;
    return transport_write(s->inner, d, n, ms);
}

static int w_read(struct transport *t, uint8_t *d, size_t cap, int ms)
{
    struct stamp *s = t->priv;
    int n = transport_read(s->inner, d, cap, ms);
    if (n > 0 && s->in_read_base) {
        s->got += (size_t)n;
        if (s->got >= 1295) { /* the 30 01 reply with text and photo */
            atomic_store(&s->last_byte_ns, now_ns());
            s->in_read_base = false;
        }
    }
    return n;
}

static const struct transport_ops stamp_ops = {
    .name = "stamp", .open = w_open, .close = w_close, .write = w_write, .read = w_read};

static struct stamp st;
static atomic_llong inserted_ns;
static atomic_int inserted, removed;

static void on_card(void *user, const struct idcard *c)
{
    (void)user;
    (void)c;
    atomic_store(&inserted_ns, now_ns());
    atomic_fetch_add(&inserted, 1);
}

static void on_gone(void *user)
{
    (void)user;
    atomic_fetch_add(&removed, 1);
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void wait_count(atomic_int *c, int n)
{
    int64_t deadline = now_ns() + 5000000000LL;
    while (atomic_load(c) < n && now_ns() < deadline) {
        struct timespec ts = {0, 50000};
        nanosleep(&ts, NULL);
    }
}

static void bench_read_to_event(void)
{
    struct idcard_sim *sim = idcard_sim_create();
    st.inner = idcard_sim_transport(sim);
    st.t.ops = &stamp_ops;
    st.t.priv = &st;
    struct idcard_reader_config cfg;
    idcard_reader_config_init(&cfg);
    cfg.poll_ms = 10;
    cfg.removal_polls = 1;
    cfg.read_address = false;
    struct idcard_sink sink = {.card_inserted = on_card, .card_removed = on_gone};
    struct idcard_reader *r = idcard_reader_create(NULL, &st.t, &sink, &cfg);
    idcard_reader_start(r);
    struct idcard card = fixture_card_with_photo();
    static int64_t lat[READS];
    int n = 0;
    for (int i = 0; i < READS; i++) {
        idcard_sim_present(sim, &card);
        wait_count(&inserted, i + 1);
        if (atomic_load(&inserted) < i + 1)
            break;
        lat[n++] = atomic_load(&inserted_ns) - atomic_load(&st.last_byte_ns);
        idcard_sim_remove(sim);
        wait_count(&removed, i + 1);
    }
    idcard_reader_destroy(r);
    idcard_sim_destroy(sim);
    if (n == 0) {
        printf("idcard_read_to_event_median -1 ms\n");
        return;
    }
    qsort(lat, (size_t)n, sizeof lat[0], cmp);
    int median = n / 2, p99 = (n * 99) / 100;
    printf("idcard_read_to_event_median %.3f ms\n", (double)lat[median] / 1e6);
    printf("idcard_read_to_event_p99 %.3f ms\n", (double)lat[p99] / 1e6);
    printf("idcard_read_to_event_samples %d reads\n", n);
}

static void bench_decode(void)
{
    uint8_t text[IDCARD_TEXT_LEN], data[SAM_FRAME_MAX], frame[SAM_FRAME_MAX];
    static uint8_t photo[SAM_FRAME_PHOTO_LEN];
    struct idcard c = fixture_card_with_photo();
    idcard_encode_text(&c, text);
    int dn = sam_frame_encode_base(text, photo, sizeof photo, data, sizeof data);
    int fn = sam_frame_encode_reply(0, 0, 0x90, data, (size_t)dn, frame, sizeof frame);
    static struct sam_frame_decoder dec;
    sam_frame_decoder_init(&dec);
    const int rounds = 20000;
    int ok = 0;
    int64_t t0 = now_ns();
    for (int i = 0; i < rounds; i++) {
        for (int off = 0; off < fn; off += 64) {
            size_t len = (size_t)(fn - off < 64 ? fn - off : 64), used;
            struct sam_frame f;
            const uint8_t *p = frame + off;
            while (len) {
                int rc = sam_frame_decode(&dec, p, len, &used, &f);
                p += used;
                len -= used;
                if (rc == 1) {
                    struct sam_reply r;
                    const uint8_t *t, *ph;
                    size_t pl;
                    if (!sam_frame_parse_reply(&f, &r) && !sam_frame_parse_base(&r, &t, &ph, &pl) &&
                        !idcard_parse_text(t, IDCARD_TEXT_LEN, &c))
                        ok++;
                }
                if (rc <= 0 && used == 0)
                    break;
            }
        }
        sam_frame_decode(&dec, NULL, 0, &(size_t){0}, &(struct sam_frame){0});
    }
    double s = (double)(now_ns() - t0) / 1e9;
    printf("idcard_frame_decode %.0f frames/s\n", ok / s);
    printf("idcard_frame_decode_bytes %.1f MB/s\n", ok * (double)fn / s / 1e6);
    printf("idcard_frame_decode_ok %d frames\n", ok);
}

int main(void)
{
    log_set_level(LOG_LEVEL_WARNING);
    bench_read_to_event();
    bench_decode();
    return 0;
}
