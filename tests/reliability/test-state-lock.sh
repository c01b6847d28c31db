#!/bin/bash
# One board state file, several programs at once (issue 16, item 3): every
# run that reports success must find its image on the board afterwards; a
# run that cannot have the board waits for it or says "board in use"
# (glint-cli exit 2, glint-usbsim exit 3) naming the holder.
#   test-state-lock.sh GLINT-USBSIM GLINT-CLI [N]
set -u
USBSIM=${1:?usage: $0 GLINT-USBSIM GLINT-CLI [N]}
CLI=${2:?usage: $0 GLINT-USBSIM GLINT-CLI [N]}
N=${3:-6}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-statelock.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
BOARD="$TMP/board"
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
		sed 's/^/# /' "$TMP/out" 2>/dev/null
	fi
}

base_of() { printf '0x%08X' $((0x08000000 + $1 * 0x8000)); }

# on_board I: image I is in flash at its base.
on_board() {
	"$CLI" --sim-state "$BOARD" read "$(base_of "$1")" 8192 -o "$TMP/back-$1.bin" \
		>/dev/null 2>&1 && cmp -s "$TMP/image-$1.bin" "$TMP/back-$1.bin"
}

for i in $(seq 0 "$N"); do
	head -c 8192 /dev/urandom >"$TMP/image-$i.bin"
done

# ---- a glint-usbsim run holds the board (its command waits on us) ----
"$CLI" --sim fresh --sim-state "$BOARD" info >/dev/null 2>&1
coproc HOLDER { exec "$USBSIM" --state "$BOARD" -- sh -c 'echo held; read -r line'; }
read -r -t 30 line <&"${HOLDER[0]}"
check "glint-usbsim holds the board" [ "${line:-}" = held ]

"$CLI" --sim-state "$BOARD" --sim-state-wait 0 program "$TMP/image-1.bin" \
	--base "$(base_of 1)" >"$TMP/out" 2>&1
rc1=$?
check "glint-cli on the held board: exit 2 (busy)" [ "$rc1" -eq 2 ]
check "it says the board is in use" grep -q "board in use" "$TMP/out"
check "it names the holder" grep -q "held by glint-usbsim (pid" "$TMP/out"

"$USBSIM" --state "$BOARD" --state-wait 0 -- true >"$TMP/out" 2>&1
rc2=$?
check "a second glint-usbsim on the held board: exit 3 (busy)" [ "$rc2" -eq 3 ]
check "it says the board is in use" grep -q "board in use" "$TMP/out"

# The lost update itself: a run started while the board is held either
# waits (and says so) or, if it ran, must still find its image once the
# holder has saved the board it loaded earlier. Its stderr is read up to
# the waiting line or to its end, whichever comes: no timing involved.
mkfifo "$TMP/late-err"
"$CLI" --sim-state "$BOARD" program "$TMP/image-1.bin" --base "$(base_of 1)" \
	>"$TMP/late-out" 2>"$TMP/late-err" &
late=$!
exec {lerr}<"$TMP/late-err"
waited=false
while read -r -t 30 -u "$lerr" lline; do
	echo "# late run: $lline"
	case $lline in *"waiting up to"*) waited=true && break ;; esac
done
cat <&"$lerr" >"$TMP/late-rest" &
drain=$!
exec {lerr}<&-
check "a run started meanwhile waits for the board" $waited
echo done >&"${HOLDER[1]}"
wait "$HOLDER_PID"
check "the holder ends normally" [ $? -eq 0 ]
wait "$late"
rc_late=$?
wait "$drain"
check "the waiting run then completes: exit 0" [ "$rc_late" -eq 0 ]
check "its image survived the holder's save" on_board 1

# ---- N glint-cli at once on the one board ----
pids=()
for i in $(seq 1 "$N"); do
	"$CLI" --sim-state "$BOARD" program "$TMP/image-$i.bin" --base "$(base_of "$i")" \
		>"$TMP/out-$i" 2>&1 &
	pids+=($!)
done
all_ok=true
for i in $(seq 1 "$N"); do
	wait "${pids[$((i - 1))]}" || { all_ok=false; sed "s/^/# run $i: /" "$TMP/out-$i"; }
done
check "$N glint-cli runs on one board all exit 0" $all_ok
for i in $(seq 1 "$N"); do
	check "run $i's image is on the board" on_board "$i"
done

# ---- two glint-usbsim at once on the one board, each running glint-cli ----
rm -f "$BOARD"
"$USBSIM" --scenario fresh --state "$BOARD" -- "$CLI" program "$TMP/image-1.bin" \
	--base "$(base_of 1)" >"$TMP/out-u1" 2>&1 &
u1=$!
"$USBSIM" --scenario fresh --state "$BOARD" -- "$CLI" program "$TMP/image-2.bin" \
	--base "$(base_of 2)" >"$TMP/out-u2" 2>&1 &
u2=$!
wait $u1
r1=$?
wait $u2
r2=$?
check "two glint-usbsim on one board: both exit 0" test "$r1" -eq 0 -a "$r2" -eq 0
[ "$r1" -eq 0 ] && [ "$r2" -eq 0 ] || sed 's/^/# /' "$TMP/out-u1" "$TMP/out-u2"
check "the first one's image is on the board" on_board 1
check "the second one's image is on the board" on_board 2

"$USBSIM" --state "" -- true >"$TMP/out" 2>&1
check "glint-usbsim --state '': a usage error (exit 2)" [ $? -eq 2 ]
"$USBSIM" --help >"$TMP/out" 2>&1
check "glint-usbsim --help documents exit 3" grep -q "3 a state file is held" "$TMP/out"

echo "# $N glint-cli and 2 glint-usbsim runs shared one board state file"
echo "1..$n"
exit $failed
