/* idcard_reader_test.c - the reader thread end to end over the simulated SAM.
 *
 * The real reader loop, SAM driver and frame codec run against the sim
 * transport; the test plays the citizen (present, remove) and the hardware
 * gremlins (faults, unplug) and checks the events the app would see.
 * Timings are shortened through the reader config so the test runs in
 * about two seconds.
 */
#include "base/err.h"
#include "card_fixture.h"
#include "check.h"
#include "drivers/core/driver.h"
#include "drivers/idcard/idcard_reader.h"
#include "drivers/idcard/idcard_sim.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

enum ev_kind { EV_INSERTED = 1, EV_REMOVED, EV_FAILED, EV_STATE };

struct ev {
    enum ev_kind kind;
    int err, status;
    bool connected;
    struct idcard card;
    const struct idcard *borrowed; /* the driver's pointer, to check the wipe */
    void *user;
};

#define EV_MAX 64

struct recorder {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct ev ev[EV_MAX];
    int n;
    int next; /* first event not yet checked */
};

static struct recorder rec = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

static void push(const struct ev *e)
{
    pthread_mutex_lock(&rec.lock);
    if (rec.n < EV_MAX)
        rec.ev[rec.n++] = *e;
    pthread_cond_broadcast(&rec.cond);
    pthread_mutex_unlock(&rec.lock);
}

static void on_inserted(void *user, const struct idcard *card)
{
    static struct ev e;
    memset(&e, 0, sizeof e);
    e.kind = EV_INSERTED;
    e.card = *card;
    e.borrowed = card;
    e.user = user;
    push(&e);
}

static void on_removed(void *user)
{
    (void)user;
    struct ev e = {.kind = EV_REMOVED};
    push(&e);
}

static void on_failed(void *user, int err, int sam_status)
{
    (void)user;
    struct ev e = {.kind = EV_FAILED, .err = err, .status = sam_status};
    push(&e);
}

static void on_state(void *user, bool connected)
{
    (void)user;
    struct ev e = {.kind = EV_STATE, .connected = connected};
    push(&e);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to ms for the next event; returns a copy's address or NULL. */
static const struct ev *next_event(int ms)
{
    static struct ev out;
    int64_t deadline = mono_ms() + ms;
    const struct ev *got = NULL;
    pthread_mutex_lock(&rec.lock);
    while (rec.next >= rec.n && mono_ms() < deadline) {
        pthread_mutex_unlock(&rec.lock);
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&rec.lock);
    }
    if (rec.next < rec.n) {
        out = rec.ev[rec.next++];
        got = &out;
    }
    pthread_mutex_unlock(&rec.lock);
    return got;
}

#define EXPECT_EVENT(kind_, ms)                                                                    \
    ({                                                                                             \
        const struct ev *e_ = next_event(ms);                                                      \
        CHECK(e_ != NULL);                                                                         \
        if (e_)                                                                                    \
            CHECK_EQ_INT(e_->kind, kind_);                                                         \
        e_;                                                                                        \
    })

