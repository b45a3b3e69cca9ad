/* settings_test.c - the settings staff may change (core/settings.h) and
 * their file (store/settings_file.h): defaults, every value's range and
 * step, the overlay read all or nothing (a damaged file refused, the
 * values before it kept), the text written and read back, a tap's step
 * (never past a range, never open at or after close), office hours by
 * weekday and time, and the file saved atomically (a failed write leaves
 * the old file and no half). Main thread only.
 */
#include "base/err.h"
#include "check.h"
#include "core/config.h"
#include "store/settings_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

/* Monday 2026-03-02 00:00 CST, plus day days, h:m. */
static int64_t cst(int day, int h, int m)
{
    return 1772380800 + (int64_t)day * 86400 + h * 3600 + m * 60;
}

static void test_defaults_and_values(void)
{
    struct settings s;
    settings_defaults(&s);
    CHECK_EQ_INT(settings_check(&s), 0);
    CHECK_EQ_INT(s.volume, 60);
    CHECK(!s.english);
    CHECK(!settings_has_hours(&s));
    CHECK(settings_open_at(&s, cst(6, 3, 0)));

    static const struct {
        const char *section, *name, *value;
        int ok;
    } cases[] = {
        {"audio", "volume", "70", 0},
        {"audio", "volume", "0", 0},
        {"audio", "volume", "100", 0},
        {"audio", "volume", "75", ERR_INVALID},  /* off the step */
        {"audio", "volume", "110", ERR_INVALID}, /* past the range */
        {"audio", "volume", "-10", ERR_INVALID},
        {"audio", "volume", "070", ERR_INVALID},
        {"audio", "volume", " 70", ERR_INVALID},
        {"audio", "volume", "", ERR_INVALID},
        {"display", "brightness_day", "10", 0},
        {"display", "brightness_day", "0", ERR_INVALID}, /* the day's never dark */
        {"display", "brightness_night", "0", 0},
        {"kiosk", "language", "en", 0},
        {"kiosk", "language", "EN", ERR_INVALID},
        {"kiosk", "notice", "preset-3", 0},
        {"kiosk", "notice", "preset-4", ERR_INVALID},
        {"hours", "days", "mon-sat", 0},
        {"hours", "days", "weekends", ERR_INVALID},
        {"hours", "open", "07:30", 0},
        {"hours", "open", "07:45", ERR_INVALID},
        {"hours", "open", "24:00", ERR_INVALID},
        {"hours", "open", "7:30", ERR_INVALID},
        {"hours", "close", "24:00", 0},
        {"hours", "close", "24:30", ERR_INVALID},
        {"hours", "close", "00:00", ERR_INVALID},
        {"hours", "close", "aa:bb", ERR_INVALID},
        {"audio", "loudness", "70", ERR_INVALID},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct settings before = s;
        int rc = settings_set(&s, cases[i].section, cases[i].name, cases[i].value);
        CHECK_EQ_INT(rc, cases[i].ok);
        if (rc)
            CHECK(settings_equal(&before, &s));
        if (rc != cases[i].ok)
            fprintf(stderr, "  [%s] %s = %s\n", cases[i].section, cases[i].name, cases[i].value);
    }
    CHECK_EQ_INT(s.volume, 100);
    CHECK(s.english);
    CHECK_EQ_INT(s.notice, 4);
    CHECK_EQ_INT(s.open_min, 7 * 60 + 30);
    CHECK_EQ_INT(s.close_min, 24 * 60);
    char v[32];
    settings_value(&s, SETTINGS_CLOSE, v, sizeof v);
    CHECK_EQ_STR(v, "24:00");
    settings_value(&s, SETTINGS_DAYS, v, sizeof v);
    CHECK_EQ_STR(v, "mon-sat");
    CHECK_EQ_STR(settings_item_name(SETTINGS_OPEN), "hours_open");
    CHECK(settings_item_name(SETTINGS_COUNT) == NULL);
}

