#!/bin/bash
# Four probes at once through libusb: glint-usbsim puts four emulated
# ST-LINKs on the USB bus, each with a fixture of boards behind it, and one
# glint-cli runs a station per probe (--all-probes). Every board must pass,
# every record be whole, every serial number be given once, and each board
# hold the number its record names. Prints TAP.
#   test-auto-usb.sh GLINT-USBSIM GLINT-CLI [PROBES] [BOARDS-PER-PROBE]
set -u
USBSIM=$(realpath "${1:?usage: $0 GLINT-USBSIM GLINT-CLI [PROBES] [BOARDS]}")
CLI=$(realpath "${2:?usage: $0 GLINT-USBSIM GLINT-CLI [PROBES] [BOARDS]}")
P=${3:-4}
B=${4:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-auto-usb.XXXXXX")
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

head -c 24000 /dev/urandom >"$TMP/fw.bin"
CRC=$(python3 -c 'import zlib,sys; print("0x%08X" % zlib.crc32(open(sys.argv[1],"rb").read()))' "$TMP/fw.bin")
cat >"$TMP/r.glintrecipe" <<EOR
[recipe]
version=1
chip=STM32L476RG
[image]
file=fw.bin
crc32=$CRC
[serial]
address=0x080FF800
first=1000
EOR
TOTAL=$((P * B))

# One retry when libusb itself cannot start (umockdev's emulated udev monitor
# occasionally refuses a process under heavy load, before any probe is
# touched): nothing was programmed then.
for attempt in 1 2; do
	(cd "$TMP" && timeout -k 5 300 "$USBSIM" --count "$P" --sim-fixture "$B" --state u.state \
		--no-host-idle -- "$CLI" auto r.glintrecipe --all-probes --boards "$TOTAL" \
		--record rec.csv --poll 20) >"$TMP/out" 2>"$TMP/err"
	rc=$?
	grep -q 'initialising libusb' "$TMP/err" || break
	echo "# libusb_init failed once under umockdev; retried"
	rm -f "$TMP"/u-*.state "$TMP"/rec.csv "$TMP"/r.glintrecipe.counters
done
sed 's/^/# /' "$TMP/out" "$TMP/err"
check "glint-usbsim with $P probes and glint-cli auto --all-probes exit 0" [ "$rc" -eq 0 ]
check "the station ran on $P probes" grep -q "Station on $P probes" "$TMP/out"

python3 - "$TMP/rec.csv" "$TOTAL" <<'EOP' >"$TMP/check" 2>&1
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
total = int(sys.argv[2])
assert open(sys.argv[1]).read().endswith("\n"), "the file ends inside a line"
assert len(rows) == total + 1, "%d records" % (len(rows) - 1)
assert all(len(r) == 15 for r in rows), "a short line"
recs = rows[1:]
assert all(r[8] == "PASS" for r in recs), [r[10] for r in recs if r[8] != "PASS"]
serials = sorted(int(r[5]) for r in recs)
assert serials == list(range(1000, 1000 + total)), serials
assert len(set(r[4] for r in recs)) == total, "two boards share a UID"
probes = set(r[1] for r in recs)
for r in recs:
    print(r[4], r[5])
print("probes", len(probes))
EOP
check "$TOTAL whole records, all passed, serials 1000..$((1000 + TOTAL - 1)) each once" [ $? -eq 0 ]
sed 's/^/# /' "$TMP/check"
check "the boards of all $P probes were programmed" grep -q "^probes $P$" "$TMP/check"

# Each board holds the number its record gives its UID.
bad=0
for p in $(seq 1 "$P"); do
	for k in $(seq 1 "$B"); do
		state="$TMP/u-$p-$k.state"
		uid=$(cd "$TMP" && "$CLI" --sim-state "$state" info 2>/dev/null | sed -n 's/^Unique id: *//p')
		(cd "$TMP" && "$CLI" --sim-state "$state" read 0x080FF800 4 -o "$TMP/s.bin") >/dev/null 2>&1
		held=$(od -An -tu4 "$TMP/s.bin" | tr -d ' ')
		want=$(grep "^$uid " "$TMP/check" | cut -d' ' -f2)
		if [ -z "$uid" ] || [ "$held" != "$want" ]; then
			echo "# u-$p-$k.state: UID '$uid' holds '$held', its record says '$want'"
			bad=1
		fi
	done
done
check "every board holds the serial number of its record" [ "$bad" -eq 0 ]
grep 'glint-usbsim: fixture of probe' "$TMP/err" | sed 's/^/# /'
echo "1..$n"
exit $failed
