/* log_tail.c - the last log lines in memory; see log_tail.h. */
#include "log_tail.h"

#include "base/clock.h"
#include "base/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t tail_lock = PTHREAD_MUTEX_INITIALIZER;
static char tail[LOG_TAIL_LINES][LOG_TAIL_WIDTH];
static int tail_next, tail_count;

/* Cuts s to fit size bytes without splitting a UTF-8 character. */
static void copy_cut(char *dst, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static atomic_long errors; /* lines at error level since start */

long log_tail_errors(void)
{
    return atomic_load(&errors);
}

static void on_line(enum log_level level, const char *line, void *user)
{
    (void)user;
    if (level <= LOG_LEVEL_ERR)
        atomic_fetch_add(&errors, 1);
    struct clock_cst t;
    clock_to_cst(clock_wall_s(), &t);
    char stamped[LOG_TAIL_WIDTH + 16];
    snprintf(stamped, sizeof stamped, "%02d:%02d:%02d %s", t.hour, t.minute, t.second, line);
    pthread_mutex_lock(&tail_lock);
    copy_cut(tail[tail_next], LOG_TAIL_WIDTH, stamped);
    tail_next = (tail_next + 1) % LOG_TAIL_LINES;
    if (tail_count < LOG_TAIL_LINES)
        tail_count++;
    pthread_mutex_unlock(&tail_lock);
}

void log_tail_start(void)
{
    log_set_sink(on_line, NULL);
}

void log_tail_stop(void)
{
    log_set_sink(NULL, NULL);
    pthread_mutex_lock(&tail_lock);
    memset(tail, 0, sizeof tail);
    tail_next = tail_count = 0;
    pthread_mutex_unlock(&tail_lock);
}

int log_tail_copy(char (*out)[LOG_TAIL_WIDTH], int max)
{
    pthread_mutex_lock(&tail_lock);
    int n = tail_count < max ? tail_count : max;
    int first = (tail_next - n + LOG_TAIL_LINES) % LOG_TAIL_LINES;
    for (int i = 0; i < n; i++)
        memcpy(out[i], tail[(first + i) % LOG_TAIL_LINES], LOG_TAIL_WIDTH);
    pthread_mutex_unlock(&tail_lock);
    return n;
}