/* Checks that nothing happens for ms. */
static void expect_quiet(int ms)
{
    const struct ev *e = next_event(ms);
    CHECK(e == NULL);
    if (e)
        fprintf(stderr, "unexpected event kind %d\n", e->kind);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void check_card(const struct idcard *got, const struct idcard *want, const char *address)
{
    CHECK_EQ_INT(got->type, want->type);
    CHECK_EQ_STR(got->name, want->name);
    CHECK_EQ_STR(got->gender, want->gender);
    CHECK_EQ_STR(got->ethnicity, want->ethnicity);
    CHECK_EQ_STR(got->birth_date, want->birth_date);
    CHECK_EQ_STR(got->address, address);
    CHECK_EQ_STR(got->id_number, want->id_number);
    CHECK_EQ_STR(got->issuer, want->issuer);
    CHECK_EQ_STR(got->valid_from, want->valid_from);
    CHECK_EQ_STR(got->valid_to, want->valid_to);
    CHECK_EQ_INT(got->photo_len, want->photo_len);
    CHECK(memcmp(got->photo, want->photo, want->photo_len) == 0);
}

static void remove_card(struct idcard_sim *sim)
{
    idcard_sim_remove(sim);
    EXPECT_EVENT(EV_REMOVED, 1000);
}

static void test_registry(void)
{
    driver_clear();
    CHECK_EQ_INT(driver_register(&idcard_sam_driver), 0);
    CHECK_EQ_INT(driver_register(&idcard_sam_driver), ERR_BUSY);
    CHECK_EQ_INT(driver_count(), 1);
    CHECK(driver_find("idcard-sam") == &idcard_sam_driver);
    CHECK(driver_find("nope") == NULL);
    CHECK(driver_find_usb(DRIVER_CLASS_IDCARD, 0x0400, 0xc35a) == &idcard_sam_driver);
    CHECK(driver_find_usb(DRIVER_CLASS_IDCARD, 0x0483, 0x5652) == &idcard_sam_driver);
    CHECK(driver_find_usb(DRIVER_CLASS_CAMERA, 0x0400, 0xc35a) == NULL);
    CHECK(driver_find_usb(DRIVER_CLASS_IDCARD, 0x1a86, 0x7523) == NULL);
    CHECK(idcard_sam_driver.ops == &idcard_sam_ops);
    driver_clear();
    CHECK_EQ_INT(driver_count(), 0);

    /* The one VID:PID parser every [devices] id and the tool go through. */
    uint16_t v = 1, p = 1;
    CHECK_EQ_INT(driver_usb_id_parse("046d:0825", &v, &p), 0);
    CHECK(v == 0x046d && p == 0x0825);
    CHECK_EQ_INT(driver_usb_id_parse("DEAD:beef", &v, &p), 0);
    CHECK(v == 0xdead && p == 0xbeef);
    static const char *const bad[] = {"",          "046d",      "046d:0825x", "46d:825",
                                      "416:5011",  "zzzz:0825", "046d-0825",  "046d:08 5",
                                      "+46d:0825", "046d::825"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ_INT(driver_usb_id_parse(bad[i], &v, &p), ERR_INVALID);
        CHECK(v == 0xdead && p == 0xbeef); /* untouched on error */
    }
    CHECK_EQ_INT(driver_usb_id_parse(NULL, &v, &p), ERR_INVALID);
}

static void test_loop(void)
{
    struct idcard_sim *sim = idcard_sim_create();
    CHECK(sim != NULL);
    struct idcard_sink sink = {
        .card_inserted = on_inserted,
        .card_removed = on_removed,
        .read_failed = on_failed,
        .reader_state = on_state,
        .user = &rec,
    };
    struct idcard_reader_config cfg;
    idcard_reader_config_init(&cfg);
    cfg.poll_ms = 20;
    cfg.reconnect_ms = 30;
    cfg.find_timeout_ms = 100;
    cfg.select_timeout_ms = 100;
    cfg.read_timeout_ms = 150;
    cfg.address_timeout_ms = 150;
    struct idcard_reader *r =
        idcard_reader_create(&idcard_sam_ops, idcard_sim_transport(sim), &sink, &cfg);
    CHECK(r != NULL);
    CHECK_EQ_INT(idcard_reader_start(r), 0);
    CHECK_EQ_INT(idcard_reader_start(r), ERR_BUSY);

    const struct ev *e = EXPECT_EVENT(EV_STATE, 1000);
    CHECK(e && e->connected);

    /* Present: exact fields, photo, appended address joined. */
    struct idcard card = fixture_card_with_photo();
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    CHECK_EQ_INT(idcard_sim_append_address(sim, "焦作市山阳区人民路1号"), 0);
    e = EXPECT_EVENT(EV_INSERTED, 1000);
    if (e) {
        CHECK(e->user == &rec);
        check_card(&e->card, &card, "河南省焦作市解放区民主南路168号 焦作市山阳区人民路1号");
        sleep_ms(30);
        /* The driver wiped its copy once the callback returned. */
        CHECK_EQ_INT(e->borrowed->name[0], 0);
        CHECK_EQ_INT(e->borrowed->id_number[0], 0);
        CHECK_EQ_INT(e->borrowed->photo[1], 0);
    }
    /* Lying there: read once, not again. */
    expect_quiet(150);
    CHECK_EQ_INT(idcard_sim_requests(sim, SAM_CMD_READ_BASE), 1);
    CHECK_EQ_INT(idcard_sim_requests(sim, SAM_CMD_READ_ADDRESS), 1);
    remove_card(sim);

    /* No appended address (SW3 91): the card as printed. */
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    e = EXPECT_EVENT(EV_INSERTED, 1000);
    if (e)
        check_card(&e->card, &card, card.address);
    remove_card(sim);

    /* A damaged reply: retried, then read. */
    unsigned reads = idcard_sim_requests(sim, SAM_CMD_READ_BASE);
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_CHECKSUM);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    e = EXPECT_EVENT(EV_INSERTED, 1000);
    if (e)
        check_card(&e->card, &card, card.address);
    CHECK_EQ_INT(idcard_sim_requests(sim, SAM_CMD_READ_BASE), reads + 2);
    remove_card(sim);

    /* Damaged three times: reported once, the card must leave first, and
     * its leaving is not reported (it was never inserted). */
    for (int i = 0; i < 3; i++)
        idcard_sim_fault(sim, IDCARD_SIM_FAULT_CHECKSUM);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    e = EXPECT_EVENT(EV_FAILED, 1000);
    if (e) {
        CHECK_EQ_INT(e->err, ERR_CHECKSUM);
        CHECK_EQ_INT(e->status, SAM_STATUS_NONE);
    }
    expect_quiet(150);
    idcard_sim_remove(sim);
    expect_quiet(150);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    EXPECT_EVENT(EV_INSERTED, 1000);
    remove_card(sim);

    /* SAM status failures: 41 once is retried; three times is reported. */
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_READ_FAILED);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    EXPECT_EVENT(EV_INSERTED, 1000);
    remove_card(sim);
    for (int i = 0; i < 3; i++)
        idcard_sim_fault_status(sim, SAM_CMD_READ_BASE, SAM_STATUS_SAM_AUTH_CARD);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    e = EXPECT_EVENT(EV_FAILED, 1000);
    if (e) {
        CHECK_EQ_INT(e->err, ERR_IO);
        CHECK_EQ_INT(e->status, 0x32);
    }
    idcard_sim_remove(sim);
    expect_quiet(100);

    /* Select failure (81) and a truncated reply (timeout): retried. */
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_SELECT_FAILED);
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_TRUNCATED);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    e = EXPECT_EVENT(EV_INSERTED, 2000);
    if (e)
        check_card(&e->card, &card, card.address);
    remove_card(sim);

    /* A find that misses once is just a poll without a card. */
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_FIND_FAILED);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    EXPECT_EVENT(EV_INSERTED, 1000);
    /* ...and one missed find while a card lies there is not a removal. */
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_FIND_FAILED);
    expect_quiet(150);
    remove_card(sim);

    /* Unplugged in the middle of a read, then plugged in again. */
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_UNPLUG_ON_READ);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    e = EXPECT_EVENT(EV_STATE, 1000);
    CHECK(e && !e->connected);
    expect_quiet(100);
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_REPLUG);
    e = EXPECT_EVENT(EV_STATE, 1000);
    CHECK(e && e->connected);
    e = EXPECT_EVENT(EV_INSERTED, 1000);
    if (e)
        check_card(&e->card, &card, card.address);

    /* Unplugged while a card lies there: no removal, no second read after
     * the replug while the same card stays; its leaving is reported. */
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_UNPLUG);
    e = EXPECT_EVENT(EV_STATE, 1000);
    CHECK(e && !e->connected);
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_REPLUG);
    e = EXPECT_EVENT(EV_STATE, 1000);
    CHECK(e && e->connected);
    expect_quiet(150);
    remove_card(sim);

    /* A module that stops answering is lost after three timeouts and
     * found again when it answers. */
    for (int i = 0; i < 3; i++)
        idcard_sim_fault(sim, IDCARD_SIM_FAULT_SILENT);
    e = EXPECT_EVENT(EV_STATE, 2000);
    CHECK(e && !e->connected);
    e = EXPECT_EVENT(EV_STATE, 1000);
    CHECK(e && e->connected);

    /* A module failing its self-test (SW3 60) is lost until it recovers. */
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_SAM_DEAD);
    e = EXPECT_EVENT(EV_STATE, 1000);
    CHECK(e && !e->connected);
    expect_quiet(100);
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_NONE);
    e = EXPECT_EVENT(EV_STATE, 1000);
    CHECK(e && e->connected);

    /* A card that cannot be encoded is refused by the sim. */
    struct idcard bad = card;
    strcpy(bad.ethnicity, "火星");
    CHECK_EQ_INT(idcard_sim_present(sim, &bad), ERR_INVALID);
    CHECK_EQ_INT(idcard_sim_append_address(sim, "x"), ERR_NOTFOUND);

    idcard_reader_stop(r);
    idcard_reader_stop(r); /* twice is harmless */
    idcard_reader_destroy(r);
    idcard_reader_destroy(NULL);
    idcard_sim_destroy(sim);
    idcard_wipe(&card);
}

