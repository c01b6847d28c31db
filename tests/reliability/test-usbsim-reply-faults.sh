#!/bin/bash
# Bad replies through the real USB stack: glint-usbsim --fault-after K:KIND
# spoils the first reply the probe sends after its K-th command (garbage
# bytes, a short transfer, a reply never sent so libusb's timeout fires, a
# probe that hangs) while glint-cli runs program --verify, with the flash
# loader and without. Each run must end (the hang guard is far above the
# transfer timeout), exit with a documented code (0 when the fault was
# noticed and worked around, 2-5 otherwise; never a crash), name the cause
# (a short reply its length, a lost one the timeout) and the next, fault-free
# run must complete the job and leave the image in flash. A hung probe is a
# lost probe (exit 2). Every reply of connecting is spoiled in turn: a
# garbled one is the probe link's fault (exit 5, "replug"), never the
# target's ("connect under reset") nor an unknown probe generation.
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

# What a spoiled reply must never be blamed on: the target or the probe's kind.
target_not_blamed() {
	! grep -Eq "connect under reset|Could not read the device id|generation|not an ARM core" \
		"$TMP/out"
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
	last_rc=$rc
	cp "$TMP/out" "$TMP/$kind-out"
	points=$((points + 1))
	check "$what: the reply was spoiled" grep -q "spoiling the reply" "$TMP/out"
	check "$what: ends with a documented exit code (rc=$rc)" documented_exit "$rc"
	check "$what: names the cause" names_cause "$kind" "$rc"
	if [ "$kind" = garbage ]; then
		check "$what: the target is not blamed" target_not_blamed
		# The flash loader's result words are checked: complemented,
		# they must not read as "flash controller locked at 0xFFFFFFFF".
		check "$what: a garbled loader result is not blamed on the flash controller" \
			bash -c '! grep -q "found the flash controller locked" "$0"' "$TMP/out"
	fi
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

# Connecting, reply by reply (issue 16): a reply that cannot be right is the
# probe link's fault. Never "unknown ST-LINK generation", never the target
# blamed ("connect under reset", "device id"): exit 5 saying to replug the
# probe (garbage) or naming the short reply, or worked around (exit 0).
"$USBSIM" --no-host-idle --scenario fresh --report-time "$TMP/time" -- "$CLI" info \
	>"$TMP/out" 2>&1
connect_total=$(awk '$1 == "usb_commands" { print $2 }' "$TMP/time")
check "connecting takes commands to spoil ($connect_total)" [ "${connect_total:-0}" -ge 10 ]
for kind in garbage short; do
	spoiled=0
	# The last command (leaving debug mode) has no reply to spoil.
	for k in $(seq 1 $((connect_total - 1))); do
		G_MESSAGES_DEBUG=glint-usbsim timeout -k 5 "$HANG_GUARD" \
			"$USBSIM" --no-host-idle --scenario fresh --fault-after "$k:$kind" -- \
			"$CLI" info >"$TMP/out" 2>&1
		rc=$?
		grep -q "spoiling the reply" "$TMP/out" && spoiled=$((spoiled + 1))
		case $kind in
		garbage) says='replug' ;;
		short) says='bytes expected' ;;
		esac
		check "connect K=$k $kind: exit 0 or 5 (rc=$rc)" [ "$rc" -eq 0 -o "$rc" -eq 5 ]
		check "connect K=$k $kind: the probe, not the target, is blamed" target_not_blamed
		if [ "$rc" -ne 0 ]; then
			check "connect K=$k $kind: says '$says'" grep -q "$says" "$TMP/out"
		fi
	done
	check "connect $kind: every reply was spoiled ($spoiled of $((connect_total - 1)))" \
		[ "$spoiled" -eq $((connect_total - 1)) ]
done

for k in 3 40 $((total / 2)); do
	for kind in garbage short drop; do
		one "$k" "$kind"
	done
done
# A probe that answers nothing any more is lost: exit 2, as a pulled cable.
one $((total / 2)) stall
check "K=$((total / 2)) stall: exit 2 (the probe is lost)" [ "$last_rc" -eq 2 ]
check "K=$((total / 2)) stall: says to replug the probe" grep -q "replug" "$TMP/stall-out"
for k in 20 $((total / 2)); do
	for kind in garbage short; do
		one "$k" "$kind" --no-loader
	done
done
echo "# glint-usbsim --fault-after: $points bad replies through libusb"
echo "1..$n"
exit $failed
