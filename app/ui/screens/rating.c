/* rating.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void rating_draw(struct kit *k)
{
    (void)k;
}