/* With the default timings, stop returns within ~100 ms whether the
 * thread is napping between polls or waiting for a long reply. */
/* [idcard] read_command = with_fingerprint: the reader asks 30 10, gets the
 * card and the fingerprint block's size (never its bytes), and a damaged
 * 30 10 reply is retried like a 30 01 one. */
static void test_fingerprint(void)
{
    struct idcard_sim *sim = idcard_sim_create();
    struct idcard_sink sink = {.card_inserted = on_inserted,
                               .card_removed = on_removed,
                               .read_failed = on_failed,
                               .user = &rec};
    struct idcard_reader_config cfg;
    idcard_reader_config_init(&cfg);
    CHECK(!cfg.read_fingerprint); /* 30 01 unless configured */
    CHECK_EQ_INT(cfg.full_timeout_ms, 3000);
    cfg.poll_ms = 20;
    cfg.read_fingerprint = true;
    cfg.full_timeout_ms = 300;
    cfg.read_address = false;
    struct idcard_reader *r =
        idcard_reader_create(&idcard_sam_ops, idcard_sim_transport(sim), &sink, &cfg);
    CHECK_EQ_INT(idcard_reader_start(r), 0);
    struct idcard card = fixture_card_with_photo();
    static const size_t fps[] = {0, 512, 1024};
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
        CHECK_EQ_INT(idcard_sim_set_fingerprint(sim, fps[i]), 0);
        if (i == 2)
            idcard_sim_fault(sim, IDCARD_SIM_FAULT_CHECKSUM);
        const struct ev *e = EXPECT_EVENT(EV_INSERTED, 1000);
        if (e) {
            check_card(&e->card, &card, card.address);
            CHECK(e->card.fingerprint_asked);
            CHECK_EQ_INT(e->card.fingerprint_len, fps[i]);
        }
        remove_card(sim);
    }
    /* A status armed for 30 10 itself: the read fails, then is retried. */
    idcard_sim_fault_status(sim, SAM_CMD_READ_FULL, SAM_STATUS_READ_FAILED);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    const struct ev *e = EXPECT_EVENT(EV_INSERTED, 1000);
    if (e)
        CHECK_EQ_INT(e->card.fingerprint_len, 0);
    remove_card(sim);
    CHECK_EQ_INT(idcard_sim_requests(sim, SAM_CMD_READ_FULL), 6); /* two retried */
    CHECK_EQ_INT(idcard_sim_requests(sim, SAM_CMD_READ_BASE), 0);
    CHECK_EQ_INT(idcard_sim_set_fingerprint(sim, 1025), ERR_INVALID);
    CHECK_EQ_INT(idcard_sim_set_fingerprint(sim, 512), ERR_NOTFOUND); /* no card */
    idcard_reader_stop(r);
    idcard_reader_destroy(r);
    idcard_wipe(&card);
    idcard_sim_destroy(sim);
    rec.n = rec.next = 0;
}

