/* camera_image.c - pixel conversions and image files; see camera_image.h.
 * Any thread; no state. */
#include "camera_image.h"

#include "base/pixel.h"
#include "base/err.h"

#include <png.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

static uint8_t clamp8(int v)
{
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

int camera_yuyv_to_rgb(const uint8_t *yuyv, size_t len, int w, int h, uint8_t *rgb)
{
    if (w <= 0 || h <= 0 || (w & 1) || len < px_area(w, h) * 2)
        return ERR_INVALID;
    size_t pairs = px_area(w, h) / 2;
    for (size_t i = 0; i < pairs; i++) {
        const uint8_t *s = yuyv + i * 4;
        int u = s[1] - 128, v = s[3] - 128;
        int rv = 409 * v, gu = -100 * u - 208 * v, bu = 516 * u;
        for (int k = 0; k < 2; k++) {
            int y = 298 * ((k ? s[2] : s[0]) - 16) + 128;
            uint8_t *d = rgb + (i * 2 + (size_t)k) * 3;
            d[0] = clamp8((y + rv) >> 8);
            d[1] = clamp8((y + gu) >> 8);
            d[2] = clamp8((y + bu) >> 8);
        }
    }
    return ERR_OK;
}

int camera_yuyv_to_gray(const uint8_t *yuyv, size_t len, int w, int h, uint8_t *gray)
{
    if (w <= 0 || h <= 0 || (w & 1) || len < px_area(w, h) * 2)
        return ERR_INVALID;
    size_t n = px_area(w, h);
    for (size_t i = 0; i < n; i++)
        gray[i] = clamp8((298 * (yuyv[i * 2] - 16) + 128) >> 8);
    return ERR_OK;
}

void camera_rgb_to_gray(const uint8_t *rgb, int w, int h, uint8_t *gray)
{
    size_t n = px_area(w, h);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = rgb + i * 3;
        /* OpenCV's fixed-point RGB2GRAY (14 bits). */
        gray[i] = (uint8_t)((p[0] * 4899u + p[1] * 9617u + p[2] * 1868u + 8192u) >> 14);
    }
}

int camera_jpeg_decode(void *tj, const uint8_t *jpeg, size_t len, uint8_t *rgb, size_t cap, int *w,
                       int *h)
{
    if (!jpeg || len < 4 || len > 64u << 20)
        return ERR_INVALID;
    tjhandle t = tj ? (tjhandle)tj : tjInitDecompress();
    if (!t)
        return ERR_NOMEM;
    int rc = ERR_INVALID;
    int iw = 0, ih = 0, sub = 0, cs = 0;
    if (tjDecompressHeader3(t, jpeg, (unsigned long)len, &iw, &ih, &sub, &cs) == 0) {
        if (iw <= 0 || ih <= 0 || iw > CAMERA_IMAGE_MAX_SIDE || ih > CAMERA_IMAGE_MAX_SIDE ||
            px_area(iw, ih) * 3 > cap)
            rc = ERR_TOOBIG;
        else if (tjDecompress2(t, jpeg, (unsigned long)len, rgb, iw, 0, ih, TJPF_RGB,
                               TJFLAG_FASTDCT) == 0) {
            *w = iw;
            *h = ih;
            rc = ERR_OK;
        }
    }
    if (!tj)
        tjDestroy(t);
    return rc;
}

