/* test_base.c - buf limits, queue order and close, masking, GB 11643,
 * where an installed program finds its data files. */
#include "base/buf.h"
#include "base/clock.h"
#include "base/datafile.h"
#include "base/err.h"
#include "base/filemap.h"
#include "base/queue.h"
#include "base/util.h"
#include "check.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_buf(void)
{
    struct buf b;
    buf_init(&b, 10);
    CHECK_EQ_INT(buf_append(&b, "12345", 5), 0);
    CHECK_EQ_INT(buf_append(&b, "123456", 6), ERR_TOOBIG);
    CHECK_EQ_INT(b.len, 5);
    CHECK_EQ_INT(buf_printf(&b, "%d", 12345), 0);
    CHECK_EQ_INT(buf_terminate(&b), 0);
    CHECK_EQ_STR((char *)b.data, "1234512345");
    buf_consume(&b, 3);
    CHECK_EQ_INT(b.len, 7);
    CHECK(memcmp(b.data, "4512345", 7) == 0);
    buf_reset(&b);
    CHECK_EQ_INT(b.len, 0);
    buf_fini(&b);
    CHECK(b.data == NULL);

    struct buf big;
    buf_init(&big, 100000);
    for (int i = 0; i < 1000; i++)
        CHECK_EQ_INT(buf_printf(&big, "%099d", i), 0);
    CHECK_EQ_INT(big.len, 99000);
    CHECK_EQ_INT(buf_printf(&big, "%01000d", 1), 0);
    CHECK_EQ_INT(buf_printf(&big, "%01000d", 1), ERR_TOOBIG);
    buf_fini(&big);
}

static void *producer(void *arg)
{
    struct queue *q = arg;
    for (int i = 0; i < 1000; i++)
        while (queue_push(q, &i, NULL) == ERR_FULL)
            ;
    return NULL;
}

static void test_queue(void)
{
    struct queue *q = queue_create(sizeof(int), 4);
    int v;
    bool was_empty = false;
    CHECK_EQ_INT(queue_pop(q, &v, 0), ERR_EMPTY);
    CHECK_EQ_INT(queue_pop(q, &v, 20), ERR_TIMEOUT);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(queue_push(q, &i, &was_empty), 0);
        CHECK(was_empty == (i == 0));
    }
    CHECK_EQ_INT(queue_push(q, &v, NULL), ERR_FULL);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(queue_pop(q, &v, 0), 0);
        CHECK_EQ_INT(v, i);
    }
    pthread_t t;
    pthread_create(&t, NULL, producer, q);
    int expect = 0, in_order = 1;
    while (expect < 1000) {
        CHECK_EQ_INT(queue_pop(q, &v, -1), 0);
        in_order &= v == expect++;
    }
    CHECK(in_order);
    pthread_join(t, NULL);
    queue_close(q);
    CHECK_EQ_INT(queue_push(q, &v, NULL), ERR_CLOSED);
    CHECK_EQ_INT(queue_pop(q, &v, -1), ERR_CLOSED);
    queue_destroy(q);
}

static void test_strings(void)
{
    char out[64];
    mask_name("张三丰", out, sizeof out);
    CHECK_EQ_STR(out, "张**");
    mask_name("李", out, sizeof out);
    CHECK_EQ_STR(out, "李");
    mask_name("", out, sizeof out);
    CHECK_EQ_STR(out, "");
    mask_id("41080219900307123X", out, sizeof out);
    CHECK_EQ_STR(out, "4108**********123X");
    mask_id("123", out, sizeof out);
    CHECK_EQ_STR(out, "***");

    /* str_copy never splits a UTF-8 character. */
    CHECK(!str_copy(out, 5, "张三"));
    CHECK_EQ_STR(out, "张");
    CHECK(str_copy(out, 7, "张三"));
    CHECK_EQ_INT(utf8_len("焦作市abc"), 6);

    /* GB 11643: published examples and a flipped digit. */
    CHECK(idnum_is_valid("11010519491231002X"));
    CHECK(idnum_is_valid("440524188001010014"));
    CHECK(!idnum_is_valid("440524188001010015"));
    CHECK(!idnum_is_valid("4405241880010100"));
    CHECK(!idnum_is_valid("44052418800101001A"));
    CHECK_EQ_INT(idnum_check_char("11010519491231002"), 'X');

    /* What the audit trail refuses: 17 digits in a row, check character or not. */
    CHECK(text_has_idnum("card 11010519491231002X read"));
    CHECK(text_has_idnum("44052418800101001"));
    CHECK(!text_has_idnum("4405241880010100"));
    CHECK(!text_has_idnum("4108**********1234"));
    CHECK(!text_has_idnum("job 12345678 1234567890"));
    CHECK(!text_has_idnum("") && !text_has_idnum(NULL));
    CHECK(audit_action_is_known("enter") && audit_action_is_known("restart"));
    CHECK(!audit_action_is_known("Enter") && !audit_action_is_known("") &&
          !audit_action_is_known(NULL));
}

