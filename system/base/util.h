/* util.h - small string helpers used at every layer. Pure functions. */
#ifndef BASE_UTIL_H
#define BASE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Copies src into dst (size bytes, always NUL-terminated), never cutting a
 * UTF-8 sequence in half. Returns true if all of src fitted. */
bool str_copy(char *dst, size_t size, const char *src);

/* Number of UTF-8 code points in s (invalid bytes count as one each). */
size_t utf8_len(const char *s);

/* Length in bytes of the UTF-8 sequence starting at s (1 for invalid). */
size_t utf8_seq_len(const char *s);

/* Masks a name for display: the first character, then one '*' per
 * remaining character ("张三丰" -> "张**"). out holds at least size bytes. */
void mask_name(const char *name, char *out, size_t size);

/* Masks an ID number: the first 4 and last 4 characters, '*' between
 * ("410802199003071234" -> "4108**********1234"). Short input is masked
 * whole. out holds at least size bytes (19 for an 18-digit number). */
void mask_id(const char *id, char *out, size_t size);

/* GB 11643-1999 (ISO 7064 MOD 11-2) check character for the first 17
 * digits of id: '0'..'9' or 'X'. Returns 0 if id[0..16] are not digits. */
char idnum_check_char(const char *id17);

/* True if id is 18 characters, 17 digits and a correct check character. */
bool idnum_is_valid(const char *id);

/* 32 lowercase hex digits of 128 bits from the kernel's random pool, and a
 * NUL, into out (size >= 33): Idempotency-Keys. 0, ERR_INVALID (too
 * small) or ERR_IO. */
int random_hex32(char *out, size_t size);

/* Whether s is a mainland mobile number: 11 digits, 1[3-9] then 9 more
 * (what bookings take, system/api/README.md; the kiosk and the registry
 * both check it). */
bool phone_is_mobile(const char *s);

/* Whether s holds a run of 17 or more ASCII digits: what an ID number
 * leaves in a text, with or without its check character. The audit trail
 * refuses such a text on both sides (the kiosk's formatter, the
 * registry), so it can never carry a citizen's number. */
bool text_has_idnum(const char *s);

/* Whether action is one of the audit trail's actions (POST /v1/audit):
 * enter, enter_refused, exit, test_slip, test_page, paper_refilled,
 * job_retried, job_cancelled, out_of_service, in_service, settings,
 * restart. */
bool audit_action_is_known(const char *action);

/* v with thousands separators ("1,280") into out; returns out. */
#define FMT_THOUSANDS_MAX 28 /* "18,446,744,073,709,551,615" */
const char *fmt_thousands(uint64_t v, char out[FMT_THOUSANDS_MAX]);

/* An amount in fen as yuan with thousands separators: 48000000 ->
 * "480,000.00", -250 -> "-2.50". out holds size bytes (32 suffice). */
void fmt_fen(int64_t fen, char *out, size_t size);

/* The value of hex digit c (0-9, a-f, A-F), or -1. */
int hex_value(int c);

/* Overwrites n bytes at p, then hands the whole pages among them back to
 * the kernel (they read as zeros after): a large buffer wiped at a
 * visit's end stops counting in the resident memory until it is used
 * again. Whole pages that are not resident (never written) are not
 * overwritten, so wiping a buffer sized for the largest frame costs only
 * the part a frame used. p is private memory of this process (malloc's). */
void wipe_release(void *p, size_t n);

/* The folder of the running program (/proc/self/exe's, "/usr/bin") into
 * out; false when it cannot be read or does not fit. */
bool exe_dir(char *out, size_t size);

#endif
