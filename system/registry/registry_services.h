/* registry_services.h - the hall's counter services: the service guide
 * (办事指南) of GET /v1/services, the letters and pace of POST /v1/tickets,
 * what appointments can be made for.
 *
 * The services are data: assets/registry/services.ini, or
 * $BDC_KIOSK_ASSETS/registry/services.ini when that is set (the comment
 * at the top of the file says what each key means). The file is read once
 * on first use (pthread_once) and never changed after, so the getters are
 * safe on any thread. Without a readable, complete file there are no
 * services: the count is 0, lookups fail, and the reason is logged once.
 */
#ifndef REGISTRY_SERVICES_H
#define REGISTRY_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REGISTRY_SERVICES_MAX  16
#define REGISTRY_MATERIALS_MAX 8
#define REGISTRY_FEES_MAX      6
#define REGISTRY_WAIVERS_MAX   4

struct registry_fee {
    char item[128];
    int64_t amount_fen;
};

struct registry_service {
    char code[24];        /* "query" */
    char prefix[4];       /* "C": the ticket number's letter */
    char name[64];        /* 不动产登记资料查询 */
    char summary[192];    /* one line of what it is for */
    char windows[64];     /* 3 号、4 号窗口 */
    char limit_unit[16];  /* hours | working_days */
    int limit_value;      /* the 311 promise: 1 hour, 3 working days ... */
    char time_limit[128]; /* the promise in words */
    int minutes;          /* average minutes between two calls of its walk-in queue */
    int capacity;         /* appointments per slot */
    bool bookable, walk_in;
    int material_count;
    char materials[REGISTRY_MATERIALS_MAX][128];
    int fee_count;
    struct registry_fee fees[REGISTRY_FEES_MAX];
    int waiver_count;
    char fee_waivers[REGISTRY_WAIVERS_MAX][192];
};

struct registry_services {
    int count;
    struct registry_service items[REGISTRY_SERVICES_MAX];
};

/* The data file: $BDC_KIOSK_ASSETS/registry/services.ini when that is set,
 * else the one of the source tree the library was built from. Returns buf
 * or a static string. */
const char *registry_services_path(char *buf, size_t size);

/* Reads a services file into out (caller's storage). Returns 0, ERR_IO
 * (cannot read it) or ERR_INVALID (a line that is not what the format
 * says, or a service missing a key); why receives a sentence with the
 * line number. Any thread. */
int registry_services_parse_file(const char *path, struct registry_services *out, char *why,
                                 size_t why_size);

/* The shared copy, read from registry_services_path() on first use. */
bool registry_services_available(void);
int registry_service_count(void);
/* Service i in the guide's order (0 <= i < count), or NULL. */
const struct registry_service *registry_service_at(int i);
/* The service with that code, or NULL. */
const struct registry_service *registry_service_find(const char *code);

#endif
