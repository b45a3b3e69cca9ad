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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum journal_state {
    JOURNAL_QUEUED = 0, /* accepted; nothing sent */
    JOURNAL_SENDING,    /* bytes may be on their way */
    JOURNAL_SENT,       /* the printer (or CUPS) holds the whole job */
    JOURNAL_CONFIRMED,  /* the printer said it is done */
    JOURNAL_FAILED,     /* given up; staff told */
    JOURNAL_HELD,       /* stuck, waiting for staff: a certificate whose CUPS job
                           (ext_id) is on hold (the queue stopped, or the time limit
                           passed); staff retry (release) or cancel it */
    JOURNAL_EXPIRED     /* withdrawn before it printed (reason): never prints */
};

/* Why a job ended without printing (journal_withdraw). */
enum journal_reason {
    JOURNAL_WHY_NONE = 0,
    JOURNAL_WHY_DEADLINE,    /* its deadline passed first (also found so after a restart) */
    JOURNAL_WHY_VISIT_ENDED, /* the visit that asked for it ended first */
    JOURNAL_WHY_CANCELLED    /* staff cancelled it */
};

enum journal_kind { JOURNAL_SLIP = 0, JOURNAL_CERT };

#define JOURNAL_KEY_MAX     64
#define JOURNAL_PAYLOAD_MAX 4096

struct journal_job {
    int64_t id;
    enum journal_kind kind;
    enum journal_state state;
    char uid[JOURNAL_KEY_MAX]; /* this job, never repeated */
    char key[JOURNAL_KEY_MAX]; /* what it prints: queue or certificate number */
    int64_t deadline;          /* wall clock, seconds; 0 none */
    enum journal_reason reason;
    int64_t origin;  /* a reprint: the job it reprints (the family's first); 0 */
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

/* A new job (all borrowed). */
struct journal_new {
    enum journal_kind kind;
    const char *uid;     /* required: names this job and never repeats */
    const char *key;     /* required: what it prints (queue or certificate number) */
    const char *payload; /* text; may be NULL */
    int64_t deadline;    /* wall clock, seconds, after which it must not print; 0 none */
};

/* Adds a queued job. A job with the same kind and uid that is not failed
 * or expired is returned instead (*id, and ERR_BUSY), so a repeated submit
 * never prints twice. Returns 0, ERR_BUSY, ERR_INVALID, ERR_TOOBIG, ERR_IO. */
int journal_add(struct journal *j, const struct journal_new *n, int64_t *id);

/* Ends job id without printing: state (failed or expired) with why.
 * Returns as journal_set, and ERR_INVALID for another state. */
int journal_withdraw(struct journal *j, int64_t id, enum journal_state state,
                     enum journal_reason why);

/* Moves job id to state; attempts += bump; ext_id stored when > 0.
 * Committed when it returns 0. Returns 0, ERR_NOTFOUND, ERR_IO. */
int journal_set(struct journal *j, int64_t id, enum journal_state state, int bump, int ext_id);

/* Reads job id into out. Returns 0, ERR_NOTFOUND, ERR_IO. */
int journal_get(struct journal *j, int64_t id, struct journal_job *out);

/* The ids of unfinished jobs (queued, sending, sent) of kind, oldest
 * first, at most max. Returns the count or ERR_IO. */
int journal_unfinished(struct journal *j, enum journal_kind kind, int64_t *ids, int max);

/* The ids of jobs of kind still able to print (queued, sending, sent,
 * held) whose deadline is set and not after now_s, oldest first, at most
 * max. Returns the count or ERR_IO. */
int journal_due(struct journal *j, enum journal_kind kind, int64_t now_s, int64_t *ids, int max);

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
    enum journal_reason reason;
    int64_t origin; /* a reprint: the job it reprints; 0 */
    bool reprinted; /* another job of its family is live or printed: no reprint */
};

/* The kinds journal_recent lists: a mask of (1 << enum journal_kind). */
#define JOURNAL_KINDS_ALL ((1u << JOURNAL_SLIP) | (1u << JOURNAL_CERT))

/* The newest jobs (highest id first) whose kind is in the mask kinds, at
 * most max, into rows (caller's storage). Returns the count or ERR_IO. */
int journal_recent(struct journal *j, unsigned kinds, struct journal_entry *rows, int max);

/* Staff's reprint of failed or expired job id: a new queued job with the
 * same kind, key and payload, its uid the family's first uid and "/rN",
 * origin the family's first job, and deadline (wall clock, seconds) as
 * given; *new_id is it. One committed transaction. Refused while another
 * job of the family is live (ERR_BUSY, *new_id that job: a second press
 * of the button is the first one's job) and once one printed
 * (ERR_REJECTED). Returns 0, ERR_NOTFOUND, ERR_INVALID (the job is not
 * failed or expired), ERR_BUSY, ERR_REJECTED, ERR_IO. */
int journal_reprint(struct journal *j, int64_t id, int64_t deadline, int64_t *new_id);

/* Number of jobs of kind in state; ERR_IO. */
int journal_count(struct journal *j, enum journal_kind kind, enum journal_state state);

/* Deletes finished jobs (confirmed, failed, expired) updated before before_s.
 * Returns the number deleted or ERR_IO. */
int journal_prune(struct journal *j, int64_t before_s);

/* Stable lowercase name of a state. */
const char *journal_state_name(enum journal_state s);

#endif
