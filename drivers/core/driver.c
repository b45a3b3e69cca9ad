/* driver.c - the driver registry: a small fixed table behind a mutex.
 *
 * Written at start-up by the program (app/devices.c), read when devices
 * are opened and by hotplug and diagnostics threads.
 * Fixed size because the set of drivers is known at build time.
 */
#include "driver.h"

#include "base/err.h"
#include "base/util.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t driver_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct driver_info *driver_table[DRIVER_MAX];
static size_t driver_n;

int driver_register(const struct driver_info *d)
{
    if (!d || !d->name || !d->name[0])
        return ERR_INVALID;
    int rc = 0;
    pthread_mutex_lock(&driver_lock);
    for (size_t i = 0; i < driver_n; i++) {
        if (driver_table[i]->cls == d->cls && strcmp(driver_table[i]->name, d->name) == 0) {
            rc = ERR_BUSY;
            goto out;
        }
    }
    if (driver_n == DRIVER_MAX) {
        rc = ERR_FULL;
        goto out;
    }
    driver_table[driver_n++] = d;
out:
    pthread_mutex_unlock(&driver_lock);
    return rc;
}

void driver_clear(void)
{
    pthread_mutex_lock(&driver_lock);
    driver_n = 0;
    pthread_mutex_unlock(&driver_lock);
}

const struct driver_info *driver_find(const char *name)
{
    const struct driver_info *found = NULL;
    if (!name)
        return NULL;
    pthread_mutex_lock(&driver_lock);
    for (size_t i = 0; i < driver_n && !found; i++)
        if (strcmp(driver_table[i]->name, name) == 0)
            found = driver_table[i];
    pthread_mutex_unlock(&driver_lock);
    return found;
}

const struct driver_info *driver_find_class(enum driver_class cls, const char *name)
{
    const struct driver_info *found = NULL;
    if (!name)
        return NULL;
    pthread_mutex_lock(&driver_lock);
    for (size_t i = 0; i < driver_n && !found; i++)
        if (driver_table[i]->cls == cls && strcmp(driver_table[i]->name, name) == 0)
            found = driver_table[i];
    pthread_mutex_unlock(&driver_lock);
    return found;
}

int driver_format_names(enum driver_class cls, char *out, size_t size)
{
    if (!out || size == 0)
        return ERR_INVALID;
    size_t used = 0;
    int rc = 0;
    out[0] = '\0';
    pthread_mutex_lock(&driver_lock);
    for (size_t i = 0; i < driver_n && rc == 0; i++) {
        if (driver_table[i]->cls != cls)
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", driver_table[i]->name);
        if (n < 0 || (size_t)n >= size - used) {
            out[used] = '\0';
            rc = ERR_TOOBIG;
        } else {
            used += (size_t)n;
        }
    }
    pthread_mutex_unlock(&driver_lock);
    return rc ? rc : (int)used;
}

const struct driver_info *driver_find_usb(enum driver_class cls, uint16_t vid, uint16_t pid)
{
    const struct driver_info *found = NULL;
    pthread_mutex_lock(&driver_lock);
    for (size_t i = 0; i < driver_n && !found; i++) {
        const struct driver_info *d = driver_table[i];
        if (d->cls != cls || !d->usb_ids)
            continue;
        for (const struct driver_usb_id *id = d->usb_ids; id->vid || id->pid; id++)
            if (id->vid == vid && id->pid == pid) {
                found = d;
                break;
            }
    }
    pthread_mutex_unlock(&driver_lock);
    return found;
}

size_t driver_count(void)
{
    pthread_mutex_lock(&driver_lock);
    size_t n = driver_n;
    pthread_mutex_unlock(&driver_lock);
    return n;
}

const struct driver_info *driver_at(size_t i)
{
    const struct driver_info *d = NULL;
    pthread_mutex_lock(&driver_lock);
    if (i < driver_n)
        d = driver_table[i];
    pthread_mutex_unlock(&driver_lock);
    return d;
}

int driver_usb_id_parse(const char *s, uint16_t *vid, uint16_t *pid)
{
    if (!s || strlen(s) != 9 || s[4] != ':')
        return ERR_INVALID;
    unsigned v[2] = {0, 0};
    for (int i = 0; i < 9; i++) {
        if (i == 4)
            continue;
        int d = hex_value(s[i]);
        if (d < 0)
            return ERR_INVALID;
        v[i > 4] = v[i > 4] * 16 + (unsigned)d;
    }
    *vid = (uint16_t)v[0];
    *pid = (uint16_t)v[1];
    return 0;
}
