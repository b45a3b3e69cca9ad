/* rating.c - a citizen's rating as the outbox's body; see rating.h. */
#include "rating.h"

#include "backend/regjson.h"

/* The service the rating is about, as the registry's statistics name it. */
static const char *rated_service(enum session_service s)
{
    switch (s) {
    case SERVICE_QUERY:
        return "query";
    case SERVICE_PRINT_CERT:
        return "certificate";
    case SERVICE_TICKET:
        return "ticket";
    case SERVICE_BOOKING:
    case SERVICE_MY_BOOKINGS:
        return "booking";
    case SERVICE_PROGRESS:
        return "progress";
    case SERVICE_GUIDE:
        return "guide";
    case SERVICE_CHECKIN:
        return "check_in";
    default:
        return "hall";
    }
}

int rating_format(const struct session *s, int level, const char *const *reasons, int reason_count,
                  struct buf *out)
{
    struct regjson_rating r = {
        .level = level,
        .service = rated_service(s->service),
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
