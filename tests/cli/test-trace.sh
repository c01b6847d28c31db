#!/bin/bash
# swo and rtt (issue 19): the demo's lines over both; the trace tests'
# firmware (tests/firmware/trace-test, programmed like any firmware) read
# back byte for byte, port by port and channel by channel; stdin to down
# channel 0; what is refused and how; Ctrl-C ends a capture normally.
. "$(dirname "$0")/lib.sh"

FW_DIR="${GLINT_SOURCE_DIR:?run through meson test}/tests/firmware/trace-test"
FW="$FW_DIR/trace-test.bin"

# expected outputs, from trace-test.h
itm_text="itm port 0: hello from the trace test firmware"
rtt_expected() {
	for i in $(seq 0 39); do
		printf 'rtt line %02d: the quick brown fox jumps over the lazy dog\n' "$i"
	done
}
all_bytes() {
	for i in $(seq 0 255); do printf "\\$(printf '%03o' "$i")"; done
}
lines_with() { grep -c -- "$1" "$OUT"; }

# ---- the demo -------------------------------------------------------------
cli --sim nucleo-l476rg:demo swo --seconds 1
check "swo on the demo: exit 0" rc_is 0
check "swo prints the demo's lines" bash -c "[ \$(grep -c '^glint demo: counter=' '$OUT') -ge 8 ]"
check "swo's stdout holds nothing but the firmware's text" \
	bash -c "! grep -v '^glint demo: ' '$OUT'"
check "swo says what it chose on stderr" err_says "core clock 4.000 MHz (measured with DWT_CYCCNT)"
check "swo sums up on stderr" err_says "SWO: "

cli --sim nucleo-l476rg:demo rtt --seconds 1 </dev/null
check "rtt on the demo: exit 0" rc_is 0
check "rtt prints the demo's lines" bash -c "[ \$(grep -c '^glint demo: counter=' '$OUT') -ge 8 ]"
check "rtt names the control block" err_says "SEGGER RTT control block at 0x20000004"
cli --sim nucleo-l476rg:demo rtt --elf "$GLINT_SOURCE_DIR/resources/firmware/demo/demo.elf" \
	--seconds 1 </dev/null
check "rtt --elf demo.elf: the demo's lines" \
	bash -c "[ \$(grep -c '^glint demo: counter=' '$OUT') -ge 8 ]"
check "... from the block at its _SEGGER_RTT" err_says "demo.elf: _SEGGER_RTT at 0x20000004"

echo crash | timeout -k 5 "$HANG_GUARD" "$CLI" --sim nucleo-l476rg:demo rtt --seconds 0.5 \
	>"$OUT" 2>"$ERR"
rc=$?
check "rtt sends stdin to down channel 0: the demo crashes on 'crash'" says "crashing"
check "the crash stops the demo's lines" bash -c "! grep -q 'counter=' '$OUT'"

# ---- the demo on the other families -------------------------------------------
# an F1 at its 8 MHz HSI, an L1 at its 2.1 MHz MSI (SWO at HCLK/2), an H7
# (through its SWO unit and funnel) and an L5 and a U5 (DBGMCU_CR at
# 0xE0044004); an F0 and an L0 (ARMv6-M: no SWO)
for board in nucleo-h743zi nucleo-l552ze-q nucleo-u575zi-q nucleo-f103rb nucleo-l152re; do
	cli --sim "$board:demo" swo --seconds 0.5
	check "swo on $board's demo prints its lines" \
		bash -c "[ \$(grep -c '^glint demo: counter=' '$OUT') -ge 4 ]"
done
check "... at a rate its 2.1 MHz clock makes" err_says "at 1048500 baud"
for board in nucleo-f072rb nucleo-l053r8; do
	cli --sim "$board:demo" swo --seconds 0.5
	check "swo on $board: exit 5" rc_is 5
	check "... pointing to rtt" err_says "glint-cli rtt"
	cli --sim "$board:demo" rtt --seconds 0.5 </dev/null
	check "rtt on $board's demo prints its lines" \
		bash -c "[ \$(grep -c '^glint demo: counter=' '$OUT') -ge 4 ]"
done

# ---- the trace tests' firmware ------------------------------------------
sim fresh program "$FW" --reset
check "the trace firmware programs" rc_is 0

sim fresh swo --port 0 --seconds 0.3
check "swo --port 0: exit 0" rc_is 0
check "swo --port 0: the text of port 0, exactly" \
	cmp -s "$OUT" <(printf '%s\n' "$itm_text")
sim fresh swo --port 3 --seconds 0.3
check "swo --port 3: the bytes 0 to 255, exactly" cmp -s "$OUT" <(all_bytes)
sim fresh swo --seconds 0.3
check "swo: port 0's text first" bash -c "head -1 '$OUT' | grep -qx '$itm_text'"
check "swo: port 1 as tagged lines" \
	bash -c "grep -qx '\[port 1\] 0x1234' '$OUT' && grep -qx '\[port 1\] 0x0080' '$OUT'"
