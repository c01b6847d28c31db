#!/bin/bash
# Done when: on `rdp1`, `info` reports read protection level 1, `program`
# fails explaining it, and `options set RDP=0 --confirm` regresses the chip,
# after which flash reads back as 0xFF.
. "$(dirname "$0")/lib.sh"

random_file "$TMP/fw.bin" 4096
sim rdp1 info
check "info on rdp1 succeeds" rc_is 0
check "info reports read protection level 1" says "Read protection:  level 1"

sim rdp1 program "$TMP/fw.bin"
check "program on rdp1 fails with exit 3" rc_is 3
check "the error explains read protection" says_i "read.protect|RDP"
check "a hint gives the regression command" err_says "options set RDP=0 --confirm"

sim rdp1 read 0x08000000 4K -o "$TMP/x.bin"
check "read of flash on rdp1 fails with exit 3" rc_is 3

sim rdp1 options set RDP=0
check "RDP=0 without --confirm is refused (exit 1)" rc_is 1
check "the refusal asks for --confirm" err_says "--confirm"
sim rdp1 info
check "the refused change left level 1" says "Read protection:  level 1"

sim rdp1 options set RDP=0 --confirm
check "options set RDP=0 --confirm succeeds" rc_is 0
sim rdp1 info
check "info now reports level 0" says "Read protection:  level 0"

sim rdp1 read 0x08000000 1M -o "$TMP/flash.bin"
check "the whole flash reads" rc_is 0
erased_file "$TMP/erased.bin" 1048576
check "flash reads back as 0xFF" cmp -s "$TMP/erased.bin" "$TMP/flash.bin"

sim rdp1 program "$TMP/fw.bin" --verify
check "program now succeeds" rc_is 0

# RDP as raw hex, and the way into level 1 from a fresh board.
rm -f "$BOARD"
sim fresh options set RDP=0xBB
check "RDP=0xBB (level 1) without --confirm is refused" rc_is 1
sim fresh options set RDP=0xBB --confirm
check "RDP=0xBB --confirm succeeds" rc_is 0
sim fresh info
check "the chip is now at level 1" says "Read protection:  level 1 (RDP=0xBB)"
sim fresh options set RDP=1
check "RDP=1 on a level-1 chip changes nothing" rc_is 0

finish
