/* devices.c - the kiosk's devices, opened from [devices] and closed again.
 *
 * The card reader (the GA/T 467 protocol over a sim, usb or tty
 * transport) and its thread, the camera (sim, v4l2, uvc) and the face
 * thread on it, the slip printer (sim, lp, usb) and its worker with the
 * print journal. --demo always uses the simulated twins. Runs on the main
 * thread at start-up and shutdown.
 */
#include "app.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "demo/demo.h"
#include "drivers/camera/camera.h"
#include "drivers/camera/camera_v4l2.h"
#ifdef KIOSK_HAVE_UVC
#include "drivers/camera/camera_uvc.h"
#endif
#include "drivers/core/transport_tty.h"
#include "drivers/core/transport_usb.h"
#include "drivers/escpos/printer.h"
#include "drivers/escpos/printer_lp.h"
#include "drivers/escpos/printer_usb.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/idcard_reader.h"
#include "drivers/idcard/idcard_sam.h"
#include "drivers/idcard/idcard_sim.h"
#include "face/face.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Makes dir (one level) unless it exists; logs why not. */
static void make_dir(const char *dir)
{
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        log_warn("app", "cannot create %s: %s", dir, strerror(errno));
}

/* The print journal both printers share: every slip and certificate job
 * with its state, so a restart finishes what a crash interrupted. */
static void journal_path(const struct app *a, char *out, size_t size)
{
    if (a->cfg.slip_journal[0])
        str_copy(out, size, a->cfg.slip_journal);
    else
        snprintf(out, size, "%s/journal.sqlite", a->cfg.output_dir);
}

/* The slip printer from [devices] slip_printer (sim, lp) and its worker
 * with the print journal, which finishes any slip a crash interrupted. */
static int start_slip(struct app *a)
{
    const struct printer_ops *ops;
    void *ctx;
    char path[512];
    make_dir(a->cfg.output_dir);
    if (!a->opt.demo && !strcmp(a->cfg.slip_printer, "lp")) {
        a->slip_lp = printer_lp_create(a->cfg.slip_device);
        ops = &printer_lp_ops;
        ctx = a->slip_lp;
    } else if (!a->opt.demo && !strcmp(a->cfg.slip_printer, "usb")) {
        struct printer_usb_config uc = {0};
        if (a->cfg.slip_usb_id[0] && printer_usb_parse_id(a->cfg.slip_usb_id, &uc.vid, &uc.pid)) {
            log_err("slip", "[slip] usb_id is not VVVV:PPPP");
            return ERR_INVALID;
        }
        a->slip_usb = printer_usb_create(&uc);
        ops = &printer_usb_ops;
        ctx = a->slip_usb;
    } else {
        a->slip_sim = printer_sim_create(1 << 20);
        if (a->cfg.slip_png_dir[0])
            str_copy(path, sizeof path, a->cfg.slip_png_dir);
        else
            snprintf(path, sizeof path, "%s/slips", a->cfg.output_dir);
        make_dir(path);
        if (a->slip_sim)
            printer_sim_set_png_dir(a->slip_sim, path);
        ops = &printer_sim_ops;
        ctx = a->slip_sim;
    }
    if (!ctx)
        return ERR_NOMEM;
    journal_path(a, path, sizeof path);
    struct slip_worker_config sc = {
        .ops = ops,
        .printer = ctx,
        .journal_path = path,
        .band_rows = a->cfg.slip_band_rows,
        .confirm_timeout_ms = a->cfg.slip_confirm_ms,
    };
    a->slip = slip_worker_start(&sc, inbox_slip_done, inbox_slip_status, a);
    return a->slip ? ERR_OK : ERR_IO;
}

int devices_start_printers(struct app *a)
{
    int rc = start_slip(a);
    if (rc)
        return rc;
    char journal[512];
    journal_path(a, journal, sizeof journal);
    struct print_worker_config pc = {
        .queue = a->cfg.cups_queue,
        .out_dir = a->cfg.output_dir,
        .preview_width = 360,
        .journal_path = journal,
    };
    a->printer = print_worker_start(&pc, inbox_print_done, a);
    return a->printer ? ERR_OK : ERR_IO;
}

/* The camera from [devices] camera (sim in demo mode, or v4l2) and the
 * face thread with its detector, challenges and quality limits. */
