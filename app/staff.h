/* staff.h - maintenance mode on the kiosk's side: the staff PIN store, the
 * flow's staff actions carried out and audited, and the facts the
 * maintenance screen shows.
 *
 * DESIGN: the flow decides when staff are in (flow_staff.c); this file
 * checks the PIN against store/staff_pins (salted PBKDF2, the lockout
 * kept on disk), does what each ACT_STAFF names, and puts one audit item
 * per action into the outbox, which delivers it to the registry exactly
 * once (POST /v1/audit). An audit item holds the time, the staff number,
 * the action and a short detail of the kiosk's own words: never a citizen's
 * data, by construction. UI thread.
 */
#ifndef APP_STAFF_H
#define APP_STAFF_H

#include "app.h"

/* Opens the PIN store ([staff] pins, else <output_dir>/staff.sqlite); in
 * demo mode an empty store gets the demo staff member. A store that cannot
 * be opened leaves staff entry refused (logged), the kiosk running. */
void staff_start(struct app *a);
void staff_stop(struct app *a);

/* ACT_STAFF_CHECK_PIN: flow->pin against the store, answered at once as
 * FLOW_EV_STAFF_PIN. The hash takes tens of milliseconds by design. */
void staff_check_pin(struct app *a, const struct flow_action *act);

/* ACT_STAFF: the action carried out (a test slip, the paper count, a print
 * job retried or cancelled: its kind and number in the detail) and
 * audited. */
void staff_act(struct app *a, const struct flow_action *act);

/* ACT_CHECK_STAFF: asks the registry whether the card on the reader is a
 * staff member's (POST /v1/staff/check). The ID number goes there while
 * the card holder reads the consent screen, before they choose anything:
 * the registry keeps and logs nothing of a card that is not staff. */
void staff_check_card(struct app *a, const struct flow_action *act);

/* A device's condition, as a number that changes when it does (the
 * reader connected or not, the slip printer's flags ...): the maintenance
 * screen shows since when it is as it is. */
void staff_note_device(struct app *a, enum ui_device d, int code);

/* A request to the registry failed (its answer): the maintenance screen
 * shows the last error, its time and HTTP status or the transfer's error. */
void staff_note_registry(struct app *a, const struct flow_reply *failed);

/* While the maintenance screen shows: asks the print worker how the A4
 * printer is, every few seconds (the answer comes to staff_note_a4, with
 * CUPS's printer-state-reasons, which the screen says in words). */
void staff_refresh(struct app *a, int64_t now_ms);
void staff_note_a4(struct app *a, int err, const char *reasons);

/* A print result: true when it was one of the A4 test page's jobs (and
 * taken here), false when it is another's. */
bool staff_page_result(struct app *a, uint32_t req_id, const struct print_result *r);

/* 打印记录: the answer to staff's retry or cancel of a print job, from the
 * print worker (r, kind PRINT_JOB_RETRY or PRINT_JOB_CANCEL) or the slip
 * worker (s, op SLIP_OP_RETRY or SLIP_OP_CANCEL); the other is NULL. The
 * screen says what happened in words. */
void staff_note_job(struct app *a, uint32_t req_id, const struct print_result *r,
                    const struct slip_result *s);

/* One audit item into the outbox (time, staff number, action, detail in
 * the kiosk's own words) and a log line. */
void staff_audit(struct app *a, enum flow_staff_action action, const char *detail);

/* A slip came out: one more since the last refill. */
void staff_count_slip(struct app *a);

/* The maintenance screen's facts, fresh, or NULL off that screen. */
const struct ui_staff_view *staff_view(struct app *a);

#endif
