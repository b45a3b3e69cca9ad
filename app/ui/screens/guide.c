/* guide.c - one counter service of the 办事指南: what it is, the time the
 * hall promises (the 311 limits), the windows, the materials to bring as a
 * checklist, the fees and who is exempt; then 取号 or 预约 where the
 * service takes them. Readable without a card. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

static int heading(struct kit *k, int x, int y, const char *text)
{
    struct text_style h = text_role(k, TEXT_TITLE3, k->th.c.ink);
    text_draw(k, text, x, y, &h);
    return y + h.line + SP_8;
}

void guide_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct service_info *si = k->s ? service_list_find(k->f->services, k->s->svc) : NULL;
    int y = screens_back(k, tr("guide.back"));
    if (!si)
        return;
    /* Elder landscape has the least height: the name alone. */
    y = chrome_title(k, y, si->name, k->landscape && k->th.elder ? NULL : si->summary);
    struct text_style body = text_role(k, TEXT_BODY, c->ink);
    struct text_style lab = text_role(k, TEXT_BODY, c->ink2);

    /* Landscape: the materials on the left; when, where, fees and buttons
     * on the right. */
    SDL_Rect left = cr, right = cr;
    int top_y = y;
    if (k->landscape) {
        left.w = (cr.w - SP_48) / 2;
        right.x = cr.x + left.w + SP_48;
        right.w = cr.w - left.w - SP_48;
    }
    cr = right;
    int pad = 32, w = cr.w - 2 * pad, lw = k->th.elder ? 200 : 168;

    /* When, where, how long. */
    const char *rows[2][2] = {{tr("guide.limit"), si->time_limit},
                              {tr("guide.windows"), si->windows_text}};
    int h = pad;
    for (int i = 0; i < 2; i++)
        h += text_box_height(k, rows[i][1], w - lw, &body) + SP_8;
    h += pad - SP_8;
    widget_card_plain(k, kit_rect(cr.x, y, cr.w, h));
    int yy = y + pad;
    for (int i = 0; i < 2; i++) {
        text_draw(k, rows[i][0], cr.x + pad, yy, &lab);
        int th = text_box(k, rows[i][1], cr.x + pad + lw, yy, w - lw, &body);
        kit_add(k, i ? "windows" : "limit", rows[i][1], UI_LABEL,
                kit_rect(cr.x + pad + lw, yy, w - lw, th), IN_NONE, 0);
        yy += th + SP_8;
    }
    y += h + SP_24;
    int right_y = y;
    if (k->landscape)
        y = top_y;

    /* Materials as a checklist. */
    y = heading(k, left.x, y, tr("guide.materials"));
    for (int i = 0; i < si->material_count; i++) {
        icon_draw(k, ICON_CHECK, left.x, y + (body.line - 32) / 2, 32,
                  k->th.contrast ? c->link : c->primary);
        int th = text_box(k, si->materials[i], left.x + 48, y, left.w - 48, &body);
        char id[24];
        snprintf(id, sizeof id, "material%d", i);
        kit_add(k, id, si->materials[i], UI_LABEL, kit_rect(left.x + 48, y, left.w - 48, th),
                IN_NONE, 0);
        y += th + SP_4;
    }
    int left_end = y;
    y = k->landscape ? right_y : y + SP_24;
    cr = right;

    /* Fees, and who pays none. */
    y = heading(k, cr.x, y, tr("guide.fees"));
    if (si->fee_count == 0) {
        y += text_box(k, tr("guide.free"), cr.x, y, cr.w, &body);
    }
    for (int i = 0; i < si->fee_count; i++) {
        char amount[48];
        if (si->fees[i].amount_fen == 0)
            snprintf(amount, sizeof amount, "%s", tr("guide.no_charge"));
        else if (si->fees[i].amount_fen % 100 == 0)
            snprintf(amount, sizeof amount, "%lld %s", (long long)(si->fees[i].amount_fen / 100),
                     tr("guide.yuan"));
        else
            snprintf(amount, sizeof amount, "%lld.%02lld %s",
                     (long long)(si->fees[i].amount_fen / 100),
                     (long long)(si->fees[i].amount_fen % 100), tr("guide.yuan"));
        struct text_style amt = body;
        amt.align = ALIGN_RIGHT;
        int aw = text_width(k, amount, &body);
        int th = text_box(k, si->fees[i].item, cr.x, y, cr.w - aw - 24, &body);
        text_draw(k, amount, cr.x + cr.w, y, &amt);
        y += th + SP_4;
    }
    struct text_style waive = text_role(k, TEXT_BODY, c->ok_fg);
    for (int i = 0; i < si->waiver_count; i++) {
        icon_draw(k, ICON_INFO, cr.x, y + (waive.line - 32) / 2, 32, c->ok_fg);
        int th = text_box(k, si->waivers[i], cr.x + 48, y, cr.w - 48, &waive);
        char id[24];
        snprintf(id, sizeof id, "waiver%d", i);
        kit_add(k, id, si->waivers[i], UI_LABEL, kit_rect(cr.x + 48, y, cr.w - 48, th), IN_NONE, 0);
        y += th + SP_4;
    }

    /* What the kiosk can do for it now. */
    /* Landscape: under the materials, where the left column has room. */
    int bh = k->th.primary_h, top = k->content.y + k->content.h - bh;
    if (k->landscape) {
        if (y > k->content.y + k->content.h)
            kit_issue(k, "guide of %s runs past the screen", si->code);
        y = left_end;
        cr = left;
    }
    if (y > top - SP_24)
        kit_issue(k, "guide of %s runs into its buttons", si->code);
    int bw = si->walk_in && si->bookable ? (cr.w - 24) / 2 : cr.w;
    int x = cr.x;
    if (si->bookable) {
        struct btn b = {.id = "guide-book",
                        .label = tr("guide.book"),
                        .style = si->walk_in ? BTN_SECONDARY : BTN_PRIMARY,
                        .icon = ICON_CALENDAR,
                        .input = IN_GUIDE_BOOK};
        widget_button(k, kit_rect(x, top, bw, bh), &b);
        x += bw + 24;
    }
    if (si->walk_in) {
        struct btn b = {.id = "guide-ticket",
                        .label = tr("guide.ticket"),
                        .style = BTN_PRIMARY,
                        .icon = ICON_TICKET,
                        .input = IN_GUIDE_TICKET};
        widget_button(k, kit_rect(x, top, bw, bh), &b);
    }
}
