/* registry_link.c - the registry this kiosk talks to, its client, and
 * the outbox pump that delivers through it.
 *
 * The URL comes from --registry, else [registry] url; in demo mode
 * without either, the bundled reference registry runs as a child process
 * (registry_child.c) and the kiosk talks to it on loopback, plain HTTP.
 * Over https:// the kiosk presents [registry] client_cert and client_key
 * (the registry knows it by the certificate's CN) and trusts ca_file; a
 * named file it cannot read stops it at start-up. The client is the
 * backend worker (backend/backend.h), which reports through the bus.
 * The outbox ([kiosk] outbox, else <output_dir>/outbox.sqlite, as the
 * print journal) has its own thread (outbox_pump.h), which stops before
 * the client. Main thread, at start-up and shutdown.
 */
#include "app.h"

#include "backend/backend.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "outbox_pump.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The TLS files named in [registry] must be readable: a typo would
 * otherwise look like a registry that is down, on every call. */
static int tls_files_check(const struct app *a)
{
    const struct {
        const char *key, *path;
    } files[] = {{"ca_file", a->cfg.ca_file},
                 {"client_cert", a->cfg.client_cert},
                 {"client_key", a->cfg.client_key}};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        if (files[i].path[0] && access(files[i].path, R_OK) != 0) {
            log_err("app", "[registry] %s = %s: cannot read it", files[i].key, files[i].path);
            return ERR_INVALID;
        }
    }
    if (strncmp(a->registry_url, "https://", 8) == 0 && !a->cfg.client_cert[0])
        log_warn("app", "no [registry] client_cert: the registry will not know this kiosk");
    return ERR_OK;
}

int registry_link_check(struct app *a)
{
    a->registry.out_fd = -1; /* registry_link_stop is safe before the child starts */
    a->registry_url = a->opt.registry_url ? a->opt.registry_url : a->cfg.registry_url;
    if (tls_files_check(a))
        return ERR_INVALID;
    if (!a->registry_url[0] && !a->opt.demo) {
        log_err("app", "no registry configured ([registry] url) and not in demo mode");
        return ERR_INVALID;
    }
    return ERR_OK;
}

int registry_link_start(struct app *a, const char *argv0)
{
    if (a->registry_url[0])
        return ERR_OK;
    return registry_child_start(&a->registry, argv0) == 0 ? ERR_OK : ERR_IO;
}

int registry_link_connect(struct app *a)
{
    if (!a->registry_url[0]) {
        if (registry_child_wait_url(&a->registry, 5000) != 0)
            return ERR_TIMEOUT;
        a->registry_url = a->registry.url;
    }
    struct backend_config bc;
    backend_config_default(&bc);
    bc.base_url = a->registry_url;
    bc.kiosk_id = a->cfg.kiosk_id;
    bc.ca_file = a->cfg.ca_file[0] ? a->cfg.ca_file : NULL;
    bc.client_cert = a->cfg.client_cert[0] ? a->cfg.client_cert : NULL;
    bc.client_key = a->cfg.client_key[0] ? a->cfg.client_key : NULL;
    bc.connect_timeout_ms = a->cfg.connect_timeout_ms;
    bc.total_timeout_ms = a->cfg.timeout_ms;
    bc.retries = a->cfg.retries;
    bc.health_interval_ms = a->cfg.health_interval_s * 1000;
    a->backend = backend_create(&bc, inbox_reply, inbox_registry_state, a);
    return a->backend ? ERR_OK : ERR_NETWORK;
}

int registry_link_start_outbox(struct app *a)
{
    char path[512];
    devices_state_path(&a->cfg, a->cfg.outbox, "outbox.sqlite", path, sizeof path);
    struct outbox_pump_config oc = {.path = path, .backend = a->backend};
    int rc = outbox_pump_start(&oc, &a->outbox);
    if (rc)
        log_err("app", "outbox %s: %s", path, err_str(rc));
    return rc;
}

void registry_link_stop(struct app *a)
{
    outbox_pump_stop(a->outbox); /* it submits to the client: first */
    a->outbox = NULL;
    backend_destroy(a->backend);
    a->backend = NULL;
    registry_child_stop(&a->registry);
}
