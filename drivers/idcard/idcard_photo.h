/* idcard_photo.h - the card photo: WLT in, BMP out through a vendor library.
 *
 * The 1024-byte chip photo is in the proprietary WLT format; only closed
 * vendor libraries decode it (libwlt.so and kin; shared hardware notes
 * A9), into a 102 x 126 24-bit bitmap (a 38 862-byte BMP). The kiosk never
 * needs the photo to serve a citizen, so the decoder is optional: loaded
 * with dlopen from a configured path, and without one the read still
 * succeeds and the photo is reported as unavailable.
 *
 * Vendor entry point (the common Linux SDK signature):
 *     int unpack(char *wlt, char *bmp, int save_file);   1 = decoded
 * called with save_file 0 so nothing is written to disk.
 *
 * A decoder is used from one thread at a time (vendor libraries are not
 * known to be thread-safe); open and close on the main thread.
 */
#ifndef IDCARD_IDCARD_PHOTO_H
#define IDCARD_IDCARD_PHOTO_H

#include <stddef.h>
#include <stdint.h>

#define IDCARD_PHOTO_WIDTH    102
#define IDCARD_PHOTO_HEIGHT   126
#define IDCARD_PHOTO_BMP_SIZE 38862 /* 54-byte header + 126 rows of 308 bytes */

struct idcard_photo_decoder;

/* Loads the vendor library at path (NULL or "" = none configured) and
 * finds its entry point. Returns NULL when there is no usable decoder;
 * *why (may be NULL) then says so for the log: "no photo decoder
 * configured", "cannot load ...", "no unpack() in ...". Main thread. */
struct idcard_photo_decoder *idcard_photo_open(const char *path, const char **why);

/* Unloads. NULL is a no-op. */
void idcard_photo_close(struct idcard_photo_decoder *d);

/* Decodes wlt (wlt_len bytes, borrowed; must be 1024) into bmp (cap
 * bytes, at least IDCARD_PHOTO_BMP_SIZE). Returns the BMP length,
 * ERR_UNSUPPORTED (d is NULL: photo unavailable), ERR_INVALID (no photo
 * or a short one), ERR_TOOBIG (cap too small), ERR_IO (the vendor
 * library refused it). The caller wipes bmp after use: it is a face. */
int idcard_photo_decode(struct idcard_photo_decoder *d, const uint8_t *wlt, size_t wlt_len,
                        uint8_t *bmp, size_t cap);

/* "decoder" or "unavailable": what the app and the CLI report. */
const char *idcard_photo_state(const struct idcard_photo_decoder *d);

#endif
