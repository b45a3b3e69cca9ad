/* print_test_util.h - helpers shared by the print tests: a scratch folder,
 * files, and running the poppler and zbar tools that read our PDFs back. */
#ifndef TESTS_PRINT_TEST_UTIL_H
#define TESTS_PRINT_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Makes a fresh folder under $TMPDIR (or /tmp); returns a static path. */
const char *ptu_scratch(void);
/* Removes the scratch folder unless PRINT_TEST_KEEP is set (then says where). */
void ptu_cleanup(void);
/* Writes n bytes to path; returns 0 or -1. */
int ptu_write(const char *path, const void *p, size_t n);
/* Runs a shell command; returns its stdout (malloc'd, NUL-terminated) or
 * NULL when it failed to run or exited non-zero. */
char *ptu_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Copy of s without any whitespace (malloc'd). */
char *ptu_squeeze(const char *s);
/* True if tool is on PATH. */
bool ptu_have(const char *tool);

#endif
