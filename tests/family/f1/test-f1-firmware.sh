#!/bin/bash
# test-f1-firmware.sh: firmware built for a Cortex-M3 here, from source
# (vector table, .data copied from flash), programmed with `program --reset`
# on the emulated Blue Pill through glint-usbsim, runs: SRAM it writes
# changes between two reads, and its LCG state proves .data came from
# flash. Without arm-none-eabi-gcc the test is skipped, saying so.
set -u
CLI=${1:?usage: $0 PATH-TO-glint-cli PATH-TO-glint-usbsim}
USBSIM=${2:?usage: $0 PATH-TO-glint-cli PATH-TO-glint-usbsim}
SRC=$(dirname "$0")/firmware
if ! command -v arm-none-eabi-gcc >/dev/null || ! command -v arm-none-eabi-objcopy >/dev/null; then
	echo "1..0 # SKIP arm-none-eabi-gcc not found: the firmware cannot be built"
	exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-f1-fw.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0
check() {
	n=$((n + 1))
	if "${@:2}"; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}

arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -O1 -nostdlib -ffreestanding -T "$SRC/counter.ld" \
	"$SRC/counter.c" -o "$TMP/counter.elf" 2>"$TMP/cc.log"
check "the firmware builds for a Cortex-M3" test -s "$TMP/counter.elf"
arm-none-eabi-objcopy -O binary "$TMP/counter.elf" "$TMP/counter.bin"
addr_of() { arm-none-eabi-nm "$TMP/counter.elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
SEED=$(addr_of seed)
COUNTER=$(addr_of counter)
check "seed is in SRAM (.data) and counter follows it (.bss)" \
	test "$SEED" = 0x20000000 -a "$COUNTER" = 0x20000004

timeout -k 5 120 "$USBSIM" --scenario bluepill-f103c8 --state "$TMP/board" -- sh -c "
	'$CLI' program '$TMP/counter.bin' --base 0x08000000 --verify --reset &&
	'$CLI' read 0x20000000 8 -o '$TMP/a.bin' &&
	'$CLI' read 0x20000000 8 -o '$TMP/b.bin'" >"$TMP/run.log" 2>&1
check "program --reset and two reads succeed" test $? -eq 0
sed 's/^/# /' "$TMP/run.log"
# e.g. the core failing to map flash where it runs code from
check "the emulator warned about nothing" sh -c "! grep -q WARNING '$TMP/run.log'"

word() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
S1=$(word "$TMP/a.bin" 0) C1=$(word "$TMP/a.bin" 4)
S2=$(word "$TMP/b.bin" 0) C2=$(word "$TMP/b.bin" 4)
echo "# first read: seed $S1 counter $C1; second: seed $S2 counter $C2"
check "the counter runs: it grew between the reads" test "${C2:-0}" -gt "${C1:-0}"
check "the counter started at 0 (.bss cleared)" test "${C1:-0}" -gt 0 -a "${C1:-0}" -lt 100000000

# seed is 0x600DF00D stepped counter (or counter - 1) times: .data was
# copied from flash, and the code in flash really ran
lcg_ok() {
	awk -v n="$1" -v want="$2" 'BEGIN {
		s = 1611526157; # 0x600DF00D
		for (i = 0; i <= n; i++) {
			if ((i == n || i == n - 1) && s == want) { exit 0 }
			s = (s * 1664525 + 1013904223) % 4294967296
		}
		exit 1
	}'
}
check "seed followed .data's initial value (first read)" lcg_ok "${C1:-0}" "${S1:-0}"
check "seed followed .data's initial value (second read)" lcg_ok "${C2:-0}" "${S2:-0}"
echo "1..$n"
exit $failed
