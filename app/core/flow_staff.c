/* flow_staff.c - the steps of maintenance mode: the hidden corner, the
 * PIN, what staff do, and leaving; see flow.h for the map that names them.
 * The flow holds no list of staff and no PIN hash: the composition root
 * checks the PIN against the staff PIN store and answers with
 * FLOW_EV_STAFF_PIN. Every step staff take is emitted as ACT_STAFF, which
 * carries it out and writes it to the audit trail. UI thread only.
 */
#include "flow_internal.h"

#include <stdio.h>
#include <string.h>

/* Five taps within 3 s; a tap after a longer pause starts the count again. */
STEP(count_corner)
{
    UNUSED_STEP_ARGS;
    if (f->corner_taps == 0 || f->now_ms - f->corner_first_ms > FLOW_CORNER_SPAN_MS) {
        f->corner_taps = 1;
        f->corner_first_ms = f->now_ms;
    } else {
        f->corner_taps++;
    }
}

/* A card on the closed screen: only a staff card opens anything. */
STEP(check_staff_card)
{
    UNUSED_STEP_ARGS;
    session_begin(s, SERVICE_NONE, f->now_ms);
    session_set_card(s, ev->card, f->audit_key);
    emit(out, ACT_CHECK_STAFF, new_request(f), 0);
}

/* Not a staff card (or no answer), or the card left: nothing of it stays. */
STEP(forget_card)
{
    UNUSED_STEP_ARGS;
    f->pending_req = 0;
    if (s->active)
        emit(out, ACT_END_SESSION, 0, 0);
}

/* A staff card: the PIN of that staff member next. The card holder is
 * staff, not a citizen: the visit begun for the card ends here. */
STEP(staff_card)
{
    UNUSED_STEP_ARGS;
    str_copy(f->staff_card, sizeof f->staff_card, ev->reply->staff->staff_no);
    if (s->active)
        emit(out, ACT_END_SESSION, 0, 0);
    f->visit = (struct flow_visit){.guidance = FACE_NONE};
    go(f, to, out);
}

