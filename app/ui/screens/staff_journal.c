/* staff_journal.c - maintenance mode's 打印记录: the newest print jobs
 * (queue slips and certificates) from the print journal, a page at a
 * time, each with what it printed (the queue number or the certificate
 * number, never anything else), its state in words (for one not printed:
 * why, as expired past its deadline or its visit), when and how often it
 * was sent, and 重新打印 / 取消 where its state allows them (a confirmed
 * job offers neither). What the last of those did shows above the list.
 * The rows come in the view (app/staff.c reads the journal); this file
 * only draws them. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

/* One job: two lines of text on the left, its buttons on the right. */
static void job_row(struct kit *k, SDL_Rect r, const struct ui_job *j, int busy)
{
    const struct theme_colors *c = &k->th.c;
    uint32_t fg =
        j->state == UI_JOB_PRINTED ? c->ok_fg
        : j->state == UI_JOB_HELD || j->state == UI_JOB_FAILED || j->state == UI_JOB_EXPIRED
            ? c->bad_fg
            : c->warn_fg;
    struct text_style name = text_role(k, TEXT_BODY, c->ink);
    name.bold = true;
    struct text_style sub = text_role(k, TEXT_CAPTION, fg);
    int pad = SP_16, bh = k->th.btn_h - SP_16;
    int rw = 240, cw = 160, gap = SP_12;
    int bw = (j->can_retry ? rw + gap : 0) + (j->can_cancel ? cw + gap : 0);
    int tw = r.w - 2 * pad - bw;
    int y = r.y + (r.h - name.line - sub.line) / 2;
    char head[96], line[160], n[16];
    snprintf(head, sizeof head, "%s  %s", tr(j->cert ? "staff.job_cert" : "staff.job_slip"),
             j->key);
    text_draw(k, head, r.x + pad, y, &name);
    char key[40];
    /* Not printed: why, when the journal knows (expired, cancelled). */
    if (j->why > 0 && (j->state == UI_JOB_EXPIRED || j->state == UI_JOB_FAILED))
        snprintf(key, sizeof key, "staff.job_why.%d", j->why);
    else
        snprintf(key, sizeof key, "staff.job_state.%d", (int)j->state);
    snprintf(n, sizeof n, "%d", j->attempts);
    i18n_subst(line, sizeof line, tr("staff.job_line"), tr(key), j->when, n);
    text_box(k, line, r.x + pad, y + name.line, tw, &sub);
    char id[24], label[sizeof head + sizeof line];
    snprintf(id, sizeof id, "job-%d", j->id);
    snprintf(label, sizeof label, "%s %s", head, line);
    kit_add(k, id, label, UI_LABEL, kit_rect(r.x, r.y, r.w - bw, r.h), IN_NONE, 0);
    int x = r.x + r.w - pad - bw + gap, by = r.y + (r.h - bh) / 2;
    if (j->can_retry) {
        snprintf(id, sizeof id, "retry-%d", j->id);
        struct btn b = {.id = id,
                        .label = tr("staff.job_retry"),
                        .style = BTN_SECONDARY,
                        .icon = -1,
                        .input = IN_JOB_RETRY,
                        .arg = j->id,
                        .role = TEXT_LABEL,
                        .busy = busy == j->id};
        widget_button(k, kit_rect(x, by, rw, bh), &b);
        x += rw + gap;
    }
    if (j->can_cancel) {
        snprintf(id, sizeof id, "cancel-%d", j->id);
        struct btn b = {.id = id,
                        .label = tr("staff.job_cancel"),
                        .style = BTN_QUIET,
                        .icon = -1,
                        .input = IN_JOB_CANCEL,
                        .arg = j->id,
                        .role = TEXT_LABEL,
                        .disabled = busy == j->id};
        widget_button(k, kit_rect(x, by, cw, bh), &b);
    }
}

void staff_jobs_draw(struct kit *k, int y, int top)
{
    const struct theme_colors *c = &k->th.c;
    const struct ui_staff_view *v = k->v.staff;
    SDL_Rect cr = k->content;
    struct text_style hd = text_role(k, TEXT_TITLE3, c->ink);
    text_draw(k, tr("staff.jobs_title"), cr.x, y, &hd);
    y += hd.line + SP_8;
    if (v && v->job_note[0]) {
        struct text_style note = text_role(k, TEXT_BODY, c->ink2);
        int h = text_box(k, v->job_note, cr.x, y, cr.w, &note);
        kit_add(k, "job-note", v->job_note, UI_LABEL, kit_rect(cr.x, y, cr.w, h), IN_NONE, 0);
        y += h;
    }
    y += SP_16;
    int n = v ? v->job_count : 0;
    if (n == 0) {
        struct text_style st = text_role(k, TEXT_BODY, c->ink2);
        text_draw(k, tr("staff.jobs_none"), cr.x, y, &st);
        kit_add(k, "jobs-none", tr("staff.jobs_none"), UI_LABEL, kit_rect(cr.x, y, cr.w, st.line),
                IN_NONE, 0);
        return;
    }
    /* Portrait: the pager above the exit button; landscape: beside it,
     * under a list as wide as the log's. */
    int w = k->landscape ? cr.w - 560 - SP_24 : cr.w;
    int pager_y = k->landscape ? top : top - SP_24 - k->th.btn_h;
    int rh = k->th.btn_h + SP_16;
    int bottom = pager_y - SP_16;
    int per = (bottom - y) / rh;
    per = per < 1 ? 1 : per;
    int pages = (n + per - 1) / per;
    pages = pages > FLOW_LIST_PAGES ? FLOW_LIST_PAGES : pages;
    int page = k->f->page < pages ? k->f->page : pages - 1;
    int shown = n - page * per < per ? n - page * per : per;
    widget_card_plain(k, kit_rect(cr.x, y, w, shown * rh));
    for (int i = 0; i < shown; i++) {
        SDL_Rect r = {cr.x, y + i * rh, w, rh};
        if (i)
            draw_hline(k, r.x + SP_16, r.x + r.w - SP_16, r.y, 1, c->line);
        job_row(k, r, &v->jobs[page * per + i], v->job_busy);
    }
    if (pages > 1)
        screens_pager(k, pager_y, page, pages, kit_rect(cr.x, 0, w, 0));
}
