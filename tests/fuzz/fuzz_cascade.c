/* fuzz_cascade.c - the cascade XML parser on arbitrary bytes: a cascade
 * file is outside input (a configured path). Any input must give 0 or an
 * ERR_* without reading out of bounds; a parsed cascade must then scan a
 * small image safely. */
#include "face/cascade.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cascade *c = NULL;
    if (cascade_parse((const char *)data, size, &c) != 0)
        return 0;
    static uint8_t img[64 * 48];
    for (size_t i = 0; i < sizeof img; i++)
        img[i] = (uint8_t)(i * 37 + (i >> 6) * 11);
    struct cascade_detector *d = cascade_detector_create(64, 48);
    struct cascade_params p = {.scale_factor = 1.25, .min_neighbours = 1};
    struct cascade_rect r[4];
    if (d)
        cascade_detect(d, c, img, 64, 48, 64, &p, r, 4);
    cascade_detector_destroy(d);
    cascade_free(c);
    return 0;
}
