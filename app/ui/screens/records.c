/* records.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void records_draw(struct kit *k)
{
    (void)k;
}
