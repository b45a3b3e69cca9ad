/* cascade_xml.c - the small XML reader under the cascade loader; see
 * cascade_internal.h.
 *
 * An in-memory tree builder for the subset the cascade files use
 * (elements, text, comments, declarations; attributes skipped). The file
 * is outside input: depth and node count are capped and every number is
 * read by a bounded, locale-free parser, so a hostile file gives
 * ERR_INVALID, never a wild read.
 */
#include "cascade_internal.h"

#include "base/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define XML_MAX_DEPTH 64
#define XML_MAX_NODES (4u << 20)

static int xdoc_add(struct xdoc *d)
{
    if ((unsigned)d->count >= XML_MAX_NODES)
        return ERR_TOOBIG;
    if (d->count == d->cap) {
        int cap = d->cap ? d->cap * 2 : 1024;
        struct xnode *n = realloc(d->n, (size_t)cap * sizeof *n);
        if (!n)
            return ERR_NOMEM;
        d->n = n;
        d->cap = cap;
    }
    struct xnode *x = &d->n[d->count];
    memset(x, 0, sizeof *x);
    x->child = x->last = x->next = -1;
    return d->count++;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_name_end(char c)
{
    return is_space(c) || c == '/' || c == '>';
}

/* Finds needle in [p, end); returns its position or NULL. */
static const char *find(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; p + n <= end; p++)
        if (memcmp(p, needle, n) == 0)
            return p;
    return NULL;
}

int xml_parse(const char *s, size_t len, struct xdoc *d)
{
    const char *p = s, *end = s + len;
    int stack[XML_MAX_DEPTH];
    int depth = 0, root = -1;
    while (p < end) {
        if (*p != '<') {
            const char *t = p;
            while (p < end && *p != '<')
                p++;
            if (depth > 0) {
                struct xnode *x = &d->n[stack[depth - 1]];
                if (x->child < 0 && !x->text) {
                    x->text = t;
                    x->text_len = (size_t)(p - t);
                }
            } else {
                for (const char *q = t; q < p; q++)
                    if (!is_space(*q))
                        return ERR_INVALID; /* text outside the root */
            }
            continue;
        }
        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *q = find(p + 4, end, "-->");
            if (!q)
                return ERR_INVALID;
            p = q + 3;
            continue;
        }
        if (end - p >= 2 && (p[1] == '?' || p[1] == '!')) {
            const char *q = find(p + 2, end, p[1] == '?' ? "?>" : ">");
            if (!q)
                return ERR_INVALID;
            p = q + (p[1] == '?' ? 2 : 1);
            continue;
        }
        bool closing = end - p >= 2 && p[1] == '/';
        const char *name = p + (closing ? 2 : 1);
        const char *q = name;
        while (q < end && !is_name_end(*q))
            q++;
        size_t name_len = (size_t)(q - name);
        if (q >= end || name_len == 0)
            return ERR_INVALID;
        /* Skip attributes to the '>', honouring quotes. */
        char quote = 0;
        const char *gt = q;
        for (; gt < end; gt++) {
            if (quote) {
                if (*gt == quote)
                    quote = 0;
            } else if (*gt == '"' || *gt == '\'') {
                quote = *gt;
            } else if (*gt == '>') {
                break;
            }
        }
        if (gt >= end)
            return ERR_INVALID;
        bool self_closing = !closing && gt[-1] == '/';
        p = gt + 1;
        if (closing) {
            if (depth == 0)
                return ERR_INVALID;
            struct xnode *x = &d->n[stack[depth - 1]];
            if (x->name_len != name_len || memcmp(x->name, name, name_len) != 0)
                return ERR_INVALID;
            depth--;
            continue;
        }
        if (depth == 0 && root >= 0)
            return ERR_INVALID; /* a second root */
        int id = xdoc_add(d);
        if (id < 0)
            return id;
        d->n[id].name = name;
        d->n[id].name_len = name_len;
        if (depth > 0) {
            struct xnode *parent = &d->n[stack[depth - 1]];
            if (parent->last >= 0)
                d->n[parent->last].next = id;
            else
                parent->child = id;
            parent->last = id;
        } else {
            root = id;
        }
        if (!self_closing) {
            if (depth == XML_MAX_DEPTH)
                return ERR_TOOBIG;
            stack[depth++] = id;
        }
    }
    return depth == 0 && root == 0 ? ERR_OK : ERR_INVALID;
}

