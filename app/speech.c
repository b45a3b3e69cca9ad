/* speech.c - what the kiosk says, and when: the composition root's side of
 * the voice guidance (voice.c speaks).
 *
 * After every flow event effects_feed compares the flow before and after
 * (struct speech_mark) and speaks, in the visit's language:
 *   - a new screen: its instruction ([voice] <screen name>), the error
 *     screen its error's title and lead, the goodbye screen 请取走您的身份证
 *     while the card is on the reader;
 *   - the idle banner coming up: a warning tone and [voice] warn (the
 *     banner counts down idle_banner_ms, 30 s and never under 20 s, from
 *     there), on the printing screen with the printout to take;
 *   - the printout out: [voice] printout;
 *   - a screen's countdown starting, or starting again for a tap or a key
 *     (goodbye, never under 20 s): a warning tone, the instruction and
 *     [voice] countdown, the whole countdown still ahead;
 *   - 语音播报 switched on on the home screen: [voice] speech_on and the
 *     screen's instruction at once; switched off: silence at once. The
 *     choice is the voice's (voice_set_choice) until the visit ends.
 * 再听一遍 (IN_LISTEN) says the screen's instruction again. Everything
 * spoken is a string of the tables, shown on the screen as well; a
 * citizen's name or ID number is never spoken or logged.
 */
#include "app.h"
#include "voice.h"

#include "base/log.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

/* Copies text without its markup (<b>, <em>) and line breaks. */
static void plain(char *out, size_t size, const char *text)
{
    size_t n = 0;
    bool tag = false;
    for (const char *p = text; *p && n + 1 < size; p++) {
        if (*p == '<')
            tag = true;
        else if (*p == '>')
            tag = false;
        else if (!tag)
            out[n++] = *p == '\n' ? ' ' : *p;
    }
    out[n] = '\0';
}

static enum voice_lang lang_of(const struct app *a)
{
    return a->flow.english ? VOICE_EN : VOICE_ZH;
}

/* Says the strings of keys (NULL ones skipped) as one utterance. */
static void say_keys(struct app *a, const char *tag, const char *const *keys, int n, bool tone)
{
    enum i18n_lang il = a->flow.english ? I18N_EN : I18N_ZH;
    char text[VOICE_TEXT_MAX], one[VOICE_TEXT_MAX / 2];
    text[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (!keys[i])
            continue;
        plain(one, sizeof one, tr_lang(il, keys[i]));
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s%s", len ? " " : "", one);
    }
    voice_speak(a->voice, tag, text, lang_of(a), tone);
}

static void say_key(struct app *a, const char *tag, const char *k1, const char *k2, bool tone)
{
    const char *keys[2] = {k1, k2};
    say_keys(a, tag, keys, 2, tone);
}

/* The screen's instruction (what 再听一遍 repeats). Staff's screens speak
 * nothing: their users stand at the kiosk to service it. warn: the
 * screen's countdown (goodbye) just started or started again: the tone
 * first and the warning after the instruction (its whole time, at least
 * FLOW_WARN_MS, is ahead); extended: it started again for a tap or key. */
static void say_screen(struct app *a, bool warn, bool extended)
{
    const struct flow *f = &a->flow;
    const char *name = flow_screen_name(f->screen);
    if (f->screen == SCREEN_STAFF || f->screen == SCREEN_STAFF_PIN)
        return;
    if (f->screen == SCREEN_ERROR) {
        char title[64], lead[64];
        snprintf(title, sizeof title, "error.%s.title", ui_error_key(f));
        snprintf(lead, sizeof lead, "error.%s.lead", ui_error_key(f));
        say_key(a, "error", title, lead, false);
        return;
    }
    if (f->screen == SCREEN_GOODBYE) {
        bool card = f->card_present;
        const char *keys[] = {
            extended ? "voice.extended" : NULL,
            card ? "voice.card_left" : "voice.goodbye",
            card && f->printed_copies > 0 ? "voice.printout_left" : NULL,
            warn && f->screen_deadline_ms ? "voice.countdown" : NULL,
        };
        say_keys(a, card ? "card_left" : name, keys, 4, warn);
        return;
    }
    if (f->screen == SCREEN_PRINTING && f->printed) {
        say_key(a, "printout", "voice.printout", NULL, false);
        return;
    }
    char key[64];
    snprintf(key, sizeof key, "voice.%s", name);
    say_key(a, name, key, NULL, false);
}

