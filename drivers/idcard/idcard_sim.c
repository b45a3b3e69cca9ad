/* idcard_sim.c - the simulated SAM module: a real responder behind a transport.
 *
 * Transport calls run on the reader thread; the control calls on any
 * thread; one mutex guards everything and a condition variable wakes a
 * blocked read when a reply is queued or the module is unplugged.
 *
 * DESIGN: write() feeds the request bytes to a sam_frame decoder, exactly
 * as the reader decodes replies, and each complete request appends a reply
 * frame to an output queue; read() hands that queue out in 64-byte pieces,
 * the size of a full-speed USB bulk packet, so the reader's reassembly is
 * exercised on every read. The module follows the protocol's rules: find
 * answers 9F only with a card, select needs a find, a text read needs a
 * select and uses it up (find + select before every read), the appended
 * address needs a text read; a request with a bad CHK or Len gets SW3 10 /
 * 11 like a real SAM. Faults are one-shot entries in a small queue or
 * persistent flags.
 */
#include "idcard_sim.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIM_CHUNK      64
#define SIM_OUT_MAX    (2 * SAM_FRAME_MAX)
#define SIM_FAULTS_MAX 16
#define SIM_COUNTS     9

/* One armed one-shot fault: applies to the next reply to cmd. */
struct sim_fault {
    enum idcard_sim_fault kind; /* or IDCARD_SIM_FAULT_NONE with sw3 set */
    uint16_t cmd;               /* enum sam_command; 0 = any command */
    uint8_t sw3;
};

struct idcard_sim {
    struct transport transport;
    pthread_mutex_t lock;
    pthread_cond_t cond;

    bool opened, unplugged;
    bool no_card, sam_dead, wedged; /* persistent faults */
    struct sim_fault faults[SIM_FAULTS_MAX];
    size_t n_faults;

    bool has_card, has_address;
    uint8_t text[IDCARD_TEXT_LEN];
    uint8_t address[IDCARD_ADDRESS_LEN];
    uint8_t photo[IDCARD_PHOTO_MAX];
    size_t photo_len;
    size_t fingerprint_len;          /* the card's fingerprint block (made-up bytes) for 30 10 */
    bool found, selected, read_done; /* the module's view of the card */

    struct sam_frame_decoder req; /* request bytes from write() */
    uint8_t out[SIM_OUT_MAX];     /* reply bytes for read() */
    size_t out_len;
    uint8_t scratch[SAM_FRAME_MAX]; /* reply data being built */

    unsigned counts[SIM_COUNTS];
};

static const uint16_t counted[SIM_COUNTS] = {
    SAM_CMD_RESET,     SAM_CMD_STATUS,       SAM_CMD_SAM_ID,     SAM_CMD_FIND,      SAM_CMD_SELECT,
    SAM_CMD_READ_BASE, SAM_CMD_READ_ADDRESS, SAM_CMD_SET_RF_MAX, SAM_CMD_READ_FULL,
};

static const struct transport_ops idcard_sim_transport_ops;

/* ---- replies ---- */

static void forget_card_state(struct idcard_sim *s)
{
    s->found = s->selected = s->read_done = false;
}

static void queue_bytes(struct idcard_sim *s, const uint8_t *p, size_t n)
{
    if (n > SIM_OUT_MAX - s->out_len)
        n = SIM_OUT_MAX - s->out_len; /* a reader that never reads loses replies */
    memcpy(s->out + s->out_len, p, n);
    s->out_len += n;
    pthread_cond_broadcast(&s->cond);
}

/* Takes the first armed one-shot fault for command cmd, if any. Faults
 * armed for the card read (30 01) spoil a 30 10 read as well. */
static bool take_fault(struct idcard_sim *s, uint16_t cmd, struct sim_fault *f)
{
    for (size_t i = 0; i < s->n_faults; i++) {
        uint16_t want = s->faults[i].cmd;
        if (want != 0 && want != cmd && !(want == SAM_CMD_READ_BASE && cmd == SAM_CMD_READ_FULL))
            continue;
        *f = s->faults[i];
        memmove(&s->faults[i], &s->faults[i + 1], (s->n_faults - i - 1) * sizeof *f);
        s->n_faults--;
        return true;
    }
    return false;
}

