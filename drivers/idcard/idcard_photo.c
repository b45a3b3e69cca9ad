/* idcard_photo.c - optional WLT photo decoding through a dlopen()ed vendor
 * library. Runs on whichever thread asks (one at a time); see the header.
 *
 * The vendor code is a closed binary: it gets copies of the 1024 input
 * bytes and a private output buffer of the documented size with slack, so
 * an overrun inside it cannot reach the caller's memory layout, and both
 * are wiped after the call.
 */
#include "idcard_photo.h"

#include "base/err.h"
#include "drivers/idcard/idcard.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*wlt_unpack_fn)(char *wlt, char *bmp, int save_file);

struct idcard_photo_decoder {
    void *lib;
    wlt_unpack_fn unpack;
    uint8_t in[IDCARD_PHOTO_MAX];
    uint8_t out[IDCARD_PHOTO_BMP_SIZE + 4096];
};

struct idcard_photo_decoder *idcard_photo_open(const char *path, const char **why)
{
    static char reason[256];
    if (why)
        *why = "no photo decoder configured";
    if (!path || !path[0])
        return NULL;
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(reason, sizeof reason, "cannot load photo decoder %s", path);
        if (why)
            *why = reason;
        return NULL;
    }
    void *sym = dlsym(lib, "unpack");
    if (!sym) {
        snprintf(reason, sizeof reason, "no unpack() in %s", path);
        if (why)
            *why = reason;
        dlclose(lib);
        return NULL;
    }
    struct idcard_photo_decoder *d = calloc(1, sizeof *d);
    if (!d) {
        dlclose(lib);
        if (why)
            *why = "out of memory";
        return NULL;
    }
    d->lib = lib;
    /* POSIX guarantees data and function pointers convert through dlsym. */
    memcpy(&d->unpack, &sym, sizeof d->unpack);
    if (why)
        *why = "photo decoder loaded";
    return d;
}

void idcard_photo_close(struct idcard_photo_decoder *d)
{
    if (!d)
        return;
    dlclose(d->lib);
    explicit_bzero(d, sizeof *d);
    free(d);
}

int idcard_photo_decode(struct idcard_photo_decoder *d, const uint8_t *wlt, size_t wlt_len,
                        uint8_t *bmp, size_t cap)
{
    if (!d)
        return ERR_UNSUPPORTED;
    if (!wlt || wlt_len != IDCARD_PHOTO_MAX)
        return ERR_INVALID;
    if (!bmp || cap < IDCARD_PHOTO_BMP_SIZE)
        return ERR_TOOBIG;
    memcpy(d->in, wlt, wlt_len);
    memset(d->out, 0, sizeof d->out);
    int ok = d->unpack((char *)d->in, (char *)d->out, 0);
    int rc = ERR_IO;
    /* A BMP starts "BM"; some builds return the raw pixels only. */
    if (ok == 1) {
        memcpy(bmp, d->out, IDCARD_PHOTO_BMP_SIZE);
        rc = IDCARD_PHOTO_BMP_SIZE;
    }
    explicit_bzero(d->in, sizeof d->in);
    explicit_bzero(d->out, sizeof d->out);
    return rc;
}

const char *idcard_photo_state(const struct idcard_photo_decoder *d)
{
    return d ? "decoder" : "unavailable";
}
