/* registry_pg_race_test.c - two bdc-registry processes on one PostgreSQL
 * database (BDC_TEST_DB, from tests/pg_cluster.sh run), started together
 * with --seed: the database is seeded once; walk-in tickets taken at both
 * at once are numbered 1..N with no number twice; citizens booking the same
 * slot at both at once get exactly its capacity, each booking its own
 * number, and the rest slot-full.
 *
 *   registry_pg_race_test path/to/bdc-registry
 */
#include "base/clock.h"
#include "registry/registry_services.h"
#include "registry/registry_store.h"
#include "registry_http.h"

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define TICKET_THREADS 8
#define TICKETS_EACH   25
#define BOOKERS        12

static char urls[2][64];
static pid_t pids[2];
static int outs[2] = {-1, -1};

/* Starts a registry on the database; its stdout's first line gives the URL. */
static pid_t spawn(const char *bin, const char *db, int *out_fd)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execl(bin, bin, "--listen", "127.0.0.1:0", "--db", db, "--seed", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    *out_fd = p[0];
    return pid;
}

static bool read_url(int fd, char *url, size_t size)
{
    char line[128];
    size_t have = 0;
    while (have < sizeof line - 1) {
        ssize_t n = read(fd, line + have, 1);
        if (n <= 0 || line[have] == '\n')
            break;
        have++;
    }
    line[have] = '\0';
    return strncmp(line, "listening on ", 13) == 0 && str_copy(url, size, line + 13);
}

/* One request to the registry at url_base, safe on any thread (no CHECKs):
 * the status, and into out the body's member of that name, or for a
 * problem its type ("slot-full"). */
static long request(const char *url_base, const char *method, const char *path, const char *kiosk,
                    const char *token, const char *key, const char *body, const char *member,
                    char *out, size_t size)
{
    struct resp r = {0};
    r.body = calloc(1, 1);
    CURL *c = curl_easy_init();
    char url[256], h[3][128];
    snprintf(url, sizeof url, "%s%s", url_base, path);
    struct curl_slist *hs = NULL;
    snprintf(h[0], sizeof h[0], "X-Kiosk-Id: %s", kiosk);
    hs = curl_slist_append(hs, h[0]);
    if (token) {
        snprintf(h[1], sizeof h[1], "Authorization: Bearer %s", token);
        hs = curl_slist_append(hs, h[1]);
    }
    if (key) {
        snprintf(h[2], sizeof h[2], "Idempotency-Key: %s", key);
        hs = curl_slist_append(hs, h[2]);
    }
    hs = curl_slist_append(hs, "Content-Type: application/json");
    hs = curl_slist_append(hs, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    long status = 0;
    char *ct = NULL;
    if (curl_easy_perform(c) == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
        str_copy(r.ctype, sizeof r.ctype, ct ? ct : "");
        r.status = status;
    }
    if (out && status >= 400) {
        problem_type(&r, out, size);
    } else if (out) {
        out[0] = '\0';
        cJSON *j = cJSON_Parse(r.body);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, member);
        if (cJSON_IsString(v))
            str_copy(out, size, v->valuestring);
        else if (cJSON_IsNumber(v))
            snprintf(out, size, "%d", v->valueint);
        cJSON_Delete(j);
    }
    curl_slist_free_all(hs);
    curl_easy_cleanup(c);
    resp_fini(&r);
    return status;
}

/* ---- walk-in tickets at both registries at once --------------------------------- */

struct ticket_worker {
    int index;
    long status[TICKETS_EACH];
    char number[TICKETS_EACH][16];
};

static void *take_tickets(void *arg)
{
    struct ticket_worker *w = arg;
    for (int i = 0; i < TICKETS_EACH; i++) {
        char key[32];
        snprintf(key, sizeof key, "t-%d-%d", w->index, i);
        w->status[i] = request(urls[w->index % 2], "POST", "/v1/tickets", "JZ-R", NULL, key,
                               "{\"kind\":\"walk_in\",\"service\":\"query\"}", "number",
                               w->number[i], sizeof w->number[i]);
    }
    return NULL;
}

