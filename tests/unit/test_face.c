/* test_face.c - the face thread over the simulated camera, whose scenes
 * are built from a packaged photograph so the real detector runs: each
 * scene gives the right guidance, a live face is captured as a JPEG, a
 * still photo fails whichever challenge is drawn, each challenge passes
 * only when the person does that very thing, and stopping wipes the
 * buffers. */
#include "base/clock.h"
#include "base/err.h"
#include "core/bus.h"
#include "core/flow.h"
#include "face/face.h"
#include "face/face_picture.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Waits up to ms for a message of kind; returns its arg, or -1. Records
 * every guidance seen in *seen (bit per enum value). */
static struct face *face_under_test;

static int wait_for(struct bus *b, enum bus_kind kind, int ms, unsigned *seen)
{
    int64_t end = clock_mono_ms() + ms;
    while (clock_mono_ms() < end) {
        struct bus_msg m;
        if (bus_pop(b, &m) != 0) {
            struct timespec ts = {0, 10 * 1000000L};
            nanosleep(&ts, NULL);
            continue;
        }
        bool stale = m.kind != BUS_CAMERA_FRAME && m.req_id != face_generation(face_under_test);
        if (stale) {
            bus_msg_release(&m);
            continue;
        }
        if (m.kind == BUS_FACE_GUIDANCE && seen)
            *seen |= 1u << m.arg;
        int arg = m.arg;
        bus_msg_release(&m);
        if (m.kind == kind)
            return arg;
    }
    return -1;
}

static void drain(struct bus *b)
{
    struct bus_msg m;
    while (bus_pop(b, &m) == 0)
        bus_msg_release(&m);
}

/* One capture over scene with only the given challenges allowed: returns
 * the terminal message kind (BUS_FACE_CAPTURED or BUS_FACE_FAILED, arg in
 * *arg) or -1 on timeout. */
static int run_capture(struct bus *b, struct camera_sim *cam, enum camera_sim_scene scene,
                       int challenges, int challenge_ms, int *arg)
{
    struct face_config cfg = {
        .challenge_ms = challenge_ms, .jpeg_quality = 80, .challenges = challenges};
    struct face *f = face_create(&camera_sim_ops, cam, b, &cfg);
    if (!f)
        return -1;
    face_under_test = f;
    camera_sim_set_scene(cam, scene);
    face_start(f);
    int kind = -1;
    int64_t end = clock_mono_ms() + challenge_ms + 3000;
    while (clock_mono_ms() < end && kind < 0) {
        struct bus_msg m;
        if (bus_pop(b, &m) != 0) {
            struct timespec ts = {0, 10 * 1000000L};
            nanosleep(&ts, NULL);
            continue;
        }
        if ((m.kind == BUS_FACE_CAPTURED || m.kind == BUS_FACE_FAILED) &&
            m.req_id == face_generation(f)) {
            kind = (int)m.kind;
            *arg = m.arg;
        }
        bus_msg_release(&m);
    }
    face_stop(f);
    face_destroy(f);
    drain(b);
    return kind;
}

/* The capture screen's picture from a frame: mirrored, the centre
 * cropped to the picture's shape, opaque ARGB, blended between pixels
 * when scaled. */
