/* capture_text.c - hex dumps, source arrays and base64 back to bytes.
 *
 * DESIGN: the format is told from the text alone, in this order: bytes
 * that are not plain ASCII text are the capture itself; a first line
 * "OFFSET:" is xxd; a first line that starts (unindented) with a 6 to 8
 * digit offset followed by two-digit bytes is hexdump -C (8 digits or a
 * '|' gutter) or od (offsets in octal, hex or decimal: the base that makes
 * the offsets follow from the byte counts); text with 0x or \x values is a
 * source array (everything else in it, casts and names, is ignored); text
 * of hex digits and separators is plain hex (od -An prints that too);
 * text of the base64 alphabet is base64 (OpenSSL decodes it). Hex is
 * tried before base64 because every hex text is also base64 text. In
 * dumps with offsets each line's offset is checked against the bytes
 * before it, so a line lost in pasting is reported, and a '*' line (lines
 * equal to the one above, left out) is restored from the next offset.
 */
#include "tool/capture_text.h"

#include "base/err.h"
#include "base/util.h"

#include <limits.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <string.h>

struct line {
    const char *s; /* trimmed of blanks at both ends */
    size_t len;
    size_t no;     /* 1-based */
    bool indented; /* the raw line started with a blank */
};

struct sink {
    uint8_t *out;
    size_t cap, len;
};

static bool is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static bool next_line(const char *text, size_t n, size_t *pos, struct line *l)
{
    if (*pos >= n)
        return false;
    const char *s = text + *pos;
    const char *nl = memchr(s, '\n', n - *pos);
    size_t len = nl ? (size_t)(nl - s) : n - *pos;
    *pos += len + (nl ? 1 : 0);
    l->no++;
    l->indented = len > 0 && is_blank(s[0]);
    while (len && is_blank(s[0])) {
        s++;
        len--;
    }
    while (len && is_blank(s[len - 1]))
        len--;
    l->s = s;
    l->len = len;
    return true;
}

static int fail(struct capture_text *res, size_t line, const char *problem)
{
    res->line = line;
    res->problem = problem;
    return ERR_PROTOCOL;
}

/* Length of the run of hex digits at s[0..len). */
static size_t hex_run(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && hex_value((unsigned char)s[i]) >= 0)
        i++;
    return i;
}

static bool is_separator(int c)
{
    return is_blank(c) || c == ',' || c == ':' || c == '-' || c == ';';
}

/* The bytes of s[0..len): runs of an even number of hex digits between
 * separators. Returns 0, ERR_PROTOCOL (res filled), ERR_TOOBIG. */
static int hex_span(const struct line *l, const char *s, size_t len, struct sink *o,
                    struct capture_text *res)
{
    size_t i = 0;
    while (i < len) {
        if (is_separator((unsigned char)s[i])) {
            i++;
            continue;
        }
        size_t run = hex_run(s + i, len - i);
        if (run == 0)
            return fail(res, l->no, "a character that is neither a hex digit nor a separator");
        if (run % 2)
            return fail(res, l->no, "an odd number of hex digits in a group");
        for (size_t k = 0; k < run; k += 2) {
            if (o->len >= o->cap)
                return ERR_TOOBIG;
            o->out[o->len++] = (uint8_t)(hex_value((unsigned char)s[i + k]) << 4 |
                                         hex_value((unsigned char)s[i + k + 1]));
        }
        i += run;
    }
    return 0;
}

/* ---- dumps with an offset column: xxd, hexdump -C, od ---- */

/* Parses the offset token at the start of l in base; *end gets its end. */
static bool parse_offset(const struct line *l, unsigned base, size_t *value, size_t *end)
{
    size_t i = 0, v = 0;
    for (; i < l->len; i++) {
        int d = hex_value((unsigned char)l->s[i]);
        if (d < 0 || (unsigned)d >= base)
            break;
        if (i >= 12)
            return false; /* no capture is that long */
        v = v * base + (size_t)d;
    }
    if (i == 0 || (i < l->len && l->s[i] != ':' && !is_blank(l->s[i])))
        return false;
    *value = v;
    *end = i;
    return true;
}

