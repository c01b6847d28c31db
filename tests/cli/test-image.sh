#!/bin/bash
# `glint-cli image FILE` prints the segments (start, end, size, source) and a
# CRC-32 per segment; program and verify take .bin, .hex, .srec and .elf.
. "$(dirname "$0")/lib.sh"

OBJCOPY=$(command -v arm-none-eabi-objcopy || command -v objcopy)
CRC() { python3 -c 'import sys, zlib; print("0x%08X" % zlib.crc32(open(sys.argv[1], "rb").read()))' "$1"; }

head -c 3000 /dev/urandom >"$TMP/a.bin"
head -c 1000 /dev/urandom >"$TMP/b.bin"
# Two segments: a.bin at 0x08000000 and b.bin at 0x08010000.
"$OBJCOPY" -I binary -O ihex --change-addresses 0x08000000 "$TMP/a.bin" "$TMP/a.hex"
"$OBJCOPY" -I binary -O ihex --change-addresses 0x08010000 "$TMP/b.bin" "$TMP/b.hex"
# Drop a.hex's end record and both start-address records (type 05).
grep -v -e '^:00000001FF' -e '^:04000005' "$TMP/a.hex" >"$TMP/two.hex"
grep -v '^:04000005' "$TMP/b.hex" >>"$TMP/two.hex"

cli image "$TMP/two.hex"
check "image on a .hex succeeds" rc_is 0
check "it shows two segments" says "2 segments"
check "first segment: start and end" says "0x08000000  0x08000BB7"
check "second segment: start and end" says "0x08010000  0x080103E7"
check "first segment's CRC-32" says "$(CRC "$TMP/a.bin")"
check "second segment's CRC-32" says "$(CRC "$TMP/b.bin")"
check "the source names the file" says "two.hex"

cli image "$TMP/a.bin" --base 0x08004000
check "image on a .bin at --base" says "0x08004000  0x08004BB7"

"$OBJCOPY" -I ihex -O srec "$TMP/two.hex" "$TMP/two.srec"
sim fresh program "$TMP/two.hex" --verify
check "program a .hex" rc_is 0
sim fresh verify "$TMP/two.srec"
check "verify the same data as .srec" rc_is 0
sim fresh verify "$TMP/a.bin"
check "verify a.bin at the default base (flash start)" rc_is 0

if command -v arm-none-eabi-gcc >/dev/null; then
	printf '.section .text\n.global _start\n_start:\n.word 0x20018000, 0x08000009\n.fill 256, 4, 0x12345678\n' \
		>"$TMP/fw.s"
	arm-none-eabi-gcc -nostdlib -mcpu=cortex-m4 -mthumb -Wl,-Ttext=0x08020000 \
		-o "$TMP/fw.elf" "$TMP/fw.s"
	cli image "$TMP/fw.elf"
	check "image on an .elf lists the .text section" says ".text"
	sim fresh program "$TMP/fw.elf" --verify
	check "program an .elf" rc_is 0
	sim fresh read 0x08020000 8 -o "$TMP/vec.bin"
	check "the .elf landed at its address" \
		bash -c "[ \"\$(od -An -tx4 '$TMP/vec.bin' | tr -d ' ')\" = 2001800008000009 ]"
fi

finish
