/* i18n.c - the string tables: both languages hold exactly the same keys,
 * every key the C sources ask for exists, placeholders and markup agree
 * between languages, no line is long enough to be cut by inih, and
 * i18n_subst fills, reorders and truncates safely. */
#include "core/i18n.h"

#include "tests/unit/check.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int missing;
static int scanned_files, scanned_keys; /* the scan must find something to pass */

static void need(const char *key)
{
    for (int l = 0; l < I18N_LANG_COUNT; l++) {
        if (!i18n_has((enum i18n_lang)l, key)) {
            fprintf(stderr, "missing %s in %s\n", key, l == I18N_ZH ? "zh-CN" : "en");
            missing++;
        }
    }
}

/* Finds tr("key") in one source file. */
static void scan_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (char *p = buf; (p = strstr(p, "tr(\"")) != NULL; p += 4) {
        if (p > buf && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z')))
            continue; /* str(", ptr(" and friends */
        char *end = strchr(p + 4, '"');
        if (!end || end - (p + 4) >= 128)
            continue;
        char key[128];
        memcpy(key, p + 4, (size_t)(end - (p + 4)));
        key[end - (p + 4)] = '\0';
        need(key);
        scanned_keys++;
    }
    scanned_files++;
    free(buf);
}

static void scan_dir(const char *dir)
{
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d) {
        fprintf(stderr, "cannot scan %s\n", dir);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t l = strlen(e->d_name);
        if (e->d_type == DT_DIR)
            scan_dir(path);
        else if (l > 2 && strcmp(e->d_name + l - 2, ".c") == 0)
            scan_file(path);
    }
    closedir(d);
}

static void placeholders(const char *s, int *mask, int *b, int *em)
{
    *mask = 0;
    *b = *em = 0;
    for (const char *p = s; *p; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '3' && p[2] == '}')
            *mask |= 1 << (p[1] - '1');
        if (strncmp(p, "<b>", 3) == 0)
            (*b)++;
        if (strncmp(p, "</b>", 4) == 0)
            (*b)--;
        if (strncmp(p, "<em>", 4) == 0)
            (*em)++;
        if (strncmp(p, "</em>", 5) == 0)
            (*em)--;
    }
}

static void line_lengths(const char *path)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[1024];
    int no = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        if (strlen(line) >= 199)
            fprintf(stderr, "%s:%d: line too long for inih\n", path, no);
        CHECK(strlen(line) < 199);
    }
    fclose(f);
}

/* Dates in each language: the weekday computed, never taken from the
 * registry's Chinese; no Chinese in an English date. */
static void dates(void)
{
    char out[96];
    int y, m, d;
    CHECK_EQ_INT(i18n_weekday(2025, 9, 18), 4); /* a Thursday */
    CHECK_EQ_INT(i18n_weekday(2026, 11, 23), 1);
    CHECK_EQ_INT(i18n_weekday(2024, 2, 29), 4);
    CHECK_EQ_INT(i18n_weekday(2000, 1, 1), 6);
    CHECK_EQ_INT(i18n_date_parse("2025-09-18 09:00–10:00", &y, &m, &d), 10);
    CHECK(y == 2025 && m == 9 && d == 18);
    CHECK_EQ_INT(i18n_date_parse("18/09/2025", &y, &m, &d), 0);
    CHECK_EQ_INT(i18n_date_parse("2025-13-01", &y, &m, &d), 0);
    CHECK_EQ_INT(i18n_date_parse("2025-09", &y, &m, &d), 0);
    CHECK_EQ_INT(i18n_date_parse(NULL, &y, &m, &d), 0);
    i18n_set_lang(I18N_ZH);
    CHECK_EQ_STR(i18n_date(out, sizeof out, 2025, 9, 18, I18N_DATE_DAY), "9月18日");
    CHECK_EQ_STR(i18n_date(out, sizeof out, 2025, 9, 18, I18N_DATE_WEEKDAY), "9月18日 周四");
    CHECK_EQ_STR(i18n_date(out, sizeof out, 2025, 9, 18, I18N_DATE_FULL), "2025年9月18日");
    CHECK_EQ_STR(i18n_when(out, sizeof out, "2025-09-18 09:00–10:00", I18N_DATE_WEEKDAY),
                 "9月18日 周四 09:00–10:00");
    CHECK_EQ_STR(i18n_when(out, sizeof out, "2025-09-16T09:43:00+08:00", I18N_DATE_FULL),
                 "2025年9月16日 09:43");
    i18n_set_lang(I18N_EN);
    CHECK_EQ_STR(i18n_date(out, sizeof out, 2025, 9, 18, I18N_DATE_DAY), "18 Sep");
    CHECK_EQ_STR(i18n_date(out, sizeof out, 2025, 9, 18, I18N_DATE_WEEKDAY), "Thu 18 Sep");
    CHECK_EQ_STR(i18n_date(out, sizeof out, 2026, 9, 14, I18N_DATE_FULL), "14 September 2026");
    CHECK_EQ_STR(i18n_when(out, sizeof out, "2025-09-18 09:00–10:00", I18N_DATE_WEEKDAY),
                 "Thu 18 Sep 09:00–10:00");
    CHECK_EQ_STR(i18n_when(out, sizeof out, "2025-09-16T09:43:00+08:00", I18N_DATE_FULL),
                 "16 September 2025 09:43");
    CHECK_EQ_STR(i18n_when(out, sizeof out, "明天上午", I18N_DATE_DAY), "明天上午"); /* as given */
    /* every month and weekday in English is ASCII */
    for (int mo = 1; mo <= 12; mo++)
        for (int f = I18N_DATE_DAY; f <= I18N_DATE_FULL; f++) {
            i18n_date(out, sizeof out, 2026, mo, 1 + mo, (enum i18n_date_form)f);
            for (const char *p = out; *p; p++)
                CHECK((unsigned char)*p < 0x80);
        }
    i18n_set_lang(I18N_ZH);
}