static void test_parse_all_or_nothing(void)
{
    struct settings s, before;
    settings_defaults(&s);
    char why[160];
    CHECK_EQ_INT(settings_parse(&s,
                                "[audio]\nvolume = 30\n[hours]\ndays = daily\n"
                                "open = 09:00\nclose = 12:00\n",
                                why, sizeof why),
                 0);
    CHECK_EQ_INT(s.volume, 30);
    CHECK_EQ_INT(s.days, SETTINGS_DAYS_DAILY);
    before = s;
    /* One bad line: nothing of the file is taken. */
    CHECK_EQ_INT(settings_parse(&s, "[audio]\nvolume = 50\n[display]\nbrightness_day = 55\n", why,
                                sizeof why),
                 ERR_INVALID);
    CHECK(settings_equal(&before, &s));
    CHECK(strstr(why, "line 4") && strstr(why, "brightness_day"));
    CHECK_EQ_INT(settings_parse(&s, "[audio]\nvolume = 50\nthis is not ini\n", why, sizeof why),
                 ERR_INVALID);
    CHECK(strstr(why, "line 3") != NULL);
    CHECK(settings_equal(&before, &s));
    CHECK_EQ_INT(settings_parse(&s, "[hours]\nopen = 13:00\n", why, sizeof why), ERR_INVALID);
    CHECK(strstr(why, "open") != NULL); /* 13:00 is after 12:00 */
    CHECK(settings_equal(&before, &s));
    CHECK_EQ_INT(settings_parse(&s, "[registry]\nurl = http://x/\n", NULL, 0), ERR_INVALID);
    /* A line inih would cut: its tail must not be read as a setting. */
    char long_text[400];
    snprintf(long_text, sizeof long_text,
             "[hours]\nopen = 08:00\n[audio]\n; a note%*svolume = 90\n", 200, "");
    CHECK_EQ_INT(settings_parse(&s, long_text, why, sizeof why), ERR_INVALID);
    CHECK(strstr(why, "line 4") && strstr(why, "longer than"));
    CHECK(settings_equal(&before, &s));
    CHECK_EQ_INT(settings_parse(&s, "", why, sizeof why), 0); /* nothing over the defaults */

    /* What settings_format writes reads back the same. */
    char text[SETTINGS_FILE_MAX];
    s.english = true;
    s.notice = SETTINGS_NOTICE_NONE;
    s.bright_night = 0;
    int n = settings_format(&s, text, sizeof text);
    CHECK(n > 0 && (size_t)n == strlen(text));
    struct settings back;
    settings_defaults(&back);
    CHECK_EQ_INT(settings_parse(&back, text, why, sizeof why), 0);
    CHECK(settings_equal(&back, &s));
    CHECK_EQ_INT(settings_format(&s, text, 40), ERR_TOOBIG);

    /* The config file holds them too, and the language is [kiosk] language. */
    struct config c;
    config_defaults(&c);
    CHECK_EQ_INT(config_parse(&c, "[kiosk]\nlanguage = en\nnotice = none\n[audio]\nvolume = 20\n"
                                  "[display]\nbacklight = /sys/class/backlight/x\n"
                                  "[hours]\ndays = mon-fri\nopen = 08:00\nclose = 18:00\n"),
                 0);
    CHECK(c.settings.english);
    CHECK_EQ_INT(c.settings.volume, 20);
    CHECK_EQ_INT(c.settings.days, SETTINGS_DAYS_MON_FRI);
    CHECK_EQ_STR(c.backlight, "/sys/class/backlight/x");
    CHECK_EQ_INT(config_parse(&c, "[audio]\nvolume = 15\n"), ERR_INVALID);
    CHECK_EQ_INT(config_parse(&c, "[hours]\nopen = 19:00\n"), ERR_INVALID); /* after 18:00 */
}

static void test_step(void)
{
    struct settings s;
    settings_defaults(&s);
    CHECK_EQ_INT(settings_step(&s, SETTINGS_VOLUME, 1), 0);
    CHECK_EQ_INT(s.volume, 70);
    CHECK_EQ_INT(settings_step(&s, SETTINGS_VOLUME, 0), 0);
    CHECK_EQ_INT(s.volume, 60);
    s.volume = 100;
    CHECK_EQ_INT(settings_step(&s, SETTINGS_VOLUME, 1), ERR_INVALID);
    CHECK(!settings_can_step(&s, SETTINGS_VOLUME, 1));
    CHECK(settings_can_step(&s, SETTINGS_VOLUME, 0));
    CHECK_EQ_INT(settings_step(&s, SETTINGS_VOLUME, 2), ERR_INVALID); /* not − or + */
    s.bright_day = 10;
    CHECK(!settings_can_step(&s, SETTINGS_BRIGHT_DAY, 0));
    CHECK_EQ_INT(settings_step(&s, SETTINGS_LANGUAGE, 1), 0);
    CHECK(s.english);
    CHECK_EQ_INT(settings_step(&s, SETTINGS_LANGUAGE, 1), ERR_EMPTY);
    CHECK_EQ_INT(settings_step(&s, SETTINGS_LANGUAGE, 2), ERR_INVALID);
    CHECK_EQ_INT(settings_step(&s, SETTINGS_NOTICE, 3), 0);
    CHECK_EQ_INT(s.notice, 3);
    /* Open and close never meet. */
    s.open_min = 16 * 60 + 30;
    CHECK_EQ_INT(settings_step(&s, SETTINGS_OPEN, 1), ERR_INVALID);
    CHECK_EQ_INT(settings_step(&s, SETTINGS_CLOSE, 0), ERR_INVALID);
    CHECK_EQ_INT(s.open_min, 16 * 60 + 30);
    CHECK_EQ_INT(settings_step(&s, SETTINGS_CLOSE, 1), 0);
    CHECK_EQ_INT(s.close_min, 17 * 60 + 30);
    s.open_min = 0;
    CHECK(!settings_can_step(&s, SETTINGS_OPEN, 0));
    s.close_min = 24 * 60;
    CHECK(!settings_can_step(&s, SETTINGS_CLOSE, 1));
    CHECK_EQ_INT(settings_step(&s, SETTINGS_COUNT, 0), ERR_INVALID);
}

