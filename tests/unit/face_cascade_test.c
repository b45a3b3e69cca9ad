/* face_cascade_test.c - the ways of scanning a stump cascade (plain C
 * window by window, vector extensions, AVX2 where the CPU has it, each
 * with its own way of scaling the pyramid down) find the very same raw
 * windows, in the same order, on real photographs: the astronaut framed
 * at 15 places and lit two ways, and pictures without a face; with the
 * kiosk's scan range, OpenCV's reference settings and a range that
 * reaches the step-2 scales. Then the grouped faces agree too. The same
 * for the Haar cascades: the eyes within the face found, as the kiosk
 * searches them, and OpenCV's Haar face cascade. Narrow crops end a row
 * inside a group of windows. Data: the packaged photographs of
 * face_fixture.h. */
#include "base/err.h"
#include "drivers/camera/camera_image.h"
#include "face/face_detect.h"
#include "face_fixture.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RECTS 4096

static uint8_t rgb[FIXTURE_W * FIXTURE_H * 3], gray[FIXTURE_W * FIXTURE_H];
static struct cascade_rect want[MAX_RECTS], got[MAX_RECTS];

/* Every way against the plain one on an image (w x h, FIXTURE_W a row)
 * with each of np settings. */
static void compare_ways(struct cascade_detector *d, const struct cascade *c, const uint8_t *img,
                         int w, int h, const struct cascade_params *params, size_t np,
                         const char *frame)
{
    for (size_t pi = 0; pi < np; pi++) {
        const struct cascade_params *p = &params[pi];
        cascade_detector_set_simd(d, CASCADE_SIMD_NONE);
        int n = cascade_detect(d, c, img, w, h, FIXTURE_W, p, want, MAX_RECTS);
        CHECK(n >= 0);
        size_t k = (size_t)(n < MAX_RECTS ? n : MAX_RECTS);
        for (int way = CASCADE_SIMD_VECTOR; way <= CASCADE_SIMD_AVX2; way++) {
            if (cascade_detector_set_simd(d, (enum cascade_simd_kind)way) != way)
                continue; /* not on this CPU */
            int m = cascade_detect(d, c, img, w, h, FIXTURE_W, p, got, MAX_RECTS);
            int same = m == n && !memcmp(want, got, k * sizeof want[0]);
            if (!same)
                fprintf(stderr, "%s: way %d, min %d, neighbours %d: %d windows, plain C %d\n",
                        frame, way, p->min_size, p->min_neighbours, m, n);
            CHECK(same);
        }
    }
}

/* The face cascade (LBP) over the whole frame: the kiosk's scan range,
 * OpenCV's reference settings, a range reaching the step-2 scales. */
static const struct cascade_params face_params[] = {
    {.scale_factor = 1.2, .min_neighbours = 0, .min_size = 96, .max_size = 384},
    {.scale_factor = 1.1, .min_neighbours = 0, .min_size = 120, .max_size = 0},
    {.scale_factor = 1.15, .min_neighbours = 0, .min_size = 60, .max_size = 200},
    {.scale_factor = 1.1, .min_neighbours = 3, .min_size = 120, .max_size = 0},
};
/* The eye cascade (Haar) over the face's upper part, as face_detect.c
 * searches it (step-2 and step-1 scales), and smaller. */