STEP(type_pin)
{
    UNUSED_STEP_ARGS;
    size_t n = strlen(f->pin);
    if (ev->arg == FLOW_KEY_DELETE && n > 0) {
        f->pin[n - 1] = '\0';
    } else if (ev->arg >= 0 && ev->arg <= 9 && n < FLOW_PIN_MAX) {
        f->pin[n] = (char)('0' + ev->arg);
        f->pin[n + 1] = '\0';
    }
    f->pin_verdict = FLOW_PIN_OK;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(check_pin)
{
    UNUSED_STEP_ARGS;
    f->busy = true;
    emit(out, ACT_STAFF_CHECK_PIN, 0, 0);
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(staff_enter)
{
    UNUSED_STEP_ARGS;
    f->corner_taps = 0;
    str_copy(f->staff_no, sizeof f->staff_no, ev->staff_no);
    f->staff_locked_until_s = 0;
    f->page = 0;
    go(f, to, out);
    emit(out, ACT_STAFF, 0, STAFF_ENTER);
}

/* Wrong, or locked: said on the PIN screen, typed digits gone. */
STEP(pin_refused)
{
    UNUSED_STEP_ARGS;
    f->busy = false;
    explicit_bzero(f->pin, sizeof f->pin);
    f->pin_verdict = ev->arg == FLOW_PIN_LOCKED ? FLOW_PIN_LOCKED : FLOW_PIN_WRONG;
    f->staff_locked_until_s = ev->locked_until_s;
    emit(out, ACT_STAFF, 0, STAFF_ENTER_REFUSED);
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(staff_act)
{
    UNUSED_STEP_ARGS;
    if (ev->arg == STAFF_IN_SERVICE)
        f->out_of_service = false;
    if (ev->arg == STAFF_TEST_SLIP)
        f->slip = FLOW_SLIP_PRINTING;
    if (ev->arg == STAFF_TEST_CAMERA)
        f->camera_preview = !f->camera_preview;
    bool test = ev->arg == STAFF_TEST_SLIP || ev->arg == STAFF_TEST_PAGE;
    emit(out, ACT_STAFF, test ? new_request(f) : 0, ev->arg);
    emit(out, ACT_REDRAW, 0, 0);
}

/* 测试读卡: a card laid on the reader in maintenance mode is read and
 * shown masked, as a visit would show it, and kept nowhere else; a read
 * that failed says why. */
STEP(card_test)
{
    UNUSED_STEP_ARGS;
    f->card_test[0] = '\0';
    f->card_test_err = ev->kind == FLOW_EV_CARD_FAILED ? (ev->err ? ev->err : -1) : 0;
    f->card_test_problem = ev->kind == FLOW_EV_CARD_REJECTED ? ev->reason : PROBLEM_NONE;
    if (ev->kind != FLOW_EV_CARD_FAILED && ev->card) {
        char name[32], id[24];
        mask_name(ev->card->name, name, sizeof name);
        mask_id(ev->card->id_number, id, sizeof id);
        snprintf(f->card_test, sizeof f->card_test, "%s %s", name, id);
    }
    emit(out, ACT_REDRAW, 0, 0);
}

/* 暂停服务 asks why first: citizens are told the reason. */
STEP(ask_oos_reason)
{
    UNUSED_STEP_ARGS;
    f->oos_asking = true;
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(take_out)
{
    UNUSED_STEP_ARGS;
    f->oos_asking = false;
    f->oos_reason = ev->arg;
    f->out_of_service = true;
    emit(out, ACT_STAFF, 0, STAFF_OUT_OF_SERVICE);
    emit(out, ACT_REDRAW, 0, 0);
}

STEP(keep_in_service)
{
    UNUSED_STEP_ARGS;
    f->oos_asking = false;
    emit(out, ACT_REDRAW, 0, 0);
}

/* 打印记录: 重新打印 or 取消 on one print job; the composition root looks
 * the job up, sends it to the worker that owns its printer and audits it;
 * the answer comes back to the screen as a note, not through the flow. */
STEP(job_act)
{
    UNUSED_STEP_ARGS;
    f->staff_job = ev->arg;
    emit(out, ACT_STAFF, 0, ev->input == IN_JOB_RETRY ? STAFF_JOB_RETRIED : STAFF_JOB_CANCELLED);
    emit(out, ACT_REDRAW, 0, 0);
}

/* 设备状态, 运行日志 or 打印记录; the log and the jobs open on their newest page. */
STEP(staff_tab)
{
    UNUSED_STEP_ARGS;
    f->staff_tab = ev->arg;
    f->page = 0;
    emit(out, ACT_REDRAW, 0, 0);
}

/* Out by the button or after the idle banner. The staff number stays
 * until the next entry: the audit line of the exit is written after this
 * step, and nothing else reads it outside maintenance mode. */
STEP(staff_exit)
{
    UNUSED_STEP_ARGS;
    f->staff_card[0] = '\0';
    explicit_bzero(f->card_test, sizeof f->card_test);
    f->card_test_err = 0;
    f->card_test_problem = PROBLEM_NONE;
    emit(out, ACT_STAFF, 0, STAFF_EXIT);
    f->visit = (struct flow_visit){.guidance = FACE_NONE};
    go(f, to, out);
}

/* ---- office hours --------------------------------------------------- */

/* Outside the office hours, between visits: the closed screen with the
 * hours, dimmed (flow_dimmed) until a touch. */
STEP(close_for_hours)
{
    UNUSED_STEP_ARGS;
    go(f, to, out);
    f->hours_closed = true;
    f->wake_until_ms = 0;
    f->corner_taps = 0;
}

/* A touch on the closed screen lights it for a while. */
STEP(wake)
{
    UNUSED_STEP_ARGS;
    f->wake_until_ms = f->now_ms + FLOW_WAKE_MS;
    emit(out, ACT_REDRAW, 0, 0);
}

/* The hidden corner lights the screen too while it counts. */
STEP(corner_wake)
{
    STEP_CALL(count_corner);
    STEP_CALL(wake);
}

/* A − / + or a pill on the settings tab: the guard checked it keeps the
 * rules; the composition root saves it, applies it and audits it. */
STEP(change_setting)
{
    UNUSED_STEP_ARGS;
    emit(out, ACT_SETTING, 0, ev->arg);
    emit(out, ACT_REDRAW, 0, 0);
}
