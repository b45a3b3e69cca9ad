/* cert_compose.c - renders the query certificate: the PDF stream and the
 * preview image of page 1, both through one layout (cert_layout.c), with
 * the faces of cert_fonts.c and the words of cert_format.c.
 *
 * DESIGN: one layout routine, run twice per document. The first run draws
 * nothing and only counts pages, so the second can print "第 N 页 共 M
 * 页" on every page. The same routine draws into the PDF stream and, with
 * only_page = 1, into the preview image: the preview cannot drift from
 * the paper. Text is real text (cairo-ft glyphs with ToUnicode maps), so
 * pdftotext, screen readers and the e2e tests read it; only the seal's
 * lettering is drawn as outlines, because a seal is an image and its arc of
 * characters would scramble the extracted text.
 *
 * Layout (A4 portrait, 20 mm side margins): a top row with the demo mark
 * and the certificate number, the title and a double rule, the requester
 * grid, the "as of" sentence, the property table (header repeated on each
 * page, rows never split), the details of each restriction, the notes,
 * then the verification block (QR code and typed code) beside the issuing
 * office and the seal, which stay together on the last page; a footer on
 * every page. Runs on whichever thread calls it (the print worker).
 */
#include "print/cert_compose.h"

#include "base/err.h"
#include "base/util.h"
#include "print/cert_internal.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

static int status_err(cairo_status_t st)
{
    switch (st) {
    case CAIRO_STATUS_SUCCESS:
        return 0;
    case CAIRO_STATUS_NO_MEMORY:
        return ERR_NOMEM;
    case CAIRO_STATUS_INVALID_STRING:
        return ERR_INVALID;
    default:
        return ERR_IO;
    }
}

/* Runs both passes on cr (already scaled to points). */
static int render(cairo_t *cr, const struct certificate *c, const struct cert_options *o,
                  int only_page, int *pages)
{
    struct doc *d = calloc(1, sizeof *d);
    if (!d)
        return ERR_NOMEM;
    d->cr = cr;
    d->c = c;
    d->o = o;
    d->only_page = only_page;
    int err = cert_fonts_get(o->font_family && o->font_family[0] ? o->font_family : DEFAULT_FONT,
                             d->face);
    if (err)
        goto out;
    d->qr = QRcode_encodeString(c->verify_url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!d->qr) {
        err = ERR_INVALID;
        goto out;
    }
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    cairo_set_source_rgb(cr, 0, 0, 0);

    cert_layout(d, false);
    d->pages = d->page;
    if (!d->err)
        cert_layout(d, true);
    err = d->err ? d->err : status_err(cairo_status(cr));
    if (pages)
        *pages = d->pages;
out:
    if (d->qr)
        QRcode_free(d->qr);
    cairo_font_face_destroy(d->face[0]);
    cairo_font_face_destroy(d->face[1]);
    free(d);
    return err;
}

struct sink {
    struct buf *out;
    int err;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
    struct sink *s = closure;
    int e = buf_append(s->out, data, len);
    if (e) {
        s->err = e;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

int cert_render_pdf(const struct certificate *c, const struct cert_options *o, struct buf *out,
                    int *pages)
{
    static const struct cert_options defaults;
    if (!c || !out)
        return ERR_INVALID;
    if (!o)
        o = &defaults;
    int err = cert_validate(c);
    if (err)
        return err;
    struct sink sink = {.out = out};
    cert_cairo_enter();
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(sink_write, &sink, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title_of(c));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, c->office);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "bdc-kiosk");
    if (c->issued_at[0])
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, c->issued_at);
    cairo_t *cr = cairo_create(s);
    err = render(cr, c, o, 0, pages);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (!err)
        err = sink.err ? sink.err : status_err(cairo_surface_status(s));
    cairo_surface_destroy(s);
    cert_cairo_leave();
    return err;
}

/* Opens as cert_render_pdf() does (options defaulted, the certificate
 * validated); the surfaces differ from there. */
int cert_render_preview(const struct certificate *c, const struct cert_options *o, int width_px,
                        struct cert_image *img)
{
    static const struct cert_options defaults;
    if (!img)
        return ERR_INVALID;
    memset(img, 0, sizeof *img);
    if (!c || width_px < 16 || width_px > 4096)
        return ERR_INVALID;
    if (!o)
        o = &defaults;
    int err = cert_validate(c);
    if (err)
        return err;
    int h = (int)lround(width_px * PAGE_H / PAGE_W);
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width_px);
    uint8_t *px = calloc((size_t)h, (size_t)stride);
    if (!px)
        return ERR_NOMEM;
    cert_cairo_enter();
    cairo_surface_t *s =
        cairo_image_surface_create_for_data(px, CAIRO_FORMAT_ARGB32, width_px, h, stride);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, width_px / PAGE_W, width_px / PAGE_W);
    err = render(cr, c, o, 1, NULL);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (!err)
        err = status_err(cairo_surface_status(s));
    cairo_surface_destroy(s);
    cert_cairo_leave();
    if (err) {
        free(px);
        return err;
    }
    img->w = width_px;
    img->h = h;
    img->stride = stride;
    img->data = px;
    return 0;
}
