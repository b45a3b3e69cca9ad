/* cert_purpose.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void cert_purpose_draw(struct kit *k)
{
    (void)k;
}