static int read_file(const char *path, uint8_t **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ERR_NOTFOUND;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    int rc = ERR_OK;
    while (buf) {
        if (n == cap) {
            if (cap >= (64u << 20)) {
                rc = ERR_TOOBIG;
                break;
            }
            uint8_t *b = realloc(buf, cap * 2);
            if (!b)
                break;
            buf = b;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    if (ferror(f))
        rc = ERR_IO;
    fclose(f);
    if (!buf)
        return ERR_NOMEM;
    if (rc != 0) {
        free(buf);
        return rc;
    }
    *data = buf;
    *len = n;
    return ERR_OK;
}

/* Binary PGM (P5) or PPM (P6), maxval 255. */
static int load_pnm(const uint8_t *d, size_t len, uint8_t **rgb, int *w, int *h)
{
    size_t p = 2;
    long v[3];
    for (int k = 0; k < 3; k++) {
        for (;;) {
            while (p < len && (d[p] == ' ' || d[p] == '\n' || d[p] == '\r' || d[p] == '\t'))
                p++;
            if (p < len && d[p] == '#') {
                while (p < len && d[p] != '\n')
                    p++;
                continue;
            }
            break;
        }
        if (p >= len || d[p] < '0' || d[p] > '9')
            return ERR_INVALID;
        v[k] = 0;
        while (p < len && d[p] >= '0' && d[p] <= '9' && v[k] < 100000)
            v[k] = v[k] * 10 + (d[p++] - '0');
    }
    p++; /* one whitespace byte */
    int color = d[1] == '6';
    if (v[0] <= 0 || v[1] <= 0 || v[0] > CAMERA_IMAGE_MAX_SIDE || v[1] > CAMERA_IMAGE_MAX_SIDE ||
        v[2] != 255)
        return ERR_INVALID;
    size_t n = (size_t)v[0] * (size_t)v[1];
    if (p > len || len - p < n * (color ? 3 : 1))
        return ERR_INVALID;
    uint8_t *out = malloc(n * 3);
    if (!out)
        return ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < 3; c++)
            out[i * 3 + c] = color ? d[p + i * 3 + c] : d[p + i];
    *rgb = out;
    *w = (int)v[0];
    *h = (int)v[1];
    return ERR_OK;
}

/* Any PNG, its alpha flattened onto white (libpng's simplified reader,
 * from the file as it reads: no copy of the file in memory). */
static int load_png(FILE *f, uint8_t **rgb, int *w, int *h)
{
    png_image img = {.version = PNG_IMAGE_VERSION};
    if (!png_image_begin_read_from_stdio(&img, f))
        return ERR_INVALID;
    if (img.width == 0 || img.height == 0 || img.width > CAMERA_IMAGE_MAX_SIDE ||
        img.height > CAMERA_IMAGE_MAX_SIDE) {
        png_image_free(&img);
        return ERR_TOOBIG;
    }
    img.format = PNG_FORMAT_RGB;
    uint8_t *out = malloc(PNG_IMAGE_SIZE(img));
    if (!out) {
        png_image_free(&img);
        return ERR_NOMEM;
    }
    const png_color white = {255, 255, 255};
    if (!png_image_finish_read(&img, &white, out, 0, NULL)) {
        png_image_free(&img);
        free(out);
        return ERR_INVALID;
    }
    *rgb = out;
    *w = (int)img.width;
    *h = (int)img.height;
    png_image_free(&img);
    return ERR_OK;
}

/* Whether the file at path is a PNG; then *rgb and the rest from it. */
static bool png_file(const char *path, int *rc, uint8_t **rgb, int *w, int *h)
{
    FILE *f = fopen(path, "rb");
    unsigned char magic[8];
    bool png =
        f && fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, "\x89PNG", 4) == 0;
    if (png) {
        rewind(f);
        *rc = load_png(f, rgb, w, h);
    }
    if (f)
        fclose(f);
    return png;
}

int camera_image_load(const char *path, uint8_t **rgb, int *w, int *h)
{
    int rc = 0;
    if (png_file(path, &rc, rgb, w, h))
        return rc;
    uint8_t *data = NULL;
    size_t len = 0;
    rc = read_file(path, &data, &len);
    if (rc != 0)
        return rc;
    if (len >= 3 && data[0] == 'P' && (data[1] == '5' || data[1] == '6')) {
        rc = load_pnm(data, len, rgb, w, h);
    } else if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8) {
        tjhandle tj = tjInitDecompress();
        int iw = 0, ih = 0, sub = 0, cs = 0;
        rc = ERR_INVALID;
        if (tj && tjDecompressHeader3(tj, data, (unsigned long)len, &iw, &ih, &sub, &cs) == 0 &&
            iw > 0 && ih > 0 && iw <= CAMERA_IMAGE_MAX_SIDE && ih <= CAMERA_IMAGE_MAX_SIDE) {
            size_t cap = px_area(iw, ih) * 3;
            uint8_t *out = malloc(cap);
            rc = out ? camera_jpeg_decode(tj, data, len, out, cap, w, h) : ERR_NOMEM;
            if (rc == 0)
                *rgb = out;
            else
                free(out);
        }
        if (tj)
            tjDestroy(tj);
    } else {
        rc = ERR_INVALID;
    }
    free(data);
    return rc;
}

void camera_rgb_resample(const uint8_t *src, int src_w, int src_h, int sx, int sy, int sw, int sh,
                         uint8_t *dst, int dw, int dh)
{
    for (int y = 0; y < dh; y++) {
        double fy = sy + (y + 0.5) * sh / dh - 0.5;
        int y0 = (int)fy;
        double b = fy - y0;
        if (fy < 0) {
            y0 = 0;
            b = 0;
        }
        int y1 = y0 + 1 < src_h ? y0 + 1 : src_h - 1;
        if (y0 >= src_h)
            y0 = y1 = src_h - 1;
        for (int x = 0; x < dw; x++) {
            double fx = sx + (x + 0.5) * sw / dw - 0.5;
            int x0 = (int)fx;
            double a = fx - x0;
            if (fx < 0) {
                x0 = 0;
                a = 0;
            }
            int x1 = x0 + 1 < src_w ? x0 + 1 : src_w - 1;
            if (x0 >= src_w)
                x0 = x1 = src_w - 1;
            const uint8_t *p00 = src + px_at(x0, y0, src_w) * 3;
            const uint8_t *p01 = src + px_at(x1, y0, src_w) * 3;
            const uint8_t *p10 = src + px_at(x0, y1, src_w) * 3;
            const uint8_t *p11 = src + px_at(x1, y1, src_w) * 3;
            uint8_t *o = dst + px_at(x, y, dw) * 3;
            for (int c = 0; c < 3; c++) {
                double v =
                    (p00[c] * (1 - a) + p01[c] * a) * (1 - b) + (p10[c] * (1 - a) + p11[c] * a) * b;
                o[c] = (uint8_t)(v + 0.5);
            }
        }
    }
}