static void test_hours(void)
{
    struct settings s;
    settings_defaults(&s); /* 08:30-17:00 */
    s.days = SETTINGS_DAYS_MON_FRI;
    CHECK(!settings_open_at(&s, cst(0, 8, 29)));
    CHECK(settings_open_at(&s, cst(0, 8, 30)));
    CHECK(settings_open_at(&s, cst(4, 16, 59)));
    CHECK(!settings_open_at(&s, cst(4, 17, 0)));
    CHECK(!settings_open_at(&s, cst(5, 10, 0))); /* Saturday */
    s.days = SETTINGS_DAYS_MON_SAT;
    CHECK(settings_open_at(&s, cst(5, 10, 0)));
    CHECK(!settings_open_at(&s, cst(6, 10, 0))); /* Sunday */
    s.days = SETTINGS_DAYS_DAILY;
    CHECK(settings_open_at(&s, cst(6, 10, 0)));
    s.open_min = 0;
    s.close_min = 24 * 60;
    CHECK(settings_open_at(&s, cst(6, 23, 59)));
    char t[8];
    settings_hhmm(8 * 60 + 30, t, sizeof t);
    CHECK_EQ_STR(t, "08:30");
}

static bool holds_volume(const char *path, int volume)
{
    struct settings s;
    settings_defaults(&s);
    return settings_file_load(path, &s, NULL, 0) == 0 && s.volume == volume;
}

static void test_file(void)
{
    char path[128], tmp[140], why[160];
    snprintf(path, sizeof path, "%s/settings.ini", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    struct settings s;
    settings_defaults(&s);
    CHECK_EQ_INT(settings_file_load(path, &s, why, sizeof why), ERR_NOTFOUND);
    s.volume = 80;
    CHECK_EQ_INT(settings_file_save(path, &s), 0);
    CHECK(holds_volume(path, 80));
    struct stat st;
    CHECK(stat(tmp, &st) != 0); /* no half left behind */

    /* A failed write (PATH.tmp cannot be made): the old file as it was. */
    CHECK_EQ_INT(mkdir(tmp, 0700), 0);
    s.volume = 90;
    CHECK(settings_file_save(path, &s) != 0);
    CHECK(holds_volume(path, 80));
    rmdir(tmp);
    /* Settings that break a rule are never written. */
    s.open_min = s.close_min;
    CHECK_EQ_INT(settings_file_save(path, &s), ERR_INVALID);
    CHECK(holds_volume(path, 80));

    /* A damaged file is refused whole: the values before it stay. */
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("[audio]\nvolume = 40\n[hours]\nopen = 8:30\n", f);
        fclose(f);
    }
    settings_defaults(&s);
    CHECK_EQ_INT(settings_file_load(path, &s, why, sizeof why), ERR_CORRUPT);
    CHECK_EQ_INT(s.volume, 60);
    CHECK(strstr(why, "[hours] open") != NULL);
    /* Binary junk and a file too large are refused too. */
    f = fopen(path, "w");
    if (f) {
        fwrite("[audio]\nvolume = 4\0"
               "0\n",
               1, 21, f);
        fclose(f);
    }
    CHECK_EQ_INT(settings_file_load(path, &s, why, sizeof why), ERR_CORRUPT);
    f = fopen(path, "w");
    if (f) {
        for (int i = 0; i < 500; i++)
            fputs("; a comment line\n", f);
        fclose(f);
    }
    CHECK_EQ_INT(settings_file_load(path, &s, why, sizeof why), ERR_CORRUPT);
    CHECK_EQ_INT(s.volume, 60);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/settings_test.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_defaults_and_values();
    test_parse_all_or_nothing();
    test_step();
    test_hours();
    test_file();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("settings_test");
}
