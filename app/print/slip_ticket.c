/* slip_ticket.c - a slip's journal payload: its ticket fields as
 * "key=value" lines, and back (pure); see slip_worker.h. */
#include "print/slip_worker.h"

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS(X)                                                                                  \
    X(office)                                                                                      \
    X(hall)                                                                                        \
    X(number)                                                                                      \
    X(service) X(windows) X(time_limit) X(appointment) X(follow_url) X(printed_at) X(terminal)

int slip_ticket_format(const struct slip_ticket *t, char *out, size_t size)
{
    struct buf b;
    buf_init(&b, size - 1);
    int rc = buf_printf(&b, "kind=%d\nahead=%d\nwait=%d\ndemo=%d\n", (int)t->kind, t->ahead,
                        t->wait_min, t->demo ? 1 : 0);
#define PUT(f)                                                                                     \
    if (!rc && strchr(t->f, '\n'))                                                                 \
        rc = ERR_INVALID;                                                                          \
    if (!rc)                                                                                       \
        rc = buf_printf(&b, #f "=%s\n", t->f);
    FIELDS(PUT)
#undef PUT
    for (int i = 0; !rc && i < t->material_count && i < SLIP_MATERIALS_MAX; i++)
        rc = strchr(t->materials[i], '\n') ? ERR_INVALID
                                           : buf_printf(&b, "material=%s\n", t->materials[i]);
    if (!rc) {
        memcpy(out, b.data, b.len);
        out[b.len] = '\0';
    }
    buf_fini(&b);
    return rc;
}

int slip_ticket_parse(const char *text, struct slip_ticket *t)
{
    memset(t, 0, sizeof *t);
    t->ahead = t->wait_min = -1;
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq) {
            size_t kl = (size_t)(eq - p);
            char v[512];
            size_t vl = n - kl - 1 < sizeof v - 1 ? n - kl - 1 : sizeof v - 1;
            memcpy(v, eq + 1, vl);
            v[vl] = '\0';
#define K(s) (kl == strlen(s) && memcmp(p, s, kl) == 0)
            if (K("kind"))
                t->kind = (enum slip_kind)atoi(v);
            else if (K("ahead"))
                t->ahead = atoi(v);
            else if (K("wait"))
                t->wait_min = atoi(v);
            else if (K("demo"))
                t->demo = atoi(v) != 0;
            else if (K("material") && t->material_count < SLIP_MATERIALS_MAX)
                str_copy(t->materials[t->material_count++], sizeof t->materials[0], v);
#define GET(f) else if (K(#f)) str_copy(t->f, sizeof t->f, v);
            FIELDS(GET)
#undef GET
#undef K
        }
        p += n + (e ? 1 : 0);
    }
    return t->number[0] && (unsigned)t->kind < SLIP_KIND_COUNT ? 0 : ERR_INVALID;
}
