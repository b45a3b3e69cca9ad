/* staff.c - maintenance mode and what citizens see while the kiosk is out
 * of service: the staff PIN on a keypad (dots, never digits; a refusal or
 * the lockout in words), the maintenance screen (each device's state in a
 * word with its detail, the test slip, paper refilled, out of service and
 * back, leaving), and the closed screen. UI thread.
 */
#include "ui/screens/screens.h"

#include "base/clock.h"
#include "base/err.h"

#include <stdio.h>
#include <string.h>

void staff_pin_draw(struct kit *k)
{
    const struct flow *f = k->f;
    int y = screens_back(k, tr("staff.pin_back"));
    y = chrome_title(k, y, tr("staff.pin_title"), tr("staff.pin_lead"));
    /* One dot (3 bytes of UTF-8) a digit: never the digits themselves. */
    char dots[3 * FLOW_PIN_MAX + 1] = "";
    size_t n = strlen(f->pin);
    for (size_t i = 0; i < n && i < FLOW_PIN_MAX; i++)
        memcpy(dots + 3 * i, "●", 3);
    dots[3 * (n < FLOW_PIN_MAX ? n : FLOW_PIN_MAX)] = '\0';
    char note[160];
    if (f->pin_verdict == FLOW_PIN_LOCKED) {
        struct clock_cst t;
        clock_to_cst(f->staff_locked_until_s, &t);
        char hm[16];
        snprintf(hm, sizeof hm, "%02d:%02d", t.hour, t.minute);
        i18n_subst(note, sizeof note, tr("staff.pin_locked"), hm, NULL, NULL);
    } else {
        snprintf(note, sizeof note, "%s",
                 tr(f->pin_verdict == FLOW_PIN_WRONG ? "staff.pin_wrong" : "staff.pin_lead"));
    }
    screens_number_entry(k, y, dots, tr("staff.pin_placeholder"), f->pin_verdict != FLOW_PIN_OK,
                         note);
}

static const char *const device_keys[UI_DEV_COUNT] = {
    [UI_DEV_READER] = "staff.reader",     [UI_DEV_CAMERA] = "staff.camera",
    [UI_DEV_SLIP] = "staff.slip",         [UI_DEV_A4] = "staff.a4",
    [UI_DEV_REGISTRY] = "staff.registry", [UI_DEV_CLOCK] = "staff.clock",
    [UI_DEV_DISK] = "staff.disk",
};

#define DEVICE_PAD   24  /* left and right inside a row */
#define DEVICE_STATE 200 /* the state's word and icon */
#define DEVICE_TEST  220 /* the camera row's 预览画面 button and its gap */

/* The width of a row's detail: the camera's row also holds its test. */
static int detail_width(enum ui_device d, int w)
{
    return w - 2 * DEVICE_PAD - DEVICE_STATE - (d == UI_DEV_CAMERA ? DEVICE_TEST : 0);
}

/* The height of a row's text: the name and the detail's lines. */
static int detail_height(struct kit *k, enum ui_device d, int w, const char *detail)
{
    struct text_style name = text_role(k, TEXT_TITLE3, 0);
    struct text_style sub = text_role(k, TEXT_CAPTION, 0);
    return name.line + text_box_height(k, detail, detail_width(d, w), &sub);
}

/* One device's row: name, detail, and its state in a word with an icon
 * (not by colour alone). */
