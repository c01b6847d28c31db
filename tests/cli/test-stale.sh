#!/bin/bash
# Done when: on `stale-errors`, programming succeeds and the output says
# which stale flags were cleared.
. "$(dirname "$0")/lib.sh"

random_file "$TMP/fw.bin" 8192
# The flags live in FLASH_SR, which a board loaded from its state file
# (a power cycle) no longer has: look at them on a board of its own.
cli --sim stale-errors info
check "info shows the flags found at connect" says "PGSERR"
check "info names the register" says "FLASH_SR"
cli --sim stale-errors diagnose
check "diagnose reports stale flags" says "stale-flags"
check "diagnose offers a command that clears them" says "fix clear-flags"

sim stale-errors program "$TMP/fw.bin" --verify
check "program on stale-errors succeeds" rc_is 0
check "the output names PGSERR as cleared" says "PGSERR"
check "the output says flags were cleared" says_i "clear"

sim stale-errors read 0x08000000 8K -o "$TMP/back.bin"
check "the image reads back" cmp -s "$TMP/fw.bin" "$TMP/back.bin"

rm -f "$BOARD"
cli --sim stale-errors --sim-state "$BOARD" fix clear-flags
check "fix clear-flags on stale-errors succeeds" rc_is 0
check "it says what it cleared" says "PGSERR"

finish
