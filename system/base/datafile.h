/* datafile.h - the data files of the kiosk and its registry (the demo
 * population, the hall's services, the holiday calendar), found the same
 * way, and inih's result said the same way.
 *
 * A file lives in the assets folder: $BDC_KIOSK_ASSETS when set (the
 * kiosk's --assets sets it too), else an installed program's
 * (../share/bdc-kiosk/assets or ../share/bdc-registry/assets beside the
 * program's folder, where the file is there), else the source tree's
 * folder compiled in. Pure but for the environment and the file system;
 * any thread.
 */
#ifndef BASE_DATAFILE_H
#define BASE_DATAFILE_H

#include <stddef.h>

/* The path of rel ("registry/calendar.ini") under $BDC_KIOSK_ASSETS or the
 * installed assets into buf, or fallback (the compiled-in path) when
 * neither has it. */
const char *datafile_path(char *buf, size_t size, const char *rel, const char *fallback);

/* For an inih handler that refuses a line: the first reason is kept in why
 * (later ones are dropped); returns 0, inih's "this line is an error". */
int datafile_bad(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ini_parse's result as an enum err, with why filled for a person: -1 the
 * file cannot be opened (errno), -2 out of memory, > 0 the first bad line
 * (line_why, or "not a key = value line"), 0 fine. */
int datafile_ini_result(int line, const char *line_why, char *why, size_t why_size);

/* inih reads a line into a fixed buffer and parses what does not fit as a
 * line of its own, so a long value would be cut and its tail read as a
 * setting. Files read with inih keep each line within this many bytes. */
#define DATAFILE_LINE_MAX 190

/* The number (from 1) of the first line of text longer than
 * DATAFILE_LINE_MAX bytes (its newline not counted), or 0. */
int datafile_long_line(const char *text);

#endif
