/* udev_tables.c - the tables udev_tables.h describes. */
#include "udev_tables.h"

#include "base/util.h"
#include "drivers/idcard/idcard_sam.h"

const struct driver_info *const udev_drivers[] = {&idcard_sam_driver};
const size_t udev_drivers_len = ARRAY_LEN(udev_drivers);

/* The bridges readers ship with (drivers/core/transport_tty.h): CH340 and
 * CH341, CP210x, PL2303, and FTDI's FT232R. */
const struct driver_usb_id udev_serial_bridges[] = {
    {0x1a86, 0x7523, "WCH CH340"},           {0x1a86, 0x5523, "WCH CH341"},
    {0x10c4, 0xea60, "Silicon Labs CP210x"}, {0x067b, 0x2303, "Prolific PL2303"},
    {0x0403, 0x6001, "FTDI FT232R"},         {0, 0, NULL},
};

/* ID_USB_INTERFACES is set by udev's usb_id builtin (50-udev-default.rules)
 * on each USB device: ":CCSSPP:" per interface. */
const struct udev_class_rule udev_class_rules[] = {
    {"SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ENV{ID_USB_INTERFACES}==\"*:0701??:*\"",
     "slip printers over libusb: any USB printer-class device (class 07, subclass 01)"},
    {"SUBSYSTEM==\"usbmisc\", KERNEL==\"lp[0-9]*\"", "slip printers on the kernel's usblp node"},
    {"SUBSYSTEM==\"video4linux\"", "cameras: V4L2 capture nodes"},
    {"SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ENV{ID_USB_INTERFACES}==\"*:0e01??:*\"",
     "cameras over libuvc: any USB video-class device (class 0e, subclass 01)"},
};
const size_t udev_class_rules_len = ARRAY_LEN(udev_class_rules);
