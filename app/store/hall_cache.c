/* hall_cache.c - a small file written whole or not at all, read back
 * bounded; see hall_cache.h. Runs on whichever thread calls it (the
 * guide's writer thread, the main thread at start-up).
 */
#include "store/hall_cache.h"

#include "base/err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A full disk (or quota, or file size limit) is worth telling apart. */
static int from_errno(int e)
{
    return e == ENOSPC || e == EDQUOT || e == EFBIG ? ERR_FULL : ERR_IO;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return from_errno(k < 0 ? errno : ENOSPC);
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Makes the rename itself durable: fsync the folder that holds path. */
static int sync_dir_of(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ERR_IO;
    int rc = fsync(fd) == 0 || errno == EINVAL ? 0 : ERR_IO;
    close(fd);
    return rc;
}

/* Writes data to the new file tmp and makes it durable; removes it on any
 * error (unless it could not be opened: then it is not ours). */
static int write_tmp(const char *tmp, const void *data, size_t len)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return from_errno(errno);
    int rc = write_all(fd, data, len);
    if (!rc && fsync(fd) != 0)
        rc = from_errno(errno);
    if (close(fd) != 0 && !rc)
        rc = from_errno(errno);
    if (rc)
        unlink(tmp);
    return rc;
}

int hall_cache_set(const char *path, const void *data, size_t len)
{
    if (!path || !path[0] || (!data && len))
        return ERR_INVALID;
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return ERR_TOOBIG;
    int rc = write_tmp(tmp, data, len);
    if (rc)
        return rc;
    if (rename(tmp, path) != 0) {
        rc = from_errno(errno);
        unlink(tmp);
        return rc;
    }
    return sync_dir_of(path);
}

/* Reads exactly size bytes of fd into p; ERR_IO if the file is shorter or
 * longer than that now (someone else is changing it). */
static int read_exact(int fd, char *p, size_t size)
{
    size_t got = 0;
    for (;;) {
        char extra;
        ssize_t k = got < size ? read(fd, p + got, size - got) : read(fd, &extra, 1);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 || (k > 0 && got == size))
            return ERR_IO;
        if (k == 0)
            return got == size ? 0 : ERR_IO;
        got += (size_t)k;
    }
}

int hall_cache_get(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    struct stat st;
    int rc = 0;
    char *buf = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = ERR_IO;
    else if ((unsigned long long)st.st_size > max)
        rc = ERR_TOOBIG;
    else if (!(buf = malloc((size_t)st.st_size + 1)))
        rc = ERR_NOMEM;
    else
        rc = read_exact(fd, buf, (size_t)st.st_size);
    close(fd);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[st.st_size] = '\0';
    *out = buf;
    *len = (size_t)st.st_size;
    return 0;
}
