/* buf.h - a growable byte buffer with a hard maximum.
 *
 * Anything sized by outside input (a device frame stream, an HTTP body, a
 * PDF being composed) goes through a buf whose max is set by the owner, so
 * a hostile or broken peer cannot make the kiosk allocate without bound.
 * buf_fini and buf_reset wipe the bytes: personal data may pass through.
 * Not thread-safe: a buf belongs to one thread at a time.
 */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
    uint8_t *data; /* owned; NULL until the first append */
    size_t len;    /* bytes in use */
    size_t cap;    /* bytes allocated */
    size_t max;    /* hard limit on len */
};

/* Initialises an empty buffer that will never hold more than max bytes. */
void buf_init(struct buf *b, size_t max);

/* Wipes and frees the storage. The buf may be reused after buf_init. */
void buf_fini(struct buf *b);

/* Appends n bytes from p. Returns 0, ERR_TOOBIG past max, ERR_NOMEM. */
int buf_append(struct buf *b, const void *p, size_t n);

/* Appends a NUL-terminated string (without the NUL). */
int buf_append_str(struct buf *b, const char *s);

/* Appends printf-formatted text. Returns 0, ERR_TOOBIG, ERR_NOMEM. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Ensures data[len] == '\0' without counting it, so data can be read as a
 * C string. Returns 0, ERR_TOOBIG, ERR_NOMEM. */
int buf_terminate(struct buf *b);

/* Drops the first n bytes (stream parsers consume what they decoded). */
void buf_consume(struct buf *b, size_t n);

/* Wipes the content and sets len to 0, keeping the storage. */
void buf_reset(struct buf *b);

#endif
