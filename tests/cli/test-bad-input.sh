#!/bin/bash
# Bad input never crashes: unknown command or option, bad address, size
# beyond flash, missing file, RDP=2 without --confirm-permanent-lock, mass
# erase without --confirm. Each exits 1 with "glint-cli: error:" naming the
# problem, and leaves the board as it was.
. "$(dirname "$0")/lib.sh"

cli --help
check "--help exits 0" rc_is 0
check "--help documents the exit codes" says "6  cancelled"
check "--help lists the simulated boards" says "bfb2-empty"

cli
check "no command: exit 1" rc_is 1

cli --sim fresh frobnicate
check "unknown command: exit 1" rc_is 1
check "unknown command is named" err_says "unknown command 'frobnicate'"

cli --sim fresh info --bogus
check "unknown option: exit 1" rc_is 1
check "unknown option is named" err_says "unknown option '--bogus'"

cli --sim fresh info --mass
check "option of another command: exit 1" rc_is 1
check "it says the option does not apply" err_says "does not apply to 'info'"

cli --sim fresh --sim-state
check "option without its value: exit 1" rc_is 1

cli --sim nosuchboard info
check "unknown scenario: exit 1" rc_is 1
check "unknown scenario lists the known ones" err_says "fresh"

sim fresh read 0x0800zz00 16 -o "$TMP/x.bin"
check "bad address: exit 1" rc_is 1
check "bad address is named" err_says "bad address '0x0800zz00'"

sim fresh read 0x100000000 16 -o "$TMP/x.bin"
check "address beyond 32 bits: exit 1" rc_is 1
check "it says the address does not fit" err_says "does not fit in 32 bits"
sim fresh erase 0x 4K
check "bare 0x: exit 1" rc_is 1
sim fresh erase 0x08000000 -4K
check "negative size: exit 1" rc_is 1
sim fresh erase 0x08000000 0
check "size 0: exit 1" rc_is 1
sim fresh erase 0x08000000
check "erase with one operand: exit 1" rc_is 1
check "it shows the usage" err_says "usage: glint-cli erase ADDR SIZE"

sim fresh read 0x08000000 lots -o "$TMP/x.bin"
check "bad size: exit 1" rc_is 1

sim fresh read 0x080F0000 128K -o "$TMP/x.bin"
check "read beyond the end of flash: exit 1" rc_is 1
check "it says where flash ends" err_says "0x080FFFFF"

sim fresh erase 0x08000000 2M
check "erase size beyond flash: exit 1" rc_is 1

sim fresh erase 0x30000000 2K
check "erase outside flash: exit 1" rc_is 1

sim fresh read 0x08000000 16
check "read without -o: exit 1" rc_is 1

sim fresh program "$TMP/does-not-exist.hex"
check "missing file: exit 1" rc_is 1
check "missing file is named" err_says "does-not-exist.hex"

printf ':10000000ZZ\n' >"$TMP/broken.hex"
sim fresh program "$TMP/broken.hex"
check "broken .hex: exit 1" rc_is 1

head -c 4096 /dev/urandom >"$TMP/fw.bin"
sim fresh program "$TMP/fw.bin" --base 0x080FF800
check "image beyond the end of flash: exit 1" rc_is 1

sim fresh options set RDP=2
check "RDP=2 without --confirm-permanent-lock: exit 1" rc_is 1
check "the refusal names --confirm-permanent-lock" err_says "--confirm-permanent-lock"
sim fresh options set RDP=2 --confirm
check "RDP=2 with only --confirm is still refused" rc_is 1
sim fresh options show
check "RDP is untouched" says "RDP=0xAA"

sim fresh options set NOSUCHFIELD=1
check "unknown option-byte name: exit 1" rc_is 1
sim fresh options set WRP1A=9-3
check "reversed WRP range: exit 1" rc_is 1
sim fresh options set DUALBANK=0
check "DUALBANK on the 1 MiB part (no effect there): exit 1" rc_is 1
sim fresh options set
check "options set without NAME=VALUE: exit 1" rc_is 1
sim fresh options frob
check "unknown options subcommand: exit 1" rc_is 1

sim fresh program "$TMP/fw.bin"
check "program before the erase tests" rc_is 0
sim fresh erase --mass
check "mass erase without --confirm: exit 1" rc_is 1
check "the refusal asks for --confirm" err_says "--confirm"
sim fresh verify "$TMP/fw.bin"
check "the refused mass erase left the flash alone" rc_is 0
sim fresh erase --mass --confirm
check "mass erase with --confirm succeeds" rc_is 0
sim fresh read 0x08000000 4K -o "$TMP/after.bin"
erased_file "$TMP/erased.bin" 4096
check "after mass erase flash reads 0xFF" cmp -s "$TMP/erased.bin" "$TMP/after.bin"

printf 'not a board' >"$TMP/garbage-state"
cli --sim-state "$TMP/garbage-state" info
check "a corrupt state file: non-zero exit, no crash" bash -c "[ $rc -ne 0 ] && [ $rc -lt 128 ]"
check "the corrupt state file is left alone" grep -q 'not a board' "$TMP/garbage-state"

finish
