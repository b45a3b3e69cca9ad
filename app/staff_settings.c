/* staff_settings.c - the staff's settings on the kiosk's side; see
 * staff_settings.h.
 */
#include "staff_settings.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "core/i18n.h"
#include "staff.h"
#include "store/settings_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "dev"
#endif

static void settings_path(const struct app *a, char *out, size_t size)
{
    devices_state_path(&a->cfg, a->cfg.staff_settings, "settings.ini", out, size);
}

/* What the settings mean outside the flow and the screens: the mixer's
 * volume for the voice guidance to come. The brightness follows in
 * staff_settings_light; hours, notice and language are read where used. */
static void apply(struct app *a)
{
    a->mix_volume = SDL_MIX_MAXVOLUME * a->settings.volume / 100;
}

void staff_settings_start(struct app *a)
{
    a->settings = a->cfg.settings;
    char path[512], why[160];
    settings_path(a, path, sizeof path);
    int rc = settings_file_load(path, &a->settings, why, sizeof why);
    if (rc == 0)
        log_info("settings", "staff's settings read from %s", path);
    else if (rc != ERR_NOTFOUND)
        log_err("settings",
                "%s refused (%s): the config file's settings are in force; "
                "fix the file or remove it",
                path, why[0] ? why : err_str(rc));
    a->flow.settings = &a->settings;
    a->flow.english = a->settings.english;
    a->flow.wall_s = clock_wall_s();
    a->light_pct = -1;
    a->started_ms = clock_mono_ms();
    apply(a);
    if (!a->cfg.backlight[0])
        log_info("display", "no [display] backlight: the brightness settings are kept but the "
                            "display is not dimmed");
}

void staff_settings_act(struct app *a, const struct flow_action *act)
{
    enum settings_item item = (enum settings_item)FLOW_SETTING_ITEM(act->arg);
    struct settings next = a->settings;
    int rc = settings_step(&next, item, FLOW_SETTING_OP(act->arg));
    if (rc) {
        log_warn("settings", "%s not changed: %s",
                 settings_item_name(item) ? settings_item_name(item) : "?", err_str(rc));
        return;
    }
    char path[512];
    settings_path(a, path, sizeof path);
    rc = settings_file_save(path, &next);
    if (rc) {
        /* Not kept, so not applied: a restart would bring the old value back. */
        log_err("settings", "%s not saved to %s: %s; unchanged", settings_item_name(item), path,
                err_str(rc));
        return;
    }
    a->settings = next;
    apply(a);
    char value[32], detail[64];
    settings_value(&a->settings, item, value, sizeof value);
    snprintf(detail, sizeof detail, "%s=%s", settings_item_name(item), value);
    staff_audit(a, STAFF_SETTINGS, detail);
}

/* Writes pct % of max_brightness to the backlight in folder dir. */
static int backlight_set(const char *dir, int pct, int *value, int *max)
{
    char path[512], text[32];
    snprintf(path, sizeof path, "%s/max_brightness", dir);
    FILE *f = fopen(path, "re");
    long m = 0;
    if (!f)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    if (fscanf(f, "%ld", &m) != 1 || m <= 0 || m > 1000000)
        m = 0;
    fclose(f);
    if (!m)
        return ERR_CORRUPT;
    *max = (int)m;
    *value = (int)(m * pct / 100);
    if (pct > 0 && *value == 0)
        *value = 1; /* dim, never dark unless 0 % was asked */
    snprintf(path, sizeof path, "%s/brightness", dir);
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    int n = snprintf(text, sizeof text, "%d\n", *value);
    int rc = write(fd, text, (size_t)n) == n ? 0 : ERR_IO;
    if (close(fd) != 0 && !rc)
        rc = ERR_IO;
    return rc;
}

void staff_settings_light(struct app *a)
{
    int want = flow_dimmed(&a->flow) ? a->settings.bright_night : a->settings.bright_day;
    if (want == a->light_pct)
        return;
    a->light_pct = want;
    if (!a->cfg.backlight[0])
        return;
    int value = 0, max = 0;
    int rc = backlight_set(a->cfg.backlight, want, &value, &max);
    if (rc)
        log_warn("display", "backlight %s not set to %d %%: %s", a->cfg.backlight, want,
                 err_str(rc));
    else
        log_info("display", "backlight %d %% (%d of %d)", want, value, max);
}

const struct ui_facts *staff_settings_facts(struct app *a)
{
    if (a->flow.screen != SCREEN_STAFF || a->flow.staff_tab != FLOW_TAB_SETTINGS)
        return NULL;
    struct ui_facts *v = &a->facts;
    str_copy(v->kiosk_id, sizeof v->kiosk_id, a->cfg.kiosk_id);
    str_copy(v->registry, sizeof v->registry, a->registry_url ? a->registry_url : "");
    str_copy(v->version, sizeof v->version, KIOSK_VERSION);
    int64_t s = (clock_mono_ms() - a->started_ms) / 1000;
    char d[16], h[16], m[16];
    snprintf(d, sizeof d, "%lld", (long long)(s / 86400));
    snprintf(h, sizeof h, "%lld", (long long)(s / 3600 % 24));
    snprintf(m, sizeof m, "%lld", (long long)(s / 60 % 60));
    i18n_subst(v->uptime, sizeof v->uptime, tr("settings.uptime_value"), d, h, m);
    str_copy(v->backlight, sizeof v->backlight, a->cfg.backlight);
    return v;
}
