/* goodbye.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void goodbye_draw(struct kit *k)
{
    (void)k;
}
