/* config.h - the kiosk's settings: documented defaults, then an INI file.
 *
 * Every setting has a default that works for demo mode on one machine;
 * system/deploy/kiosk.ini.sample lists them all with their meaning. The
 * file is parsed with inih; an unknown section or key is reported (a typo
 * must not silently leave a default in force) but does not stop the kiosk.
 * Read once at start-up on the main thread; read-only afterwards.
 */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

#include "settings.h"

#include <stdbool.h>

#define CONFIG_STR 256

struct config {
    /* [kiosk] */
    char kiosk_id[64];       /* sent to the registry; printed on proofs */
    char office[CONFIG_STR]; /* 焦作市不动产登记中心 */
    char hall[CONFIG_STR];   /* 解放区服务大厅 */
    char terminal[64];       /* 自助终端 03 */
    int orientation;         /* [display] orientation = auto (0) | portrait (1) | landscape (2) */
    bool english;            /* language = zh-CN | en (at start of each visit) */
    bool elder;              /* elder_mode = false */
    bool contrast;           /* high_contrast = false */
    char audit_key[CONFIG_STR];   /* key of the ID-number audit hash */
    char outbox[CONFIG_STR];      /* the outbox; empty: <output_dir>/outbox.sqlite */
    char guide_cache[CONFIG_STR]; /* the guide's copy; empty: <output_dir>/guide.json */
    char control_group[64];       /* may use the control socket too; empty: none */

    /* [registry] */
    char registry_url[CONFIG_STR]; /* empty: start the bundled registry (demo) */
    char ca_file[CONFIG_STR];
    char client_cert[CONFIG_STR];
    char client_key[CONFIG_STR];
    int connect_timeout_ms;
    int timeout_ms;
    int retries;
    int health_interval_s;

    /* [fleet]: the heartbeat and the registry's settings (app/heartbeat.h) */
    int heartbeat_s;                       /* between heartbeats, ±20 % (60) */
    int heartbeat_backoff_s;               /* after a failed one: full jitter from this (60) ... */
    int heartbeat_backoff_cap_s;           /* ... doubling up to this (300) */
    char fleet_settings_cache[CONFIG_STR]; /* the last good settings document;
                                              "": <output_dir>/fleet_settings.json */

    /* [devices] */
    char reader[16];       /* sim | usb | tty */
    char camera[16];       /* sim */
    char slip_printer[16]; /* sim */

    /* [idcard] (the reader when [devices] reader is usb or tty) */
    char idcard_tty[CONFIG_STR];           /* tty path, e.g. /dev/ttyUSB0 */
    char idcard_usb_id[16];                /* extra VID:PID to look for, e.g. 0400:c35a */
    char idcard_usb_models[CONFIG_STR];    /* VID:PID=OUT/IN or =OUTH/OUTB/INH/INB; ... */
    char idcard_photo_decoder[CONFIG_STR]; /* vendor WLT library; empty: photo unavailable */
    bool idcard_read_fingerprint;          /* read_command: text_photo (30 01, default) or
                                            * with_fingerprint (30 10: its size only is kept) */

    /* [print] */
    char cups_queue[CONFIG_STR]; /* empty: save PDFs to output_dir */
    char output_dir[CONFIG_STR];

    /* [slip] the 80 mm slip printer (transport in [devices] slip_printer: sim | lp) */
    char slip_device[CONFIG_STR]; /* lp: the printer node, /dev/usb/lp0 */
    char slip_usb_id[16];         /* usb: VID:PID of the printer; empty: any printer-class device */
    char slip_journal[CONFIG_STR]; /* print journal; empty: <output_dir>/journal.sqlite */
    char slip_png_dir[CONFIG_STR]; /* sim: a PNG of each slip; empty: <output_dir>/slips */
    int slip_band_rows;            /* GS v 0 band height, 24..256 */
    int slip_confirm_ms;           /* wait for the job marker after the cut */
    int slip_roll;                 /* slips a full roll holds (300): the paper estimate */