static const struct cascade_params eye_params[] = {
    {.scale_factor = 1.1, .min_neighbours = 0, .min_size = 27, .max_size = 61},
    {.scale_factor = 1.1, .min_neighbours = 0, .min_size = 12, .max_size = 40},
    {.scale_factor = 1.1, .min_neighbours = 2, .min_size = 27, .max_size = 61},
};
/* OpenCV's Haar face cascade over the whole frame. */
static const struct cascade_params haar_face_params[] = {
    {.scale_factor = 1.1, .min_neighbours = 0, .min_size = 120, .max_size = 0},
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
    struct cascade *c = NULL, *eye = NULL, *haar = NULL;
    CHECK_EQ_INT(cascade_load(FACE_CASCADE_DEFAULT, &c), 0);
    CHECK_EQ_INT(cascade_load(FACE_EYE_DEFAULT, &eye), 0);
    CHECK_EQ_INT(
        cascade_load("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml", &haar),
        0);
    struct cascade_detector *d = cascade_detector_create(FIXTURE_W, FIXTURE_H);
    CHECK(d != NULL);
    if (!c || !eye || !haar || !d)
        return check_report("face_cascade_test");
    printf("fastest way here: %d\n", cascade_detector_set_simd(d, CASCADE_SIMD_AVX2));

    /* The astronaut at 15 places, every other one darkened. */
    int frames = 0, with_face = 0;
    for (int dy = -60; dy <= 60; dy += 60)
        for (int dx = -90; dx <= 90; dx += 45) {
            CHECK_EQ_INT(face_fixture_astronaut(rgb, dx, dy), 0);
            if (frames % 2)
                face_fixture_darken(rgb, 35);
            face_fixture_gray(rgb, gray);
            char name[48];
            snprintf(name, sizeof name, "astronaut%+d%+d", dx, dy);
            compare_ways(d, c, gray, FIXTURE_W, FIXTURE_H, face_params, N(face_params), name);
            struct cascade_params p = {.scale_factor = 1.1, .min_neighbours = 3, .min_size = 120};
            if (cascade_detect(d, c, gray, FIXTURE_W, FIXTURE_H, FIXTURE_W, &p, got, 8) >= 1) {
                with_face++;
                /* the eye search region of face_detect.c */
                int ry = got[0].y - got[0].h / 20, rh = got[0].h * 65 / 100;
                if (ry >= 0 && got[0].x + got[0].w <= FIXTURE_W && ry + rh <= FIXTURE_H)
                    compare_ways(d, eye, gray + ry * FIXTURE_W + got[0].x, got[0].w, rh, eye_params,
                                 N(eye_params), name);
            }
            if (frames % 5 == 0)
                compare_ways(d, haar, gray, FIXTURE_W, FIXTURE_H, haar_face_params,
                             N(haar_face_params), name);
            frames++;
        }
    /* The frames above are real work for the detector: it finds her. */
    CHECK(with_face >= frames - 2);

    static const char *const others[] = {"coffee.png", "chelsea.png", "camera.png", "brick.png",
                                         "rocket.jpg"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        uint8_t *src = NULL;
        int w = 0, h = 0;
        CHECK_EQ_INT(face_fixture_load(others[i], &src, &w, &h), 0);
        if (!src)
            continue;
        camera_rgb_resample(src, w, h, 0, 0, w, h, rgb, FIXTURE_W, FIXTURE_H);
        free(src);
        face_fixture_gray(rgb, gray);
        compare_ways(d, c, gray, FIXTURE_W, FIXTURE_H, face_params, N(face_params), others[i]);
        compare_ways(d, eye, gray + 100 * FIXTURE_W + 200, 160, 110, eye_params, N(eye_params),
                     others[i]);
    }

    /* Narrow crops (of the astronaut's face and of noise), so that a row
     * has fewer windows than a group or ends inside one. */
    CHECK_EQ_INT(face_fixture_astronaut(rgb, 0, 0), 0);
    face_fixture_gray(rgb, gray);
    for (int i = 0; i < 2; i++) {
        if (i)
            for (int j = 0; j < FIXTURE_W * FIXTURE_H; j++)
                gray[j] = (uint8_t)((j * 7919) ^ (j >> 5));
        const uint8_t *crop = gray + (i ? 0 : 120 * FIXTURE_W + 190);
        static const struct cascade_params narrow[] = {
            {.scale_factor = 1.05, .min_neighbours = 0, .min_size = 90}};
        static const struct cascade_params narrow_eye[] = {
            {.scale_factor = 1.05, .min_neighbours = 0, .min_size = 20}};
        for (int w = 90; w <= 120; w += 5)
            compare_ways(d, c, crop, w, 200, narrow, N(narrow), i ? "noise" : "face crop");
        for (int w = 20; w <= 60; w += 3)
            compare_ways(d, eye, crop, w, 60, narrow_eye, N(narrow_eye), i ? "noise" : "face crop");
    }

    cascade_detector_destroy(d);
    cascade_free(c);
    cascade_free(eye);
    cascade_free(haar);
    return check_report("face_cascade_test");
}
