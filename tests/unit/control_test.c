/* control_test.c - the control socket: lines, verbs, who may connect,
 * where the socket lives and its modes.
 *
 * The pure parts first (a line over the limit refused whole, the verb
 * table and its test-only verbs, the peer check with made-up credentials,
 * the directory check with made-up modes), then the real thread over a
 * real socket under umask 000, with this test as the UI thread: it pops
 * the lines the control thread posts and answers them. As root, a child
 * that became nobody connects and is refused; as another user the peer
 * check is covered by the made-up credentials alone.
 */
#include "control.h"

#include "base/err.h"
#include "check.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- lines ------------------------------------------------------------ */

struct seen {
    int lines, too_long, bad;
    char last[CONTROL_LINE_MAX];
};

static void on_line(void *user, enum control_line_kind kind, const char *line)
{
    struct seen *s = user;
    if (kind == CONTROL_LINE) {
        s->lines++;
        snprintf(s->last, sizeof s->last, "%s", line);
    } else if (kind == CONTROL_LINE_TOO_LONG) {
        s->too_long++;
    } else {
        s->bad++;
    }
}

static void feed(struct control_lines *l, const char *bytes, size_t n, struct seen *s)
{
    control_lines_feed(l, bytes, n, on_line, s);
}

/* 2,000 bytes and '\n' (2,001 in all): 1,023 A, then `quit xxx...`, so
 * a reader that cut the line at its limit would run the tail as `quit`. */
static void long_line(char *big)
{
    memset(big, 'x', 2000);
    memset(big, 'A', 1023);
    snprintf(big + 1023, 6, "quit ");
    big[1028] = 'x'; /* snprintf's NUL */
    big[2000] = '\n';
}

static void test_lines(void)
{
    struct control_lines l;
    struct seen s = {0};
    control_lines_init(&l);
    feed(&l, "state\r\n\nhel", 11, &s);
    CHECK_EQ_INT(s.lines, 1);
    CHECK_EQ_STR(s.last, "state");
    feed(&l, "p\n", 2, &s);
    CHECK_EQ_INT(s.lines, 2);
    CHECK_EQ_STR(s.last, "help");

    /* 2,000 bytes whose tail, past the first 1,023, is a verb: refused
     * whole, in whatever pieces it arrives; the next line runs. */
    static char big[2100];
    long_line(big);
    for (size_t step = 1; step <= 2001; step = step * 3 + 1) {
        memset(&s, 0, sizeof s);
        control_lines_init(&l);
        for (size_t at = 0; at < 2001; at += step)
            feed(&l, big + at, at + step > 2001 ? 2001 - at : step, &s);
        feed(&l, "help\n", 5, &s);
        CHECK_EQ_INT(s.too_long, 1);
        CHECK_EQ_INT(s.lines, 1);
        CHECK_EQ_STR(s.last, "help");
    }

    /* The limit itself: 1,023 bytes are a line, 1,024 are not. */
    memset(&s, 0, sizeof s);
    control_lines_init(&l);
    memset(big, 'b', 1024);
    big[1023] = '\n';
    feed(&l, big, 1024, &s);
    CHECK_EQ_INT(s.lines, 1);
    CHECK_EQ_INT((long long)strlen(s.last), 1023);
    big[1023] = 'b';
    big[1024] = '\n';
    feed(&l, big, 1025, &s);
    CHECK_EQ_INT(s.lines, 1);
    CHECK_EQ_INT(s.too_long, 1);

    /* A NUL byte spoils its line alone. */
    memset(&s, 0, sizeof s);
    control_lines_init(&l);
    feed(&l, "quit\0x\nstate\n", 13, &s);
    CHECK_EQ_INT(s.bad, 1);
    CHECK_EQ_INT(s.lines, 1);
    CHECK_EQ_STR(s.last, "state");
}

/* ---- verbs ------------------------------------------------------------ */

static void test_parse(void)
{
    enum control_verb_kind v;
    const char *args = NULL;
    CHECK_EQ_INT(control_parse("tap 查询不动产", false, &v, &args), CONTROL_PARSE_OK);
    CHECK_EQ_INT(v, CONTROL_VERB_TAP);
    CHECK_EQ_STR(args, "查询不动产");
    CHECK_EQ_INT(control_parse("state", false, &v, &args), CONTROL_PARSE_OK);
    CHECK_EQ_STR(args, "");
    CHECK_EQ_INT(control_parse("tapx", true, &v, &args), CONTROL_PARSE_UNKNOWN);
    CHECK_EQ_INT(control_parse("", true, &v, &args), CONTROL_PARSE_UNKNOWN);
    /* the verbs only tests need: refused outside demo mode */
    static const char *const test_only[] = {"screenshot /tmp/x.png", "clock +60", "card 1",
                                            "card-remove",           "reader ok", "face live",
                                            "printer ready",         "spoken"};
    for (size_t i = 0; i < sizeof test_only / sizeof test_only[0]; i++) {
        CHECK_EQ_INT(control_parse(test_only[i], false, &v, &args), CONTROL_PARSE_TEST_ONLY);
        CHECK_EQ_INT(control_parse(test_only[i], true, &v, &args), CONTROL_PARSE_OK);
    }
    for (size_t i = 0; i < CONTROL_VERB_COUNT; i++) {
        CHECK(control_verb_table[i].name != NULL);
        CHECK(control_verb_table[i].usage != NULL);
    }
}

