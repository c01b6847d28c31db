#!/bin/bash
# Impossible requests through glint-cli are refused before the chip is
# touched: exit status 1, an error naming the problem, and the board's state
# file byte-identical afterwards.
#   test-refuse-cli.sh PATH-TO-glint-cli
set -u
CLI=${1:?usage: $0 PATH-TO-glint-cli}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-refuse.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
BOARD="$TMP/board"
n=0
failed=0
rc=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	failed=1
	sed 's/^/# /' "$TMP/err"
}

# refused WHAT NEEDLE ARGS...: runs glint-cli on the board; expects exit 1,
# NEEDLE in stderr and the state file unchanged.
refused() {
	local what=$1 needle=$2
	shift 2
	cp "$BOARD" "$TMP/before"
	"$CLI" --sim-state "$BOARD" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 1 ]; then ok "$what: exit 1"; else not_ok "$what: exit $rc, not 1"; fi
	if grep -qiF -- "$needle" "$TMP/err"; then
		ok "$what: says '$needle'"
	else
		not_ok "$what: the error does not say '$needle'"
	fi
	if cmp -s "$BOARD" "$TMP/before"; then
		ok "$what: board unchanged"
	else
		not_ok "$what: the board changed"
	fi
}

# A board with firmware on it, so that an erase would show.
head -c 10000 /dev/urandom >"$TMP/fw.bin"
"$CLI" --sim fresh --sim-state "$BOARD" program "$TMP/fw.bin" >/dev/null 2>&1 ||
	{ echo "Bail out! cannot set up the board"; exit 1; }
head -c 4096 /dev/urandom >"$TMP/small.bin"
head -c $((1024 * 1024 + 8)) /dev/urandom >"$TMP/huge.bin"

refused ".bin based in SRAM" "0x20000000" program "$TMP/small.bin" --base 0x20000000
refused ".bin running off the end of flash" "0x080FFFFF" \
	program "$TMP/small.bin" --base 0x080FFC00
refused ".bin based below flash" "0x07FFF000" program "$TMP/small.bin" --base 0x07FFF000
refused "image larger than the flash" "0x080FFFFF" program "$TMP/huge.bin"
refused "erase past the end of flash" "past the end of the flash" erase 0x080FF000 0x2000
refused "erase in SRAM" "outside the flash" erase 0x20000000 2K
refused "WRP range reversed" "reversed" options set WRP1A=20-10
refused "WRP page number beyond 8 bits" "WRP1B=0-256" options set WRP1B=0-256
refused "RDP level 2 without the permanent-lock confirmation" "--confirm-permanent-lock" \
	options set RDP=2 --confirm
refused "mass erase without --confirm" "--confirm" erase --mass
refused "base address not a number" "base address" program "$TMP/small.bin" --base 0x0800zz00

# A 256 KB part: 64 pages per bank.
BOARD="$TMP/board-rc"
"$CLI" --sim l476rc --sim-state "$BOARD" program "$TMP/fw.bin" >/dev/null 2>&1 ||
	{ echo "Bail out! cannot set up the l476rc board"; exit 1; }
refused "WRP range beyond a 64-page bank" "beyond the bank" options set WRP2A=10-64
refused "image larger than a 256 KB flash" "0x0803FFFF" program "$TMP/huge.bin"

echo "1..$n"
exit $failed
