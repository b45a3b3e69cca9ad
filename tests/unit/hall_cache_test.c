/* hall_cache_test.c - the guide's file: written whole and read back, an
 * overwrite, a missing file, a file over the bound refused, and writes that
 * fail (a full disk, a folder that cannot take the new file, a missing or
 * read-only folder) returning an error with the old file intact and no
 * half-written file left. Main thread only.
 */
#include "base/err.h"
#include "check.h"
#include "store/hall_cache.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void at(char *path, size_t size, const char *name)
{
    snprintf(path, size, "%s/%s", dir, name);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Whether path holds exactly text. */
static bool holds(const char *path, const char *text)
{
    char *got = NULL;
    size_t len = 0;
    bool same = hall_cache_get(path, HALL_CACHE_MAX, &got, &len) == 0 && len == strlen(text) &&
                memcmp(got, text, len) == 0;
    free(got);
    return same;
}

static void test_write_read_overwrite(void)
{
    char path[128], tmp[140];
    at(path, sizeof path, "guide.json");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    const char first[] = "{\"as_of\":\"one\",\"items\":[]}";
    CHECK_EQ_INT(hall_cache_set(path, first, strlen(first)), 0);
    CHECK(!exists(tmp));
    char *got = NULL;
    size_t len = 99;
    CHECK_EQ_INT(hall_cache_get(path, HALL_CACHE_MAX, &got, &len), 0);
    CHECK_EQ_INT(len, strlen(first));
    CHECK(got && strcmp(got, first) == 0); /* NUL-terminated */
    free(got);

    /* A shorter guide replaces the longer one whole. */
    CHECK_EQ_INT(hall_cache_set(path, "{}", 2), 0);
    CHECK(holds(path, "{}"));
    CHECK(!exists(tmp));
    CHECK_EQ_INT(hall_cache_set(path, "", 0), 0);
    CHECK(holds(path, ""));
    CHECK_EQ_INT(hall_cache_set(path, NULL, 0), 0);
    CHECK(holds(path, ""));
}

static void test_missing_and_bounds(void)
{
    char path[128];
    at(path, sizeof path, "none.json");
    char *got = (char *)1;
    size_t len = 7;
    CHECK_EQ_INT(hall_cache_get(path, HALL_CACHE_MAX, &got, &len), ERR_NOTFOUND);
    CHECK(got == NULL && len == 0);

    at(path, sizeof path, "small.json");
    CHECK_EQ_INT(hall_cache_set(path, "0123456789abcdef", 16), 0);
    CHECK_EQ_INT(hall_cache_get(path, 16, &got, &len), 0); /* exactly the bound */
    free(got);
    CHECK_EQ_INT(hall_cache_get(path, 15, &got, &len), ERR_TOOBIG);
    CHECK(got == NULL && len == 0);

    /* One byte over the real bound. */
    at(path, sizeof path, "big.json");
    char *big = malloc(HALL_CACHE_MAX + 1);
    CHECK(big != NULL);
    if (big) {
        memset(big, ' ', HALL_CACHE_MAX + 1);
        CHECK_EQ_INT(hall_cache_set(path, big, HALL_CACHE_MAX + 1), 0);
        CHECK_EQ_INT(hall_cache_get(path, HALL_CACHE_MAX, &got, &len), ERR_TOOBIG);
        CHECK(got == NULL);
        CHECK_EQ_INT(hall_cache_set(path, big, HALL_CACHE_MAX), 0);
        CHECK_EQ_INT(hall_cache_get(path, HALL_CACHE_MAX, &got, &len), 0);
        CHECK_EQ_INT(len, HALL_CACHE_MAX);
        free(got);
        free(big);
    }

    /* A folder is not a file; bad arguments are refused. */
    CHECK_EQ_INT(hall_cache_get(dir, HALL_CACHE_MAX, &got, &len), ERR_IO);
    CHECK_EQ_INT(hall_cache_set(NULL, "x", 1), ERR_INVALID);
    CHECK_EQ_INT(hall_cache_set("", "x", 1), ERR_INVALID);
    CHECK_EQ_INT(hall_cache_set(path, NULL, 1), ERR_INVALID);
    char longer[5000];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    CHECK_EQ_INT(hall_cache_set(longer, "x", 1), ERR_TOOBIG);
}

/* The disk fills up (a file size limit stands in for it): an error that
 * says so, the old guide intact, no PATH.tmp left behind. */
static void test_full_disk(void)
{
    char path[128], tmp[140];
    at(path, sizeof path, "full.json");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK_EQ_INT(hall_cache_set(path, "{\"old\":1}", 9), 0);
    static char big[64 * 1024];
    memset(big, 'y', sizeof big);
    struct rlimit old;
    getrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit tiny = {16 * 1024, old.rlim_max};
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    int rc = hall_cache_set(path, big, sizeof big);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_EQ_INT(rc, ERR_FULL);
    CHECK(holds(path, "{\"old\":1}"));
    CHECK(!exists(tmp));
}

/* The new file cannot be made beside the old one: an error, the old file
 * as it was. A folder squatting on PATH.tmp stops even root. */
static void test_unwritable(void)
{
    char path[128], tmp[140], sub[128], ro_path[160];
    at(path, sizeof path, "blocked.json");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK_EQ_INT(hall_cache_set(path, "{\"old\":2}", 9), 0);
    CHECK_EQ_INT(mkdir(tmp, 0700), 0);
    CHECK_EQ_INT(hall_cache_set(path, "{\"new\":2}", 9), ERR_IO);
    CHECK(holds(path, "{\"old\":2}"));
    CHECK(exists(tmp)); /* not ours: left alone */
    rmdir(tmp);

    at(sub, sizeof sub, "no-such-dir/guide.json");
    CHECK_EQ_INT(hall_cache_set(sub, "{}", 2), ERR_IO);

    /* A read-only folder (root writes anyway, so only as a user). */
    at(sub, sizeof sub, "ro");
    CHECK_EQ_INT(mkdir(sub, 0700), 0);
    snprintf(ro_path, sizeof ro_path, "%s/guide.json", sub);
    CHECK_EQ_INT(hall_cache_set(ro_path, "{\"old\":3}", 9), 0);
    chmod(sub, 0500);
    CHECK_EQ_INT(hall_cache_set(ro_path, "{\"new\":3}", 9), geteuid() == 0 ? ERR_OK : ERR_IO);
    CHECK(holds(ro_path, geteuid() == 0 ? "{\"new\":3}" : "{\"old\":3}"));
    chmod(sub, 0700);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/hall_cache_test.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_write_read_overwrite();
    test_missing_and_bounds();
    test_full_disk();
    test_unwritable();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report("hall_cache_test");
}
