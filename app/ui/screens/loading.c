/* loading.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void loading_draw(struct kit *k)
{
    (void)k;
}
