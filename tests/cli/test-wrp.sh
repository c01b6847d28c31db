#!/bin/bash
# Done when: on `wrp`, programming over the protected pages fails (non-zero
# exit) naming WRP1A and how to clear it; after `options set WRP1A=off`, the
# same program succeeds.
. "$(dirname "$0")/lib.sh"

random_file "$TMP/fw.bin" 65536
sim wrp info
check "info on wrp names the WRP1A area" says "WRP1A pages 0-15"

sim wrp program "$TMP/fw.bin" --verify
check "program over WRP1A pages fails with exit 3" rc_is 3
check "the error names WRP1A" err_says "WRP1A"
check "a hint gives the command that clears it" err_says "options set WRP1A=off"

sim wrp diagnose
check "diagnose succeeds" rc_is 0
check "diagnose reports the WRP area" says_i "wrp"

cli --sim wrp fix remove-wrp --confirm
check "fix remove-wrp works too (on a throwaway board)" rc_is 0

sim wrp options set WRP1A=off
check "options set WRP1A=off succeeds" rc_is 0
sim wrp options show
check "options show has WRP1A=off" says "WRP1A=off"

sim wrp program "$TMP/fw.bin" --verify
check "the same program now succeeds" rc_is 0
sim wrp read 0x08000000 64K -o "$TMP/back.bin"
check "and reads back byte for byte" cmp -s "$TMP/fw.bin" "$TMP/back.bin"

sim wrp options set WRP1A=2-3
check "options set WRP1A=2-3 succeeds" rc_is 0
sim wrp options show
check "options show has WRP1A=2-3" says "WRP1A=2-3"
sim wrp erase 0x08001000 2K
check "erasing page 2 under WRP1A=2-3 fails with exit 3" rc_is 3
sim wrp erase 0x08002000 2K
check "erasing page 4 outside it succeeds" rc_is 0

finish
