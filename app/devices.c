/* devices.c - the kiosk's devices, picked from the driver registry by the
 * names in [devices], opened, and closed again.
 *
 * The reader (GA/T 467 over a transport) and its thread, the camera and
 * the face thread on it, the slip printer and its worker, and the
 * certificate printer's worker; both printers share the print journal.
 * Which drivers exist is the list below (one line each; the drivers live
 * in app/devices/, see devices.h). A name the registry does not know is
 * an error at start-up that names the setting and the allowed values;
 * the simulated twins run with --demo, which uses them throughout (named
 * outside demo mode, config_check_production refuses them). Main thread,
 * at start-up and shutdown.
 */
#include "app.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "demo/demo.h"
#include "drivers/camera/camera.h"
#include "drivers/escpos/printer.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/idcard_reader.h"
#include "drivers/idcard/idcard_sim.h"
#include "face/face.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every driver the kiosk links in. A new model: its file in app/devices/
 * and one line here. */
static const struct driver_info *const devices_known[] = {
    &reader_sim_device, &reader_usb_device,  &reader_tty_device,
    &camera_sim_device, &camera_v4l2_device, &camera_uvc_device,
    &slip_sim_device,   &slip_lp_device,     &slip_usb_device,
};

/* The [devices] settings: which class each names and where it is kept. */
enum devices_setting { SETTING_READER, SETTING_CAMERA, SETTING_SLIP_PRINTER };

static const struct {
    const char *key;
    enum driver_class cls;
    size_t offset; /* of the name in struct config */
} devices_settings[] = {
    [SETTING_READER] = {"reader", DRIVER_CLASS_IDCARD, offsetof(struct config, reader)},
    [SETTING_CAMERA] = {"camera", DRIVER_CLASS_CAMERA, offsetof(struct config, camera)},
    [SETTING_SLIP_PRINTER] = {"slip_printer", DRIVER_CLASS_PRINTER,
                              offsetof(struct config, slip_printer)},
};

void devices_make_dir(const char *dir)
{
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        log_warn("app", "cannot create %s: %s", dir, strerror(errno));
}

void devices_state_path(const struct config *cfg, const char *configured, const char *name,
                        char *out, size_t size)
{
    if (configured && configured[0]) {
        str_copy(out, size, configured);
        return;
    }
    devices_make_dir(cfg->output_dir);
    snprintf(out, size, "%s/%s", cfg->output_dir, name);
}

/* Removes the files in dir whose names start with one of prefixes and
 * end with suffix; returns how many. */
static int remove_matching(const char *dir, const char *const *prefixes, const char *suffix)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int removed = 0;
    size_t sl = strlen(suffix);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t n = strlen(e->d_name);
        bool named = false;
        for (const char *const *p = prefixes; *p && !named; p++)
            named = !strncmp(e->d_name, *p, strlen(*p));
        if (!named || (sl && (n < sl || strcmp(e->d_name + n - sl, suffix) != 0)))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) == 0)
            removed++;
        else
            log_warn("app", "cannot remove %s: %s", path, strerror(errno));
    }
    closedir(d);
    return removed;
}

void devices_clean_demo_output(const struct config *cfg, bool at_start)
{
    const char *dir = cfg->output_dir;
    if (!dir[0])
        return;
    /* print_save writes .NAME.XXXXXX and renames it to NAME */
    static const char *const certs[] = {"cert-", ".cert-", NULL};
    int n = remove_matching(dir, certs, "");
    if (at_start) {
        static const char *const pages[] = {"", NULL};
        n += remove_matching(dir, pages, ".pdf");
        char slips[1024];
        snprintf(slips, sizeof slips, "%s/slips", dir);
        n += remove_matching(slips, pages, ".png");
    }
    if (n)
        log_info("app", "demo output: %d file(s) removed from %s", n, dir);
}

