/* kioskctl.c - sends control-socket commands to a running kiosk.
 *
 *   kioskctl SOCKET COMMAND...     one command, prints the JSON reply
 *   kioskctl SOCKET -              commands from stdin, one per line
 *
 * Exits 0 if every reply has "ok":true, 1 otherwise, 2 if the kiosk could
 * not be reached. The socket may take a moment to appear after start-up,
 * so connecting is retried for up to 10 s.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

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

/* Sends one line and prints the reply line. Returns 0 if ok. */
static int run(int fd, const char *cmd)
{
    size_t n = strlen(cmd);
    if (write(fd, cmd, n) != (ssize_t)n || write(fd, "\n", 1) != 1)
        return 2;
    static char reply[1 << 20];
    size_t have = 0;
    while (have < sizeof reply - 1) {
        ssize_t r = read(fd, reply + have, sizeof reply - 1 - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return 2;
        have += (size_t)r;
        if (reply[have - 1] == '\n')
            break;
    }
    reply[have] = '\0';
    fputs(reply, stdout);
    fflush(stdout);
    return strstr(reply, "\"ok\":true") ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: kioskctl SOCKET COMMAND... | kioskctl SOCKET -\n");
        return 2;
    }
    int fd = connect_socket(argv[1]);
    if (fd < 0) {
        fprintf(stderr, "kioskctl: cannot connect to %s\n", argv[1]);
        return 2;
    }
    int rc = 0;
    if (!strcmp(argv[2], "-")) {
        char line[1024];
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = '\0';
            int r = line[0] ? run(fd, line) : 0;
            if (r > rc) /* the worst answer is the exit status */
                rc = r;
            if (r == 2)
                break;
        }
    } else {
        char cmd[1024] = "";
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
