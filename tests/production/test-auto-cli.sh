#!/bin/bash
# glint-cli's production station end to end, on a simulated fixture: serial
# numbers 1000.. read back from each board's state file, a second run that
# goes on from there, failing boards recorded with their cause while the
# station goes on, JSON lines, Ctrl-C between boards, confirmations, and the
# recipe check. Prints TAP.
#   test-auto-cli.sh PATH-TO-glint-cli
set -u
CLI=$(realpath "${1:?usage: $0 PATH-TO-glint-cli}")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-auto-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
OUT="$TMP/out"
ERR="$TMP/err"
n=0
failed=0
rc=0

run() { # run ARGS...: glint-cli in $TMP, bounded in time
	(cd "$TMP" && timeout -k 5 120 "$CLI" "$@" >"$OUT" 2>"$ERR")
	rc=$?
	printf '# $ glint-cli %s -> %d\n' "$*" "$rc"
}
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		failed=1
		sed 's/^/# stdout: /' "$OUT"
		sed 's/^/# stderr: /' "$ERR"
	fi
}
rc_is() { [ "$rc" -eq "$1" ]; }
says() { cat "$OUT" "$ERR" | grep -qF -- "$1"; }
# serial_of STATE: the u32 at the recipe's serial address of a saved board
serial_of() {
	(cd "$TMP" && "$CLI" --sim-state "$1" read 0x080FF800 4 -o "$TMP/serial.bin") \
		>/dev/null 2>&1 || { echo "unreadable"; return; }
	od -An -tu4 "$TMP/serial.bin" | tr -d ' '
}
# col FILE ROW FIELD: a field of a record (row 1 is the first record)
col() { python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); print(r[int(sys.argv[2])][int(sys.argv[3])])' "$@"; }
rows() { python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1])))) - 1)' "$1"; }

head -c 20000 /dev/urandom >"$TMP/fw.bin"
CRC=$(python3 -c 'import zlib,sys; print("0x%08X" % zlib.crc32(open(sys.argv[1],"rb").read()))' "$TMP/fw.bin")
cat >"$TMP/r.glintrecipe" <<EOF
[recipe]
version=1
name=Test board
chip=STM32L476RG

[image]
file=fw.bin
crc32=$CRC

[serial]
address=0x080FF800
first=1000
format=u32le
EOF

run recipe check r.glintrecipe
check "recipe check says what it does and exits 0" rc_is 0
check "recipe check names the chip, image and first serial number" \
	bash -c "grep -q 'STM32L47x/L48x' '$OUT' && grep -q 'CRC-32 $CRC (checked)' '$OUT' && grep -q 'serial number 1000' '$OUT'"

# --- three boards, serials 1000..1002 -----------------------------------------
run --sim nucleo-l476rg --sim-fixture 3 --sim-state b.state auto r.glintrecipe --boards 3 --record rec.csv
check "auto: three boards, exit 0" rc_is 0
for k in 1 2 3; do
	want=$((999 + k))
	got=$(serial_of "b-$k.state")
	check "board $k (b-$k.state) holds serial $want at 0x080FF800 (got $got)" [ "$got" = "$want" ]
done
check "rec.csv has three records" [ "$(rows "$TMP/rec.csv")" = 3 ]
check "all three passed" [ "$(col "$TMP/rec.csv" 1 8)$(col "$TMP/rec.csv" 2 8)$(col "$TMP/rec.csv" 3 8)" = PASSPASSPASS ]
check "three different UIDs" [ "$(for i in 1 2 3; do col "$TMP/rec.csv" $i 4; done | sort -u | wc -l)" = 3 ]
check "the records name serials 1000, 1001, 1002" \
	[ "$(for i in 1 2 3; do col "$TMP/rec.csv" $i 5; done | tr '\n' ' ')" = "1000 1001 1002 " ]
check "the record's time is ISO 8601 with the zone" \
	bash -c "col() { python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); print(r[int(sys.argv[2])][int(sys.argv[3])])' \"\$@\"; }; col '$TMP/rec.csv' 1 0 | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$'"

run --sim nucleo-l476rg --sim-fixture 3 --sim-state b.state auto r.glintrecipe --boards 3 --record rec.csv
check "a second run exits 0" rc_is 0
check "it goes on at 1003" [ "$(serial_of b-1.state)" = 1003 ]
check "... 1004, 1005" [ "$(serial_of b-2.state) $(serial_of b-3.state)" = "1004 1005" ]
check "rec.csv now has six records" [ "$(rows "$TMP/rec.csv")" = 6 ]

# --- failing boards ---------------------------------------------------------------
run --sim nucleo-l476rg --sim-fixture fresh,rdp1,no-target,fresh auto r.glintrecipe --boards 4 \
	--record fail.csv --record fail.jsonl
