/* memory.c - malloc's settings for the kiosk (memory.h).
 *
 * WHY: by default glibc gives each worker thread (face, print, slip,
 * registry, outbox, voice, control) an arena of its own, which keeps what
 * a visit freed as its high-water mark, and raises the mapping threshold
 * each time a large block is freed, so later large blocks (camera frames,
 * the certificate's preview, text textures) land in the heap and stay
 * there. Measured headless (app/README.md): this alone takes about 13 MB
 * off the resident memory after a visit. The threads are not busy enough
 * for the shared arena's lock to show. SQLite's caches are bounded here
 * too. */
#include "memory.h"

#include "base/filemap.h"

#include <malloc.h>
#include <sqlite3.h>

void memory_tune(void)
{
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 128 * 1024); /* also stops the threshold moving */
    mallopt(M_TRIM_THRESHOLD, 256 * 1024);
    /* The kiosk's databases (print journal, outbox, staff PINs) are small;
     * SQLite's page caches (2 MB a connection by default) otherwise grow
     * with them visit after visit. Measured over 100 visits headless: the
     * resident growth from visit 2 went from 2.7 to 1.4 MB. */
    sqlite3_soft_heap_limit64(512 * 1024);
}

void memory_release(void)
{
    malloc_trim(0);
    filemap_release();
}