static int decode_offsets(const char *text, size_t n, enum capture_format f, unsigned base,
                          struct sink *o, struct capture_text *res)
{
    struct line l = {0};
    size_t pos = 0, start = 0, last = 0;
    bool started = false, star = false;
    o->len = 0;
    while (next_line(text, n, &pos, &l)) {
        if (l.len == 0)
            continue;
        if (l.len == 1 && l.s[0] == '*') {
            if (last == 0)
                return fail(res, l.no, "a '*' line before any line of bytes");
            star = true;
            continue;
        }
        size_t off, end;
        if (!parse_offset(&l, base, &off, &end) ||
            (f == CAPTURE_XXD) != (end < l.len && l.s[end] == ':'))
            return fail(res, l.no, "a line that does not start with the dump's offset column");
        if (!started) {
            start = off;
            started = true;
        }
        if (off < start || off - start < o->len)
            return fail(res, l.no, "an offset lower than the bytes before it (a line changed?)");
        size_t want = off - start;
        if (star) {
            size_t gap = want - o->len;
            if (gap == 0 || gap % last)
                return fail(res, l.no, "the offset after '*' is no whole number of lines on");
            for (; gap; gap -= last) {
                if (o->cap - o->len < last)
                    return ERR_TOOBIG;
                memmove(o->out + o->len, o->out + o->len - last, last);
                o->len += last;
            }
            star = false;
        } else if (want != o->len) {
            return fail(res, l.no, "an offset beyond the bytes before it (a line missing?)");
        }
        const char *h = l.s + end + (f == CAPTURE_XXD);
        size_t hl = l.len - end - (f == CAPTURE_XXD);
        const char *cut = NULL;
        if (f == CAPTURE_XXD) {
            for (size_t i = 1; i + 1 < hl && !cut; i++)
                if (h[i] == ' ' && h[i + 1] == ' ')
                    cut = h + i; /* the ASCII gutter follows two blanks */
        } else {
            cut = memchr(h, f == CAPTURE_OD ? '>' : '|', hl);
        }
        if (cut)
            hl = (size_t)(cut - h);
        size_t before = o->len;
        int rc = hex_span(&l, h, hl, o, res);
        if (rc)
            return rc;
        if (o->len > before)
            last = o->len - before;
    }
    if (star)
        return fail(res, l.no, "the dump ends in '*' without the offset that closes it");
    return 0;
}

/* The format of a dump with an offset column, from its first line, or
 * CAPTURE_TEXT when the first line has none. */
static enum capture_format offset_format(const char *text, size_t n)
{
    struct line l = {0};
    size_t pos = 0;
    while (next_line(text, n, &pos, &l) && l.len == 0)
        ;
    if (l.len == 0 || l.indented)
        return CAPTURE_TEXT;
    size_t run = hex_run(l.s, l.len);
    if (run >= 4 && run < l.len && l.s[run] == ':')
        return CAPTURE_XXD;
    if (run < 6 || run > 8 || (run < l.len && !is_blank(l.s[run])))
        return CAPTURE_TEXT;
    size_t i = run;
    while (i < l.len && is_blank(l.s[i]))
        i++;
    if (i < l.len && hex_run(l.s + i, l.len - i) != 2)
        return CAPTURE_TEXT; /* plain hex in groups, not bytes after an offset */
    return run == 8 || memchr(l.s, '|', l.len) ? CAPTURE_HEXDUMP : CAPTURE_OD;
}

/* ---- source arrays, plain hex, base64 ---- */

static bool has_prefixed_values(const char *t, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if ((t[i] == '0' || t[i] == '\\') && (t[i + 1] == 'x' || t[i + 1] == 'X') &&
            hex_value((unsigned char)t[i + 2]) >= 0 &&
            (t[i] == '\\' || i == 0 || hex_value((unsigned char)t[i - 1]) < 0))
            return true;
    return false;
}

static int decode_array(const char *t, size_t n, struct sink *o, struct capture_text *res)
{
    size_t line = 1;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\n')
            line++;
        if (i + 2 >= n || (t[i] != '0' && t[i] != '\\') || (t[i + 1] != 'x' && t[i + 1] != 'X'))
            continue;
        if (t[i] == '0' && i > 0 && hex_value((unsigned char)t[i - 1]) >= 0)
            continue;
        size_t run = hex_run(t + i + 2, n - i - 2);
        if (run == 0)
            continue;
        if (run > 2)
            return fail(res, line, "a value wider than a byte");
        int v = hex_value((unsigned char)t[i + 2]);
        if (run == 2)
            v = v << 4 | hex_value((unsigned char)t[i + 3]);
        if (o->len >= o->cap)
            return ERR_TOOBIG;
        o->out[o->len++] = (uint8_t)v;
        i += 1 + run;
    }
    return 0;
}