static void test_stop_prompt(void)
{
    struct idcard_sim *sim = idcard_sim_create();
    struct idcard_sink sink = {.user = &rec}; /* every callback NULL */
    struct idcard_reader *r = idcard_reader_create(NULL, idcard_sim_transport(sim), &sink, NULL);
    CHECK_EQ_INT(idcard_reader_start(r), 0);
    sleep_ms(150); /* connected, idle, napping 300 ms between polls */
    int64_t t0 = mono_ms();
    idcard_reader_stop(r);
    int64_t idle_stop = mono_ms() - t0;

    /* Now block the thread in a 2000 ms read that never completes. */
    struct idcard card = fixture_card_with_photo();
    idcard_sim_fault(sim, IDCARD_SIM_FAULT_TRUNCATED);
    CHECK_EQ_INT(idcard_reader_start(r), 0);
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    while (idcard_sim_requests(sim, SAM_CMD_READ_BASE) == 0)
        sleep_ms(5);
    sleep_ms(50);
    t0 = mono_ms();
    idcard_reader_stop(r);
    int64_t read_stop = mono_ms() - t0;
    printf("idcard_reader_stop idle %lld ms, mid-read %lld ms\n", (long long)idle_stop,
           (long long)read_stop);
    CHECK(idle_stop < 100);
    CHECK(read_stop < 100);
    idcard_reader_destroy(r);
    idcard_sim_destroy(sim);
}

