/* session.c - one citizen's visit in memory; see session.h. UI thread. */
#include "session.h"

#include "base/util.h"

#include <openssl/hmac.h>
#include <string.h>

const char *session_service_name(enum session_service service)
{
    switch (service) {
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
    case SERVICE_RATE:
        return "rating";
    default:
        return "hall";
    }
}

enum session_service session_tile_by_name(const char *name)
{
    static const enum session_service tiles[] = {
        SERVICE_QUERY,    SERVICE_PRINT_CERT, SERVICE_TICKET, SERVICE_BOOKING,
        SERVICE_PROGRESS, SERVICE_GUIDE,      SERVICE_RATE};
    for (size_t i = 0; name && i < sizeof tiles / sizeof tiles[0]; i++)
        if (!strcmp(name, session_service_name(tiles[i])))
            return tiles[i];
    return SERVICE_NONE;
}

void session_begin(struct session *s, enum session_service service, int64_t now_ms)
{
    session_wipe(s);
    s->active = true;
    s->service = service;
    s->started_ms = now_ms;
    s->selected = -1;
    s->purpose = -1;
    s->copies = 1;
}

void session_set_card(struct session *s, const struct idcard *card, const char *key)
{
    s->card = *card;
    s->has_card = true;
    mask_name(card->name, s->name_masked, sizeof s->name_masked);
    mask_id(card->id_number, s->id_masked, sizeof s->id_masked);

    /* The audit trail needs to tell visits of the same person apart without
     * holding the number: HMAC-SHA256 under a per-kiosk key. */
    unsigned char mac[32];
    unsigned int mac_len = 0;
    const char *k = key ? key : "";
    HMAC(EVP_sha256(), k, (int)strlen(k), (const unsigned char *)card->id_number,
         strlen(card->id_number), mac, &mac_len);
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < mac_len && i < 32; i++) {
        s->id_hash[2 * i] = hex[mac[i] >> 4];
        s->id_hash[2 * i + 1] = hex[mac[i] & 15];
    }
    s->id_hash[2 * (mac_len < 32 ? mac_len : 32)] = '\0';
    explicit_bzero(mac, sizeof mac);
}

void session_wipe(struct session *s)
{
    explicit_bzero(s, sizeof *s);
    s->selected = -1;
    s->purpose = -1;
}
