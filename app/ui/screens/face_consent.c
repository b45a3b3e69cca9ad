/* face_consent.c - 刷脸核验前，请您了解: the notice of the 2025 face
 * recognition rules as six rows (who, what, why, how, how long, your
 * rights), worded for the path the kiosk is configured to take
 * (ui_config.face_on_device): by default the registry compares the frame
 * with the national record over the government network and deletes it
 * after the verdict; with an on-device matcher the frame is compared with
 * the ID card chip's photo on the kiosk and never leaves it (只在本机内比对).
 * Two choices of equal size and style, placed low so the notice is read
 * first. The camera is off here. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

static const char *const labels[6] = {"consent.who", "consent.what", "consent.why",
                                      "consent.how", "consent.keep", "consent.rights"};

/* The six answers for the configured path. */
static void answers(const struct kit *k, const char *v[6])
{
    bool dev = k->cfg->face_on_device;
    v[0] = tr("consent.who_v");
    v[1] = tr("consent.what_v");
    v[2] = dev ? tr("consent.why_v_device") : tr("consent.why_v");
    v[3] = dev ? tr("consent.how_v_device") : tr("consent.how_v");
    v[4] = dev ? tr("consent.keep_v_device") : tr("consent.keep_v");
    v[5] = tr("consent.rights_v");
}

static int notice(struct kit *k, SDL_Rect r, bool draw)
{
    const struct theme_colors *c = &k->th.c;
    struct text_style hd = text_role(k, TEXT_TITLE3, c->ink);
    hd.size = k->th.elder ? 40 : 32;
    struct text_style lab = text_role(k, TEXT_BODY, c->ink2);
    lab.bold = true;
    struct text_style val = text_role(k, TEXT_BODY, c->ink);
    if (k->th.elder)
        lab.size = val.size = 34, lab.line = val.line = 50;
    int pad = 36, lw = k->th.elder ? 220 : 170;
    int y = r.y + pad;
    if (draw) {
        widget_card_plain(k, r);
        icon_draw(k, ICON_SHIELD, r.x + pad, y + 4, 44, k->th.contrast ? c->link : c->primary);
        text_draw(k, tr("consent.notice"), r.x + pad + 60, y, &hd);
    }
    y += hd.line + 12;
    int vw = r.w - 2 * pad - lw;
    const char *v[6];
    answers(k, v);
    for (int i = 0; i < 6; i++) {
        int h = text_box_height(k, v[i], vw, &val);
        if (draw) {
            text_draw(k, tr(labels[i]), r.x + pad, y, &lab);
            text_box(k, v[i], r.x + pad + lw, y, vw, &val);
        }
        y += h + 10;
    }
    return y + pad - 10 - r.y;
}

static void choice(struct kit *k, SDL_Rect r, const char *id, enum icon ic, const char *label,
                   const char *sub, enum flow_input in)
{
    const struct theme_colors *c = &k->th.c;
    bool pressed = kit_pressed(k, id);
    uint32_t border = k->th.contrast ? c->ink : c->primary;
    SDL_Rect s = r;
    if (pressed) {
        s.y += 2;
        draw_rrect_border(k, s, RADIUS_M, k->th.border, border,
                          k->th.contrast ? c->surface : c->tint);
    } else {
        if (k->th.edges)
            draw_rrect(k, kit_rect(r.x, r.y + 3, r.w, r.h), RADIUS_M, c->primary_edge);
        draw_rrect_border(k, r, RADIUS_M, k->th.border, border, c->surface);
    }
    int is = k->th.elder ? 72 : 80;
    struct text_style t = text_role(k, TEXT_TITLE2, k->th.contrast ? c->ink : c->primary);
    struct text_style st = text_role(k, TEXT_CAPTION, c->ink2);
    t.align = st.align = ALIGN_CENTER;
    int th = text_box_height(k, label, r.w - 32, &t);
    int h = is + 16 + th + st.line;
    int y = s.y + (r.h - h) / 2;
    icon_draw(k, ic, s.x + (r.w - is) / 2, y, is, k->th.contrast ? c->link : c->primary);
    y += is + 16;
    y += text_box(k, label, s.x + 16, y, r.w - 32, &t);
    text_box(k, sub, s.x + 16, y, r.w - 32, &st);
    kit_add(k, id, label, UI_BUTTON, r, in, 0);
}

