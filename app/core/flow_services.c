/* flow_services.c - the steps of the hall's counter services: the guide's
 * list, queue numbers and check-in, appointments (book, list, cancel),
 * progress, and the proof on a phone; see flow.h for the map that names
 * them and flow_internal.h for what they share with flow.c. Pure, like
 * the rest of the flow. UI thread only.
 */
#include "flow_internal.h"

#include <stdio.h>
#include <string.h>

/* -- the registry */

STEP(fetch_slots)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->retry = REPLY_SLOTS;
    emit(out, ACT_FETCH_SLOTS, new_request(f), 0);
}

STEP(fetch_apps)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->retry = REPLY_APPLICATIONS;
    emit(out, ACT_FETCH_APPS, new_request(f), 0);
}

/* A priority number for today's booking: the ticket screen waits for it. */
STEP(check_in)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->slip = FLOW_SLIP_NONE;
    f->retry = REPLY_TICKET;
    emit(out, ACT_CHECK_IN, new_request(f), 0);
}

/* The service tapped in the guide's list becomes the visit's. */
static void pick(struct flow *f, struct session *s, int i)
{
    if (f->services && i >= 0 && i < f->services->count)
        str_copy(s->svc, sizeof s->svc, f->services->items[i].code);
}

STEP(choose_service)
{
    UNUSED_STEP_ARGS;
    pick(f, s, ev->arg);
    go(f, to, out);
}

STEP(take_ticket)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->slip = FLOW_SLIP_NONE;
    f->retry = REPLY_TICKET;
    emit(out, ACT_TAKE_TICKET, new_request(f), 0);
}