int main(void)
{
    CHECK_EQ_INT(i18n_load("assets/strings"), 0);
    /* same keys in both */
    size_t nz = i18n_count(I18N_ZH), ne = i18n_count(I18N_EN);
    CHECK(nz > 100);
    CHECK_EQ_INT(nz, ne);
    for (size_t i = 0; i < nz && i < ne; i++)
        CHECK_EQ_STR(i18n_key_at(I18N_ZH, i), i18n_key_at(I18N_EN, i));
    /* placeholders and markup agree */
    for (size_t i = 0; i < nz; i++) {
        const char *key = i18n_key_at(I18N_ZH, i);
        int mz, me, bz, be, ez, ee;
        placeholders(tr_lang(I18N_ZH, key), &mz, &bz, &ez);
        placeholders(tr_lang(I18N_EN, key), &me, &be, &ee);
        if (mz != me)
            fprintf(stderr, "placeholders differ: %s\n", key);
        CHECK_EQ_INT(mz, me);
        CHECK_EQ_INT(bz, 0);
        CHECK_EQ_INT(be, 0);
        CHECK_EQ_INT(ez, 0);
        CHECK_EQ_INT(ee, 0);
    }
    /* every literal key in the sources */
    scan_dir("app");
    CHECK(scanned_files >= 40);
    CHECK(scanned_keys >= 150);
    /* keys the sources build at run time */
    char key[64];
    for (int i = 0; i < 6; i++)
        snprintf(key, sizeof key, "purpose.%d", i), need(key);
    for (int i = 0; i <= 12; i++)
        snprintf(key, sizeof key, "face.g%d", i), need(key);
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof key, "enc.%d", i), need(key);
        snprintf(key, sizeof key, "enc.gloss_%d", i), need(key);
        snprintf(key, sizeof key, "detail.holder_%d", i), need(key);
    }
    for (int i = 0; i < 7; i++)
        snprintf(key, sizeof key, "week.%d", i), need(key);
    for (int i = 0; i < 7; i++)
        snprintf(key, sizeof key, "date.w%d", i), need(key);
    for (int i = 1; i <= 12; i++) {
        snprintf(key, sizeof key, "date.m%d", i), need(key);
        snprintf(key, sizeof key, "date.long%d", i), need(key);
    }
    for (int i = 1; i <= 5; i++)
        snprintf(key, sizeof key, "rating.%d", i), need(key);
    for (int i = 1; i <= 3; i++) {
        snprintf(key, sizeof key, "error.way%d", i), need(key);
        snprintf(key, sizeof key, "error.way%d_sub", i), need(key);
    }
    for (int i = 1; i <= 4; i++)
        snprintf(key, sizeof key, "help.step%d", i), need(key);
    static const char *const problems[] = {"generic", "down",           "bad",     "rejected",
                                           "nomatch", "faceoff",        "expired", "invalid",
                                           "print",   "expired_session"};
    for (size_t i = 0; i < sizeof problems / sizeof problems[0]; i++) {
        snprintf(key, sizeof key, "error.%s.title", problems[i]), need(key);
        snprintf(key, sizeof key, "error.%s.lead", problems[i]), need(key);
    }
    CHECK_EQ_INT(missing, 0);
    /* the scan itself finds keys (it can fail) */
    int before = missing;
    need("no.such.key");
    CHECK_EQ_INT(missing, before + 2);
    line_lengths("assets/strings/zh-CN.ini");
    line_lengths("assets/strings/en.ini");
    /* lookups */
    i18n_set_lang(I18N_ZH);
    CHECK_EQ_STR(tr("purpose.0"), "办理贷款");
    i18n_set_lang(I18N_EN);
    CHECK_EQ_STR(tr("purpose.0"), "Loan");
    CHECK_EQ_STR(tr_lang(I18N_ZH, "footer.home"), "返回首页");
    CHECK_EQ_STR(tr("no.such.key"), "no.such.key");
    CHECK(strchr(tr_lang(I18N_ZH, "home.title_land"), '\n') != NULL);
    i18n_set_lang(I18N_ZH);
    /* substitution */
    char out[64];
    CHECK_EQ_STR(i18n_subst(out, sizeof out, "{2} of {1}", "3", "1", NULL), "1 of 3");
    CHECK_EQ_STR(i18n_subst(out, sizeof out, "第 {1} 页", "2", NULL, NULL), "第 2 页");
    CHECK_EQ_STR(i18n_subst(out, sizeof out, "{1}{3}", NULL, "x", NULL), "");
    CHECK_EQ_STR(i18n_subst(out, 8, "查询不动产", NULL, NULL, NULL), "查询"); /* 6 bytes + room */
    CHECK_EQ_STR(i18n_subst(out, sizeof out, "{4} {", NULL, NULL, NULL), "{4} {");
    dates();
    i18n_unload();
    CHECK_EQ_STR(tr("purpose.0"), "purpose.0");
    CHECK_EQ_INT(i18n_load("/nonexistent"), -5);
    return check_report("i18n");
}
