/* ui_fixtures.h - flow and session fixtures for the UI tests. */
#ifndef TESTS_UI_FIXTURES_H
#define TESTS_UI_FIXTURES_H

#include "core/flow.h"
#include "core/session.h"

/* A visit of 张** with the first props (0..3) of the three sample properties. */
void fixture_session(struct session *s, int props);
/* A flow on screen with both systems connected and a fixed clock. */
void fixture_flow(struct flow *f, enum flow_screen screen);

#endif
