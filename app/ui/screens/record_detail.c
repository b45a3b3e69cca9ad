/* record_detail.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void record_detail_draw(struct kit *k)
{
    (void)k;
}
