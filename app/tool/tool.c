/* tool.c - bdc-kiosk-tool's dispatcher; see tool.h. */
#include "tool/tool.h"

#include <stdio.h>
#include <string.h>

/* Weak, so the tool links while a command group is left out of a build
 * (a kiosk image without the camera stack, say); it then says so. */
#pragma weak tool_idcard_main
#pragma weak tool_face_main
#pragma weak tool_escpos_main
#pragma weak tool_staff_main

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} groups[] = {
    {"idcard", tool_idcard_main, "idcard decode FILE [--unmasked] | idcard read"},
    {"face", tool_face_main, "face detect IMAGE"},
    {"escpos", tool_escpos_main, "escpos render FILE OUT.png"},
    {"staff", tool_staff_main,
     "staff set-pin STAFF_NO | staff remove STAFF_NO | staff list  [--pins PATH | --config INI]"},
};

static int usage(FILE *f)
{
    fprintf(f, "usage: bdc-kiosk-tool COMMAND ...\n");
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        fprintf(f, "       bdc-kiosk-tool %s\n", groups[i].usage);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (!strcmp(argv[1], groups[i].name)) {
            if (!groups[i].run) {
                fprintf(stderr, "bdc-kiosk-tool: '%s' is not part of this build\n", argv[1]);
                return 1;
            }
            return groups[i].run(argc - 2, argv + 2);
        }
    fprintf(stderr, "bdc-kiosk-tool: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
