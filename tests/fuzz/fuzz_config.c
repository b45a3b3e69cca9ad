/* fuzz_config.c - the INI settings parser meets arbitrary files. */
#include "core/config.h"

#include "base/log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int quiet;
    if (!quiet) {
        log_set_level((enum log_level)(LOG_LEVEL_ERR - 1)); /* silence: it reports every bad line */
        quiet = 1;
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct config c;
    config_defaults(&c);
    config_parse(&c, text);
    /* Whatever the input, strings stay terminated and numbers in range. */
    if (!memchr(c.kiosk_id, '\0', sizeof c.kiosk_id) || c.idle_s < 10 || c.idle_s > 3600)
        abort();
    free(text);
    return 0;
}
