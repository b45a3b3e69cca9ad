/* fuzz_registry_request.c - the registry's request parsers over any bytes.
 *
 * The first byte picks the parser (session, certificate, rating,
 * appointment, staff check, audit event); the rest
 * is the body. A parsed session card then goes through the card check, so
 * the GB 11643 and date code meets hostile strings too.
 */
#include "registry/registry_req.h"

#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    char detail[128];
    switch (data[0] % 6) {
    case 0: {
        struct registry_session_req q;
        if (registry_req_parse_session(body, len, &q, detail, sizeof detail) == PROB_NONE)
            registry_req_check_card(&q.card, 20261122, detail, sizeof detail);
        break;
    }
    case 1: {
        struct registry_cert_req q;
        registry_req_parse_certificate(body, len, &q, detail, sizeof detail);
        break;
    }
    case 3: {
        struct registry_appointment_req q;
        registry_req_parse_appointment(body, len, &q, detail, sizeof detail);
        break;
    }
    case 4: {
        struct registry_staff_req q;
        registry_req_parse_staff_check(body, len, &q, detail, sizeof detail);
        break;
    }
    case 5: {
        struct registry_audit_req q;
        registry_req_parse_audit(body, len, &q, detail, sizeof detail);
        break;
    }
    default: {
        struct registry_rating_req q;
        registry_req_parse_rating(body, len, &q, detail, sizeof detail);
        break;
    }
    }
    return 0;
}
