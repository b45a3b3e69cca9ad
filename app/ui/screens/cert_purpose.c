/* cert_purpose.c - 请选择证明的用途: six purposes as large radio cards (the
 * purpose is printed on the certificate), then 下一步. Step 1 of the print
 * flow. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

void cert_purpose_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const char *steps[3] = {tr("step.print_1"), tr("step.print_2"), tr("step.print_3")};
    widget_stepper(k, cr.y, steps, 0);
    int y = chrome_title(k, cr.y + widget_stepper_height(k) + 32, tr("purpose.title"),
                         tr("purpose.lead"));
    int cols = k->th.elder && !k->landscape ? 1 : (k->landscape ? 3 : 2);
    int oh = k->th.elder ? 120 : 112;
    if (k->landscape && k->th.elder)
        cols = 3, oh = 112;
    int gap = 24, ow = (cr.w - (cols - 1) * 32) / cols;
    int sel = k->s ? k->s->purpose : -1;
    for (int i = 0; i < FLOW_PURPOSE_COUNT; i++) {
        char key[16], id[16];
        snprintf(key, sizeof key, "purpose.%d", i);
        snprintf(id, sizeof id, "purpose%d", i);
        SDL_Rect r = {cr.x + (i % cols) * (ow + 32), y + (i / cols) * (oh + gap), ow, oh};
        widget_option(k, r, id, tr(key), i == sel, IN_PURPOSE, i);
    }
    int rows = (FLOW_PURPOSE_COUNT + cols - 1) / cols;
    y += rows * (oh + gap) + 8;
    struct text_style note = text_role(k, TEXT_CAPTION, c->ink3);
    bool chosen = sel >= 0 && sel < FLOW_PURPOSE_COUNT;
    int top = cr.y + cr.h - chrome_primary_height(k);
    if (!chosen) {
        text_box(k, tr("purpose.choose_first"), cr.x, top - 16 - note.line, cr.w, &note);
    } else {
        /* Which proof the purpose needs: said before it is issued. */
        char key[48];
        snprintf(key, sizeof key, "purpose.proof_%s", flow_purpose_proof(sel));
        struct text_style ps = text_role(k, TEXT_BODY, c->ink);
        int h = text_box_height(k, tr(key), cr.w, &ps);
        text_box(k, tr(key), cr.x, top - 16 - h, cr.w, &ps);
        kit_add(k, "proof", tr(key), UI_LABEL, kit_rect(cr.x, top - 16 - h, cr.w, h), IN_NONE, 0);
        note.line = h;
    }
    if (y > top - 16 - note.line)
        kit_issue(k, "purpose options run into the button");
    struct btn next = {.id = "purpose-next",
                       .label = tr("purpose.next"),
                       .style = BTN_PRIMARY,
                       .icon = -1,
                       .disabled = !chosen,
                       .input = IN_PURPOSE_NEXT};
    chrome_primary(k, &next);
}
