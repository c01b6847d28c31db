#!/bin/bash
# glint-cli on both STM32L5/U5 boards: info, every job, options show/set by
# reference-manual name with the confirmations the risky and permanent
# ones need, and TrustZone as a user meets it: what Glint cannot touch
# with TZEN = 1, and why.
. "$(dirname "$0")/../../cli/lib.sh"

rc_is_not_zero() { [ "$rc" -ne 0 ]; }

random_file "$TMP/fw.bin" 100000
random_file "$TMP/small.bin" 1000

for board in nucleo-l552ze-q nucleo-u575zi-q; do
	rm -f "$BOARD"
	case $board in
	nucleo-l552ze-q) chip="STM32L552/L562" shape="2 banks of 128 pages x 2 KiB"
		page=2048 unit="double word" bankbit=DBANK ;;
	nucleo-u575zi-q) chip="STM32U575/U585" shape="2 banks of 128 pages x 8 KiB"
		page=8192 unit="quad word" bankbit=DUALBANK ;;
	esac

	sim "$board:fresh" info
	check "$board: info names the chip" says "$chip"
	check "$board: info gives the banks and pages" says "$shape"
	check "$board: a Cortex-M33" says "Cortex-M33"

	sim "$board:fresh" program "$TMP/fw.bin" --verify
	check "$board: program --verify succeeds" rc_is 0
	check "$board: verified on the target" says "on-target CRC-32"
	sim "$board:fresh" verify "$TMP/fw.bin"
	check "$board: verify succeeds" rc_is 0
	sim "$board:fresh" read 0x08000000 100000 -o "$TMP/back.bin"
	check "$board: read gives the bytes back" cmp -s "$TMP/fw.bin" "$TMP/back.bin"
	sim "$board:fresh" program "$TMP/fw.bin" --smart
	check "$board: smart re-flash skips every page" says "already match"
	sim "$board:fresh" program "$TMP/small.bin" --base 0x08000000 --no-erase
	check "$board: a second write of a $unit is refused (exit 5)" rc_is 5
	check "$board: naming the $unit" err_says "$unit"
	sim "$board:fresh" program "$TMP/small.bin" --base 0x08000000 --no-loader --verify
	check "$board: program without the loader" rc_is 0

	sim "$board:fresh" erase --units 1 --bank 2
	check "$board: erase --units 1 --bank 2" rc_is 0
	sim "$board:fresh" erase --bank 2 --confirm
	check "$board: erase --bank 2 --confirm" rc_is 0
	sim "$board:fresh" erase --mass
	check "$board: mass erase needs --confirm" rc_is_not_zero
	sim "$board:fresh" erase --mass --confirm
	check "$board: erase --mass --confirm" rc_is 0

	sim "$board:fresh" options show
	check "$board: options show names BOR_LEV" says "BOR_LEV=0"
	check "$board: options show names TZEN" says "TZEN=0"
	check "$board: options show names $bankbit" says "$bankbit=1"
	check "$board: options show gives NSBOOTADD0 as an address" says "NSBOOTADD0=0x08000000"
	check "$board: options show names SECWM1, not in use with TZEN = 0" says "not in use (TZEN=0)"
	check "$board: options show names WRP2B" says "WRP2B=off"
	sim "$board:fresh" options set BOR_LEV=1
	check "$board: options set BOR_LEV=1" rc_is 0
	sim "$board:fresh" options set WRP1A=0-1
	check "$board: WRP1A over the boot pages needs --confirm" rc_is_not_zero
	sim "$board:fresh" options set WRP1A=0-1 --confirm
	check "$board: WRP1A=0-1 --confirm" rc_is 0
	sim "$board:fresh" erase --units 1 --bank 1
	check "$board: erasing a protected page fails with exit 3" rc_is 3
	check "$board: naming WRP1A" err_says "WRP1A"
	sim "$board:fresh" options set WRP1A=off
	check "$board: WRP1A=off" rc_is 0
	sim "$board:fresh" options set SECBOOTADD0=0x0C010000 --confirm
	check "$board: a secure option without TrustZone is refused" rc_is_not_zero
	check "$board: saying it needs TZEN = 1" err_says "TZEN = 1"

	# TrustZone on: the permanent-lock confirmation, and every page secure
	sim "$board:fresh" options set TZEN=1 --confirm
	check "$board: TZEN=1 needs --confirm-permanent-lock" rc_is_not_zero
	check "$board: naming the secure pages it makes" says "SECWM1 pages 0-127"
	sim "$board:fresh" options set TZEN=1 --confirm --confirm-permanent-lock
	check "$board: TZEN=1 with --confirm-permanent-lock" rc_is 0
	sim "$board:fresh" diagnose
	check "$board: diagnose: every page is secure" says "all-secure"
	sim "$board:fresh" options set SECWM1=0-7 SECWM2=off
	check "$board: moving the watermarks gives the rest back" rc_is 0
	sim "$board:fresh" program "$TMP/small.bin" --base 0x08000000
	check "$board: a secure page is refused (exit 3)" rc_is 3
	check "$board: naming the area and why" err_says "SECWM1"
	check "$board: ... the non-secure side" err_says "non-secure side"
	sim "$board:fresh" program "$TMP/small.bin" --base $((0x08000000 + 8 * page)) --verify
	check "$board: a non-secure page programs" rc_is 0
	check "$board: without the loader" says_not "on-target CRC-32"
	sim "$board:fresh" read 0x08000000 256 -o "$TMP/x.bin"
	check "$board: reading a secure page is refused" rc_is_not_zero
	check "$board: the chip would give zeros" err_says "zeros"
	sim "$board:fresh" options set TZEN=0 --confirm --confirm-permanent-lock
	check "$board: TZEN=0 alone is refused" rc_is_not_zero
	check "$board: naming the regression" err_says "RDP regression"
	sim "$board:fresh" options set RDP=1 --confirm
	check "$board: RDP=1 with TrustZone (--confirm)" rc_is 0
	sim "$board:fresh" options set RDP=0 TZEN=0
	check "$board: the regression needs --confirm" rc_is_not_zero
	sim "$board:fresh" options set RDP=0 TZEN=0 --confirm
	check "$board: RDP=0 TZEN=0 --confirm" rc_is 0
	check "$board: says the flash was erased" says "mass-erased"
	sim "$board:fresh" info
	check "$board: TrustZone is off again" says "RDP level 0"

	rm -f "$BOARD"
	sim "$board:trustzone" diagnose
	check "$board: trustzone: diagnose says TZEN = 1" says "TZEN = 1"
	check "$board: and the secure pages" says "SECWM1 pages 0-15 of bank 1"
	rm -f "$BOARD"
	sim "$board:rdp0.5" info
	check "$board: rdp0.5: info says level 0.5" says "level 0.5 (RDP=0x55)"
	sim "$board:rdp0.5" options set RDP=0 --confirm
	if [ $board = nucleo-u575zi-q ]; then
		check "$board: rdp0.5: no regression 0.5 -> 0 on the U5" rc_is_not_zero
		check "$board: saying the way round" err_says "go to level 1 first"
	else
		check "$board: rdp0.5: 0.5 -> 0 --confirm" rc_is 0
	fi
	rm -f "$BOARD"
	sim "$board:boot-lock" diagnose
	check "$board: boot-lock: diagnosed" says "BOOT_LOCK is set"
	rm -f "$BOARD"
	sim "$board:stale-errors" diagnose
	check "$board: stale-errors: the flags by name" says "PROGERR"
	rm -f "$BOARD"
	sim "$board:rdp1" program "$TMP/small.bin"
	check "$board: rdp1: program refused" rc_is_not_zero
done

rm -f "$BOARD"
sim nucleo-u575zi-q:wrp-locked diagnose
check "wrp-locked: diagnose: WRP1A locked for good" says "WRP1A is locked for good"
sim nucleo-u575zi-q:wrp-locked options set WRP1A=off --confirm --confirm-permanent-lock
check "wrp-locked: a locked area cannot be removed" rc_is_not_zero
rm -f "$BOARD"
sim nucleo-u575zi-q:fresh options set WRP2A_UNLOCK=0 --confirm
check "U5: clearing UNLOCK needs --confirm-permanent-lock" rc_is_not_zero
rm -f "$BOARD"
sim nucleo-l552ze-q:single-bank info
check "single-bank: one bank of 4 KB pages" says "1 bank of 128 pages x 4 KiB"
sim nucleo-l552ze-q:single-bank options set DBANK=1 --confirm
check "single-bank: DBANK=1 --confirm" rc_is 0
check "single-bank: Glint mass-erases first" says "mass-erasing"
sim nucleo-l552ze-q:single-bank info
check "single-bank: two banks of 2 KB pages now" says "2 banks of 128 pages x 2 KiB"

finish
