/* demo.h - the deterministic demo population of 焦作.
 *
 * Citizens (with valid GB 11643 numbers) and their properties, generated
 * from a fixed seed, so the reference registry seeds the same database on
 * every machine and the kiosk's simulated card reader can present the same
 * people. Fictional people, real district names and codes. Pure functions,
 * libc only.
 */
#ifndef DEMO_DEMO_H
#define DEMO_DEMO_H

#include <stdbool.h>

enum demo_face {
    DEMO_FACE_MATCH = 0,   /* the stand-in comparison says match */
    DEMO_FACE_NO_MATCH,    /* ... says no match */
    DEMO_FACE_UNAVAILABLE  /* ... is down for this citizen */
};

struct demo_citizen {
    char name[32];
    char gender[8];        /* 男 / 女 */
    char ethnicity[16];    /* 汉, 回, ... */
    char birth_date[11];   /* YYYY-MM-DD */
    char address[160];
    char id_number[19];
    char issuer[64];
    char valid_from[11];
    char valid_to[16];     /* YYYY-MM-DD or 长期 */
    enum demo_face face;
    int property_count;    /* properties registered to this citizen (incl. co-owned) */
    char note[64];         /* what the person demonstrates: "两处房产，一处抵押" */
};

/* Number of demo citizens (at least 50). */
int demo_citizen_count(void);

/* Fills out with citizen i (0 <= i < count). Returns false if out of range. */
bool demo_citizen_get(int i, struct demo_citizen *out);

/* Index of the citizen with that ID number, or -1. */
int demo_citizen_find(const char *id_number);

#endif
