/* screens.h - one drawing function per screen of the citizen journey.
 *
 * Each draws into k->content (set by chrome_begin) and registers its
 * widgets; chrome and overlays are drawn around it by ui.c. The names
 * match flow_screen_name. UI thread.
 */
#ifndef UI_SCREENS_H
#define UI_SCREENS_H

#include "ui/kit.h"

/* A selected control's mark (check, knob, dot) drawn in r, registered in
 * words as "selected-mark" (widget.c; widget_radio and widget_switch call
 * it themselves). Belongs with the widgets of kit.h. */
void widget_selected_mark(struct kit *k, SDL_Rect r);

void home_draw(struct kit *k);
void insert_card_draw(struct kit *k);
void face_consent_draw(struct kit *k);
void face_capture_draw(struct kit *k);
/* The newest camera frame mirrored and cropped to cover r (a quiet
 * silhouette before the first); *src (may be NULL) gets the part of the
 * frame shown. Returns true when a frame was drawn. The caller clips. */
bool screens_camera_frame(struct kit *k, SDL_Rect r, SDL_Rect *src);
void counter_draw(struct kit *k);
void loading_draw(struct kit *k);
void records_draw(struct kit *k);
void record_detail_draw(struct kit *k);
void cert_purpose_draw(struct kit *k);
void cert_preview_draw(struct kit *k);
void printing_draw(struct kit *k);
void rating_draw(struct kit *k);
void goodbye_draw(struct kit *k);
void error_draw(struct kit *k);
void help_draw(struct kit *k);
void ticket_draw(struct kit *k);
void services_draw(struct kit *k);
void guide_draw(struct kit *k);
void slots_draw(struct kit *k);
void phone_draw(struct kit *k);
void booked_draw(struct kit *k);
void progress_draw(struct kit *k);
void receipt_draw(struct kit *k);
void bookings_draw(struct kit *k);
void ecert_draw(struct kit *k);
void staff_pin_draw(struct kit *k);
void staff_draw(struct kit *k);
void closed_draw(struct kit *k);
/* Maintenance mode's 打印记录 (screens/staff_journal.c): its title at y,
 * the jobs and the pager above top (the exit button). */
void staff_jobs_draw(struct kit *k, int y, int top);
/* Maintenance mode's 设置 tab, from y down to the exit button's top (top). */
void staff_settings_draw(struct kit *k, int y, int top);

/* The big number box at y (shown, else placeholder in grey; its border
 * red when bad), a note under it, and the keypad (IN_KEY) below. */
void screens_number_entry(struct kit *k, int y, const char *shown, const char *placeholder,
                          bool bad, const char *note);

/* A 返回 link at the top left of the content (IN_BACK); returns the y
 * below it. */
int screens_back(struct kit *k, const char *label);

/* 上一页 · 第 N / M 页 · 下一页 across cr at y (IN_PAGE -1 / +1; the ends
 * disabled). Lists page instead of shrinking. */
void screens_pager(struct kit *k, int y, int page, int pages, SDL_Rect cr);

/* Shared drawings (screens/art.c): the card on its reader, the kiosk
 * cabinet with the reader or the A4 outlet highlighted, the printer. */
void art_card(struct kit *k, int x, int y, int w);
void art_reader(struct kit *k, SDL_Rect r, bool look);
enum art_spot { ART_READER = 0, ART_A4, ART_NONE };
void art_kiosk(struct kit *k, SDL_Rect r, enum art_spot spot);
void art_printer(struct kit *k, SDL_Rect r);
/* Unit number grouped 6-6-7-9 for reading ("410802 004003 GB00123 F00020015"). */
void art_unit_number(const char *raw, char *out, size_t size);

#endif
