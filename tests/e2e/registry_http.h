/* registry_http.h - the tests' HTTP client for bdc-registry: one request
 * with the kiosk's headers, the whole reply kept. Included by the registry
 * tests (static functions, each test its own copy of check.h's counters).
 * Set `base` to the registry's URL first. Test thread only.
 */
#ifndef TESTS_E2E_REGISTRY_HTTP_H
#define TESTS_E2E_REGISTRY_HTTP_H

#include "base/util.h"
#include "demo/demo.h"
#include "../unit/check.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char base[128];

struct resp {
    long status;
    char ctype[96];
    char *body;
    size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
    struct resp *r = user;
    char *grown = realloc(r->body, r->len + size * n + 1);
    if (!grown)
        return 0;
    r->body = grown;
    memcpy(r->body + r->len, p, size * n);
    r->len += size * n;
    r->body[r->len] = '\0';
    return size * n;
}

static void resp_fini(struct resp *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}

struct req {
    const char *method, *path, *kiosk, *token, *key, *body, *accept;
};

static struct resp http(struct req q)
{
    struct resp r = {0};
    r.body = calloc(1, 1);
    CURL *c = curl_easy_init();
    char url[512], h[256];
    snprintf(url, sizeof url, "%s%s", base, q.path);
    struct curl_slist *hs = NULL;
    if (q.kiosk) {
        snprintf(h, sizeof h, "X-Kiosk-Id: %s", q.kiosk);
        hs = curl_slist_append(hs, h);
    }
    if (q.token) {
        snprintf(h, sizeof h, "Authorization: Bearer %s", q.token);
        hs = curl_slist_append(hs, h);
    }
    if (q.key) {
        snprintf(h, sizeof h, "Idempotency-Key: %s", q.key);
        hs = curl_slist_append(hs, h);
    }
    if (q.accept) {
        snprintf(h, sizeof h, "Accept: %s", q.accept);
        hs = curl_slist_append(hs, h);
    }
    if (q.body)
        hs = curl_slist_append(hs, "Content-Type: application/json");
    hs = curl_slist_append(hs, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q.method ? q.method : "GET");
    if (q.body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, q.body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(q.body));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    CURLcode rc = curl_easy_perform(c);
    CHECK_EQ_INT(rc, CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    str_copy(r.ctype, sizeof r.ctype, ct ? ct : "");
    curl_slist_free_all(hs);
    curl_easy_cleanup(c);
    return r;
}

/* The problem type of a reply ("not_found" of urn:bdc:problem:not_found),
 * "" if it is not a well-formed problem: application/problem+json with a
 * title and the reply's own status. */
static const char *problem_type(const struct resp *r, char *out, size_t size)
{
    out[0] = '\0';
    if (strcmp(r->ctype, "application/problem+json") != 0)
        return out;
    cJSON *j = cJSON_Parse(r->body);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "type");
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(j, "title");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
    if (cJSON_IsString(t) && strncmp(t->valuestring, "urn:bdc:problem:", 16) == 0 &&
        cJSON_IsString(title) && title->valuestring[0] && cJSON_IsNumber(st) &&
        st->valueint == r->status)
        str_copy(out, size, t->valuestring + 16);
    cJSON_Delete(j);
    return out;
}

#define CHECK_PROBLEM(resp, status_, type_)                                                        \
    do {                                                                                           \
        char t_[64];                                                                               \
        CHECK_EQ_INT((resp).status, status_);                                                      \
        CHECK_EQ_STR(problem_type(&(resp), t_, sizeof t_), type_);                                 \
    } while (0)

/* The POST /v1/sessions body for a card; face fields as given. Returns
 * malloc'd. */
static inline char *session_body_as(const struct demo_citizen *d, bool consent, bool live)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *card = cJSON_AddObjectToObject(j, "card");
    cJSON_AddStringToObject(card, "type", "resident");
    cJSON_AddStringToObject(card, "id_number", d->id_number);
    cJSON_AddStringToObject(card, "name", d->name);
    cJSON_AddStringToObject(card, "gender", d->gender);
    cJSON_AddStringToObject(card, "ethnicity", d->ethnicity);
    cJSON_AddStringToObject(card, "birth_date", d->birth_date);
    cJSON_AddStringToObject(card, "address", d->address);
    cJSON_AddStringToObject(card, "issuer", d->issuer);
    cJSON_AddStringToObject(card, "valid_from", d->valid_from);
    cJSON_AddStringToObject(card, "valid_to", d->valid_to);
    cJSON *face = cJSON_AddObjectToObject(j, "face");
    cJSON_AddBoolToObject(face, "consent", consent);
    cJSON_AddStringToObject(face, "image_jpeg", "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA==");
    cJSON *l = cJSON_AddObjectToObject(face, "liveness");
    cJSON_AddBoolToObject(l, "passed", live);
    cJSON_AddStringToObject(l, "challenge", "blink");
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}

/* The body of a visit that passes: consent and liveness given. */
static inline char *session_body(const struct demo_citizen *d)
{
    return session_body_as(d, true, true);
}

#endif
