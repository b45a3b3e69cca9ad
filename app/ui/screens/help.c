/* help.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void help_draw(struct kit *k)
{
    (void)k;
}