    /* [camera] (the source is [devices] camera: sim | v4l2 | uvc) */
    char camera_device[CONFIG_STR];     /* v4l2: /dev/video0 */
    int camera_width, camera_height;    /* 640x480 or 1280x720 */
    bool camera_mjpeg;                  /* ask for MJPEG before YUYV (false) */
    char camera_sim_images[CONFIG_STR]; /* sim: image files to play, ':'-separated */
    char camera_uvc_id[16];             /* uvc: VID:PID; empty: the first UVC camera */

    /* [face] */
    char face_cascade[CONFIG_STR];     /* empty: opencv-data's lbpcascade_frontalface_improved */
    char face_eye_cascade[CONFIG_STR]; /* empty: opencv-data's haarcascade_eye */
    int face_min_pct;                  /* smallest face searched, % of frame width (15) */
    int face_near_pct;                 /* smaller: 请靠近一点 (20) */
    int face_challenge_ms;             /* time for the liveness challenge (8000) */
    char face_challenges[64];          /* blink,turn-left,turn-right */
    /* matcher = registry (false, the default: the frame goes to the
     * registry over the government network and is deleted there after the
     * verdict) | on_device (true: a vendor's matcher on the kiosk compares
     * and the frame never leaves it). The consent notice says which. */
    bool face_on_device;

    /* [ui] */
    char font_regular[CONFIG_STR]; /* empty: found through fontconfig */
    char font_bold[CONFIG_STR];

    /* [staff] maintenance mode (staff enter it with a PIN) */
    char staff_pins[CONFIG_STR]; /* the staff PIN store; empty: <output_dir>/staff.sqlite */
    int staff_idle_s;            /* untouched this long, maintenance mode ends (120) */
    char
        staff_settings[CONFIG_STR]; /* staff's settings overlay; empty: <output_dir>/settings.ini */

    /* [display] */
    char backlight[CONFIG_STR]; /* a backlight's sysfs folder; empty: brightness not set */
    double diagonal_in;         /* the screen's diagonal in inches; 0 unknown */
    int renderer; /* renderer = auto (0) | gl (1) | surface (2): how frames reach the screen */

    /* The settings staff may change (core/settings.h): [audio] volume,
     * [display] brightness_day, brightness_night, [kiosk] notice, [hours]
     * days, open, close; language is [kiosk] language above. The staff's
     * overlay file is read over these at start-up. */
    struct settings settings;

    /* [timeouts], seconds */
    int idle_s;
    int idle_banner_s;
    int capture_s;
    int goodbye_s;

    /* [voice] spoken guidance (app/voice.h) */
    int voice_mode; /* enabled = auto (0: on when a headset is added) | on (1) | off (2) */
    char voice_wav_dir[CONFIG_STR]; /* wav_dir: each utterance a WAV file there, no sound device */
};

/* Fills c with the documented defaults. */
void config_defaults(struct config *c);

/* Reads path over the values in c. Returns 0, ERR_NOTFOUND (no such file),
 * ERR_IO, ERR_TOOBIG (over 256 KiB), or ERR_INVALID (syntax error, bad
 * value, a line longer than DATAFILE_LINE_MAX: the line is named in the
 * log). */
int config_load(struct config *c, const char *path);

/* Parses INI text (for tests and the fuzzer). Same return codes. */
int config_parse(struct config *c, const char *text);

/* The audit key demo mode uses when [kiosk] audit_key is empty: published,
 * so never one for a hall. */
extern const char config_demo_audit_key[];

/* A kiosk outside demo mode fails closed: a registry reached over plain
 * HTTP, certificates saved into a folder (no [print] cups_queue), the demo
 * audit key or none, a simulated device. Logs each setting that is so and
 * returns ERR_INVALID, or 0. */
int config_check_production(const struct config *c, const char *registry_url);

#endif
