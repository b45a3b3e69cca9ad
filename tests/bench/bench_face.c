/* bench_face.c - the face detector's time per 640x480 frame, and beside it
 * OpenCV's CascadeClassifier with the same cascade, parameters and frames
 * (where the build found opencv4), with the ratio and whether both found
 * the same faces. Frames: the astronaut portrait framed as the kiosk camera
 * sees it (three positions) and a picture without a face. Prints
 * "name value unit" lines; run by tests/bench/run.sh, not by ctest. */
#include "base/err.h"
#include "drivers/camera/camera_image.h"
#include "face/face_detect.h"
#include "face_fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 60

#ifdef KIOSK_HAVE_OPENCV
int bench_opencv_detect(const char *cascade, const unsigned char *gray, int w, int h,
                        double scale_factor, int min_neighbours, int min_size, int max_size,
                        int runs, double *median_ms, int *boxes, int max_boxes);
#endif

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Our detector: median ms over RUNS calls; boxes into r. */
static double time_ours(struct cascade_detector *d, const struct cascade *c, const uint8_t *gray,
                        const struct cascade_params *p, struct cascade_rect *r, int *n)
{
    double t[RUNS];
    for (int i = 0; i < RUNS + 3; i++) {
        double a = now_ms();
        *n = cascade_detect(d, c, gray, FIXTURE_W, FIXTURE_H, FIXTURE_W, p, r, 8);
        double b = now_ms();
        if (i >= 3)
            t[i - 3] = b - a;
    }
    qsort(t, RUNS, sizeof t[0], cmp_d);
    return t[RUNS / 2];
}

int main(int argc, char **argv)
{
    const char *cascade_path = argc > 1 ? argv[1] : FACE_CASCADE_DEFAULT;
    struct cascade *c = NULL;
    if (cascade_load(cascade_path, &c) != 0) {
        fprintf(stderr, "bench_face: cannot load %s (opencv-data installed?)\n", cascade_path);
        return 1;
    }
    static uint8_t rgb[FIXTURE_W * FIXTURE_H * 3], gray[FIXTURE_W * FIXTURE_H];
    struct cascade_detector *d = cascade_detector_create(FIXTURE_W, FIXTURE_H);
    static const struct {
        const char *name;
        int dx, dy;
    } frames[] = {{"astronaut", 0, 0},
                  {"astronaut_left", -60, 10},
                  {"astronaut_up", 30, -40},
                  {"coffee", 0, 0}};
    /* Kiosk parameters (face 15-60% of the width, scale step 1.2) and the
     * OpenCV reference figure (minSize 120, 1.1). */
    static const struct cascade_params params[] = {
        {.scale_factor = 1.2, .min_neighbours = 3, .min_size = 96, .max_size = 384},
        {.scale_factor = 1.1, .min_neighbours = 3, .min_size = 120, .max_size = 0},
    };
    int mismatches = 0;
    double sum_ours = 0, sum_cv = 0;
    int ncv = 0;
    for (size_t pi = 0; pi < sizeof params / sizeof params[0]; pi++) {
        const struct cascade_params *p = &params[pi];
        for (size_t fi = 0; fi < sizeof frames / sizeof frames[0]; fi++) {
            if (!strcmp(frames[fi].name, "coffee")) {
                uint8_t *src;
                int w, h;
                if (face_fixture_load("coffee.png", &src, &w, &h) != 0)
                    return 1;
                camera_rgb_resample(src, w, h, 0, 0, w, h, rgb, FIXTURE_W, FIXTURE_H);
                free(src);
            } else if (face_fixture_astronaut(rgb, frames[fi].dx, frames[fi].dy) != 0) {
                fprintf(stderr, "bench_face: astronaut.png missing (python3-skimage)\n");
                return 1;
            }
            face_fixture_gray(rgb, gray);
            struct cascade_rect r[8];
            int n = 0;
            double ms = time_ours(d, c, gray, p, r, &n);
            sum_ours += ms;
            printf("face_detect_%s_min%d %.2f ms\n", frames[fi].name, p->min_size, ms);
            printf("face_detect_%s_min%d_faces %d count\n", frames[fi].name, p->min_size, n);
#ifdef KIOSK_HAVE_OPENCV
            int boxes[32];
            double cv_ms = 0;
            int cn = bench_opencv_detect(
                cascade_path, gray, FIXTURE_W, FIXTURE_H, p->scale_factor, p->min_neighbours,
                p->min_size, p->max_size ? p->max_size : FIXTURE_W, RUNS, &cv_ms, boxes, 8);
            sum_cv += cv_ms;
            ncv++;
            printf("opencv_detect_%s_min%d %.2f ms\n", frames[fi].name, p->min_size, cv_ms);
            printf("ratio_opencv_over_ours_%s_min%d %.2f x\n", frames[fi].name, p->min_size,
                   cv_ms / ms);
            /* Same faces: same count, each box within 10% of its size. */
            int same = cn == n;
            for (int i = 0; same && i < n && i < 8; i++) {
                int found = 0;
                for (int j = 0; j < cn && j < 8; j++) {
                    int tol = r[i].w / 10 + 2;
                    if (abs(r[i].x - boxes[j * 4]) <= tol &&
                        abs(r[i].y - boxes[j * 4 + 1]) <= tol &&
                        abs(r[i].w - boxes[j * 4 + 2]) <= tol)
                        found = 1;
                }
                same = found;
            }
            if (!same)
                mismatches++;
            printf("same_faces_%s_min%d %d bool\n", frames[fi].name, p->min_size, same);
            for (int i = 0; i < n && i < 8; i++)
                fprintf(stderr, "  ours   %s min%d: %d,%d %dx%d (%d)\n", frames[fi].name,
                        p->min_size, r[i].x, r[i].y, r[i].w, r[i].h, r[i].neighbours);
            for (int j = 0; j < cn && j < 8; j++)
                fprintf(stderr, "  opencv %s min%d: %d,%d %dx%d\n", frames[fi].name, p->min_size,
                        boxes[j * 4], boxes[j * 4 + 1], boxes[j * 4 + 2], boxes[j * 4 + 3]);
#endif
        }
    }
    if (ncv) {
        printf("ratio_opencv_over_ours_all %.2f x\n", sum_cv / sum_ours);
        printf("same_faces_mismatches %d count\n", mismatches);
    } else {
        printf("opencv_comparison 0 bool\n");
    }
    cascade_detector_destroy(d);
    cascade_free(c);
    return 0;
}
