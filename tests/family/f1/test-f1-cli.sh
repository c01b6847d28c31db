#!/bin/bash
# test-f1-cli.sh: glint-cli on every STM32F0/F1/F3 board: info, program and
# read back, option bytes by name, and each scenario's trouble with its fix.
# Uses the helpers of tests/cli (board kept in a state file, TAP output).
. "$(dirname "$0")/../../cli/lib.sh"

rc_is_not_0() { [ "$rc" -ne 0 ]; }

BOARDS="bluepill-f103c8 nucleo-f103rb stm32f103ze nucleo-f072rb nucleo-f303re bluepill-cks32f103c8"

# The done criterion of issue 11, word for word
rm -f "$BOARD"
sim nucleo-f103rb:fresh info
check "nucleo-f103rb: info succeeds" rc_is 0
check "names STM32F10x medium density" says "STM32F10x medium density"
check "names device id 0x410" says "0x410"
check "names 128 KiB" says "128 KiB"
check "names 1 KiB pages" says "pages x 1 KiB"

for b in $BOARDS; do
	rm -f "$BOARD"
	case $b in
	nucleo-f072rb | nucleo-f303re) level0=0xAA ;;
	*) level0=0xA5 ;;
	esac
	random_file "$TMP/fw.bin" 8192
	sim "$b:fresh" program "$TMP/fw.bin" --base 0x08000000 --verify
	check "$b: program --verify succeeds" rc_is 0
	sim "$b:fresh" read 0x08000000 8192 -o "$TMP/back.bin"
	check "$b: reads back byte for byte" cmp -s "$TMP/fw.bin" "$TMP/back.bin"
	sim "$b:fresh" options show
	check "$b: options show has RDP=$level0" says "RDP=$level0"
	check "$b: options show has WRP=off" says "WRP=off"
	check "$b: options show names nRST_STDBY" says "nRST_STDBY=1"
	sim "$b:fresh" options set nRST_STDBY=0 Data1=0x42
	check "$b: options set nRST_STDBY=0 Data1=0x42 succeeds" rc_is 0
	sim "$b:fresh" options show
	check "$b: options show has nRST_STDBY=0 (after a power cycle on the clone)" \
		says "nRST_STDBY=0"
	check "$b: options show has Data1=66" says "Data1=66"

	rm -f "$BOARD"
	sim "$b:wrp" program "$TMP/fw.bin" --base 0x08000000
	check "$b:wrp: programming the protected pages fails with exit 3" rc_is 3
	check "$b:wrp: the error names WRP and its pages" err_says "write-protected by WRP"
	sim "$b:wrp" fix remove-wrp --confirm
	check "$b:wrp: fix remove-wrp succeeds" rc_is 0
	sim "$b:wrp" program "$TMP/fw.bin" --base 0x08000000 --verify
	check "$b:wrp: then the program succeeds" rc_is 0

	rm -f "$BOARD"
	sim "$b:rdp1" read 0x08000000 16 -o "$TMP/x.bin"
	check "$b:rdp1: reading flash fails" rc_is_not_0
	check "$b:rdp1: naming read protection" err_says "read-protected"
	sim "$b:rdp1" options set RDP=0 --confirm
	check "$b:rdp1: options set RDP=0 --confirm succeeds" rc_is 0
	sim "$b:rdp1" read 0x08000000 16 -o "$TMP/x.bin"
	check "$b:rdp1: then flash reads, erased" cmp -s "$TMP/x.bin" <(head -c 16 /dev/zero | tr '\000' '\377')

	rm -f "$BOARD"
	sim "$b:locked-options" diagnose
	check "$b:locked-options: diagnose names FLASH_OBR.OPTERR" says "FLASH_OBR.OPTERR"
	check "$b:locked-options: and read protection" says "rdp-level1"
	sim "$b:locked-options" fix restore-options --confirm
	check "$b:locked-options: fix restore-options succeeds" rc_is 0
	sim "$b:locked-options" diagnose
	check "$b:locked-options: then OPTERR is gone" says_not "OPTERR"
	check "$b:locked-options: and read protection too" says_not "rdp-level1"

	rm -f "$BOARD"
	sim "$b:stale-errors" diagnose
	check "$b:stale-errors: diagnose names PGERR and WRPRTERR" says "PGERR, WRPRTERR"
	# flags are volatile: a new board (the state file is a power-on)
	rm -f "$BOARD"
	sim "$b:stale-errors" program "$TMP/fw.bin" --base 0x08008000 --verify
	check "$b:stale-errors: program clears them and succeeds" rc_is 0
	check "$b:stale-errors: saying it cleared them" says "Cleared stale FLASH_SR error flags"
done

# Level 2 exists on the F0/F3 only, and is for ever
rm -f "$BOARD"
sim nucleo-f072rb:fresh options set RDP=2 --confirm
check "F072: RDP=2 without --confirm-permanent-lock is refused" rc_is_not_0
check "F072: naming the flag" err_says "--confirm-permanent-lock"
rm -f "$BOARD"
sim bluepill-f103c8:fresh options set RDP=2 --confirm
check "F103: RDP=2 does not exist" err_says "no read protection level 2"

finish