bool xml_name_is(const struct xnode *x, const char *name)
{
    size_t n = strlen(name);
    return x->name_len == n && memcmp(x->name, name, n) == 0;
}

int xml_child(const struct xdoc *d, int id, const char *name)
{
    if (id < 0)
        return -1;
    for (int c = d->n[id].child; c >= 0; c = d->n[c].next)
        if (xml_name_is(&d->n[c], name))
            return c;
    return -1;
}

int xml_count_children(const struct xdoc *d, int id)
{
    int n = 0;
    for (int c = d->n[id].child; c >= 0; c = d->n[c].next)
        n++;
    return n;
}

/* Reads up to max numbers from [*p, end); a locale-free strtod for the
 * forms the files use ("-5.04e+00", "-1.", "3", ".5", "1e+000"). */
static int parse_numbers(const char *p, size_t len, double *out, int max)
{
    const char *end = p + len;
    int n = 0;
    for (;;) {
        while (p < end && is_space(*p))
            p++;
        if (p == end)
            return n;
        if (n == max)
            return ERR_INVALID;
        bool neg = false;
        if (*p == '-' || *p == '+')
            neg = *p++ == '-';
        uint64_t mant = 0;
        int exp10 = 0, digits = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
            if (mant < 100000000000000000ull)
                mant = mant * 10 + (uint64_t)(*p - '0');
            else
                exp10++;
        }
        if (p < end && *p == '.') {
            for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
                if (mant < 100000000000000000ull) {
                    mant = mant * 10 + (uint64_t)(*p - '0');
                    exp10--;
                }
            }
        }
        if (digits == 0)
            return ERR_INVALID;
        if (p < end && (*p == 'e' || *p == 'E')) {
            p++;
            bool eneg = false;
            if (p < end && (*p == '-' || *p == '+'))
                eneg = *p++ == '-';
            int e = 0, ed = 0;
            for (; p < end && *p >= '0' && *p <= '9'; p++, ed++)
                if (e < 10000)
                    e = e * 10 + (*p - '0');
            if (ed == 0)
                return ERR_INVALID;
            exp10 += eneg ? -e : e;
        }
        if (p < end && !is_space(*p))
            return ERR_INVALID;
        if (exp10 < -400 || exp10 > 400)
            return ERR_INVALID;
        double v = (double)mant * pow(10.0, exp10);
        if (!isfinite(v))
            return ERR_INVALID;
        out[n++] = neg ? -v : v;
    }
}

int xml_numbers(const struct xdoc *d, int id, double *out, int max)
{
    if (id < 0)
        return ERR_INVALID;
    const struct xnode *x = &d->n[id];
    if (!x->text)
        return 0;
    return parse_numbers(x->text, x->text_len, out, max);
}

int xml_int(const struct xdoc *d, int id, int lo, int hi, int *out)
{
    double v;
    if (xml_numbers(d, id, &v, 1) != 1 || v != floor(v) || v < lo || v > hi)
        return ERR_INVALID;
    *out = (int)v;
    return ERR_OK;
}

bool xml_text_is(const struct xdoc *d, int id, const char *word)
{
    if (id < 0)
        return false;
    const struct xnode *x = &d->n[id];
    const char *t = x->text, *e = x->text ? x->text + x->text_len : NULL;
    if (!t)
        return false;
    while (t < e && is_space(*t))
        t++;
    while (e > t && is_space(e[-1]))
        e--;
    size_t n = strlen(word);
    return (size_t)(e - t) == n && memcmp(t, word, n) == 0;
}
