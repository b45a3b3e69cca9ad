/* voice.c - spoken guidance: espeak-ng on the voice thread, SDL audio or WAV.
 *
 * espeak-ng runs synchronously (AUDIO_OUTPUT_SYNCHRONOUS): its callback
 * hands us PCM blocks, which go into one buffer per utterance; the
 * callback returns 1 (abort) as soon as a newer utterance is asked for,
 * so an interruption costs at most one block (~50 ms of speech). Voices:
 * "cmn" (Mandarin) and "en" from espeak-ng-data.
 *
 * Headset: SDL2 reports SDL_AUDIODEVICEADDED for every output device it
 * finds, at start-up (one per device, indexes 0..n-1) and later when one
 * is plugged in (USB or Bluetooth headsets, HDMI). A headset plugged into
 * the jack of a card that is already open is a port change inside
 * ALSA/PulseAudio/PipeWire that SDL2 does not report; on such kiosks
 * set [voice] enabled = on (or let staff raise the volume) instead.
 */
#include "voice.h"

#include "base/log.h"
#include "base/util.h"

#include <SDL2/SDL.h>
#include <espeak-ng/speak_lib.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TONE_HZ 880.0
#define TONE_MS 180          /* two beeps of this length, the same pause between */
#define PCM_MAX (60 * 22050) /* a minute of speech at espeak's rate is plenty */

struct voice {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    /* asked for (under lock) */
    bool quit;
    bool pending;
    char tag[VOICE_TAG_MAX];
    char text[VOICE_TEXT_MAX];
    enum voice_lang lang;
    bool tone;
    bool working;      /* the thread is on an utterance */
    atomic_uint asked; /* bumped by every speak or hush: the callback aborts on a change */
    atomic_int volume_pct;
    atomic_bool on;    /* mode on, or auto and a headset came */
    atomic_int choice; /* enum voice_choice: the citizen's, for the visit */
    enum voice_mode mode;
    int devices_at_start; /* output devices SDL knew when we started */
    char wav_dir[256];
    /* the voice thread's own */
    SDL_AudioDeviceID dev;
    int rate;
    bool started; /* engine_start ran (at the first utterance) */
    bool ready;   /* espeak-ng initialised */
    int16_t *pcm;
    size_t pcm_len;
    unsigned run; /* the `asked` value this utterance belongs to */
    unsigned seq;
    /* the log (under lock) */
    struct voice_said said[VOICE_LOG];
    int said_count;
};

void voice_wav_header(unsigned char out[44], size_t samples, int rate)
{
    uint32_t data = (uint32_t)(samples * 2);
    uint32_t r = (uint32_t)rate;
    uint32_t fields[] = {36 + data, 16, 0, r, r * 2, 0, data};
    static const unsigned char riff[4] = {'R', 'I', 'F', 'F'};
    static const unsigned char wave[8] = {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '};
    static const unsigned char data_id[4] = {'d', 'a', 't', 'a'};
    memcpy(out, riff, sizeof riff);
    memcpy(out + 8, wave, sizeof wave);
    memcpy(out + 36, data_id, sizeof data_id);
    unsigned char *p[] = {out + 4, out + 16, NULL, out + 24, out + 28, NULL, out + 40};
    for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
        if (!p[i])
            continue;
        for (int b = 0; b < 4; b++)
            p[i][b] = (unsigned char)(fields[i] >> (8 * b));
    }
    /* PCM, mono, block align 2, 16 bits */
    const unsigned char fmt[] = {1, 0, 1, 0};
    memcpy(out + 20, fmt, 4);
    const unsigned char align[] = {2, 0, 16, 0};
    memcpy(out + 32, align, 4);
}

static void pcm_push(struct voice *v, const int16_t *s, size_t n)
{
    if (v->pcm_len + n > PCM_MAX)
        n = PCM_MAX - v->pcm_len;
    memcpy(v->pcm + v->pcm_len, s, n * sizeof *s);
    v->pcm_len += n;
}

static void tone_push(struct voice *v)
{
    size_t n = (size_t)v->rate * TONE_MS / 1000;
    int16_t buf[4096];
    for (int beep = 0; beep < 2; beep++) {
        for (size_t i = 0; i < n; i += ARRAY_LEN(buf)) {
            size_t k = n - i < ARRAY_LEN(buf) ? n - i : ARRAY_LEN(buf);
            for (size_t j = 0; j < k; j++) {
                double t = (double)(i + j) / v->rate;
                double fade = (double)(n - (i + j)) / (double)n; /* no click at the end */
                buf[j] = (int16_t)(9000.0 * fade * sin(2.0 * M_PI * TONE_HZ * t));
            }
            pcm_push(v, buf, k);
        }
        memset(buf, 0, sizeof buf);
        for (size_t i = 0; i < n; i += ARRAY_LEN(buf))
            pcm_push(v, buf, n - i < ARRAY_LEN(buf) ? n - i : ARRAY_LEN(buf));
    }
}

static struct voice *current; /* espeak's callback has no user pointer of ours before a run */