/* ---- who may connect, and where -------------------------------------- */

static void test_peer(void)
{
    gid_t none = (gid_t)-1;
    gid_t own[] = {1000};
    gid_t other[] = {2000, 3000, 44};
    CHECK(control_peer_allowed(1000, none, 1000, own, 1));
    CHECK(!control_peer_allowed(1000, none, 65534, other, 3));
    CHECK(!control_peer_allowed(1000, none, 0, own, 1));    /* root is another uid too */
    CHECK(control_peer_allowed(1000, 44, 65534, other, 3)); /* a supplementary group */
    CHECK(!control_peer_allowed(1000, 45, 65534, other, 3));
    CHECK(!control_peer_allowed(1000, 44, 65534, other, 0));
}

static void test_dir_check(void)
{
    static const struct {
        mode_t mode;
        uid_t uid;
        gid_t gid, group;
        int ok;
    } cases[] = {
        {S_IFDIR | 0700, 1000, 1000, (gid_t)-1, 1}, {S_IFDIR | 0755, 1000, 1000, (gid_t)-1, 0},
        {S_IFDIR | 0711, 1000, 1000, (gid_t)-1, 0}, {S_IFDIR | 0770, 1000, 1000, (gid_t)-1, 0},
        {S_IFDIR | 0700, 1001, 1000, (gid_t)-1, 0}, /* another user's */
        {S_IFDIR | 1777, 1000, 1000, (gid_t)-1, 0}, {S_IFREG | 0700, 1000, 1000, (gid_t)-1, 0},
        {S_IFDIR | 0750, 1000, 44, 44, 1},          {S_IFDIR | 0750, 1000, 45, 44, 0},
        {S_IFDIR | 0770, 1000, 44, 44, 0},          {S_IFDIR | 0751, 1000, 44, 44, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct stat st = {.st_mode = cases[i].mode, .st_uid = cases[i].uid, .st_gid = cases[i].gid};
        const char *why = "";
        int rc = control_dir_check(&st, 1000, cases[i].group, &why);
        if ((rc == 0) != cases[i].ok)
            fprintf(stderr, "case %zu: %o uid %u: %d (%s)\n", i, (unsigned)cases[i].mode,
                    (unsigned)cases[i].uid, rc, why);
        CHECK_EQ_INT(rc == 0, cases[i].ok);
    }
}

/* ---- the real socket -------------------------------------------------- */

static int connect_to(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One reply line from fd into out (without the newline); "" on EOF. */
static void read_reply(int fd, char *out, size_t size)
{
    size_t have = 0;
    while (have < size - 1) {
        ssize_t r = read(fd, out + have, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || out[have] == '\n')
            break;
        have++;
    }
    out[have] = '\0';
}

/* Plays the UI thread for up to ms: answers each posted line with
 * {"ok":true,"line":...}; returns how many it answered, the last in last. */
static int answer_lines(struct bus *bus, int ms, char *last, size_t size)
{
    int n = 0;
    for (int t = 0; t < ms; t += 10) {
        struct bus_msg m;
        while (bus_pop(bus, &m) == 0) {
            struct control_cmd *cmd = m.payload;
            snprintf(last, size, "%s", cmd->line);
            control_reply(cmd, "{\"ok\":true}");
            n++;
        }
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return n;
}

static void test_socket(const char *tmp)
{
    char path[256], dir[200], last[CONTROL_LINE_MAX] = "", reply[256];
    struct stat st;
    struct bus *bus = bus_create(8, NULL, NULL);

    /* Under umask 000: the directory made 0700, the socket 0600. */
    mode_t old = umask(0);
    snprintf(dir, sizeof dir, "%s/new", tmp);
    snprintf(path, sizeof path, "%s/ctl", dir);
    struct control *c = control_start(path, bus, NULL);
    umask(old);
    CHECK(c != NULL);
    if (!c) {
        bus_destroy(bus);
        return;
    }
    CHECK(stat(dir, &st) == 0 && (st.st_mode & 07777) == 0700);
    CHECK(lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 07777) == 0600);

    /* A 2,000-byte line whose tail is a verb: an error, and the tail never
     * reaches the UI thread; the next line does. */
    int fd = connect_to(path);
    CHECK(fd >= 0);
    static char big[2001];
    long_line(big);
    CHECK(write(fd, big, sizeof big) == (ssize_t)sizeof big);
    read_reply(fd, reply, sizeof reply);
    CHECK(strstr(reply, "\"ok\":false") && strstr(reply, "line too long"));
    CHECK_EQ_INT(answer_lines(bus, 300, last, sizeof last), 0);
    CHECK(write(fd, "help\n", 5) == 5);
    CHECK_EQ_INT(answer_lines(bus, 300, last, sizeof last), 1);
    CHECK_EQ_STR(last, "help");
    read_reply(fd, reply, sizeof reply);
    CHECK_EQ_STR(reply, "{\"ok\":true}");
    close(fd);

    /* Another uid is refused even where the modes would let it in (a
     * directory loosened by hand): nothing reaches the UI thread. */
    if (geteuid() == 0) {
        struct passwd *nobody = getpwnam("nobody");
        CHECK(nobody != NULL);
        if (nobody) {
            CHECK(chmod(tmp, 0711) == 0 && chmod(dir, 0755) == 0 && chmod(path, 0666) == 0);
            int pipefd[2];
            CHECK(pipe(pipefd) == 0);
            pid_t pid = fork();
            if (pid == 0) {
                char got[256] = "no connection";
                if (setgroups(0, NULL) == 0 && setgid(nobody->pw_gid) == 0 &&
                    setuid(nobody->pw_uid) == 0) {
                    int cfd = connect_to(path);
                    if (cfd >= 0) {
                        signal(SIGPIPE, SIG_IGN); /* the answer is read even if this fails */
                        if (write(cfd, "quit\n", 5) != 5)
                            fprintf(stderr, "write: %s\n", strerror(errno));
                        read_reply(cfd, got, sizeof got);
                        close(cfd);
                    } else {
                        snprintf(got, sizeof got, "connect: %s", strerror(errno));
                    }
                }
                ssize_t w = write(pipefd[1], got, strlen(got) + 1);
                _exit(w > 0 ? 0 : 1);
            }
            close(pipefd[1]);
            char got[256] = "";
            ssize_t r = read(pipefd[0], got, sizeof got - 1);
            got[r > 0 ? r : 0] = '\0';
            close(pipefd[0]);
            waitpid(pid, NULL, 0);
            if (!strstr(got, "not allowed"))
                fprintf(stderr, "nobody's peer got: %s\n", got);
            CHECK(strstr(got, "not allowed") != NULL);
            CHECK_EQ_INT(answer_lines(bus, 300, last, sizeof last), 0);
            chmod(tmp, 0700);
        }
    } else {
        printf("control_test: not root, another uid's peer checked with made-up credentials\n");
    }
    control_stop(c);
    CHECK(lstat(path, &st) != 0);

    /* Directories that are not the kiosk's alone are refused. */
    snprintf(dir, sizeof dir, "%s/open", tmp);
    snprintf(path, sizeof path, "%s/ctl", dir);
    CHECK(mkdir(dir, 0700) == 0 && chmod(dir, 0755) == 0);
    c = control_start(path, bus, NULL);
    CHECK(c == NULL);
    control_stop(c);
    CHECK(lstat(path, &st) != 0);
    if (geteuid() == 0) {
        snprintf(dir, sizeof dir, "%s/theirs", tmp);
        snprintf(path, sizeof path, "%s/ctl", dir);
        CHECK(mkdir(dir, 0700) == 0 && chown(dir, 65534, 65534) == 0);
        c = control_start(path, bus, NULL);
        CHECK(c == NULL);
        control_stop(c);
    }
    /* A file that is not a socket is left alone. */
    snprintf(dir, sizeof dir, "%s/mine", tmp);
    snprintf(path, sizeof path, "%s/ctl", dir);
    CHECK(mkdir(dir, 0700) == 0);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    c = control_start(path, bus, NULL);
    CHECK(c == NULL);
    control_stop(c);
    CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
    /* An unknown group stops start-up. */
    unlink(path);
    c = control_start(path, bus, "no-such-group-here");
    CHECK(c == NULL);
    control_stop(c);
    bus_destroy(bus);
}

int main(void)
{
    test_lines();
    test_parse();
    test_peer();
    test_dir_check();
    char tmp[] = "/tmp/control_test.XXXXXX";
    CHECK(mkdtemp(tmp) != NULL);
    test_socket(tmp);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    CHECK(system(cmd) == 0);
    return check_report("control");
}
