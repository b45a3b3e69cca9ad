/* util.c - string helpers; see util.h. */
#include "util.h"

#include "err.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/types.h>
#include <unistd.h>

size_t utf8_seq_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

bool str_copy(char *dst, size_t size, const char *src)
{
    if (!size)
        return false;
    size_t n = 0;
    while (src[n]) {
        size_t k = utf8_seq_len(src + n);
        if (n + k >= size) {
            dst[n] = '\0';
            return false;
        }
        memcpy(dst + n, src + n, k);
        n += k;
    }
    dst[n] = '\0';
    return true;
}

size_t utf8_len(const char *s)
{
    size_t n = 0;
    while (*s) {
        s += utf8_seq_len(s);
        n++;
    }
    return n;
}

void mask_name(const char *name, char *out, size_t size)
{
    if (!size)
        return;
    out[0] = '\0';
    if (!name[0])
        return;
    size_t first = utf8_seq_len(name);
    if (first >= size)
        return;
    memcpy(out, name, first);
    size_t o = first;
    for (const char *p = name + first; *p; p += utf8_seq_len(p)) {
        if (o + 1 >= size)
            break;
        out[o++] = '*';
    }
    out[o] = '\0';
}

void mask_id(const char *id, char *out, size_t size)
{
    if (!size)
        return;
    size_t len = strlen(id), o = 0;
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        bool keep = len >= 12 && (i < 4 || i >= len - 4);
        out[o++] = keep ? id[i] : '*';
    }
    out[o] = '\0';
}

char idnum_check_char(const char *id17)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char code[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (id17[i] < '0' || id17[i] > '9')
            return 0;
        sum += (id17[i] - '0') * weight[i];
    }
    return code[sum % 11];
}

bool idnum_is_valid(const char *id)
{
    if (strlen(id) != 18)
        return false;
    char c = idnum_check_char(id);
    return c && (id[17] == c || (c == 'X' && id[17] == 'x'));
}

int random_hex32(char *out, size_t size)
{
    uint8_t r[16];
    if (size < 2 * sizeof r + 1)
        return ERR_INVALID;
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ERR_IO;
        got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof r; i++) {
        out[2 * i] = hex[r[i] >> 4];
        out[2 * i + 1] = hex[r[i] & 15];
    }
    out[2 * sizeof r] = '\0';
    explicit_bzero(r, sizeof r);
    return 0;
}

bool phone_is_mobile(const char *s)
{
    if (!s || strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
        return false;
    for (int i = 2; i < 11; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool text_has_idnum(const char *s)
{
    size_t run = 0;
    for (; s && *s; s++) {
        run = *s >= '0' && *s <= '9' ? run + 1 : 0;
        if (run >= 17)
            return true;
    }
    return false;
}

bool audit_action_is_known(const char *action)
{
    static const char *const actions[] = {
        "enter",          "enter_refused", "exit",          "test_slip",      "test_page",
        "paper_refilled", "job_retried",   "job_cancelled", "out_of_service", "in_service",
        "settings",       "restart",       "test_camera",
    };
    for (size_t i = 0; action && i < ARRAY_LEN(actions); i++)
        if (strcmp(action, actions[i]) == 0)
            return true;
    return false;
}

bool exe_dir(char *out, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return str_copy(out, size, exe);
}

const char *fmt_thousands(uint64_t v, char out[FMT_THOUSANDS_MAX])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

void fmt_fen(int64_t fen, char *out, size_t size)
{
    bool neg = fen < 0;
    uint64_t v = neg ? (uint64_t)(-(fen + 1)) + 1 : (uint64_t)fen;
    char yuan[FMT_THOUSANDS_MAX];
    snprintf(out, size, "%s%s.%02u", neg ? "-" : "", fmt_thousands(v / 100, yuan),
             (unsigned)(v % 100));
}

int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void wipe_release(void *p, size_t n)
{
    if (!p || !n)
        return;
    long ps = sysconf(_SC_PAGESIZE);
    uintptr_t pg = ps > 0 ? (uintptr_t)ps : 4096;
    uintptr_t a = ((uintptr_t)p + pg - 1) & ~(pg - 1), e = ((uintptr_t)p + n) & ~(pg - 1);
    if (e <= a) {
        explicit_bzero(p, n);
        return;
    }
    /* The partial pages at either end are shared with other blocks:
     * their bytes of ours are overwritten. Whole pages are overwritten
     * only where they are resident: a page never written holds nothing,
     * and writing zeros to it would first make it resident (a 3.7 MB
     * buffer of which a frame used a tenth would cost its whole size at
     * the very moment it is handed back). */
    explicit_bzero(p, a - (uintptr_t)p);
    explicit_bzero((void *)e, (uintptr_t)p + n - e);
    unsigned char vec[256];
    for (uintptr_t c = a; c < e; c += sizeof vec * pg) {
        uintptr_t len = e - c < sizeof vec * pg ? e - c : sizeof vec * pg;
        size_t pages = len / pg;
        if (mincore((void *)c, len, vec) != 0) {
            explicit_bzero((void *)c, len); /* cannot tell: overwrite it all */
            continue;
        }
        for (size_t i = 0; i < pages; i++)
            if (vec[i] & 1)
                explicit_bzero((void *)(c + i * pg), pg);
    }
    (void)madvise((void *)a, e - a, MADV_DONTNEED); /* only memory held: nothing to lose */
}
