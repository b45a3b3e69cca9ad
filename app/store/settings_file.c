/* settings_file.c - the staff's settings overlay on disk; see
 * settings_file.h. Start-up's thread, then the UI thread on a staff tap.
 */
#include "store/settings_file.h"

#include "base/err.h"
#include "store/hall_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int settings_file_load(const char *path, struct settings *s, char *why, size_t why_size)
{
    char *text = NULL;
    size_t len = 0;
    if (why && why_size)
        why[0] = '\0';
    int rc = hall_cache_get(path, SETTINGS_FILE_MAX, &text, &len);
    if (rc == ERR_NOTFOUND)
        return rc;
    if (rc) {
        if (why && why_size)
            snprintf(why, why_size, "%s", rc == ERR_TOOBIG ? "larger than 4 KiB" : err_str(rc));
        return rc == ERR_TOOBIG ? ERR_CORRUPT : rc;
    }
    if (strlen(text) != len) {
        if (why && why_size)
            snprintf(why, why_size, "a NUL byte in the text");
        rc = ERR_CORRUPT;
    } else if (settings_parse(s, text, why, why_size) != 0) {
        rc = ERR_CORRUPT;
    }
    free(text);
    return rc;
}

int settings_file_save(const char *path, const struct settings *s)
{
    char text[SETTINGS_FILE_MAX];
    if (settings_check(s) != 0)
        return ERR_INVALID;
    int n = settings_format(s, text, sizeof text);
    if (n < 0)
        return n;
    return hall_cache_set(path, text, (size_t)n);
}
