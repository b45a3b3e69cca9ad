/* tool_escpos.c - `bdc-kiosk-tool escpos render FILE OUT.png`: an ESC/POS
 * byte stream (a capture from a printer port, what the simulated printer
 * received, what any receipt program sends) back into a picture of the
 * 80 mm paper, with the decoder the simulated printer uses. Every slip in
 * the stream lands in one PNG, top to bottom, with a dashed cut line
 * between slips. A command the decoder steps over is named on stderr with
 * its offset; the rest still prints. Prints {"slips":N,"rows":R,
 * "skipped":K} on success; what printed before an error is still written.
 */
#include "tool/tool.h"

#include "base/err.h"
#include "drivers/escpos/escpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SLIPS 64
#define FILE_MAX  (64u << 20)

struct collect {
    struct escpos_page *pages;
    int n;
};

static void collect(void *user, struct escpos_page *p)
{
    struct collect *c = user;
    if (c->n < MAX_SLIPS) {
        c->pages[c->n++] = *p;
        p->bits = NULL;
    }
}

static int render(const char *in, const char *out)
{
    FILE *f = fopen(in, "rb");
    if (!f) {
        fprintf(stderr, "escpos: cannot open %s\n", in);
        return 1;
    }
    uint8_t *data = malloc(FILE_MAX);
    size_t len = data ? fread(data, 1, FILE_MAX, f) : 0;
    fclose(f);
    if (!data) {
        fprintf(stderr, "escpos: out of memory\n");
        return 1;
    }
    static struct escpos_page pages[MAX_SLIPS];
    struct collect c = {pages, 0};
    struct escpos_decoder d;
    escpos_decoder_init(&d, collect, &c);
    int err = escpos_decoder_feed(&d, data, len);
    if (!err && d.pending.len)
        fprintf(stderr, "escpos: %s ends inside a command at offset %ld\n", in, d.offset);
    escpos_decoder_flush(&d);
    free(data);
    for (int i = 0; i < d.skipped && i < ESCPOS_SKIPS_KEPT; i++) {
        char what[32];
        escpos_skip_format(&d.skips[i], what, sizeof what);
        fprintf(stderr, "escpos: offset %ld: %s: %s\n", d.skips[i].offset, what, d.skips[i].why);
    }
    if (d.skipped > ESCPOS_SKIPS_KEPT)
        fprintf(stderr, "escpos: %d more commands stepped over\n", d.skipped - ESCPOS_SKIPS_KEPT);
    int skipped = d.skipped;
    long at = d.offset;
    escpos_decoder_fini(&d);
    int n = c.n;
    if (err)
        fprintf(stderr, "escpos: %s: stopped at offset %ld: %s\n", in, at, err_str(err));
    if (n == 0) {
        fprintf(stderr, "escpos: nothing printed in %s\n", in);
        return 1;
    }
    int rows = 0;
    for (int i = 0; i < n; i++)
        rows += pages[i].rows + (i ? 9 : 0);
    struct escpos_page all = {.width = ESCPOS_DOTS, .stride = ESCPOS_DOTS / 8, .rows = rows};
    all.bits = calloc((size_t)(rows > 0 ? rows : 1), (size_t)all.stride);
    int y = 0, rc = 0;
    if (!all.bits)
        rc = ERR_NOMEM;
    for (int i = 0; !rc && i < n; i++) {
        if (i) {
            for (int x = 0; x < all.stride; x++)
                all.bits[(size_t)(y + 4) * (size_t)all.stride + (size_t)x] = 0xF0; /* cut line */
            y += 9;
        }
        memcpy(all.bits + (size_t)y * (size_t)all.stride, pages[i].bits,
               (size_t)pages[i].rows * (size_t)all.stride);
        y += pages[i].rows;
    }
    if (!rc)
        rc = escpos_page_write_png(&all, out);
    for (int i = 0; i < n; i++)
        escpos_page_fini(&pages[i]);
    escpos_page_fini(&all);
    if (rc) {
        fprintf(stderr, "escpos: cannot write %s: %s\n", out, err_str(rc));
        return 1;
    }
    printf("{\"slips\":%d,\"rows\":%d,\"skipped\":%d}\n", n, rows, skipped);
    return err ? 1 : 0;
}

int tool_escpos_main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[0], "render") == 0)
        return render(argv[1], argv[2]);
    fprintf(stderr, "usage: bdc-kiosk-tool escpos render FILE OUT.png\n");
    return 2;
}
