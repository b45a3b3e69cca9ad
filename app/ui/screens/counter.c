/* counter.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void counter_draw(struct kit *k)
{
    (void)k;
}
