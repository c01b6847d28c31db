#!/bin/bash
# Gang programming through the CLI: several glint-cli processes at once, each
# on its own simulated board (--sim-state FILE) with its own image. Each board
# must end with its own image and nothing else; every run exits 0.
#   test-gang-cli.sh PATH-TO-glint-cli [N]
set -u
CLI=${1:?usage: $0 PATH-TO-glint-cli [N]}
N=${2:-6}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-gang.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		failed=1
	fi
}

for i in $(seq 1 "$N"); do
	# 24 KiB + 8 bytes of different data at a different place per board
	head -c $((24 * 1024 + 8)) /dev/urandom >"$TMP/image-$i.bin"
	base=$(printf '0x%08X' $((0x08000000 + i * 0x8000)))
	echo "$base" >"$TMP/base-$i"
done

pids=()
for i in $(seq 1 "$N"); do
	"$CLI" --sim fresh --sim-state "$TMP/board-$i" program "$TMP/image-$i.bin" \
		--base "$(cat "$TMP/base-$i")" --verify >"$TMP/out-$i" 2>&1 &
	pids+=($!)
done
for i in $(seq 1 "$N"); do
	wait "${pids[$((i - 1))]}"
	echo $? >"$TMP/rc-$i"
done

for i in $(seq 1 "$N"); do
	base=$(cat "$TMP/base-$i")
	check "board $i: program --verify exited 0" [ "$(cat "$TMP/rc-$i")" -eq 0 ]
	[ "$(cat "$TMP/rc-$i")" -eq 0 ] || sed "s/^/# board $i: /" "$TMP/out-$i"
	"$CLI" --sim fresh --sim-state "$TMP/board-$i" read "$base" $((24 * 1024 + 8)) \
		-o "$TMP/back-$i.bin" >/dev/null 2>&1
	check "board $i holds its own image" cmp -s "$TMP/image-$i.bin" "$TMP/back-$i.bin"
	# The whole 1 MiB: its image and erased flash everywhere else.
	"$CLI" --sim fresh --sim-state "$TMP/board-$i" read 0x08000000 1M \
		-o "$TMP/all-$i.bin" >/dev/null 2>&1
	head -c $((1024 * 1024)) /dev/zero | tr '\000' '\377' >"$TMP/expect-$i.bin"
	dd if="$TMP/image-$i.bin" of="$TMP/expect-$i.bin" bs=1 conv=notrunc status=none \
		seek=$((base - 0x08000000))
	check "board $i has nothing of the other boards" cmp -s "$TMP/expect-$i.bin" "$TMP/all-$i.bin"
done
echo "# $N glint-cli processes programmed $N simulated boards concurrently"
echo "1..$n"
exit $failed
