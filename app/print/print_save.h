/* print_save.h - delivering a certificate PDF into a folder.
 *
 * Demo and training kiosks (and kiosks without an A4 printer) put the PDF
 * into the configured output folder instead of a CUPS queue. The write is
 * atomic: a hidden temporary file in the same folder, fsync, rename, so a
 * reader (a staff share, the e2e test) never sees half a PDF. The folder
 * is the only place a certificate is ever written by the kiosk; it holds
 * masked data only, still it is written only where configured.
 * Any thread (the print worker in the kiosk).
 */
#ifndef PRINT_PRINT_SAVE_H
#define PRINT_PRINT_SAVE_H

#include <stddef.h>

/* Writes len bytes of data as dir/name, replacing a file of that name.
 * name is a plain file name: no '/', not starting with '.', at most 128
 * bytes. All pointers borrowed. On success path (path_size bytes, may be
 * NULL) receives "dir/name".
 * Returns 0; ERR_INVALID (bad name or arguments); ERR_NOTFOUND (dir does
 * not exist); ERR_TOOBIG (path longer than path_size or PATH_MAX); ERR_IO
 * (any write, sync or rename failure; the temporary file is removed). */
int print_save(const char *dir, const void *data, size_t len, const char *name, char *path,
               size_t path_size);

#endif
