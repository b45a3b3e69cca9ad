/* kioskctl.c - sends control-socket commands to a running kiosk.
 *
 *   kioskctl SOCKET COMMAND...     one command, prints the JSON reply
 *   kioskctl SOCKET -              commands from stdin, one per line
 *
 * Exits 0 if every reply has "ok":true, 1 otherwise, 2 if the kiosk could
 * not be reached. The socket may take a moment to appear after start-up,
 * so connecting is retried for up to 10 s. A command may be longer than
 * the kiosk takes (CMD_MAX), so tests can send one over its limit.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CMD_MAX 8192

static int connect_socket(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t len = strlen(path);
    if (len >= sizeof addr.sun_path)
        return -1;
    memcpy(addr.sun_path, path, len + 1);
    for (int i = 0; i < 200; i++) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0)
            return fd;
        if (fd >= 0)
            close(fd);
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return -1;
}

/* Sends one line and prints the reply line. Returns 0 if ok. A kiosk
 * that refuses the peer answers and closes at once: the write may fail,
 * but its answer is still there to read. */
static int run(int fd, const char *cmd)
{
    size_t n = strlen(cmd);
    bool sent = write(fd, cmd, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    static char reply[1 << 20];
    size_t have = 0;
    while (have < sizeof reply - 1) {
        ssize_t r = read(fd, reply + have, sizeof reply - 1 - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 && !have)
            return 2;
        if (r <= 0)
            break;
        have += (size_t)r;
        if (reply[have - 1] == '\n')
            break;
    }
    reply[have] = '\0';
    fputs(reply, stdout);
    fflush(stdout);
    return sent && strstr(reply, "\"ok\":true") ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: kioskctl SOCKET COMMAND... | kioskctl SOCKET -\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int fd = connect_socket(argv[1]);
    if (fd < 0) {
        fprintf(stderr, "kioskctl: cannot connect to %s\n", argv[1]);
        return 2;
    }
    int rc = 0;
    if (!strcmp(argv[2], "-")) {
        char line[CMD_MAX];
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = '\0';
            int r = line[0] ? run(fd, line) : 0;
            if (r > rc) /* the worst answer is the exit status */
                rc = r;
            if (r == 2)
                break;
        }
    } else {
        static char cmd[CMD_MAX] = "";
        for (int i = 2; i < argc; i++) {
            if (i > 2)
                strncat(cmd, " ", sizeof cmd - strlen(cmd) - 1);
            strncat(cmd, argv[i], sizeof cmd - strlen(cmd) - 1);
        }
        rc = run(fd, cmd);
    }
    close(fd);
    return rc;
}
