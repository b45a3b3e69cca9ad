/* registry_db.h - the registry's database (registry_store.h: SQLite or
 * PostgreSQL): schema, demo seed and
 * the property queries shared by the listing and the certificate snapshot.
 *
 * The handle belongs to one thread at a time: the starting thread, then
 * whichever of libmicrohttpd's threads holds the registry's lock.
 * Personal data lives here because this is the register; face images
 * never do.
 */
#ifndef REGISTRY_DB_H
#define REGISTRY_DB_H

#include "registry/registry_store.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

/* Opens (creating if needed) the database target names (registry_store.h:
 * a postgres:// URL, else a SQLite path or :memory:) and its schema.
 * Returns 0 or ERR_IO; *out is owned by the caller (store_close). */
int registry_db_open(const char *target, struct store **out);

/* Seeds the demo population if the register is empty. Returns the number
 * of properties inserted (0 if it already had some) or ERR_IO. The caller
 * holds the write lock (store_begin_immediate), so that registries
 * starting together on one database seed it once. */
int registry_db_seed(struct store *db);

/* Appends to items (a cJSON array, borrowed) the properties of the owner
 * with that ID number, ordered by id, skipping offset and taking at most
 * limit; residential_only keeps homes (房屋套次). *more is set if more
 * follow. Returns the number appended or ERR_IO / ERR_NOMEM. */
int registry_db_properties(struct store *db, const char *id_number, int offset, int limit,
                           bool residential_only, cJSON *items, bool *more);

#endif