static void test_tickets(void)
{
    static struct ticket_worker w[TICKET_THREADS];
    pthread_t t[TICKET_THREADS];
    for (int i = 0; i < TICKET_THREADS; i++) {
        w[i].index = i;
        pthread_create(&t[i], NULL, take_tickets, &w[i]);
    }
    for (int i = 0; i < TICKET_THREADS; i++)
        pthread_join(t[i], NULL);
    const struct registry_service *q = registry_service_find("query");
    CHECK(q != NULL);
    if (!q)
        return;
    static bool seen[TICKET_THREADS * TICKETS_EACH + 1];
    int issued = 0, twice = 0, odd = 0;
    size_t pl = strlen(q->prefix);
    for (int i = 0; i < TICKET_THREADS; i++)
        for (int k = 0; k < TICKETS_EACH; k++) {
            if (w[i].status[k] != 201)
                continue;
            issued++;
            int n = strncmp(w[i].number[k], q->prefix, pl) == 0 ? atoi(w[i].number[k] + pl) : 0;
            if (n < 1 || n > TICKET_THREADS * TICKETS_EACH)
                odd++;
            else if (seen[n])
                twice++;
            else
                seen[n] = true;
        }
    CHECK_EQ_INT(issued, TICKET_THREADS * TICKETS_EACH);
    CHECK_EQ_INT(twice, 0);
    CHECK_EQ_INT(odd, 0);
    printf("tickets: %d issued at two registries, %d numbers twice\n", issued, twice);
}

/* ---- the same slot booked at both registries at once ------------------------------ */

static int citizens[BOOKERS];
static char tokens[BOOKERS][64];

struct booker {
    int index;
    const char *service, *slot;
    pthread_barrier_t *go;
    long status;
    char number[32];
};

static void *book(void *arg)
{
    struct booker *b = arg;
    char body[160], key[48];
    snprintf(body, sizeof body, "{\"service\":\"%s\",\"slot\":\"%s\",\"phone\":\"13812345678\"}",
             b->service, b->slot);
    snprintf(key, sizeof key, "b-%s-%d", b->service, b->index);
    pthread_barrier_wait(b->go);
    b->status = request(urls[b->index % 2], "POST", "/v1/appointments", "JZ-R", tokens[b->index],
                        key, body, "number", b->number, sizeof b->number);
    return NULL;
}

/* The first slot of service with all its places free, into slot. */
static bool free_slot(const struct registry_service *s, char *slot, size_t size)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/appointments/slots?service=%s&days=10", s->code);
    struct resp r = http((struct req){"GET", path, "JZ-R"});
    cJSON *j = cJSON_Parse(r.body);
    const cJSON *d, *sl;
    bool found = false;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(j, "days"))
        cJSON_ArrayForEach(sl, cJSON_GetObjectItemCaseSensitive(d, "slots"))
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(sl, "id");
        const cJSON *left = cJSON_GetObjectItemCaseSensitive(sl, "remaining");
        if (!found && cJSON_IsString(id) && cJSON_IsNumber(left) && left->valueint == s->capacity)
            found = str_copy(slot, size, id->valuestring);
    }
    cJSON_Delete(j);
    resp_fini(&r);
    return found;
}

