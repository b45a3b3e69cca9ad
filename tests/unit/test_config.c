/* test_config.c - defaults, every kind of value, and bad input. */
#include "base/datafile.h"
#include "base/err.h"
#include "core/config.h"
#include "check.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    struct config c;
    config_defaults(&c);
    CHECK_EQ_INT(c.idle_s, 60);
    CHECK_EQ_STR(c.reader, "usb");
    CHECK_EQ_INT(c.orientation, 0); /* auto: from the screen's shape */
    CHECK(c.diagonal_in == 0);

    CHECK_EQ_INT(config_parse(&c, "[kiosk]\nid = JZ-X-9\norientation = landscape\n"
                                  "language = en\nelder_mode = yes\n"
                                  "[registry]\nurl = https://r.example/\nretries = 0\n"
                                  "[timeouts]\nidle_s = 90\n"),
                 0);
    CHECK_EQ_STR(c.kiosk_id, "JZ-X-9");
    CHECK_EQ_INT(c.orientation, 2);
    /* [display]: the orientation (the older [kiosk] key names the same)
     * and the diagonal in inches, which gives sizes in millimetres. */
    CHECK_EQ_INT(config_parse(&c, "[display]\norientation = auto\ndiagonal_in = 21.5\n"), 0);
    CHECK_EQ_INT(c.orientation, 0);
    CHECK(c.diagonal_in > 21.49 && c.diagonal_in < 21.51);
    CHECK_EQ_INT(config_parse(&c, "[display]\norientation = portrait\ndiagonal_in =\n"), 0);
    CHECK_EQ_INT(c.orientation, 1);
    CHECK(c.diagonal_in == 0);
    CHECK_EQ_INT(config_parse(&c, "[display]\ndiagonal_in = 21.5in\n"), ERR_INVALID);
    CHECK_EQ_INT(config_parse(&c, "[display]\ndiagonal_in = 2\n"), ERR_INVALID);
    CHECK_EQ_INT(config_parse(&c, "[display]\ndiagonal_in = 500\n"), ERR_INVALID);
    /* [display] renderer: how frames reach the screen (auto by default) */
    CHECK_EQ_INT(c.renderer, 0);
    CHECK_EQ_INT(config_parse(&c, "[display]\nrenderer = surface\n"), 0);
    CHECK_EQ_INT(c.renderer, 2);
    CHECK_EQ_INT(config_parse(&c, "[display]\nrenderer = gl\n"), 0);
    CHECK_EQ_INT(c.renderer, 1);
    CHECK_EQ_INT(config_parse(&c, "[display]\nrenderer = auto\n"), 0);
    CHECK_EQ_INT(c.renderer, 0);
    CHECK_EQ_INT(config_parse(&c, "[display]\nrenderer = opengl\n"), ERR_INVALID);
    CHECK(c.english);
    CHECK(c.elder);
    CHECK_EQ_STR(c.registry_url, "https://r.example/");
    CHECK_EQ_INT(c.retries, 0);
    CHECK_EQ_INT(c.idle_s, 90);
    CHECK_EQ_STR(c.guide_cache, ""); /* the default: <output_dir>/guide.json */
    CHECK_EQ_INT(config_parse(&c, "[kiosk]\nguide_cache = /var/lib/bdc-kiosk/guide.json\n"), 0);
    CHECK_EQ_STR(c.guide_cache, "/var/lib/bdc-kiosk/guide.json");

    /* [voice]: auto (the default: on when a headset is added), on, off;
     * the WAV folder for tests. */
    CHECK_EQ_INT(c.voice_mode, 0);
    CHECK_EQ_INT(config_parse(&c, "[voice]\nenabled = on\nwav_dir = /tmp/wav\n"), 0);
    CHECK_EQ_INT(c.voice_mode, 1);
    CHECK_EQ_STR(c.voice_wav_dir, "/tmp/wav");
    CHECK_EQ_INT(config_parse(&c, "[voice]\nenabled = off\n"), 0);
    CHECK_EQ_INT(c.voice_mode, 2);
    CHECK_EQ_INT(config_parse(&c, "[voice]\nenabled = loud\n"), ERR_INVALID);

    /* [idcard] read_command: 30 01 unless a reader is set up for 30 10. */
    CHECK(!c.idcard_read_fingerprint);
    CHECK_EQ_INT(config_parse(&c, "[idcard]\nread_command = with_fingerprint\n"), 0);
    CHECK(c.idcard_read_fingerprint);
    CHECK_EQ_INT(config_parse(&c, "[idcard]\nread_command = text_photo\n"), 0);
    CHECK(!c.idcard_read_fingerprint);
    CHECK_EQ_INT(config_parse(&c, "[idcard]\nread_command = 3010\n"), ERR_INVALID);

    /* [staff]: the PIN store (empty: <output_dir>/staff.sqlite) and the
     * maintenance mode's idle limit, 30..3600 s. */
    CHECK_EQ_STR(c.staff_pins, "");
    CHECK_EQ_INT(c.staff_idle_s, 120);
    CHECK_EQ_INT(config_parse(&c, "[staff]\npins = /var/lib/bdc-kiosk/staff.sqlite\n"
                                  "idle_s = 300\n"),
                 0);
    CHECK_EQ_STR(c.staff_pins, "/var/lib/bdc-kiosk/staff.sqlite");
    CHECK_EQ_INT(c.staff_idle_s, 300);
    CHECK_EQ_INT(config_parse(&c, "[staff]\nidle_s = 30\n"), 0);
    CHECK_EQ_INT(config_parse(&c, "[staff]\nidle_s = 3600\n"), 0);
    CHECK_EQ_INT(c.staff_idle_s, 3600);
    CHECK_EQ_INT(config_parse(&c, "[staff]\nidle_s = 29\n"), ERR_INVALID);
    CHECK_EQ_INT(config_parse(&c, "[staff]\nidle_s = 3601\n"), ERR_INVALID);
    CHECK_EQ_INT(c.staff_idle_s, 3600);

    /* Bad values are errors and leave the old value. */
    CHECK_EQ_INT(config_parse(&c, "[timeouts]\nidle_s = 5\n"), ERR_INVALID);
    CHECK_EQ_INT(c.idle_s, 90);
    CHECK_EQ_INT(config_parse(&c, "[timeouts]\nidle_s = ninety\n"), ERR_INVALID);
    CHECK_EQ_INT(config_parse(&c, "[kiosk]\norientation = sideways\n"), ERR_INVALID);
    CHECK_EQ_INT(config_parse(&c, "[kiosk]\nelder_mode = maybe\n"), ERR_INVALID);
    CHECK_EQ_INT(config_parse(&c, "[kiosk\nid = x\n"), ERR_INVALID);
    /* Unknown keys are reported but not fatal. */
    CHECK_EQ_INT(config_parse(&c, "[kiosk]\ncolour = blue\n"), 0);
    /* Too long for its field. */
    char big[600] = "[kiosk]\nterminal = ";
    for (size_t i = strlen(big); i < 590; i++)
        big[i] = 'x';
    big[590] = '\0';
    CHECK_EQ_INT(config_parse(&c, big), ERR_INVALID);
    CHECK_EQ_INT(config_load(&c, "/nonexistent/kiosk.ini"), ERR_NOTFOUND);
    config_defaults(&c);
    CHECK_EQ_INT(config_load(&c, "system/deploy/kiosk.ini.sample"), 0);
    CHECK_EQ_STR(c.staff_pins, ""); /* the sample documents the defaults */
    CHECK_EQ_INT(c.staff_idle_s, 120);
    /* A line longer than inih's buffer is an error naming it; before, its
     * tail ran as a setting of its own. */
    config_defaults(&c);
    char text[600];
    snprintf(text, sizeof text,
             "[kiosk]\nhall = 解放区服务大厅\n[timeouts]\n; a note%*sidle_s = 300\n", 200, "");
    CHECK_EQ_INT(config_parse(&c, text), ERR_INVALID);
    CHECK_EQ_INT(c.idle_s, 60);
    snprintf(text, sizeof text, "[kiosk]\nhall = %.*s\n", DATAFILE_LINE_MAX - 7,
             "0123456789012345678901234567890123456789012345678901234567890123456789"
             "0123456789012345678901234567890123456789012345678901234567890123456789"
             "01234567890123456789012345678901234567890123456789");
    CHECK_EQ_INT(config_parse(&c, text), 0); /* exactly the limit is fine */
    CHECK_EQ_INT((int)strlen(c.hall), DATAFILE_LINE_MAX - 7);

    /* config_load: the same from a file, and a file that is not text. */
    char path[] = "/tmp/test_config_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "[timeouts]\n; a note%*sidle_s = 300\n", 200, "");
    fclose(f);
    config_defaults(&c);
    CHECK_EQ_INT(config_load(&c, path), ERR_INVALID);
    CHECK_EQ_INT(c.idle_s, 60);
    f = fopen(path, "w");
    fputs("[timeouts]\nidle_s = 90\n", f);
    fclose(f);
    CHECK_EQ_INT(config_load(&c, path), 0);
    CHECK_EQ_INT(c.idle_s, 90);
    f = fopen(path, "w");
    fwrite("[kiosk]\0\n", 1, 9, f);
    fclose(f);
    CHECK_EQ_INT(config_load(&c, path), ERR_INVALID);
    unlink(path);
    CHECK_EQ_INT(config_load(&c, path), ERR_NOTFOUND);

    /* Outside demo mode the kiosk fails closed. The defaults are not a
     * hall's: no registry, no CUPS queue, no audit key. */
    config_defaults(&c);
    CHECK_EQ_INT(config_check_production(&c, c.registry_url), ERR_INVALID);
    CHECK_EQ_INT(config_parse(&c, "[kiosk]\naudit_key = 7f3a-hall-secret\n"
                                  "[registry]\nurl = https://registry.example/\n"
                                  "[print]\ncups_queue = hall-a4\n"),
                 0);
    CHECK_EQ_INT(config_check_production(&c, c.registry_url), 0);
    CHECK_EQ_INT(config_check_production(&c, "http://registry.example/"), ERR_INVALID);
    CHECK_EQ_INT(config_check_production(&c, ""), ERR_INVALID);
    struct config one = c;
    one.cups_queue[0] = '\0';
    CHECK_EQ_INT(config_check_production(&one, c.registry_url), ERR_INVALID);
    one = c;
    snprintf(one.audit_key, sizeof one.audit_key, "%s", config_demo_audit_key);
    CHECK_EQ_INT(config_check_production(&one, c.registry_url), ERR_INVALID);
    one.audit_key[0] = '\0';
    CHECK_EQ_INT(config_check_production(&one, c.registry_url), ERR_INVALID);
    const size_t device_fields[] = {offsetof(struct config, reader),
                                    offsetof(struct config, camera),
                                    offsetof(struct config, slip_printer)};
    for (size_t i = 0; i < sizeof device_fields / sizeof device_fields[0]; i++) {
        one = c;
        memcpy((char *)&one + device_fields[i], "sim", 4);
        CHECK_EQ_INT(config_check_production(&one, c.registry_url), ERR_INVALID);
    }

    return check_report("test_config");
}
