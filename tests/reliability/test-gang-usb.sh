#!/bin/bash
# Gang programming through libusb: glint-usbsim puts N emulated probes on the
# USB bus (umockdev), and N glint-cli processes program them at the same time,
# each picking its probe with --serial. Each board must end with its own
# image and nothing else.
#   test-gang-usb.sh GLINT-USBSIM GLINT-CLI [N]
set -u
USBSIM=${1:?usage: $0 GLINT-USBSIM GLINT-CLI [N]}
CLI=${2:?usage: $0 GLINT-USBSIM GLINT-CLI [N]}
N=${3:-4}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-gangusb.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
SERIAL0=0669FF000000000000001000
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

serial() { printf '0669FF%018X' $((0x1000 + $1 - 1)); }
base() { printf '0x%08X' $((0x08000000 + $1 * 0x10000)); }

# The driver glint-usbsim runs: every glint-cli at once, then wait for all.
{
	echo 'pids=""'
	for i in $(seq 1 "$N"); do
		head -c $((20 * 1024 + 4 * i)) /dev/urandom >"$TMP/image-$i.bin"
		# One retry when libusb itself cannot start: umockdev's emulated
		# udev monitor occasionally refuses a process under heavy load
		# (LIBUSB_ERROR_OTHER in libusb_init, before any probe is touched).
		cmd="\"$CLI\" --serial $(serial "$i") program \"$TMP/image-$i.bin\""
		cmd="$cmd --base $(base "$i") --verify >\"$TMP/out-$i\" 2>&1"
		echo "( $cmd || { grep -q 'initialising libusb' \"$TMP/out-$i\" &&" \
			"echo retried >\"$TMP/retried-$i\" && $cmd; } ) &"
		echo 'pids="$pids $!"'
	done
	echo 'i=0; for p in $pids; do i=$((i + 1)); wait $p; echo $? >"'"$TMP"'/rc-$i"; done'
} >"$TMP/driver.sh"

"$USBSIM" --count "$N" --serial "$SERIAL0" --state "$TMP/board.state" -- \
	bash "$TMP/driver.sh" >"$TMP/usbsim.out" 2>&1
check "glint-usbsim with $N probes ran" [ $? -eq 0 ]

for i in $(seq 1 "$N"); do
	size=$((20 * 1024 + 4 * i))
	check "probe $(serial "$i"): program --verify exited 0" [ "$(cat "$TMP/rc-$i" 2>/dev/null)" = 0 ]
	[ "$(cat "$TMP/rc-$i" 2>/dev/null)" = 0 ] || sed "s/^/# probe $i: /" "$TMP/out-$i"
	state="$TMP/board-$i.state"
	"$CLI" --sim-state "$state" read 0x08000000 1M -o "$TMP/all-$i.bin" >/dev/null 2>&1
	head -c $((1024 * 1024)) /dev/zero | tr '\000' '\377' >"$TMP/expect-$i.bin"
	dd if="$TMP/image-$i.bin" of="$TMP/expect-$i.bin" bs=4096 conv=notrunc status=none \
		oflag=seek_bytes seek=$(($(base "$i") - 0x08000000))
	check "board $i holds its own image and nothing else ($size bytes)" \
		cmp -s "$TMP/expect-$i.bin" "$TMP/all-$i.bin"
done
for f in "$TMP"/retried-*; do
	[ -e "$f" ] && echo "# ${f##*/}: libusb_init failed once under umockdev and was retried"
done
echo "# $N probes on one USB bus programmed concurrently by $N glint-cli processes"
echo "1..$n"
exit $failed
