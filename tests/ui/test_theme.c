/* test_theme.c - the contrast of every colour pair the screens draw,
 * computed from the theme tables (theme_init) in every mode: normal and
 * high contrast, each in normal and elder mode.
 *
 * WCAG 2.x relative luminance and contrast ratio. Text needs 4.5:1, or
 * 3:1 when every use of the pair is large text (>= 24 px bold or 30 px
 * regular at elder size; none of the pairs below relies on it); the
 * boundaries of controls and the graphics that carry meaning (WCAG 1.4.11)
 * need 3:1 against what they sit on. The pairs are listed by theme field,
 * so a new colour or a changed value is checked without touching this
 * file; a new place where a colour is drawn on another needs a row here.
 * A synthetic pair proves the check can fail.
 *
 * Sizes, from the same tables at the reference panel's 0.248 mm a pixel
 * (geometry.h; on another screen the canvas keeps that size where the
 * diagonal is known): every text at least 18 dp with lines at least 1.3
 * times its size (1.2 for one-phrase roles: display, hero, buttons; the
 * clock never wraps); in elder mode the main text (everything but captions and
 * the clock) at least 30 dp, and every touch size at least 60 dp.
 */
#include "ui/geometry.h"
#include "ui/theme.h"

#include "tests/unit/check.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

