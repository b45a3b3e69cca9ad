/* memory.h - how the kiosk's process holds its memory: malloc tuned once
 * at start-up, before any thread. */
#ifndef APP_MEMORY_H
#define APP_MEMORY_H

/* Two malloc arenas at most (the UI thread's and one the workers share),
 * and blocks from 128 kB up in mappings of their own, so a picture, a
 * certificate or a texture freed after a visit goes back to the kernel at
 * once instead of staying in an arena. */
void memory_tune(void);

/* After a visit, from any thread: freed heap pages handed back
 * (malloc_trim) and the font files' touched pages dropped from the
 * process's resident memory (base/filemap; they stay in the page cache,
 * the next visit reads them back at a minor fault each). The kiosk calls
 * it once home is drawn after a visit (app_present): what the UI frees
 * when a visit ends (its texts, pictures) and what drawing home frees
 * come after the visit's end, and pages freed after a release stay
 * resident until the next. */
void memory_release(void);

/* What the process holds, for the control socket's `process` and the
 * bench: malloc's count and the resident pages by kind. In kB; -1 where
 * it could not be read. heap_used and heap_free against rss_heap tell
 * live blocks from freed room the main heap keeps resident. */
struct memory_figures {
    long heap_used_kb;   /* main arena (the UI thread's [heap]): blocks in use */
    long heap_free_kb;   /* main arena: freed blocks it keeps, its top included */
    long arenas_used_kb; /* all arenas: blocks in use */
    long mmapped_kb;     /* blocks in mappings of their own (128 kB and up) */
    long rss_heap_kb;    /* resident: the main arena's [heap] */
    long rss_anon_kb;    /* resident: other anonymous memory (the workers' arena,
                            mapped blocks, the canvas, stacks) */
    long rss_file_kb;    /* resident: file mappings (libraries, fonts) */
};
void memory_figures(struct memory_figures *m);

#endif
