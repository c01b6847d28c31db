#!/bin/bash
# glint-usbsim told to stop (SIGTERM from `timeout`, SIGINT, SIGHUP) while
# the command it runs does not end on that signal, as a peer stuck in a
# polling loop does: glint-usbsim must pass the signal on and still end,
# with 128 + the signal, the command must be gone (killed after the grace
# period, or at once on a second signal), and nothing of umockdev's may
# be left in TMPDIR. Before issue 20 it forwarded SIGTERM
# and waited for ever, and ignored SIGINT.
#   test-usbsim-signals.sh GLINT-USBSIM
set -u
USBSIM=${1:?usage: $0 GLINT-USBSIM}
TOP=$(mktemp -d "${TMPDIR:-/tmp}/glint-usbsim-signals.XXXXXX")
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
		sed 's/^/# /' "$TOP/err"
		find "$TOP/tmp" -mindepth 1 -maxdepth 1 | sed 's/^/# left behind: /'
	fi
}

empty() { [ -z "$(find "$TOP/tmp" -mindepth 1 -print -quit)" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }

for sig in TERM INT HUP; do
	rm -rf "$TOP/tmp" "$TOP/ready"
	mkdir "$TOP/tmp"
	mkfifo "$TOP/ready"
	# read-write: opening it does not wait for the command, and each read
	# below is bounded
	exec 3<>"$TOP/ready"
	# The command survives the signal (it only reports it, on the fifo),
	# says its pid once the bus is up (it runs under glint-usbsim only
	# then) and waits for ever.
	TMPDIR="$TOP/tmp" "$USBSIM" --scenario nucleo-l476rg -- \
		sh -c 'trap "echo got >\"\$0\"" TERM INT HUP; echo $$ >"$0"
			while :; do sleep 1 & wait $!; done' "$TOP/ready" \
		2>"$TOP/err" &
	pid=$!
	read -t 60 -r child <&3
	kill -s "$sig" "$pid"
	# glint-usbsim passes the signal on
	got=none
	read -t 60 -r got <&3
	check "SIG$sig: the command got it from glint-usbsim" [ "$got" = got ]
	# SIGINT and SIGHUP a second time: that kills the command at once
	# (SIGTERM waits for the grace period)
	if [ "$sig" != TERM ]; then
		kill -s "$sig" "$pid"
	fi
	# Bounded: were glint-usbsim to hang, the watchdog ends the case.
	# (Its sleep goes with it, and holds none of our output open.)
	(
		trap 'kill "$s"; exit 0' TERM
		sleep 120 &
		s=$!
		wait "$s"
		kill -KILL "$pid" "$child"
	) >/dev/null 2>&1 &
	watchdog=$!
	wait "$pid"
	status=$?
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	want=$((128 + $(kill -l "$sig")))
	check "SIG$sig: glint-usbsim exits $want (got $status)" [ "$status" -eq "$want" ]
	check "SIG$sig: the command that survived it is gone" gone "$child"
	check "SIG$sig: glint-usbsim says it killed the command" grep -q "killed" "$TOP/err"
	check "SIG$sig: nothing left in TMPDIR" empty
	kill -KILL "$child" 2>/dev/null
	exec 3>&-
done
echo "1..$n"
exit $failed