static int on_synth(short *wav, int numsamples, espeak_EVENT *events)
{
    (void)events;
    struct voice *v = current;
    if (!v)
        return 1;
    if (atomic_load(&v->asked) != v->run)
        return 1; /* interrupted */
    if (wav && numsamples > 0)
        pcm_push(v, wav, (size_t)numsamples);
    return 0;
}

/* espeak-ng is process-wide and its espeak_Terminate hangs joining its
 * own thread once it was started a second time: it is set up once per
 * process, never terminated, and used by one voice at a time. */
static int engine_rate;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;

static void engine_init(void)
{
    engine_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, NULL, 0);
    if (engine_rate > 0)
        espeak_SetSynthCallback(on_synth);
}

static void engine_start(struct voice *v)
{
    pthread_once(&engine_once, engine_init);
    int rate = engine_rate;
    if (rate <= 0) {
        log_err("voice", "espeak-ng did not start (espeak-ng-data installed?): speech is off");
        return;
    }
    v->rate = rate;
    current = v;
    espeak_SetParameter(espeakRATE, 150, 0);
    v->ready = true;
    if (v->wav_dir[0])
        return;
    SDL_AudioSpec want = {.freq = rate, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024};
    v->dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
    if (!v->dev)
        log_warn("voice", "no sound device (%s): speech is synthesised but not heard",
                 SDL_GetError());
    else
        SDL_PauseAudioDevice(v->dev, 0);
}

static void write_wav(struct voice *v, struct voice_said *said)
{
    snprintf(said->wav, sizeof said->wav, "%04u-%s-%s.wav", said->seq, said->tag,
             said->lang == VOICE_EN ? "en" : "zh");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", v->wav_dir, said->wav);
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        log_err("voice", "cannot write %s", path);
        said->wav[0] = 0;
        return;
    }
    unsigned char hdr[44];
    voice_wav_header(hdr, v->pcm_len, v->rate);
    bool ok = fwrite(hdr, 1, sizeof hdr, fp) == sizeof hdr &&
              fwrite(v->pcm, sizeof *v->pcm, v->pcm_len, fp) == v->pcm_len;
    if (fclose(fp) != 0 || !ok)
        log_err("voice", "cannot write %s", path);
}

static void play(struct voice *v)
{
    if (!v->dev)
        return;
    int vol = atomic_load(&v->volume_pct);
    for (size_t i = 0; i < v->pcm_len; i++)
        v->pcm[i] = (int16_t)(v->pcm[i] * vol / 100);
    SDL_ClearQueuedAudio(v->dev);
    if (SDL_QueueAudio(v->dev, v->pcm, (Uint32)(v->pcm_len * sizeof *v->pcm)) != 0)
        log_warn("voice", "sound device refused the speech: %s", SDL_GetError());
}

/* One utterance: synthesised whole, then written or played. */
static void utter(struct voice *v, const char *tag, const char *text, enum voice_lang lang,
                  bool tone)
{
    v->pcm_len = 0;
    if (tone)
        tone_push(v);
    espeak_SetVoiceByName(lang == VOICE_EN ? "en" : "cmn");
    espeak_ERROR rc =
        espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
    if (rc != EE_OK)
        log_warn("voice", "espeak-ng could not speak the %s text (%d)", tag, (int)rc);
    struct voice_said said = {.seq = ++v->seq,
                              .lang = lang,
                              .samples = v->pcm_len,
                              .tone = tone,
                              .interrupted = atomic_load(&v->asked) != v->run};
    str_copy(said.tag, sizeof said.tag, tag);
    if (v->wav_dir[0])
        write_wav(v, &said);
    else if (!said.interrupted)
        play(v);
    pthread_mutex_lock(&v->lock);
    if (v->said_count == VOICE_LOG) {
        memmove(v->said, v->said + 1, sizeof v->said[0] * (VOICE_LOG - 1));
        v->said_count--;
    }
    v->said[v->said_count++] = said;
    pthread_mutex_unlock(&v->lock);
}

static void *voice_main(void *arg)
{
    pthread_setname_np(pthread_self(), "voice");
    struct voice *v = arg;
    char tag[VOICE_TAG_MAX], *text = malloc(VOICE_TEXT_MAX);
    pthread_mutex_lock(&v->lock);
    while (!v->quit) {
        if (!v->pending) {
            pthread_cond_wait(&v->cond, &v->lock);
            continue;
        }
        v->pending = false;
        v->working = true;
        memcpy(tag, v->tag, sizeof tag);
        if (text)
            memcpy(text, v->text, VOICE_TEXT_MAX);
        enum voice_lang lang = v->lang;
        bool tone = v->tone;
        v->run = atomic_load(&v->asked);
        pthread_mutex_unlock(&v->lock);
        /* espeak-ng (its voices' data, about 0.7 MB) and the sound device
         * when first spoken: a kiosk whose speech never comes on (auto,
         * no headset) never loads them */
        if (!v->started) {
            v->started = true;
            engine_start(v);
        }
        if (v->ready && text && v->pcm)
            utter(v, tag, text, lang, tone);
        pthread_mutex_lock(&v->lock);
        v->working = false;
        pthread_cond_broadcast(&v->cond);
    }
    pthread_mutex_unlock(&v->lock);
    free(text);
    if (v->dev)
        SDL_CloseAudioDevice(v->dev);
    if (v->ready)
        current = NULL;
    /* SDL keeps an error message per thread; this thread is not SDL's. */
    SDL_TLSCleanup();
    return NULL;
}

