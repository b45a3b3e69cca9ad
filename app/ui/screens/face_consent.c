/* face_consent.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void face_consent_draw(struct kit *k)
{
    (void)k;
}
