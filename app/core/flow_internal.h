/* flow_internal.h - what the files of the flow share: the helpers every
 * step uses, and the steps themselves. flow.c holds the steps of the query
 * journey, the card and the face; flow_services.c those of the hall's
 * counter services (guide, queue numbers, appointments, progress, the
 * proof on a phone); flow_staff.c those of maintenance mode. Each step is
 * named in FLOW_MAP's last column; the map declares them all here. Not
 * part of the flow's interface. UI thread only.
 */
#ifndef CORE_FLOW_INTERNAL_H
#define CORE_FLOW_INTERNAL_H

#include "flow.h"

#include "base/util.h"

#include <string.h>

static inline void emit(struct flow_actions *out, enum flow_action_kind kind, uint32_t req_id,
                        int arg)
{
    if (out->count < FLOW_ACTIONS_MAX)
        out->items[out->count++] = (struct flow_action){kind, req_id, arg};
}

/* A fresh request id, and the one answer the screen now waits for. */
static inline uint32_t new_request(struct flow *f)
{
    uint32_t id = f->next_req++;
    if (f->next_req == 0)
        f->next_req = 1;
    f->pending_req = id;
    return id;
}

/* The end of a visit: speech and the large type as the next one starts. */
static inline void visit_prefs_reset(struct flow *f)
{
    f->speech = FLOW_SPEECH_DEFAULT;
    f->elder = f->start_elder;
    f->contrast = f->start_contrast;
}

static inline void go(struct flow *f, enum flow_screen to, struct flow_actions *out)
{
    if (to == SCREEN_HOME) {
        /* The goodbye screen ends a visit: the citizen's 语音播报 and
         * 长辈模式 with it. */
        if (f->screen == SCREEN_GOODBYE)
            visit_prefs_reset(f);
        f->printed_copies = 0;
        f->slip = FLOW_SLIP_NONE;
        /* The next visit starts in the language staff chose. */
        if (f->settings && f->screen != SCREEN_HOME && f->english != f->settings->english) {
            f->english = f->settings->english;
            emit(out, ACT_SETTINGS_CHANGED, 0, 0);
        }
    }
    if (f->screen == SCREEN_CLOSED && to != SCREEN_CLOSED) {
        f->hours_closed = false;
        f->wake_until_ms = 0;
    }
    if (f->screen == SCREEN_STAFF_PIN && to != SCREEN_STAFF_PIN) {
        explicit_bzero(f->pin, sizeof f->pin);
        f->pin_verdict = FLOW_PIN_OK;
        if (to != SCREEN_STAFF)
            f->staff_card[0] = '\0'; /* the card's PIN was not given */
    }
    f->screen = to;
    f->confirm_home = false;
    f->zoom = false;
    f->idle_deadline_ms = 0;
    f->screen_deadline_ms = 0;
    f->busy = false;
    emit(out, ACT_REDRAW, 0, 0);
}

static inline void fail(struct flow *f, enum flow_problem p, const char *title, enum flow_screen to,
                        struct flow_actions *out)
{
    f->problem = p;
    str_copy(f->problem_title, sizeof f->problem_title, title ? title : "");
    f->pending_req = 0;
    go(f, to, out);
}

/* Each step has the same shape: the event, the row's target `to`
 * (SCREEN_STAY on rows that keep the screen), and the actions to append.
 * A step that goes on with another calls it as STEP_CALL(name). */
#define STEP(name)                                                                                 \
    void flow_step_##name(struct flow *f, struct session *s, const struct flow_event *ev,          \
                          enum flow_screen to, struct flow_actions *out)
#define STEP_CALL(name)  flow_step_##name(f, s, ev, to, out)
#define UNUSED_STEP_ARGS (void)f, (void)s, (void)ev, (void)to, (void)out

/* Every step the map names (a name on several rows is declared again,
 * identically). */
#define FLOW_STEP_DECL(from, event, input, guards, to, step) STEP(step);
FLOW_MAP(FLOW_STEP_DECL)
#undef FLOW_STEP_DECL

#endif
