/* cameras.c - the cameras [devices] camera can name: sim (scenes built
 * from a packaged portrait, or [camera] sim_images), v4l2 (the kernel's
 * uvcvideo, [camera] device) and uvc (libuvc, [camera] uvc_id; only in
 * builds where pkg-config found libuvc, elsewhere it says so at start-up).
 */
#include "devices.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "drivers/camera/camera.h"
#include "drivers/core/driver.h"
#include "drivers/camera/camera_v4l2.h"
#ifdef KIOSK_HAVE_UVC
#include "drivers/camera/camera_uvc.h"
#endif

#include <string.h>

#define SIM_IMAGES_MAX 16

static int sim_open(const struct config *cfg, struct device *d)
{
    struct camera_sim *sim = camera_sim_create();
    if (!sim)
        return ERR_NOMEM;
    if (cfg->camera_sim_images[0]) {
        /* A ':'-separated list of pictures to play instead of a scene. */
        char list[CONFIG_STR], *save = NULL;
        const char *paths[SIM_IMAGES_MAX];
        int n = 0;
        str_copy(list, sizeof list, cfg->camera_sim_images);
        for (char *p = strtok_r(list, ":", &save); p && n < SIM_IMAGES_MAX;
             p = strtok_r(NULL, ":", &save))
            paths[n++] = p;
        if (camera_sim_play(sim, paths, n) == 0)
            camera_sim_set_scene(sim, CAMERA_SIM_FILES);
        else
            log_warn("camera", "[camera] sim_images could not be read; showing a scene");
    }
    d->handle = d->ctx = sim;
    return ERR_OK;
}

static void sim_close(struct device *d)
{
    camera_sim_destroy(d->handle);
}

static const struct device_binding sim_binding = {.open = sim_open, .close = sim_close};

const struct driver_info camera_sim_device = {
    .name = "sim",
    .description = "simulated camera: scenes from a portrait, or image files",
    .cls = DRIVER_CLASS_CAMERA,
    .caps = DRIVER_CAP_SIM,
    .ops = &camera_sim_ops,
    .binding = &sim_binding,
};

static int v4l2_open(const struct config *cfg, struct device *d)
{
    struct camera_v4l2_config vc = {.device = cfg->camera_device,
                                    .width = cfg->camera_width,
                                    .height = cfg->camera_height,
                                    .mjpeg = cfg->camera_mjpeg};
    d->handle = d->ctx = camera_v4l2_create(&vc, NULL);
    return d->handle ? ERR_OK : ERR_NOMEM;
}

static void v4l2_close(struct device *d)
{
    camera_v4l2_destroy(d->handle);
}

static const struct device_binding v4l2_binding = {.open = v4l2_open, .close = v4l2_close};

const struct driver_info camera_v4l2_device = {
    .name = "v4l2",
    .description = "V4L2 capture node (uvcvideo), YUYV or MJPEG",
    .cls = DRIVER_CLASS_CAMERA,
    .ops = &camera_v4l2_ops,
    .binding = &v4l2_binding,
};

#ifdef KIOSK_HAVE_UVC
static int uvc_open(const struct config *cfg, struct device *d)
{
    struct camera_uvc_config uc = {
        .width = cfg->camera_width, .height = cfg->camera_height, .mjpeg = cfg->camera_mjpeg};
    if (cfg->camera_uvc_id[0] && driver_usb_id_parse(cfg->camera_uvc_id, &uc.vid, &uc.pid)) {
        log_err("camera", "[camera] uvc_id is not VVVV:PPPP");
        return ERR_INVALID;
    }
    d->handle = d->ctx = camera_uvc_create(&uc);
    return d->handle ? ERR_OK : ERR_NOMEM;
}

static void uvc_close(struct device *d)
{
    camera_uvc_destroy(d->handle);
}
#define UVC_OPS (&camera_uvc_ops)
#else
/* Listed all the same, so the setting is recognised and the message says
 * what is missing rather than that the name is unknown. */
static int uvc_open(const struct config *cfg, struct device *d)
{
    (void)cfg;
    (void)d;
    log_err("camera", "[devices] camera = uvc, but this build has no libuvc");
    return ERR_UNSUPPORTED;
}

static void uvc_close(struct device *d)
{
    (void)d;
}
#define UVC_OPS NULL
#endif

static const struct device_binding uvc_binding = {.open = uvc_open, .close = uvc_close};

const struct driver_info camera_uvc_device = {
    .name = "uvc",
    .description = "UVC camera through libuvc, where the kernel driver is absent",
    .cls = DRIVER_CLASS_CAMERA,
    .caps = DRIVER_CAP_USB,
    .ops = UVC_OPS,
    .binding = &uvc_binding,
};
