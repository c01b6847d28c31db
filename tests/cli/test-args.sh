#!/bin/bash
# Options that used to be taken silently (issue 16): --base on a file that
# carries its own addresses, an SWD clock out of range, a number with two
# "0x" prefixes; and the help text says the real default clock.
. "$(dirname "$0")/lib.sh"

connected() { says "Connected to"; }
not_connected() { ! connected; }

head -c 4096 /dev/urandom >"$TMP/fw.bin"
cli image "$TMP/fw.bin" --base 0x08004000
check "a .bin with --base: exit 0" rc_is 0
check "it is placed at --base" says "0x08004000"

# The same bytes as .hex, .srec and (a copy of the test ELF) .elf.
sim fresh program "$TMP/fw.bin"
sim fresh read 0x08000000 4096 -o "$TMP/fw.hex"
sim fresh read 0x08000000 4096 -o "$TMP/fw.srec"
cp "$GLINT_SOURCE_DIR/tests/image/data/tiny.elf" "$TMP/fw.elf"
for f in fw.hex fw.srec fw.elf; do
	sim fresh program "$TMP/$f" --base 0x08004000
	check "program $f --base: exit 1" rc_is 1
	check "program $f --base: says why" err_says "carries its own addresses"
	check "program $f --base: refused before connecting" not_connected
	sim fresh verify "$TMP/$f" --base 0x08004000
	check "verify $f --base: exit 1" rc_is 1
	cli image "$TMP/$f" --base 0x08004000
	check "image $f --base: exit 1" rc_is 1
	check "image $f --base: names the option" err_says "--base 0x08004000 applies to raw binary"
done
sim fresh program "$TMP/fw.hex"
check "program fw.hex without --base: exit 0" rc_is 0

for f in 99999999 0 4 24001; do
	sim fresh --freq "$f" info
	check "--freq $f: exit 1" rc_is 1
	check "--freq $f: gives the accepted range" err_says "give 5 to 24000 kHz"
	check "--freq $f: refused before connecting" not_connected
done
sim fresh --freq 24000 info
check "--freq 24000 on a V2: exit 0" rc_is 0
check "it says what the clock became" err_says "4000 kHz"
sim fresh --freq 950 info
check "--freq 950: exit 0" rc_is 0

for n in 0x0x08000000 0X0x08000000 "0x 8000000" 0x-8000000 " 0x08000000" 0x08000000K; do
	sim fresh program "$TMP/fw.bin" --base "$n"
	check "--base '$n': exit 1" rc_is 1
	check "--base '$n': named as a bad base address" err_says "bad base address '$n'"
done
sim fresh erase 0x08000000 0x0x800
check "a size with two 0x: exit 1" rc_is 1
sim fresh --sim-state-wait 0x0x1 info
check "--sim-state-wait with two 0x: exit 1" rc_is 1

cli --help
check "--help says the default SWD clock is the probe's fastest" says "24000 on an STLINK-V3, 4000 on a V2"
check "--help no longer claims 1800" says_not "default 1800"
check "--help says --base is for raw binaries" says "refused for .hex/.srec/.elf"
check "--help documents --sim-state-wait" says "--sim-state-wait"

finish
