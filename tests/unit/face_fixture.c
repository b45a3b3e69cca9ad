/* face_fixture.c - packaged photographs for tests; see face_fixture.h. */
#include "base/pixel.h"
#include "face_fixture.h"

#include "base/err.h"
#include "drivers/camera/camera_image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *face_fixture_dir(void)
{
    const char *d = getenv("KIOSK_FACE_DATA");
    return d && *d ? d : "/usr/lib/python3/dist-packages/skimage/data";
}

int face_fixture_load(const char *name, uint8_t **rgb, int *w, int *h)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", face_fixture_dir(), name);
    return camera_image_load(path, rgb, w, h);
}

int face_fixture_astronaut(uint8_t *rgb, int dx, int dy)
{
    static uint8_t *src;
    static int sw, sh;
    if (!src) {
        int rc = face_fixture_load("astronaut.png", &src, &sw, &sh);
        if (rc != 0)
            return rc;
    }
    /* 384/640 source pixels per frame pixel. */
    int ox = 64 - dx * 384 / 640, oy = 0 - dy * 288 / 480;
    camera_rgb_resample(src, sw, sh, ox, oy, 384, 288, rgb, FIXTURE_W, FIXTURE_H);
    return ERR_OK;
}

void face_fixture_darken(uint8_t *rgb, int percent)
{
    for (size_t i = 0; i < (size_t)FIXTURE_W * FIXTURE_H * 3; i++)
        rgb[i] = (uint8_t)(rgb[i] * percent / 100);
}

void face_fixture_blur(uint8_t *rgb, int radius)
{
    /* Box blur, horizontal then vertical. */
    size_t n = (size_t)FIXTURE_W * FIXTURE_H * 3;
    uint8_t *tmp = malloc(n);
    if (!tmp)
        return;
    for (int pass = 0; pass < 2; pass++) {
        uint8_t *src = pass ? tmp : rgb, *dst = pass ? rgb : tmp;
        for (int y = 0; y < FIXTURE_H; y++)
            for (int x = 0; x < FIXTURE_W; x++)
                for (int c = 0; c < 3; c++) {
                    /* The pixel itself, then its neighbours inside the image. */
                    int sum = src[px_at(x, y, FIXTURE_W) * 3 + (size_t)c], cnt = 1;
                    for (int k = -radius; k <= radius; k++) {
                        if (k == 0)
                            continue;
                        int xx = pass ? x : x + k, yy = pass ? y + k : y;
                        if (xx < 0 || yy < 0 || xx >= FIXTURE_W || yy >= FIXTURE_H)
                            continue;
                        sum += src[px_at(xx, yy, FIXTURE_W) * 3 + (size_t)c];
                        cnt++;
                    }
                    dst[px_at(x, y, FIXTURE_W) * 3 + (size_t)c] = (uint8_t)(sum / cnt);
                }
    }
    free(tmp);
}

void face_fixture_gray(const uint8_t *rgb, uint8_t *gray)
{
    camera_rgb_to_gray(rgb, FIXTURE_W, FIXTURE_H, gray);
}