static void test_numbers(void)
{
    static const struct {
        int64_t fen;
        const char *want;
    } yuan[] = {
        {0, "0.00"},
        {5, "0.05"},
        {100, "1.00"},
        {123456, "1,234.56"},
        {48000000, "480,000.00"},
        {100000000000, "1,000,000,000.00"},
        {-250, "-2.50"},
    };
    for (size_t i = 0; i < sizeof yuan / sizeof yuan[0]; i++) {
        char out[32];
        fmt_fen(yuan[i].fen, out, sizeof out);
        CHECK_EQ_STR(out, yuan[i].want);
    }
    char t[FMT_THOUSANDS_MAX];
    CHECK_EQ_STR(fmt_thousands(0, t), "0");
    CHECK_EQ_STR(fmt_thousands(999, t), "999");
    CHECK_EQ_STR(fmt_thousands(1280, t), "1,280");
    CHECK_EQ_STR(fmt_thousands(UINT64_MAX, t), "18,446,744,073,709,551,615");
    CHECK_EQ_INT(hex_value('0'), 0);
    CHECK_EQ_INT(hex_value('F'), 15);
    CHECK_EQ_INT(hex_value('g'), -1);
}

static void test_clock(void)
{
    int64_t a = clock_mono_ms(), w = clock_wall_s();
    clock_advance_ms(60000);
    CHECK(clock_mono_ms() - a >= 60000);
    CHECK(clock_wall_s() - w >= 60);
    char iso[32];
    clock_format_iso(0, iso, sizeof iso);
    CHECK_EQ_STR(iso, "1970-01-01T08:00:00+08:00");
    struct clock_cst c;
    clock_to_cst(1763775720, &c); /* 2025-11-22 09:42:00 CST, a Saturday */
    CHECK_EQ_INT(c.hour, 9);
    CHECK_EQ_INT(c.weekday, 6);
    /* ISO times back to epoch seconds, whatever their offset. */
    int64_t t = -1;
    CHECK(clock_parse_iso("2025-11-22T09:42:00+08:00", &t) == 0 && t == 1763775720);
    CHECK(clock_parse_iso("2025-11-22T01:42:00Z", &t) == 0 && t == 1763775720);
    CHECK(clock_parse_iso("2025-11-21T20:12:00.250-0530", &t) == 0 && t == 1763775720);
    CHECK(clock_parse_iso("1970-01-01T00:00:00Z", &t) == 0 && t == 0);
    CHECK(clock_parse_iso("2024-02-29T12:00:00Z", &t) == 0 && t == 1709208000);
    clock_format_iso(1763775720, iso, sizeof iso);
    CHECK(clock_parse_iso(iso, &t) == 0 && t == 1763775720);
    t = 7;
    static const char *const bad[] = {"",
                                      "2025-11-22",
                                      "2025-11-22T09:42:00",
                                      "2025-13-01T00:00:00Z",
                                      "2025-11-22T24:00:00Z",
                                      "2025-11-22T09:42:00+8",
                                      "x",
                                      "2025-11-22T09:42:00Zjunk",
                                      "2025-11-22T09:42:00.Z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(clock_parse_iso(bad[i], &t) == -1);
    CHECK(clock_parse_iso(NULL, &t) == -1 && t == 7);
}

/* What the copy of this program prints for `--datafile REL`. */
static void datafile_answer(const char *dir, const char *env, const char *rel, char *out,
                            size_t size)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s/bin/test_base --datafile %s", env, dir, rel);
    out[0] = '\0';
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    if (!p)
        return;
    if (!fgets(out, (int)size, p))
        out[0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    pclose(p);
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(fwrite(data, 1, len, f) == len);
    fclose(f);
    chmod(path, mode);
}

/* An installed program finds its data beside its bin folder: a copy of
 * this program in T/bin, with T/share/bdc-registry/assets/ holding one
 * file, is asked where that file and another are. */
static void test_datafile(void)
{
    char here[512];
    if (!getenv("BDC_KIOSK_ASSETS")) /* a build tree has no share folder */
        CHECK_EQ_STR(datafile_path(here, sizeof here, "registry/services.ini", "FALLBACK"),
                     "FALLBACK");

    char dir[] = "/tmp/datafile-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[512];
    snprintf(path, sizeof path, "%s/bin", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/share", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/share/bdc-registry", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/share/bdc-registry/assets", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/share/bdc-registry/assets/registry", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/share/bdc-registry/assets/registry/services.ini", dir);
    write_file(path, "[A]\n", 4, 0644);

    FILE *self = fopen("/proc/self/exe", "rb");
    CHECK(self != NULL);
    struct buf exe;
    buf_init(&exe, 64u << 20);
    char chunk[65536];
    size_t n;
    while (self && (n = fread(chunk, 1, sizeof chunk, self)) > 0)
        CHECK_EQ_INT(buf_append(&exe, chunk, n), 0);
    if (self)
        fclose(self);
    snprintf(path, sizeof path, "%s/bin/test_base", dir);
    write_file(path, exe.data, exe.len, 0755);
    buf_fini(&exe);

    char got[512], want[512];
    datafile_answer(dir, "env -u BDC_KIOSK_ASSETS", "registry/services.ini", got, sizeof got);
    snprintf(want, sizeof want, "%s/bin/../share/bdc-registry/assets/registry/services.ini", dir);
    CHECK_EQ_STR(got, want);
    datafile_answer(dir, "env -u BDC_KIOSK_ASSETS", "registry/calendar.ini", got, sizeof got);
    CHECK_EQ_STR(got, "FALLBACK"); /* not installed: the compiled-in path */
    datafile_answer(dir, "BDC_KIOSK_ASSETS=/srv/a", "registry/services.ini", got, sizeof got);
    CHECK_EQ_STR(got, "/srv/a/registry/services.ini"); /* the environment first */

    char rm[600];
    snprintf(rm, sizeof rm, "rm -rf %s", dir);
    CHECK_EQ_INT(system(rm), 0);
}

/* Resident pages of this process (statm's second field), in pages. */
static long resident_pages(void)
{
    long size = 0, res = -1;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &res) != 2)
            res = -1;
        fclose(f);
    }
    return res;
}

