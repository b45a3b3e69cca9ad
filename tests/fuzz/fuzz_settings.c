/* fuzz_settings.c - the staff's settings overlay (a file on the kiosk's
 * disk anyone with the disk could edit) meets arbitrary bytes. */
#include "core/settings.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct settings s;
    settings_defaults(&s);
    char why[160];
    int rc = settings_parse(&s, text, why, sizeof why);
    /* Taken or not, the settings keep every rule, and what is written
     * reads back the same. */
    if (settings_check(&s) != 0 || !memchr(why, '\0', sizeof why))
        abort();
    if (rc == 0) {
        char out[4096];
        int n = settings_format(&s, out, sizeof out);
        struct settings back;
        settings_defaults(&back);
        if (n < 0 || settings_parse(&back, out, NULL, 0) != 0 || !settings_equal(&back, &s))
            abort();
    }
    free(text);
    return 0;
}
