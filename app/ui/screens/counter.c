/* counter.c - the route without a face scan: go to windows 3 and 4 with
 * the ID card; clear and kind, never a dead end. UI thread.
 */
#include "ui/screens/screens.h"

void counter_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    int ps = 136;
    int y = cr.y;
    if (!k->th.contrast)
        draw_circle(k, cr.x + ps / 2, y + ps / 2, ps / 2, c->tint);
    else
        draw_ring(k, cr.x + ps / 2, y + ps / 2, ps / 2, 3, c->ink);
    icon_draw(k, ICON_COUNTER, cr.x + 28, y + 24, 80, k->th.contrast ? c->link : c->primary);
    y += ps + 40;
    int w = k->landscape ? 1100 : cr.w;
    SDL_Rect save = k->content;
    k->content.w = w;
    /* Sent here by a camera that failed, not by the citizen's choice. */
    bool faceoff = k->f && k->f->problem == PROBLEM_FACE_UNAVAILABLE;
    y = chrome_title(k, y, tr("counter.title"),
                     tr(faceoff ? "counter.lead_faceoff" : "counter.lead"));
    k->content = save;
    static const char *const steps[3][2] = {{"counter.s1", "counter.s1_sub"},
                                            {"counter.s2", "counter.s2_sub"},
                                            {"counter.s3", "counter.s3_sub"}};
    struct text_style t = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style s = text_role(k, TEXT_BODY, c->ink2);
    int pad = 36, tw = w - 2 * pad - 80;
    int h = pad;
    for (int i = 0; i < 3; i++)
        h += t.line + text_box_height(k, tr(steps[i][1]), tw, &s) + 24;
    h += pad - 24;
    SDL_Rect card = {cr.x, y, w, h};
    widget_card_plain(k, card);
    int yy = y + pad;
    for (int i = 0; i < 3; i++) {
        char num[16] = {(char)('1' + i), 0};
        widget_badge(k, card.x + pad + 28, yy + 28, 28, num);
        text_draw(k, tr(steps[i][0]), card.x + pad + 80, yy, &t);
        yy += t.line;
        yy += text_box(k, tr(steps[i][1]), card.x + pad + 80, yy, tw, &s) + 24;
    }
    /* With a card read, the kiosk can hand out the counter's queue number;
     * without one there is no visit to take it for. */
    bool visit = k->s && k->s->active && k->s->has_card;
    struct btn b = {.id = visit ? "counter-ticket" : "counter-home",
                    .label = tr(visit ? "counter.ticket" : "counter.done"),
                    .style = BTN_PRIMARY,
                    .icon = visit ? ICON_TICKET : ICON_HOME,
                    .input = visit ? IN_TAKE_TICKET : IN_HOME};
    chrome_primary(k, &b);
}
