#!/bin/bash
# The demo firmware seen by glint-cli through real libusb (issue 19's "done
# when"): glint-usbsim keeps one simulated NUCLEO-L476RG running the demo
# behind an emulated ST-LINK, so that one glint-cli after another sees the
# same board, as on a bench. `watch counter --elf demo.elf` shows the
# counter rising; after `echo crash | rtt`, `fault --elf demo.elf` names the
# function and line of the store that faulted.
#   test-demo-usb.sh GLINT-USBSIM GLINT-CLI
USBSIM=${1:?usage: $0 GLINT-USBSIM GLINT-CLI}
. "$(dirname "$0")/lib.sh" "$2"

DEMO_DIR="${GLINT_SOURCE_DIR:?run through meson test}/resources/firmware/demo"
ELF="$DEMO_DIR/demo.elf"
# the line of crash() that stores to the reserved address
crash_line=$(grep -n 'GLINT_DEMO_CRASH_ADDRESS = counter' "$DEMO_DIR/demo.c" | cut -d: -f1)

# One board for the three commands; each one's output in its own files.
cat >"$TMP/driver.sh" <<DRIVER
"$CLI" watch counter --elf "$ELF" --rate 10 --seconds 1.2 >"$TMP/watch.out" 2>"$TMP/watch.err"
echo \$? >"$TMP/watch.rc"
echo crash | "$CLI" rtt --elf "$ELF" --seconds 0.5 >"$TMP/rtt.out" 2>"$TMP/rtt.err"
echo \$? >"$TMP/rtt.rc"
"$CLI" fault --elf "$ELF" >"$TMP/fault.out" 2>"$TMP/fault.err"
echo \$? >"$TMP/fault.rc"
DRIVER
timeout -k 5 120 "$USBSIM" --scenario nucleo-l476rg:demo -- bash "$TMP/driver.sh" \
	>"$TMP/usbsim.out" 2>&1
rc=$?
# what check prints on failure: the command's own output
show() { cp "$TMP/$1.out" "$OUT"; cp "$TMP/$1.err" "$ERR"; rc=$(cat "$TMP/$1.rc"); }

check "glint-usbsim ran the three commands" bash -c "[ $rc -eq 0 ] || { cat '$TMP/usbsim.out'; false; }"

show watch
check "watch counter --elf demo.elf: exit 0" rc_is 0
# "0.300012 counter=3": it never goes back and rises by 3 or more (the
# demo counts every 100 ms of the board's time, sampled on the host's; a
# loaded host's gaps count only in part as the board's time, so it watches
# 1.2 s for 300 ms: at 0.6 s a run under load saw 0, 1, 1, 2, 2, 2)
check "watch: counter rises while the core runs" \
	awk '{ sub(/.*counter=/, ""); v = $1 + 0; if (NR == 1) first = v; else if (v < last) back = 1
	       last = v } END { exit !(!back && NR >= 4 && last >= first + 3) }' "$OUT"

show rtt
check "echo crash | rtt: exit 0" rc_is 0
check "... the demo says it crashes" says "glint demo: crashing"

show fault
check "fault --elf demo.elf: exit 0" rc_is 0
check "fault names the function and line of the store" \
	says "from crash() at demo.c:$crash_line"
check "... and the HardFault it escalated to" says "Fault: HardFault (escalated)"

finish
