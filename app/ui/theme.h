/* theme.h - every design token of the kiosk in one place (TOKENS.md).
 *
 * Colours of the normal and the high-contrast theme, the type scale for
 * normal and elder mode, spacing, radii and touch sizes. Screens never
 * write a hex value or a pixel size of their own; they ask the theme.
 * Pure data, UI thread.
 */
#ifndef UI_THEME_H
#define UI_THEME_H

#include <stdbool.h>
#include <stdint.h>

/* Colours are 0xRRGGBB. */
struct theme_colors {
    uint32_t canvas, surface, subtle, line, line_strong, edge;
    uint32_t ink, ink2, ink3;
    uint32_t primary, primary_press, primary_edge, on_primary, tint, link;
    uint32_t navy, on_navy, on_navy2;
    uint32_t focus, focus_outer;
    uint32_t ok_fg, ok_bg, ok_line;
    uint32_t warn_fg, warn_bg, warn_line;
    uint32_t bad_fg, bad_bg, bad_line;
    uint32_t vio_fg, vio_bg, vio_line;
    uint32_t idle_fg, idle_bg, idle_line;
    uint32_t dis_fg, dis_bg;
    uint32_t hero_desc; /* description text inside the hero tile */
    uint32_t camera_bg;
    /* on the navy header band: alarm text, the "connected" dot, a pressed
     * pill, the switch's track when off */
    uint32_t navy_bad, navy_ok, navy_press, navy_track;
};

enum theme_text {
    TEXT_DISPLAY = 0,
    TEXT_TITLE1,
    TEXT_TITLE2,
    TEXT_TITLE3,
    TEXT_LEAD,
    TEXT_BODY,
    TEXT_LABEL,
    TEXT_CAPTION,
    TEXT_BUTTON,
    TEXT_BUTTON_PRIMARY,
    TEXT_HERO,
    TEXT_CLOCK,
    TEXT_ROLE_COUNT
};

struct theme_type {
    int size; /* px */
    int line; /* line height, px */
    bool bold;
};

struct theme {
    bool contrast;
    bool elder;
    struct theme_colors c;
    struct theme_type type[TEXT_ROLE_COUNT];
    int border;          /* 2, HC 3 */
    int border_selected; /* 3, HC 5 */
    bool edges;          /* offset edges under shapes (not in HC) */
    /* touch sizes */
    int btn_h;      /* standard button / footer button */
    int primary_h;  /* primary button */
    int target_min; /* smallest target side */
    int option_h, row_h, tile_h;
    /* chrome */
    int header_a_h, header_b_h, footer_h, land_header_h, land_footer_h, idle_h;
};

/* Spacing scale (§4). */
enum {
    SP_4 = 4,
    SP_8 = 8,
    SP_12 = 12,
    SP_16 = 16,
    SP_24 = 24,
    SP_32 = 32,
    SP_40 = 40,
    SP_48 = 48,
    SP_64 = 64,
    SP_96 = 96
};
/* Radii (§5). */
enum { RADIUS_S = 8, RADIUS_M = 16, RADIUS_L = 24 };
/* Page margins. */
enum { MARGIN = 64 };

/* Fills t for the given mode. */
void theme_init(struct theme *t, bool contrast, bool elder);

#endif
