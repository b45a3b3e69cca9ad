/* staff_pins.h - the staff PINs that open the kiosk's maintenance mode,
 * and the lockout that slows down whoever guesses them, in one SQLite
 * file.
 *
 * DESIGN: staff reach the PIN screen by a hidden gesture or by laying
 * their staff card on the ID reader, then type 4 to 8 digits on the
 * on-screen keypad. A row per staff member holds
 * "pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX": PBKDF2-HMAC-SHA256 (OpenSSL)
 * over the PIN with a 16-byte salt from RAND_bytes, 32 bytes derived,
 * lowercase hex. ITER is STAFF_PINS_ITERATIONS when the PIN is set, and a
 * check uses the row's own ITER, so the constant can be raised in a later
 * build: an old row still checks, and a right PIN on it is hashed again
 * with the new count. 300,000 iterations, measured on the development
 * machine (AMD EPYC, 2 cores, OpenSSL 3.0.19): 89 ms best of 7, up to
 * 150 ms, while another test suite kept both cores busy; 100,000 took
 * 23 ms at best, so about 70 ms on an idle core. A check of one staff
 * member costs one hash,
 * the gesture route (any staff) one per staff member, at most
 * STAFF_PINS_MAX. The comparison is constant-time (CRYPTO_memcmp); copies
 * of the PIN and the derived keys are wiped (explicit_bzero).
 *
 * The hash cannot protect a 4-digit PIN from someone who holds the file
 * (10,000 guesses at 90 ms is a quarter of an hour); the file is created
 * 0600 and lives on the kiosk's disk. At the keypad the lockout is the
 * defence: the fifth wrong PIN in a row locks entry for 60 s, the next
 * lock (five more wrong) 120 s, then 240 s, ... up to an hour a lock;
 * a right PIN clears the count and the doubling. The lock is the kiosk's,
 * not a staff member's (the gesture route names nobody). It lives in the
 * same file, each change one committed transaction (WAL,
 * synchronous=FULL), and is written before a check returns, so pulling
 * the plug after a wrong PIN does not earn another try. While locked, no
 * hash is computed at all. A lock that ends more than an hour ahead (the
 * wall clock was set back) is shortened to an hour from now.
 *
 * Privacy and secrets: no log line holds a PIN, a hash or a salt; staff
 * numbers are logged when a PIN is set or removed, never on a check.
 *
 * Threads: one struct staff_pins per thread. Calls block on the disk (an
 * fsync per change) and a check on the hashes: from a worker, never the UI
 * thread.
 */
#ifndef STORE_STAFF_PINS_H
#define STORE_STAFF_PINS_H

#include <stdbool.h>
#include <stdint.h>

/* Iterations of PBKDF2 for a PIN set by this build. The unit test builds
 * the store with a lower count (tests/unit/staff_pins.cmake defines it);
 * the kiosk and the tool never do. */
#ifndef STAFF_PINS_ITERATIONS
#define STAFF_PINS_ITERATIONS 300000
#endif
#define STAFF_PINS_ITER_MIN 1000     /* a row below is damaged */
#define STAFF_PINS_ITER_MAX 10000000 /* a row above is damaged (a check must end) */

#define STAFF_NO_MAX       16 /* 1..15 of [0-9A-Za-z], and the NUL */
#define STAFF_PIN_MIN      4  /* digits */
#define STAFF_PIN_MAX      8
#define STAFF_PINS_MAX     32 /* staff members with a PIN */
#define STAFF_LOCK_AFTER   5  /* wrong PINs in a row that lock */
#define STAFF_LOCK_FIRST_S 60
#define STAFF_LOCK_MAX_S   3600

struct staff_pins;

/* Opens (creating if absent, 0600) the store at path; its folder must
 * exist. Every row is checked here: a file that is not this store (not
 * SQLite, or another program's database), or one whose rows fail their
 * checks (a malformed hash or staff number, an impossible lock), is
 * refused with one log line saying what is wrong and what to do.
 * Returns 0 and *out (owned; staff_pins_close), ERR_CORRUPT, ERR_IO
 * (cannot open or create; logged), ERR_NOMEM. */
/* A staff number: 1..15 of [0-9A-Za-z]. A PIN: 4..8 digits. */
bool staff_pins_no_valid(const char *staff_no);
bool staff_pins_pin_valid(const char *pin);

int staff_pins_open(const char *path, struct staff_pins **out);

/* Closes; NULL is a no-op. */
void staff_pins_close(struct staff_pins *p);

/* Sets staff_no's PIN, replacing any it had (staff_no: 1..15 of
 * [0-9A-Za-z]; pin: 4..8 digits; both borrowed). Logs the staff number.
 * Returns 0, ERR_INVALID (bad staff_no or pin), ERR_FULL (STAFF_PINS_MAX
 * staff have a PIN and staff_no is not one of them, or the disk is full),
 * ERR_IO. */
int staff_pins_set(struct staff_pins *p, const char *staff_no, const char *pin);

/* Removes staff_no's PIN. Logs the staff number. Returns 0, ERR_INVALID,
 * ERR_NOTFOUND, ERR_IO. */
int staff_pins_remove(struct staff_pins *p, const char *staff_no);

/* Staff members with a PIN, or ERR_IO. */
int staff_pins_count(struct staff_pins *p);

/* Up to max staff numbers, in order, into staff_no. Returns how many were
 * written, or ERR_IO. */
int staff_pins_list(struct staff_pins *p, char (*staff_no)[STAFF_NO_MAX], int max);

enum staff_verdict { STAFF_PIN_OK = 0, STAFF_PIN_WRONG, STAFF_PIN_LOCKED };

/* Checks pin at wall time now_s (seconds). staff_no NULL or "": any staff
 * member's PIN (the gesture route); else that staff member's (the card
 * route; an unknown staff number costs the same hash and is WRONG).
 *   OK      who (may be NULL) holds the staff number whose PIN it is; the
 *           failure count and the doubling are cleared.
 *   WRONG   a failure is counted (committed before the return); the fifth
 *           in a row locks, and *locked_until_s says until when.
 *   LOCKED  entry is locked: nothing hashed, nothing counted.
 * *locked_until_s (may be NULL) is when the lock in force after this call
 * ends, 0 when none is; who is "" unless OK. Returns 0 with *verdict;
 * ERR_INVALID (p, pin or verdict NULL; staff_no or pin malformed:
 * nothing counted, the keypad never sends those); ERR_IO (a failure
 * could not be recorded: no verdict, entry stays shut). */
int staff_pins_check(struct staff_pins *p, const char *staff_no, const char *pin, int64_t now_s,
                     enum staff_verdict *verdict, char who[STAFF_NO_MAX], int64_t *locked_until_s);

/* The lock's state at now_s, for the PIN screen ("locked until 09:45"):
 * *failures (may be NULL) wrong PINs in a row since the last lock or
 * right PIN (0..4), *locked_until_s (may be NULL) when the lock ends, 0
 * when entry is open. Returns 0, ERR_IO. */
int staff_pins_lock(struct staff_pins *p, int64_t now_s, int *failures, int64_t *locked_until_s);

/* Demo mode: when no staff member has a PIN, gives demo staff member
 * "0312" the PIN "2468". The caller decides when (--demo). Returns 1
 * (seeded), 0 (staff exist: nothing done), or an error of
 * staff_pins_count / staff_pins_set. */
int staff_pins_seed_demo(struct staff_pins *p);

#define STAFF_DEMO_NO  "0312"
#define STAFF_DEMO_PIN "2468"

#endif
