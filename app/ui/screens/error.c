/* error.c - what the kiosk cannot do now, per flow->problem, in terms the
 * citizen can act on: a short explanation that never blames, numbered ways
 * forward where there are several, one primary action (重新连接, 再试一次,
 * 到窗口办理), and the error code only in a small line for staff. UI thread.
 */
#include "ui/screens/screens.h"

#include "base/clock.h"

#include <stdio.h>

struct problem_def {
    enum icon icon;
    const char *key;  /* error.<key>.title / .lead */
    const char *code; /* for staff */
    bool ways;        /* three numbered ways forward */
    enum flow_input primary;
    const char *primary_key;
    enum flow_input secondary;
    const char *secondary_key;
};

static const struct problem_def defs[] = {
    [PROBLEM_NONE] = {ICON_ALERT_CIRCLE, "generic", "APP-000", false, IN_HOME, "error.home",
                      IN_NONE, NULL},
    [PROBLEM_REGISTRY_DOWN] = {ICON_CLOUD_OFF, "down", "NET-503", true, IN_RETRY, "error.reconnect",
                               IN_NONE, NULL},
    [PROBLEM_BAD_REPLY] = {ICON_CLOUD_OFF, "bad", "REG-502", true, IN_RETRY, "error.reconnect",
                           IN_NONE, NULL},
    [PROBLEM_REJECTED] = {ICON_ALERT_CIRCLE, "rejected", "REG-400", false, IN_HOME, "error.home",
                          IN_NONE, NULL},
    [PROBLEM_FACE_NO_MATCH] = {ICON_FACE, "nomatch", "FACE-NM", false, IN_RETRY, "error.retry",
                               IN_FACE_STOP, "error.counter"},
    [PROBLEM_FACE_UNAVAILABLE] = {ICON_FACE, "faceoff", "FACE-503", false, IN_FACE_STOP,
                                  "error.counter", IN_RETRY, "error.retry"},
    [PROBLEM_CARD_EXPIRED] = {ICON_IDCARD, "expired", "CARD-EXP", false, IN_HOME, "error.take_card",
                              IN_NONE, NULL},
    [PROBLEM_CARD_INVALID] = {ICON_IDCARD, "invalid", "CARD-INV", false, IN_RETRY,
                              "error.card_again", IN_HOME, "error.home"},
    [PROBLEM_PRINT_FAILED] = {ICON_PRINTER, "print", "PRN-ERR", false, IN_RETRY, "error.retry",
                              IN_NONE, NULL},
    [PROBLEM_SESSION_EXPIRED] = {ICON_CLOCK, "expired_session", "SES-401", false, IN_RETRY,
                                 "error.restart", IN_HOME, "error.home"},
    [PROBLEM_OFFLINE] = {ICON_CLOUD_OFF, "offline", "NET-OFF", true, IN_HOME, "error.home", IN_NONE,
                         NULL},
};

const char *ui_error_key(const struct flow *f)
{
    size_t p = (size_t)f->problem < sizeof defs / sizeof defs[0] ? (size_t)f->problem : 0;
    if (p == (size_t)PROBLEM_FACE_NO_MATCH && f->guidance == FACE_NOT_LIVE)
        return "notlive";
    if (p == (size_t)PROBLEM_FACE_NO_MATCH && f->guidance == FACE_TIMEOUT)
        return "facetime";
    return defs[p].key;
}

static int ways(struct kit *k, SDL_Rect r, bool draw)
{
    const struct theme_colors *c = &k->th.c;
    struct text_style hd = text_role(k, TEXT_LABEL, c->ink2);
    hd.bold = true;
    struct text_style t = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style s = text_role(k, TEXT_CAPTION, c->ink2);
    int pad = 36, tx = r.x + pad + 80, tw = r.w - pad - 80 - pad;
    int y = r.y + pad;
    if (draw) {
        widget_card_plain(k, r);
        text_draw(k, tr("error.ways"), r.x + pad, y, &hd);
    }
    y += hd.line + 16;
    for (int i = 0; i < 3; i++) {
        char tk[24], sk[24], num[16] = {(char)('1' + i), 0};
        snprintf(tk, sizeof tk, "error.way%d", i + 1);
        snprintf(sk, sizeof sk, "error.way%d_sub", i + 1);
        if (draw) {
            widget_badge(k, r.x + pad + 28, y + t.line / 2, 28, num);
            text_draw(k, tr(tk), tx, y, &t);
            text_box(k, tr(sk), tx, y + t.line, tw, &s);
        }
        y += t.line + text_box_height(k, tr(sk), tw, &s) + 24;
    }
    return y - 24 + pad - r.y;
}