static void test_picture_make(void)
{
    /* 4 x 2 to 4 x 2: the frame mirrored, pixel for pixel. */
    uint8_t rgb[8 * 2 * 3];
    for (int i = 0; i < 8 * 2; i++) {
        rgb[i * 3] = (uint8_t)(10 * i);
        rgb[i * 3 + 1] = (uint8_t)(10 * i + 1);
        rgb[i * 3 + 2] = (uint8_t)(10 * i + 2);
    }
    uint32_t out[8 * 4];
    CHECK_EQ_INT(face_picture_make(rgb, 4, 2, out, 4, 2), 0);
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 4; x++) {
            const uint8_t *p = rgb + ((size_t)y * 4 + (size_t)(3 - x)) * 3;
            CHECK(out[y * 4 + x] ==
                  (0xFF000000u | (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]));
        }
    /* 8 x 2 to 2 x 2: the middle two columns (3 and 4), mirrored. */
    CHECK_EQ_INT(face_picture_make(rgb, 8, 2, out, 2, 2), 0);
    for (int y = 0; y < 2; y++) {
        CHECK(out[y * 2] ==
              (0xFF000000u | (uint32_t)(10 * (y * 8 + 4)) << 16 |
               (uint32_t)(10 * (y * 8 + 4) + 1) << 8 | (uint32_t)(10 * (y * 8 + 4) + 2)));
        CHECK(out[y * 2 + 1] ==
              (0xFF000000u | (uint32_t)(10 * (y * 8 + 3)) << 16 |
               (uint32_t)(10 * (y * 8 + 3) + 1) << 8 | (uint32_t)(10 * (y * 8 + 3) + 2)));
    }
    /* 2 x 2 to 8 x 8: twice the frame's grey steps, between them blended. */
    uint8_t g[2 * 2 * 3] = {0, 0, 0, 200, 200, 200, 0, 0, 0, 200, 200, 200};
    uint32_t big[8 * 8];
    CHECK_EQ_INT(face_picture_make(g, 2, 2, big, 8, 8), 0);
    for (int y = 0; y < 8; y++) {
        CHECK(big[y * 8] == 0xFFC8C8C8u);     /* mirrored: the bright column on the left */
        CHECK(big[y * 8 + 7] == 0xFF000000u); /* the dark one on the right */
        for (int x = 1; x < 8; x++)           /* falling, never rising */
            CHECK((big[y * 8 + x] & 0xFF) <= (big[y * 8 + x - 1] & 0xFF));
        CHECK((big[y * 8 + 3] & 0xFF) > 0x10 && (big[y * 8 + 4] & 0xFF) < 0xB8); /* blended */
    }
    CHECK_EQ_INT(face_picture_make(g, 2, 2, big, 0, 8), -1);
    CHECK_EQ_INT(face_picture_make(g, 2, 2, big, FACE_PICTURE_MAX_W + 1, 8), -1);
    CHECK_EQ_INT(face_picture_make(NULL, 2, 2, big, 8, 8), -1);
}

/* While a picture size is set, the mailbox holds pictures of it, made on
 * the face thread, and hands out no frames; 0 x 0 gives frames again. */
