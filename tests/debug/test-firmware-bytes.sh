#!/bin/sh
# The test firmware ELFs checked in under tests/data/firmware are what their
# sources build to today, whenever arm-none-eabi-gcc is present (else the
# test is skipped, saying so), and no ELF there lacks a source. TAP.
#   test-firmware-bytes.sh SOURCE_ROOT
set -u
src=$1/tests/data/firmware
echo "1..2"
gcc=$(command -v arm-none-eabi-gcc || true)
if [ -z "$gcc" ]; then
	echo "ok 1 # SKIP arm-none-eabi-gcc not found: ELFs not rebuilt"
	echo "ok 2 # SKIP arm-none-eabi-gcc not found"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/glint-fw.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! sh "$src/regen-firmware.sh" "$gcc" "$tmp" >"$tmp/log" 2>&1; then
	echo "not ok 1 - regen-firmware.sh failed"
	sed 's/^/# /' "$tmp/log"
	echo "not ok 2 - no ELFs to compare"
	exit 1
fi
status=0
differ=""
for built in "$tmp"/*.elf; do
	name=$(basename "$built")
	if ! cmp -s "$built" "$src/$name"; then
		differ="$differ $name"
	fi
done
if [ -z "$differ" ]; then
	echo "ok 1 - every ELF matches its source"
else
	echo "not ok 1 - built from source, these differ from the checked-in ELF:$differ" \
		"(run: ninja -C BUILD regen-firmware)"
	status=1
fi
stale=""
for kept in "$src"/*.elf; do
	[ -f "$tmp/$(basename "$kept")" ] || stale="$stale $(basename "$kept")"
done
if [ -z "$stale" ]; then
	echo "ok 2 - every checked-in ELF has a source"
else
	echo "not ok 2 - checked in but built by nothing:$stale"
	status=1
fi
exit $status
