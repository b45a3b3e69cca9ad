/* face_track_test.c - the detector, the quality gates and the liveness
 * challenge on real photographs from Debian packages (python3-skimage's
 * data: the astronaut portrait; coffee, chelsea the cat, camera, brick
 * have no human face). Frame sequences are built from the portrait:
 * shifted, darkened, blurred, zoomed out, and a static photo; and the
 * simulated camera's head turns (the portrait warped) from every phase. */
#include "base/pixel.h"
#include "base/err.h"
#include "check.h"
#include "drivers/camera/camera.h"
#include "drivers/camera/camera_image.h"
#include "face/face.h"
#include "face/face_detect.h"
#include "face_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

static uint8_t rgb[FIXTURE_W * FIXTURE_H * 3], gray[FIXTURE_W * FIXTURE_H];

/* The astronaut as the kiosk camera frames her: face about 160 px. */
static int portrait(uint8_t *out, int dx, int dy, int zoom_pct)
{
    uint8_t *src;
    int w, h;
    if (face_fixture_load("astronaut.png", &src, &w, &h) != 0)
        return -1;
    /* Face box in the portrait: (187, 85, 77); centre (225, 123). */
    int cw = 77 * 640 / 160 * 100 / zoom_pct, ch = cw * 3 / 4;
    int sx = 225 - cw / 2 - dx * cw / 640, sy = 123 - ch / 2 + ch / 16 - dy * ch / 480;
    camera_rgb_resample(src, w, h, sx, sy, cw, ch, out, FIXTURE_W, FIXTURE_H);
    free(src);
    return 0;
}

static enum face_guidance judge(struct face_track *t, const uint8_t *frame, int64_t now)
{
    enum face_guidance g;
    face_track_reset(t, FACE_BLINK);
    face_track_frame(t, frame, FIXTURE_W, FIXTURE_H, now, &g);
    return face_track_judgement(t)->guidance;
}

static void detector_on_photographs(void)
{
    struct face_detect_config dc = {0};
    struct face_detector *d = NULL;
    CHECK_EQ_INT(face_detector_create(&dc, 1024, 1024, &d), 0);
    if (!d)
        return;
    struct face_box f[FACE_MAX_FACES];
    /* The portrait as the camera sees it: one face, where it is, two eyes. */
    CHECK_EQ_INT(portrait(rgb, 0, 0, 100), 0);
    face_fixture_gray(rgb, gray);
    int n = face_detector_run(d, gray, FIXTURE_W, FIXTURE_H, f, FACE_MAX_FACES, true);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        int cx = f[0].x + f[0].w / 2, cy = f[0].y + f[0].h / 2;
        CHECK(abs(cx - 320) < 40 && abs(cy - 230) < 60);
        CHECK(f[0].w > 120 && f[0].w < 200);
        CHECK_EQ_INT(f[0].eyes, 2);
        CHECK(f[0].eye[0].x < f[0].eye[1].x);
    }
    /* Shifted: the box follows. */
    CHECK_EQ_INT(portrait(rgb, -120, 40, 100), 0);
    face_fixture_gray(rgb, gray);
    n = face_detector_run(d, gray, FIXTURE_W, FIXTURE_H, f, FACE_MAX_FACES, false);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        CHECK(abs(f[0].x + f[0].w / 2 - 200) < 40);
    /* The whole 512x512 portrait, face 77 px (15% of 512). */
    uint8_t *src;
    int w, h;
    CHECK_EQ_INT(face_fixture_load("astronaut.png", &src, &w, &h), 0);
    uint8_t *g = malloc(px_area(w, h));
    camera_rgb_to_gray(src, w, h, g);
    n = face_detector_run(d, g, w, h, f, FACE_MAX_FACES, false);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        CHECK(abs(f[0].x - 187) < 10 && abs(f[0].y - 85) < 10);
    free(g);
    free(src);
    /* Pictures without a human face: nothing found. */
    static const char *const none[] = {"coffee.png", "chelsea.png", "camera.png",
                                       "brick.png",  "rocket.jpg",  "page.png"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        int rc = face_fixture_load(none[i], &src, &w, &h);
        if (rc != 0)
            fprintf(stderr, "%s: cannot load (python3-skimage's pictures)\n", none[i]);
        CHECK_EQ_INT(rc, 0);
        if (rc != 0)
            continue;
        camera_rgb_resample(src, w, h, 0, 0, w, h, rgb, FIXTURE_W, FIXTURE_H);
        face_fixture_gray(rgb, gray);
        n = face_detector_run(d, gray, FIXTURE_W, FIXTURE_H, f, FACE_MAX_FACES, false);
        if (n != 0)
            fprintf(stderr, "%s: %d faces\n", none[i], n);
        CHECK_EQ_INT(n, 0);
        free(src);
    }
    face_detector_destroy(d);
}

