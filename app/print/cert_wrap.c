/* cert_wrap.c - greedy line breaking with CJK rules; see cert_wrap.h.
 *
 * Greedy is what printed Chinese forms use: fill each line as far as the
 * last break opportunity that fits. Widths are asked of the caller at each
 * opportunity from the line start (strings here are a few hundred bytes,
 * so the quadratic cost is a few dozen text measurements per cell).
 */
#include "print/cert_wrap.h"

#include "base/err.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Decodes one code point; an invalid byte decodes as itself, length 1, so
 * the breaker never stalls (the composer rejects invalid UTF-8 earlier). */
static uint32_t decode(const char *s, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[0];
    size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    for (size_t i = 1; i < k; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *n = 1;
            return c;
        }
    }
    *n = k;
    if (k == 1)
        return c;
    c &= 0x7Fu >> k;
    for (size_t i = 1; i < k; i++)
        c = (c << 6) | (u[i] & 0x3F);
    return c;
}

static bool is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000;
}

/* ASCII letters, digits and signs stick together: a number, an ID, a
 * unit-number group or a URL must stay readable as one piece. */
static bool is_word(uint32_t c)
{
    return c > 0x20 && c < 0x7F;
}

static bool in_set(uint32_t c, const uint32_t *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == c)
            return true;
    return false;
}

/* 行首禁则: these never start a line. */
static bool no_start(uint32_t c)
{
    static const uint32_t set[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
                                   0xFF09, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x201D,
                                   0x2019, 0x2026, 0xFF05, 0x00B7, 0x3009, 0x33A1};
    return in_set(c, set, sizeof set / sizeof set[0]);
}

/* 行尾禁则: these never end a line. */
static bool no_end(uint32_t c)
{
    static const uint32_t set[] = {0xFF08, 0x300A, 0x300C, 0x300E, 0x3010,
                                   0x3014, 0x201C, 0x2018, 0x3008};
    return in_set(c, set, sizeof set / sizeof set[0]);
}

static bool break_between(uint32_t a, uint32_t b)
{
    if (is_space(b))
        return false; /* break after the spaces, not before them */
    if (is_space(a))
        return true;
    if (is_word(a) && is_word(b))
        return false;
    if (no_start(b) || no_end(a))
        return false;
    return true;
}

static size_t trim_end(const char *text, size_t start, size_t end)
{
    while (end > start) {
        if (text[end - 1] == ' ' || text[end - 1] == '\t') {
            end--;
        } else if (end - start >= 3 && memcmp(text + end - 3, "\xE3\x80\x80", 3) == 0) {
            end -= 3; /* U+3000 ideographic space */
        } else {
            break;
        }
    }
    return end;
}

static double width_of(const char *text, size_t start, size_t end, cert_wrap_measure_fn measure,
                       void *user)
{
    size_t e = trim_end(text, start, end);
    return e > start ? measure(text + start, e - start, user) : 0.0;
}

int cert_wrap_lines(const char *text, double width, cert_wrap_measure_fn measure, void *user,
                    struct cert_wrap_line *lines, int max)
{
    if (!text || !measure || !lines || max <= 0)
        return ERR_INVALID;
    size_t total = strlen(text);
    size_t pos = 0;
    int count = 0;

    while (pos < total) {
        /* Spaces left over from the previous break do not indent the line. */
        while (pos < total) {
            size_t n;
            uint32_t c = decode(text + pos, &n);
            if (!is_space(c))
                break;
            pos += n;
        }
        if (pos >= total)
            break;
        size_t start = pos;
        size_t best = 0; /* 0: nothing fits yet (start is never 0 here past the first line) */
        bool have_best = false;
        bool hard = false;

        size_t i = start;
        uint32_t prev = 0;
        while (i < total) {
            size_t n;
            uint32_t c = decode(text + i, &n);
            if (c == '\n') {
                if (width_of(text, start, i, measure, user) <= width) {
                    best = i;
                    have_best = true;
                    hard = true;
                }
                break;
            }
            if (i > start && break_between(prev, c)) {
                if (width_of(text, start, i, measure, user) > width)
                    break;
                best = i;
                have_best = true;
            }
            prev = c;
            i += n;
        }
        if (i >= total && width_of(text, start, total, measure, user) <= width) {
            best = total;
            have_best = true;
        }
        if (!have_best) {
            /* One unbreakable run wider than the line: cut it at the last
             * character that fits, at least one character per line. */
            size_t j = start, n;
            decode(text + j, &n);
            j += n;
            best = j;
            while (j < total && text[j] != '\n') {
                decode(text + j, &n);
                if (width_of(text, start, j + n, measure, user) > width)
                    break;
                j += n;
                best = j;
            }
            hard = best < total && text[best] == '\n';
        }
        if (count >= max)
            return ERR_TOOBIG;
        lines[count].off = start;
        lines[count].len = trim_end(text, start, best) - start;
        count++;
        pos = best;
        if (hard)
            pos++; /* consume the '\n' */
        /* An empty line stands for each further '\n' in a row. */
        while (pos < total && text[pos] == '\n') {
            if (count >= max)
                return ERR_TOOBIG;
            lines[count].off = pos;
            lines[count].len = 0;
            count++;
            pos++;
        }
    }
    return count;
}
