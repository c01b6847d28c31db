# lib.sh: shared helpers for glint-cli's end-to-end tests. Each test script
# sources this, runs the built glint-cli against simulated boards kept in a
# state file under a private temporary directory, and prints TAP.
set -u

CLI=${1:?usage: $0 PATH-TO-glint-cli}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-cli-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# The ELF programmed last (glint-programmed.h) is remembered per test.
export XDG_STATE_HOME="$TMP/state"
BOARD="$TMP/board"
OUT="$TMP/out"
ERR="$TMP/err"
tap_count=0
tap_failed=0
rc=0

# A run that hangs is a failure (exit 124), not a stuck test suite.
HANG_GUARD=60

# cli ARGS...: runs glint-cli, keeping stdout, stderr and the exit code.
cli() {
	timeout -k 5 "$HANG_GUARD" "$CLI" "$@" >"$OUT" 2>"$ERR"
	rc=$?
	printf '# $ glint-cli %s -> %d\n' "$*" "$rc"
}

# sim SCENARIO ARGS...: the same on the board in $BOARD.
sim() {
	local scenario=$1
	shift
	cli --sim "$scenario" --sim-state "$BOARD" "$@"
}

# check DESCRIPTION COMMAND...: one TAP line; on failure, the last output.
check() {
	local what=$1
	shift
	tap_count=$((tap_count + 1))
	if "$@"; then
		echo "ok $tap_count - $what"
	else
		echo "not ok $tap_count - $what"
		tap_failed=1
		echo "# exit code: $rc"
		sed 's/^/# stdout: /' "$OUT"
		sed 's/^/# stderr: /' "$ERR"
	fi
}

rc_is() { [ "$rc" -eq "$1" ]; }
# Fixed-string search in stdout+stderr.
says() { cat "$OUT" "$ERR" | grep -qF -- "$1"; }
says_i() { cat "$OUT" "$ERR" | grep -qiE -- "$1"; }
says_not() { ! cat "$OUT" "$ERR" | grep -qF -- "$1"; }
err_says() { grep -qF -- "$1" "$ERR"; }

# random_file PATH BYTES
random_file() { head -c "$2" /dev/urandom >"$1"; }
# erased_file PATH BYTES: all 0xFF, as erased flash reads.
erased_file() { head -c "$2" /dev/zero | tr '\000' '\377' >"$1"; }

finish() {
	echo "1..$tap_count"
	exit $tap_failed
}
