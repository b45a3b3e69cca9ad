/* datafile.c - data files: where they are, and what inih said; see
 * datafile.h. */
#include "datafile.h"

#include "err.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The packages' share folders, as cmake/packaging.cmake installs them. */
static const char *const packages[] = {"bdc-kiosk", "bdc-registry"};

/* An installed program (/usr/bin/bdc-kiosk) finds its files in the share
 * folder beside its bin folder (/usr/share/bdc-kiosk/assets/rel), wherever
 * the package put both. A program in a build tree has none there. */
static bool installed_path(char *buf, size_t size, const char *rel)
{
    char bin[PATH_MAX];
    if (!exe_dir(bin, sizeof bin))
        return false;
    for (size_t i = 0; i < sizeof packages / sizeof packages[0]; i++) {
        int len = snprintf(buf, size, "%s/../share/%s/assets/%s", bin, packages[i], rel);
        if (len > 0 && (size_t)len < size && access(buf, R_OK) == 0)
            return true;
    }
    return false;
}

const char *datafile_path(char *buf, size_t size, const char *rel, const char *fallback)
{
    const char *assets = getenv("BDC_KIOSK_ASSETS");
    if (assets && assets[0]) {
        snprintf(buf, size, "%s/%s", assets, rel);
        return buf;
    }
    if (installed_path(buf, size, rel))
        return buf;
    return fallback;
}

int datafile_ini_result(int line, const char *line_why, char *why, size_t why_size)
{
    if (line == -1) {
        snprintf(why, why_size, "cannot open it: %s", strerror(errno));
        return ERR_IO;
    }
    if (line == -2) {
        snprintf(why, why_size, "out of memory");
        return ERR_NOMEM;
    }
    if (line > 0) {
        snprintf(why, why_size, "line %d: %s", line,
                 line_why && line_why[0] ? line_why : "not a key = value line");
        return ERR_INVALID;
    }
    return 0;
}

int datafile_bad(char *why, size_t size, const char *fmt, ...)
{
    if (!why[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, size, fmt, ap);
        va_end(ap);
    }
    return 0;
}

int datafile_long_line(const char *text)
{
    int line = 1;
    size_t len = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            line++;
            len = 0;
        } else if (*p != '\r' && ++len > DATAFILE_LINE_MAX) {
            return line;
        }
    }
    return 0;
}
