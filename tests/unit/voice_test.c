/* voice_test.c - spoken guidance with WAV output: a Mandarin and an
 * English sentence each become a non-empty WAV file in the right voice's
 * name, the warning tone comes first, speech off speaks nothing, a newer
 * utterance interrupts an older one, auto mode comes on only for a
 * device added after start-up, and the citizen's 语音播报 switches speech
 * on or off over the mode except where it is off. Main thread plus the voice thread.
 */
#include "check.h"
#include "voice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static long file_size(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_header(void)
{
    unsigned char h[44];
    voice_wav_header(h, 100, 22050);
    CHECK(memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WAVEfmt ", 8) == 0);
    CHECK(memcmp(h + 36, "data", 4) == 0);
    CHECK_EQ_INT(h[40] | h[41] << 8, 200);
    CHECK_EQ_INT(h[24] | h[25] << 8 | h[26] << 16, 22050);
    CHECK_EQ_INT(h[22], 1); /* mono */
    CHECK_EQ_INT(h[34], 16);
}

static void test_speak(void)
{
    struct voice_config c = {.mode = VOICE_ON, .wav_dir = dir, .volume_pct = 70};
    struct voice *v = voice_create(&c);
    CHECK(v != NULL);
    CHECK(voice_is_on(v));
    voice_speak(v, "insert_card", "请将身份证放在感应区", VOICE_ZH, false);
    CHECK(voice_idle_wait(v, 20000));
    voice_speak(v, "insert_card", "Place your ID card on the reader", VOICE_EN, false);
    CHECK(voice_idle_wait(v, 20000));
    voice_speak(v, "warn", "Do you need more time?", VOICE_EN, true);
    CHECK(voice_idle_wait(v, 20000));

    struct voice_said said[8];
    int n = voice_log(v, said, 8);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_EQ_STR(said[0].tag, "insert_card");
        CHECK_EQ_INT(said[0].lang, VOICE_ZH);
        CHECK_EQ_STR(said[0].wav, "0001-insert_card-zh.wav");
        CHECK(said[0].samples > 10000); /* ~half a second at least */
        CHECK(file_size(said[0].wav) == 44 + (long)said[0].samples * 2);
        CHECK_EQ_INT(said[1].lang, VOICE_EN);
        CHECK_EQ_STR(said[1].wav, "0002-insert_card-en.wav");
        CHECK(file_size(said[1].wav) > 44 + 20000);
        CHECK(said[2].tone);
        CHECK(!said[2].interrupted);
        CHECK(said[2].samples > 22050 / 2);
    }

    /* A newer utterance cuts an older one short. */
    voice_speak(v, "help",
                "请您仔细阅读以下说明，然后按照屏幕上的提示一步一步地完成办理。"
                "如果需要帮助，请点击呼叫工作人员。",
                VOICE_ZH, false);
    voice_speak(v, "home", "Welcome", VOICE_EN, false);
    CHECK(voice_idle_wait(v, 20000));
    n = voice_log(v, said, 8);
    CHECK(n >= 4);
    CHECK_EQ_STR(said[n - 1].tag, "home");
    CHECK(!said[n - 1].interrupted);

    voice_destroy(v);
}

static void test_off_and_auto(void)
{
    struct voice_config c = {.mode = VOICE_OFF, .wav_dir = dir, .volume_pct = 50};
    struct voice *v = voice_create(&c);
    CHECK(!voice_is_on(v));
    voice_speak(v, "home", "欢迎", VOICE_ZH, false);
    CHECK(voice_idle_wait(v, 5000));
    struct voice_said said[2];
    CHECK_EQ_INT(voice_log(v, said, 2), 0);
    CHECK(!voice_device_added(v, 5));
    voice_destroy(v);

    c.mode = VOICE_AUTO;
    v = voice_create(&c);
    CHECK(!voice_is_on(v));
    CHECK(voice_device_added(v, 0)); /* WAV mode knows no devices at start */
    CHECK(voice_is_on(v));
    voice_speak(v, "home", "欢迎", VOICE_ZH, false);
    CHECK(voice_idle_wait(v, 20000));
    CHECK_EQ_INT(voice_log(v, said, 2), 1);
    voice_destroy(v);
    voice_destroy(NULL);
}

/* 语音播报: the citizen's choice for the visit over the mode, never with
 * the mode off (no speaker). */
static void test_choice(void)
{
    struct voice_config c = {.mode = VOICE_AUTO, .wav_dir = dir, .volume_pct = 50};
    struct voice *v = voice_create(&c);
    struct voice_said said[4];
    CHECK(!voice_is_on(v));
    voice_set_choice(v, VOICE_CHOICE_ON);
    CHECK(voice_is_on(v));
    voice_speak(v, "home", "欢迎", VOICE_ZH, false);
    CHECK(voice_idle_wait(v, 20000));
    CHECK_EQ_INT(voice_log(v, said, 4), 1);
    voice_set_choice(v, VOICE_CHOICE_NONE);
    CHECK(!voice_is_on(v));
    voice_speak(v, "home", "欢迎", VOICE_ZH, false);
    CHECK(voice_idle_wait(v, 5000));
    CHECK_EQ_INT(voice_log(v, said, 4), 1);
    CHECK(voice_device_added(v, 0)); /* a headset: on, unless switched off */
    voice_set_choice(v, VOICE_CHOICE_OFF);
    CHECK(!voice_is_on(v));
    voice_destroy(v);

    c.mode = VOICE_OFF;
    v = voice_create(&c);
    voice_set_choice(v, VOICE_CHOICE_ON);
    CHECK(!voice_is_on(v));
    voice_destroy(v);
    voice_set_choice(NULL, VOICE_CHOICE_ON);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/voice_test.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_header();
    test_speak();
    test_off_and_auto();
    test_choice();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_report("voice_test");
}
