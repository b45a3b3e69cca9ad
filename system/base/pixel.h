/* pixel.h - sizes and offsets in images whose sides and coordinates are
 * ints (as SDL, cairo, V4L2 and libjpeg-turbo give them), as size_t for
 * indexing. Callers have checked that none is negative. Pure; any thread. */
#ifndef BASE_PIXEL_H
#define BASE_PIXEL_H

#include <stddef.h>

/* Number of pixels (or bytes, for one byte a pixel) in w x h. */
static inline size_t px_area(int w, int h)
{
    return (size_t)w * (size_t)h;
}

/* Offset of (x, y) in rows of `stride` elements. */
static inline size_t px_at(int x, int y, int stride)
{
    return (size_t)y * (size_t)stride + (size_t)x;
}

#endif
