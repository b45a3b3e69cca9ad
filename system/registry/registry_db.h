/* registry_db.h - the registry's SQLite database: schema, demo seed and
 * the property queries shared by the listing and the certificate snapshot.
 *
 * The handle belongs to one thread at a time: the starting thread, then
 * whichever of libmicrohttpd's threads holds the registry's lock.
 * Personal data lives here because this is the register; face images
 * never do.
 */
#ifndef REGISTRY_DB_H
#define REGISTRY_DB_H

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>

/* Opens (creating if needed) the database at path and its schema. Returns
 * 0 or ERR_IO; *out is owned by the caller (sqlite3_close). */
int registry_db_open(const char *path, sqlite3 **out);

/* Seeds the demo population if the register is empty. Returns the number
 * of properties inserted (0 if it already had some) or ERR_IO. */
int registry_db_seed(sqlite3 *db);

/* Appends to items (a cJSON array, borrowed) the properties of the owner
 * with that ID number, ordered by id, skipping offset and taking at most
 * limit; residential_only keeps homes (房屋套次). *more is set if more
 * follow. Returns the number appended or ERR_IO / ERR_NOMEM. */
int registry_db_properties(sqlite3 *db, const char *id_number, int offset, int limit,
                           bool residential_only, cJSON *items, bool *more);

/* Runs a statement with no result rows (schema, housekeeping). 0 or ERR_IO. */
int registry_db_exec(sqlite3 *db, const char *sql);

#endif
