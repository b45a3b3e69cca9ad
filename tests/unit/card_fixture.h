/* card_fixture.h - the one test card every test reads, writes or sends.
 *
 * A made-up resident of Jiaozuo; the ID number's check digit is right, so
 * validation accepts it. Tests that need a variant (a damaged field, a
 * card valid for life) change their copy after taking it.
 */
#ifndef TESTS_CARD_FIXTURE_H
#define TESTS_CARD_FIXTURE_H

#include "drivers/idcard/idcard.h"

#include <stdint.h>
#include <string.h>

#define FIXTURE_ID_NUMBER "410802199003071239"

static inline struct idcard fixture_card(void)
{
    struct idcard c;
    memset(&c, 0, sizeof c);
    c.type = IDCARD_RESIDENT;
    strcpy(c.name, "张三");
    strcpy(c.gender, "男");
    strcpy(c.ethnicity, "汉");
    strcpy(c.birth_date, "1990-03-07");
    strcpy(c.address, "河南省焦作市解放区民主南路168号");
    strcpy(c.id_number, FIXTURE_ID_NUMBER);
    strcpy(c.issuer, "焦作市公安局解放分局");
    strcpy(c.valid_from, "2015-06-01");
    strcpy(c.valid_to, "2035-06-01");
    return c;
}

/* The fixture with a full-size photo of a fixed byte pattern. */
static inline struct idcard fixture_card_with_photo(void)
{
    struct idcard c = fixture_card();
    c.photo_len = IDCARD_PHOTO_MAX;
    for (size_t i = 0; i < c.photo_len; i++)
        c.photo[i] = (uint8_t)(i * 31 + 7);
    return c;
}

#endif
