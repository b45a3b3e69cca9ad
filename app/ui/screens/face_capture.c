/* face_capture.c - placeholder. UI thread. */
#include "ui/screens/screens.h"

void face_capture_draw(struct kit *k)
{
    (void)k;
}
