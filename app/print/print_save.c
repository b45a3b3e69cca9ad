/* print_save.c - atomic write of a PDF into the output folder; see
 * print_save.h. Runs on the print worker thread. */
#include "print/print_save.h"

#include "base/err.h"
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return ERR_IO;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ERR_IO;
    int rc = fsync(fd) == 0 || errno == EINVAL ? 0 : ERR_IO;
    close(fd);
    return rc;
}

int print_save(const char *dir, const void *data, size_t len, const char *name, char *path,
               size_t path_size)
{
    if (!dir || !dir[0] || !name || !name[0] || (!data && len))
        return ERR_INVALID;
    size_t nl = strlen(name);
    if (nl > 128 || name[0] == '.' || strchr(name, '/'))
        return ERR_INVALID;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ERR_NOTFOUND;

    char final[PATH_MAX], tmp[PATH_MAX];
    int n = snprintf(final, sizeof final, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof final || (path && (size_t)n >= path_size))
        return ERR_TOOBIG;
    n = snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return ERR_TOOBIG;

    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        log_warn("print", "cannot create a file in the output folder: %s", strerror(errno));
        return ERR_IO;
    }
    int err = write_all(fd, data, len);
    /* Staff read the folder; nobody else needs to. */
    if (!err && fchmod(fd, 0640) != 0)
        err = ERR_IO;
    if (!err && fsync(fd) != 0)
        err = ERR_IO;
    if (close(fd) != 0 && !err)
        err = ERR_IO;
    if (!err && rename(tmp, final) != 0)
        err = ERR_IO;
    if (err) {
        log_warn("print", "writing into the output folder failed: %s", strerror(errno));
        unlink(tmp);
        return err;
    }
    if (sync_dir(dir) != 0)
        log_warn("print", "output folder not synced: %s", strerror(errno));
    if (path)
        memcpy(path, final, (size_t)n + 1);
    return 0;
}
