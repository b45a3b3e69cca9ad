/* face_capture.c - the guided camera preview: the mirrored frame in a
 * rounded panel right under the camera, an oval guide that turns green
 * with 位置合适, one instruction at display size, a three-step progress
 * and the stop button to the counter route. While the registry compares
 * (flow->busy) the instruction becomes 正在核验. The privacy line states the
 * real path of the frame (ui_config.face_on_device: the registry over the
 * government network, or an on-device matcher). Preview frames are never
 * stored. UI thread.
 */
#include "ui/screens/screens.h"

#include <math.h>
#include <stdio.h>

static const char *guidance_key(const struct flow *f)
{
    static char key[24];
    if (f->busy)
        return "face.verifying";
    snprintf(key, sizeof key, "face.g%d", (int)f->guidance);
    return key;
}

/* A new picture into the camera's texture, only when new: the one made
 * for the screen (ui_view.camera_fill) copied straight in, or the
 * camera's frame mirrored (as a citizen sees themself) into the target's
 * own format, so that drawing it only scales it, several times cheaper in
 * the software renderer than a flipped copy that converts. */
static bool camera_upload(struct kit *k, const struct ui_view *v)
{
    if (k->camera_tex_seq == v->camera_seq && k->camera_tex_seq != 0)
        return false;
    void *pixels;
    int pitch;
    if (SDL_LockTexture(k->camera_tex, NULL, &pixels, &pitch) != 0)
        return false;
    bool got = true;
    if (v->camera_fill) {
        got = v->camera_fill(v->camera_fill_user, pixels, pitch,
                             kit_rect(0, 0, v->camera_w, v->camera_h), v->camera_w, v->camera_h);
    } else {
        int w = v->camera_w;
        for (int y = 0; y < v->camera_h; y++) {
            const uint8_t *in = v->camera_rgb + (size_t)y * (size_t)w * 3;
            uint32_t *o = (uint32_t *)(void *)((uint8_t *)pixels + (size_t)y * (size_t)pitch);
            for (int x = 0; x < w; x++) {
                const uint8_t *p = in + (size_t)(w - 1 - x) * 3;
                o[x] = 0xFF000000u | (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
            }
        }
    }
    SDL_UnlockTexture(k->camera_tex);
    return got;
}

/* The texture for the camera's frame or picture, of its size: opaque
 * (drawn without blending). A new renderer (the window's framebuffer
 * made again) drops it with the other textures. */
static bool camera_texture(struct kit *k, const struct ui_view *v)
{
    bool picture = v->camera_fill != NULL;
    if (k->camera_tex && k->camera_tex_w == v->camera_w && k->camera_tex_h == v->camera_h &&
        k->camera_tex_picture == picture)
        return true;
    if (k->camera_tex)
        SDL_DestroyTexture(k->camera_tex);
    /* the pixels are written as 0xFFRRGGBB: the framebuffer's own format
     * where it is that layout (X's XRGB), so drawing them converts nothing */
    Uint32 format = k->target_format == SDL_PIXELFORMAT_RGB888 ? SDL_PIXELFORMAT_RGB888
                                                               : SDL_PIXELFORMAT_ARGB8888;
    k->camera_tex =
        SDL_CreateTexture(k->r, format, SDL_TEXTUREACCESS_STREAMING, v->camera_w, v->camera_h);
    k->camera_tex_w = v->camera_w;
    k->camera_tex_h = v->camera_h;
    k->camera_tex_picture = picture;
    k->camera_tex_seq = 0;
    if (k->camera_tex)
        SDL_SetTextureBlendMode(k->camera_tex, SDL_BLENDMODE_NONE);
    return k->camera_tex != NULL;
}

/* No picture yet: a quiet silhouette where the face goes. */
static void silhouette(struct kit *k, SDL_Rect r)
{
    const struct theme_colors *c = &k->th.c;
    draw_fill(k, r, c->camera_bg);
    int cx = r.x + r.w / 2;
    draw_fill(k, kit_rect(r.x, r.y + r.h * 62 / 100, r.w, r.h * 38 / 100),
              k->th.contrast ? 0x111111 : 0x2E3540);
    draw_rrect(k, kit_rect(cx - r.w * 38 / 100, r.y + r.h * 82 / 100, r.w * 76 / 100, r.h),
               r.w * 30 / 100, k->th.contrast ? 0x333333 : 0x1B2633);
    draw_circle(k, cx, r.y + r.h * 44 / 100, r.w * 20 / 100, k->th.contrast ? 0x333333 : 0x56606E);
}

/* The picture made for the panel r, copied straight into the frame the
 * software renderer draws (no texture: with the face thread's picture
 * and the frame, a texture would be a third copy of about 2.5 MB). Only
 * where one canvas pixel is one real pixel, at a whole offset (headless,
 * a panel of the canvas's size); elsewhere SDL places it, from a
 * texture. Returns whether it drew. */
static bool picture_into_frame(struct kit *k, const struct ui_view *v, SDL_Rect r, bool *placed)
{
    float s, ox, oy;
    kit_canvas_place(k, &s, &ox, &oy);
    Uint32 fmt = k->frame_surf ? k->frame_surf->format->format : 0;
    *placed = (fmt == SDL_PIXELFORMAT_ARGB8888 || fmt == SDL_PIXELFORMAT_RGB888) && s == 1.0f &&
              ox == floorf(ox) && oy == floorf(oy) && !SDL_GetRenderTarget(k->r);
    if (!*placed)
        return false;
    if (k->camera_tex) { /* the frames' texture, from before: not needed */
        kit_texture_wipe(k->camera_tex);
        k->camera_tex = NULL;
        k->camera_tex_seq = 0;
    }
    /* the panel (as much of it as the picture covers), inside this
     * frame's area and the surface */
    SDL_Rect area = {r.x, r.y, SDL_min(r.w, v->camera_w), SDL_min(r.h, v->camera_h)};
    if (k->frame_clip.w > 0 && !SDL_IntersectRect(&area, &k->frame_clip, &area))
        return true;
    SDL_Surface *fs = k->frame_surf;
    SDL_Rect out = {area.x + (int)ox, area.y + (int)oy, area.w, area.h};
    if (!SDL_IntersectRect(&out, &(SDL_Rect){0, 0, fs->w, fs->h}, &out))
        return true;
    SDL_Rect src = {out.x - (r.x + (int)ox), out.y - (r.y + (int)oy), out.w, out.h};
    SDL_RenderFlush(k->r); /* what is under it first */
    uint8_t *dst = (uint8_t *)fs->pixels + (size_t)out.y * (size_t)fs->pitch + (size_t)out.x * 4;
    return v->camera_fill(v->camera_fill_user, (uint32_t *)(void *)dst, fs->pitch, src, v->camera_w,
                          v->camera_h);
}

bool screens_camera_frame(struct kit *k, SDL_Rect r, SDL_Rect *src_out)
{
    const struct ui_view *v = &k->v;
    if (v->camera_fill && v->camera_w > 0 && v->camera_h > 0) {
        bool placed = false;
        if (picture_into_frame(k, v, r, &placed)) {
            if (src_out)
                *src_out = kit_rect(0, 0, v->camera_w, v->camera_h);
            return true;
        }
        if (placed) { /* no picture yet */
            silhouette(k, r);
            return false;
        }
    }
    bool have = (v->camera_rgb || v->camera_fill) && v->camera_w > 0 && v->camera_h > 0 &&
                camera_texture(k, v);
    if (have) {
        if (camera_upload(k, v))
            k->camera_tex_seq = v->camera_seq;
        /* a picture made on the face thread may not have come yet */
        have = !v->camera_fill || k->camera_tex_seq != 0;
    }
    if (have && v->camera_fill) { /* made for this panel: an unscaled copy */
        SDL_RenderCopy(k->r, k->camera_tex, NULL, &r);
        if (src_out)
            *src_out = kit_rect(0, 0, v->camera_w, v->camera_h);
        return true;
    }
    if (have) {
        /* cover the panel: crop the frame to the panel's aspect */
        SDL_Rect src = {0, 0, v->camera_w, v->camera_h};
        if ((int64_t)v->camera_w * r.h > (int64_t)v->camera_h * r.w) {
            src.w = (int)((int64_t)v->camera_h * r.w / r.h);
            src.x = (v->camera_w - src.w) / 2;
        } else {
            src.h = (int)((int64_t)v->camera_w * r.h / r.w);
            src.y = (v->camera_h - src.h) / 2;
        }
        SDL_Rect msrc = {v->camera_w - src.x - src.w, src.y, src.w, src.h}; /* mirrored */
        SDL_RenderCopy(k->r, k->camera_tex, &msrc, &r);
        if (src_out)
            *src_out = src;
        return true;
    }
    silhouette(k, r);
    return false;
}

static void camera(struct kit *k, SDL_Rect r)
{
    const struct theme_colors *c = &k->th.c;
    kit_clip(k, &r);
    screens_camera_frame(k, r, NULL);
    k->camera_rect = r; /* a new camera picture draws only here */
    bool ok = k->f->guidance == FACE_OK && !k->f->busy;
    int rx = r.w * 30 / 100, ry = r.h * 31 / 100;
    if (ry > rx * 13 / 10)
        ry = rx * 13 / 10;
    draw_ellipse_ring(k, r.x + r.w / 2, r.y + r.h * 46 / 100, rx, ry, 8,
                      ok ? (k->th.contrast ? c->ok_fg : 0x3DCB6C) : 0xFFFFFF);
    kit_clip(k, NULL);
    draw_corner_cut(k, r, RADIUS_L, c->canvas);
    if (ok) {
        struct text_style st = text_role(k, TEXT_LABEL, c->ok_fg);
        st.bold = true;
        int w = 16 + 32 + 8 + text_width(k, tr("face.ok_badge"), &st) + 16;
        SDL_Rect b = {r.x + 24, r.y + 24, w, 52};
        draw_rrect_border(k, b, RADIUS_S, 2, c->ok_line, k->th.contrast ? 0x000000 : c->ok_bg);
        icon_draw(k, ICON_CHECK, b.x + 14, b.y + 10, 32, c->ok_fg);
        text_draw(k, tr("face.ok_badge"), b.x + 54, b.y + (52 - st.line) / 2, &st);
    }
    if (k->f->busy)
        widget_spinner(k, r.x + r.w / 2, r.y + r.h * 46 / 100, 56);
}

static const char *const step_keys[3] = {"face.step_1", "face.step_2", "face.step_3"};

static int current_step(const struct flow *f)
{
    return f->busy ? 2 : f->face_step;
}

static void progress_row(struct kit *k, SDL_Rect r)
{
    const struct theme_colors *c = &k->th.c;
    int gap = 16, w = (r.w - 2 * gap) / 3;
    int cur = current_step(k->f);
    for (int i = 0; i < 3; i++) {
        int x = r.x + i * (w + gap);
        uint32_t col = i <= cur ? (k->th.contrast ? c->link : c->primary) : c->line;
        draw_rrect(k, kit_rect(x, r.y, w, 12), 6, col);
        struct text_style st = text_role(k, TEXT_LABEL, i == cur ? c->ink : c->ink3);
        st.bold = i == cur;
        st.align = ALIGN_CENTER;
        int tw = text_width(k, tr(step_keys[i]), &st);
        if (i < cur) {
            icon_draw(k, ICON_CHECK, x + (w - tw) / 2 - 36, r.y + 28 + 2, 30, c->ok_fg);
        }
        text_draw(k, tr(step_keys[i]), x + w / 2, r.y + 26, &st);
    }
}

static void privacy(struct kit *k, int x, int y, int w, bool center)
{
    const struct theme_colors *c = &k->th.c;
    struct text_style st = text_role(k, TEXT_CAPTION, c->ink2);
    const char *s = k->cfg->face_on_device ? tr("face.privacy_device") : tr("face.privacy");
    int tw = w - 48;
    int lines = text_box_lines(k, s, tw, &st);
    int x0 = x;
    if (center && lines == 1) {
        int ww = text_width(k, s, &st) + 48;
        x0 = x + (w - ww) / 2;
    }
    icon_draw(k, ICON_LOCK, x0, y + 2, 32, c->ink2);
    text_box(k, s, x0 + 44, y, tw, &st);
}

void face_capture_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const char *steps[3] = {tr("step.id_1"), tr("step.id_2"), tr("step.id_3")};
    struct btn stop = {.id = "face-stop",
                       .label = tr("face.stop"),
                       .style = BTN_QUIET,
                       .icon = -1,
                       .input = IN_FACE_STOP};
    struct text_style disp = text_role(k, TEXT_DISPLAY, c->ink);
    struct text_style lead = text_role(k, TEXT_LEAD, c->ink2);
    /* the lead under the instruction: what to do next, never the
     * instruction again nor against it (no "face the screen" under "turn") */
    enum face_guidance g = k->f->guidance;
    const char *lead_s = tr("face.lead");
    if (k->f->busy)
        lead_s =
            k->cfg->face_on_device ? tr("face.verifying_lead_device") : tr("face.verifying_lead");
    else if (g == FACE_BLINK || g == FACE_TURN_LEFT || g == FACE_TURN_RIGHT)
        lead_s = tr("face.lead_challenge");
    else if (g == FACE_NONE)
        lead_s = tr("face.lead_absent");
    if (k->landscape) {
        int lw = 480;
        struct text_style cap = text_role(k, TEXT_CAPTION, c->ink3);
        text_draw(k, tr("face.step_of"), cr.x, cr.y, &cap);
        disp.size = 80;
        disp.line = 96;
        int y = cr.y + cap.line + 24;
        y += text_box(k, tr(guidance_key(k->f)), cr.x, y, lw, &disp);
        text_box(k, lead_s, cr.x, y + 8, lw, &lead);
        privacy(k, cr.x, cr.y + cr.h - 2 * cap.line, lw, false);
        int pw = 680;
        SDL_Rect pr = {cr.x + lw + 64 + (cr.w - lw - 64 - 500 - 64 - pw) / 2, cr.y, pw, cr.h};
        camera(k, pr);
        int rx = cr.x + cr.w - 500;
        text_draw(k, tr("face.progress"), rx, cr.y, &cap);
        int cur = current_step(k->f);
        for (int i = 0; i < 3; i++) {
            int cy = cr.y + cap.line + 48 + i * 76;
            if (i < cur) {
                draw_circle(k, rx + 24, cy, 24, k->th.contrast ? c->link : c->primary);
                icon_draw(k, ICON_CHECK, rx + 8, cy - 16, 32, k->th.contrast ? 0 : 0xFFFFFF);
            } else if (i == cur) {
                draw_circle(k, rx + 24, cy, 28, c->tint);
                draw_circle(k, rx + 24, cy, 24, k->th.contrast ? c->link : c->primary);
            } else {
                draw_ring(k, rx + 24, cy, 24, 3, c->line_strong);
            }
            struct text_style st = text_role(k, TEXT_BODY, i == cur ? c->ink : c->ink2);
            st.bold = i == cur;
            text_draw(k, tr(step_keys[i]), rx + 68, cy - st.line / 2, &st);
        }
        widget_progress(k, kit_rect(rx, cr.y + cap.line + 48 + 3 * 76 - 20, 500, 20),
                        ((float)cur + 0.5f) / 3.0f);
        int bh = k->th.btn_h + 24;
        widget_button(k, kit_rect(rx, cr.y + cr.h - bh, 500, bh), &stop);
        (void)steps;
        return;
    }
    widget_stepper(k, cr.y, steps, 1);
    int y = cr.y + widget_stepper_height(k) + 32;
    disp.align = lead.align = ALIGN_CENTER;
    y += text_box(k, tr(guidance_key(k->f)), cr.x, y, cr.w, &disp);
    y += text_box(k, lead_s, cr.x, y, cr.w, &lead) + 24;
    int bh = k->th.btn_h;
    int bottom = cr.y + cr.h - bh - 40;
    struct text_style cap = text_role(k, TEXT_CAPTION, c->ink2);
    int priv_h = 2 * cap.line;
    int ph = bottom - y - 24 - 80 - 24 - priv_h;
    if (ph > 820)
        ph = 820;
    int pw = ph * 93 / 100;
    if (pw > 760)
        pw = 760;
    SDL_Rect pr = {cr.x + (cr.w - pw) / 2, y, pw, ph};
    camera(k, pr);
    y += ph + 24;
    progress_row(k, kit_rect(pr.x, y, pw, 80));
    y += 80 + 24;
    privacy(k, cr.x + 40, y, cr.w - 80, true);
    widget_button(k, kit_rect(cr.x, cr.y + cr.h - bh, cr.w, bh), &stop);
}
