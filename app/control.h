/* control.h - the control socket: scripted sessions for tests and demos.
 *
 * A Unix socket at a path given on the command line. A client sends one
 * command per line and gets one JSON object per line back. The control
 * thread only moves bytes: each line is posted to the UI thread through
 * the bus (BUS_CONTROL, the payload is a struct control_cmd) and the
 * thread waits until the UI thread answers it with control_reply, so
 * commands run in order, on the thread that owns the state they touch.
 * One client at a time; the next connection is served when it leaves.
 *
 * DESIGN: whoever can write to the socket drives the kiosk, so the socket
 * is the kiosk user's alone: it lives in a directory of its own (created
 * 0700, or refused when it is someone else's or others may enter it), is
 * itself 0600 whatever the umask, and each peer's credentials
 * (SO_PEERCRED) must be the kiosk's own uid or name a configured group
 * (`[kiosk] control_group`: then the directory may be that group's, 0750,
 * and the socket 0660). A line is at most CONTROL_LINE_MAX - 1 bytes; a
 * longer one is refused whole, up to its newline, never cut into
 * commands. The verbs that only tests need (the screen's labels, a
 * screenshot to any path, the clock, the simulated devices) are accepted
 * only in demo mode. The parts that decide (lines, the verb table, the
 * peer and directory checks) are pure functions, so the unit test and
 * the fuzzer call them without a kiosk.
 */
#ifndef APP_CONTROL_H
#define APP_CONTROL_H

#include "core/bus.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define CONTROL_LINE_MAX 1024 /* a line's bytes and its NUL */

struct control;

/* One command line. Owned by the control thread; the UI thread borrows it
 * from the BUS_CONTROL message until it calls control_reply. */
struct control_cmd {
    char line[CONTROL_LINE_MAX];
    struct control *owner;
};

/* Listens on path (an existing socket there is replaced; anything else
 * there is refused). The path's directory is created 0700 (0750 and the
 * group's with group) if missing, and refused if it is not the kiosk
 * user's or others may enter it. group: a group name whose members may
 * connect too, or NULL/"" for the kiosk's uid alone. Returns NULL and logs
 * on failure. */
struct control *control_start(const char *path, struct bus *bus, const char *group);

/* Closes the socket, removes the file, joins the thread. NULL is a no-op.
 * A command the UI thread still holds must have been answered. */
void control_stop(struct control *c);

/* Sends json (one line, without the newline) as the answer to cmd and
 * lets the control thread read the next command. UI thread. */
void control_reply(struct control_cmd *cmd, const char *json);

/* ---- pure parts ------------------------------------------------------ */

/* Splits a byte stream into lines. A line ends at '\n' (a '\r' before it
 * is dropped); empty lines are skipped. */
struct control_lines {
    char buf[CONTROL_LINE_MAX];
    size_t have;
    bool nul;        /* the line so far holds a NUL byte */
    bool discarding; /* inside a line over the limit: dropped up to its '\n' */
};

enum control_line_kind {
    CONTROL_LINE,          /* line: the command, NUL-terminated */
    CONTROL_LINE_TOO_LONG, /* line: NULL; said once, as soon as it is known */
    CONTROL_LINE_BAD_BYTE, /* line: NULL; the line held a NUL byte */
};

typedef void (*control_line_fn)(void *user, enum control_line_kind kind, const char *line);

void control_lines_init(struct control_lines *l);

/* Feeds n bytes; calls fn for each line complete in them, in order. A
 * line of more than CONTROL_LINE_MAX - 1 bytes (its '\r' included) is
 * CONTROL_LINE_TOO_LONG and none of it, nor of its tail, is a command. */
void control_lines_feed(struct control_lines *l, const char *bytes, size_t n, control_line_fn fn,
                        void *user);

/* The verbs; control_verbs.c runs them. */
enum control_verb_kind {
    CONTROL_VERB_HELP,
    CONTROL_VERB_STATE,
    CONTROL_VERB_TAP,
    CONTROL_VERB_TAP_CONTAINING,
    CONTROL_VERB_TAP_AT,
    CONTROL_VERB_KEY,
    CONTROL_VERB_CARD,
    CONTROL_VERB_CARD_REMOVE,
    CONTROL_VERB_READER,
    CONTROL_VERB_FACE,
    CONTROL_VERB_PRINTER,
    CONTROL_VERB_SCREENSHOT,
    CONTROL_VERB_WAIT,
    CONTROL_VERB_CLOCK,
    CONTROL_VERB_ORIENTATION,
    CONTROL_VERB_PROCESS,
    CONTROL_VERB_QUIT,
    CONTROL_VERB_SPOKEN,
    CONTROL_VERB_COUNT
};

struct control_verb_info {
    const char *name;
    const char *usage; /* the whole command line, as `help` shows it */
    bool test_only;    /* accepted in demo mode only */
};

/* Indexed by enum control_verb_kind. */
extern const struct control_verb_info control_verb_table[CONTROL_VERB_COUNT];

enum control_parse_result {
    CONTROL_PARSE_OK,
    CONTROL_PARSE_UNKNOWN,   /* no such verb */
    CONTROL_PARSE_TEST_ONLY, /* a verb for tests, and test verbs are off */
};

/* Splits line into its verb and its arguments (the rest after the verb
 * and one space, "" if none; borrowed from line). test_verbs: demo mode,
 * the test-only verbs are accepted. */
enum control_parse_result control_parse(const char *line, bool test_verbs,
                                        enum control_verb_kind *verb, const char **args);

/* Whether a peer may drive the kiosk: its uid is self, or group is not
 * (gid_t)-1 and is among the peer's gids (its primary and supplementary
 * groups, n of them). */
bool control_peer_allowed(uid_t self, gid_t group, uid_t peer_uid, const gid_t *peer_gids,
                          size_t n);

/* Whether the socket's directory (st, from lstat) is fit: a directory
 * owned by self, nobody else may write to it, others may not enter it,
 * and the group may read and enter it only when it is group. Returns 0, or
 * ERR_INVALID with *why set to the reason. */
int control_dir_check(const struct stat *st, uid_t self, gid_t group, const char **why);

#endif
