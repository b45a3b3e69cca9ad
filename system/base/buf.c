/* buf.c - bounded byte buffer; see buf.h. */
#include "buf.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_fini(struct buf *b)
{
    if (b->data) {
        explicit_bzero(b->data, b->cap);
        free(b->data);
    }
    b->data = NULL;
    b->len = b->cap = 0;
}

static int buf_reserve(struct buf *b, size_t need)
{
    if (need <= b->cap)
        return ERR_OK;
    if (need > b->max + 1) /* +1 leaves room for buf_terminate */
        return ERR_TOOBIG;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    /* Not realloc: the old block may hold personal data and must be wiped. */
    uint8_t *p = malloc(cap);
    if (!p)
        return ERR_NOMEM;
    if (b->data) {
        memcpy(p, b->data, b->len);
        explicit_bzero(b->data, b->cap);
        free(b->data);
    }
    b->data = p;
    b->cap = cap;
    return ERR_OK;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
    if (n > b->max || b->len > b->max - n)
        return ERR_TOOBIG;
    int rc = buf_reserve(b, b->len + n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return ERR_OK;
}

int buf_append_str(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    /* va_start is just above; clang 14's analyser loses it on this path. */
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ERR_INVALID;
    if ((size_t)n < sizeof small)
        return buf_append(b, small, (size_t)n);
    if ((size_t)n > b->max || b->len > b->max - (size_t)n)
        return ERR_TOOBIG;
    int rc = buf_reserve(b, b->len + (size_t)n + 1);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ERR_OK;
}

int buf_terminate(struct buf *b)
{
    int rc = buf_reserve(b, b->len + 1);
    if (rc)
        return rc;
    b->data[b->len] = '\0';
    return ERR_OK;
}

void buf_consume(struct buf *b, size_t n)
{
    if (n >= b->len) {
        buf_reset(b);
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    explicit_bzero(b->data + b->len - n, n);
    b->len -= n;
}

void buf_reset(struct buf *b)
{
    if (b->data)
        explicit_bzero(b->data, b->cap);
    b->len = 0;
}
