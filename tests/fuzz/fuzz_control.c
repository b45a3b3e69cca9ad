/* fuzz_control.c - the control socket's parser (its lines and its verbs)
 * meets arbitrary bytes, in pieces of any size.
 *
 * The first byte picks the size of the pieces the stream arrives in; the
 * rest is the stream. What control_lines_feed reports is checked against
 * a model of the rule, split on '\n' at once: a line of more than
 * CONTROL_LINE_MAX - 1 bytes is one "too long" and nothing of it runs, a
 * line with a NUL is one "bad byte", an empty one nothing. Each line is
 * parsed as control_verbs_run parses it: a test-only verb never passes
 * outside demo mode, and the arguments lie inside the line.
 */
#include "control.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct event {
    enum control_line_kind kind;
    size_t len;
    const char *at; /* the model's line, in the input */
};

struct run {
    struct event *events;
    size_t n, next;
};

static void on_line(void *user, enum control_line_kind kind, const char *line)
{
    struct run *r = user;
    if (r->next >= r->n)
        abort(); /* more events than the model */
    const struct event *e = &r->events[r->next++];
    if (e->kind != kind)
        abort();
    if (kind != CONTROL_LINE) {
        if (line)
            abort();
        return;
    }
    size_t len = strlen(line);
    if (len != e->len || len == 0 || len >= CONTROL_LINE_MAX || memcmp(line, e->at, len) != 0 ||
        memchr(line, '\n', len))
        abort();
    for (int demo = 0; demo < 2; demo++) {
        enum control_verb_kind verb;
        const char *args = NULL;
        enum control_parse_result pr = control_parse(line, demo, &verb, &args);
        if (pr != CONTROL_PARSE_OK)
            continue;
        if ((unsigned)verb >= CONTROL_VERB_COUNT || (control_verb_table[verb].test_only && !demo))
            abort();
        if (args[0] && (args < line || args > line + len))
            abort();
        size_t vlen = strlen(control_verb_table[verb].name);
        if (strncmp(line, control_verb_table[verb].name, vlen) != 0 ||
            (line[vlen] != '\0' && line[vlen] != ' '))
            abort();
    }
}

/* The model: every line of the input at once. */
static size_t model(const char *s, size_t n, struct event *ev)
{
    size_t count = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        bool end = i == n || s[i] == '\n';
        if (!end)
            continue;
        size_t raw = i - start;
        if (raw > CONTROL_LINE_MAX - 1) {
            ev[count++] = (struct event){CONTROL_LINE_TOO_LONG, 0, NULL};
        } else if (i < n) { /* a last line without '\n' is not complete yet */
            size_t len = raw && s[i - 1] == '\r' ? raw - 1 : raw;
            if (memchr(s + start, '\0', raw))
                ev[count++] = (struct event){CONTROL_LINE_BAD_BYTE, 0, NULL};
            else if (len)
                ev[count++] = (struct event){CONTROL_LINE, len, s + start};
        }
        start = i + 1;
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t piece = (size_t)data[0] * 7 + 1;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    struct run r = {calloc(n + 1, sizeof *r.events), 0, 0};
    if (!r.events)
        return 0;
    r.n = model(s, n, r.events);
    static struct control_lines l;
    control_lines_init(&l);
    for (size_t at = 0; at < n; at += piece)
        control_lines_feed(&l, s + at, at + piece > n ? n - at : piece, on_line, &r);
    if (r.next != r.n)
        abort(); /* fewer events than the model */
    free(r.events);
    return 0;
}
