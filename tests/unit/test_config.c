/* test_config.c - defaults, every kind of value, and bad input. */
#include "base/err.h"
#include "core/config.h"
#include "check.h"

#include <string.h>

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
    return check_report("test_config");
}