struct voice *voice_create(const struct voice_config *c)
{
    struct voice *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->pcm = malloc(PCM_MAX * sizeof *v->pcm);
    pthread_mutex_init(&v->lock, NULL);
    pthread_cond_init(&v->cond, NULL);
    v->mode = c->mode;
    atomic_store(&v->volume_pct, c->volume_pct);
    atomic_store(&v->on, c->mode == VOICE_ON);
    if (c->wav_dir)
        str_copy(v->wav_dir, sizeof v->wav_dir, c->wav_dir);
    v->devices_at_start = v->wav_dir[0] ? 0 : SDL_GetNumAudioDevices(0);
    if (pthread_create(&v->thread, NULL, voice_main, v) != 0) {
        log_err("voice", "cannot start the voice thread: speech is off");
        pthread_cond_destroy(&v->cond);
        pthread_mutex_destroy(&v->lock);
        free(v->pcm);
        free(v);
        return NULL;
    }
    log_info("voice", "speech %s%s%s",
             c->mode == VOICE_ON    ? "on"
             : c->mode == VOICE_OFF ? "off"
                                    : "on when a headset is added",
             v->wav_dir[0] ? ", as WAV files in " : "", v->wav_dir);
    return v;
}

void voice_destroy(struct voice *v)
{
    if (!v)
        return;
    pthread_mutex_lock(&v->lock);
    v->quit = true;
    atomic_fetch_add(&v->asked, 1);
    pthread_cond_broadcast(&v->cond);
    pthread_mutex_unlock(&v->lock);
    pthread_join(v->thread, NULL);
    pthread_cond_destroy(&v->cond);
    pthread_mutex_destroy(&v->lock);
    free(v->pcm);
    free(v);
}

void voice_speak(struct voice *v, const char *tag, const char *text, enum voice_lang lang,
                 bool tone)
{
    if (!voice_is_on(v) || !text || !text[0])
        return;
    pthread_mutex_lock(&v->lock);
    str_copy(v->tag, sizeof v->tag, tag);
    str_copy(v->text, sizeof v->text, text);
    v->lang = lang;
    v->tone = tone;
    v->pending = true;
    atomic_fetch_add(&v->asked, 1);
    pthread_cond_broadcast(&v->cond);
    pthread_mutex_unlock(&v->lock);
}

void voice_hush(struct voice *v)
{
    if (!v)
        return;
    pthread_mutex_lock(&v->lock);
    v->pending = false;
    atomic_fetch_add(&v->asked, 1);
    pthread_mutex_unlock(&v->lock);
    if (v->dev)
        SDL_ClearQueuedAudio(v->dev);
}

void voice_set_volume(struct voice *v, int pct)
{
    if (v)
        atomic_store(&v->volume_pct, pct < 0 ? 0 : pct > 100 ? 100 : pct);
}

bool voice_is_on(const struct voice *v)
{
    if (!v || v->mode == VOICE_OFF)
        return false;
    int c = atomic_load(&v->choice);
    return c == VOICE_CHOICE_ON || (c != VOICE_CHOICE_OFF && atomic_load(&v->on));
}

void voice_set_choice(struct voice *v, enum voice_choice c)
{
    if (!v)
        return;
    int was = atomic_exchange(&v->choice, (int)c);
    if (was != (int)c && v->mode != VOICE_OFF)
        log_info("voice", "speech %s for this visit",
                 c == VOICE_CHOICE_ON    ? "switched on"
                 : c == VOICE_CHOICE_OFF ? "switched off"
                                         : "as set");
}

bool voice_device_added(struct voice *v, int which)
{
    if (!v || v->mode != VOICE_AUTO || atomic_load(&v->on) || which < v->devices_at_start)
        return false;
    atomic_store(&v->on, true);
    log_info("voice", "an output device was added (a headset): speech is on");
    return true;
}

int voice_log(const struct voice *v, struct voice_said *out, int max)
{
    if (!v)
        return 0;
    struct voice *w = (struct voice *)v; /* the lock only */
    pthread_mutex_lock(&w->lock);
    int n = w->said_count < max ? w->said_count : max;
    memcpy(out, w->said + (w->said_count - n), sizeof *out * (size_t)n);
    pthread_mutex_unlock(&w->lock);
    return n;
}

bool voice_idle_wait(const struct voice *v, int ms)
{
    if (!v)
        return true;
    struct voice *w = (struct voice *)v;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&w->lock);
    int rc = 0;
    while ((w->pending || w->working) && rc == 0)
        rc = pthread_cond_timedwait(&w->cond, &w->lock, &until);
    bool idle = !w->pending && !w->working;
    pthread_mutex_unlock(&w->lock);
    return idle;
}
