/* journal.h - the print journal: every slip and certificate job, with its
 * state committed to SQLite before and after the bytes go out.
 *
 * DESIGN: a job moves queued -> sending -> sent -> confirmed (or failed),
 * and each move is one committed transaction (WAL, synchronous=FULL), so
 * after a kill -9 or a power cut the journal says exactly how far a job
 * got. What each state means for a restart is decided by the worker that
 * owns the printer (slip_worker.h, print_worker.h); the journal only keeps
 * the facts. A job is keyed by what it prints (the slip's queue number, the
 * certificate number), so submitting the same slip twice is one job.
 *
 * Privacy: the payload of a slip job is the slip's own text (a queue
 * place: office, service, number, wait); certificate jobs keep only the
 * certificate number and the CUPS job id, never the PDF. Nothing here
 * names a person.
 *
 * Threads: one struct journal per thread (the slip worker opens its own,
 * the print worker its own); SQLite serialises writers across them.
 */
#ifndef STORE_JOURNAL_H
#define STORE_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

enum journal_state {
    JOURNAL_QUEUED = 0, /* accepted; nothing sent */
    JOURNAL_SENDING,    /* bytes may be on their way */
    JOURNAL_SENT,       /* the printer (or CUPS) holds the whole job */
    JOURNAL_CONFIRMED,  /* the printer said it is done */
    JOURNAL_FAILED      /* given up; staff told */
};

enum journal_kind { JOURNAL_SLIP = 0, JOURNAL_CERT };

#define JOURNAL_KEY_MAX     64
#define JOURNAL_PAYLOAD_MAX 4096

struct journal_job {
    int64_t id;
    enum journal_kind kind;
    enum journal_state state;
    char key[JOURNAL_KEY_MAX];
    int attempts;    /* times the bytes were sent (or the job submitted) */
    int ext_id;      /* the CUPS job id of a certificate; 0 */
    int64_t created; /* wall clock, seconds */
    int64_t updated;
    size_t payload_len;
    char payload[JOURNAL_PAYLOAD_MAX]; /* NUL-terminated text */
};

struct journal;

/* Opens (creating) the journal at path; its folder must exist. Returns 0,
 * ERR_IO (cannot open or create), ERR_NOMEM. */
int journal_open(const char *path, struct journal **out);

/* Closes; NULL is a no-op. */
void journal_close(struct journal *j);

/* Adds a queued job of kind with key and text payload (both borrowed;
 * payload may be NULL). A job with the same kind and key that is not
 * failed is returned instead (*id, and ERR_BUSY), so a repeated submit
 * never prints twice. Returns 0, ERR_BUSY, ERR_INVALID, ERR_TOOBIG, ERR_IO. */
int journal_add(struct journal *j, enum journal_kind kind, const char *key, const char *payload,
                int64_t *id);

/* Moves job id to state; attempts += bump; ext_id stored when > 0.
 * Committed when it returns 0. Returns 0, ERR_NOTFOUND, ERR_IO. */
int journal_set(struct journal *j, int64_t id, enum journal_state state, int bump, int ext_id);

/* Reads job id into out. Returns 0, ERR_NOTFOUND, ERR_IO. */
int journal_get(struct journal *j, int64_t id, struct journal_job *out);

/* The ids of unfinished jobs (queued, sending, sent) of kind, oldest
 * first, at most max. Returns the count or ERR_IO. */
int journal_unfinished(struct journal *j, enum journal_kind kind, int64_t *ids, int max);

/* Number of jobs of kind in state; ERR_IO. */
int journal_count(struct journal *j, enum journal_kind kind, enum journal_state state);

/* Deletes finished jobs (confirmed, failed) updated before before_s.
 * Returns the number deleted or ERR_IO. */
int journal_prune(struct journal *j, int64_t before_s);

/* Stable lowercase name of a state. */
const char *journal_state_name(enum journal_state s);

#endif