void face_consent_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const char *steps[3] = {tr("step.id_1"), tr("step.id_2"), tr("step.id_3")};
    int ch = k->th.elder ? 250 : 264;
    if (k->landscape) {
        int lw = 1180;
        SDL_Rect save = k->content;
        k->content.w = lw;
        SDL_Rect probe = {cr.x, 0, lw, 0};
        int nh = notice(k, probe, false);
        /* the title and lead as chrome_title sets them (the lead may wrap) */
        struct text_style ts = text_role(k, TEXT_TITLE1, c->ink);
        struct text_style ls = text_role(k, TEXT_LEAD, c->ink2);
        int th = text_box_height(k, tr("consent.title"), lw, &ts);
        int lh = SP_8 / 2 + text_box_height(k, tr("consent.lead"), lw, &ls);
        bool title = nh + th + SP_24 <= cr.h;
        bool lead = title && nh + th + lh + SP_24 <= cr.h;
        int y = cr.y;
        if (title)
            y = chrome_title(k, cr.y, tr("consent.title"), lead ? tr("consent.lead") : NULL);
        k->content = save;
        (void)steps;
        SDL_Rect nr = {cr.x, y, lw, cr.y + cr.h - y};
        if (notice(k, nr, false) > nr.h)
            kit_issue(k, "consent notice does not fit");
        notice(k, nr, true);
        int rx = cr.x + lw + 40, rw = cr.w - lw - 40;
        int bh = (cr.h - 60 - 24 - 40) / 2;
        struct text_style q = text_role(k, TEXT_TITLE3, c->ink);
        text_draw(k, tr("consent.choose"), rx, cr.y, &q);
        choice(k, kit_rect(rx, cr.y + 60, rw, bh), "consent-yes", ICON_FACE, tr("consent.accept"),
               tr("consent.accept_sub"), IN_CONSENT_ACCEPT);
        choice(k, kit_rect(rx, cr.y + 60 + bh + 24, rw, bh), "consent-no", ICON_COUNTER,
               tr("consent.decline"), tr("consent.decline_sub"), IN_CONSENT_DECLINE);
        return;
    }
    widget_stepper(k, cr.y, steps, 1);
    /* The notice is what the citizen agrees to: the title's lead gives
     * way first where both do not fit above the choices (large type in
     * English). */
    int ty = cr.y + widget_stepper_height(k) + 32;
    SDL_Rect nr = {cr.x, 0, cr.w, 0};
    nr.h = notice(k, nr, false);
    struct text_style tl = text_role(k, TEXT_TITLE1, c->ink), ld = text_role(k, TEXT_LEAD, c->ink2);
    struct text_style q = text_role(k, TEXT_TITLE3, c->ink);
    /* the lead only where the prompt above the choices fits with it */
    int with_lead = ty + text_box_height(k, tr("consent.title"), cr.w, &tl) + SP_8 / 2 +
                    text_box_height(k, tr("consent.lead"), cr.w, &ld) + SP_24 + nr.h + 24 + q.line +
                    24 + ch + 24;
    int y = chrome_title(k, ty, tr("consent.title"),
                         with_lead <= cr.y + cr.h ? tr("consent.lead") : NULL);
    nr.y = y;
    notice(k, nr, true);
    struct text_style fine = text_role(k, TEXT_CAPTION, c->ink3);
    fine.align = ALIGN_CENTER;
    /* when space is short (elder mode) the fine print and the prompt go first */
    bool rules = nr.y + nr.h + 24 + q.line + 24 + ch + 24 + fine.line <= cr.y + cr.h;
    bool prompt = nr.y + nr.h + 24 + (rules ? q.line + 24 : 0) + ch + 24 <= cr.y + cr.h;
    int fy = cr.y + cr.h - (rules ? fine.line : -24);
    if (rules)
        text_draw(k, tr("consent.rules"), cr.x + cr.w / 2, fy, &fine);
    int by = fy - 24 - ch;
    int w2 = (cr.w - 32) / 2;
    choice(k, kit_rect(cr.x, by, w2, ch), "consent-yes", ICON_FACE, tr("consent.accept"),
           tr("consent.accept_sub"), IN_CONSENT_ACCEPT);
    choice(k, kit_rect(cr.x + w2 + 32, by, w2, ch), "consent-no", ICON_COUNTER,
           tr("consent.decline"), tr("consent.decline_sub"), IN_CONSENT_DECLINE);
    if (prompt)
        text_draw(k, tr("consent.choose"), cr.x, by - 24 - q.line, &q);
    if (nr.y + nr.h > by - 24 - (prompt ? q.line : 0))
        kit_issue(k, "consent notice runs into the choices");
}