void error_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    const struct flow *f = k->f;
    SDL_Rect cr = k->content;
    size_t p = (size_t)f->problem < sizeof defs / sizeof defs[0] ? (size_t)f->problem : 0;
    const struct problem_def *d = &defs[p];
    bool land = k->landscape;
    int lw = land ? 860 : cr.w;
    int y = cr.y;
    int ps = land ? 120 : 160;
    if (k->th.contrast)
        draw_ring(k, cr.x + ps / 2, y + ps / 2, ps / 2, 3, c->bad_fg);
    else
        draw_rrect_border(k, kit_rect(cr.x, y, ps, ps), ps / 2, 2, c->bad_line, c->bad_bg);
    icon_draw(k, d->icon, cr.x + ps * 2 / 10, y + ps * 2 / 10, ps * 6 / 10, c->bad_fg);
    y += ps + 40;
    char tk[48], lk[48];
    /* A capture that failed on the kiosk (no live movement, time up) is
     * not a verdict of the registry: say what actually happened. */
    const char *key = d->key;
    if (p == PROBLEM_FACE_NO_MATCH && f->guidance == FACE_NOT_LIVE)
        key = "notlive";
    else if (p == PROBLEM_FACE_NO_MATCH && f->guidance == FACE_TIMEOUT)
        key = "facetime";
    snprintf(tk, sizeof tk, "error.%s.title", key);
    snprintf(lk, sizeof lk, "error.%s.lead", key);
    const char *title = tr(tk);
    if (f->problem == PROBLEM_REJECTED && f->problem_title[0])
        title = f->problem_title;
    SDL_Rect save = k->content;
    k->content.w = lw;
    y = chrome_title(k, y, title, tr(lk));
    k->content = save;
    int bh = chrome_primary_height(k);
    struct text_style staff = text_role(k, TEXT_CAPTION, c->ink3);
    int bottom = cr.y + cr.h - bh - 16 - staff.line;
    if (d->ways) {
        SDL_Rect wr =
            land ? kit_rect(cr.x + lw + 40, cr.y, cr.w - lw - 40, 0) : kit_rect(cr.x, y, cr.w, 0);
        wr.h = ways(k, wr, false);
        ways(k, wr, true);
        int wy = wr.y + wr.h + 24;
        if (!land)
            y = wy;
        /* what is safe: nothing about the citizen was kept */
        struct text_style ok = text_role(k, TEXT_BODY, c->ink);
        SDL_Rect box = {land ? wr.x : cr.x, wy, land ? wr.w : cr.w, 104};
        int limit = land ? cr.y + cr.h - chrome_primary_height(k) - 40 : bottom - 16;
        if (box.y + box.h <= limit) {
            draw_rrect_border(k, box, RADIUS_M, 2, c->ok_line, k->th.contrast ? 0 : c->ok_bg);
            icon_draw(k, ICON_CHECK_CIRCLE, box.x + 32, box.y + 32, 40, c->ok_fg);
            text_box(k, tr("error.safe"), box.x + 96, box.y + (104 - ok.line) / 2, box.w - 128,
                     &ok);
        }
        if (wr.y + wr.h > limit)
            kit_issue(k, "error ways run into the buttons");
    }
    (void)y;
    /* actions */
    struct btn prim = {.id = "error-primary",
                       .label = tr(d->primary_key),
                       .style = BTN_PRIMARY,
                       .icon = d->primary == IN_RETRY ? ICON_REFRESH : -1,
                       .input = d->primary,
                       .busy = f->busy};
    int top = cr.y + cr.h - bh - 16 - staff.line;
    if (d->secondary_key) {
        struct btn sec = {.id = "error-secondary",
                          .label = tr(d->secondary_key),
                          .style = BTN_SECONDARY,
                          .icon = -1,
                          .input = d->secondary};
        int w2 = land ? 520 : (cr.w - 32) / 2;
        widget_button(k, kit_rect(cr.x + cr.w - 2 * w2 - 32, top, w2, bh), &sec);
        widget_button(k, kit_rect(cr.x + cr.w - w2, top, w2, bh), &prim);
    } else {
        int w = land ? 560 : cr.w;
        widget_button(k, kit_rect(cr.x + cr.w - w, top, w, bh), &prim);
    }
    /* staff line */
    struct clock_cst t;
    clock_to_cst(k->v.wall_s, &t);
    char hm[16], line[160];
    snprintf(hm, sizeof hm, "%02d:%02d", t.hour, t.minute);
    i18n_subst(line, sizeof line, tr("error.staff_line"), d->code,
               k->cfg->terminal ? k->cfg->terminal : "", hm);
    staff.align = ALIGN_CENTER;
    text_draw(k, line, cr.x + cr.w / 2, cr.y + cr.h - staff.line, &staff);
}
