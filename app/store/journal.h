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
 * A held job (JOURNAL_HELD) is neither finished nor resumed by a restart:
 * it waits for staff, who see the newest jobs (journal_recent) in
 * maintenance mode and retry or cancel them through the worker that owns
 * the printer. A held job still counts as the live job of its key, so the
 * same certificate submitted again finds it and never prints a second
 * copy beside it.
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
    JOURNAL_FAILED,     /* given up; staff told */
    JOURNAL_HELD        /* stuck, waiting for staff: a certificate whose CUPS job
                           (ext_id) is on hold (the queue stopped, or the time limit
                           passed); staff retry (release) or cancel it */
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

/* Opens an existing journal read-only, for a thread that only lists it
 * (maintenance mode's view on the UI thread): WAL lets it read while the
 * workers write, without waiting for them. Returns 0, ERR_IO (no journal
 * yet, or unreadable), ERR_NOMEM. */
int journal_open_readonly(const char *path, struct journal **out);

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

/* One job as maintenance mode lists it: no payload (a slip's text stays
 * with the worker). */
struct journal_entry {
    int64_t id;
    enum journal_kind kind;
    enum journal_state state;
    char key[JOURNAL_KEY_MAX];
    int attempts;
    int ext_id;
    int64_t created; /* wall clock, seconds */
    int64_t updated;
};

/* The kinds journal_recent lists: a mask of (1 << enum journal_kind). */
#define JOURNAL_KINDS_ALL ((1u << JOURNAL_SLIP) | (1u << JOURNAL_CERT))

/* The newest jobs (highest id first) whose kind is in the mask kinds, at
 * most max, into rows (caller's storage). Returns the count or ERR_IO. */
int journal_recent(struct journal *j, unsigned kinds, struct journal_entry *rows, int max);

/* Puts failed job id back to queued, so its worker prints it again from
 * its payload: once, since a job with the same kind and key that is live
 * (queued, sending, sent, confirmed, held) makes it ERR_BUSY. Returns 0,
 * ERR_NOTFOUND, ERR_INVALID (the job is not failed), ERR_BUSY, ERR_IO. */
int journal_requeue(struct journal *j, int64_t id);

/* Number of jobs of kind in state; ERR_IO. */
int journal_count(struct journal *j, enum journal_kind kind, enum journal_state state);

/* Deletes finished jobs (confirmed, failed) updated before before_s.
 * Returns the number deleted or ERR_IO. */
int journal_prune(struct journal *j, int64_t before_s);

/* Stable lowercase name of a state. */
const char *journal_state_name(enum journal_state s);

#endif
