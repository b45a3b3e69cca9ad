/* staff_settings.h - the settings staff change in maintenance mode, on the
 * kiosk's side: read at start-up (the config file's, then the staff's
 * overlay file over them), changed on a tap (checked, saved atomically,
 * applied at once, audited), and the display's brightness (a backlight's
 * sysfs folder, [display] backlight) kept to the day's or the night's.
 *
 * DESIGN: the values live in struct app (a->settings); the flow borrows
 * them for the office hours and the language a visit starts in, the
 * screens for the home notice and the settings tab. A change that cannot
 * be saved is not applied: what staff see is what a restart brings back.
 * The volume is stored and shown, and kept as SDL's mixer volume
 * (a->mix_volume, 0..SDL_MIX_MAXVOLUME) for the voice guidance to come:
 * nothing plays sound yet. UI thread (start-up on the main thread).
 */
#ifndef APP_STAFF_SETTINGS_H
#define APP_STAFF_SETTINGS_H

#include "app.h"

/* Reads the overlay ([staff] settings, else <output_dir>/settings.ini) over
 * the config file's settings; a damaged file is refused in one log line
 * and the config file's values stay. Hands the flow its settings. After
 * flow_init. */
void staff_settings_start(struct app *a);

/* ACT_SETTING: the tap's change checked, saved, applied and audited
 * ("settings", "volume=70"). */
void staff_settings_act(struct app *a, const struct flow_action *act);

/* After every event: the display's brightness as the flow's state wants
 * it (the night's on the dimmed closed screen, else the day's). Writes the
 * backlight only when that changes. */
void staff_settings_light(struct app *a);

/* The settings tab's read-only facts, fresh, or NULL off that tab. */
const struct ui_facts *staff_settings_facts(struct app *a);

#endif