/* wipe_release: every byte zero after, and the pages no longer resident
 * (a camera frame wiped at a visit's end stops costing memory). */
static void test_wipe_release(void)
{
    size_t n = 8u << 20;
    unsigned char *p = malloc(n + 5);
    CHECK(p != NULL);
    if (!p)
        return;
    memset(p, 0xA5, n + 5);
    long before = resident_pages();
    wipe_release(p + 3, n); /* not page aligned: the ends are overwritten */
    long after = resident_pages();
    long page = sysconf(_SC_PAGESIZE);
    CHECK(p[2] == 0xA5 && p[n + 3] == 0xA5);
    bool zero = true;
    for (size_t i = 3; i < n + 3; i++)
        zero = zero && p[i] == 0;
    CHECK(zero);
    /* The kernel's resident counters are kept per CPU and summed lazily:
     * half the buffer is proof enough (without the release nothing goes). */
    CHECK(before - after >= (long)(n / (size_t)page) / 2);
    wipe_release(NULL, 10); /* nothing to do */
    free(p);
}

/* wipe_release over a buffer a small frame used the start of: the pages
 * never written are not written now (zeroing them first made the whole
 * buffer resident at the moment it was handed back: 3.7 MB of integral
 * image for a level of 0.2 MB). Counted in page faults, in pages of 4 kB
 * (no huge pages for this mapping). */