static void test_bookings(void)
{
    int n = 0;
    char limit[11];
    struct clock_cst c;
    clock_to_cst(clock_wall_s() + 60 * 86400, &c);
    snprintf(limit, sizeof limit, "%04d-%02d-%02d", c.year, c.month, c.day);
    for (int i = 0; i < demo_citizen_count() && n < BOOKERS; i++) {
        struct demo_citizen d;
        if (!demo_citizen_get(i, &d) || d.face != DEMO_FACE_MATCH ||
            (strcmp(d.valid_to, "长期") != 0 && strcmp(d.valid_to, limit) <= 0))
            continue;
        char *b = session_body(&d), key[24];
        snprintf(key, sizeof key, "s-%d", i);
        if (request(urls[0], "POST", "/v1/sessions", "JZ-R", NULL, key, b, "session_token",
                    tokens[n], sizeof tokens[n]) == 201)
            citizens[n++] = i;
        free(b);
    }
    CHECK_EQ_INT(n, BOOKERS);
    int rounds = 0;
    for (int si = 0; si < registry_service_count(); si++) {
        const struct registry_service *s = registry_service_at(si);
        char slot[24];
        if (!s->bookable || !free_slot(s, slot, sizeof slot))
            continue;
        rounds++;
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, BOOKERS);
        struct booker b[BOOKERS];
        pthread_t t[BOOKERS];
        for (int i = 0; i < BOOKERS; i++) {
            b[i] = (struct booker){.index = i, .service = s->code, .slot = slot, .go = &go};
            pthread_create(&t[i], NULL, book, &b[i]);
        }
        for (int i = 0; i < BOOKERS; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&go);
        int booked = 0, full = 0, twice = 0;
        for (int i = 0; i < BOOKERS; i++) {
            booked += b[i].status == 201;
            full += b[i].status == 409 && strcmp(b[i].number, "slot-full") == 0;
            for (int k = 0; k < i; k++)
                twice += b[i].status == 201 && b[k].status == 201 &&
                         strcmp(b[i].number, b[k].number) == 0;
        }
        printf("%s %s: %d booked of %d places, %d slot-full, %d numbers twice\n", s->code, slot,
               booked, s->capacity, full, twice);
        CHECK_EQ_INT(booked, s->capacity);
        CHECK_EQ_INT(full, BOOKERS - s->capacity);
        CHECK_EQ_INT(twice, 0);
        char again[24];
        CHECK(!free_slot(s, again, sizeof again) || strcmp(again, slot) != 0);
    }
    CHECK(rounds >= 5);
}

/* ---- seeded once --------------------------------------------------------------------- */

static void test_seeded_once(const char *db_url)
{
    struct store *db = NULL;
    CHECK_EQ_INT(store_open(db_url, &db), 0);
    if (!db)
        return;
    static const struct {
        const char *sql;
        int (*want)(void);
    } counts[] = {
        {"SELECT count(*) FROM properties", demo_property_count},
        {"SELECT count(*) FROM staff", demo_staff_count},
    };
    for (size_t i = 0; i < ARRAY_LEN(counts); i++) {
        struct store_stmt *st = NULL;
        long long n = -1;
        if (store_prepare(db, counts[i].sql, &st) == 0 && store_step(st) == STORE_ROW)
            n = store_column_int64(st, 0);
        store_finalize(st);
        CHECK_EQ_INT(n, counts[i].want());
    }
    store_close(db);
}

int main(int argc, char **argv)
{
    const char *db = getenv("BDC_TEST_DB");
    if (argc != 2 || !store_is_postgres_target(db)) {
        fprintf(stderr, "registry_pg_race_test: needs BDC_TEST_DB=postgres://... (run it through"
                        " tests/pg_cluster.sh run) and the path of bdc-registry\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!registry_services_available())
        return check_report("registry_pg_race_test");
    /* Both at once, both seeding. */
    for (int i = 0; i < 2; i++)
        pids[i] = spawn(argv[1], db, &outs[i]);
    bool up = pids[0] > 0 && pids[1] > 0 && read_url(outs[0], urls[0], sizeof urls[0]) &&
              read_url(outs[1], urls[1], sizeof urls[1]);
    CHECK(up);
    if (up) {
        str_copy(base, sizeof base, urls[0]);
        test_seeded_once(db);
        test_tickets();
        test_bookings();
    }
    for (int i = 0; i < 2; i++) {
        int status = -1;
        if (pids[i] > 0) {
            kill(pids[i], SIGTERM);
            waitpid(pids[i], &status, 0);
        }
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        if (outs[i] >= 0)
            close(outs[i]);
    }
    curl_global_cleanup();
    return check_report("registry_pg_race_test");
}