static double channel(uint32_t v)
{
    double c = (double)v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(uint32_t rgb)
{
    return 0.2126 * channel((rgb >> 16) & 0xFF) + 0.7152 * channel((rgb >> 8) & 0xFF) +
           0.0722 * channel(rgb & 0xFF);
}

static double ratio(uint32_t a, uint32_t b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

#define F(name) offsetof(struct theme_colors, name), #name

enum need { TEXT = 0, LARGE, UI };
static const double minimum[] = {[TEXT] = 4.5, [LARGE] = 3.0, [UI] = 3.0};

struct pair {
    size_t fg;
    const char *fg_name;
    size_t bg;
    const char *bg_name;
    enum need need;
    const char *where;
};

static const struct pair pairs[] = {
    /* text on the page, cards, plates, selected options */
    {F(ink), F(canvas), TEXT, "titles on the page"},
    {F(ink), F(surface), TEXT, "main text on cards"},
    {F(ink), F(subtle), TEXT, "text on subtle panels"},
    {F(ink), F(tint), TEXT, "selected option label, pressed quiet button"},
    {F(ink2), F(canvas), TEXT, "lead sentence"},
    {F(ink2), F(surface), TEXT, "field labels"},
    {F(ink2), F(subtle), TEXT, "residence chip"},
    {F(ink2), F(tint), TEXT, "secondary text in a selected option"},
    {F(ink3), F(canvas), TEXT, "captions on the page"},
    {F(ink3), F(surface), TEXT, "captions on cards, tile descriptions"},
    {F(ink3), F(tint), TEXT, "captions in a pressed tile"},
    /* primary buttons, hero tile, links */
    {F(on_primary), F(primary), TEXT, "primary button label, elder pill on"},
    {F(on_primary), F(primary_press), TEXT, "pressed primary button"},
    {F(hero_desc), F(primary), TEXT, "hero tile description"},
    {F(hero_desc), F(primary_press), TEXT, "pressed hero tile description"},
    {F(primary), F(surface), TEXT, "secondary button label"},
    {F(primary), F(canvas), TEXT, "primary text on the page"},
    {F(primary), F(tint), TEXT, "pre-registration chip, pressed secondary button"},
    {F(link), F(surface), TEXT, "links and chevrons on cards"},
    {F(link), F(canvas), TEXT, "links on the page"},
    {F(link), F(tint), TEXT, "icons on tint plates"},
    /* header band */
    {F(on_navy), F(navy), TEXT, "office name, clock"},
    {F(on_navy2), F(navy), TEXT, "hall, date, status line"},
    {F(navy_bad), F(navy), TEXT, "registry connection lost (landscape header)"},
    {F(on_navy), F(navy_press), TEXT, "pressed header pill"},
    /* status colours: chips, legends, device states, errors */
    {F(ok_fg), F(ok_bg), TEXT, "无抵押 chip, device OK"},
    {F(ok_fg), F(surface), TEXT, "no seizure line"},
    {F(ok_fg), F(canvas), TEXT, "OK status on the page"},
    {F(warn_fg), F(warn_bg), TEXT, "抵押 chip, device warning"},
    {F(warn_fg), F(surface), TEXT, "warning on cards"},
    {F(warn_fg), F(canvas), TEXT, "legend"},
    {F(bad_fg), F(bad_bg), TEXT, "查封 chip, device fault, error banner"},
    {F(bad_fg), F(surface), TEXT, "error on cards"},
    {F(bad_fg), F(canvas), TEXT, "connection lost status"},
    {F(vio_fg), F(vio_bg), TEXT, "异议 chip"},
    {F(vio_fg), F(surface), TEXT, "异议 on cards"},
    {F(vio_fg), F(canvas), TEXT, "legend"},
    {F(idle_fg), F(idle_bg), TEXT, "idle banner"},
    {F(dis_fg), F(dis_bg), TEXT, "disabled label"},
    {F(ink3), F(dis_bg), TEXT, "disabled button's second line"},
    /* control boundaries and meaningful graphics (3:1) */
    {F(line_strong), F(surface), UI, "quiet button border, radio ring"},
    {F(line_strong), F(canvas), UI, "control border on the page"},
    {F(primary), F(canvas), UI, "primary button, secondary border on the page"},
    {F(primary), F(surface), UI, "secondary border, selected border on cards"},
    {F(dis_fg), F(dis_bg), UI, "dashed border of a disabled control"},
    {F(on_navy2), F(navy), UI, "header pill border"},
    {F(navy_track), F(navy), UI, "elder switch track (off) on navy"},
    {F(line_strong), F(surface), UI, "elder switch track (off) on white"},
    {F(navy_ok), F(navy), UI, "connected dot"},
    {F(ok_fg), F(surface), UI, "connected dot on white"},
    {F(focus), F(navy), UI, "focus ring on the header"},
    /* The ring is double (inner focus, outer focus_outer): on a primary
     * button the outer ring stands out against the page; the inner one
     * need not against the HC yellow. */
    {F(focus_outer), F(canvas), UI, "outer focus ring on the page"},
    {F(focus_outer), F(surface), UI, "outer focus ring on cards"},
    {F(primary), F(tint), UI, "icons on tint plates"},
    /* the marks that say a choice is selected, and an error's icon */
    {F(primary), F(tint), UI, "check before the weekday of the selected day"},
    {F(link), F(tint), UI, "check of the selected day (high contrast)"},
    {F(on_primary), F(primary), UI, "check before the current settings pill"},
    {F(bad_fg), F(canvas), UI, "alert icon before a wrong number"},
};

static uint32_t field(const struct theme_colors *c, size_t off)
{
    return *(const uint32_t *)(const void *)((const char *)c + off);
}

/* Returns the number of pairs below their minimum and prints them. */
static int check_theme(const struct theme *t, const char *mode, const struct pair *list, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const struct pair *p = &list[i];
        uint32_t fg = field(&t->c, p->fg), bg = field(&t->c, p->bg);
        double r = ratio(fg, bg);
        if (r + 1e-9 < minimum[p->need]) {
            printf("  %s: %s #%06X on %s #%06X = %.2f:1, needs %.1f:1 (%s)\n", mode, p->fg_name,
                   (unsigned)fg, p->bg_name, (unsigned)bg, r, minimum[p->need], p->where);
            bad++;
        }
    }
    return bad;
}

static double dp(int px)
{
    return px * GEOMETRY_MM_PER_PX / GEOMETRY_MM_PER_DP;
}

/* Returns the number of size faults of t, printing them. */
static int check_sizes(const struct theme *t, const char *mode)
{
    int faults = 0;
    for (int r = 0; r < TEXT_ROLE_COUNT; r++) {
        const struct theme_type *ty = &t->type[r];
        bool main_text = r != TEXT_CAPTION && r != TEXT_CLOCK;
        double need = t->elder && main_text ? GEOMETRY_ELDER_TEXT_DP : GEOMETRY_TEXT_MIN_DP;
        if (dp(ty->size) < need) {
            printf("  %s: text role %d is %.1f dp, below %.0f dp\n", mode, r, dp(ty->size), need);
            faults++;
        }
        /* paragraphs 1.3x; the one-phrase roles (an instruction in
         * display size, a tile's or a button's name) 1.2x when they wrap;
         * the clock never wraps */
        bool phrase =
            r == TEXT_DISPLAY || r == TEXT_HERO || r == TEXT_BUTTON || r == TEXT_BUTTON_PRIMARY;
        int tenths = phrase ? 12 : 13;
        if (r != TEXT_CLOCK && ty->line * 10 < ty->size * tenths) {
            printf("  %s: text role %d has lines of %d px for %d px text (< %d.%dx)\n", mode, r,
                   ty->line, ty->size, tenths / 10, tenths % 10);
            faults++;
        }
    }
    const int touch[] = {t->target_min, t->btn_h, t->primary_h, t->option_h, t->row_h, t->tile_h};
    double need = t->elder ? GEOMETRY_ELDER_TARGET_DP : GEOMETRY_TARGET_MIN_MM / GEOMETRY_MM_PER_DP;
    for (size_t i = 0; i < sizeof touch / sizeof touch[0]; i++)
        if (dp(touch[i]) < need) {
            printf("  %s: touch size %zu is %.1f dp, below %.0f dp\n", mode, i, dp(touch[i]), need);
            faults++;
        }
    return faults;
}

int main(void)
{
    /* the formula, against the figures of TOKENS.md §2.3 */
    CHECK(fabs(ratio(0xFFFFFF, 0x000000) - 21.0) < 0.01);
    CHECK(fabs(ratio(0x17202B, 0xFFFFFF) - 16.43) < 0.01);
    CHECK(fabs(ratio(0xFFFFFF, 0x0B4F96) - 8.16) < 0.01);
    CHECK(fabs(ratio(0x5D6673, 0xE4E8ED) - 4.72) < 0.01);
    /* the check fails on a pair that fails (white on the HC yellow) */
    struct theme t;
    theme_init(&t, true, false);
    const struct pair synthetic[] = {{F(ink), F(primary), TEXT, "synthetic"}};
    CHECK_EQ_INT(check_theme(&t, "synthetic", synthetic, 1), 1);
    static const char *const modes[] = {"normal", "elder", "high contrast", "high contrast elder"};
    for (int m = 0; m < 4; m++) {
        theme_init(&t, m >= 2, m & 1);
        CHECK_EQ_INT(check_theme(&t, modes[m], pairs, sizeof pairs / sizeof pairs[0]), 0);
        CHECK_EQ_INT(check_sizes(&t, modes[m]), 0);
    }
    /* the size check fails on elder body text of the normal size, and on
     * lines too tight */
    theme_init(&t, false, true);
    t.type[TEXT_BODY].size = 28;
    t.type[TEXT_LABEL].line = t.type[TEXT_LABEL].size;
    CHECK_EQ_INT(check_sizes(&t, "synthetic"), 2);
    return check_report("test_theme");
}