int devices_start_face(struct app *a)
{
    const struct camera_ops *ops;
    void *cam;
    if (!a->opt.demo && !strcmp(a->cfg.camera, "v4l2")) {
        struct camera_v4l2_config vc = {.device = a->cfg.camera_device,
                                        .width = a->cfg.camera_width,
                                        .height = a->cfg.camera_height,
                                        .mjpeg = a->cfg.camera_mjpeg};
        a->camera_v4l2 = camera_v4l2_create(&vc, NULL);
        ops = &camera_v4l2_ops;
        cam = a->camera_v4l2;
    } else if (!a->opt.demo && !strcmp(a->cfg.camera, "uvc")) {
#ifdef KIOSK_HAVE_UVC
        struct camera_uvc_config uc = {.width = a->cfg.camera_width,
                                       .height = a->cfg.camera_height,
                                       .mjpeg = a->cfg.camera_mjpeg};
        if (a->cfg.camera_uvc_id[0] &&
            camera_uvc_parse_id(a->cfg.camera_uvc_id, &uc.vid, &uc.pid)) {
            log_err("camera", "[camera] uvc_id is not VVVV:PPPP");
            return ERR_INVALID;
        }
        a->camera_uvc = camera_uvc_create(&uc);
        ops = &camera_uvc_ops;
        cam = a->camera_uvc;
#else
        log_err("camera", "[devices] camera = uvc, but this build has no libuvc");
        return ERR_UNSUPPORTED;
#endif
    } else {
        a->camera_sim = camera_sim_create();
        if (a->camera_sim && a->cfg.camera_sim_images[0]) {
            /* A ':'-separated list of pictures to play instead of a scene. */
            char list[CONFIG_STR], *save = NULL;
            const char *paths[16];
            int n = 0;
            str_copy(list, sizeof list, a->cfg.camera_sim_images);
            for (char *p = strtok_r(list, ":", &save); p && n < 16; p = strtok_r(NULL, ":", &save))
                paths[n++] = p;
            if (camera_sim_play(a->camera_sim, paths, n) == 0)
                camera_sim_set_scene(a->camera_sim, CAMERA_SIM_FILES);
            else
                log_warn("camera", "[camera] sim_images could not be read; showing a scene");
        }
        ops = &camera_sim_ops;
        cam = a->camera_sim;
    }
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
    a->face = a->camera_rgb && cam ? face_create(ops, cam, a->bus, &fc) : NULL;
    return a->face ? ERR_OK : ERR_NOMEM;
}

/* The card reader's transport from [devices] reader: the simulated module
 * (demo mode always uses it), native USB, or a USB-serial bridge. */
static int open_reader_transport(struct app *a)
{
    const char *kind = a->opt.demo ? "sim" : a->cfg.reader;
    if (!strcmp(kind, "sim")) {
        a->reader_sim = idcard_sim_create();
        a->reader_t = a->reader_sim ? idcard_sim_transport(a->reader_sim) : NULL;
    } else if (!strcmp(kind, "usb")) {
        struct transport_usb_config uc;
        transport_usb_config_init(&uc, idcard_sam_driver.usb_ids);
        if ((a->cfg.idcard_usb_id[0] &&
             transport_usb_parse_id(a->cfg.idcard_usb_id, &uc.extra_vid, &uc.extra_pid) != 0) ||
            transport_usb_parse_models(a->cfg.idcard_usb_models, &uc) != 0) {
            log_err("idcard", "[idcard] usb_id or usb_models is not valid");
            return ERR_INVALID;
        }
        a->reader_t = transport_usb_create(&uc);
    } else if (!strcmp(kind, "tty")) {
        a->reader_t = transport_tty_create(a->cfg.idcard_tty, 115200);
    } else {
        log_err("idcard", "unknown reader transport '%s' (sim, usb, tty)", kind);
        return ERR_INVALID;
    }
    if (!a->reader_t)
        return ERR_NOMEM;
    log_info("idcard", "reader transport: %s", kind);
    return ERR_OK;
}

static void close_reader_transport(struct app *a)
{
    if (a->reader_sim)
        idcard_sim_destroy(a->reader_sim); /* owns its transport */
    else if (a->reader_t && !strcmp(a->cfg.reader, "usb"))
        transport_usb_destroy(a->reader_t);
    else if (a->reader_t)
        transport_tty_destroy(a->reader_t);
    a->reader_sim = NULL;
    a->reader_t = NULL;
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
    int rc = open_reader_transport(a);
    if (rc)
        return rc;
    a->reader = idcard_reader_create(&idcard_sam_ops, a->reader_t, &sink, NULL);
    if (!a->reader || idcard_reader_start(a->reader) != 0)
        return ERR_NOMEM;
    return ERR_OK;
}

void devices_stop(struct app *a)
{
    if (a->reader)
        idcard_reader_stop(a->reader);
    idcard_reader_destroy(a->reader);
    a->reader = NULL;
    close_reader_transport(a);
    face_destroy(a->face);
    a->face = NULL;
    camera_sim_destroy(a->camera_sim);
    camera_v4l2_destroy(a->camera_v4l2);
#ifdef KIOSK_HAVE_UVC
    camera_uvc_destroy(a->camera_uvc);
#endif
    a->camera_sim = NULL;
    a->camera_v4l2 = NULL;
    a->camera_uvc = NULL;
    if (a->camera_rgb) {
        explicit_bzero(a->camera_rgb, CAMERA_MAX);
        free(a->camera_rgb);
        a->camera_rgb = NULL;
    }
    print_worker_stop(a->printer);
    a->printer = NULL;
    slip_worker_stop(a->slip);
    a->slip = NULL;
    printer_sim_destroy(a->slip_sim);
    printer_lp_destroy(a->slip_lp);
    printer_usb_destroy(a->slip_usb);
    a->slip_sim = NULL;
    a->slip_lp = NULL;
    a->slip_usb = NULL;
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
