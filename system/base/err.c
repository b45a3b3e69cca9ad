/* err.c - string tables for enum err. */
#include "err.h"

static const struct {
    const char *name;
    const char *text;
} err_table[ERR_COUNT] = {
    {"ok", "success"},
    {"invalid", "invalid argument or malformed input"},
    {"nomem", "out of memory"},
    {"toobig", "input exceeds a hard limit"},
    {"timeout", "timed out"},
    {"io", "input/output error"},
    {"nodev", "device not connected"},
    {"busy", "resource busy"},
    {"full", "queue or buffer full"},
    {"empty", "nothing available"},
    {"checksum", "checksum mismatch"},
    {"protocol", "protocol violation"},
    {"notfound", "not found"},
    {"network", "network unreachable"},
    {"server", "server error"},
    {"rejected", "request rejected"},
    {"badreply", "malformed reply"},
    {"cancelled", "cancelled"},
    {"closed", "closed"},
    {"unsupported", "not supported"},
    {"corrupt", "stored data damaged"},
};

const char *err_str(int err)
{
    int i = -err;
    if (i < 0 || i >= ERR_COUNT)
        return "unknown error";
    return err_table[i].text;
}

const char *err_name(int err)
{
    int i = -err;
    if (i < 0 || i >= ERR_COUNT)
        return "unknown";
    return err_table[i].name;
}
