/* insert_card.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void insert_card_draw(struct kit *k)
{
    (void)k;
}

int kit_demo_count(void)
{
    return 0;
}

bool kit_demo_label(int i, char *name, size_t nsize, char *note, size_t notesize)
{
    (void)i, (void)name, (void)nsize, (void)note, (void)notesize;
    return false;
}
