/* demo_staff.c - the hall's demo staff: the people who may open a kiosk's
 * maintenance mode with their own resident ID card (and a PIN the kiosk
 * asks for). A fixed table, not drawn: their numbers are valid GB 11643
 * numbers that no demo citizen and no owner in the register holds (the
 * demo test checks that), so a staff card never opens a citizen's visit
 * by accident. Pure, any thread.
 */
#include "demo/demo.h"

#include "base/util.h"

#include <string.h>

static const struct demo_staff staff[] = {
    {"0312", "李建华", "410802197804120310", "maintenance"},
    {"0420", "王芳", "41081119850923042X", "maintenance"},
};

int demo_staff_count(void)
{
    return (int)ARRAY_LEN(staff);
}

bool demo_staff_get(int i, struct demo_staff *out)
{
    if (i < 0 || i >= demo_staff_count())
        return false;
    *out = staff[i];
    return true;
}

int demo_staff_find(const char *id_number)
{
    for (int i = 0; id_number && i < demo_staff_count(); i++)
        if (strcmp(staff[i].id_number, id_number) == 0)
            return i;
    return -1;
}