check "swo: port 2 as tagged lines" bash -c "grep -qx '\[port 2\] 0xDEADBEEF' '$OUT'"
check "swo: port 31 as a tagged line" bash -c "grep -qx '\[port 31\] 0x5A' '$OUT'"
check "swo: 256 lines of port 3" bash -c "[ \$(grep -c '^\[port 3\]' '$OUT') -eq 256 ]"
check "swo sums up per port" err_says "port 3: 256 bytes"

sim fresh rtt --seconds 0.5 </dev/null
check "rtt: exit 0" rc_is 0
check "rtt: the 40 lines of up channel 0, exactly (through a 64-byte buffer)" \
	cmp -s "$OUT" <(rtt_expected)
check "rtt lists the channels" err_says 'RTT up channel 1 "Echo": 128 bytes'
sim fresh rtt --channel 0 --address 0x20000014 --seconds 0.5 </dev/null
check "rtt --address: the block there, the same lines" cmp -s "$OUT" <(rtt_expected)
sim fresh rtt --channel 0 --elf "$FW_DIR/trace-test.elf" --seconds 0.5 </dev/null
check "rtt --elf: the block at _SEGGER_RTT, the same lines" cmp -s "$OUT" <(rtt_expected)
check "... saying where the symbol put it" \
	err_says "$FW_DIR/trace-test.elf: _SEGGER_RTT at 0x20000014"
check "... and looking nowhere else" err_says "SEGGER RTT control block at 0x20000014"
sim fresh rtt --address 0x20000100 --seconds 0.1 </dev/null
check "rtt --address without a block there: exit 5" rc_is 5
check "... saying what is there instead" err_says "No SEGGER RTT control block at 0x20000100"

head -c 100 /dev/zero | tr '\0' 'x' >"$TMP/input"
sim fresh rtt --seconds 0.2 <"$TMP/input"
check "rtt: input the target never reads: exit 0" rc_is 0
check "... and a warning counts what was not sent" err_says "85 bytes of input were not sent"

sim fresh swo --clock 8000000 --seconds 0.3
check "swo with a wrong --clock: exit 0" rc_is 0
check "... the text does not come through" says_not "$itm_text"
check "... and the summary suspects the clock" err_says "give --clock"

# ---- refused ---------------------------------------------------------------
cli --sim fresh swo --seconds 0.1
check "swo on a board whose core does not run: exit 5" rc_is 5
check "... saying to give the clock" err_says "--clock HZ"
cli --sim fresh rtt --seconds 0.1 </dev/null
check "rtt without a control block: exit 5" rc_is 5
check "... naming where it looked" err_says "SRAM1 0x20000000-0x20017FFF"
cli --sim fresh swo --port 32
check "swo --port 32: exit 1" rc_is 1
cli --sim fresh swo --seconds 0
check "--seconds 0: exit 1" rc_is 1
cli --sim fresh rtt --baud 2000000
check "--baud does not apply to rtt: exit 1" rc_is 1
cli --sim fresh rtt --address 0x20000002
check "rtt --address unaligned: exit 1" rc_is 1
cli --sim nucleo-l476rg:demo rtt --elf "$GLINT_SOURCE_DIR/tests/data/firmware/watch.elf" \
	--seconds 0.1 </dev/null
check "rtt --elf of firmware without RTT: exit 1" rc_is 1
check "... naming the file and the symbol" \
	err_says "tests/data/firmware/watch.elf has no symbol or variable '_SEGGER_RTT'"
check "... before connecting" says_not "Connected to"
cli --sim fresh rtt --elf "$TMP/none.elf" --seconds 0.1 </dev/null
check "rtt --elf of a missing file: exit 1, the file named" \
	bash -c "[ $rc -eq 1 ] && grep -qF '$TMP/none.elf' '$ERR'"
cli --sim fresh rtt --elf "$FW_DIR/trace-test.elf" --address 0x20000014 </dev/null
check "rtt with both --elf and --address: exit 1" rc_is 1
check "... asking for one of them" err_says "give one of them"
cli --sim fresh swo now
check "swo takes no operand: exit 1" rc_is 1
cli --sim fresh swo --baud 1500000 --clock 4000000
check "swo --baud HCLK cannot make: exit 1" rc_is 1
check "... naming the rates that work" err_says "1000000, 1333333 or 2000000 baud"

# ---- Ctrl-C ------------------------------------------------------------------
cli --sim nucleo-l476rg:demo swo --test-sigint-after 400
check "swo without --seconds ends at Ctrl-C: exit 0" rc_is 0
check "... with what arrived until then" says "glint demo: counter="
cli --sim nucleo-l476rg:demo rtt --test-sigint-after 200 </dev/null
check "rtt without --seconds ends at Ctrl-C: exit 0" rc_is 0
check "... with what arrived until then" says "glint demo: counter="

finish
