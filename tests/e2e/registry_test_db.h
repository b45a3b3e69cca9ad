/* registry_test_db.h - the database the registry tests start the registry
 * on: $BDC_TEST_DB (a postgres:// URL, given fresh by tests/pg_cluster.sh
 * run) or, without it, SQLite in memory.
 */
#ifndef TESTS_E2E_REGISTRY_TEST_DB_H
#define TESTS_E2E_REGISTRY_TEST_DB_H

#include <stdlib.h>

static inline const char *registry_test_db(void)
{
    const char *db = getenv("BDC_TEST_DB");
    return db && db[0] ? db : ":memory:";
}

#endif
