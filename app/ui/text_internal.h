/* text_internal.h - what text.c (line breaking, drawing) and
 * text_cache.c (fonts, the texture and width caches) share. UI thread. */
#ifndef UI_TEXT_INTERNAL_H
#define UI_TEXT_INTERNAL_H

#include "ui/kit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct text_entry {
    uint64_t hash;
    char *str;
    int size;
    bool bold;
    SDL_Texture *tex;
    int w, h;
    size_t bytes;
    uint32_t used;
    bool visit; /* made while a visit ran: may show the citizen's name */
};

/* The width in design pixels of s[0..n) at size and weight (cached). */
int text_piece_width(struct kit *k, const char *s, size_t n, int size, bool bold);

/* How many pieces the font has measured (the width cache's misses): a
 * frame drawn again with the same texts measures none. */
unsigned long text_cache_measured(const struct kit *k);
/* The texture of s[0..n), rendered at the display's density (cached);
 * NULL when it cannot be made. */
struct text_entry *text_texture_for(struct kit *k, const char *s, size_t n, int size, bool bold);

#endif