static void device_row(struct kit *k, SDL_Rect r, enum ui_device d, const struct ui_staff_view *v)
{
    const struct theme_colors *c = &k->th.c;
    static const char *const words[] = {"staff.ok", "staff.warn", "staff.fault", "staff.off"};
    enum ui_device_state st = v ? v->state[d] : UI_DEVICE_OFF;
    uint32_t fg = st == UI_DEVICE_OK     ? c->ok_fg
                  : st == UI_DEVICE_OFF  ? c->ink3
                  : st == UI_DEVICE_WARN ? c->warn_fg
                                         : c->bad_fg;
    enum icon ic = st == UI_DEVICE_OK    ? ICON_CHECK_CIRCLE
                   : st == UI_DEVICE_OFF ? ICON_MINUS
                                         : ICON_ALERT;
    struct text_style name = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style sub = text_role(k, TEXT_CAPTION, c->ink2);
    struct text_style word = text_role(k, TEXT_LABEL, fg);
    word.bold = true;
    int pad = DEVICE_PAD, ww = DEVICE_STATE;
    const char *detail = v ? v->detail[d] : "";
    int y = r.y + (r.h - detail_height(k, d, r.w, detail)) / 2;
    text_draw(k, tr(device_keys[d]), r.x + pad, y, &name);
    text_box(k, detail, r.x + pad, y + name.line, detail_width(d, r.w), &sub);
    if (d == UI_DEV_CAMERA && v && st != UI_DEVICE_OFF) {
        int bh = k->th.btn_h < r.h - 8 ? k->th.btn_h : r.h - 8;
        struct btn b = {.id = "camera-test",
                        .label = tr("staff.camera_test"),
                        .style = BTN_SECONDARY,
                        .icon = -1,
                        .input = IN_STAFF_ACTION,
                        .arg = STAFF_TEST_CAMERA,
                        .role = TEXT_LABEL};
        widget_button(
            k, kit_rect(r.x + r.w - pad - ww - DEVICE_TEST + 20, r.y + (r.h - bh) / 2, 200, bh),
            &b);
    }
    /* The state in a word, and under it since when. */
    int wx = r.x + r.w - pad - ww;
    const char *since = v ? v->since[d] : "";
    int wy = r.y + (r.h - word.line - (since[0] ? sub.line : 0)) / 2;
    icon_draw(k, ic, wx, wy + (word.line - 32) / 2, 32, fg);
    text_draw(k, tr(words[st]), wx + 44, wy, &word);
    if (since[0])
        text_draw(k, since, wx, wy + word.line, &sub);
    char id[24], label[260];
    snprintf(id, sizeof id, "dev-%d", (int)d);
    snprintf(label, sizeof label, "%s %s %s %s", tr(device_keys[d]), tr(words[st]), detail, since);
    kit_add(k, id, label, UI_LABEL, r, IN_NONE, 0);
}

/* 预览画面: the camera's picture (mirrored, as a citizen sees it) with the
 * detector's box on the main face, what the detector found in words, and
 * 关闭预览. Drawn in r. */
static void camera_test(struct kit *k, SDL_Rect r)
{
    const struct theme_colors *c = &k->th.c;
    const struct ui_staff_view *v = k->v.staff;
    struct text_style body = text_role(k, TEXT_BODY, c->ink);
    int bh = k->th.btn_h, bw = 240;
    SDL_Rect pic = {r.x, r.y, r.w, r.h - bh - SP_16};
    kit_clip(k, &pic);
    SDL_Rect src = {0};
    bool framed = screens_camera_frame(k, pic, &src);
    if (framed && v && v->faces > 0 && src.w > 0 && src.h > 0) {
        /* The frame is mirrored on screen: so is the box. */
        SDL_Rect b = v->face_box;
        int x0 = src.x + src.w - (b.x + b.w);
        SDL_Rect s = {pic.x + (int)((int64_t)x0 * pic.w / src.w),
                      pic.y + (int)((int64_t)(b.y - src.y) * pic.h / src.h),
                      (int)((int64_t)b.w * pic.w / src.w), (int)((int64_t)b.h * pic.h / src.h)};
        uint32_t col = k->th.contrast ? c->ok_fg : 0x3DCB6C;
        int t = 6; /* the box's four sides */
        draw_fill(k, kit_rect(s.x, s.y, s.w, t), col);
        draw_fill(k, kit_rect(s.x, s.y + s.h - t, s.w, t), col);
        draw_fill(k, kit_rect(s.x, s.y, t, s.h), col);
        draw_fill(k, kit_rect(s.x + s.w - t, s.y, t, s.h), col);
        kit_add(k, "face-box", tr("staff.camera_box"), UI_LABEL, s, IN_NONE, 0);
    }
    kit_clip(k, NULL);
    draw_corner_cut(k, pic, RADIUS_L, c->canvas);
    char line[160], n[16], l[16], s[16];
    snprintf(n, sizeof n, "%d", v ? v->faces : 0);
    snprintf(l, sizeof l, "%d", v ? v->luma : 0);
    snprintf(s, sizeof s, "%d", v ? v->sharpness : 0);
    i18n_subst(line, sizeof line,
               tr(!framed             ? "staff.camera_waiting"
                  : v && v->faces > 0 ? "staff.camera_faces"
                                      : "staff.camera_no_face"),
               n, l, s);
    int ty = r.y + r.h - bh;
    int h = text_box(k, line, r.x, ty + (bh - body.line) / 2, r.w - bw - SP_16, &body);
    kit_add(k, "camera-facts", line, UI_LABEL, kit_rect(r.x, ty, r.w - bw - SP_16, h), IN_NONE, 0);
    struct btn close = {.id = "camera-close",
                        .label = tr("staff.camera_close"),
                        .style = BTN_SECONDARY,
                        .icon = -1,
                        .input = IN_STAFF_ACTION,
                        .arg = STAFF_TEST_CAMERA};
    widget_button(k, kit_rect(r.x + r.w - bw, ty, bw, bh), &close);
}