/* Finds sent during ms. */
static unsigned finds_during(struct idcard_sim *sim, int ms)
{
    unsigned n0 = idcard_sim_requests(sim, SAM_CMD_FIND);
    sleep_ms(ms);
    return idcard_sim_requests(sim, SAM_CMD_FIND) - n0;
}

/* While the kiosk waits for a card the reader polls at wait_poll_ms (50)
 * instead of poll_ms (300), from the moment it is told: a card laid right
 * after is read within about 50 ms, not after the rest of a 300 ms pause.
 * The default timings, as the kiosk runs them. */
static void test_waiting_poll(void)
{
    struct idcard_sim *sim = idcard_sim_create();
    struct idcard_sink sink = {.card_inserted = on_inserted,
                               .card_removed = on_removed,
                               .reader_state = on_state,
                               .user = &rec};
    struct idcard_reader_config cfg;
    idcard_reader_config_init(&cfg);
    CHECK_EQ_INT(cfg.poll_ms, 300);
    CHECK_EQ_INT(cfg.wait_poll_ms, 50);
    struct idcard_reader *r = idcard_reader_create(NULL, idcard_sim_transport(sim), &sink, &cfg);
    CHECK_EQ_INT(idcard_reader_start(r), 0);
    const struct ev *e = EXPECT_EVENT(EV_STATE, 1000);
    CHECK(e && e->connected);

    unsigned slow = finds_during(sim, 900); /* about 3 */
    idcard_reader_set_waiting(r, true);
    unsigned fast = finds_during(sim, 900); /* about 18 */
    idcard_reader_set_waiting(r, false);
    sleep_ms(350);
    unsigned slow_again = finds_during(sim, 900);
    printf("finds in 900 ms: %u not waiting, %u waiting, %u not waiting\n", slow, fast, slow_again);
    CHECK(slow >= 2 && slow <= 4);
    CHECK(fast >= 10);
    CHECK(slow_again >= 2 && slow_again <= 4);

    /* Told to wait in the middle of a 300 ms pause, then a card laid. */
    unsigned n0 = idcard_sim_requests(sim, SAM_CMD_FIND);
    while (idcard_sim_requests(sim, SAM_CMD_FIND) == n0)
        sleep_ms(2);
    sleep_ms(20);
    idcard_reader_set_waiting(r, true);
    struct idcard card = fixture_card_with_photo();
    int64_t t0 = mono_ms();
    CHECK_EQ_INT(idcard_sim_present(sim, &card), 0);
    e = EXPECT_EVENT(EV_INSERTED, 1000);
    int64_t read_ms = mono_ms() - t0;
    if (e)
        CHECK_EQ_STR(e->card.id_number, card.id_number);
    printf("card laid while waiting: read after %lld ms\n", (long long)read_ms);
    CHECK(read_ms < 150);
    idcard_reader_set_waiting(r, false);
    remove_card(sim);
    idcard_reader_stop(r);
    idcard_reader_destroy(r);
    idcard_wipe(&card);
    idcard_sim_destroy(sim);
    rec.n = rec.next = 0;
}

int main(void)
{
    test_registry();
    test_loop();
    test_fingerprint();
    test_stop_prompt();
    test_waiting_poll();
    return check_report("idcard_reader_test");
}