static void test_picture_mailbox(struct bus *b, struct face *f)
{
    static uint8_t px[640 * 480 * 3];
    static uint32_t pic[300 * 400];
    int w = 0, h = 0;
    uint32_t seq = 0;
    CHECK(!face_set_preview_size(f, 5000, 400)); /* wider than any picture made */
    CHECK(face_set_preview_size(f, 300, 400));
    face_start(f);
    CHECK(wait_for(b, BUS_CAMERA_FRAME, 2000, NULL) >= 0);
    CHECK(face_picture_peek(f, &w, &h, &seq));
    CHECK_EQ_INT(w, 300);
    CHECK_EQ_INT(h, 400);
    CHECK(seq > 0);
    const struct face_area all = {0, 0, 300, 400}, part = {100, 50, 20, 10};
    CHECK(!face_picture_copy(f, pic, 300 * 4, &all, 200, 400)); /* not of that size */
    CHECK(!face_picture_copy(f, pic, 300 * 4, &(struct face_area){290, 0, 20, 10}, 300, 400));
    CHECK(face_picture_copy(f, pic, 300 * 4, &all, 300, 400));
    bool opaque = true, varied = false;
    for (size_t i = 0; i < 300 * 400; i++) {
        opaque = opaque && (pic[i] >> 24) == 0xFF;
        varied = varied || pic[i] != pic[0];
    }
    CHECK(opaque && varied);
    /* an area: its rows, pitch bytes apart, as in the whole picture (a new
     * picture may come between two copies: the same whole one before and
     * after the area's is the one it was copied from) */
    static uint32_t before[300 * 400], after[300 * 400], area[20 * 10];
    bool compared = false, same = true;
    for (int tries = 0; tries < 20 && !compared; tries++) {
        CHECK(face_picture_copy(f, before, 300 * 4, &all, 300, 400));
        CHECK(face_picture_copy(f, area, 20 * 4, &part, 300, 400));
        CHECK(face_picture_copy(f, after, 300 * 4, &all, 300, 400));
        if (memcmp(before, after, sizeof before) != 0)
            continue;
        compared = true;
        for (int y = 0; y < part.h; y++)
            same = same && memcmp(area + y * part.w, before + (part.y + y) * 300 + part.x,
                                  (size_t)part.w * 4) == 0;
    }
    CHECK(compared && same);
    uint32_t fseq = 0;
    CHECK(!face_preview(f, px, sizeof px, &w, &h, &fseq)); /* no frames meanwhile */
    CHECK(!face_set_preview_size(f, 0, 0));
    CHECK(!face_picture_copy(f, pic, 300 * 4, &all, 300, 400)); /* emptied by the change */
    CHECK(wait_for(b, BUS_CAMERA_FRAME, 2000, NULL) >= 0);
    face_preview(f, NULL, 0, &w, &h, &fseq);
    CHECK(wait_for(b, BUS_CAMERA_FRAME, 2000, NULL) >= 0);
    CHECK(face_preview(f, px, sizeof px, &w, &h, &fseq));
    CHECK_EQ_INT(w, 640);
    face_stop(f);
    drain(b);
}