int devices_check(const struct config *cfg)
{
    if (driver_count() == 0)
        for (size_t i = 0; i < ARRAY_LEN(devices_known); i++)
            if (driver_register(devices_known[i]) != 0)
                return ERR_FULL; /* the list outgrew DRIVER_MAX */
    int rc = ERR_OK;
    for (size_t i = 0; i < ARRAY_LEN(devices_settings); i++) {
        const char *name = (const char *)cfg + devices_settings[i].offset;
        if (driver_find_class(devices_settings[i].cls, name))
            continue;
        char allowed[128];
        driver_format_names(devices_settings[i].cls, allowed, sizeof allowed);
        log_err("app", "[devices] %s = %s: no such driver; allowed values: %s",
                devices_settings[i].key, name, allowed);
        rc = ERR_INVALID;
    }
    return rc;
}

/* Opens the driver the setting names (sim with --demo) into d. */
static int open_device(struct app *a, enum devices_setting setting, struct device *d)
{
    const char *name =
        a->opt.demo ? "sim" : (const char *)&a->cfg + devices_settings[setting].offset;
    const struct driver_info *drv = driver_find_class(devices_settings[setting].cls, name);
    const struct device_binding *b = drv ? drv->binding : NULL;
    if (!b)
        return ERR_INVALID; /* devices_check has said why */
    int rc = b->open(&a->cfg, d);
    if (rc)
        return rc;
    d->driver = drv;
    log_info("app", "%s: %s (%s)", devices_settings[setting].key, drv->name, drv->description);
    return ERR_OK;
}

static void close_device(struct device *d)
{
    if (d->driver) {
        const struct device_binding *b = d->driver->binding;
        b->close(d);
    }
    *d = (struct device){0};
}

/* The handle of a simulated twin, which the control socket drives. */
static void *sim_handle(const struct device *d)
{
    return d->driver && !strcmp(d->driver->name, "sim") ? d->handle : NULL;
}

/* The slip printer and its worker with the print journal, which finishes
 * any slip a crash interrupted. */
static int start_slip(struct app *a, const char *journal)
{
    int rc = open_device(a, SETTING_SLIP_PRINTER, &a->slip_dev);
    if (rc)
        return rc;
    a->slip_sim = sim_handle(&a->slip_dev);
    struct slip_worker_config sc = {
        .ops = a->slip_dev.driver->ops,
        .printer = a->slip_dev.ctx,
        .journal_path = journal,
        .band_rows = a->cfg.slip_band_rows,
        .confirm_timeout_ms = a->cfg.slip_confirm_ms,
    };
    a->slip = slip_worker_start(&sc, inbox_slip_done, inbox_slip_status, a);
    return a->slip ? ERR_OK : ERR_IO;
}

int devices_start_printers(struct app *a)
{
    /* The print journal both printers share: every slip and certificate
     * job with its state, so a restart finishes what a crash interrupted. */
    char journal[512];
    devices_make_dir(a->cfg.output_dir);
    if (a->cfg.slip_journal[0])
        str_copy(journal, sizeof journal, a->cfg.slip_journal);
    else
        snprintf(journal, sizeof journal, "%s/journal.sqlite", a->cfg.output_dir);
    str_copy(a->journal_path, sizeof a->journal_path, journal); /* maintenance mode reads it */
    int rc = start_slip(a, journal);
    if (rc)
        return rc;
    struct print_worker_config pc = {
        .queue = a->cfg.cups_queue,
        .out_dir = a->cfg.output_dir,
        .preview_width = 360,
        .journal_path = journal,
    };
    a->printer = print_worker_start(&pc, inbox_print_done, a);
    return a->printer ? ERR_OK : ERR_IO;
}

/* The camera and the face thread with its detector, challenges and
 * quality limits. */
