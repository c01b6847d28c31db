#!/bin/bash
# SIGINT cancels the job at a safe point: exit 6, and the board stays usable.
# A probe pulled mid-job: exit 2 naming the loss. (--test-sigint-after and
# --test-unplug-after count ST-LINK commands after connecting.)
. "$(dirname "$0")/lib.sh"

head -c 262144 /dev/urandom >"$TMP/fw.bin"
sim fresh program "$TMP/fw.bin" --verify --test-sigint-after 50
check "SIGINT during program: exit 6" rc_is 6
check "it says the job was cancelled" says_i "cancel"
check "the state file was still saved" test -s "$BOARD"

sim fresh program "$TMP/fw.bin" --verify
check "the next program succeeds" rc_is 0

sim fresh read 0x08000000 1M -o "$TMP/r.bin" --test-sigint-after 20
check "SIGINT during read: exit 6" rc_is 6
check "a cancelled read writes no file" test ! -e "$TMP/r.bin"

sim fresh program "$TMP/fw.bin" --test-unplug-after 100
check "probe unplugged during program: exit 2" rc_is 2
check "the error says the probe went away" says_i "disconnect|unplug|vanish|lost"
check "a hint says to reconnect and run again" err_says "hint: reconnect the probe"
sim fresh verify "$TMP/fw.bin"
check "after plugging back, the board still answers" bash -c "[ $rc -eq 0 ] || [ $rc -eq 4 ]"

cli --test-unplug-after 5 info
check "test aids without --sim: exit 1" rc_is 1

finish
