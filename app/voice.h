/* voice.h - spoken guidance: espeak-ng's voices on a thread of their own.
 *
 * DESIGN: the UI thread says what to speak (voice_speak) and goes on; the
 * voice thread owns espeak-ng (which is not thread-safe) and the SDL audio
 * device it plays on. One utterance at a time: a new one interrupts the
 * one being synthesised or played (the newest wins, like the camera's
 * mailbox). Only strings from the kiosk's tables are spoken: a citizen's
 * name or ID number never reaches this module, its log or its files.
 *
 * Output: with a wav_dir, each utterance becomes a WAV file there
 * (NNNN-TAG-LANG.wav, 16-bit mono) and no sound device is opened (tests,
 * headless); otherwise it is queued on SDL's default output device at the
 * staff's volume. The last VOICE_LOG utterances are kept as (tag, language,
 * samples) for tests and the control socket, never their words' source.
 */
#ifndef APP_VOICE_H
#define APP_VOICE_H

#include <stdbool.h>
#include <stddef.h>

enum voice_mode {
    VOICE_AUTO = 0, /* silent until a headset (a new output device) is added */
    VOICE_ON = 1,
    VOICE_OFF = 2
};

enum voice_lang { VOICE_ZH = 0, VOICE_EN = 1 };

/* A citizen's 语音播报 for one visit, over the mode. */
enum voice_choice {
    VOICE_CHOICE_NONE = 0, /* the mode's (and a headset's) say */
    VOICE_CHOICE_ON,
    VOICE_CHOICE_OFF
};

#define VOICE_TAG_MAX  32
#define VOICE_TEXT_MAX 1024
#define VOICE_LOG      64

/* One utterance done (synthesised to the end, or interrupted). */
struct voice_said {
    unsigned seq;                /* 1, 2, ... */
    char tag[VOICE_TAG_MAX];     /* what it was: a screen's name, "error", "warn" */
    enum voice_lang lang;        /* the voice used */
    size_t samples;              /* PCM samples synthesised (with the tone) */
    bool tone;                   /* a warning tone came first */
    bool interrupted;            /* a newer utterance cut it short */
    char wav[VOICE_TAG_MAX * 2]; /* its file's name in wav_dir, "" when played */
};

struct voice_config {
    enum voice_mode mode;
    const char *wav_dir; /* borrowed for the call; "" or NULL: play on the device */
    int volume_pct;      /* 0..100 */
};

struct voice;

/* Starts the voice thread. espeak-ng is set up on it; a missing voice or
 * data folder is logged there and the kiosk runs silent. Returns NULL
 * only when out of memory or the thread cannot start (logged). Main thread;
 * SDL's audio subsystem must be initialised unless wav_dir is set. */
struct voice *voice_create(const struct voice_config *c);

/* Stops the thread (cutting off any utterance) and frees. NULL is a no-op. */
void voice_destroy(struct voice *v);

/* Speaks text (UTF-8, from the string tables) in lang, interrupting
 * whatever is being said; tag names it in the log (no personal data).
 * tone: a short warning tone first. Does nothing while speech is off.
 * Returns at once. UI thread. */
void voice_speak(struct voice *v, const char *tag, const char *text, enum voice_lang lang,
                 bool tone);

/* Stops the current utterance. */
void voice_hush(struct voice *v);

/* The staff's volume, 0..100, for the next samples queued. */
void voice_set_volume(struct voice *v, int pct);

/* Whether speech is on: the citizen's choice, else mode on, or auto after
 * a headset was added; never in mode off (the kiosk has no speaker). */
bool voice_is_on(const struct voice *v);

/* The citizen's choice for the visit (the home screen's 语音播报);
 * VOICE_CHOICE_NONE when the visit ends. UI thread. */
void voice_set_choice(struct voice *v, enum voice_choice c);

/* An output device was added (SDL_AUDIODEVICEADDED, not capture) with
 * SDL's index which: in auto mode, one added after start-up is taken as a
 * headset and speech comes on. Returns whether it switched speech on. */
bool voice_device_added(struct voice *v, int which);

/* Copies up to max of the newest utterances done, oldest first; returns
 * how many. Any thread. */
int voice_log(const struct voice *v, struct voice_said *out, int max);

/* Waits until nothing is pending or being synthesised (tests), at most ms. */
bool voice_idle_wait(const struct voice *v, int ms);

/* A 16-bit mono WAV header for samples at rate (44 bytes into out). Pure. */
void voice_wav_header(unsigned char out[44], size_t samples, int rate);

#endif
