/* slip_record.h - what a slip worker told a test: its callbacks count
 * results and printer states under one lock, and the test waits on the
 * counts. One record a test program (the callbacks are the program's).
 */
#ifndef TESTS_SLIP_RECORD_H
#define TESTS_SLIP_RECORD_H

#include "print/slip_worker.h"

#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

static struct slip_record {
    pthread_mutex_t lock;
    int finals, printed;   /* final results, and those that printed */
    int expired;           /* final results: withdrawn, not printed in time */
    int waits;             /* results that are not final: waiting for paper */
    int last_paper_out;    /* of the last wait */
    int statuses;          /* printer states seen */
    int online, offline;   /* of them: online; offline for no paper reason */
    bool status_paper_out; /* of the last state */
    int64_t last_job;      /* the journal job of the last result */
    int last_err;          /* of the last final result */
    int last_op;           /* of the last final result: enum slip_op */
} rec = {.lock = PTHREAD_MUTEX_INITIALIZER};

static inline void rec_done(void *user, const struct slip_result *r)
{
    (void)user;
    pthread_mutex_lock(&rec.lock);
    rec.last_job = r->job_id;
    if (r->final) {
        rec.last_err = r->err;
        rec.last_op = (int)r->op;
        rec.finals++;
        rec.printed += r->outcome == SLIP_PRINTED;
        rec.expired += r->outcome == SLIP_EXPIRED;
    } else {
        rec.waits++;
        rec.last_paper_out = r->paper_out;
    }
    pthread_mutex_unlock(&rec.lock);
}

static inline void rec_status(void *user, const struct slip_status *s)
{
    (void)user;
    pthread_mutex_lock(&rec.lock);
    rec.statuses++;
    rec.status_paper_out = s->paper_out;
    if (s->online)
        rec.online++;
    else if (!s->paper_out && !s->cover_open)
        rec.offline++;
    pthread_mutex_unlock(&rec.lock);
}

/* A count of rec, read under its lock. */
static inline int rec_get(const int *v)
{
    pthread_mutex_lock(&rec.lock);
    int x = *v;
    pthread_mutex_unlock(&rec.lock);
    return x;
}

/* Waits up to ms for a count to reach want. */
static inline bool rec_wait(const int *v, int want, int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        if (rec_get(v) >= want)
            return true;
        usleep(10000);
    }
    return rec_get(v) >= want;
}

#endif
