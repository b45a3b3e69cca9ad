/* registry.h - bdc-registry, the reference registration backend, as a
 * library.
 *
 * Serves the contract of system/api/README.md over HTTP, or HTTPS with
 * client certificates (registry_config's tls_*), on libmicrohttpd,
 * from a SQLite or PostgreSQL database (registry_store.h) seeded with the
 * demo population. The executable (main.c) is a thin shell over this;
 * tests and the kiosk's demo mode start it in-process on port 0 and read
 * the port back.
 *
 * DESIGN: a pool of libmicrohttpd threads serves the connections; the
 * handlers take turns on the one database connection under the
 * registry's lock (registry.c). registry_start and registry_stop run on
 * the caller's thread.
 */
#ifndef REGISTRY_REGISTRY_H
#define REGISTRY_REGISTRY_H

#include <stdbool.h>

struct registry_config {
    const char *listen;     /* "HOST:PORT", IPv4; port 0 picks a free port.
                               NULL = "127.0.0.1:0" */
    const char *db_path;    /* NULL = "./bdc-registry.sqlite"; ":memory:" for tests; or a
                               postgres:// URL (registry_store.h) */
    bool seed;              /* put the demo population into an empty database */
    const char *public_url; /* base of verify_url ("http://192.168.1.5:8080");
                               NULL = "http://HOST:PORT" as bound */
    int token_ttl_s;        /* citizen token lifetime; 0 = 900 (15 minutes) */
    int fleet_stale_s;      /* GET /fleet: stale without a heartbeat this long; 0 = 180 */
    const char *calendar;   /* the holiday calendar file; NULL = registry_calendar_path() */
    /* Mutual TLS: all three PEM files, or none for plain HTTP (kiosk id
     * from X-Kiosk-Id, loopback only). With them the kiosk id is the
     * verified client certificate's CN and X-Kiosk-Id is ignored. */
    const char *tls_cert;      /* the registry's certificate (chain) */
    const char *tls_key;       /* its private key, unencrypted */
    const char *tls_client_ca; /* the CA(s) that sign the kiosks' certificates */
};

struct registry;

/* Opens the database, seeds it if asked and empty, binds and starts
 * serving. cfg is borrowed (strings are copied). On success *out is the
 * running registry (owned; release with registry_stop). Returns 0,
 * ERR_IO (database, TLS files), ERR_NOTFOUND (no services or calendar file: it logs
 * why), ERR_NETWORK (cannot bind), ERR_INVALID (bad listen string,
 * calendar file, or TLS files not all three or not PEM), ERR_NOMEM. */
int registry_start(const struct registry_config *cfg, struct registry **out);

/* The TCP port actually bound (useful with port 0). */
int registry_port(const struct registry *r);

/* "http://127.0.0.1:PORT" ("https://" with TLS): where kiosks reach it. Borrowed, lives as long as
 * r. */
const char *registry_url(const struct registry *r);

/* Stops serving (waits for the request in progress), closes the database
 * and frees r. NULL is a no-op. */
void registry_stop(struct registry *r);

#endif
