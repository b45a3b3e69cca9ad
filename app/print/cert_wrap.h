/* cert_wrap.h - line breaking for the certificate's Chinese text.
 *
 * The certificate has no text shaper (pango is not a dependency), so the
 * breaking rules live here as a pure function over UTF-8 with a width
 * callback: CJK text may break between any two characters, a run of ASCII
 * letters, digits and signs (a number, an ID, a unit-number group, a URL)
 * never breaks inside unless it alone is wider than the line, spaces are
 * break points and vanish at line ends, closing punctuation (，。）…) never
 * starts a line and opening punctuation (（《“) never ends one, and '\n'
 * forces a break. Any thread; no state.
 */
#ifndef PRINT_CERT_WRAP_H
#define PRINT_CERT_WRAP_H

#include <stddef.h>

/* Width in points of the bytes [s, s + n) (n > 0, whole UTF-8 sequences). */
typedef double (*cert_wrap_measure_fn)(const char *s, size_t n, void *user);

/* One output line: bytes [off, off + len) of the text, trailing spaces
 * already trimmed. */
struct cert_wrap_line {
    size_t off;
    size_t len;
};

/* Splits text into lines no wider than width (a single character wider
 * than width gets a line of its own). text and measure are borrowed; lines
 * has room for max entries. Returns the number of lines (0 for empty text),
 * or ERR_TOOBIG when more than max lines would be needed, ERR_INVALID on
 * bad arguments. */
int cert_wrap_lines(const char *text, double width, cert_wrap_measure_fn measure, void *user,
                    struct cert_wrap_line *lines, int max);

#endif
