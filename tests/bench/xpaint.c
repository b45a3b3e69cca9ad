/* xpaint.c - when the X screen first showed what it settles on, for the
 * side-by-side start-up bench (side_by_side.sh).
 *
 *   xpaint T0_NS WATCH_MS
 *
 * Started just before a program is exec'd at wall time T0_NS (ns since the
 * epoch), it reads the X root window of $DISPLAY every millisecond or so
 * for WATCH_MS: 17 rows of the screen, every 8th pixel of each. It keeps
 * the time of each sample that differs from the one before. At the end the
 * last sample is what the program settled on (its first screen); the first
 * frame is the first sample in which at least 95 % of the pixels already
 * equal the last one (a clock or an animation may still change the rest).
 * Prints "first_paint_ms N" (from T0_NS), or "first_paint_ms nan" when the
 * screen never changed. The same method for every program measured: it
 * sees what the X server shows, not what a program says it drew.
 */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS        17
#define STEP        8
#define MAX_SAMPLES 4096

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* One sample: every STEP-th pixel of ROWS rows spread over the screen. */
static int sample(Display *d, Window root, int w, int h, uint32_t *out)
{
    int n = 0;
    for (int r = 0; r < ROWS; r++) {
        int y = (h - 1) * (2 * r + 1) / (2 * ROWS);
        XImage *img = XGetImage(d, root, 0, y, (unsigned)w, 1, AllPlanes, ZPixmap);
        if (!img)
            return -1;
        for (int x = 0; x < w; x += STEP)
            out[n++] = (uint32_t)XGetPixel(img, x, 0) & 0xffffffu;
        XDestroyImage(img);
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: xpaint T0_NS WATCH_MS\n");
        return 2;
    }
    long long t0 = atoll(argv[1]);
    long long until = now_ns() + atoll(argv[2]) * 1000000LL;
    Display *d = XOpenDisplay(NULL);
    if (!d) {
        fprintf(stderr, "xpaint: cannot open the display\n");
        return 1;
    }
    Window root = DefaultRootWindow(d);
    XWindowAttributes at;
    XGetWindowAttributes(d, root, &at);
    int per = ROWS * ((at.width + STEP - 1) / STEP);
    uint32_t *px = calloc((size_t)MAX_SAMPLES * (size_t)per, sizeof *px);
    long long *when = calloc(MAX_SAMPLES, sizeof *when);
    uint32_t *cur = malloc((size_t)per * sizeof *cur);
    if (!px || !when || !cur) {
        free(px);
        free(when);
        free(cur);
        return 1;
    }
    int count = 0;
    while (now_ns() < until) {
        long long t = now_ns();
        if (sample(d, root, at.width, at.height, cur) != per)
            break;
        if (count == 0 ||
            memcmp(cur, px + (size_t)(count - 1) * (size_t)per, (size_t)per * sizeof *cur) != 0) {
            if (count == MAX_SAMPLES)
                break;
            memcpy(px + (size_t)count * (size_t)per, cur, (size_t)per * sizeof *cur);
            when[count++] = t;
        }
        struct timespec pause = {0, 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    XCloseDisplay(d);
    if (count < 2)
        printf("first_paint_ms nan\n");
    const uint32_t *last = px + (size_t)(count > 0 ? count - 1 : 0) * (size_t)per;
    for (int i = 1; i < count; i++) {
        const uint32_t *s = px + (size_t)i * (size_t)per;
        int same = 0;
        for (int k = 0; k < per; k++)
            same += s[k] == last[k];
        if (same * 100 >= per * 95) {
            printf("first_paint_ms %.1f\n", (double)(when[i] - t0) / 1e6);
            break;
        }
    }
    free(cur);
    free(px);
    free(when);
    return 0;
}