int devices_start_face(struct app *a)
{
    int rc = open_device(a, SETTING_CAMERA, &a->camera_dev);
    if (rc)
        return rc;
    a->camera_sim = sim_handle(&a->camera_dev);
    int challenges = face_challenges_parse(a->cfg.face_challenges);
    if (!challenges)
        log_warn("face", "[face] challenges '%s' not understood; all are allowed",
                 a->cfg.face_challenges);
    struct face_config fc = {
        .challenge_ms = a->cfg.face_challenge_ms,
        .jpeg_quality = 85,
        .face_cascade = a->cfg.face_cascade[0] ? a->cfg.face_cascade : NULL,
        .eye_cascade = a->cfg.face_eye_cascade[0] ? a->cfg.face_eye_cascade : NULL,
        .min_face_pct = a->cfg.face_min_pct,
        .near_face_pct = a->cfg.face_near_pct,
        .challenges = challenges,
    };
    a->camera_rgb = calloc(1, CAMERA_MAX);
    a->face = a->camera_rgb ? face_create(a->camera_dev.driver->ops, a->camera_dev.ctx, a->bus, &fc)
                            : NULL;
    return a->face ? ERR_OK : ERR_NOMEM;
}

int devices_start_reader(struct app *a)
{
    struct idcard_sink sink = {
        .card_inserted = inbox_card_inserted,
        .card_removed = inbox_card_removed,
        .read_failed = inbox_card_failed,
        .reader_state = inbox_reader_state,
        .user = a,
    };
    int rc = open_device(a, SETTING_READER, &a->reader_dev);
    if (rc)
        return rc;
    a->reader_sim = sim_handle(&a->reader_dev);
    struct idcard_reader_config rc_cfg;
    idcard_reader_config_init(&rc_cfg);
    rc_cfg.read_fingerprint = a->cfg.idcard_read_fingerprint;
    a->reader = idcard_reader_create(a->reader_dev.driver->ops, a->reader_dev.ctx, &sink, &rc_cfg);
    if (!a->reader || idcard_reader_start(a->reader) != 0)
        return ERR_NOMEM;
    return ERR_OK;
}

void devices_stop(struct app *a)
{
    app_stopping("card reader");
    if (a->reader)
        idcard_reader_stop(a->reader);
    idcard_reader_destroy(a->reader);
    a->reader = NULL;
    close_device(&a->reader_dev);
    a->reader_sim = NULL;
    app_stopping("camera");
    face_destroy(a->face);
    a->face = NULL;
    close_device(&a->camera_dev);
    a->camera_sim = NULL;
    if (a->camera_rgb) {
        wipe_release(a->camera_rgb, CAMERA_MAX);
        free(a->camera_rgb);
        a->camera_rgb = NULL;
    }
    app_stopping("certificate printer");
    print_worker_stop(a->printer);
    a->printer = NULL;
    app_stopping("slip printer");
    slip_worker_stop(a->slip);
    a->slip = NULL;
    close_device(&a->slip_dev);
    a->slip_sim = NULL;
}

static void card_from_demo(const struct demo_citizen *c, struct idcard *out)
{
    memset(out, 0, sizeof *out);
    out->type = IDCARD_RESIDENT;
    str_copy(out->name, sizeof out->name, c->name);
    str_copy(out->gender, sizeof out->gender, c->gender);
    str_copy(out->ethnicity, sizeof out->ethnicity, c->ethnicity);
    str_copy(out->birth_date, sizeof out->birth_date, c->birth_date);
    str_copy(out->address, sizeof out->address, c->address);
    str_copy(out->id_number, sizeof out->id_number, c->id_number);
    str_copy(out->issuer, sizeof out->issuer, c->issuer);
    str_copy(out->valid_from, sizeof out->valid_from, c->valid_from);
    str_copy(out->valid_to, sizeof out->valid_to, c->valid_to);
}

void devices_present_demo_card(struct app *a, int index)
{
    struct demo_citizen c;
    if (!a->reader_sim || !demo_citizen_get(index, &c))
        return;
    struct idcard card;
    card_from_demo(&c, &card);
    idcard_sim_present(a->reader_sim, &card);
    explicit_bzero(&card, sizeof card);
    explicit_bzero(&c, sizeof c);
    a->demo_next = index + 1;
}
