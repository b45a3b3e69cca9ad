/* cert_preview.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void cert_preview_draw(struct kit *k)
{
    (void)k;
}
