#!/bin/bash
# Bad replies through the real USB stack: glint-usbsim --fault-after K:KIND
# spoils the first reply the probe sends after its K-th command (garbage
# bytes, a short transfer, a reply never sent so libusb's timeout fires, a
# probe that hangs) while glint-cli runs program --verify, with the flash
# loader and without. Each run must end (the hang guard is far above the
# transfer timeout), exit with a documented code (0 when the fault was
# noticed and worked around, 2-5 otherwise; never a crash), name the cause
# (a short reply its length, a lost one the timeout) and the next, fault-free
# run must complete the job and leave the image in flash.
#   test-usbsim-reply-faults.sh GLINT-USBSIM GLINT-CLI
set -u
USBSIM=${1:?usage: $0 GLINT-USBSIM GLINT-CLI}
CLI=${2:?usage: $0 GLINT-USBSIM GLINT-CLI}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-usbreply.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# far above the 3 s transfer timeout times the few commands a failing job sends
HANG_GUARD=60
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

documented_exit() { # the exit codes glint-cli --help lists for a failed job
	case $1 in 0 | 2 | 3 | 4 | 5) return 0 ;; *) return 1 ;; esac
}

usage_error() { # usage_error RC TEXT: exit 2 naming TEXT
	[ "$1" -eq 2 ] && grep -q -- "$2" "$TMP/out"
}

names_cause() { # names_cause KIND RC: the output says what went wrong
	local kind=$1 rc=$2
	case $kind in
	short) grep -q "bytes expected" "$TMP/out" ;;
	drop | stall) grep -q "did not answer in time" "$TMP/out" ;;
	garbage) [ "$rc" -eq 0 ] || grep -q "^glint-cli: error: ." "$TMP/out" ;;
	esac
}

one() { # one K KIND [glint-cli options...]
	local k=$1 kind=$2
	shift 2
	local what="K=$k $kind${*:+ $*}"
	local state="$TMP/board"
	rm -f "$state"
	G_MESSAGES_DEBUG=glint-usbsim timeout -k 5 "$HANG_GUARD" \
		"$USBSIM" --no-host-idle --scenario fresh --state "$state" --fault-after "$k:$kind" -- \
		"$CLI" program "$TMP/fw.bin" --verify "$@" >"$TMP/out" 2>&1
	local rc=$?
	points=$((points + 1))
	check "$what: the reply was spoiled" grep -q "spoiling the reply" "$TMP/out"
	check "$what: ends with a documented exit code (rc=$rc)" documented_exit "$rc"
	check "$what: names the cause" names_cause "$kind" "$rc"
	"$USBSIM" --scenario fresh --state "$state" -- "$CLI" program "$TMP/fw.bin" --verify "$@" \
		>"$TMP/out" 2>&1
	check "$what: the next run completes the job" [ $? -eq 0 ]
	"$USBSIM" --scenario fresh --state "$state" -- "$CLI" read 0x08000000 6000 \
		-o "$TMP/back.bin" >"$TMP/out" 2>&1
	check "$what: the flash holds the image" cmp -s "$TMP/fw.bin" "$TMP/back.bin"
}

for bad in 0:garbage x:short 5 5:bogus; do
	"$USBSIM" --fault-after "$bad" -- true >"$TMP/out" 2>&1
	rc=$?
	check "--fault-after $bad refused as a usage error" usage_error "$rc" "--fault-after $bad"
done

head -c 6000 /dev/urandom >"$TMP/fw.bin"
# A clean run first: how many commands the job takes. --no-host-idle keeps
# the count independent of host scheduling (otherwise a loaded machine's
# gaps pass on the device clock and the loader needs fewer polls).
"$USBSIM" --no-host-idle --scenario fresh --state "$TMP/clean" --report-time "$TMP/time" -- \
	"$CLI" program "$TMP/fw.bin" --verify >"$TMP/out" 2>&1
check "a fault-free run completes" [ $? -eq 0 ]
total=$(awk '$1 == "usb_commands" { print $2 }' "$TMP/time")
check "the job takes enough commands to spoil ($total)" [ "${total:-0}" -ge 150 ]

for k in 3 40 $((total / 2)); do
	for kind in garbage short drop; do
		one "$k" "$kind"
	done
done
one $((total / 2)) stall
for k in 20 $((total / 2)); do
	for kind in garbage short; do
		one "$k" "$kind" --no-loader
	done
done
echo "# glint-usbsim --fault-after: $points bad replies through libusb"
echo "1..$n"
exit $failed
