/* tool_staff.c - `bdc-kiosk-tool staff ...`: the PINs staff type to enter
 * the kiosk's maintenance mode, kept in the staff PIN store
 * (store/staff_pins.h).
 *
 *   staff set-pin STAFF_NO   reads the PIN from stdin: on a terminal
 *                            without echo, asked twice; otherwise one
 *                            line. 4 to 8 digits, anything else refused.
 *   staff remove STAFF_NO
 *   staff list               the staff numbers, never a hash
 *
 * The store is --pins PATH, else the kiosk's: [staff] pins of --config
 * INI (no --config: the kiosk's defaults, as bdc-kiosk without --config),
 * else <output_dir>/staff.sqlite. Run it as the user the kiosk runs as: the
 * file is created readable by its owner only. The PIN is read with read(2)
 * (no stdio buffer keeps a copy) and wiped after use.
 */
#include "tool/tool.h"

#include "base/err.h"
#include "base/util.h"
#include "core/config.h"
#include "store/staff_pins.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define USAGE                                                                                      \
    "usage: bdc-kiosk-tool staff set-pin STAFF_NO [--pins PATH | --config INI]  (PIN on stdin)\n"  \
    "       bdc-kiosk-tool staff remove STAFF_NO [--pins PATH | --config INI]\n"                   \
    "       bdc-kiosk-tool staff list [--pins PATH | --config INI]\n"

#define LINE_MAX_PIN 64

static int usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

/* One line from fd 0 into line (size bytes): 1 read, 0 end of input with
 * nothing, -1 too long or unreadable. The newline is dropped. */
static int read_line(char *line, size_t size)
{
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t r = read(STDIN_FILENO, &c, 1);
        if (r < 0)
            return -1;
        if (r == 0 || c == '\n')
            break;
        if (n + 1 >= size)
            return -1;
        line[n++] = c;
    }
    if (n && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    return 1;
}

/* The PIN from stdin into pin; asks twice without echo on a terminal. */
static bool read_pin(const char *staff_no, char *pin, size_t size)
{
    if (!isatty(STDIN_FILENO))
        return read_line(pin, size) == 1;
    struct termios was, quiet;
    if (tcgetattr(STDIN_FILENO, &was) != 0)
        return false;
    quiet = was;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    char again[LINE_MAX_PIN];
    bool ok = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    if (ok) {
        fprintf(stderr, "PIN for staff %s (4 to 8 digits): ", staff_no);
        ok = read_line(pin, size) == 1;
    }
    if (ok) {
        fprintf(stderr, "the same PIN again: ");
        ok = read_line(again, sizeof again) == 1;
    }
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &was);
    if (ok && strcmp(pin, again) != 0) {
        fprintf(stderr, "staff: the two PINs differ; nothing set\n");
        ok = false;
        explicit_bzero(pin, size);
    }
    explicit_bzero(again, sizeof again);
    return ok;
}

/* Which store: --pins, else the config's [staff] pins, else
 * <output_dir>/staff.sqlite (the folder made if missing, as the kiosk
 * makes it, when create). */
static bool store_path(const char *pins, const char *config, bool create, char *path, size_t size)
{
    if (pins)
        return str_copy(path, size, pins);
    static struct config cfg;
    config_defaults(&cfg);
    if (config) {
        int rc = config_load(&cfg, config);
        if (rc) {
            fprintf(stderr, "staff: config %s: %s\n", config, err_str(rc));
            return false;
        }
    }
    if (cfg.staff_pins[0])
        return str_copy(path, size, cfg.staff_pins);
    if (create && mkdir(cfg.output_dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "staff: cannot make %s: %s\n", cfg.output_dir, strerror(errno));
        return false;
    }
    int n = snprintf(path, size, "%s/staff.sqlite", cfg.output_dir);
    return n > 0 && (size_t)n < size;
}

static int set_pin(struct staff_pins *p, const char *staff_no)
{
    char pin[LINE_MAX_PIN];
    int status = 0;
    if (!read_pin(staff_no, pin, sizeof pin) || !staff_pins_pin_valid(pin)) {
        fprintf(stderr, "staff: a PIN is 4 to 8 digits; nothing set\n");
        status = 1;
    } else if (staff_pins_set(p, staff_no, pin) != 0) {
        status = 1; /* the store said why */
    } else {
        printf("{\"staff_no\":\"%s\",\"pin\":\"set\"}\n", staff_no);
    }
    explicit_bzero(pin, sizeof pin);
    return status;
}

static int list(struct staff_pins *p)
{
    char staff[STAFF_PINS_MAX][STAFF_NO_MAX];
    int n = staff_pins_list(p, staff, STAFF_PINS_MAX);
    if (n < 0) {
        fprintf(stderr, "staff: cannot read the staff PIN store: %s\n", err_str(n));
        return 1;
    }
    printf("{\"staff\":[");
    for (int i = 0; i < n; i++)
        printf("%s\"%s\"", i ? "," : "", staff[i]);
    printf("]}\n");
    return 0;
}

int tool_staff_main(int argc, char **argv)
{
    if (argc < 1)
        return usage();
    const char *verb = argv[0], *staff_no = NULL, *pins = NULL, *config = NULL;
    bool needs_staff = strcmp(verb, "set-pin") == 0 || strcmp(verb, "remove") == 0;
    if (!needs_staff && strcmp(verb, "list") != 0)
        return usage();
    for (int i = 1; i < argc; i++) {
        bool has = i + 1 < argc;
        if (!strcmp(argv[i], "--pins") && has && !pins && !config)
            pins = argv[++i];
        else if (!strcmp(argv[i], "--config") && has && !pins && !config)
            config = argv[++i];
        else if (needs_staff && !staff_no && argv[i][0] != '-')
            staff_no = argv[i];
        else
            return usage();
    }
    if (needs_staff && !staff_no)
        return usage();
    if (staff_no && !staff_pins_no_valid(staff_no)) {
        fprintf(stderr, "staff: a staff number is 1 to 15 letters or digits\n");
        return 2;
    }
    bool set = !strcmp(verb, "set-pin");
    char path[CONFIG_STR + 32];
    if (!store_path(pins, config, set, path, sizeof path))
        return 1;
    if (!set && access(path, F_OK) != 0 && errno == ENOENT) {
        /* No store yet: nobody has a PIN; do not create one to say so. */
        if (staff_no) {
            fprintf(stderr, "staff: staff %s has no PIN (there is no %s)\n", staff_no, path);
            return 1;
        }
        printf("{\"staff\":[]}\n");
        return 0;
    }
    struct staff_pins *p = NULL;
    if (staff_pins_open(path, &p) != 0)
        return 1; /* the store said why, and what to do */
    int status;
    if (set)
        status = set_pin(p, staff_no);
    else if (!strcmp(verb, "remove"))
        status = staff_pins_remove(p, staff_no) == 0 ? 0 : 1;
    else
        status = list(p);
    if (!status && !strcmp(verb, "remove"))
        printf("{\"staff_no\":\"%s\",\"pin\":\"removed\"}\n", staff_no);
    staff_pins_close(p);
    return status;
}
