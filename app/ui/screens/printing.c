/* printing.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void printing_draw(struct kit *k)
{
    (void)k;
}
