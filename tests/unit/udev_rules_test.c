/* udev_rules_test.c - 70-bdc-kiosk.rules as the build generated it
 * (argv[1]) against the tables it comes from (udev_tables.h): every USB id
 * of the drivers and the bridges has exactly one rule, no rule names an id
 * the tables do not, each class rule is there, and every rule gives the
 * kiosk's group 0660. Debian 12's udev (252) has no `udevadm verify`, so
 * the file's syntax is checked here the way udev reads a line: KEY,
 * KEY{attr}, an operator the key takes, a double-quoted value, pairs
 * separated by commas, nothing else; a comment only on a line of its own
 * (udev drops a whole rule with a "#" after it). The checker is shown bad
 * lines first, so it can fail.
 */
#include "check.h"

#include "deploy/udev/udev_tables.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys the generator may use, and whether they match (==, !=) or assign
 * (=, +=, :=), and whether they take {attr}. */
static const struct {
    const char *key;
    bool match;
    bool attr;
} keys[] = {
    {"ACTION", true, false}, {"SUBSYSTEM", true, false}, {"KERNEL", true, false},
    {"ATTR", true, true},    {"ATTRS", true, true},      {"ENV", true, true},
    {"MODE", false, false},  {"GROUP", false, false},    {"GOTO", false, false},
    {"LABEL", false, false},
};

struct pair {
    char key[16], attr[32], op[3], value[128];
};

/* Parses one rule line into up to max pairs. Returns the count, or -1 with
 * why set if udev would not take the line. */
static int parse_rule(const char *line, struct pair *out, int max, const char **why)
{
    const char *p = line;
    int n = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t' || (n > 0 && *p == ','))
            p++;
        if (!*p || *p == '\n')
            break;
        if (n == max)
            return *why = "too many pairs", -1;
        struct pair *q = &out[n];
        memset(q, 0, sizeof *q);
        size_t k = 0;
        while (isupper((unsigned char)*p) || *p == '_')
            if (k < sizeof q->key - 1)
                q->key[k++] = *p++;
            else
                return *why = "key too long", -1;
        if (!k)
            return *why = "not a key", -1;
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (!e || (size_t)(e - p - 1) >= sizeof q->attr || e == p + 1)
                return *why = "bad {attribute}", -1;
            memcpy(q->attr, p + 1, (size_t)(e - p - 1));
            p = e + 1;
        }
        static const char *const ops[] = {"==", "!=", "+=", "-=", ":=", "="};
        size_t o = 0;
        while (o < sizeof ops / sizeof ops[0] && strncmp(p, ops[o], strlen(ops[o])) != 0)
            o++;
        if (o == sizeof ops / sizeof ops[0])
            return *why = "no operator", -1;
        snprintf(q->op, sizeof q->op, "%s", ops[o]);
        p += strlen(ops[o]);
        if (*p != '"')
            return *why = "value not quoted", -1;
        const char *e = strchr(p + 1, '"');
        if (!e || (size_t)(e - p - 1) >= sizeof q->value)
            return *why = "value not closed", -1;
        memcpy(q->value, p + 1, (size_t)(e - p - 1));
        p = e + 1;
        if (*p && *p != ',' && *p != '\n')
            return *why = "text after a value", -1;
        size_t j = 0;
        while (j < sizeof keys / sizeof keys[0] && strcmp(keys[j].key, q->key) != 0)
            j++;
        if (j == sizeof keys / sizeof keys[0])
            return *why = "unknown key", -1;
        bool is_match = !strcmp(q->op, "==") || !strcmp(q->op, "!=");
        if (is_match != keys[j].match)
            return *why = "operator the key does not take", -1;
        if ((q->attr[0] != '\0') != keys[j].attr)
            return *why = "{attribute} wrong for the key", -1;
        n++;
    }
    return n ? n : (*why = "empty", -1);
}

static const char *value_of(const struct pair *p, int n, const char *key, const char *attr)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(p[i].key, key) && !strcmp(p[i].attr, attr))
            return p[i].value;
    return NULL;
}

/* The ids the tables name, and how often the rules matched each. */
struct want {
    unsigned vid, pid;
    int seen;
};

