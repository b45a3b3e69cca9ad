/* queue.c - bounded ring buffer under one mutex; see queue.h. */
#include "queue.h"

#include "clock.h"
#include "err.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct queue {
    pthread_mutex_t lock;
    pthread_cond_t nonempty;
    size_t elem_size;
    size_t capacity;
    size_t head; /* next to pop */
    size_t len;
    bool closed;
    unsigned char slots[];
};

struct queue *queue_create(size_t elem_size, size_t capacity)
{
    if (!elem_size || !capacity || capacity > SIZE_MAX / elem_size)
        return NULL;
    struct queue *q = calloc(1, sizeof *q + elem_size * capacity);
    if (!q)
        return NULL;
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&q->nonempty, &attr);
    pthread_condattr_destroy(&attr);
    q->elem_size = elem_size;
    q->capacity = capacity;
    return q;
}

void queue_destroy(struct queue *q)
{
    if (!q)
        return;
    pthread_cond_destroy(&q->nonempty);
    pthread_mutex_destroy(&q->lock);
    explicit_bzero(q->slots, q->elem_size * q->capacity);
    free(q);
}

int queue_push(struct queue *q, const void *elem, bool *was_empty)
{
    pthread_mutex_lock(&q->lock);
    if (q->closed) {
        pthread_mutex_unlock(&q->lock);
        return ERR_CLOSED;
    }
    if (q->len == q->capacity) {
        pthread_mutex_unlock(&q->lock);
        return ERR_FULL;
    }
    size_t tail = (q->head + q->len) % q->capacity;
    memcpy(q->slots + tail * q->elem_size, elem, q->elem_size);
    if (was_empty)
        *was_empty = q->len == 0;
    q->len++;
    pthread_cond_signal(&q->nonempty);
    pthread_mutex_unlock(&q->lock);
    return ERR_OK;
}

int queue_pop(struct queue *q, void *elem, int timeout_ms)
{
    struct timespec deadline;
    if (timeout_ms > 0) {
        deadline = clock_deadline_in(timeout_ms);
    }
    pthread_mutex_lock(&q->lock);
    while (q->len == 0) {
        if (q->closed) {
            pthread_mutex_unlock(&q->lock);
            return ERR_CLOSED;
        }
        if (timeout_ms == 0) {
            pthread_mutex_unlock(&q->lock);
            return ERR_EMPTY;
        }
        if (timeout_ms < 0) {
            pthread_cond_wait(&q->nonempty, &q->lock);
        } else if (pthread_cond_timedwait(&q->nonempty, &q->lock, &deadline) == ETIMEDOUT &&
                   q->len == 0) {
            pthread_mutex_unlock(&q->lock);
            return ERR_TIMEOUT;
        }
    }
    unsigned char *slot = q->slots + q->head * q->elem_size;
    memcpy(elem, slot, q->elem_size);
    explicit_bzero(slot, q->elem_size);
    q->head = (q->head + 1) % q->capacity;
    q->len--;
    pthread_mutex_unlock(&q->lock);
    return ERR_OK;
}

void queue_close(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = true;
    pthread_cond_broadcast(&q->nonempty);
    pthread_mutex_unlock(&q->lock);
}

size_t queue_len(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    size_t n = q->len;
    pthread_mutex_unlock(&q->lock);
    return n;
}
