#!/bin/bash
# The probe unplugged after command K, through the real USB stack: glint-usbsim
# presents the emulator on usbfs (umockdev) and glint-cli talks libusb to it.
# For K across a whole program --verify run (every STRIDE-th command), the
# run exits 2 saying the probe was disconnected; after "re-plugging" (a new
# glint-usbsim on the same board state) the same command completes and the
# flash holds the image. The sweep ends at the first K past the job's end.
#   test-usbsim-unplug.sh GLINT-USBSIM GLINT-CLI [STRIDE]
set -u
USBSIM=${1:?usage: $0 GLINT-USBSIM GLINT-CLI [STRIDE]}
CLI=${2:?usage: $0 GLINT-USBSIM GLINT-CLI [STRIDE]}
STRIDE=${3:-9}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-usbunplug.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0
points=0

check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		failed=1
		sed 's/^/# /' "$TMP/out"
	fi
}

usbsim() { # usbsim STATE [--unplug-after K] -- glint-cli ARGS...
	local state=$1
	shift
	"$USBSIM" --no-host-idle --scenario fresh --state "$state" "$@"
}

head -c 6000 /dev/urandom >"$TMP/fw.bin"
# The job's length without a fault: every K below it must cut the job (an
# unplug that never happens would otherwise end the sweep at K=1, green).
usbsim "$TMP/clean" --report-time "$TMP/time" -- "$CLI" program "$TMP/fw.bin" --verify \
	>"$TMP/out" 2>&1
check "a fault-free run completes" [ $? -eq 0 ]
total=$(awk '$1 == "usb_commands" { print $2 }' "$TMP/time")
check "the job takes commands to cut ($total)" [ "${total:-0}" -ge 100 ]
k=1
while [ "$k" -lt 5000 ]; do
	state="$TMP/board-$k"
	usbsim "$state" --unplug-after "$k" -- "$CLI" program "$TMP/fw.bin" --verify \
		>"$TMP/out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		check "K=$k is past the end of the job ($total commands): it completes" \
			[ "$k" -ge "${total:-0}" ]
		break
	fi
	points=$((points + 1))
	check "K=$k: exit 2 (connection lost)" [ "$rc" -eq 2 ]
	check "K=$k: says the probe was disconnected" grep -qi "disconnected" "$TMP/out"
	usbsim "$state" -- "$CLI" program "$TMP/fw.bin" --verify >"$TMP/out" 2>&1
	check "K=$k: after re-plugging, program --verify completes" [ $? -eq 0 ]
	usbsim "$state" -- "$CLI" read 0x08000000 6000 -o "$TMP/back.bin" >"$TMP/out" 2>&1
	check "K=$k: the flash holds the image" cmp -s "$TMP/fw.bin" "$TMP/back.bin"
	rm -f "$state"
	k=$((k + STRIDE))
done
check "every K below the job's end cut it ($points points)" \
	[ "$points" -eq $(((${total:-0} - 1) / STRIDE + 1)) ]
echo "# glint-usbsim --unplug-after: $points fault points through libusb"
echo "1..$n"
exit $failed
