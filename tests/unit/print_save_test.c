/* print_save_test.c - the output folder: atomic replace, no leftovers,
 * names that could escape the folder refused. */
#include "base/err.h"
#include "check.h"
#include "print/print_save.h"
#include "print_test_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int count_entries(const char *dir, int *hidden)
{
    DIR *d = opendir(dir);
    int n = 0;
    *hidden = 0;
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        if (e->d_name[0] == '.')
            (*hidden)++;
    }
    closedir(d);
    return n;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *p = malloc(1 << 16);
    *n = p ? fread(p, 1, 1 << 16, f) : 0;
    fclose(f);
    return p;
}

int main(void)
{
    char dir[300];
    snprintf(dir, sizeof dir, "%s/out", ptu_scratch());
    CHECK(mkdir(dir, 0750) == 0);

    char path[512];
    const char a[] = "%PDF-1.5 first", b[] = "%PDF-1.5 second, longer";
    CHECK_EQ_INT(print_save(dir, a, sizeof a - 1, "cert-X1.pdf", path, sizeof path), 0);
    char want[512];
    snprintf(want, sizeof want, "%s/cert-X1.pdf", dir);
    CHECK_EQ_STR(path, want);
    size_t n = 0;
    char *got = slurp(path, &n);
    CHECK(got && n == sizeof a - 1 && memcmp(got, a, n) == 0);
    free(got);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);

    /* Replacing keeps one file with the new bytes and no temporary. */
    CHECK_EQ_INT(print_save(dir, b, sizeof b - 1, "cert-X1.pdf", path, sizeof path), 0);
    got = slurp(path, &n);
    CHECK(got && n == sizeof b - 1 && memcmp(got, b, n) == 0);
    free(got);
    int hidden = 0;
    CHECK_EQ_INT(count_entries(dir, &hidden), 1);
    CHECK_EQ_INT(hidden, 0);

    /* path may be NULL; an empty document is still a file. */
    CHECK_EQ_INT(print_save(dir, "", 0, "empty.pdf", NULL, 0), 0);

    static const struct {
        const char *dir, *name;
        int want;
    } bad[] = {
        {NULL, "a.pdf", ERR_INVALID},
        {"", "a.pdf", ERR_INVALID},
        {"/nonexistent-kiosk-dir", "a.pdf", ERR_NOTFOUND},
        {"OUT", "", ERR_INVALID},
        {"OUT", "../escape.pdf", ERR_INVALID},
        {"OUT", "sub/a.pdf", ERR_INVALID},
        {"OUT", ".hidden.pdf", ERR_INVALID},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *d = bad[i].dir && strcmp(bad[i].dir, "OUT") == 0 ? dir : bad[i].dir;
        CHECK_EQ_INT(print_save(d, a, sizeof a - 1, bad[i].name, path, sizeof path), bad[i].want);
    }
    /* The caller's path buffer too small: refused before writing. */
    CHECK_EQ_INT(print_save(dir, a, sizeof a - 1, "short.pdf", path, 8), ERR_TOOBIG);
    CHECK_EQ_INT(count_entries(dir, &hidden), 2);
    CHECK_EQ_INT(hidden, 0);

    /* A folder nobody may write into, root included (/proc), and one whose
     * mode forbids it, which binds everyone but root. */
    CHECK_EQ_INT(print_save("/proc", a, sizeof a - 1, "a.pdf", NULL, 0), ERR_IO);
    char ro[300];
    snprintf(ro, sizeof ro, "%s/ro", ptu_scratch());
    CHECK(mkdir(ro, 0500) == 0);
    CHECK_EQ_INT(print_save(ro, a, sizeof a - 1, "a.pdf", NULL, 0),
                 geteuid() == 0 ? ERR_OK : ERR_IO);
    chmod(ro, 0700);

    ptu_cleanup();
    return check_report("print_save_test");
}
