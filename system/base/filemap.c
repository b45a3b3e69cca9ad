/* filemap.c - shared read-only file mappings; see filemap.h. */
#include "filemap.h"

#include "err.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILEMAP_MAX 8 /* the kiosk maps two font files, a fallback family two more */

struct filemap_entry {
    dev_t dev;
    ino_t ino;
    void *data;
    size_t len;
    int refs;
};

static pthread_mutex_t filemap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct filemap_entry filemap_table[FILEMAP_MAX];

int filemap_open(const char *path, const void **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ERR_NOTFOUND;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uintmax_t)st.st_size > SIZE_MAX) {
        close(fd);
        return ERR_INVALID;
    }
    int rc = ERR_TOOBIG;
    pthread_mutex_lock(&filemap_lock);
    struct filemap_entry *free_slot = NULL;
    for (int i = 0; i < FILEMAP_MAX; i++) {
        struct filemap_entry *e = &filemap_table[i];
        if (e->refs > 0 && e->dev == st.st_dev && e->ino == st.st_ino &&
            e->len == (size_t)st.st_size) {
            e->refs++;
            *data = e->data;
            *len = e->len;
            rc = ERR_OK;
            goto out;
        }
        if (e->refs == 0 && !free_slot)
            free_slot = e;
    }
    if (free_slot) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
        if (m == MAP_FAILED) {
            rc = ERR_IO;
            goto out;
        }
        *free_slot = (struct filemap_entry){
            .dev = st.st_dev, .ino = st.st_ino, .data = m, .len = (size_t)st.st_size, .refs = 1};
        *data = m;
        *len = (size_t)st.st_size;
        rc = ERR_OK;
    }
out:
    pthread_mutex_unlock(&filemap_lock);
    close(fd);
    return rc;
}

void filemap_close(const void *data)
{
    if (!data)
        return;
    pthread_mutex_lock(&filemap_lock);
    for (int i = 0; i < FILEMAP_MAX; i++) {
        struct filemap_entry *e = &filemap_table[i];
        if (e->refs > 0 && e->data == data) {
            if (--e->refs == 0) {
                munmap(e->data, e->len);
                *e = (struct filemap_entry){0};
            }
            break;
        }
    }
    pthread_mutex_unlock(&filemap_lock);
}

void filemap_release(void)
{
    pthread_mutex_lock(&filemap_lock);
    for (int i = 0; i < FILEMAP_MAX; i++)
        if (filemap_table[i].refs > 0) /* read-only file pages: nothing is lost */
            (void)madvise(filemap_table[i].data, filemap_table[i].len, MADV_DONTNEED);
    pthread_mutex_unlock(&filemap_lock);
}

int filemap_count(void)
{
    int n = 0;
    pthread_mutex_lock(&filemap_lock);
    for (int i = 0; i < FILEMAP_MAX; i++)
        n += filemap_table[i].refs > 0;
    pthread_mutex_unlock(&filemap_lock);
    return n;
}
