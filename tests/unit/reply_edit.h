/* reply_edit.h - for tests that damage a good registry reply one piece at
 * a time: a copy of the text with one piece replaced.
 */
#ifndef TESTS_REPLY_EDIT_H
#define TESTS_REPLY_EDIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* body with the first occurrence of from replaced by to, malloc'd; NULL
 * when from is not in body (a test's mistake, which its check then
 * shows) or on allocation failure. */
static inline char *reply_edit(const char *body, const char *from, const char *to)
{
    const char *at = strstr(body, from);
    if (!at)
        return NULL;
    size_t n = strlen(body) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    if (!out)
        return NULL;
    size_t head = (size_t)(at - body);
    snprintf(out, n, "%.*s%s%s", (int)head, body, to, at + strlen(from));
    return out;
}

#endif