static enum voice_choice choice_of(enum flow_speech s)
{
    return s == FLOW_SPEECH_ON    ? VOICE_CHOICE_ON
           : s == FLOW_SPEECH_OFF ? VOICE_CHOICE_OFF
                                  : VOICE_CHOICE_NONE;
}

void speech_start(struct app *a)
{
    struct voice_config c = {.mode = (enum voice_mode)a->cfg.voice_mode,
                             .wav_dir = a->cfg.voice_wav_dir,
                             .volume_pct = a->settings.volume};
    if (!c.wav_dir[0] && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
        log_warn("voice", "no SDL audio (%s): speech is not heard", SDL_GetError());
    a->voice = voice_create(&c);
}

void speech_stop(struct app *a)
{
    voice_destroy(a->voice);
    a->voice = NULL;
    /* The device is closed: SDL's audio goes too (its driver's lists with it). */
    if (SDL_WasInit(SDL_INIT_AUDIO))
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void speech_mark(const struct app *a, struct speech_mark *m)
{
    m->screen = a->flow.screen;
    m->banner = a->flow.idle_deadline_ms != 0;
    m->printed = a->flow.printed;
    m->card_present = a->flow.card_present;
    m->english = a->flow.english;
    m->speech = a->flow.speech;
    m->countdown_warns = a->flow.countdown_warns;
}

void speech_after(struct app *a, const struct speech_mark *m, const struct flow_event *ev)
{
    const struct flow *f = &a->flow;
    if (!a->voice)
        return;
    voice_set_volume(a->voice, a->settings.volume);
    /* The citizen's 语音播报 (reset when the visit ends) before anything is said. */
    voice_set_choice(a->voice, choice_of(f->speech));
    bool warn = f->countdown_warns != m->countdown_warns;
    if (f->speech != m->speech && f->screen == m->screen) {
        /* Switched on: the screen's instruction at once; off: quiet now. */
        if (voice_is_on(a->voice)) {
            const char *keys[] = {"voice.speech_on", NULL};
            char key[64];
            snprintf(key, sizeof key, "voice.%s", flow_screen_name(f->screen));
            keys[1] = key;
            say_keys(a, flow_screen_name(f->screen), keys, 2, false);
        } else {
            voice_hush(a->voice);
        }
        return;
    }
    if (ev->kind == FLOW_EV_INPUT && ev->input == IN_LISTEN) {
        say_screen(a, warn, false);
        return;
    }
    if (f->screen != m->screen || f->english != m->english) {
        say_screen(a, warn, false);
        return;
    }
    if (warn) {
        /* A tap or a key gave the countdown its whole time again. */
        say_screen(a, true, true);
        return;
    }
    if (f->idle_deadline_ms && !m->banner) {
        /* The printout not taken: the warning says so too. */
        bool paper = f->screen == SCREEN_PRINTING && f->printed;
        say_key(a, "warn", "voice.warn", paper ? "voice.printout_left" : NULL, true);
        return;
    }
    if (m->banner && !f->idle_deadline_ms)
        voice_hush(a->voice); /* "still here": the warning stops */
    if (f->screen == SCREEN_PRINTING && f->printed && !m->printed)
        say_screen(a, false, false);
    if (f->screen == SCREEN_GOODBYE && m->card_present && !f->card_present)
        voice_hush(a->voice);
}

void speech_device_added(struct app *a, int which)
{
    if (voice_device_added(a->voice, which)) {
        a->generation++; /* the footer offers 再听一遍 now */
        say_screen(a, false, false);
    }
}

bool speech_is_on(const struct app *a)
{
    return voice_is_on(a->voice);
}
