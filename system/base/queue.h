/* queue.h - a bounded, thread-safe FIFO of fixed-size messages.
 *
 * Every thread of the kiosk owns one inbox built on this. Messages are
 * copied in and out by value, so a message must not point at memory that
 * the sender will free; larger payloads travel as owned heap pointers
 * inside the message (the receiver frees them).
 * Push never blocks: a full inbox is an error the sender decides about.
 */
#ifndef BASE_QUEUE_H
#define BASE_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

struct queue;

/* Returns a queue holding up to capacity messages of elem_size bytes, or
 * NULL if out of memory. Any thread. */
struct queue *queue_create(size_t elem_size, size_t capacity);

/* Frees the queue; messages still inside are wiped and dropped. NULL is a
 * no-op. No thread may be using the queue. */
void queue_destroy(struct queue *q);

/* Copies elem in. Returns 0, ERR_FULL, or ERR_CLOSED. If was_empty is not
 * NULL it tells whether the queue was empty before (the caller wakes the
 * receiver only on that edge). Any thread; never blocks. */
int queue_push(struct queue *q, const void *elem, bool *was_empty);

/* Copies the oldest message into elem. timeout_ms < 0 waits forever, 0
 * does not wait. Returns 0, ERR_EMPTY (timeout 0), ERR_TIMEOUT, or
 * ERR_CLOSED once the queue is closed and drained. */
int queue_pop(struct queue *q, void *elem, int timeout_ms);

/* Refuses further pushes and wakes every waiter. Any thread. */
void queue_close(struct queue *q);

/* Number of messages waiting. */
size_t queue_len(struct queue *q);

#endif
