/* camera_uvc_test.c - the libuvc camera source without a camera.
 *
 * First the parts that need no device: VID:PID parsing, libuvc's error
 * codes in enum err, and the mailbox the streaming callback fills (YUYV
 * and MJPEG frames converted, the newest frame wins, corrupt and oversize
 * frames dropped or refused, stop wipes the buffers). Then the real
 * libuvc/libusb path under umockdev: no camera at all, then a hand-written
 * UVC webcam (046d:0825: IAD, VideoControl, VideoStreaming with a YUYV
 * 640x480 format and an isochronous alternate setting) that libuvc
 * enumerates and finds. uvc_open cannot work there (it would need the
 * class requests and isochronous URBs emulated), so the test checks the
 * open fails with a clear error and a log line naming the step, never a
 * crash. The program re-executes itself under the umockdev preload (and
 * tells ASan to accept it). Test thread only.
 */
#include "base/err.h"
#include "base/log.h"
#include "check.h"
#include "drivers/camera/camera_uvc.h"
#include "usb_fake.h"

#include <libuvc/libuvc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>
#include <umockdev.h>
#include <unistd.h>

static char last_err[512];

static void sink(enum log_level level, const char *line, void *user)
{
    (void)user;
    if (level <= LOG_LEVEL_ERR)
        snprintf(last_err, sizeof last_err, "%s", line);
}

static void test_parse_and_errors(void)
{
    CHECK_EQ_INT(camera_uvc_error(UVC_SUCCESS), ERR_OK);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_NO_DEVICE), ERR_NODEV);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_NOT_FOUND), ERR_NODEV);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_ACCESS), ERR_BUSY);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_BUSY), ERR_BUSY);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_TIMEOUT), ERR_TIMEOUT);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_NO_MEM), ERR_NOMEM);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_INVALID_MODE), ERR_UNSUPPORTED);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_NOT_SUPPORTED), ERR_UNSUPPORTED);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_PIPE), ERR_IO);
    CHECK_EQ_INT(camera_uvc_error(UVC_ERROR_OTHER), ERR_IO);
}

/* A 640x480 YUYV frame of one colour (Y, U, V). */
static void yuyv_fill(uint8_t *f, uint8_t y, uint8_t u, uint8_t v)
{
    for (size_t i = 0; i < 640 * 480 * 2; i += 4) {
        f[i] = y;
        f[i + 1] = u;
        f[i + 2] = y;
        f[i + 3] = v;
    }
}

static void test_mailbox(void)
{
    struct camera_uvc_config cfg = {0};
    struct camera_uvc *c = camera_uvc_create(&cfg);
    CHECK(c != NULL);
    if (!c)
        return;
    static uint8_t yuyv[640 * 480 * 2];
    struct camera_frame fr;

    /* Nothing delivered, not streaming: no wait, no frame. */
    CHECK_EQ_INT(camera_uvc_ops.read(c, &fr, 50), ERR_IO);

    /* Two frames before a read: the newer one is what read returns. */
    yuyv_fill(yuyv, 16, 128, 128); /* black */
    camera_uvc_deliver(c, yuyv, sizeof yuyv, 640, 480, false);
    yuyv_fill(yuyv, 235, 128, 128); /* white */
    camera_uvc_deliver(c, yuyv, sizeof yuyv, 640, 480, false);
    CHECK_EQ_INT(camera_uvc_ops.read(c, &fr, 50), 0);
    CHECK_EQ_INT(fr.width, 640);
    CHECK_EQ_INT(fr.height, 480);
    CHECK_EQ_INT(fr.format, CAMERA_RGB24);
    CHECK(fr.len == 640 * 480 * 3);
    CHECK(fr.data[0] > 250 && fr.data[1] > 250 && fr.data[2] > 250);
    uint32_t seq = fr.seq;
    /* Taken: the slot is empty again. */
    CHECK_EQ_INT(camera_uvc_ops.read(c, &fr, 20), ERR_IO);

    /* A short YUYV frame is corrupt: skipped with ERR_IO. */
    camera_uvc_deliver(c, yuyv, sizeof yuyv / 2, 640, 480, false);
    CHECK_EQ_INT(camera_uvc_ops.read(c, &fr, 20), ERR_IO);

    /* MJPEG: a real JPEG decodes; a truncated one is corrupt. */
    static uint8_t rgb[640 * 480 * 3];
    for (size_t i = 0; i < sizeof rgb; i += 3)
        rgb[i] = 200, rgb[i + 1] = 40, rgb[i + 2] = 40;
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long jlen = 0;
    CHECK_EQ_INT(tjCompress2(tj, rgb, 640, 0, 480, TJPF_RGB, &jpeg, &jlen, TJSAMP_422, 85, 0), 0);
    camera_uvc_deliver(c, jpeg, jlen, 640, 480, true);
    CHECK_EQ_INT(camera_uvc_ops.read(c, &fr, 50), 0);
    CHECK(fr.width == 640 && fr.height == 480);
    CHECK(fr.data[0] > 180 && fr.data[1] < 70 && fr.data[2] < 70);
    CHECK(fr.seq == seq + 1);
    camera_uvc_deliver(c, jpeg, jlen / 3, 640, 480, true);
    CHECK_EQ_INT(camera_uvc_ops.read(c, &fr, 20), ERR_IO);
    tjFree(jpeg);
    tjDestroy(tj);

    /* Larger than the largest frame, or a nonsense size: refused. */
    static uint8_t big[1280 * 720 * 2 + 1];
    camera_uvc_deliver(c, big, sizeof big, 1280, 720, false);
    camera_uvc_deliver(c, yuyv, sizeof yuyv, 4000, 480, false);
    CHECK_EQ_INT(camera_uvc_ops.read(c, &fr, 20), ERR_IO);

    /* Stop wipes the frame buffers: the last frame's pixels are gone. */
    camera_uvc_deliver(c, yuyv, sizeof yuyv, 640, 480, false);
    CHECK_EQ_INT(camera_uvc_ops.read(c, &fr, 50), 0);
    const uint8_t *px = fr.data;
    camera_uvc_ops.stop(c);
    bool zero = true;
    for (size_t i = 0; i < 640 * 480 * 3 && zero; i += 997)
        zero = px[i] == 0;
    CHECK(zero);
    camera_uvc_ops.close(c);
    camera_uvc_destroy(c);
    camera_uvc_destroy(NULL);
}

