/* ecert.c - 电子证照: the proof on the citizen's phone. A QR code of the
 * registry's short-lived link, large, dark on white in every theme (that
 * is what phone cameras read), with when it stops working in words. Then
 * paper as well, a queue number with the same card, or on to the rating.
 * UI thread.
 */
#include "ui/screens/screens.h"

#include <qrencode.h>
#include <stdio.h>

/* The code's modules as squares of whole pixels inside r, with a quiet
 * zone of four modules; returns false when the link cannot be encoded. */
static bool qr(struct kit *k, SDL_Rect r, const char *url)
{
    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return false;
    int n = q->width, m = r.w / (n + 8);
    int side = m * (n + 8), x0 = r.x + (r.w - side) / 2 + 4 * m, y0 = r.y + 4 * m;
    draw_fill(k, kit_rect(r.x + (r.w - side) / 2, r.y, side, side), 0xffffff);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++)
            if (q->data[y * n + x] & 1)
                draw_fill(k, kit_rect(x0 + x * m, y0 + y * m, m, m), 0x000000);
    QRcode_free(q);
    return true;
}

void ecert_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct session *s = k->s;
    int y = chrome_title(k, cr.y, tr("ecert.title"), tr("ecert.lead"));
    struct btn paper = {.id = "ecert-print",
                        .label = tr("ecert.print"),
                        .style = BTN_SECONDARY,
                        .icon = ICON_PRINTER,
                        .input = IN_BACK};
    struct btn done = {.id = "ecert-done",
                       .label = tr("ecert.done"),
                       .style = BTN_PRIMARY,
                       .icon = -1,
                       .input = IN_CONTINUE};
    int top = chrome_primary_pair(k, &paper, &done);
    struct text_style body = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style sub = text_role(k, TEXT_BODY, c->ink2);
    /* HH:MM of the ISO expiry ("2026-11-22T09:54:10+08:00"). */
    char hm[8], expires[160];
    const char *t = strchr(s->link.expires_at, 'T');
    snprintf(hm, sizeof hm, "%.5s", t ? t + 1 : s->link.expires_at);
    i18n_subst(expires, sizeof expires, tr("ecert.expires"), hm, NULL, NULL);
    /* As large as the room allows: the text goes under it (portrait) or on
     * its right (landscape), where it keeps left of the buttons' column
     * and the code may reach the bottom of the content. */
    int side = 640, room = top - SP_24 - y;
    int col = cr.x + cr.w - 560 - SP_24; /* landscape: where the buttons' column starts */
    if (k->landscape) {
        room = cr.y + cr.h - y;
        /* the text beside the code keeps at least the buttons' width */
        if (side > col - cr.x - SP_24 * 2 - 560)
            side = col - cr.x - SP_24 * 2 - 560;
    } else {
        room -= SP_24 + text_box_height(k, expires, cr.w, &body) +
                text_box_height(k, tr("ecert.after"), cr.w, &sub) + SP_24 + k->th.btn_h;
    }
    if (side > room)
        side = room;
    SDL_Rect qr_r = {cr.x + (cr.w - side) / 2, y, side, side};
    if (k->landscape)
        qr_r.x = cr.x;
    if (!s->has_link || !qr(k, qr_r, s->link.url))
        kit_issue(k, "the link could not be drawn as a QR code");
    kit_add(k, "qr", s->link.url, UI_LABEL, qr_r, IN_NONE, 0);
    int tx = k->landscape ? qr_r.x + side + SP_24 * 2 : cr.x;
    int tw = k->landscape ? col - tx : cr.w;
    int ty = k->landscape ? y : y + side + SP_24;
    int h = text_box(k, expires, tx, ty, tw, &body);
    kit_add(k, "expires", expires, UI_LABEL, kit_rect(tx, ty, tw, h), IN_NONE, 0);
    ty += h;
    ty += text_box(k, tr("ecert.after"), tx, ty, tw, &sub) + SP_24;
    /* A queue number for the counter, with the same card. */
    struct btn more = {.id = "more-services",
                       .label = tr("ecert.more"),
                       .style = BTN_QUIET,
                       .icon = ICON_TICKET,
                       .input = IN_MORE_SERVICES};
    widget_button(k, kit_rect(tx, ty, tw, k->th.btn_h), &more);
    if (ty + k->th.btn_h > (k->landscape ? cr.y + cr.h : top - SP_16))
        kit_issue(k, "ecert text runs into the buttons");
}