static void quality(struct face_track *t)
{
    CHECK_EQ_INT(portrait(rgb, 0, 0, 100), 0);
    CHECK_EQ_INT(judge(t, rgb, 0), FACE_OK);
    /* Off centre. */
    CHECK_EQ_INT(portrait(rgb, -150, 0, 100), 0);
    CHECK_EQ_INT(judge(t, rgb, 0), FACE_OFF_CENTRE);
    /* Too far: the face about 110 px. */
    CHECK_EQ_INT(portrait(rgb, 0, 0, 70), 0);
    CHECK_EQ_INT(judge(t, rgb, 0), FACE_TOO_FAR);
    /* Dark. */
    CHECK_EQ_INT(portrait(rgb, 0, 0, 100), 0);
    face_fixture_darken(rgb, 25);
    CHECK_EQ_INT(judge(t, rgb, 0), FACE_TOO_DARK);
    /* Blurred (the detector still finds it; the Laplacian says blur). */
    CHECK_EQ_INT(portrait(rgb, 0, 0, 100), 0);
    face_fixture_blur(rgb, 2);
    enum face_guidance g = judge(t, rgb, 0);
    fprintf(stderr, "blurred: guidance %d, sharpness %d\n", g, face_track_judgement(t)->sharpness);
    CHECK_EQ_INT(g, FACE_BLURRED);
    /* Two people. */
    static uint8_t half[FIXTURE_W / 2 * FIXTURE_H * 3];
    uint8_t *src;
    int w, h;
    CHECK_EQ_INT(face_fixture_load("astronaut.png", &src, &w, &h), 0);
    camera_rgb_resample(src, w, h, 225 - 117, 123 - 117, 234, 351, half, FIXTURE_W / 2, FIXTURE_H);
    free(src);
    for (int y = 0; y < FIXTURE_H; y++)
        for (int k = 0; k < 2; k++)
            memcpy(rgb + px_at(k * FIXTURE_W / 2, y, FIXTURE_W) * 3,
                   half + (size_t)y * FIXTURE_W / 2 * 3, FIXTURE_W / 2 * 3);
    CHECK_EQ_INT(judge(t, rgb, 0), FACE_MANY);
    /* Nobody. */
    memset(rgb, 190, sizeof rgb);
    CHECK_EQ_INT(judge(t, rgb, 0), FACE_NONE);
}

/* Feeds frames every 66 ms; returns the step that ended it or GUIDE. */
static enum face_step feed(struct face_track *t, uint8_t *const *frames, int n, int repeat)
{
    enum face_guidance g;
    int64_t now = 0;
    for (int r = 0; r < repeat; r++)
        for (int i = 0; i < n; i++) {
            enum face_step s = face_track_frame(t, frames[i], FIXTURE_W, FIXTURE_H, now, &g);
            now += 66;
            if (s != FACE_STEP_GUIDE)
                return s;
        }
    return FACE_STEP_GUIDE;
}

