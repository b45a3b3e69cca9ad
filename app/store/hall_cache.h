/* hall_cache.h - a small file the kiosk keeps whole or not at all: the
 * hall's guide as the registry last sent it, so a kiosk that restarts
 * while the registry is away still shows it.
 *
 * DESIGN: the bytes go to PATH.tmp beside the file, are fsynced, renamed
 * over PATH and the folder is fsynced: a reader sees the old file or the
 * new one, never a half. A failed write removes PATH.tmp and leaves PATH
 * as it was. Reading is bounded: a file over the limit is refused, not
 * cut. Nothing here is personal data. Blocks on the disk: any thread but
 * the UI's.
 */
#ifndef STORE_HALL_CACHE_H
#define STORE_HALL_CACHE_H

#include <stddef.h>

/* The largest file hall_cache_get reads (the guide is a few KiB). */
#define HALL_CACHE_MAX (256 * 1024)

/* Replaces the file at path with len bytes of data (borrowed), atomically.
 * Returns 0, ERR_INVALID (no path, or data NULL with len), ERR_TOOBIG (the
 * path is too long), ERR_FULL (the disk or a size limit is full) or ERR_IO
 * (the folder is missing or not writable); on an error the old file is
 * untouched. Logs nothing: the caller says what it failed to keep. */
int hall_cache_set(const char *path, const void *data, size_t len);

/* Reads the file at path whole into *out (returned owned, free() it; a NUL
 * follows the len bytes, so text can be read as a string). Returns 0,
 * ERR_NOTFOUND (no such file), ERR_TOOBIG (larger than max), ERR_IO or
 * ERR_NOMEM; *out is NULL and *len 0 on any error. */
int hall_cache_get(const char *path, size_t max, char **out, size_t *len);

#endif
