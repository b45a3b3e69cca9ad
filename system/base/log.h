/* log.h - logging to stderr with syslog priority prefixes.
 *
 * Each line starts with "<N>" (sd-daemon(3) convention), so journald files
 * it under the right priority when the kiosk runs as a systemd service.
 * Callable from any thread; one write(2) per line so lines never interleave.
 *
 * Never log personal data: no name, ID number, address or image. Log a
 * keyed hash or a masked form instead (see the callers).
 */
#ifndef BASE_LOG_H
#define BASE_LOG_H

enum log_level {
    LOG_LEVEL_ERR = 3,
    LOG_LEVEL_WARNING = 4,
    LOG_LEVEL_NOTICE = 5,
    LOG_LEVEL_INFO = 6,
    LOG_LEVEL_DEBUG = 7
};

/* Lines above this level are dropped. Default LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Optional extra sink (tests capture lines here). fn borrows line, which has
 * no trailing newline. Pass NULL to remove. */
typedef void (*log_sink_fn)(enum log_level level, const char *line, void *user);
void log_set_sink(log_sink_fn fn, void *user);

/* Writes one line: "<level>module: message". */
void log_msg(enum log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_err(mod, ...)    log_msg(LOG_LEVEL_ERR, mod, __VA_ARGS__)
#define log_warn(mod, ...)   log_msg(LOG_LEVEL_WARNING, mod, __VA_ARGS__)
#define log_notice(mod, ...) log_msg(LOG_LEVEL_NOTICE, mod, __VA_ARGS__)
#define log_info(mod, ...)   log_msg(LOG_LEVEL_INFO, mod, __VA_ARGS__)
#define log_debug(mod, ...)  log_msg(LOG_LEVEL_DEBUG, mod, __VA_ARGS__)

#endif