static void reply(struct idcard_sim *s, uint8_t sw3, const uint8_t *data, size_t len,
                  const struct sim_fault *f)
{
    uint8_t frame[SAM_FRAME_MAX];
    int n = sam_frame_encode_reply(0x00, 0x00, sw3, data, len, frame, sizeof frame);
    if (n < 0)
        return;
    if (f && f->kind == IDCARD_SIM_FAULT_CHECKSUM)
        frame[n - 1] ^= 0x5A;
    if (f && f->kind == IDCARD_SIM_FAULT_TRUNCATED)
        n /= 2;
    queue_bytes(s, frame, (size_t)n);
    explicit_bzero(frame, sizeof frame);
}

static void respond(struct idcard_sim *s, const struct sam_request *rq)
{
    uint16_t cmd = (uint16_t)(rq->cmd << 8 | rq->para);
    for (size_t i = 0; i < SIM_COUNTS; i++)
        if (counted[i] == cmd)
            s->counts[i]++;

    struct sim_fault f = {0};
    bool faulty = take_fault(s, cmd, &f);
    if (faulty && f.kind == IDCARD_SIM_FAULT_SILENT)
        return;
    if (faulty && f.kind == IDCARD_SIM_FAULT_UNPLUG_ON_READ) {
        s->unplugged = true;
        s->out_len = 0;
        pthread_cond_broadcast(&s->cond);
        return;
    }
    if (faulty && f.kind == IDCARD_SIM_FAULT_NONE) {
        reply(s, f.sw3, NULL, 0, NULL);
        return;
    }
    if (s->sam_dead) {
        reply(s, SAM_STATUS_SELF_TEST, NULL, 0, NULL);
        return;
    }
    const struct sim_fault *spoil = faulty ? &f : NULL;
    static const uint8_t zeros[16];
    switch (cmd) {
    case SAM_CMD_RESET:
        forget_card_state(s);
        reply(s, SAM_STATUS_OK, NULL, 0, spoil);
        return;
    case SAM_CMD_STATUS:
    case SAM_CMD_SET_RF_MAX:
        reply(s, SAM_STATUS_OK, NULL, 0, spoil);
        return;
    case SAM_CMD_SAM_ID: {
        static const uint8_t id[16] = {0x05, 0x00, 0x01, 0x00, 0x15, 0xCD, 0x5B, 0x07,
                                       0x01, 0x00, 0x00, 0x00, 0x40, 0xE2, 0x01, 0x00};
        reply(s, SAM_STATUS_OK, id, sizeof id, spoil);
        return;
    }
    case SAM_CMD_FIND:
        s->found = s->has_card && !s->no_card;
        s->selected = false;
        if (s->found)
            reply(s, SAM_STATUS_FIND_OK, zeros, 4, spoil);
        else
            reply(s, SAM_STATUS_FIND_FAILED, NULL, 0, spoil);
        return;
    case SAM_CMD_SELECT:
        s->selected = s->found && s->has_card;
        s->found = false;
        if (s->selected)
            reply(s, SAM_STATUS_OK, zeros, 8, spoil);
        else
            reply(s, SAM_STATUS_SELECT_FAILED, NULL, 0, spoil);
        return;
    case SAM_CMD_READ_BASE:
    case SAM_CMD_READ_FULL: {
        bool ok = s->selected && s->has_card;
        s->selected = false;
        if (!ok) {
            reply(s, SAM_STATUS_READ_FAILED, NULL, 0, spoil);
            return;
        }
        int n;
        if (cmd == SAM_CMD_READ_FULL) {
            /* Not a fingerprint: a made-up block of the size a card holds. */
            static uint8_t templates[SAM_FRAME_FINGERPRINT_MAX];
            for (size_t i = 0; i < sizeof templates; i++)
                templates[i] = (uint8_t)(0x46 ^ i);
            n = sam_frame_encode_full(s->text, s->photo, s->photo_len, templates,
                                      s->fingerprint_len, s->scratch, sizeof s->scratch);
        } else {
            n = sam_frame_encode_base(s->text, s->photo, s->photo_len, s->scratch,
                                      sizeof s->scratch);
        }
        if (n < 0) {
            reply(s, SAM_STATUS_UNKNOWN_ERROR, NULL, 0, spoil);
            return;
        }
        s->read_done = true;
        reply(s, SAM_STATUS_OK, s->scratch, (size_t)n, spoil);
        explicit_bzero(s->scratch, (size_t)n);
        return;
    }
    case SAM_CMD_READ_ADDRESS:
        if (!s->has_card || !s->read_done)
            reply(s, SAM_STATUS_READ_FAILED, NULL, 0, spoil);
        else if (!s->has_address)
            reply(s, SAM_STATUS_NO_CONTENT, NULL, 0, spoil);
        else
            reply(s, SAM_STATUS_OK, s->address, sizeof s->address, spoil);
        return;
    default:
        reply(s, SAM_STATUS_COMMAND, NULL, 0, spoil);
        return;
    }
}

