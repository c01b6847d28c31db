#!/bin/bash
# Files that are not what they should be (issue 16): a FIFO, a device or a
# directory given as a firmware, state or output file is refused at once by
# what it is; a 3 GB state file by its size, before it is read; a read-only
# state file is refused, not replaced; a symbolic link to a state file stays
# a link; an empty --sim-state is refused up front; a bad output name is
# refused before anything is read from the chip; a state file another run
# holds is "board in use" (exit 2, naming the holder), or waited for.
. "$(dirname "$0")/lib.sh"

connected() { says "Connected to"; }

head -c 4096 /dev/urandom >"$TMP/fw.bin"

# ---- not a regular file ----
mkfifo "$TMP/fifo.hex"
sim fresh program "$TMP/fifo.hex"
check "a FIFO as the firmware file: exit 1 (no hang)" rc_is 1
check "it says the file is a FIFO" err_says "$TMP/fifo.hex as a firmware image: it is a FIFO"
check "nothing was touched" bash -c '! grep -q "Connected to" "$0"' "$ERR"

sim fresh program /dev/zero
check "/dev/zero as the firmware file: exit 1 at once" rc_is 1
check "it says it is a character device" err_says "it is a character device"

sim fresh verify "$TMP"
check "a directory as the firmware file: exit 1" rc_is 1
check "it says it is a directory" err_says "it is a directory"

cli image "$TMP/fifo.hex"
check "image on a FIFO: exit 1" rc_is 1

cli --sim fresh --sim-state "$TMP/fifo.hex" info
check "a FIFO as the state file: exit 1 (no hang)" rc_is 1
check "it says the state file is a FIFO" err_says "as a simulator state file: it is a FIFO"
check "no board was connected" bash -c '! grep -q "Connected to" "$0"' "$ERR"

cli --sim fresh --sim-state /dev/null info
check "a device as the state file: exit 1" rc_is 1
check "/dev/null is named a character device" err_says "it is a character device"

cli --sim fresh --sim-state "" info
check "--sim-state with an empty name: exit 1" rc_is 1
check "it is refused up front" bash -c '! grep -q "Connected to" "$0"' "$ERR"
check "it says the name is empty" err_says "--sim-state needs a file name"

# ---- sizes: stat first ----
truncate -s 3G "$TMP/huge.state"
cli --sim fresh --sim-state "$TMP/huge.state" info
check "a 3 GB state file: exit 1" rc_is 1
check "refused by its size" bash -c 'grep -q "3\.2.*GB" "$0" && grep -q "is this the right file" "$0"' "$ERR"
check "the 3 GB file is left alone" [ "$(stat -c %s "$TMP/huge.state")" -eq $((3 * 1024 * 1024 * 1024)) ]

# ---- read-only state ----
sim fresh program "$TMP/fw.bin"
check "a board to protect" rc_is 0
chmod 0444 "$BOARD"
cp "$BOARD" "$TMP/board.before"
head -c 2048 /dev/urandom >"$TMP/other.bin"
sim fresh program "$TMP/other.bin"
check "programming a read-only state: exit 1" rc_is 1
check "it says the state file is read-only" err_says "is read-only (mode 0444)"
check "it says the way out" err_says "chmod u+w"
check "it is refused before connecting" bash -c '! grep -q "Connected to" "$0"' "$ERR"
check "the state file is still 0444" [ "$(stat -c %a "$BOARD")" = 444 ]
check "the state file is unchanged" cmp -s "$BOARD" "$TMP/board.before"
chmod 0644 "$BOARD"
rm -f "$BOARD"

# ---- symbolic links ----
sim fresh program "$TMP/fw.bin"
mv "$BOARD" "$TMP/real.state"
ln -s real.state "$BOARD"
sim fresh program "$TMP/other.bin" --base 0x08010000
check "programming through a symlinked state: exit 0" rc_is 0
check "the link is still a link" [ -L "$BOARD" ]
check "it still points at the same file" [ "$(readlink "$BOARD")" = real.state ]
cli --sim-state "$TMP/real.state" read 0x08010000 2048 -o "$TMP/back.bin"
check "the target file holds the new image" cmp -s "$TMP/other.bin" "$TMP/back.bin"
cli --sim-state "$TMP/real.state" read 0x08000000 4096 -o "$TMP/back.bin"
check "and the earlier one" cmp -s "$TMP/fw.bin" "$TMP/back.bin"
rm -f "$BOARD"

