/* progress.c - 办件进度: the citizen's applications, each with its state in
 * words, when it was accepted, the limit the hall promised and what is
 * left of it; an overdue one says so in words and with an icon, not by
 * colour alone. Nothing to show is said plainly. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

/* "剩余 2 个工作日" / "剩余 3 小时" / "已超期" / "已办结". */
static void remaining(const struct application *a, char *out, size_t size)
{
    char n[16];
    snprintf(n, sizeof n, "%d", a->remaining_value);
    bool finished = strcmp(a->state, "ready") == 0 || strcmp(a->state, "done") == 0 ||
                    strcmp(a->state, "rejected") == 0;
    if (finished)
        out[0] = '\0'; /* the state says it */
    else if (a->overdue)
        snprintf(out, size, "%s", tr("progress.overdue"));
    else
        i18n_subst(out, size, tr(a->remaining_hours ? "progress.left_hours" : "progress.left_days"),
                   n, NULL, NULL);
}

void progress_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct session *s = k->s;
    int y = chrome_title(k, cr.y, tr("progress.title"), tr("progress.lead"));
    struct btn done = {.id = "progress-done",
                       .label = tr("progress.done"),
                       .style = BTN_PRIMARY,
                       .icon = -1,
                       .input = IN_CONTINUE};
    int top = chrome_primary(k, &done);
    if (!s->has_apps || s->apps.count == 0) {
        struct text_style t = text_role(k, TEXT_TITLE3, c->ink2);
        int h = text_box(k, tr("progress.none"), cr.x, y, cr.w, &t);
        kit_add(k, "none", tr("progress.none"), UI_LABEL, kit_rect(cr.x, y, cr.w, h), IN_NONE, 0);
        return;
    }
    struct text_style name = text_role(k, TEXT_TITLE2, c->ink);
    struct text_style body = text_role(k, TEXT_BODY, c->ink2);
    struct text_style state = text_role(k, TEXT_TITLE3, c->primary);
    int pad = 28;
    int h = pad + name.line + state.line + body.line + pad;
    int room = top - SP_24 - y;
    int per = (room + SP_16) / (h + SP_16);
    if (per < s->apps.count)
        per = (room - k->th.btn_h - SP_24 + SP_16) / (h + SP_16); /* room for the pager */
    if (per < 1)
        per = 1;
    int pages = (s->apps.count + per - 1) / per, page = k->f->page < pages ? k->f->page : pages - 1;
    for (int i = page * per; i < s->apps.count && i < (page + 1) * per; i++) {
        const struct application *a = &s->apps.items[i];
        char left[64], accepted[96], line[160];
        remaining(a, left, sizeof left);
        /* The date and minute of the ISO time: "2026-11-20 10:12". */
        snprintf(accepted, sizeof accepted, "%.10s %.5s", a->accepted_at,
                 a->accepted_at[10] ? a->accepted_at + 11 : "");
        i18n_subst(line, sizeof line, tr("progress.accepted"), accepted, a->receipt, NULL);
        SDL_Rect r = {cr.x, y, cr.w, h};
        widget_card_plain(k, r);
        int yy = y + pad;
        text_draw(k, a->service_name, r.x + pad, yy, &name);
        yy += name.line;
        struct text_style st = state;
        if (a->overdue) {
            st.color = c->bad_fg;
            icon_draw(k, ICON_ALERT, r.x + pad, yy + (st.line - 32) / 2, 32, c->bad_fg);
        }
        char what[128];
        if (left[0])
            snprintf(what, sizeof what, "%s · %s", a->state_text, left);
        else
            snprintf(what, sizeof what, "%s", a->state_text);
        text_draw(k, what, r.x + pad + (a->overdue ? 44 : 0), yy, &st);
        yy += st.line;
        text_draw(k, line, r.x + pad, yy, &body);
        char id[24], label[400];
        snprintf(id, sizeof id, "app%d", i);
        /* The receipt before the long words: a label is cut at 128 bytes. */
        snprintf(label, sizeof label, "%s %s %s %s", a->service_name, a->receipt, a->state_text,
                 left);
        kit_add(k, id, label, UI_LABEL, r, IN_NONE, 0);
        y += h + SP_16;
    }
    if (pages > 1)
        screens_pager(k, top - SP_24 - k->th.btn_h, page, pages,
                      kit_rect(cr.x, 0, k->landscape ? cr.w - 560 - SP_24 : cr.w, 0));
}
