/* print_bench.c - certificate composition timings. Prints "name value unit".
 *
 *   cert_first_pdf_ms        first PDF of the process (fontconfig match, glyph outlines)
 *   cert_pdf_2pages_ms       median time to compose a two-page certificate PDF
 *   cert_pdf_2pages_bytes    its size
 *   cert_preview_360_ms      median time to draw page 1 at 360 px for the screen
 */
#include "base/buf.h"
#include "print/cert_compose.h"
#include "drivers/escpos/escpos.h"
#include "print/slip_compose.h"
#include "print_fixture.h"
#include "slip_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RUNS 15

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static struct certificate cert;

int main(void)
{
    struct cert_options o = {.demo = true, .office_phone = "0391-3925100"};
    /* The smallest fixture that needs two pages. */
    int n = 3, pages = 0;
    double first = 0;
    for (; n <= PROPERTY_LIST_MAX; n++) {
        print_fixture_cert(&cert, n);
        struct buf b;
        buf_init(&b, 8u << 20);
        double t0 = now_ms();
        if (cert_render_pdf(&cert, &o, &b, &pages) != 0) {
            fprintf(stderr, "compose failed\n");
            return 1;
        }
        if (n == 3)
            first = now_ms() - t0;
        buf_fini(&b);
        if (pages >= 2)
            break;
    }
    double t[RUNS];
    size_t bytes = 0;
    for (int i = 0; i < RUNS; i++) {
        struct buf b;
        buf_init(&b, 8u << 20);
        double t0 = now_ms();
        cert_render_pdf(&cert, &o, &b, NULL);
        t[i] = now_ms() - t0;
        bytes = b.len;
        buf_fini(&b);
    }
    qsort(t, RUNS, sizeof t[0], cmp);
    double p[RUNS];
    for (int i = 0; i < RUNS; i++) {
        struct cert_image img;
        double t0 = now_ms();
        cert_render_preview(&cert, &o, 360, &img);
        p[i] = now_ms() - t0;
        cert_image_fini(&img);
    }
    qsort(p, RUNS, sizeof p[0], cmp);
    printf("cert_first_pdf_ms %.1f ms\n", first);
    printf("cert_pdf_2pages_ms %.1f ms\n", t[RUNS / 2]);
    printf("cert_pdf_2pages_bytes %zu bytes\n", bytes);
    printf("cert_preview_360_ms %.1f ms\n", p[RUNS / 2]);

    /* A queue slip: compose (cairo, threshold, QR) and encode (GS v 0 bands). */
    double s[RUNS], firsts = 0;
    size_t slip_bytes = 0;
    for (int i = 0; i < RUNS; i++) {
        struct slip_ticket tk;
        slip_test_queue(&tk, 100 + i);
        double t0 = now_ms();
        struct slip_raster r;
        struct buf b;
        buf_init(&b, 4u << 20);
        if (slip_compose(&tk, NULL, &r) || escpos_encode_init(&b) ||
            escpos_encode_raster(&b, r.bits, r.width, r.rows, r.stride, 128) ||
            escpos_encode_cut(&b, 48, true)) {
            fprintf(stderr, "slip failed\n");
            return 1;
        }
        s[i] = now_ms() - t0;
        if (i == 0)
            firsts = s[i];
        slip_bytes = b.len;
        slip_raster_fini(&r);
        buf_fini(&b);
    }
    qsort(s, RUNS, sizeof s[0], cmp);
    printf("slip_first_ms %.1f ms\n", firsts);
    printf("slip_compose_encode_ms %.1f ms\n", s[RUNS / 2]);
    printf("slip_bytes %zu bytes\n", slip_bytes);
    return 0;
}