/* A UVC webcam as a Logitech C270-like 046d:0825 at high speed. */
static const char *const webcam =
    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-3\n"
    "N: bus/usb/001/006\n"
    "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
    "E: BUSNUM=001\nE: DEVNUM=006\nE: DEVNAME=/dev/bus/usb/001/006\n"
    "A: busnum=1\\n\nA: devnum=6\\n\nA: speed=480\\n\nA: bConfigurationValue=1\\n\n"
    "H: descriptors="
    "12010002ef0201406d042508000100000001"                         /* device, misc class (IAD) */
    "0902870002010080fa"                                           /* configuration, 135 bytes */
    "080b00020e030000"                                             /* IAD: interfaces 0-1, video */
    "09040000000e010000"                                           /* VideoControl */
    "0d240100010d00006cdc020101"                                   /* VC header, UVC 1.00 */
    "09040100000e020000"                                           /* VideoStreaming alt 0 */
    "0e24010147008100010000000100"                                 /* VS input header, EP 0x81 */
    "1b240401015955593200001000800000aa00389b71100100000000"       /* YUY2 */
    "1e240501008002e00100c05d0000c05d00006009002a2c0a00012a2c0a00" /* 640x480 15 fps */
    "09040101010e020000"                                           /* VideoStreaming alt 1 */
    "07058105000401\n";                                            /* iso IN 0x81, 1024 bytes */

static void test_umockdev(void)
{
    UMockdevTestbed *tb = umockdev_testbed_new();
    CHECK(umockdev_in_mock_environment());
    log_set_sink(sink, NULL);

    /* No camera at all: ERR_NODEV, and the log says none was found. */
    struct camera_uvc_config any = {0};
    struct camera_uvc *c = camera_uvc_create(&any);
    CHECK(c != NULL);
    last_err[0] = '\0';
    CHECK_EQ_INT(camera_uvc_ops.open(c), ERR_NODEV);
    CHECK(strstr(last_err, "no UVC camera") != NULL);
    camera_uvc_ops.close(c);

    GError *err = NULL;
    gboolean added = umockdev_testbed_add_from_string(tb, webcam, &err);
    CHECK(added);
    if (!added)
        fprintf(stderr, "add_from_string: %s\n", err ? err->message : "?");
    g_clear_error(&err);

    /* libuvc enumerates the webcam. */
    uvc_context_t *ctx = NULL;
    CHECK_EQ_INT(uvc_init(&ctx, NULL), UVC_SUCCESS);
    uvc_device_t **list = NULL;
    int n = 0;
    if (ctx && uvc_get_device_list(ctx, &list) == UVC_SUCCESS) {
        for (; list[n]; n++) {
            uvc_device_descriptor_t *d = NULL;
            if (uvc_get_device_descriptor(list[n], &d) == UVC_SUCCESS) {
                CHECK(d->idVendor == 0x046d && d->idProduct == 0x0825);
                uvc_free_device_descriptor(d);
            }
        }
        uvc_free_device_list(list, 1);
    }
    CHECK_EQ_INT(n, 1);
    if (ctx)
        uvc_exit(ctx);

    /* Another VID:PID: not this one. */
    struct camera_uvc_config other = {.vid = 0x1234, .pid = 0x5678};
    struct camera_uvc *o = camera_uvc_create(&other);
    last_err[0] = '\0';
    CHECK_EQ_INT(camera_uvc_ops.open(o), ERR_NODEV);
    CHECK(strstr(last_err, "1234:5678: no UVC camera") != NULL);
    camera_uvc_destroy(o);

    /* Found (by VID:PID and as the first camera), but opening needs UVC
     * class requests umockdev cannot answer: a clear error, logged with
     * the step; no crash; start and read then refuse politely. */
    struct camera_uvc_config byid = {.vid = 0x046d, .pid = 0x0825};
    struct camera_uvc *cams[2] = {c, camera_uvc_create(&byid)};
    for (int i = 0; i < 2; i++) {
        last_err[0] = '\0';
        int rc = camera_uvc_ops.open(cams[i]);
        fprintf(stderr, "open under umockdev: %s (%s)\n", err_name(rc), last_err);
        CHECK_EQ_INT(rc, ERR_IO); /* found, but not opened: not ERR_NODEV */
        CHECK(strstr(last_err, "uvc_open") != NULL);
        CHECK_EQ_INT(camera_uvc_ops.start(cams[i]), ERR_NODEV);
        struct camera_frame fr;
        CHECK_EQ_INT(camera_uvc_ops.read(cams[i], &fr, 20), ERR_IO);
        camera_uvc_ops.stop(cams[i]);
        camera_uvc_ops.close(cams[i]);
        camera_uvc_destroy(cams[i]);
    }
    log_set_sink(NULL, NULL);
    g_clear_object(&tb);
}

int main(int argc, char **argv)
{
    (void)argc;
    if (!usb_fake_preload(argv))
        return 1;
    test_parse_and_errors();
    test_mailbox();
    test_umockdev();
    return check_report("camera_uvc_test");
}
