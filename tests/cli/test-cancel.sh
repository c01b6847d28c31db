#!/bin/bash
# SIGINT cancels the job at a safe point: exit 6, and the board stays usable.
. "$(dirname "$0")/lib.sh"

head -c 262144 /dev/urandom >"$TMP/fw.bin"
sim fresh program "$TMP/fw.bin" --verify --test-sigint-after 50
check "SIGINT during program: exit 6" rc_is 6
check "it says the job was cancelled" says_i "cancel"
check "the state file was still saved" test -s "$BOARD"

sim fresh program "$TMP/fw.bin" --verify
check "the next program succeeds" rc_is 0

finish