int main(int argc, char **argv)
{
    struct pair p[12];
    const char *why = NULL;
    /* The checker itself: lines udev would drop. */
    static const char *const bad[] = {
        "SUBSYSTEM==\"usb\", MODE=\"0660\" # a comment after a rule",
        "SUBSYSTEM==\"usb, MODE=\"0660\"",
        "SUBSYSTEM=\"usb\", MODE=\"0660\"",
        "SUBSYSTEM==\"usb\", MODE==\"0660\"",
        "ATTR==\"x\", MODE=\"0660\"",
        "SUBSYSTEM==\"usb\" MODE=\"0660\"x",
        "SUBSYSTEMZ==\"usb\", MODE=\"0660\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(parse_rule(bad[i], p, 12, &why) < 0);
    CHECK_EQ_INT(
        parse_rule("SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"1a86\", GROUP=\"g\"", p, 12, &why), 3);

    if (argc != 2) {
        fprintf(stderr, "usage: udev_rules_test RULES_FILE\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    struct want want[64];
    size_t nwant = 0;
    for (size_t i = 0; i < udev_drivers_len; i++)
        for (const struct driver_usb_id *id = udev_drivers[i]->usb_ids; id && (id->vid || id->pid);
             id++)
            want[nwant++] = (struct want){id->vid, id->pid, 0};
    for (const struct driver_usb_id *id = udev_serial_bridges; id->vid || id->pid; id++)
        want[nwant++] = (struct want){id->vid, id->pid, 0};
    CHECK(nwant >= 3); /* the reader's two ids and at least one bridge */

    char line[512];
    int lineno = 0, rules = 0, with_id = 0, goto_end = 0, label_end = 0;
    size_t classes_seen = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        const char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#' || *s == '\n' || !*s)
            continue;
        int n = parse_rule(s, p, 12, &why);
        if (n < 0) {
            fprintf(stderr, "%s:%d: %s: %s", argv[1], lineno, why, line);
            CHECK(n >= 0);
            continue;
        }
        rules++;
        if (value_of(p, n, "GOTO", "")) {
            goto_end += !strcmp(value_of(p, n, "GOTO", ""), "bdc_kiosk_end");
            continue;
        }
        if (value_of(p, n, "LABEL", "")) {
            label_end += !strcmp(value_of(p, n, "LABEL", ""), "bdc_kiosk_end");
            continue;
        }
        const char *mode = value_of(p, n, "MODE", "");
        const char *group = value_of(p, n, "GROUP", "");
        if (!mode || strcmp(mode, "0660") != 0 || !group || strcmp(group, "bdc-kiosk") != 0) {
            fprintf(stderr, "%s:%d: not MODE 0660, GROUP bdc-kiosk: %s", argv[1], lineno, line);
            CHECK(false);
        }
        const char *v = value_of(p, n, "ATTR", "idVendor");
        const char *pr = value_of(p, n, "ATTR", "idProduct");
        if (!v) {
            v = value_of(p, n, "ATTRS", "idVendor");
            pr = value_of(p, n, "ATTRS", "idProduct");
        }
        if (v || pr) {
            with_id++;
            unsigned vid = v ? (unsigned)strtoul(v, NULL, 16) : 0;
            unsigned pid = pr ? (unsigned)strtoul(pr, NULL, 16) : 0;
            bool known = false;
            for (size_t i = 0; i < nwant; i++)
                if (want[i].vid == vid && want[i].pid == pid) {
                    want[i].seen++;
                    known = true;
                }
            if (!known || !v || !pr || strlen(v) != 4 || strlen(pr) != 4) {
                fprintf(stderr, "%s:%d: an id the tables do not name: %s", argv[1], lineno, line);
                CHECK(false);
            }
            continue;
        }
        /* A class rule: its matches as the table wrote them. */
        bool known = false;
        for (size_t i = 0; i < udev_class_rules_len; i++)
            if (!strncmp(s, udev_class_rules[i].match, strlen(udev_class_rules[i].match))) {
                known = true;
                classes_seen++;
            }
        if (!known) {
            fprintf(stderr, "%s:%d: a rule the tables do not have: %s", argv[1], lineno, line);
            CHECK(false);
        }
    }
    fclose(f);
    for (size_t i = 0; i < nwant; i++)
        if (want[i].seen != 1) {
            fprintf(stderr, "%04x:%04x has %d rules, not 1\n", want[i].vid, want[i].pid,
                    want[i].seen);
            CHECK(false);
        }
    CHECK_EQ_INT(with_id, nwant);
    CHECK_EQ_INT(classes_seen, udev_class_rules_len);
    CHECK_EQ_INT(goto_end, 1);
    CHECK_EQ_INT(label_end, 1);
    CHECK_EQ_INT(rules, (int)(nwant + udev_class_rules_len) + 2);
    return check_report("udev_rules_test");
}