static void action(struct kit *k, SDL_Rect r, const char *id, const char *key,
                   enum flow_staff_action a, enum icon ic)
{
    const struct ui_staff_view *v = k->v.staff;
    bool busy = (a == STAFF_TEST_SLIP && k->f->slip == FLOW_SLIP_PRINTING) ||
                (a == STAFF_TEST_PAGE && v && v->page_test == UI_PAGE_PRINTING);
    struct btn b = {.id = id,
                    .label = tr(key),
                    .style = BTN_SECONDARY,
                    .icon = (int)ic,
                    .input = IN_STAFF_ACTION,
                    .arg = (int)a,
                    .busy = busy};
    widget_button(k, r, &b);
}

/* 运行日志: the newest line first, a page at a time (never smaller type). */
static void log_view(struct kit *k, int y, int top)
{
    const struct theme_colors *c = &k->th.c;
    const struct ui_staff_view *v = k->v.staff;
    SDL_Rect cr = k->content;
    struct text_style st = text_role(k, TEXT_CAPTION, c->ink);
    int n = v ? v->log_count : 0;
    if (n == 0) {
        text_draw(k, tr("staff.log_none"), cr.x, y, &st);
        return;
    }
    int w = k->landscape ? cr.w - 560 - SP_24 : cr.w;
    int per = (top - SP_24 - k->th.btn_h - SP_24 - y) / st.line;
    per = per < 1 ? 1 : per;
    int pages = (n + per - 1) / per;
    pages = pages > FLOW_LIST_PAGES ? FLOW_LIST_PAGES : pages;
    int page = k->f->page < pages ? k->f->page : pages - 1;
    widget_card_plain(k, kit_rect(cr.x, y - SP_8, w, per * st.line + SP_16));
    for (int i = page * per; i < (page + 1) * per && i < n; i++) {
        const char *line = v->log[n - 1 - i];
        text_draw(k, line, cr.x + SP_16, y, &st);
        char id[16];
        snprintf(id, sizeof id, "log%d", i);
        kit_add(k, id, line, UI_LABEL, kit_rect(cr.x, y, w, st.line), IN_NONE, 0);
        y += st.line;
    }
    screens_pager(k, top - SP_24 - k->th.btn_h, page, pages, kit_rect(cr.x, 0, w, 0));
}

/* 暂停服务's question: the reasons citizens will read, two a row, and 不暂停.
 * Returns the y below. */
static int reasons(struct kit *k, int x, int y, int w)
{
    struct text_style q = text_role(k, TEXT_BODY, k->th.c.ink);
    q.bold = true;
    int h = text_box(k, tr("staff.oos_ask"), x, y, w, &q);
    kit_add(k, "oos-ask", tr("staff.oos_ask"), UI_LABEL, kit_rect(x, y, w, h), IN_NONE, 0);
    y += h + SP_8;
    /* Two a row, or one where the longest reason would not fit half. */
    struct text_style lab = text_role(k, TEXT_LABEL, 0);
    int bh = k->th.btn_h, gap = SP_16, cols = 2;
    for (int i = 0; i < FLOW_OOS_REASONS; i++) {
        char key[24];
        snprintf(key, sizeof key, "closed.reason.%d", i);
        if (text_width(k, tr(key), &lab) + 2 * SP_24 > (w - gap) / 2)
            cols = 1;
    }
    int bw = (w - (cols - 1) * gap) / cols, rows = (FLOW_OOS_REASONS + cols - 1) / cols;
    for (int i = 0; i < FLOW_OOS_REASONS; i++) {
        char key[24], id[16];
        snprintf(key, sizeof key, "closed.reason.%d", i);
        snprintf(id, sizeof id, "reason%d", i);
        struct btn b = {.id = id,
                        .label = tr(key),
                        .style = BTN_SECONDARY,
                        .icon = -1,
                        .input = IN_OOS_REASON,
                        .arg = i,
                        .role = TEXT_LABEL};
        widget_button(k, kit_rect(x + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap), bw, bh),
                      &b);
    }
    y += rows * (bh + gap);
    struct btn keep = {.id = "oos-keep",
                       .label = tr("staff.oos_keep"),
                       .style = BTN_QUIET,
                       .icon = -1,
                       .input = IN_OOS_REASON,
                       .arg = -1};
    widget_button(k, kit_rect(x, y, w, bh), &keep);
    return y + bh + gap;
}