/* ---- transport ---- */

static struct idcard_sim *sim_of(struct transport *t)
{
    return t->priv;
}

static int sim_open(struct transport *t)
{
    struct idcard_sim *s = sim_of(t);
    pthread_mutex_lock(&s->lock);
    int rc = s->unplugged ? ERR_NODEV : 0;
    if (!rc) {
        s->opened = true;
        s->out_len = 0;
        sam_frame_decoder_reset(&s->req);
        forget_card_state(s);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static void sim_close(struct transport *t)
{
    struct idcard_sim *s = sim_of(t);
    pthread_mutex_lock(&s->lock);
    s->opened = false;
    explicit_bzero(s->out, s->out_len);
    s->out_len = 0;
    sam_frame_decoder_reset(&s->req);
    pthread_mutex_unlock(&s->lock);
}

static int sim_write(struct transport *t, const uint8_t *data, size_t len, int timeout_ms)
{
    (void)timeout_ms; /* the sim answers at once */
    struct idcard_sim *s = sim_of(t);
    pthread_mutex_lock(&s->lock);
    while (s->wedged)
        pthread_cond_wait(&s->cond, &s->lock);
    int rc = 0;
    if (s->unplugged)
        rc = ERR_NODEV;
    else if (!s->opened)
        rc = ERR_IO;
    while (!rc && !s->unplugged) {
        size_t used;
        struct sam_frame f;
        struct sam_request rq;
        int r = sam_frame_decode(&s->req, data, len, &used, &f);
        data += used;
        len -= used;
        if (r == 0)
            break;
        if (r == 1 && sam_frame_parse_request(&f, &rq) == 0)
            respond(s, &rq);
        else if (r == ERR_CHECKSUM)
            reply(s, SAM_STATUS_HOST_CHECKSUM, NULL, 0, NULL);
        else
            reply(s, SAM_STATUS_HOST_LENGTH, NULL, 0, NULL);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sim_read(struct transport *t, uint8_t *data, size_t cap, int timeout_ms)
{
    struct idcard_sim *s = sim_of(t);
    struct timespec ts = clock_deadline_in(timeout_ms);
    pthread_mutex_lock(&s->lock);
    while (s->wedged)
        pthread_cond_wait(&s->cond, &s->lock);
    while (!s->unplugged && s->opened && s->out_len == 0 && timeout_ms > 0)
        if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) != 0)
            break;
    int rc;
    if (s->unplugged) {
        rc = ERR_NODEV;
    } else if (!s->opened) {
        rc = ERR_IO;
    } else if (s->out_len == 0) {
        rc = ERR_TIMEOUT;
    } else {
        size_t n = s->out_len < cap ? s->out_len : cap;
        if (n > SIM_CHUNK)
            n = SIM_CHUNK;
        memcpy(data, s->out, n);
        memmove(s->out, s->out + n, s->out_len - n);
        explicit_bzero(s->out + s->out_len - n, n);
        s->out_len -= n;
        rc = (int)n;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static const struct transport_ops idcard_sim_transport_ops = {
    .name = "sim",
    .open = sim_open,
    .close = sim_close,
    .write = sim_write,
    .read = sim_read,
};

/* ---- control ---- */

struct idcard_sim *idcard_sim_create(void)
{
    struct idcard_sim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->transport.ops = &idcard_sim_transport_ops;
    s->transport.priv = s;
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    sam_frame_decoder_init(&s->req);
    return s;
}

void idcard_sim_destroy(struct idcard_sim *s)
{
    if (!s)
        return;
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    explicit_bzero(s, sizeof *s);
    free(s);
}

struct transport *idcard_sim_transport(struct idcard_sim *s)
{
    return &s->transport;
}

static void drop_card(struct idcard_sim *s)
{
    s->has_card = s->has_address = false;
    explicit_bzero(s->text, sizeof s->text);
    explicit_bzero(s->address, sizeof s->address);
    explicit_bzero(s->photo, sizeof s->photo);
    s->photo_len = 0;
    s->fingerprint_len = 0;
    forget_card_state(s);
}

int idcard_sim_present(struct idcard_sim *s, const struct idcard *card)
{
    uint8_t text[IDCARD_TEXT_LEN];
    int rc = idcard_encode_text(card, text);
    pthread_mutex_lock(&s->lock);
    drop_card(s);
    if (rc == 0) {
        memcpy(s->text, text, sizeof text);
        s->photo_len = card->photo_len <= IDCARD_PHOTO_MAX ? card->photo_len : IDCARD_PHOTO_MAX;
        memcpy(s->photo, card->photo, s->photo_len);
        s->has_card = true;
    }
    pthread_mutex_unlock(&s->lock);
    explicit_bzero(text, sizeof text);
    return rc;
}

int idcard_sim_append_address(struct idcard_sim *s, const char *address)
{
    uint8_t block[IDCARD_ADDRESS_LEN];
    int rc = address ? idcard_encode_address(address, block) : 0;
    pthread_mutex_lock(&s->lock);
    if (!s->has_card) {
        rc = ERR_NOTFOUND;
    } else if (rc == 0) {
        s->has_address = address != NULL;
        memcpy(s->address, block, sizeof block);
    }
    pthread_mutex_unlock(&s->lock);
    explicit_bzero(block, sizeof block);
    return rc;
}

int idcard_sim_set_fingerprint(struct idcard_sim *s, size_t len)
{
    if (len > SAM_FRAME_FINGERPRINT_MAX)
        return ERR_INVALID;
    pthread_mutex_lock(&s->lock);
    int rc = s->has_card ? 0 : ERR_NOTFOUND;
    if (rc == 0)
        s->fingerprint_len = len;
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void idcard_sim_remove(struct idcard_sim *s)
{
    pthread_mutex_lock(&s->lock);
    drop_card(s);
    pthread_mutex_unlock(&s->lock);
}

static void arm(struct idcard_sim *s, enum idcard_sim_fault kind, uint16_t cmd, uint8_t sw3)
{
    if (s->n_faults < SIM_FAULTS_MAX)
        s->faults[s->n_faults++] = (struct sim_fault){.kind = kind, .cmd = cmd, .sw3 = sw3};
}

void idcard_sim_fault(struct idcard_sim *s, enum idcard_sim_fault fault)
{
    pthread_mutex_lock(&s->lock);
    switch (fault) {
    case IDCARD_SIM_FAULT_NONE:
        s->n_faults = 0;
        s->no_card = s->sam_dead = s->wedged = false;
        pthread_cond_broadcast(&s->cond);
        break;
    case IDCARD_SIM_FAULT_WEDGED:
        s->wedged = true;
        break;
    case IDCARD_SIM_FAULT_NO_CARD:
        s->no_card = true;
        break;
    case IDCARD_SIM_FAULT_SAM_DEAD:
        s->sam_dead = true;
        break;
    case IDCARD_SIM_FAULT_CHECKSUM:
    case IDCARD_SIM_FAULT_TRUNCATED:
    case IDCARD_SIM_FAULT_UNPLUG_ON_READ:
        arm(s, fault, SAM_CMD_READ_BASE, 0);
        break;
    case IDCARD_SIM_FAULT_READ_FAILED:
        arm(s, IDCARD_SIM_FAULT_NONE, SAM_CMD_READ_BASE, SAM_STATUS_READ_FAILED);
        break;
    case IDCARD_SIM_FAULT_FIND_FAILED:
        arm(s, IDCARD_SIM_FAULT_NONE, SAM_CMD_FIND, SAM_STATUS_FIND_FAILED);
        break;
    case IDCARD_SIM_FAULT_SELECT_FAILED:
        arm(s, IDCARD_SIM_FAULT_NONE, SAM_CMD_SELECT, SAM_STATUS_SELECT_FAILED);
        break;
    case IDCARD_SIM_FAULT_SILENT:
        arm(s, fault, 0, 0);
        break;
    case IDCARD_SIM_FAULT_UNPLUG:
        s->unplugged = true;
        s->out_len = 0;
        pthread_cond_broadcast(&s->cond);
        break;
    case IDCARD_SIM_FAULT_REPLUG:
        /* A fresh module: nothing buffered, no card state, not open. */
        s->unplugged = false;
        s->opened = false;
        s->out_len = 0;
        forget_card_state(s);
        break;
    }
    pthread_mutex_unlock(&s->lock);
}

void idcard_sim_fault_status(struct idcard_sim *s, enum sam_command c, uint8_t sw3)
{
    pthread_mutex_lock(&s->lock);
    arm(s, IDCARD_SIM_FAULT_NONE, (uint16_t)c, sw3);
    pthread_mutex_unlock(&s->lock);
}

unsigned idcard_sim_requests(struct idcard_sim *s, enum sam_command c)
{
    unsigned n = 0;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < SIM_COUNTS; i++)
        if (counted[i] == (uint16_t)c)
            n = s->counts[i];
    pthread_mutex_unlock(&s->lock);
    return n;
}
