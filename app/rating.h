/* rating.h - a citizen's rating (好差评) as the body the outbox keeps.
 *
 * The outbox file outlives every visit, so the body is built from a
 * whitelist: the level, the service, the reasons the citizen chose, and a
 * ref to what the visit produced (the queue number, else the certificate
 * number). Never the registry token, a name, an ID number or a face: the
 * registry records a rating delivered later without a visit, and the ref
 * ties it to the visit instead (system/api/README.md, POST /v1/ratings).
 * Pure; UI thread.
 */
#ifndef APP_RATING_H
#define APP_RATING_H

#include "base/buf.h"
#include "core/session.h"

/* Appends the POST /v1/ratings body of the visit s rated at level (1..5)
 * with reason_count reasons (0..8, borrowed; NULL when 0), and terminates
 * out as a C string. s is borrowed and only its service, ticket and
 * certificate number are read. Returns 0, ERR_INVALID, ERR_TOOBIG,
 * ERR_NOMEM. */
int rating_format(const struct session *s, int level, const char *const *reasons, int reason_count,
                  struct buf *out);

#endif