int main(void)
{
    test_picture_make();
    struct bus *b = bus_create(512, NULL, NULL);
    struct camera_sim *cam = camera_sim_create();
    CHECK(cam && camera_sim_has_portrait(cam)); /* python3-skimage's astronaut.png */
    /* Ample time for a live person (sanitizer builds analyse frames slowly). */
    struct face_config cfg = {.challenge_ms = 15000, .jpeg_quality = 80};
    struct face *f = face_create(&camera_sim_ops, cam, b, &cfg);
    CHECK(f != NULL);
    face_under_test = f;

    /* A live person: found, asked to blink, captured. */
    unsigned seen = 0;
    camera_sim_set_scene(cam, CAMERA_SIM_LIVE);
    face_start(f);
    CHECK(wait_for(b, BUS_FACE_CAPTURED, 20000, &seen) >= 0);
    CHECK(seen & (1u << FACE_OK));
    CHECK(seen & ((1u << FACE_BLINK) | (1u << FACE_TURN_LEFT) | (1u << FACE_TURN_RIGHT)));
    CHECK(strlen(face_challenge_name(f)) > 0);
    uint8_t *jpeg = NULL;
    size_t len = 0;
    CHECK_EQ_INT(face_take_jpeg(f, &jpeg, &len), 0);
    CHECK(len > 1000 && jpeg[0] == 0xFF && jpeg[1] == 0xD8); /* a JPEG SOI marker */
    free(jpeg);
    CHECK_EQ_INT(face_take_jpeg(f, &jpeg, &len), ERR_EMPTY);

    /* The preview mailbox holds the newest frame. */
    static uint8_t px[640 * 480 * 3];
    int w = 0, h = 0;
    uint32_t seq = 0;
    face_stop(f);
    drain(b);
    face_start(f);
    wait_for(b, BUS_CAMERA_FRAME, 2000, NULL);
    CHECK(face_preview(f, px, sizeof px, &w, &h, &seq));
    CHECK_EQ_INT(w, 640);
    CHECK_EQ_INT(h, 480);
    CHECK(seq > 0);
    face_stop(f);
    drain(b);
    test_picture_mailbox(b, f);

    /* A held-up photo neither blinks nor turns: liveness fails in 3 s. */
    face_destroy(f);
    cfg.challenge_ms = 3000;
    f = face_create(&camera_sim_ops, cam, b, &cfg);
    face_under_test = f;
    seen = 0;
    camera_sim_set_scene(cam, CAMERA_SIM_PHOTO);
    face_start(f);
    CHECK_EQ_INT(wait_for(b, BUS_FACE_FAILED, 5000, &seen), FACE_NOT_LIVE);
    CHECK(seen & ((1u << FACE_BLINK) | (1u << FACE_TURN_LEFT) | (1u << FACE_TURN_RIGHT)));
    CHECK_EQ_INT(face_take_jpeg(f, &jpeg, &len), ERR_EMPTY);
    face_stop(f);
    drain(b);

    /* Two people, a dark hall, nobody: the guidance says so. */
    static const struct {
        enum camera_sim_scene scene;
        enum face_guidance expect;
    } cases[] = {
        {CAMERA_SIM_TWO, FACE_MANY},
        {CAMERA_SIM_DARK, FACE_TOO_DARK},
        {CAMERA_SIM_ABSENT, FACE_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        camera_sim_set_scene(cam, cases[i].scene);
        face_start(f);
        CHECK_EQ_INT(wait_for(b, BUS_FACE_GUIDANCE, 2000, NULL), cases[i].expect);
        face_stop(f);
        drain(b);
    }

    face_destroy(f);

    /* Each challenge passes only when the person does that very thing. */
    static const struct {
        enum camera_sim_scene scene;
        int challenges;
        int expect_kind, expect_arg;
    } live[] = {
        {CAMERA_SIM_BLINK, FACE_CHALLENGE_BLINK, BUS_FACE_CAPTURED, 0},
        {CAMERA_SIM_TURN_LEFT, FACE_CHALLENGE_LEFT, BUS_FACE_CAPTURED, 0},
        {CAMERA_SIM_TURN_RIGHT, FACE_CHALLENGE_RIGHT, BUS_FACE_CAPTURED, 0},
        {CAMERA_SIM_TURN_LEFT, FACE_CHALLENGE_RIGHT, BUS_FACE_FAILED, FACE_NOT_LIVE},
        {CAMERA_SIM_TURN_RIGHT, FACE_CHALLENGE_LEFT, BUS_FACE_FAILED, FACE_NOT_LIVE},
        {CAMERA_SIM_TURN_LEFT, FACE_CHALLENGE_BLINK, BUS_FACE_FAILED, FACE_NOT_LIVE},
        {CAMERA_SIM_TURN_RIGHT, FACE_CHALLENGE_BLINK, BUS_FACE_FAILED, FACE_NOT_LIVE},
        {CAMERA_SIM_BLINK, FACE_CHALLENGE_LEFT, BUS_FACE_FAILED, FACE_NOT_LIVE},
        {CAMERA_SIM_PHOTO, FACE_CHALLENGE_LEFT, BUS_FACE_FAILED, FACE_NOT_LIVE},
        {CAMERA_SIM_PHOTO, FACE_CHALLENGE_BLINK, BUS_FACE_FAILED, FACE_NOT_LIVE},
    };
    for (size_t i = 0; i < sizeof live / sizeof live[0]; i++) {
        int arg = -1;
        /* A person who does the thing gets ample time (sanitizer builds
         * analyse frames slowly); one who does not fails after 3 s. */
        bool passes = live[i].expect_kind == BUS_FACE_CAPTURED;
        int kind =
            run_capture(b, cam, live[i].scene, live[i].challenges, passes ? 15000 : 3000, &arg);
        if (kind != live[i].expect_kind)
            fprintf(stderr, "case %zu: scene %d challenges %d gave %d\n", i, live[i].scene,
                    live[i].challenges, kind);
        CHECK_EQ_INT(kind, live[i].expect_kind);
        if (kind == BUS_FACE_FAILED)
            CHECK_EQ_INT(arg, live[i].expect_arg);
    }

    camera_sim_destroy(cam);
    bus_destroy(b);
    return check_report("test_face");
}
