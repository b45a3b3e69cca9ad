/* memory.h - how the kiosk's process holds its memory: malloc tuned once
 * at start-up, before any thread. */
#ifndef APP_MEMORY_H
#define APP_MEMORY_H

/* Two malloc arenas at most (the UI thread's and one the workers share),
 * and blocks from 128 kB up in mappings of their own, so a picture, a
 * certificate or a texture freed after a visit goes back to the kernel at
 * once instead of staying in an arena. */
void memory_tune(void);

/* At a visit's end, from any thread: freed heap pages handed back
 * (malloc_trim) and the font files' touched pages dropped from the
 * process's resident memory (base/filemap; they stay in the page cache,
 * the next visit reads them back at a minor fault each). */
void memory_release(void);

#endif