void staff_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    const struct flow *f = k->f;
    const struct ui_staff_view *v = k->v.staff;
    SDL_Rect cr = k->content;
    char lead[160], mins[16];
    snprintf(mins, sizeof mins, "%d", f->timing.staff_idle_ms / 60000);
    i18n_subst(lead, sizeof lead, tr("staff.lead"), f->staff_no, mins, NULL);
    /* Large type has no line to spare: the header names the staff member
     * already, and the idle banner warns before the exit. */
    int y = chrome_title(k, cr.y, tr(f->out_of_service ? "staff.title_closed" : "staff.title"),
                         k->th.elder ? NULL : lead);
    struct btn exit = {.id = "staff-exit",
                       .label = tr("staff.exit"),
                       .style = BTN_PRIMARY,
                       .icon = -1,
                       .input = IN_STAFF_EXIT};
    int top = chrome_primary(k, &exit);
    if (f->staff_tab == FLOW_TAB_SETTINGS) {
        staff_settings_draw(k, y, top);
        return;
    }
    if (f->staff_tab == 1) {
        struct text_style hd = text_role(k, TEXT_TITLE3, c->ink);
        text_draw(k, tr("staff.log_title"), cr.x, y, &hd);
        log_view(k, y + hd.line + SP_16, top);
        kit_want_frame(k, 1000);
        return;
    }
    if (f->staff_tab == 2) {
        staff_jobs_draw(k, y, top);
        kit_want_frame(k, 1000); /* the jobs' states, fresh while it is open */
        return;
    }
    if (f->oos_asking) {
        /* The question takes the devices' and the actions' place until it
         * is answered. */
        if (reasons(k, cr.x, y, cr.w) > top)
            kit_issue(k, "the reasons run into the exit button");
        return;
    }
    /* Devices: one column in portrait, the left two thirds in landscape. */
    int lw = k->landscape ? cr.w - 560 - SP_24 : cr.w;
    /* A row is as high as its detail needs (a long one takes two lines).
     * The rows give up padding before anything is cut: in landscape they
     * share the column with nothing, in portrait they leave room for the
     * row of actions and two lines of what the tests found. */
    int rh[UI_DEV_COUNT], total = 0, pad = k->th.elder ? 28 : 24;
    for (int d = 0; d < UI_DEV_COUNT; d++) {
        rh[d] = detail_height(k, (enum ui_device)d, lw, v ? v->detail[d] : "");
        total += rh[d];
    }
    int below = k->landscape ? cr.y + cr.h
                             : top - SP_16 - SP_24 - (k->th.btn_h + SP_16) -
                                   2 * text_role(k, TEXT_BODY, c->ink2).line;
    if (total + UI_DEV_COUNT * pad > below - y)
        pad = (below - y - total) / UI_DEV_COUNT;
    pad = pad < 4 ? 4 : pad;
    SDL_Rect list = {cr.x, y, lw, total + UI_DEV_COUNT * pad};
    if (f->camera_preview) {
        /* The camera's test takes the list's place, as high as it was
         * (never past the room there is). */
        if (list.h > below - y)
            list.h = below - y;
        camera_test(k, list);
    } else {
        widget_card_plain(k, list);
        for (int d = 0, ry = y; d < UI_DEV_COUNT; ry += rh[d] + pad, d++) {
            SDL_Rect r = {cr.x, ry, lw, rh[d] + pad};
            if (d)
                draw_hline(k, r.x + 16, r.x + r.w - 16, r.y, 1, c->line);
            device_row(k, r, (enum ui_device)d, v);
        }
    }
    y += list.h + SP_24;
    /* Actions: a row of four under the list (portrait), or two by two in
     * the right column. */
    int ax = k->landscape ? cr.x + lw + SP_24 : cr.x;
    int aw = k->landscape ? (560 - SP_16) / 2 : (cr.w - 3 * SP_16) / 4;
    int ay = k->landscape ? cr.y : y, bh = k->th.btn_h, gap = SP_16;
    /* Four buttons: x of column i, the row's y (landscape: two rows). */
    int gx = SP_16, cols = k->landscape ? 2 : 4;
    SDL_Rect r[4];
    for (int i = 0; i < 4; i++)
        r[i] = kit_rect(ax + (i % cols) * (aw + gx), ay + (i / cols) * (bh + gap), aw, bh);
    action(k, r[0], "test-slip", "staff.test_slip", STAFF_TEST_SLIP, ICON_PRINTER);
    action(k, r[1], "test-page", "staff.test_page", STAFF_TEST_PAGE, ICON_DOC);
    action(k, r[2], "refilled", "staff.refilled", STAFF_PAPER_REFILLED, ICON_REFRESH);
    if (f->out_of_service)
        action(k, r[3], "service", "staff.in_service", STAFF_IN_SERVICE, ICON_CHECK_CIRCLE);
    else
        action(k, r[3], "service", "staff.out_of_service", STAFF_OUT_OF_SERVICE, ICON_PROHIBIT);
    ay += (4 / cols) * (bh + gap);
    /* What the tests found, under the buttons. */
    struct text_style body = text_role(k, TEXT_BODY, c->ink2);
    int tw = k->landscape ? 560 : cr.w;
    char line[160];
    if (f->slip == FLOW_SLIP_PRINTED || f->slip == FLOW_SLIP_FAILED ||
        f->slip == FLOW_SLIP_EXPIRED || f->slip == FLOW_SLIP_PAPER_OUT ||
        f->slip == FLOW_SLIP_COVER_OPEN || f->slip == FLOW_SLIP_OFFLINE) {
        const char *why = tr(f->slip == FLOW_SLIP_PAPER_OUT    ? "staff.slip_paper_out"
                             : f->slip == FLOW_SLIP_COVER_OPEN ? "staff.slip_cover"
                                                               : "staff.slip_offline");
        if (f->slip == FLOW_SLIP_PRINTED)
            snprintf(line, sizeof line, "%s", tr("staff.slip_ok"));
        else
            i18n_subst(line, sizeof line, tr("staff.slip_bad"), why, NULL, NULL);
        int h = text_box(k, line, ax, ay, tw, &body);
        kit_add(k, "slip-test", line, UI_LABEL, kit_rect(ax, ay, tw, h), IN_NONE, 0);
        ay += h;
    }
    /* 测试页: on its way, printed, or why not. */
    if (v && v->page_test != UI_PAGE_NONE) {
        if (v->page_test == UI_PAGE_FAILED)
            i18n_subst(line, sizeof line, tr("staff.page_bad"), v->page_err, NULL, NULL);
        else
            snprintf(line, sizeof line, "%s",
                     tr(v->page_test == UI_PAGE_PRINTED ? "staff.page_ok" : "staff.page_printing"));
        int h = text_box(k, line, ax, ay, tw, &body);
        kit_add(k, "page-test", line, UI_LABEL, kit_rect(ax, ay, tw, h), IN_NONE, 0);
        ay += h;
    }
    /* 测试读卡: the last card laid on in maintenance mode. */
    const char *card_key = f->card_test[0]                                ? "staff.card_ok"
                           : f->card_test_err                             ? "staff.card_failed"
                           : f->card_test_problem == PROBLEM_CARD_EXPIRED ? "staff.card_expired"
                           : f->card_test_problem != PROBLEM_NONE         ? "staff.card_invalid"
                                                                          : "staff.card_hint";
    i18n_subst(line, sizeof line, tr(card_key), f->card_test,
               f->card_test_err ? err_str(f->card_test_err) : "", NULL);
    /* A result always; the hint where there is room for it. */
    int ch = text_box_height(k, line, tw, &body);
    if (strcmp(card_key, "staff.card_hint") != 0 || ay + ch <= top - SP_16) {
        text_box(k, line, ax, ay, tw, &body);
        kit_add(k, "card-test", line, UI_LABEL, kit_rect(ax, ay, tw, ch), IN_NONE, 0);
        ay += ch;
    }
    /* The note on the audit trail where there is room for it. */
    struct text_style cap = text_role(k, TEXT_CAPTION, c->ink3);
    if (ay + SP_8 + text_box_height(k, tr("staff.audit_note"), tw, &cap) <= top - SP_16)
        text_box(k, tr("staff.audit_note"), ax, ay + SP_8, tw, &cap);
    if (ay > top - SP_16)
        kit_issue(k, "maintenance text runs into the exit button");
    kit_want_frame(k, 1000); /* the devices' states, fresh while it is open */
}

