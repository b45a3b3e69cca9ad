/* face_fixture.h - real photographs for the face tests and bench.
 *
 * The pictures come from Debian packages installed by the test setup
 * (python3-skimage's data folder: astronaut.png is a public-domain NASA
 * portrait; coffee.png, chelsea.png and others have no human face); they
 * are never copied into the repository. KIOSK_FACE_DATA overrides the
 * folder. Test thread only.
 */
#ifndef TESTS_FACE_FIXTURE_H
#define TESTS_FACE_FIXTURE_H

#include <stdint.h>

#define FIXTURE_W 640
#define FIXTURE_H 480

/* The folder holding the packaged photographs. */
const char *face_fixture_dir(void);

/* Loads a packaged image by file name into a new RGB24 buffer. 0 or ERR_*. */
int face_fixture_load(const char *name, uint8_t **rgb, int *w, int *h);

/* The astronaut portrait framed as a kiosk camera would see it: crop
 * (64, 0, 384, 288) scaled to 640x480, face about 130 px wide near the
 * centre, shifted by dx, dy frame pixels. rgb holds 640*480*3. */
int face_fixture_astronaut(uint8_t *rgb, int dx, int dy);

/* Effects on a 640x480 RGB frame. */
void face_fixture_darken(uint8_t *rgb, int percent);
void face_fixture_blur(uint8_t *rgb, int radius);
void face_fixture_gray(const uint8_t *rgb, uint8_t *gray);

#endif
