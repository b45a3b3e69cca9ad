/* demo.h - the deterministic demo population of 焦作.
 *
 * Citizens (with valid GB 11643 numbers) and their properties, generated
 * from a fixed seed, so the reference registry seeds the same database on
 * every machine and the kiosk's simulated card reader can present the same
 * people. Fictional people, real district names and codes. Pure functions,
 * libc only.
 *
 * What the population is drawn from (places, names, the words of the
 * register, the showcase citizens) is data: assets/demo/population.ini,
 * or $BDC_KIOSK_ASSETS/demo/population.ini when that is set. The getters
 * read one population built on first use (thread-safe through
 * pthread_once) and never change it; demo_generate builds a fresh copy for
 * callers that want their own (the determinism test compares two).
 * Without a readable data file there is no one: counts are 0, getters
 * fail, and the reason is logged once.
 */
#ifndef DEMO_DEMO_H
#define DEMO_DEMO_H

#include <stdbool.h>
#include <stdint.h>

enum demo_face {
    DEMO_FACE_MATCH = 0,  /* the stand-in comparison says match */
    DEMO_FACE_NO_MATCH,   /* ... says no match */
    DEMO_FACE_UNAVAILABLE /* ... is down for this citizen */
};

struct demo_citizen {
    char name[32];
    char gender[8];      /* 男 / 女 */
    char ethnicity[16];  /* 汉, 回, ... */
    char birth_date[11]; /* YYYY-MM-DD */
    char address[160];
    char id_number[19];
    char issuer[64];
    char valid_from[11];
    char valid_to[16]; /* YYYY-MM-DD or 长期 */
    enum demo_face face;
    int property_count; /* properties registered to this citizen (incl. co-owned) */
    char note[64];      /* what the person demonstrates: "两处房产，一处抵押" */
};

/* True when the data file was read and the population built (both happen
 * on the first call of any function here). */
bool demo_is_available(void);

/* Number of demo citizens (at least 50). */
int demo_citizen_count(void);

/* Fills out with citizen i (0 <= i < count). Returns false if out of range. */
bool demo_citizen_get(int i, struct demo_citizen *out);

/* Index of the citizen with that ID number, or -1. */
int demo_citizen_find(const char *id_number);

/* ---- properties ---------------------------------------------------------
 * The register the reference registry seeds from: every property of the
 * demo citizens plus properties of people who hold no demo card (so the
 * register looks like a city's, not like a test fixture). */

enum demo_enc_kind {
    DEMO_ENC_MORTGAGE = 0, /* 抵押 */
    DEMO_ENC_SEIZURE,      /* 查封 */
    DEMO_ENC_OBJECTION,    /* 异议 */
    DEMO_ENC_PREREG,       /* 预告登记 */
    DEMO_ENC_RESIDENCE     /* 居住权 */
};

/* API name of a kind: "mortgage", "seizure", "objection", "preregistration",
 * "residence"; "" for an unknown value. */
const char *demo_enc_kind_name(enum demo_enc_kind kind);

struct demo_encumbrance {
    enum demo_enc_kind kind;
    char holder[96];             /* 抵押权人 / 查封机关 / masked applicant */
    char certificate_number[64]; /* 不动产登记证明号 or the court's 文书号 */
    char registered_at[11];      /* YYYY-MM-DD */
    char period[48];             /* "2020-03-01 至 2040-02-28", may be empty */
    int64_t amount_fen;          /* secured amount, 0 if none */
    char note[96];               /* may be empty */
};

#define DEMO_OWNERS_MAX 3
#define DEMO_ENC_MAX    3

struct demo_owner {
    char name[32];
    char id_number[19];
    int citizen;   /* index of the demo citizen, or -1 for someone without a demo card */
    char share[8]; /* "60%" for 按份共有, else "" */
};

struct demo_property {
    char id[16];                 /* "p-000123" */
    char unit_number[29];        /* 不动产单元号, 28 characters */
    char district[16];           /* 解放区 */
    char location[192];          /* 坐落 */
    char certificate_number[64]; /* 不动产权证书号 */
    char area[16];               /* "112.36" */
    char land_area[16];          /* "" for flats */
    char use[32];                /* 住宅, 商业, 办公, 工业, 住宅（宅基地） */
    char right_type[64];         /* 国有建设用地使用权/房屋所有权 ... */
    char right_nature[48];       /* 出让/市场化商品房 ... */
    char ownership[16];          /* 单独所有 / 共同共有 / 按份共有 */
    char registered_at[11];      /* YYYY-MM-DD */
    bool residential;            /* counts as a home for 房屋套次 */
    int owner_count;
    struct demo_owner owners[DEMO_OWNERS_MAX];
    int enc_count;
    struct demo_encumbrance enc[DEMO_ENC_MAX];
};

/* Number of properties in the register (at least 150). */
int demo_property_count(void);

/* Fills out with property i (0 <= i < count). Returns false if out of range. */
bool demo_property_get(int i, struct demo_property *out);

/* ---- the hall's staff ----------------------------------------------------
 * Who may open a kiosk's maintenance mode with their resident ID card
 * (POST /v1/staff/check). A fixed table of demo_staff.c: no demo citizen
 * and no owner in the register holds one of these numbers. */

struct demo_staff {
    char staff_no[16];  /* "0312": 1..15 of [0-9A-Za-z] */
    char name[32];      /* 李建华 */
    char id_number[19]; /* valid GB 11643 */
    char role[24];      /* "maintenance" */
};

/* Number of demo staff (2). */
int demo_staff_count(void);

/* Fills out with staff member i (0 <= i < count). Returns false if out of range. */
bool demo_staff_get(int i, struct demo_staff *out);

/* Index of the staff member with that ID number, or -1. */
int demo_staff_find(const char *id_number);

/* ---- a whole population ------------------------------------------------ */

#define DEMO_CITIZENS   60
#define DEMO_PROPERTIES 190

struct demo_population {
    int citizen_count;
    struct demo_citizen citizens[DEMO_CITIZENS];
    int property_count;
    struct demo_property properties[DEMO_PROPERTIES];
};

/* Builds the population from the fixed seed into out (caller's storage,
 * about 400 KiB: put it on the heap). Same bytes on every call; all zero
 * without the data file. */
void demo_generate(struct demo_population *out);

#endif