check "failing boards: exit 5 (one failed)" rc_is 5
check "the rdp1 board: FAIL, read protected, no serial" \
	[ "$(col "$TMP/fail.csv" 2 8)|$(col "$TMP/fail.csv" 2 5)|$(col "$TMP/fail.csv" 2 10)" = \
	"FAIL||read protected (RDP level 1): remove from line" ]
check "the no-target board: FAIL, bad contact with the voltage, no serial" \
	bash -c "[ '$(col "$TMP/fail.csv" 3 8)' = FAIL ] && [ -z '$(col "$TMP/fail.csv" 3 5)' ] && \
	case '$(col "$TMP/fail.csv" 3 10)' in 'bad contact: target voltage 0.40 V'*) true;; *) false;; esac"
check "a failing row has its cause" [ -n "$(col "$TMP/fail.csv" 3 11)" ]
check "the station went on: boards 1 and 4 passed with 1006 and 1007" \
	[ "$(col "$TMP/fail.csv" 1 5) $(col "$TMP/fail.csv" 4 5)" = "1006 1007" ]
check "stdout names each failing board for the operator" says "board 2: FAIL  read protected"
check "the JSON-lines record has the same four boards, valid JSON" \
	python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert len(r)==4; assert r[1]["serial"] is None and r[1]["result"]=="FAIL"; assert r[3]["serial"]=="1007"' "$TMP/fail.jsonl"

# --- Ctrl-C between boards --------------------------------------------------------
run --sim nucleo-l476rg --sim-fixture 5 auto r.glintrecipe --boards 5 --record stop.csv \
	--test-sigint-after-board 2
check "Ctrl-C after board 2: exit 0" rc_is 0
check "Ctrl-C: the station says it stops once the boards in progress are done" \
	says "Stopping once the boards in progress are done"
check "Ctrl-C: exactly two whole records" [ "$(rows "$TMP/stop.csv")" = 2 ]

# --- confirmations ---------------------------------------------------------------
sed 's/^format=u32le$/format=u32le\n[protection]\nrdp=1/' "$TMP/r.glintrecipe" >"$TMP/p.glintrecipe"
run --sim nucleo-l476rg --sim-fixture 1 --sim-state p.state auto p.glintrecipe --boards 1
check "RDP 1 without --confirm: exit 1" rc_is 1
check "... naming what needs it" says "need a confirmation (--confirm)"
check "... before any board is touched" [ ! -e "$TMP/p-1.state" ]
run --sim nucleo-l476rg --sim-fixture 1 --sim-state p.state auto p.glintrecipe --boards 1 --confirm
check "with --confirm: exit 0" rc_is 0
run --sim-state p-1.state info
check "the board ends read-protected (RDP level 1)" says "level 1"
check "the default record file is beside the recipe" [ -s "$TMP/p-records.csv" ]

# RDP level 2 closes the debug port at the reload: that is success, not a
# target that stopped answering (glint-job-options.c)
run --sim fresh --sim-state lock.state options set RDP=2 --confirm-permanent-lock
check "options set RDP=2 --confirm-permanent-lock: exit 0" rc_is 0
check "... saying the debug port is closed for good" says "closed its debug port for good"

# --- mistakes ----------------------------------------------------------------------
run --sim fresh auto r.glintrecipe --record fw.bin
check "--record on a file that is not a record file: exit 1" rc_is 1
check "... and the file is left as it was" [ "$(wc -c <"$TMP/fw.bin")" = 20000 ]
printf 'x' >>"$TMP/fw.bin"
run recipe check r.glintrecipe
check "a changed image is refused: exit 1" rc_is 1
check "... naming the recipe's line and the new CRC" says "r.glintrecipe:8: [image] crc32"
run --sim nucleo-l476rg --sim-fixture 1 auto r.glintrecipe --boards 1
check "auto refuses it too (exit 1)" rc_is 1
run --sim-fixture 3 auto r.glintrecipe
check "--sim-fixture without --sim: exit 1" rc_is 1
check "... saying what it needs" says "--sim-fixture needs --sim BOARD"
run --sim nucleo-l476rg --sim-fixture 3 auto r.glintrecipe --all-probes
check "--all-probes with a simulated probe: exit 1" rc_is 1
run --sim nucleo-l476rg --sim-fixture fresh,bogus auto r.glintrecipe
check "an unknown fixture scenario: exit 1, naming it" bash -c "[ $rc -eq 1 ] && grep -q bogus '$ERR'"
run --sim fresh auto r.glintrecipe --boards 0
check "--boards 0: exit 1" rc_is 1
run --sim fresh auto
check "auto without a recipe: exit 1" rc_is 1
run --sim fresh recipe lint r.glintrecipe
check "recipe with another word than check: exit 1" rc_is 1

echo "1..$n"
exit $failed
