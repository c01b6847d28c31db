#!/bin/bash
# test-firmware-regen.sh REGEN DIR NAME SYMBOL: rebuilds DIR/NAME.c into a
# scratch directory with regen-firmware.sh and compares the ELF, the raw
# image and the C header with the ones checked in. Without the cross
# compiler the comparison is skipped (saying so).
set -u
regen=$1
dir=$2
name=$3
symbol=$4
echo "1..3"
if ! command -v arm-none-eabi-gcc >/dev/null || ! command -v arm-none-eabi-objcopy >/dev/null; then
	for i in 1 2 3; do echo "ok $i # SKIP arm-none-eabi-gcc not found: $name not rebuilt"; done
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/glint-fw.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! sh "$regen" arm-none-eabi-gcc arm-none-eabi-objcopy "$dir" "$name" "$symbol" "$tmp" 2>"$tmp/err"; then
	sed 's/^/# /' "$tmp/err"
	for i in 1 2 3; do echo "not ok $i - $name builds from its source"; done
	exit 1
fi
n=0
failed=0
for f in "$name.elf" "$name.bin" "$name-image.h"; do
	n=$((n + 1))
	if cmp -s "$tmp/$f" "$dir/$f"; then
		echo "ok $n - $f is what $name.c builds to"
	else
		echo "not ok $n - $f differs from what $name.c builds to: run ninja regen-firmware"
		failed=1
	fi
done
exit $failed
