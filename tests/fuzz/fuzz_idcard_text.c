/* fuzz_idcard_text.c - the card text block parser against arbitrary bytes.
 *
 * Parses the first 256 bytes as a text block and the next 70 as an
 * appended address, validates, and re-encodes: every produced string must
 * stay NUL-terminated inside its field, whatever the card says.
 */
#include "drivers/idcard/idcard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(f) (memchr((f), '\0', sizeof(f)) != NULL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct idcard card;
    if (size < IDCARD_TEXT_LEN) {
        (void)idcard_parse_text(data, size, &card);
        return 0;
    }
    if (idcard_parse_text(data, IDCARD_TEXT_LEN, &card) != 0)
        return 0;
    if (size >= IDCARD_TEXT_LEN + IDCARD_ADDRESS_LEN)
        (void)idcard_parse_address(data + IDCARD_TEXT_LEN, IDCARD_ADDRESS_LEN, &card);
    if (!TERMINATED(card.name) || !TERMINATED(card.name_zh) || !TERMINATED(card.gender) ||
        !TERMINATED(card.ethnicity) || !TERMINATED(card.birth_date) || !TERMINATED(card.address) ||
        !TERMINATED(card.id_number) || !TERMINATED(card.issuer) || !TERMINATED(card.valid_from) ||
        !TERMINATED(card.valid_to) || !TERMINATED(card.other_number) ||
        !TERMINATED(card.issue_count) || !TERMINATED(card.card_version))
        abort();
    (void)idcard_validate(&card, "2024-01-01");
    (void)idcard_validate(&card, NULL);
    uint8_t again[IDCARD_TEXT_LEN];
    if (idcard_encode_text(&card, again) == 0) {
        struct idcard back;
        if (idcard_parse_text(again, sizeof again, &back) != 0)
            abort(); /* what we encode we must read */
    }
    idcard_wipe(&card);
    return 0;
}
