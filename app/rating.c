/* rating.c - a citizen's rating as the outbox's body; see rating.h. */
#include "rating.h"

#include "backend/regjson.h"

int rating_format(const struct session *s, int level, const char *const *reasons, int reason_count,
                  struct buf *out)
{
    struct regjson_rating r = {
        .level = level,
        /* a rating from home is about the hall */
        .service = s->service == SERVICE_RATE ? "hall" : session_service_name(s->service),
        .reasons = reasons,
        .reason_count = reason_count,
    };
    if (s->has_ticket && s->ticket.code[0]) {
        r.ref_kind = "appointment";
        r.ref_id = s->ticket.code;
    } else if (s->has_ticket && s->ticket.number[0]) {
        r.ref_kind = "ticket";
        r.ref_id = s->ticket.number;
    } else if (s->has_cert && s->cert.number[0]) {
        r.ref_kind = "certificate";
        r.ref_id = s->cert.number;
    }
    int rc = regjson_format_rating(&r, out);
    return rc ? rc : buf_terminate(out);
}
