/* log_tail.h - the kiosk's last log lines in memory, for maintenance
 * mode's 运行日志 view.
 *
 * DESIGN: a sink of system/base/log keeps the newest LOG_TAIL_LINES lines
 * (each cut to LOG_TAIL_WIDTH bytes at a character boundary, stamped with
 * the China Standard Time of day) in a ring under a mutex. Log lines never
 * carry personal data (house rule, checked by the tests that grep logs),
 * so neither does this. Any thread logs; the UI thread copies.
 */
#ifndef APP_LOG_TAIL_H
#define APP_LOG_TAIL_H

#include "ui/ui.h"

#define LOG_TAIL_LINES UI_LOG_LINES
#define LOG_TAIL_WIDTH UI_LOG_WIDTH

/* Starts keeping lines (installs the sink). */
void log_tail_start(void);

/* Stops keeping them (removes the sink) and forgets them. */
void log_tail_stop(void);

/* Lines at error level seen since log_tail_start (the heartbeat's
 * count). Any thread. */
long log_tail_errors(void);

/* Copies the kept lines, oldest first, into out (max of them). Returns
 * how many. */
int log_tail_copy(char (*out)[LOG_TAIL_WIDTH], int max);

#endif
