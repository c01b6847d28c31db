#!/bin/bash
# glint-cli on every STM32H7 board: info, every job, options show/set by
# reference-manual name (with the confirmations the risky ones need), and
# the H7's own scenarios as a user meets them.
. "$(dirname "$0")/../../cli/lib.sh"

rc_is_not_zero() { [ "$rc" -ne 0 ]; }

random_file "$TMP/fw.bin" 300000
random_file "$TMP/small.bin" 1000

for board in nucleo-h743zi nucleo-h7a3zi-q nucleo-h723zg; do
	rm -f "$BOARD"
	case $board in
	nucleo-h743zi) chip="STM32H74x/H75x" shape="2 banks of 8 sectors x 128 KiB" wrp=WPSN1 ;;
	nucleo-h7a3zi-q) chip="STM32H7A3/H7B3/H7B0" shape="2 banks of 128 sectors x 8 KiB" wrp=WPSGN1 ;;
	nucleo-h723zg) chip="STM32H72x/H73x" shape="1 bank of 8 sectors x 128 KiB" wrp=WPSN ;;
	esac

	sim "$board:fresh" info
	check "$board: info names the chip" says "$chip"
	check "$board: info gives the banks and sectors" says "$shape"

	sim "$board:fresh" program "$TMP/fw.bin" --verify
	check "$board: program --verify succeeds" rc_is 0
	check "$board: verified on the target" says "on-target CRC-32"
	sim "$board:fresh" verify "$TMP/fw.bin"
	check "$board: verify succeeds" rc_is 0
	sim "$board:fresh" read 0x08000000 300000 -o "$TMP/back.bin"
	check "$board: read gives the bytes back" cmp -s "$TMP/fw.bin" "$TMP/back.bin"
	sim "$board:fresh" program "$TMP/fw.bin" --smart
	check "$board: smart re-flash skips every sector" says "already match"
	sim "$board:fresh" program "$TMP/small.bin" --base 0x08000000 --no-erase
	check "$board: a second write of a flash word is refused (exit 5)" rc_is 5
	check "$board: naming the ECC" err_says "corrupt its ECC"
	sim "$board:fresh" program "$TMP/small.bin" --base 0x08000000 --no-loader --verify
	check "$board: program without the loader" rc_is 0

	sim "$board:fresh" erase --units 1 --bank 1
	check "$board: erase --units 1 --bank 1" rc_is 0
	sim "$board:fresh" erase --mass
	check "$board: mass erase needs --confirm" rc_is_not_zero
	sim "$board:fresh" erase --mass --confirm
	check "$board: erase --mass --confirm" rc_is 0

	sim "$board:fresh" options show
	check "$board: options show names BOR_LEV" says "BOR_LEV=0"
	check "$board: options show names BOOT_ADD0 as an address" says "BOOT_ADD0=0x08000000"
	check "$board: options show names $wrp" says "$wrp=off"
	sim "$board:fresh" options set BOR_LEV=1
	check "$board: options set BOR_LEV=1" rc_is 0
	sim "$board:fresh" options set BOOT_ADD0=0x90000000
	check "$board: a boot address needs --confirm" rc_is_not_zero
	check "$board: showing where it would boot" says "0x90000000"
	sim "$board:fresh" options set BOOT_ADD0=0x90000000 --confirm
	check "$board: BOOT_ADD0 set with --confirm" rc_is 0
	sim "$board:fresh" diagnose
	check "$board: diagnose says it boots nowhere" says "boot-add0"
	sim "$board:fresh" options set BOOT_ADD0=0x08000000 --confirm
	check "$board: BOOT_ADD0 back" rc_is 0
	sim "$board:fresh" options set SECURITY=1 --confirm
	check "$board: SECURITY needs --confirm-permanent-lock" rc_is_not_zero
	sim "$board:fresh" options set "$wrp=0-3"
	check "$board: $wrp=0-3 (sectors) needs --confirm: it covers the boot area" rc_is_not_zero
	sim "$board:fresh" options set "$wrp=0-3" --confirm
	check "$board: $wrp=0-3 --confirm" rc_is 0
	sim "$board:fresh" erase --units 2 --bank 1
	check "$board: erasing a protected sector fails with exit 3" rc_is 3
	check "$board: naming $wrp" err_says "$wrp"

	rm -f "$BOARD"
	sim "$board:ecc-error" diagnose
	check "$board: ecc-error: diagnose names the word" says "0x08001000"
	check "$board: and the sector to erase" says "Erase sector 0"
	sim "$board:ecc-error" read 0x08000000 8K -o "$TMP/x.bin"
	check "$board: ecc-error: read fails naming the word" err_says "double ECC error"
	rm -f "$BOARD"
	sim "$board:stale-errors" diagnose
	check "$board: stale-errors: the flags by name" says "PGSERR1"
	rm -f "$BOARD"
	sim "$board:rdp1" program "$TMP/small.bin"
	check "$board: rdp1: program refused (exit 3 or more)" rc_is_not_zero
done

rm -f "$BOARD"
sim nucleo-h743zi:swapped info
check "swapped: info says which physical bank is where" says "swapped: bank 2 at 0x08000000, bank 1 at 0x08100000"
sim nucleo-h743zi:swapped diagnose
check "swapped: diagnose says which bank is where" says "physical bank 2 is at 0x08000000"
sim nucleo-h743zi:swapped options set SWAP_BANK_OPT=0
check "swapped: un-swapping needs --confirm" rc_is_not_zero
sim nucleo-h743zi:swapped options set SWAP_BANK_OPT=0 --confirm
check "swapped: SWAP_BANK_OPT=0 --confirm" rc_is 0
sim nucleo-h743zi:swapped info
check "after the reset Glint did, bank 1 is at 0x08000000 again" says_not "swapped: bank"
cli --sim nucleo-h723zg options set SWAP_BANK_OPT=1 --confirm
check "a one-bank part has no SWAP_BANK_OPT" rc_is_not_zero

finish
