/* transport_tty.h - a transport over a serial tty (USB-serial bridges).
 *
 * Readers behind CH340 / CP210x / PL2303 bridges appear as /dev/ttyUSB*
 * and speak the same frames as native USB ones, at 115200 8N1 by default.
 * The port is opened raw (termios cfmakeraw), exclusive (TIOCEXCL), and
 * every wait goes through poll() with the caller's timeout. A bridge that
 * is unplugged makes the tty hang up: reads and writes then return
 * ERR_NODEV and the driver reopens the path until it is back. The bridge
 * ids are not matched here: they are shared with every other product, so
 * the configured path names the reader.
 *
 * A tty transport belongs to its driver's thread; create and destroy on the
 * main thread while no driver uses it.
 */
#ifndef DRIVERS_CORE_TRANSPORT_TTY_H
#define DRIVERS_CORE_TRANSPORT_TTY_H

#include "drivers/core/transport.h"

/* Creates a closed tty transport for path (copied; at most 127 bytes) at
 * baud (0 = 115200; 9600, 19200, 38400, 57600, 115200 accepted). Returns
 * NULL on ERR_NOMEM or a bad argument. Main thread. */
struct transport *transport_tty_create(const char *path, int baud);

/* Closes and frees. NULL is a no-op. */
void transport_tty_destroy(struct transport *t);

#endif
