/* registry_child.c - start, find and stop the bundled registry. */
#include "registry_child.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int registry_child_start(struct registry_child *c, const char *argv0)
{
    (void)argv0;
    memset(c, 0, sizeof *c);
    c->out_fd = -1;
    /* $BDC_REGISTRY, else an installed one beside the kiosk (/usr/bin),
     * else the build's. */
    char dir[PATH_MAX], beside[PATH_MAX + 16];
    const char *bin = getenv("BDC_REGISTRY");
    if (!bin && exe_dir(dir, sizeof dir)) {
        snprintf(beside, sizeof beside, "%s/bdc-registry", dir);
        if (access(beside, X_OK) == 0)
            bin = beside;
    }
    if (!bin)
        bin = KIOSK_REGISTRY_BIN;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return ERR_IO;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return ERR_IO;
    }
    if (pid == 0) {
        sigset_t none; /* the kiosk blocks them for its signal thread */
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        dup2(fds[1], STDOUT_FILENO);
        execl(bin, bin, "--listen", "127.0.0.1:0", "--db", ":memory:", "--seed", (char *)NULL);
        fprintf(stderr, "<3>registry: cannot run %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    c->pid = pid;
    c->out_fd = fds[0];
    return ERR_OK;
}

int registry_child_wait_url(struct registry_child *c, int timeout_ms)
{
    char line[256];
    size_t have = 0;
    int64_t deadline = clock_mono_ms() + timeout_ms;
    while (have < sizeof line - 1) {
        int left = (int)(deadline - clock_mono_ms());
        if (left <= 0)
            break;
        struct pollfd p = {c->out_fd, POLLIN, 0};
        if (poll(&p, 1, left) <= 0)
            break;
        ssize_t n = read(c->out_fd, line + have, sizeof line - 1 - have);
        if (n <= 0)
            break;
        have += (size_t)n;
        line[have] = '\0';
        char *nl = strchr(line, '\n');
        if (!nl)
            continue;
        *nl = '\0';
        const char *at = strstr(line, "http://");
        if (!at)
            break;
        str_copy(c->url, sizeof c->url, at);
        close(c->out_fd);
        c->out_fd = -1;
        log_info("registry", "bundled registry at %s", c->url);
        return ERR_OK;
    }
    log_err("registry", "the bundled registry did not report its address");
    return ERR_TIMEOUT;
}

void registry_child_stop(struct registry_child *c)
{
    if (c->out_fd >= 0)
        close(c->out_fd);
    c->out_fd = -1;
    if (c->pid <= 0)
        return;
    kill(c->pid, SIGTERM);
    for (int i = 0; i < 200; i++) {
        if (waitpid(c->pid, NULL, WNOHANG) == c->pid) {
            c->pid = 0;
            return;
        }
        usleep(10000);
    }
    kill(c->pid, SIGKILL);
    waitpid(c->pid, NULL, 0);
    c->pid = 0;
}
