/* camera_image_test.c - image files the simulated camera and the tool read
 * ([camera] sim_images, `face detect`), YUYV to gray, and the simulated
 * camera playing files: good PGM, PPM, PNG and JPEG files, and the files a
 * hall gets wrong (missing, a directory, empty, truncated, a header that
 * lies, an unknown format, a damaged JPEG or PNG, too large). Test thread
 * only. */
#include "base/err.h"
#include "check.h"
#include "drivers/camera/camera.h"
#include "drivers/camera/camera_image.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>
#include <unistd.h>

static char dir[64];

static void path_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void write_file(const char *name, const void *data, size_t len)
{
    char p[128];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_EQ_INT(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* The bytes of a string literal without its terminating NUL, and their count. */
#define BYTES(s) s, sizeof(s) - 1

/* Each file: its bytes, what camera_image_load returns, and for a good one
 * the size and the first pixel. */
static const struct {
    const char *name;
    const char *bytes;
    size_t len;
    int rc;
    int w, h;
    uint8_t px[3];
} files[] = {
    {"gray.pgm", BYTES("P5 2 2 255\n\x10\x20\x30\x40"), ERR_OK, 2, 2, {0x10, 0x10, 0x10}},
    {"comment.ppm",
     BYTES("P6\n# scanner\n2 1\n255\n\xff\x00\x00\x00\x00\xff"),
     ERR_OK,
     2,
     1,
     {0xff, 0, 0}},
    {"maxval.pgm", BYTES("P5 2 2 15\n\x01\x02\x03\x04"), ERR_INVALID, 0, 0, {0}},
    {"zero.pgm", BYTES("P5 0 2 255\n"), ERR_INVALID, 0, 0, {0}},
    {"wide.pgm", BYTES("P5 5000 1 255\n"), ERR_INVALID, 0, 0, {0}},
    {"short.ppm", BYTES("P6 2 2 255\n\x01\x02\x03\x04\x05"), ERR_INVALID, 0, 0, {0}},
    {"letters.pgm", BYTES("P5 2 x 255\n\x01\x02"), ERR_INVALID, 0, 0, {0}},
    {"header.pgm", BYTES("P5 2"), ERR_INVALID, 0, 0, {0}},
    {"empty.jpg", BYTES(""), ERR_INVALID, 0, 0, {0}},
    {"gif.jpg", BYTES("GIF89a\x01\x00\x01\x00"), ERR_INVALID, 0, 0, {0}},
    {"damaged.jpg", BYTES("\xff\xd8\xff\xe0 not a jpeg at all"), ERR_INVALID, 0, 0, {0}},
    {"damaged.png", BYTES("\x89PNG\r\n\x1a\n not a png at all"), ERR_INVALID, 0, 0, {0}},
};

static void check_files(void)
{
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        write_file(files[i].name, files[i].bytes, files[i].len);
        char p[128];
        path_of(p, sizeof p, files[i].name);
        uint8_t *rgb = NULL;
        int w = 0, h = 0;
        int rc = camera_image_load(p, &rgb, &w, &h);
        if (rc != files[i].rc)
            fprintf(stderr, "%s: ", files[i].name);
        CHECK_EQ_INT(rc, files[i].rc);
        if (rc == ERR_OK && rgb) {
            CHECK_EQ_INT(w, files[i].w);
            CHECK_EQ_INT(h, files[i].h);
            CHECK(memcmp(rgb, files[i].px, 3) == 0);
        }
        free(rgb);
    }
    /* The last PPM pixel is blue: the whole body was read, not just one. */
    char p[128];
    uint8_t *rgb = NULL;
    int w = 0, h = 0;
    path_of(p, sizeof p, "comment.ppm");
    CHECK_EQ_INT(camera_image_load(p, &rgb, &w, &h), ERR_OK);
    if (rgb)
        CHECK(rgb[3] == 0 && rgb[4] == 0 && rgb[5] == 0xff);
    free(rgb);

    rgb = NULL;
    path_of(p, sizeof p, "none.png");
    CHECK_EQ_INT(camera_image_load(p, &rgb, &w, &h), ERR_NOTFOUND);
    CHECK(rgb == NULL);
    /* A folder named where a picture was meant: fopen works, reading fails. */
    CHECK_EQ_INT(camera_image_load(dir, &rgb, &w, &h), ERR_IO);
    CHECK(rgb == NULL);
    /* Beyond 64 MiB (a sparse file): refused before it is decoded. */
    path_of(p, sizeof p, "huge.ppm");
    FILE *f = fopen(p, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs("P6 4096 4096 255\n", f);
        CHECK_EQ_INT(ftruncate(fileno(f), (64L << 20) + 1), 0);
        fclose(f);
    }
    CHECK_EQ_INT(camera_image_load(p, &rgb, &w, &h), ERR_TOOBIG);
    CHECK(rgb == NULL);
    unlink(p);
}

/* A PNG with a transparent pixel (flattened onto white; written by cairo,
 * read by libpng), the same file cut short, and a JPEG. */
static void check_png_jpeg(void)
{
    char p[128];
    uint8_t *rgb = NULL;
    int w = 0, h = 0;

    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 2);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0, 0, 1);
    cairo_rectangle(cr, 0, 0, 2, 2);
    cairo_fill(cr);
    cairo_destroy(cr);
    path_of(p, sizeof p, "alpha.png");
    CHECK_EQ_INT(cairo_surface_write_to_png(s, p), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    CHECK_EQ_INT(camera_image_load(p, &rgb, &w, &h), ERR_OK);
    CHECK_EQ_INT(w, 4);
    CHECK_EQ_INT(h, 2);
    if (rgb) {
        CHECK(rgb[0] == 0 && rgb[1] == 0 && rgb[2] == 255);       /* blue */
        CHECK(rgb[9] == 255 && rgb[10] == 255 && rgb[11] == 255); /* clear: white */
    }
    free(rgb);

    /* Cut short: refused, nothing handed out. */
    CHECK_EQ_INT(truncate(p, 60), 0);
    rgb = NULL;
    CHECK_EQ_INT(camera_image_load(p, &rgb, &w, &h), ERR_INVALID);
    CHECK(rgb == NULL);

    /* Wider than any camera: refused. */
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CAMERA_IMAGE_MAX_SIDE + 1, 1);
    path_of(p, sizeof p, "wide.png");
    CHECK_EQ_INT(cairo_surface_write_to_png(s, p), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    rgb = NULL;
    CHECK_EQ_INT(camera_image_load(p, &rgb, &w, &h), ERR_TOOBIG);
    CHECK(rgb == NULL);

    enum { JW = 16, JH = 8 };
    static uint8_t red[JW * JH * 3];
    for (size_t i = 0; i < sizeof red; i += 3)
        red[i] = 255;
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long jlen = 0;
    CHECK_EQ_INT(tjCompress2(tj, red, JW, 0, JH, TJPF_RGB, &jpeg, &jlen, TJSAMP_444, 95, 0), 0);
    write_file("red.jpg", jpeg, jlen);
    tjFree(jpeg);
    tjDestroy(tj);
    path_of(p, sizeof p, "red.jpg");
    rgb = NULL;
    CHECK_EQ_INT(camera_image_load(p, &rgb, &w, &h), ERR_OK);
    CHECK_EQ_INT(w, JW);
    CHECK_EQ_INT(h, JH);
    if (rgb)
        CHECK(rgb[0] > 240 && rgb[1] < 16 && rgb[2] < 16);
    free(rgb);
}

