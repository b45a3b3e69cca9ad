/* transport.c - helpers shared by every transport (the seam itself is
 * header-only). Runs on the driver thread that owns the transport. */
#include "transport.h"

#include "base/util.h"

void transport_describe(struct transport *t, char *out, size_t size)
{
    if (!out || size == 0)
        return;
    out[0] = '\0';
    if (!t || !t->ops)
        return;
    if (t->ops->describe)
        t->ops->describe(t, out, size);
    else
        str_copy(out, size, t->ops->name);
}