/* After office hours: when the kiosk serves, in the lead's place. */
static void hours_lead(struct kit *k, char *out, size_t size)
{
    const struct settings *st = k->f->settings;
    char key[24], open[8], close[8];
    int days = st ? st->days : SETTINGS_DAYS_ALWAYS;
    snprintf(key, sizeof key, "settings.days.%d",
             days >= 0 && days < SETTINGS_DAYS_COUNT ? days : 0);
    settings_hhmm(st ? st->open_min : 0, open, sizeof open);
    settings_hhmm(st ? st->close_min : 24 * 60, close, sizeof close);
    char when[64];
    snprintf(when, sizeof when, "%s–%s", open, close);
    i18n_subst(out, size, tr("hours.lead"), tr(key), when, NULL);
}

void closed_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    bool hours = k->f->hours_closed;
    int ps = 160, y = cr.y + cr.h / 6;
    char key[24], lead[160];
    snprintf(key, sizeof key, "closed.reason.%d",
             k->f->oos_reason >= 0 && k->f->oos_reason < FLOW_OOS_REASONS ? k->f->oos_reason : 0);
    if (hours)
        hours_lead(k, lead, sizeof lead);
    else
        i18n_subst(lead, sizeof lead, tr("closed.lead"), tr(key), NULL, NULL);
    uint32_t line = hours ? c->line_strong : c->bad_line, fg = hours ? c->ink2 : c->bad_fg;
    draw_rrect_border(k, kit_rect(cr.x + (cr.w - ps) / 2, y, ps, ps), ps / 2, 2, line,
                      k->th.contrast ? 0 : (hours ? c->surface : c->bad_bg));
    icon_draw(k, hours ? ICON_CLOCK : ICON_PROHIBIT, cr.x + (cr.w - ps) / 2 + ps / 5, y + ps / 5,
              ps * 3 / 5, fg);
    y += ps + SP_40;
    struct text_style t = text_role(k, TEXT_TITLE1, c->ink);
    t.align = ALIGN_CENTER;
    const char *title = tr(hours ? "hours.title" : "closed.title");
    int h = text_box(k, title, cr.x, y, cr.w, &t);
    kit_add(k, "title", title, UI_LABEL, kit_rect(cr.x, y, cr.w, h), IN_NONE, 0);
    y += h + SP_16;
    /* After office hours the hours are what matters: as large as the title. */
    struct text_style l = text_role(k, hours ? TEXT_TITLE2 : TEXT_LEAD, hours ? c->ink : c->ink2);
    l.align = ALIGN_CENTER;
    h = text_box(k, lead, cr.x, y, cr.w, &l);
    kit_add(k, "reason", lead, UI_LABEL, kit_rect(cr.x, y, cr.w, h), IN_NONE, 0);
    y += h + SP_24;
    struct text_style w = text_role(k, hours ? TEXT_LEAD : TEXT_TITLE2, hours ? c->ink2 : c->ink);
    w.align = ALIGN_CENTER;
    const char *where = tr(hours ? "hours.where" : "closed.where");
    h = text_box(k, where, cr.x, y, cr.w, &w);
    kit_add(k, "where", where, UI_LABEL, kit_rect(cr.x, y, cr.w, h), IN_NONE, 0);
    if (hours) {
        struct text_style n = text_role(k, TEXT_BODY, c->ink3);
        n.align = ALIGN_CENTER;
        text_box(k, tr("hours.wake"), cr.x, cr.y + cr.h - n.line, cr.w, &n);
    }
}
