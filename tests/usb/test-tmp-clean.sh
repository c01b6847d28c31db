#!/bin/bash
# A test binary leaves nothing in the temporary directory, whether its cases
# pass or fail half-way: it runs with TMPDIR pointing at an empty directory of
# our own, once normally and once with GLINT_BUILD_DIR pointing nowhere (so
# every case fails an assertion after making its directory), and the
# directory must be empty afterwards.
#   test-tmp-clean.sh TEST-BINARY CK_RUN_CASE
set -u
BIN=${1:?usage: $0 TEST-BINARY CASE}
CASE=${2:?usage: $0 TEST-BINARY CASE}
TOP=$(mktemp -d "${TMPDIR:-/tmp}/glint-tmpclean.XXXXXX")
trap 'rm -rf "$TOP"' EXIT
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
		sed 's/^/# /' "$TOP/out"
		find "$TOP/tmp" -mindepth 1 | sed 's/^/# left behind: /'
	fi
}

empty() { [ -z "$(find "$TOP/tmp" -mindepth 1 -print -quit)" ]; }

mkdir "$TOP/tmp"
TMPDIR="$TOP/tmp" CK_RUN_CASE="$CASE" "$BIN" >"$TOP/out" 2>&1
check "$CASE passes" [ $? -eq 0 ]
check "$CASE leaves nothing in TMPDIR" empty
TMPDIR="$TOP/tmp" CK_RUN_CASE="$CASE" GLINT_BUILD_DIR=/nonexistent "$BIN" >"$TOP/out" 2>&1
check "$CASE fails without the programs it runs" [ $? -ne 0 ]
check "$CASE leaves nothing in TMPDIR after failing" empty
echo "1..$n"
exit $failed
