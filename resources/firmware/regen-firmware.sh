#!/bin/sh
# regen-firmware.sh: build one of the firmware images kept in the tree (the
# demo, the trace tests' firmware) from its C source and linker script, and
# write what is checked in next to them: the ELF (symbols and DWARF for
# `--elf`), the raw image (.bin) and a C header carrying the image's bytes
# (so that a build needs no cross compiler).
#   regen-firmware.sh GCC OBJCOPY DIR NAME SYMBOL [OUT_DIR]
# builds DIR/NAME.c with DIR/NAME.ld into OUT_DIR (default DIR): NAME.elf,
# NAME.bin, NAME-image.h defining SYMBOL. Paths are mapped away so that the
# output does not depend on where the tree is checked out.
set -eu
gcc=$1
objcopy=$2
dir=$3
name=$4
symbol=$5
out=${6:-$3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$(cd "$out" && pwd)
cd "$dir"
"$gcc" -mcpu=cortex-m0plus -mthumb -O1 -g -gdwarf-4 -std=c11 -Wall -Wextra -Werror \
	-ffreestanding -fno-common -nostdlib -nostartfiles \
	-ffile-prefix-map="$(pwd)"=. -I. -T "$name.ld" -Wl,--build-id=none \
	-o "$tmp/$name.elf" "$name.c"
"$objcopy" -O binary "$tmp/$name.elf" "$tmp/$name.bin"
{
	echo "/* $name-image.h: the bytes of $name.bin, built from $name.c by"
	echo " * resources/firmware/regen-firmware.sh; do not edit. Regenerate with:"
	echo " * ninja -C <build> regen-firmware */"
	echo "#pragma once"
	echo
	echo "static const unsigned char ${symbol}[] = {"
	od -An -v -tx1 "$tmp/$name.bin" | sed -e 's/ *$//' -e 's/^ */	0x/' -e 's/ \+/, 0x/g' -e 's/$/,/'
	echo "};"
} >"$tmp/$name-image.h"
chmod 644 "$tmp/$name.elf" "$tmp/$name.bin" "$tmp/$name-image.h"
mv "$tmp/$name.elf" "$tmp/$name.bin" "$tmp/$name-image.h" "$out/"