static void check_yuyv_gray(void)
{
    /* Y 16 is black and 235 white in BT.601's limited range. */
    const uint8_t yuyv[8] = {16, 128, 235, 128, 126, 128, 255, 128};
    uint8_t gray[4] = {0};
    CHECK_EQ_INT(camera_yuyv_to_gray(yuyv, sizeof yuyv, 2, 2, gray), ERR_OK);
    CHECK_EQ_INT(gray[0], 0);
    CHECK_EQ_INT(gray[1], 255);
    CHECK_EQ_INT(gray[2], 128);
    CHECK_EQ_INT(gray[3], 255); /* above 235: clamped */
    CHECK_EQ_INT(camera_yuyv_to_gray(yuyv, sizeof yuyv - 1, 2, 2, gray), ERR_INVALID);
    CHECK_EQ_INT(camera_yuyv_to_gray(yuyv, sizeof yuyv, 3, 1, gray), ERR_INVALID);
    CHECK_EQ_INT(camera_yuyv_to_gray(yuyv, sizeof yuyv, 0, 2, gray), ERR_INVALID);
}

/* [camera] sim_images: the files play in turn, scaled to the camera's
 * frame; a list with a missing file is refused. */
static void check_sim_play(void)
{
    write_file("red.ppm", "P6 1 1 255\n\xff\x00\x00", 14);
    write_file("blue.ppm", "P6 1 1 255\n\x00\x00\xff", 14);
    char red[128], blue[128], none[128];
    path_of(red, sizeof red, "red.ppm");
    path_of(blue, sizeof blue, "blue.ppm");
    path_of(none, sizeof none, "none.ppm");

    struct camera_sim *sim = camera_sim_create();
    CHECK(sim != NULL);
    if (!sim)
        return;
    const char *bad[] = {red, none};
    CHECK_EQ_INT(camera_sim_play(sim, bad, 2), ERR_NOTFOUND);
    const char *good[] = {red, blue};
    CHECK_EQ_INT(camera_sim_play(sim, good, 2), ERR_OK);
    camera_sim_set_scene(sim, CAMERA_SIM_FILES);
    CHECK_EQ_INT(camera_sim_ops.open(sim), ERR_OK);
    CHECK_EQ_INT(camera_sim_ops.start(sim), ERR_OK);
    const uint8_t want[3][3] = {{255, 0, 0}, {0, 0, 255}, {255, 0, 0}};
    for (size_t i = 0; i < 3; i++) {
        struct camera_frame f = {0};
        CHECK_EQ_INT(camera_sim_ops.read(sim, &f, 1000), ERR_OK);
        CHECK_EQ_INT(f.width, 640);
        CHECK_EQ_INT(f.height, 480);
        CHECK_EQ_INT(f.format, CAMERA_RGB24);
        if (f.data) {
            CHECK(memcmp(f.data, want[i], 3) == 0);
            CHECK(memcmp(f.data + f.len - 3, want[i], 3) == 0);
        }
    }
    /* Unplugged mid-stream: ERR_NODEV, as a real UVC camera gives, and no
     * open until it is back; plugged back, frames again. */
    struct camera_frame f = {0};
    camera_sim_set_plugged(sim, false);
    CHECK_EQ_INT(camera_sim_ops.read(sim, &f, 1000), ERR_NODEV);
    camera_sim_ops.stop(sim);
    camera_sim_ops.close(sim);
    CHECK_EQ_INT(camera_sim_ops.open(sim), ERR_NODEV);
    camera_sim_set_plugged(sim, true);
    CHECK_EQ_INT(camera_sim_ops.open(sim), ERR_OK);
    CHECK_EQ_INT(camera_sim_ops.start(sim), ERR_OK);
    CHECK_EQ_INT(camera_sim_ops.read(sim, &f, 1000), ERR_OK);
    camera_sim_ops.stop(sim);
    CHECK_EQ_INT(camera_sim_ops.read(sim, &f, 1000), ERR_IO); /* not streaming */
    camera_sim_ops.close(sim);
    camera_sim_destroy(sim);
    unlink(red);
    unlink(blue);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/kiosk-camera-image-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    check_files();
    check_png_jpeg();
    check_yuyv_gray();
    check_sim_play();
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[128];
        path_of(p, sizeof p, files[i].name);
        unlink(p);
    }
    const char *made[] = {"alpha.png", "wide.png", "red.jpg"};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        char p[128];
        path_of(p, sizeof p, made[i]);
        unlink(p);
    }
    rmdir(dir);
    return check_report("camera_image_test");
}
