/* control.h - the control socket: scripted sessions for tests and demos.
 *
 * A Unix socket at a path given on the command line. A client sends one
 * command per line and gets one JSON object per line back. The control
 * thread only moves bytes: each line is posted to the UI thread through
 * the bus (BUS_CONTROL, the payload is a struct control_cmd) and the
 * thread waits until the UI thread answers it with control_reply, so
 * commands run in order, on the thread that owns the state they touch.
 * One client at a time; the next connection is served when it leaves.
 */
#ifndef APP_CONTROL_H
#define APP_CONTROL_H

#include "core/bus.h"

#define CONTROL_LINE_MAX 1024

struct control;

/* One command line. Owned by the control thread; the UI thread borrows it
 * from the BUS_CONTROL message until it calls control_reply. */
struct control_cmd {
    char line[CONTROL_LINE_MAX];
    struct control *owner;
};

/* Listens on path (an existing socket file is replaced). Returns NULL and
 * logs on failure. */
struct control *control_start(const char *path, struct bus *bus);

/* Closes the socket, removes the file, joins the thread. NULL is a no-op.
 * A command the UI thread still holds must have been answered. */
void control_stop(struct control *c);

/* Sends json (one line, without the newline) as the answer to cmd and
 * lets the control thread read the next command. UI thread. */
void control_reply(struct control_cmd *cmd, const char *json);

#endif
