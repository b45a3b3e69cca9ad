/* xshot.c - the whole X screen as a person sees it, for the display test.
 *
 *   xshot OUT.png [X Y W H]
 *
 * Reads the root window of $DISPLAY (not the kiosk's own buffer: what a
 * window manager, a letterbox or a window off the screen leaves shows
 * too), writes it to OUT.png, and prints one line of JSON: the screen's
 * size, the share of black pixels on the whole screen and, given a
 * rectangle, the share outside and inside it. Black is every channel
 * below 8: the kiosk's palette has no such colour.
 */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 6) {
        fprintf(stderr, "usage: xshot OUT.png [X Y W H]\n");
        return 2;
    }
    Display *d = XOpenDisplay(NULL);
    if (!d) {
        fprintf(stderr, "xshot: cannot open the display\n");
        return 1;
    }
    Window root = DefaultRootWindow(d);
    XWindowAttributes at;
    XGetWindowAttributes(d, root, &at);
    int w = at.width, h = at.height;
    XImage *img = XGetImage(d, root, 0, 0, (unsigned)w, (unsigned)h, AllPlanes, ZPixmap);
    if (!img) {
        fprintf(stderr, "xshot: cannot read the screen\n");
        return 1;
    }
    int rx = 0, ry = 0, rw = 0, rh = 0;
    if (argc == 6) {
        rx = atoi(argv[2]), ry = atoi(argv[3]), rw = atoi(argv[4]), rh = atoi(argv[5]);
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    uint8_t *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    long black = 0, out_black = 0, out_n = 0, in_black = 0, in_n = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned long p = XGetPixel(img, x, y);
            unsigned r = (unsigned)((p & img->red_mask) >> 16),
                     g = (unsigned)((p & img->green_mask) >> 8), b = (unsigned)(p & img->blue_mask);
            ((uint32_t *)(data + (size_t)y * (size_t)stride))[x] =
                0xFF000000u | (r << 16) | (g << 8) | b;
            int dark = r < 8 && g < 8 && b < 8;
            black += dark;
            int inside = x >= rx && x < rx + rw && y >= ry && y < ry + rh;
            if (inside) {
                in_n++;
                in_black += dark;
            } else {
                out_n++;
                out_black += dark;
            }
        }
    cairo_surface_mark_dirty(s);
    int rc = cairo_surface_write_to_png(s, argv[1]) == CAIRO_STATUS_SUCCESS ? 0 : 1;
    printf("{\"w\":%d,\"h\":%d,\"black\":%.4f", w, h, (double)black / ((double)w * h));
    if (argc == 6)
        printf(",\"black_outside\":%.4f,\"black_inside\":%.4f",
               out_n ? (double)out_black / (double)out_n : 0.0,
               in_n ? (double)in_black / (double)in_n : 0.0);
    printf("}\n");
    cairo_surface_destroy(s);
    XDestroyImage(img);
    XCloseDisplay(d);
    return rc;
}
