/* printer_lp.h - a slip printer through the kernel's usblp node
 * (/dev/usb/lp0), or any character device or tty that carries ESC/POS.
 *
 * Writes and reads use poll with the caller's timeout. The status comes
 * from LPGETSTATUS where the node supports it (usblp's GET_PORT_STATUS:
 * paper empty, selected, no error), else from DLE EOT 1, 2, 3, 4 queries
 * answered on the same node. Bytes that arrive while waiting for a status
 * reply (job markers, ASB frames) are kept for the next read, so a status
 * poll never eats a job marker. Worker thread only.
 */
#ifndef ESCPOS_PRINTER_LP_H
#define ESCPOS_PRINTER_LP_H

#include "drivers/escpos/printer.h"

struct printer_lp;

extern const struct printer_ops printer_lp_ops;

/* A printer at path (copied); not opened yet. NULL on bad path or no memory. */
struct printer_lp *printer_lp_create(const char *path);
void printer_lp_destroy(struct printer_lp *p);

#endif
