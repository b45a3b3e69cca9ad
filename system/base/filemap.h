/* filemap.h - read-only files mapped once per process and shared by
 * whoever opens them (the font files: the UI's text and the certificate's
 * faces draw from one mapping of each).
 *
 * WHY: each mapping of a file counts the pages it has touched in the
 * process's resident memory, so two mappings of the same 19 MB font count
 * the pages both use twice; and the kernel maps 64 kB around every page
 * fault, so a few hundred glyphs touch megabytes. One mapping per file,
 * and filemap_release between visits, keep that to what is drawn. Any
 * thread; a lock guards the table. */
#ifndef BASE_FILEMAP_H
#define BASE_FILEMAP_H

#include <stddef.h>

/* Maps PATH read-only, or takes another reference to the mapping of the
 * same file (device and inode). 0 and *data, *len set; a negative enum err
 * otherwise (the file missing, empty, or too many files mapped). The
 * mapping stays valid until the last filemap_close of it. */
int filemap_open(const char *path, const void **data, size_t *len);

/* Drops one reference taken by filemap_open; the last unmaps. NULL: no-op. */
void filemap_close(const void *data);

/* Hands every mapping's touched pages back (MADV_DONTNEED): they leave the
 * process's resident memory and stay in the page cache, so the next read
 * of them is a minor fault, and their content is the file's as before.
 * Safe while other threads read the mappings. */
void filemap_release(void);

/* Mappings open now (tests). */
int filemap_count(void);

#endif