static int decode_hex(const char *text, size_t n, struct sink *o, struct capture_text *res)
{
    struct line l = {0};
    size_t pos = 0;
    while (next_line(text, n, &pos, &l)) {
        if (l.len == 1 && l.s[0] == '*')
            return fail(res, l.no,
                        "a '*' line leaves out repeated lines, and without offsets their number "
                        "is unknown: dump again with od -v or hexdump -v");
        int rc = hex_span(&l, l.s, l.len, o, res);
        if (rc)
            return rc;
    }
    return 0;
}

/* Hex digits, separators and '*' lines only (plain hex, od -An). */
static bool only_hex_chars(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!(c == '\n' || c == '*' || is_separator(c) || hex_value(c) >= 0))
            return false;
    }
    return true;
}

/* Lines of the base64 alphabet with no blanks inside them: prose is made
 * of the same letters, but with spaces. */
static bool looks_base64(const char *text, size_t n)
{
    struct line l = {0};
    size_t pos = 0, chars = 0;
    while (next_line(text, n, &pos, &l)) {
        for (size_t i = 0; i < l.len; i++) {
            unsigned char c = (unsigned char)l.s[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '/' || c == '='))
                return false;
        }
        chars += l.len;
    }
    return chars >= 4;
}

static int decode_base64(const char *t, size_t n, struct sink *o, struct capture_text *res)
{
    /* EVP_DecodeUpdate writes at most 3 bytes per 4 it reads. */
    if (n > INT_MAX / 2 || o->cap < n)
        return ERR_TOOBIG;
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    if (!ctx)
        return ERR_NOMEM;
    int a = 0, b = 0, rc = 0;
    EVP_DecodeInit(ctx);
    if (EVP_DecodeUpdate(ctx, o->out, &a, (const unsigned char *)t, (int)n) < 0 ||
        EVP_DecodeFinal(ctx, o->out + a, &b) < 0)
        rc = fail(res, 0, "base64 that does not decode (a character out of place, or cut short)");
    else
        o->len = (size_t)a + (size_t)b;
    EVP_ENCODE_CTX_free(ctx);
    return rc;
}

/* ---- entry ---- */

static bool is_text(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || (b[i] >= 0x20 && b[i] < 0x7F)))
            return false;
    return n > 0;
}

int capture_text_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                        struct capture_text *res)
{
    memset(res, 0, sizeof *res);
    struct sink o = {out, cap, 0};
    const char *t = (const char *)in;
    int rc;
    if (!is_text(in, n)) {
        res->format = CAPTURE_BINARY;
        if (n > cap)
            return ERR_TOOBIG;
        if (n)
            memcpy(out, in, n);
        res->len = n;
        return 0;
    }
    res->format = offset_format(t, n);
    if (res->format == CAPTURE_OD) {
        /* od's offsets are octal unless -A said otherwise. */
        static const unsigned bases[] = {8, 16, 10};
        struct capture_text first = *res;
        rc = ERR_PROTOCOL;
        for (size_t i = 0; i < 3 && rc == ERR_PROTOCOL; i++)
            rc = decode_offsets(t, n, CAPTURE_OD, bases[i], &o, i ? res : &first);
        if (rc == ERR_PROTOCOL)
            *res = first;
    } else if (res->format != CAPTURE_TEXT) {
        rc = decode_offsets(t, n, res->format, 16, &o, res);
    } else if (has_prefixed_values(t, n)) {
        res->format = CAPTURE_ARRAY;
        rc = decode_array(t, n, &o, res);
    } else if (only_hex_chars(t, n)) {
        res->format = CAPTURE_HEX;
        rc = decode_hex(t, n, &o, res);
    } else if (looks_base64(t, n)) {
        res->format = CAPTURE_BASE64;
        rc = decode_base64(t, n, &o, res);
    } else {
        rc = fail(res, 0, "text that is neither a hex dump, a source array nor base64");
    }
    res->len = rc ? 0 : o.len;
    if (rc == 0) {
        res->line = 0; /* an od base tried and dropped */
        res->problem = NULL;
    }
    return rc;
}

const char *capture_text_format_name(enum capture_format f)
{
    switch (f) {
    case CAPTURE_BINARY:
        return "binary";
    case CAPTURE_HEX:
        return "hex";
    case CAPTURE_XXD:
        return "xxd";
    case CAPTURE_HEXDUMP:
        return "hexdump -C";
    case CAPTURE_OD:
        return "od";
    case CAPTURE_ARRAY:
        return "array";
    case CAPTURE_BASE64:
        return "base64";
    case CAPTURE_TEXT:
        break;
    }
    return "text";
}
