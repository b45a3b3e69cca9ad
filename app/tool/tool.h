/* tool.h - bdc-kiosk-tool: the developer and integrator command line.
 *
 * One file per command group (tool_idcard.c, tool_face.c, tool_escpos.c,
 * tool_staff.c),
 * each exporting one entry point that takes the arguments after the group
 * name. A command prints its result to stdout (JSON where a program may
 * read it), errors to stderr, and returns the process exit status:
 * 0 done, 1 failed, 2 usage.
 */
#ifndef TOOL_TOOL_H
#define TOOL_TOOL_H

int tool_idcard_main(int argc, char **argv); /* idcard decode FILE | idcard read */
int tool_face_main(int argc, char **argv);   /* face detect IMAGE */
int tool_escpos_main(int argc, char **argv); /* escpos render FILE OUT.png */
int tool_staff_main(int argc, char **argv);  /* staff set-pin STAFF_NO | remove | list */

#endif