static void test_wipe_release_untouched(void)
{
    size_t n = 32u << 20, used = 1u << 20;
    unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    if (p == MAP_FAILED)
        return;
    (void)madvise(p, n, MADV_NOHUGEPAGE);
    memset(p, 0x5A, used);
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    wipe_release(p + 1, n - 2);
    getrusage(RUSAGE_SELF, &r1);
    long faults = r1.ru_minflt - r0.ru_minflt;
    long pages = (long)(n / (size_t)sysconf(_SC_PAGESIZE));
    CHECK(faults < pages / 8);
    bool zero = true;
    for (size_t i = 1; i < used; i++)
        zero = zero && p[i] == 0;
    CHECK(zero && p[0] == 0x5A);
    munmap(p, n);
}

/* Resident file pages of this process (RssFile and RssShmem in status:
 * /tmp may be a tmpfs), in kB. */
static long rss_file_kb(void)
{
    long v = 0;
    char line[128];
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "RssFile:", 8) == 0 || strncmp(line, "RssShmem:", 9) == 0)
            v += atol(strchr(line, ':') + 1);
    if (f)
        fclose(f);
    return v;
}

/* filemap: one mapping per file whoever opens it, kept until the last
 * close; filemap_release drops the pages read from the process's resident
 * memory and the content reads the same after. */
static void test_filemap(void)
{
    char path[] = "/tmp/test_base_filemap.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    size_t n = 8u << 20;
    unsigned char *buf = malloc(n);
    CHECK(buf != NULL);
    for (size_t i = 0; buf && i < n; i++)
        buf[i] = (unsigned char)(i * 7 + i / 4096);
    CHECK(buf && write(fd, buf, n) == (ssize_t)n);
    CHECK_EQ_INT(fsync(fd), 0); /* clean pages in the page cache, as a font file's */
    close(fd);
    const void *a = NULL, *b = NULL;
    size_t la = 0, lb = 0;
    CHECK_EQ_INT(filemap_open(path, &a, &la), 0);
    CHECK_EQ_INT(filemap_open(path, &b, &lb), 0);
    CHECK(a == b && la == n && lb == n);
    CHECK_EQ_INT(filemap_count(), 1);
    const void *none = NULL;
    size_t ln = 0;
    CHECK(filemap_open("/nonexistent/font.ttc", &none, &ln) < 0 && none == NULL);
    long base = rss_file_kb();
    const volatile unsigned char *mapped = a;
    for (size_t i = 0; i < n; i += 4096)
        (void)mapped[i];
    long read_kb = rss_file_kb();
    filemap_release();
    long released_kb = rss_file_kb();
    /* Lazily summed counters (see test_wipe_release): half is proof. */
    CHECK(read_kb - base >= (long)(n >> 10) / 2);
    CHECK(read_kb - released_kb >= (long)(n >> 10) / 2);
    CHECK(buf && memcmp(a, buf, n) == 0); /* read back from the page cache */
    filemap_close(a);
    CHECK_EQ_INT(filemap_count(), 1);
    filemap_close(b);
    CHECK_EQ_INT(filemap_count(), 0);
    filemap_close(NULL);
    free(buf);
    unlink(path);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--datafile") == 0) {
        char buf[512];
        puts(datafile_path(buf, sizeof buf, argv[2], "FALLBACK"));
        return 0;
    }
    test_datafile();
    test_buf();
    test_queue();
    test_strings();
    test_numbers();
    test_clock();
    test_wipe_release();
    test_wipe_release_untouched();
    test_filemap();
    CHECK_EQ_STR(err_name(ERR_CHECKSUM), "checksum");
    CHECK_EQ_STR(err_name(ERR_CORRUPT), "corrupt"); /* the last one has its row */
    CHECK_EQ_STR(err_str(ERR_CORRUPT), "stored data damaged");
    CHECK_EQ_STR(err_str(-999), "unknown error");
    return check_report("test_base");
}
