#!/bin/sh
# print_cups.sh TEST_BINARY - runs the CUPS delivery test against a private
# cupsd with a byte-capturing backend (tests/cups_lib.sh), so the real
# libcups path is used without touching the machine's CUPS. After every
# job the test checks that this cupsd still runs and answers: a kiosk's
# certificate must never take down a hall's print server.
set -eu
bin=$1
. "$(dirname "$0")/../cups_lib.sh"
trap cups_stop EXIT INT TERM
cups_start
cups_queue Capture
cups_queue Stopped
cups_queue Held # the test stops and starts it (cupsdisable, cupsenable)
cups_queue_slow Slow
cupsdisable Stopped

"$bin" "$CUPS_OUT"
if cups_crashed; then
    echo "FAIL: the scheduler logged a crash"
    exit 1
fi
cups_alive || { echo "FAIL: cupsd is gone"; exit 1; }
