/* main.c - bdc-registry: the reference registration backend as a program.
 *
 * Parses the command line, starts the registry library, prints where it
 * listens, and waits on the main thread for SIGINT or SIGTERM (blocked and
 * taken with sigwait, so no handler runs inside libmicrohttpd's threads),
 * then stops cleanly. --tls-cert, --tls-key and --tls-client-ca make it
 * serve HTTPS to kiosks with client certificates. --list-demo prints the
 * demo citizens and staff and exits.
 */
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "demo/demo.h"
#include "registry/registry.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: bdc-registry [--listen HOST:PORT] [--db PATH|URL] [--seed]\n"
               "                    [--public-url URL] [--token-ttl SECONDS] [--print-port]\n"
               "                    [--clock-ahead SECONDS] [--fleet-stale SECONDS]\n"
               "                    [--tls-cert PEM --tls-key PEM --tls-client-ca PEM]\n"
               "       bdc-registry --list-demo\n"
               "\n"
               "  --listen HOST:PORT  IPv4 address to serve (default 127.0.0.1:8080);\n"
               "                      port 0 picks a free port\n"
               "  --db PATH|URL       SQLite database (default ./bdc-registry.sqlite;\n"
               "                      :memory: keeps nothing), or PostgreSQL:\n"
               "                      postgres://USER@HOST/DB or postgresql:///DB?host=DIR\n"
               "  --seed              put the demo population into an empty database\n"
               "  --public-url URL    base of the verify_url printed on certificates\n"
               "                      (default http://HOST:PORT)\n"
               "  --token-ttl SECONDS citizen token lifetime (default 900)\n"
               "  --print-port        print \"listening on URL\" even with a fixed port\n"
               "  --clock-ahead SECONDS  run the registry's clock that far ahead (0..31 days):\n"
               "                      demonstrations and tests of appointment windows\n"
               "  --fleet-stale SECONDS  GET /fleet marks a kiosk stale after that long\n"
               "                      without a heartbeat (default 180)\n"
               "  --tls-cert PEM      serve HTTPS with this certificate (chain) ...\n"
               "  --tls-key PEM       ... and its key; kiosks need a client certificate\n"
               "  --tls-client-ca PEM signed by this CA, and are their certificate's CN\n"
               "                      (X-Kiosk-Id is then ignored); all three or none\n"
               "  --list-demo         print the demo citizens, then the staff, and exit\n");
}

static const char *face_name(enum demo_face f)
{
    return f == DEMO_FACE_MATCH ? "match" : f == DEMO_FACE_NO_MATCH ? "no-match" : "unavailable";
}

static void list_demo(void)
{
    printf("%-3s  %-8s  %-18s  %-4s  %-10s  %-11s  %-5s  %s\n", "#", "name", "id_number", "sex",
           "born", "face", "props", "note (valid_to)");
    for (int i = 0; i < demo_citizen_count(); i++) {
        struct demo_citizen c;
        demo_citizen_get(i, &c);
        printf("%-3d  %s\t%s  %s  %s  %-11s  %-5d  %s (%s)\n", i, c.name, c.id_number, c.gender,
               c.birth_date, face_name(c.face), c.property_count, c.note, c.valid_to);
    }
    /* The staff after a blank line, each line led by "staff" so that
     * scripts reading citizens by their number skip them. */
    printf("\n");
    for (int i = 0; i < demo_staff_count(); i++) {
        struct demo_staff s;
        demo_staff_get(i, &s);
        printf("staff  %-4s  %s\t%s  %s\n", s.staff_no, s.name, s.id_number, s.role);
    }
}

int main(int argc, char **argv)
{
    struct registry_config cfg = {.listen = "127.0.0.1:8080"};
    bool print_port = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!a)
            break;
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--listen") == 0 && next) {
            cfg.listen = next;
            i++;
        } else if (strcmp(a, "--db") == 0 && next) {
            cfg.db_path = next;
            i++;
        } else if (strcmp(a, "--public-url") == 0 && next) {
            cfg.public_url = next;
            i++;
        } else if (strcmp(a, "--tls-cert") == 0 && next) {
            cfg.tls_cert = next;
            i++;
        } else if (strcmp(a, "--tls-key") == 0 && next) {
            cfg.tls_key = next;
            i++;
        } else if (strcmp(a, "--tls-client-ca") == 0 && next) {
            cfg.tls_client_ca = next;
            i++;
        } else if (strcmp(a, "--token-ttl") == 0 && next) {
            cfg.token_ttl_s = atoi(next);
            i++;
        } else if (strcmp(a, "--fleet-stale") == 0 && next) {
            cfg.fleet_stale_s = atoi(next);
            i++;
        } else if (strcmp(a, "--clock-ahead") == 0 && next) {
            char *end;
            long long ahead = strtoll(next, &end, 10);
            if (*end || ahead < 0 || ahead > 31LL * 86400) {
                usage(stderr);
                return 2;
            }
            clock_advance_ms(ahead * 1000);
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            cfg.seed = true;
        } else if (strcmp(a, "--print-port") == 0) {
            print_port = true;
        } else if (strcmp(a, "--list-demo") == 0) {
            if (!demo_is_available())
                return 1; /* the demo library said why */
            list_demo();
            return 0;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }

    /* Block the stop signals before any thread exists, so every thread
     * inherits the mask and only sigwait below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Room for a hall's kiosks and phones beside clients that hold
     * connections open: the registry's connection limit follows this. */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < 4096) {
        files.rlim_cur = files.rlim_max < 4096 ? files.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    struct registry *reg = NULL;
    int rc = registry_start(&cfg, &reg);
    if (rc < 0) {
        log_err("registry", "cannot start: %s", err_str(rc));
        return 1;
    }
    const char *colon = strrchr(cfg.listen, ':');
    if (print_port || (colon && strcmp(colon, ":0") == 0)) {
        printf("listening on %s\n", registry_url(reg));
        fflush(stdout);
    }
    log_info("registry", "serving on %s", registry_url(reg));

    int sig = 0;
    sigwait(&stop, &sig);
    log_info("registry", "signal %d: stopping", sig);
    registry_stop(reg);
    return 0;
}
