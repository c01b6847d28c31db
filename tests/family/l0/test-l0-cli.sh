#!/bin/bash
# glint-cli on the three STM32L0/L1 boards: info, program (with and without
# the loader) and read back, data EEPROM through a .hex and erase, options
# by name with write protection, the RDP-way mass erase, the 0xFF-fill
# message, and the family's scenarios in diagnose.
. "$(dirname "$0")/../../cli/lib.sh"

for board in nucleo-l053r8 nucleo-l073rz nucleo-l152re; do
	rm -f "$BOARD"
	case $board in
	nucleo-l053r8) chip="STM32L05x/L06x" shape="1 bank of 512 pages x 128 bytes" wrp=WRP sector=0-31 ;;
	nucleo-l073rz) chip="STM32L07x/L08x" shape="2 banks of 768 pages x 128 bytes" wrp=WRP1 sector=0-31 ;;
	nucleo-l152re) chip="STM32L1xx category 5/6" shape="2 banks of 1024 pages x 256 bytes" wrp=WRP1 sector=0-15 ;;
	esac

	sim "$board:fresh" info
	check "$board: info names the chip" says "$chip"
	check "$board: info gives the geometry" says "$shape"

	random_file "$TMP/fw.bin" 5000
	sim "$board:fresh" program "$TMP/fw.bin" --verify
	check "$board: program --verify succeeds" rc_is 0
	check "$board: verified on the target" says "on-target CRC-32"
	sim "$board:fresh" read 0x08000000 5000 -o "$TMP/back.bin"
	check "$board: reads back byte for byte" cmp -s "$TMP/fw.bin" "$TMP/back.bin"
	sim "$board:fresh" program "$TMP/fw.bin" --verify --no-loader --base 0x08002000
	check "$board: program --no-loader succeeds" rc_is 0
	sim "$board:fresh" verify "$TMP/fw.bin" --base 0x08002000
	check "$board: verify of the direct write passes" rc_is 0

	# data EEPROM: a .hex carrying it, then an erase of part of it
	cli --sim "$board:eeprom-data" read 0x08080000 64 -o "$TMP/ee.hex"
	check "$board: the EEPROM reads into a .hex" rc_is 0
	sim "$board:fresh" program "$TMP/ee.hex" --verify
	check "$board: a .hex at 0x08080000 programs the data EEPROM" rc_is 0
	check "$board: and verifies it" says "data EEPROM matches"
	sim "$board:fresh" read 0x08080000 64 -o "$TMP/ee2.hex"
	check "$board: the EEPROM holds it" cmp -s "$TMP/ee.hex" "$TMP/ee2.hex"
	sim "$board:fresh" erase 0x08080000 16
	check "$board: erase of an EEPROM range succeeds" rc_is 0
	sim "$board:fresh" read 0x08080000 16 -o "$TMP/ee.bin"
	check "$board: the range reads 0x00" cmp -s "$TMP/ee.bin" <(head -c 16 /dev/zero)

	sim "$board:fresh" options show
	check "$board: options show names BOR_LEV" says "BOR_LEV="
	check "$board: options show names nRST_STDBY" says "nRST_STDBY=1"
	check "$board: a fresh chip has nothing changed from factory" \
		says_not "changed from factory"
	sim "$board:fresh" options set "$wrp=$sector" --confirm
	check "$board: options set $wrp=$sector succeeds" rc_is 0
	sim "$board:fresh" erase 0x08000000 128
	check "$board: erasing page 0 under $wrp fails with exit 3" rc_is 3
	check "$board: naming $wrp" err_says "$wrp"
	sim "$board:fresh" options set "$wrp=off"
	check "$board: options set $wrp=off succeeds" rc_is 0

	sim "$board:fresh" erase --mass --confirm
	check "$board: mass erase succeeds" rc_is 0
	check "$board: and says how the chip does it" says "no mass-erase command"
	sim "$board:fresh" read 0x08000000 5000 -o "$TMP/back.bin"
	check "$board: the flash reads 0x00" cmp -s "$TMP/back.bin" <(head -c 5000 /dev/zero)
	sim "$board:fresh" read 0x08080000 64 -o "$TMP/ee.bin"
	check "$board: the data EEPROM too" cmp -s "$TMP/ee.bin" <(head -c 64 /dev/zero)

	erased_file "$TMP/ff.bin" 1024
	sim "$board:fresh" program "$TMP/ff.bin"
	check "$board: 0xFF fill is programmed" rc_is 0
	check "$board: and explained" says "0xFF fill"

	cli --sim "$board:ff-filled" diagnose
	check "$board: diagnose finds the 0xFF vector table" says "ff-vector-table"
	cli --sim "$board:unlock-stuck" diagnose
	check "$board: diagnose finds the stuck unlock" says "unlock-stuck"
	cli --sim "$board:rdp1" program "$TMP/fw.bin"
	check "$board: program on rdp1 fails with exit 3" rc_is 3
	cli --sim "$board:rdp1" fix regress-rdp --confirm
	check "$board: fix regress-rdp succeeds" rc_is 0
done

finish
