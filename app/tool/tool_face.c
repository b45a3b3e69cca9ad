/* tool_face.c - `bdc-kiosk-tool face detect IMAGE`: the kiosk's face and
 * eye detector on any image (JPEG, PNG, PGM/PPM), result as JSON on stdout.
 * Runs the same code and parameters as the face thread, so a photograph
 * can be checked against what the kiosk would see. Main thread only. */
#include "tool/tool.h"

#include "base/pixel.h"
#include "base/clock.h"
#include "base/err.h"
#include "drivers/camera/camera_image.h"
#include "face/face_detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int usage(void)
{
    fprintf(stderr, "usage: bdc-kiosk-tool face detect IMAGE [--cascade XML] [--eyes XML]\n"
                    "                                     [--min-pct N] [--max-pct N]\n");
    return 2;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int tool_face_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[0], "detect") != 0)
        return usage();
    const char *image = argv[1];
    struct face_detect_config cfg = {0};
    for (int i = 2; i < argc; i++) {
        if (i + 1 >= argc)
            return usage();
        if (!strcmp(argv[i], "--cascade"))
            cfg.face_cascade = argv[++i];
        else if (!strcmp(argv[i], "--eyes"))
            cfg.eye_cascade = argv[++i];
        else if (!strcmp(argv[i], "--min-pct"))
            cfg.min_face_pct = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max-pct"))
            cfg.max_face_pct = atoi(argv[++i]);
        else
            return usage();
    }
    uint8_t *rgb = NULL;
    int w = 0, h = 0;
    int rc = camera_image_load(image, &rgb, &w, &h);
    if (rc != 0) {
        fprintf(stderr, "bdc-kiosk-tool: %s: %s\n", image, err_str(rc));
        return 1;
    }
    struct face_detector *d = NULL;
    rc = face_detector_create(&cfg, w, h, &d);
    if (rc != 0) {
        fprintf(stderr, "bdc-kiosk-tool: cascades not loaded (%s); is opencv-data installed?\n",
                err_str(rc));
        free(rgb);
        return 1;
    }
    uint8_t *gray = malloc(px_area(w, h));
    if (!gray) {
        free(rgb);
        face_detector_destroy(d);
        return 1;
    }
    camera_rgb_to_gray(rgb, w, h, gray);
    struct face_box f[FACE_MAX_FACES];
    double t0 = now_ms();
    int n = face_detector_run(d, gray, w, h, f, FACE_MAX_FACES, true);
    double ms = now_ms() - t0;
    printf("{\"image\":{\"width\":%d,\"height\":%d},\"ms\":%.2f,\"faces\":[", w, h, ms);
    for (int i = 0; i < n; i++) {
        printf("%s{\"x\":%d,\"y\":%d,\"w\":%d,\"h\":%d,\"neighbours\":%d,\"eyes\":[", i ? "," : "",
               f[i].x, f[i].y, f[i].w, f[i].h, f[i].neighbours);
        for (int e = 0; e < f[i].eyes; e++)
            printf("%s{\"x\":%d,\"y\":%d,\"w\":%d,\"h\":%d}", e ? "," : "", f[i].eye[e].x,
                   f[i].eye[e].y, f[i].eye[e].w, f[i].eye[e].h);
        printf("]}");
    }
    printf("]}\n");
    free(gray);
    free(rgb);
    face_detector_destroy(d);
    return n < 0 ? 1 : 0;
}
