/* settings_file.h - the staff's settings on disk: an INI overlay
 * (<output_dir>/settings.ini, or [staff] settings) read at start-up over
 * the config file's values, and written whole when staff change one.
 *
 * DESIGN: the text is core/settings.h's (settings_format, settings_parse),
 * the file is store/hall_cache's (PATH.tmp, fsync, rename, fsync the
 * folder): a reader sees the old settings or the new, never a half, and a
 * failed write leaves the old file. A damaged file is refused whole, so a
 * half-edited file never puts some values in force and not others.
 * Blocks on the disk for a few milliseconds: start-up, or a staff member's
 * tap in maintenance mode, never a citizen's visit.
 */
#ifndef STORE_SETTINGS_FILE_H
#define STORE_SETTINGS_FILE_H

#include "core/settings.h"

#include <stddef.h>

/* The largest overlay read (it is a few hundred bytes). */
#define SETTINGS_FILE_MAX 4096

/* Reads the overlay at path over s. Returns 0; ERR_NOTFOUND (no file yet:
 * s unchanged, nothing to say); ERR_CORRUPT (unreadable, too large, or a
 * bad line: s unchanged, why says what for the one log line); or ERR_IO. */
int settings_file_load(const char *path, struct settings *s, char *why, size_t why_size);

/* Writes s (checked first: ERR_INVALID) to path atomically. Returns 0 or
 * hall_cache_set's error; on an error the old file is untouched. */
int settings_file_save(const char *path, const struct settings *s);

#endif
