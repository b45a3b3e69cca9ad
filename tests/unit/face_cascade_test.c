/* face_cascade_test.c - the ways of scanning a stump LBP cascade (plain C
 * window by window, vector extensions, AVX2 where the CPU has it, each
 * with its own way of scaling the pyramid down) find the very same raw
 * windows, in the same order, on real photographs: the
 * astronaut framed at many places and lit two ways, and pictures without
 * a face; with the kiosk's scan range, OpenCV's reference settings and a
 * range that reaches the step-2 scales. Then the grouped faces agree too.
 * Data: the packaged photographs of face_fixture.h.
 */
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

/* Every way against the plain one on the current gray frame. Returns how
 * many ways differed. */
static int compare_ways(struct cascade_detector *d, const struct cascade *c, const char *frame)
{
    static const struct cascade_params params[] = {
        {.scale_factor = 1.2, .min_neighbours = 0, .min_size = 96, .max_size = 384},
        {.scale_factor = 1.1, .min_neighbours = 0, .min_size = 120, .max_size = 0},
        {.scale_factor = 1.15, .min_neighbours = 0, .min_size = 60, .max_size = 200},
        {.scale_factor = 1.1, .min_neighbours = 3, .min_size = 120, .max_size = 0},
    };
    int bad = 0;
    for (size_t pi = 0; pi < sizeof params / sizeof params[0]; pi++) {
        const struct cascade_params *p = &params[pi];
        cascade_detector_set_simd(d, CASCADE_SIMD_NONE);
        int n = cascade_detect(d, c, gray, FIXTURE_W, FIXTURE_H, FIXTURE_W, p, want, MAX_RECTS);
        CHECK(n >= 0);
        size_t k = (size_t)(n < MAX_RECTS ? n : MAX_RECTS);
        for (int way = CASCADE_SIMD_VECTOR; way <= CASCADE_SIMD_AVX2; way++) {
            if (cascade_detector_set_simd(d, (enum cascade_simd_kind)way) != way)
                continue; /* not on this CPU */
            int m = cascade_detect(d, c, gray, FIXTURE_W, FIXTURE_H, FIXTURE_W, p, got, MAX_RECTS);
            int same = m == n && !memcmp(want, got, k * sizeof want[0]);
            if (!same) {
                fprintf(stderr, "%s: way %d, min %d, neighbours %d: %d windows, plain C %d\n",
                        frame, way, p->min_size, p->min_neighbours, m, n);
                bad++;
            }
            CHECK(same);
        }
    }
    return bad;
}

int main(void)
{
    struct cascade *c = NULL;
    CHECK_EQ_INT(cascade_load(FACE_CASCADE_DEFAULT, &c), 0);
    struct cascade_detector *d = cascade_detector_create(FIXTURE_W, FIXTURE_H);
    CHECK(d != NULL);
    if (!c || !d)
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
            compare_ways(d, c, name);
            struct cascade_params p = {.scale_factor = 1.1, .min_neighbours = 3, .min_size = 120};
            if (cascade_detect(d, c, gray, FIXTURE_W, FIXTURE_H, FIXTURE_W, &p, got, 8) >= 1)
                with_face++;
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
        compare_ways(d, c, others[i]);
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
        struct cascade_params p = {.scale_factor = 1.05, .min_neighbours = 0, .min_size = 90};
        for (int w = 90; w <= 120; w += 5) {
            cascade_detector_set_simd(d, CASCADE_SIMD_NONE);
            int n = cascade_detect(d, c, crop, w, 200, FIXTURE_W, &p, want, MAX_RECTS);
            for (int way = CASCADE_SIMD_VECTOR; way <= CASCADE_SIMD_AVX2; way++) {
                cascade_detector_set_simd(d, (enum cascade_simd_kind)way);
                int m = cascade_detect(d, c, crop, w, 200, FIXTURE_W, &p, got, MAX_RECTS);
                CHECK_EQ_INT(m, n);
                CHECK(m != n || !memcmp(want, got, (size_t)n * sizeof want[0]));
            }
        }
    }

    cascade_detector_destroy(d);
    cascade_free(c);
    return check_report("face_cascade_test");
}