static void liveness(struct face_track *t)
{
    static uint8_t still[FIXTURE_W * FIXTURE_H * 3], moved[FIXTURE_W * FIXTURE_H * 3];
    CHECK_EQ_INT(portrait(still, 0, 0, 100), 0);
    CHECK_EQ_INT(portrait(moved, 20, 0, 100), 0); /* the whole photo slid sideways */
    uint8_t *photo[] = {still};
    uint8_t *slide[] = {still, still, still, still, still, moved, moved, moved, still, still};
    static const enum face_guidance challenges[] = {FACE_BLINK, FACE_TURN_LEFT, FACE_TURN_RIGHT};
    for (int c = 0; c < 3; c++) {
        /* A static photo: the time limit passes, not live. */
        face_track_reset(t, challenges[c]);
        CHECK_EQ_INT(feed(t, photo, 1, 200), FACE_STEP_NOT_LIVE);
        /* A photo moved sideways: features and surroundings move
         * together, no turn; eyes never close, no blink. */
        face_track_reset(t, challenges[c]);
        CHECK_EQ_INT(feed(t, slide, 10, 20), FACE_STEP_NOT_LIVE);
    }
}

/* One 2-second cycle of a simulated scene (the portrait warped to turn
 * the head), 30 frames; caller frees. */
static uint8_t *sim_cycle(enum camera_sim_scene scene)
{
    struct camera_sim *cam = camera_sim_create();
    uint8_t *cycle = malloc((size_t)30 * FIXTURE_W * FIXTURE_H * 3);
    if (!cam || !cycle || camera_sim_ops.open(cam) != 0 || camera_sim_ops.start(cam) != 0) {
        camera_sim_destroy(cam);
        free(cycle);
        return NULL;
    }
    camera_sim_set_scene(cam, scene);
    for (int i = 0; i < 30;) {
        struct camera_frame fr;
        if (camera_sim_ops.read(cam, &fr, 500) != 0)
            continue;
        memcpy(cycle + (size_t)((fr.seq - 1) % 30) * FIXTURE_W * FIXTURE_H * 3, fr.data, fr.len);
        i++;
    }
    camera_sim_ops.stop(cam);
    camera_sim_ops.close(cam);
    camera_sim_destroy(cam);
    return cycle;
}

/* What a capture keeps for verification is the sharpest frame whole, at
 * the camera's size, already as the JPEG that is sent: a fraction of the
 * frame's bytes (the tracker used to keep a raw copy, 2.7 MB at
 * 1280x720, until the capture ended). */
static void best_is_whole_frame_jpeg(const struct face_track *t)
{
    size_t len = 0;
    const uint8_t *jpeg = face_track_best(t, &len);
    CHECK(jpeg != NULL && len > 1000 && jpeg[0] == 0xFF && jpeg[1] == 0xD8);
    CHECK(len < (size_t)FIXTURE_W * FIXTURE_H * 3 / 8);
    tjhandle tj = tjInitDecompress();
    int w = 0, h = 0, sub = 0, cs = 0;
    CHECK(tj && jpeg && tjDecompressHeader3(tj, jpeg, (unsigned long)len, &w, &h, &sub, &cs) == 0);
    CHECK_EQ_INT(w, FIXTURE_W);
    CHECK_EQ_INT(h, FIXTURE_H);
    if (tj)
        tjDestroy(tj);
}

/* A turn counts only in the asked direction from the frontal pose: a
 * person who turns left and back never passes a turn-right challenge,
 * whether the challenge begins while they face the screen or while their
 * head is still turned; the asked turn passes from either. Frames 8..19
 * of the cycle are turned; the challenge begins three frames after the
 * phase. Once the head is back (frame 24) nothing more can happen before
 * the next turn, so the clock jumps past the time limit there. */
