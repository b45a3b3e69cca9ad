/* geometry.h - from the screen the kiosk really has to the canvas its
 * screens are laid out on, and what one design pixel measures.
 *
 * DESIGN: the screens are designed in "design pixels" on the reference
 * panel of TOKENS.md §1 (21.5 in, 1920x1080, 0.248 mm a pixel), portrait
 * 1080x1920 or landscape 1920x1080. A real screen has another size, shape
 * and density. The canvas keeps the reference's short and long sides as
 * a minimum and grows in one direction to take the real screen's shape,
 * so nothing is cut and nothing is letterboxed; the renderer scales the
 * canvas to the real pixels (text and masks are drawn at the real
 * density, so they stay crisp). When the configuration gives the
 * screen's diagonal, one design pixel is made 0.248 mm on it as on the
 * reference panel: a larger screen gets a larger canvas (the same sizes
 * in millimetres, more room), a screen too small for that falls back to
 * fitting the reference canvas, and says by how much in mm_per_px. A
 * layout forced against the screen's shape (portrait on a wide screen)
 * keeps the reference canvas, letterboxed.
 * Pure arithmetic, no SDL; any thread.
 */
#ifndef UI_GEOMETRY_H
#define UI_GEOMETRY_H

#include <stdbool.h>

/* The reference panel (TOKENS.md §1). */
#define GEOMETRY_REF_SHORT 1080
#define GEOMETRY_REF_LONG  1920
#define GEOMETRY_MM_PER_PX 0.248 /* one design pixel on the reference panel */
/* One dp at the kiosk's reading distance (55 cm): a phone's 1/160 in at
 * 30 cm seen at 55 cm (TOKENS.md §1). */
#define GEOMETRY_MM_PER_DP 0.29
/* The least a touch target may measure, whatever the mode (EN 301 549
 * and the elder rules: 9 mm), and elder mode's 60 dp. */
#define GEOMETRY_TARGET_MIN_MM   9.0
#define GEOMETRY_ELDER_TARGET_DP 60.0
#define GEOMETRY_TEXT_MIN_DP     18.0 /* the least any text may be */
#define GEOMETRY_ELDER_TEXT_DP   30.0 /* elder mode's main text */

enum geometry_orientation { ORIENT_AUTO = 0, ORIENT_PORTRAIT, ORIENT_LANDSCAPE };

struct geometry {
    int px_w, px_h;   /* the renderer's output: real pixels */
    int w, h;         /* the canvas, in design pixels */
    double scale;     /* real pixels per design pixel */
    bool landscape;   /* the layout: auto follows the output's shape */
    bool physical;    /* the diagonal is known: mm_per_px is measured */
    double mm_per_px; /* one design pixel on this screen (the reference's if unknown) */
};

/* Fills g for an output of px_w x px_h real pixels (both > 0). diag_in
 * is the screen's diagonal in inches, 0 when unknown. */
void geometry_fit(struct geometry *g, int px_w, int px_h, enum geometry_orientation o,
                  double diag_in);

/* What d design pixels measure on this screen, in mm and in dp. */
double geometry_mm(const struct geometry *g, double d);
double geometry_dp(const struct geometry *g, double d);

#endif
