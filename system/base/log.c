/* log.c - stderr logger with syslog priority prefixes; see log.h. */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static enum log_level log_level = LOG_LEVEL_INFO;
static log_sink_fn log_sink;
static void *log_sink_user;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(enum log_level level)
{
    log_level = level;
}

enum log_level log_get_level(void)
{
    return log_level;
}

void log_set_sink(log_sink_fn fn, void *user)
{
    pthread_mutex_lock(&log_lock);
    log_sink = fn;
    log_sink_user = user;
    pthread_mutex_unlock(&log_lock);
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
    if (level > log_level)
        return;
    char line[1024];
    int n = snprintf(line, sizeof line, "<%d>%s: ", (int)level, module);
    if (n < 0)
        return;
    int head = n;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        m = 0;
    n += m;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    /* One line per call: fold embedded newlines so a log line cannot be forged. */
    for (int i = head; i < n; i++)
        if (line[i] == '\n' || line[i] == '\r')
            line[i] = ' ';
    line[n] = '\n';
    line[n + 1] = '\0';
    ssize_t w = write(STDERR_FILENO, line, (size_t)n + 1);
    (void)w;
    pthread_mutex_lock(&log_lock);
    if (log_sink) {
        line[n] = '\0';
        log_sink(level, line, log_sink_user);
    }
    pthread_mutex_unlock(&log_lock);
}
