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
 * too.
 *
 * memory_figures reads malloc's own count (mallinfo2 for all arenas,
 * malloc_info for the main one: glibc has no other per-arena count) and
 * /proc/self/smaps. */
#include "memory.h"

#include "base/filemap.h"

#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The number after `attr="` in the first element from `at` on that starts
 * with `elem`, before `end`; -1 if none. */
static long xml_number(const char *at, const char *end, const char *elem, const char *attr)
{
    const char *e = strstr(at, elem);
    if (!e || e > end)
        return -1;
    char key[32];
    snprintf(key, sizeof key, " %s=\"", attr);
    const char *v = strstr(e, key);
    return v && v < end ? strtol(v + strlen(key), NULL, 10) : -1;
}

/* The main arena's blocks in use and free, from malloc_info's XML: its
 * first <heap nr="0">, system current minus the free (fast and rest,
 * the top included). */
static void main_arena(long *used_kb, long *free_kb)
{
    *used_kb = *free_kb = -1;
    char *xml = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&xml, &len);
    if (!f)
        return;
    int rc = malloc_info(0, f);
    fclose(f);
    const char *h = rc == 0 && xml ? strstr(xml, "<heap nr=\"0\">") : NULL;
    const char *end = h ? strstr(h, "</heap>") : NULL;
    if (end) {
        long fast = xml_number(h, end, "<total type=\"fast\"", "size");
        long rest = xml_number(h, end, "<total type=\"rest\"", "size");
        long sys = xml_number(h, end, "<system type=\"current\"", "size");
        if (fast >= 0 && rest >= 0 && sys >= fast + rest) {
            *used_kb = (sys - fast - rest) / 1024;
            *free_kb = (fast + rest) / 1024;
        }
    }
    free(xml);
}

void memory_figures(struct memory_figures *m)
{
    struct mallinfo2 mi = mallinfo2();
    m->arenas_used_kb = (long)(mi.uordblks / 1024);
    m->mmapped_kb = (long)(mi.hblkhd / 1024);
    main_arena(&m->heap_used_kb, &m->heap_free_kb);
    m->rss_heap_kb = m->rss_anon_kb = m->rss_file_kb = -1;
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return;
    m->rss_heap_kb = m->rss_anon_kb = m->rss_file_kb = 0;
    long *kind = &m->rss_anon_kb;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char path[256] = "";
        long kb;
        /* a mapping's line: "lo-hi perms offset dev inode [path]" */
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %255s", &lo, &hi, path) >= 2)
            kind = path[0] == '/'                ? &m->rss_file_kb
                   : strcmp(path, "[heap]") == 0 ? &m->rss_heap_kb
                                                 : &m->rss_anon_kb;
        else if (sscanf(line, "Rss: %ld", &kb) == 1)
            *kind += kb;
    }
    fclose(f);
}