STEP(keep_ticket)
{
    UNUSED_STEP_ARGS;
    s->ticket = *ev->reply->ticket;
    s->has_ticket = true;
    f->busy = false;
    f->slip = FLOW_SLIP_PRINTING;
    f->last_input_ms = f->now_ms;
    emit(out, ACT_PRINT_SLIP, new_request(f), 0);
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(walk_in)
{
    pick(f, s, ev->arg);
    STEP_CALL(take_ticket);
}

/* From the guide or the list, with the registry session already open
 * (one card read serves several services). */
STEP(book_service)
{
    if (f->screen == SCREEN_SERVICES)
        pick(f, s, ev->arg);
    s->service = SERVICE_BOOKING;
    STEP_CALL(fetch_slots);
}

STEP(guide_book)
{
    UNUSED_STEP_ARGS;
    s->service = SERVICE_BOOKING;
    go(f, to, out);
}

STEP(check_in_visit)
{
    UNUSED_STEP_ARGS;
    s->service = SERVICE_CHECKIN;
    go(f, to, out);
}

/* After a certificate: a queue number for the counter, same card. */
STEP(more_services)
{
    UNUSED_STEP_ARGS;
    s->service = SERVICE_TICKET;
    f->page = 0;
    go(f, to, out);
}

/* -- appointments */

STEP(keep_slots)
{
    UNUSED_STEP_ARGS;
    s->slots = *ev->reply->slots;
    s->has_slots = true;
    /* The first day with a place left is shown first. */
    s->slot_day = 0;
    for (int d = s->slots.day_count - 1; d >= 0; d--)
        for (int i = 0; i < s->slots.days[d].slot_count; i++)
            if (s->slots.days[d].slots[i].remaining > 0)
                s->slot_day = d;
    go(f, to, out);
}

/* Someone else took the last place a moment ago: the slots again, fresh,
 * with the reason on top, so the citizen picks the next one. */
STEP(slot_taken)
{
    STEP_CALL(fetch_slots);
    f->problem = PROBLEM_SLOT_FULL;
}

STEP(choose_day)
{
    UNUSED_STEP_ARGS;
    s->slot_day = ev->arg;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(choose_slot)
{
    UNUSED_STEP_ARGS;
    const struct slot_day *d = &s->slots.days[s->slot_day];
    const struct slot *sl = &d->slots[ev->arg];
    str_copy(s->slot_id, sizeof s->slot_id, sl->id);
    /* the date as sent and the times: the screen words them in its language */
    snprintf(s->slot_text, sizeof s->slot_text, "%s %s–%s", d->date, sl->start, sl->end);
    f->problem = PROBLEM_NONE;
    go(f, to, out);
}

/* A digit, or 删除, into dst (at most max digits). */
static void key_into(char *dst, size_t max, int key)
{
    size_t n = strlen(dst);
    if (key == FLOW_KEY_DELETE && n > 0) {
        dst[n - 1] = '\0';
    } else if (key >= 0 && key <= 9 && n < max) {
        dst[n] = (char)('0' + key);
        dst[n + 1] = '\0';
    }
}

STEP(type_key)
{
    UNUSED_STEP_ARGS;
    key_into(s->phone, FLOW_PHONE_MAX, ev->arg);
    f->problem = PROBLEM_NONE;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(type_receipt)
{
    UNUSED_STEP_ARGS;
    key_into(s->receipt, FLOW_RECEIPT_DIGITS, ev->arg);
    f->problem = PROBLEM_NONE;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(receipt_invalid)
{
    UNUSED_STEP_ARGS;
    f->problem = PROBLEM_RECEIPT_INVALID;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(lookup_receipt)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->retry = REPLY_APPLICATIONS;
    emit(out, ACT_LOOKUP_APP, new_request(f), 0);
}

STEP(phone_invalid)
{
    UNUSED_STEP_ARGS;
    f->problem = PROBLEM_PHONE_INVALID;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(book)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->retry = REPLY_BOOKING;
    emit(out, ACT_BOOK, new_request(f), 0);
}

STEP(keep_booking)
{
    UNUSED_STEP_ARGS;
    s->ticket = *ev->reply->ticket;
    s->has_ticket = true;
    go(f, to, out);
    f->slip = FLOW_SLIP_PRINTING;
    emit(out, ACT_PRINT_SLIP, new_request(f), 0);
}

/* -- progress */

STEP(keep_apps)
{
    UNUSED_STEP_ARGS;
    s->apps = *ev->reply->apps;
    s->has_apps = true;
    f->page = 0;
    go(f, to, out);
}

/* -- my appointments */

STEP(my_bookings_visit)
{
    UNUSED_STEP_ARGS;
    s->service = SERVICE_MY_BOOKINGS;
    go(f, to, out);
}

STEP(fetch_bookings)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->retry = REPLY_BOOKINGS;
    emit(out, ACT_FETCH_BOOKINGS, new_request(f), 0);
}

STEP(keep_bookings)
{
    UNUSED_STEP_ARGS;
    s->bookings = *ev->reply->bookings;
    s->has_bookings = true;
    f->unbook = 0;
    f->page = 0;
    go(f, to, out);
}

/* Cancelling asks first, on the booking's own card: 确定取消 or 不取消. */
STEP(ask_unbook)
{
    UNUSED_STEP_ARGS;
    f->unbook = ev->arg + 1;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(keep_booked)
{
    UNUSED_STEP_ARGS;
    f->unbook = 0;
    emit(out, ACT_REDRAW, 0, 0);
}

/* The list comes back fresh afterwards (the LOADING row of UNBOOKED), and
 * shows the booking as 已取消: that is the confirmation. */
STEP(unbook)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->retry = REPLY_UNBOOKED;
    emit(out, ACT_UNBOOK, new_request(f), f->unbook - 1);
}

/* Back from the list: another booking, among the services that take them. */
STEP(book_another)
{
    UNUSED_STEP_ARGS;
    s->service = SERVICE_BOOKING;
    f->page = 0;
    go(f, to, out);
}

/* -- the proof on a phone (电子证照) */

STEP(link_cert)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->busy = true;
    f->retry = REPLY_LINK;
    emit(out, ACT_LINK_CERT, new_request(f), 0);
}

STEP(keep_link)
{
    UNUSED_STEP_ARGS;
    s->link = *ev->reply->link;
    s->has_link = true;
    go(f, to, out);
}

/* -- the registry out of reach */

/* A tile that needs the registry while it is unreachable: no visit starts,
 * the error screen says what still works (the guide, the rating) and where
 * to go instead. */
STEP(offline)
{
    UNUSED_STEP_ARGS;
    fail(f, PROBLEM_OFFLINE, NULL, to, out);
}