# ---- output names checked before reading ----
sim fresh read 0x08000000 4K -o "$TMP/x.elf"
check "read -o x.elf: exit 1" rc_is 1
check "it says ELF is not written" err_says "does not write ELF"
check "refused before connecting" bash -c '! grep -q "Connected to" "$0"' "$ERR"
sim fresh read 0x08000000 4K -o /nonexistent/x.bin
check "read -o /nonexistent/x.bin: exit 1" rc_is 1
check "it names the missing directory" err_says "/nonexistent"
check "refused before connecting" bash -c '! grep -q "Connected to" "$0"' "$ERR"
sim fresh read 0x08000000 4K -o "$TMP/fifo.hex"
check "read -o FIFO: exit 1 (no hang)" rc_is 1
check "it says the output is a FIFO" err_says "it is a FIFO"
sim fresh read 0x08000000 4K -o "$TMP"
check "read -o DIRECTORY: exit 1" rc_is 1
check "refused before connecting" bash -c '! grep -q "Connected to" "$0"' "$ERR"

# ---- a board another run holds ----
sim fresh program "$TMP/fw.bin"
coproc HOLDER { exec flock -x "$BOARD" -c 'echo locked; read -r line'; }
read -r -t 30 line <&"${HOLDER[0]}"
check "a holder has the board" [ "${line:-}" = locked ]
sim fresh --sim-state-wait 0 program "$TMP/other.bin" --base 0x08020000
check "a held board: exit 2 (busy)" rc_is 2
check "it says the board is in use" err_says "board in use"
check "it names the state file" err_says "$BOARD"
check "it names the holder" err_says "held by flock (pid"
check "it was refused before connecting" bash -c '! grep -q "Connected to" "$0"' "$ERR"

# start_waiter NAME ARGS...: glint-cli in the background on the held board;
# returns once it says it is waiting (the test waits for that line, not
# for time to pass). $waiter is its pid, $said the line.
start_waiter() {
	local name=$1
	shift
	mkfifo "$TMP/$name-err"
	"$CLI" --sim fresh --sim-state "$BOARD" "$@" >"$TMP/$name-out" 2>"$TMP/$name-err" &
	waiter=$!
	exec {werr}<"$TMP/$name-err"
	said=""
	while read -r -t 30 -u "$werr" wline; do
		echo "# $name: $wline"
		case $wline in *"waiting up to"*) said=$wline && break ;; esac
	done
	# keep draining, so that the waiter never blocks on its stderr
	cat <&"$werr" >"$TMP/$name-rest" &
	drain=$!
	exec {werr}<&-
}

# Ctrl-C while waiting: cancelled (exit 6), the board untouched.
cp "$BOARD" "$TMP/board.before"
start_waiter cancelled program "$TMP/other.bin" --base 0x08020000
check "a second run waits for the board and says so" [ -n "$said" ]
check "the waiting line names the holder" bash -c '[[ $0 == *"flock (pid"* ]]' "$said"
kill -INT "$waiter"
wait "$waiter"
wrc=$?
check "Ctrl-C while waiting: exit 6 (cancelled)" [ "$wrc" -eq 6 ]
wait "$drain"
check "it says it was cancelled" grep -q "cancelled while waiting" "$TMP/cancelled-rest"
check "the board was not touched" cmp -s "$BOARD" "$TMP/board.before"

# Without --sim-state-wait 0 it waits until the holder lets go, then runs.
start_waiter waiter program "$TMP/other.bin" --base 0x08020000
check "another run waits too" [ -n "$said" ]
echo done >&"${HOLDER[1]}"
wait "$HOLDER_PID" 2>/dev/null
wait "$waiter"
wrc=$?
wait "$drain"
sed 's/^/# waiter: /' "$TMP/waiter-rest"
check "once the holder is gone it runs: exit 0" [ "$wrc" -eq 0 ]
cli --sim-state "$BOARD" read 0x08020000 2048 -o "$TMP/back.bin"
check "its image is on the board" cmp -s "$TMP/other.bin" "$TMP/back.bin"
cli --sim-state "$BOARD" read 0x08000000 4096 -o "$TMP/back.bin"
check "and the earlier image too" cmp -s "$TMP/fw.bin" "$TMP/back.bin"

finish
