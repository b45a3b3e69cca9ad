/* err.h - the one error enum of the kiosk and its string table.
 *
 * 0 is success, every error is negative. Foreign codes (errno, libusb,
 * CURLcode, HTTP status, SDL) are translated into these once, at the
 * boundary where they arise; above that boundary only these travel.
 */
#ifndef BASE_ERR_H
#define BASE_ERR_H

enum err {
    ERR_OK = 0,
    ERR_INVALID = -1,      /* bad argument or malformed input */
    ERR_NOMEM = -2,        /* allocation failed */
    ERR_TOOBIG = -3,       /* input exceeds a hard limit */
    ERR_TIMEOUT = -4,      /* an operation took longer than allowed */
    ERR_IO = -5,           /* read/write failure on a device or file */
    ERR_NODEV = -6,        /* device absent or unplugged */
    ERR_BUSY = -7,         /* resource in use, try later */
    ERR_FULL = -8,         /* bounded queue or buffer full */
    ERR_EMPTY = -9,        /* nothing to take */
    ERR_CHECKSUM = -10,    /* frame failed its integrity check */
    ERR_PROTOCOL = -11,    /* peer spoke the protocol wrongly */
    ERR_NOTFOUND = -12,    /* looked-up item does not exist */
    ERR_NETWORK = -13,     /* peer unreachable, connection failed */
    ERR_SERVER = -14,      /* peer answered with a server error */
    ERR_REJECTED = -15,    /* peer refused the request (4xx) */
    ERR_BADREPLY = -16,    /* reply missing a field or of the wrong type */
    ERR_CANCELLED = -17,   /* caller withdrew the request */
    ERR_CLOSED = -18,      /* endpoint or queue shut down */
    ERR_UNSUPPORTED = -19, /* feature not available in this build or device */
    ERR_CORRUPT = -20      /* stored data failed its checks: not ours, or damaged */
};

#define ERR_COUNT 21

/* Returns a short English description of err for logs; never NULL. */
const char *err_str(int err);

/* Returns a stable identifier ("timeout", "checksum") for JSON and staff. */
const char *err_name(int err);

#endif
