/* theme.c - the token tables of TOKENS.md §2-§6 and §11. Pure data. */
#include "ui/theme.h"

#include <string.h>

static const struct theme_colors normal = {
    .canvas = 0xF2F4F7,
    .surface = 0xFFFFFF,
    .subtle = 0xE8EDF3,
    .line = 0xCBD3DD,
    .line_strong = 0x6E7D8F,
    .edge = 0xB9C3CF,
    .ink = 0x17202B,
    .ink2 = 0x44505F,
    .ink3 = 0x566273,
    .primary = 0x0B4F96,
    .primary_press = 0x083D75,
    .primary_edge = 0x062B55,
    .on_primary = 0xFFFFFF,
    .tint = 0xE2ECF8,
    .link = 0x0B4F96,
    .navy = 0x0B2E55,
    .on_navy = 0xFFFFFF,
    .on_navy2 = 0xC3D3E8,
    .focus = 0xFFC21A,
    .focus_outer = 0x17202B,
    .ok_fg = 0x146C3A,
    .ok_bg = 0xE3F3E9,
    .ok_line = 0x7CC19A,
    .warn_fg = 0x8A4500,
    .warn_bg = 0xFFF0D6,
    .warn_line = 0xE7A23B,
    .bad_fg = 0xA8201A,
    .bad_bg = 0xFDE9E7,
    .bad_line = 0xE58A83,
    .vio_fg = 0x5A2EA6,
    .vio_bg = 0xEFE8FC,
    .vio_line = 0xAE93E3,
    .idle_fg = 0x5C3D00,
    .idle_bg = 0xFFF4CC,
    .idle_line = 0xE0A800,
    .dis_fg = 0x5D6673,
    .dis_bg = 0xE4E8ED,
    .hero_desc = 0xD6E4F5,
    .camera_bg = 0x373E4A,
    .navy_bad = 0xFF9B94,
    .navy_ok = 0x3DCB6C,
    .navy_press = 0x163D6B,
    .navy_track = 0x8FA6C2,
};

/* §2.2: every surface black, text white, yellow primary, outlined chips. */
static const struct theme_colors contrast = {
    .canvas = 0x000000,
    .surface = 0x000000,
    .subtle = 0x000000,
    .line = 0xFFFFFF,
    .line_strong = 0xFFFFFF,
    .edge = 0x000000,
    .ink = 0xFFFFFF,
    .ink2 = 0xFFFFFF,
    .ink3 = 0xD9D9D9,
    .primary = 0xFFE03D,
    .primary_press = 0xE6C82E,
    .primary_edge = 0x000000,
    .on_primary = 0x000000,
    .tint = 0x000000,
    .link = 0xFFE03D,
    .navy = 0x000000,
    .on_navy = 0xFFFFFF,
    .on_navy2 = 0xD9D9D9,
    .focus = 0x00E0FF,
    .focus_outer = 0xFFFFFF,
    .ok_fg = 0x86E5A8,
    .ok_bg = 0x000000,
    .ok_line = 0x86E5A8,
    .warn_fg = 0xFFC15E,
    .warn_bg = 0x000000,
    .warn_line = 0xFFC15E,
    .bad_fg = 0xFF9B94,
    .bad_bg = 0x000000,
    .bad_line = 0xFF9B94,
    .vio_fg = 0xD4B5FF,
    .vio_bg = 0x000000,
    .vio_line = 0xD4B5FF,
    .idle_fg = 0x000000,
    .idle_bg = 0xFFE03D,
    .idle_line = 0xFFFFFF,
    .dis_fg = 0xD9D9D9,
    .dis_bg = 0x000000,
    .hero_desc = 0x000000, /* on the yellow hero tile, like on_primary */
    .camera_bg = 0x1A1A1A,
    .navy_bad = 0xFF9B94,
    .navy_ok = 0x3DCB6C,
    .navy_press = 0x000000,
    .navy_track = 0xFFFFFF,
};

/* §3.1: size / line / bold, normal then elder. */
static const struct theme_type type_normal[TEXT_ROLE_COUNT] = {
    [TEXT_DISPLAY] = {64, 80, true}, [TEXT_TITLE1] = {48, 64, true},
    [TEXT_TITLE2] = {40, 56, true},  [TEXT_TITLE3] = {34, 48, true},
    [TEXT_LEAD] = {32, 48, false},   [TEXT_BODY] = {28, 44, false},
    [TEXT_LABEL] = {26, 36, false},  [TEXT_CAPTION] = {24, 34, false},
    [TEXT_BUTTON] = {34, 44, true},  [TEXT_BUTTON_PRIMARY] = {38, 48, true},
    [TEXT_HERO] = {56, 72, true},    [TEXT_CLOCK] = {48, 56, true},
};
static const struct theme_type type_elder[TEXT_ROLE_COUNT] = {
    [TEXT_DISPLAY] = {80, 96, true}, [TEXT_TITLE1] = {60, 78, true},
    [TEXT_TITLE2] = {52, 68, true},  [TEXT_TITLE3] = {44, 60, true},
    [TEXT_LEAD] = {44, 64, false},   [TEXT_BODY] = {40, 60, false},
    [TEXT_LABEL] = {36, 52, false},  [TEXT_CAPTION] = {32, 48, false},
    [TEXT_BUTTON] = {44, 56, true},  [TEXT_BUTTON_PRIMARY] = {48, 60, true},
    [TEXT_HERO] = {52, 68, true},    [TEXT_CLOCK] = {48, 56, true},
};

void theme_init(struct theme *t, bool hc, bool elder)
{
    memset(t, 0, sizeof *t);
    t->contrast = hc;
    t->elder = elder;
    t->c = hc ? contrast : normal;
    memcpy(t->type, elder ? type_elder : type_normal, sizeof t->type);
    t->border = hc ? 3 : 2;
    t->border_selected = hc ? 5 : 3;
    t->edges = !hc;
    t->btn_h = elder ? 120 : 96;
    t->primary_h = elder ? 136 : 112;
    t->target_min = 72;
    t->option_h = elder ? 136 : 104;
    t->row_h = 148;
    t->tile_h = elder ? 136 : 128;
    t->header_a_h = elder ? 120 : 112;
    t->header_b_h = elder ? 120 : 104;
    t->footer_h = elder ? 168 : 144;
    t->land_header_h = 112;
    t->land_footer_h = 128;
    t->idle_h = 168;
}
