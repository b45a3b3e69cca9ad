/* ui_fixtures.h - flow and session fixtures for the UI tests. */
#ifndef TESTS_UI_FIXTURES_H
#define TESTS_UI_FIXTURES_H

#include "core/flow.h"
#include "core/session.h"
#include "ui/ui.h"

#include <stdint.h>

/* A visit of 张** with the first props (0..3) of the three sample properties. */
void fixture_session(struct session *s, int props);
/* A flow on screen with both systems connected and a fixed clock. */
void fixture_flow(struct flow *f, enum flow_screen screen);
/* The hall's nine counter services; the first (转移登记) in full. */
void fixture_services(struct service_list *l);
/* Five working days of six slots, some full. */
void fixture_slots(struct slot_list *l);
/* A booked appointment of 转移登记. */
void fixture_booking(struct ticket *t);
/* Three appointments: booked, checked in, cancelled. */
void fixture_bookings(struct booking_list *l);
/* Three applications: under review, overdue, finished. */
void fixture_apps(struct application_list *l);
/* A holiday notice and the office hours. */
void fixture_notice(struct hall_notice *n);
/* The screen's next animation step: waits for it, has set_view show the
 * screen again (the same generation) and renders it. Returns 1 when it
 * was drawn as one partial frame, 0 when it was drawn otherwise, -1 when
 * the screen does not animate; *t0 is when it rendered. */
int fixture_next_step(struct ui *ui, void (*set_view)(struct ui *, enum flow_screen, bool),
                      enum flow_screen screen, uint64_t *t0);

#endif
