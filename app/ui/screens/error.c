/* error.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void error_draw(struct kit *k)
{
    (void)k;
}