static void turn_direction(void)
{
    struct face_config cfg = {.challenge_ms = 2000};
    struct face_track *t = NULL;
    CHECK_EQ_INT(face_track_create(&cfg, &t), 0);
    static const struct {
        enum camera_sim_scene scene;
        enum face_guidance challenge;
        int phase;
        enum face_step expect;
    } cases[] = {
        {CAMERA_SIM_TURN_LEFT, FACE_TURN_RIGHT, 0, FACE_STEP_NOT_LIVE},
        {CAMERA_SIM_TURN_LEFT, FACE_TURN_RIGHT, 9, FACE_STEP_NOT_LIVE},
        {CAMERA_SIM_TURN_RIGHT, FACE_TURN_LEFT, 0, FACE_STEP_NOT_LIVE},
        {CAMERA_SIM_TURN_RIGHT, FACE_TURN_LEFT, 9, FACE_STEP_NOT_LIVE},
        {CAMERA_SIM_TURN_LEFT, FACE_TURN_LEFT, 0, FACE_STEP_CAPTURED},
        {CAMERA_SIM_TURN_LEFT, FACE_TURN_LEFT, 9, FACE_STEP_CAPTURED},
        {CAMERA_SIM_TURN_RIGHT, FACE_TURN_RIGHT, 0, FACE_STEP_CAPTURED},
    };
    uint8_t *cycle[2] = {sim_cycle(CAMERA_SIM_TURN_LEFT), sim_cycle(CAMERA_SIM_TURN_RIGHT)};
    CHECK(t && cycle[0] && cycle[1]);
    for (size_t c = 0; t && cycle[0] && cycle[1] && c < sizeof cases / sizeof cases[0]; c++) {
        const uint8_t *frames = cycle[cases[c].scene == CAMERA_SIM_TURN_RIGHT];
        int phase = cases[c].phase;
        face_track_reset(t, cases[c].challenge);
        enum face_step s = FACE_STEP_GUIDE;
        enum face_guidance g;
        int64_t now = 0;
        for (int i = 0; i < 40 && s == FACE_STEP_GUIDE; i++, now += 66) {
            if (cases[c].expect == FACE_STEP_NOT_LIVE && i > 3 && (phase + i) % 30 == 24)
                now += cfg.challenge_ms;
            s = face_track_frame(t, frames + (size_t)((phase + i) % 30) * FIXTURE_W * FIXTURE_H * 3,
                                 FIXTURE_W, FIXTURE_H, now, &g);
        }
        if (s != cases[c].expect)
            fprintf(stderr, "turn case %zu: step %d\n", c, s);
        CHECK_EQ_INT(s, cases[c].expect);
        if (s == FACE_STEP_CAPTURED)
            best_is_whole_frame_jpeg(t);
    }
    free(cycle[0]);
    free(cycle[1]);
    face_track_destroy(t);
}

/* The packaged cascades load with their documented shapes; the old
 * format and tilted features are refused, garbage is rejected. */
static void cascades(void)
{
    struct cascade *c = NULL;
    int w, h;
    CHECK_EQ_INT(cascade_load(FACE_CASCADE_DEFAULT, &c), 0);
    if (c) {
        cascade_window(c, &w, &h);
        CHECK_EQ_INT(w, 45);
        CHECK_EQ_INT(cascade_stages(c), 19);
        CHECK(cascade_is_lbp(c));
        cascade_free(c);
    }
    CHECK_EQ_INT(cascade_load(FACE_EYE_DEFAULT, &c), 0);
    if (c) {
        cascade_window(c, &w, &h);
        CHECK_EQ_INT(w, 20);
        CHECK_EQ_INT(cascade_stages(c), 24);
        cascade_free(c);
    }
    CHECK_EQ_INT(
        cascade_load("/usr/share/opencv4/haarcascades/haarcascade_licence_plate_rus_16stages.xml",
                     &c),
        ERR_UNSUPPORTED);
    CHECK_EQ_INT(cascade_load("/usr/share/opencv4/haarcascades/haarcascade_smile.xml", &c),
                 ERR_UNSUPPORTED); /* tilted features */
    CHECK_EQ_INT(cascade_parse("<opencv_storage><cascade>", 25, &c), ERR_INVALID);
    CHECK_EQ_INT(cascade_load("/nonexistent.xml", &c), ERR_NOTFOUND);
}

int main(void)
{
    CHECK_EQ_INT(face_challenges_parse("blink,turn-left,turn-right"), 7);
    CHECK_EQ_INT(face_challenges_parse("turn-right"), FACE_CHALLENGE_RIGHT);
    CHECK_EQ_INT(face_challenges_parse("blink, wink"), 0);
    cascades();
    detector_on_photographs();
    struct face_config cfg = {.challenge_ms = 4000};
    struct face_track *t = NULL;
    CHECK_EQ_INT(face_track_create(&cfg, &t), 0);
    if (t) {
        quality(t);
        liveness(t);
        face_track_destroy(t);
    }
    turn_direction();
    return check_report("face_track_test");
}
