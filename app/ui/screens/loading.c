/* loading.c - waiting for the registry: a spinner and one sentence that
 * says what is happening. UI thread.
 */
#include "ui/screens/screens.h"

void loading_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    bool cert = k->s && k->s->purpose >= 0 && k->s->has_props;
    int cy = cr.y + cr.h * 38 / 100;
    widget_spinner(k, cr.x + cr.w / 2, cy, 64);
    struct text_style t = text_role(k, TEXT_TITLE1, c->ink);
    struct text_style l = text_role(k, TEXT_LEAD, c->ink2);
    t.align = l.align = ALIGN_CENTER;
    int y = cy + 64 + 48;
    y += text_box(k, tr(cert ? "loading.cert" : "loading.records"), cr.x, y, cr.w, &t);
    text_box(k, tr("loading.lead"), cr.x, y + 8, cr.w, &l);
    kit_add(k, "loading", tr(cert ? "loading.cert" : "loading.records"), UI_LABEL,
            kit_rect(cr.x, cy, cr.w, 200), IN_NONE, 0);
}
