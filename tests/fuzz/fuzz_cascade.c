/* fuzz_cascade.c - the cascade XML parser on arbitrary bytes: a cascade
 * file is outside input (a configured path). Any input must give 0 or an
 * ERR_* without reading out of bounds; a parsed cascade must then scan a
 * small image safely, and every way of scanning it (plain C, vectors,
 * AVX2 where the CPU has it) must find the same windows. */
#include "face/cascade.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cascade *c = NULL;
    if (cascade_parse((const char *)data, size, &c) != 0)
        return 0;
    static uint8_t img[64 * 48];
    /* Texture with flat patches: Haar cascades reject flat windows
     * before stage 0, which must not make the scan skip the next one. */
    for (size_t i = 0; i < sizeof img; i++)
        img[i] = (i % 64 / 24 + i / 64 / 16) % 3 ? (uint8_t)(i * 37 + (i >> 6) * 11) : 128;
    struct cascade_detector *d = cascade_detector_create(64, 48);
    struct cascade_params p = {.scale_factor = 1.25, .min_neighbours = 0};
    struct cascade_rect r[3][16];
    int n[3] = {0};
    for (int way = CASCADE_SIMD_NONE; d && way <= CASCADE_SIMD_AVX2; way++) {
        if (cascade_detector_set_simd(d, (enum cascade_simd_kind)way) != way)
            break;
        n[way] = cascade_detect(d, c, img, 64, 48, 64, &p, r[way], 16);
        int k = n[way] < 16 ? n[way] : 16;
        if (n[way] != n[0] || (k > 0 && memcmp(r[way], r[0], (size_t)k * sizeof r[0][0]) != 0))
            abort(); /* the ways disagree */
    }
    p.min_neighbours = 1;
    if (d)
        cascade_detect(d, c, img, 64, 48, 64, &p, r[0], 4);
    cascade_detector_destroy(d);
    cascade_free(c);
    return 0;
}
