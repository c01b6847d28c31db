#!/bin/bash
# The core view end to end (issue 19): glint-cli core, fault and watch on a
# simulated NUCLEO-L476RG running the test firmware of tests/data/firmware,
# the ELF remembered after program, and bad input refused before the chip
# is touched. Each run powers the board on from its state file, so the
# firmware has run for the same modelled time when glint-cli attaches.
. "$(dirname "$0")/lib.sh"

FW="${GLINT_SOURCE_DIR:?run through meson test}/tests/data/firmware"
WATCH_BOARD="$TMP/watch.state"
FAULT_BOARD="$TMP/fault.state"

on_watch() { cli --sim fresh --sim-state "$WATCH_BOARD" "$@"; }
on_fault() { cli --sim fresh --sim-state "$FAULT_BOARD" "$@"; }
# The line of faults.c marked "FAULT_LINE @1"
fault_line() { grep -n "FAULT_LINE $1 \*/" "$FW/faults.c" | cut -d: -f1; }
# The PC in "... at 0x080000E2 main()..." of the last stdout
pc_said() { grep -oE 'at 0x[0-9A-F]{8}' "$OUT" | head -n 1 | cut -c4-; }
# The value of register $1 in `core regs` output
reg_said() { awk -v r="$1" '$1 == r { print $2 }' "$OUT"; }

# --- the ELF remembered after program ---------------------------------------
on_watch program "$FW/watch.elf"
check "program an ELF" rc_is 0
on_watch core status
check "core status of running firmware" says "Core: running"
check "the ELF programmed last is used without --elf, and said so" \
	err_says "using $FW/watch.elf, the ELF programmed last through this probe"
cli --sim wrp --sim-state "$TMP/other.state" core halt
check "another probe (serial) does not get that ELF" says_not "the ELF programmed last"

# --- core control ------------------------------------------------------------
on_watch core halt
check "core halt" rc_is 0
check "core halt says where, by function and line" \
	bash -c "grep -qE '^Core halted \(halt request\) at 0x[0-9A-F]{8} (main|watch_step)\(\)(\+0x[0-9a-f]+)? at watch.c:[0-9]+' '$OUT'"
check "core halt says the core was running" says "It was running."
halt_pc=$(pc_said)

on_watch core step
check "core step" rc_is 0
check "core step halts a running core first, saying so" err_says "halted it to step it"
check "core step without N is one instruction" says "Stepped 1 instruction; core halted at"
step1_pc=$(pc_said)
check "one step moves the PC from where halt stopped" test "$step1_pc" != "$halt_pc"
on_watch core step 5
check "core step 5 steps five" says "Stepped 5 instructions;"
step5_pc=$(pc_said)
check "five steps end elsewhere than one" test "$step5_pc" != "$step1_pc"

on_watch core regs
check "core regs" rc_is 0
check "core regs shows r0-r12, sp, lr, pc, xpsr" \
	bash -c "for r in r0 r7 r12 sp lr pc xpsr msp psp; do grep -qE \"^\$r +0x[0-9A-F]{8}\" '$OUT' || exit 1; done"
check "core regs shows the special registers" \
	bash -c "for r in control primask basepri faultmask; do grep -qE \"^\$r +0x[0-9A-F]{2}\$\" '$OUT' || exit 1; done"
check "core regs shows the FPU registers (Cortex-M4F)" \
	bash -c "grep -qE '^fpscr +0x' '$OUT' && grep -qE '^s0 +0x' '$OUT' && grep -qE '^s31 +0x' '$OUT'"
check "core regs: the PC where halt stopped, named" \
	bash -c "grep -qE '^pc +$halt_pc +(main|watch_step)\(\)' '$OUT'"

on_watch core regs --set r5=0x12345678 --set basepri=0x40 --set s3=0x3FC00000 --set PC=$step1_pc
check "core regs --set" rc_is 0
check "--set r5 is read back" test "$(reg_said r5)" = 0x12345678
check "--set basepri is read back" test "$(reg_said basepri)" = 0x40
check "--set basepri leaves primask" test "$(reg_said primask)" = 0x00
check "--set s3 is read back, shown as a float" bash -c "grep -qE '^s3 +0x3FC00000 +1.5\$' '$OUT'"
check "--set PC moves the core" test "$(reg_said pc)" = "$step1_pc"

on_watch core reset --halt
check "core reset --halt" rc_is 0
check "core reset --halt stops at the reset vector" \
	bash -c "grep -qE '^Target reset; core halted at the reset vector: 0x[0-9A-F]{8} Reset_Handler\(\) at startup.c:[0-9]+' '$OUT'"
on_watch core reset
check "core reset lets it run" says "Target reset; core running."
on_watch core run
check "core run of a running core" says "Core running (it was already)."

# --- live watch --------------------------------------------------------------
on_watch watch counter state.count --seconds 0.05 --rate 100
check "watch by name" rc_is 0
check "watch: 5 samples at 100 Hz in 0.05 s" test "$(wc -l <"$OUT")" -eq 5
check "watch: the rate reached, on the modelled clock" \
	err_says "watch: 5 samples in 0.050 s of modelled device time (100.0 samples/s"
check "watch: counter increases from sample to sample" \
	awk '{ split($2, c, "="); if (NR > 1 && c[2] <= last) exit 1; last = c[2] } END { exit NR < 5 }' "$OUT"
# main() adds 1 to counter then 2 to state.count: one transfer reads both at
# one instant, so state.count is 2*counter or 2 short of it
check "watch: one sample is one instant (state.count follows counter)" \
	awk '{ split($2, c, "="); split($3, s, "="); d = 2 * c[2] - s[2]; if (d != 0 && d != 2) exit 1 }' "$OUT"
check "watch: times are the rate's period" \
	bash -c "cut -d' ' -f1 '$OUT' | tr '\n' ' ' | grep -qx '0.000000 0.010000 0.020000 0.030000 0.040000 '"
check "watch names each item's type and address" \
	err_says "counter: volatile uint32_t at 0x"
counter_at=$(grep -oE '^counter: volatile uint32_t at 0x[0-9A-F]{8}' "$ERR" | grep -oE '0x[0-9A-F]{8}')

on_watch watch counter "$counter_at:u32" --seconds 0.03 --rate 100 --format csv
check "watch by address with a type" rc_is 0
check "watch --format csv: a header" bash -c "head -n 1 '$OUT' | grep -qx 'time_s,counter,$counter_at:u32'"
check "watch: the address reads what the name reads" \
	awk -F, 'NR > 1 && $2 != $3 { exit 1 } END { exit NR != 4 }' "$OUT"

on_watch watch buf state.where points --seconds 0.01 --rate 100
check "watch of arrays and structs" \
	bash -c "grep -q 'state.where={x = -3, y = 4} points={{x = 10, y = 20}, {x = 30, y = 40}}' '$OUT'"

on_watch watch counter --rate 50 --test-sigint-after 6
check "watch without --seconds runs until Ctrl-C, which is no failure" rc_is 0
check "watch stopped by Ctrl-C says how far it got" err_says "samples in"

# --- fault report ------------------------------------------------------------
on_fault program "$FW/fault-imprecise.elf"
on_fault fault
check "fault" rc_is 0
check "fault: in words, with the function and line of the store" \
	says "Fault: imprecise bus fault writing 0x60000000 (probably) from take_fault() at faults.c:$(fault_line imprecise)"
check "fault: the caller" says "called from main() at faults.c:$(fault_line call)"
check "fault: CFSR decoded" says "IMPRECISERR: imprecise data bus error"
on_fault core status
check "core status of a core in a fault handler: running (the handler loops)" says "Core: running"

# a .bin of the same firmware: the ELF is forgotten, addresses only
on_fault read 0x08000000 1K -o "$TMP/fault.bin"
on_fault program "$TMP/fault.bin"
on_fault fault
check "after a .bin, fault has no ELF: addresses only" \
	bash -c "grep -qE '^Fault: imprecise bus fault writing 0x60000000 \(probably\) from 0x0800[0-9A-F]{4}\$' '$OUT'"
check "no ELF: the way to get names is said" err_says "give --elf FILE"
check "no ELF: none remembered" says_not "the ELF programmed last"
on_fault fault --elf "$FW/fault-imprecise.elf"
check "fault --elf names the function" says "from take_fault() at faults.c:"

on_fault program "$FW/fault-lockup.elf"
on_fault core status
check "core status of a locked-up core" says "Core: locked up (glint-cli fault says why)"
on_fault core run
check "core run of a locked-up core fails: exit 5" rc_is 5
check "core run of a locked-up core says a reset ends it" err_says "only a reset ends that"
on_fault fault
check "fault of a locked-up core" \
	says "Fault: locked up: a fault inside the HardFault handler HardFault_Handler()"

on_watch fault --elf "$FW/watch.elf"
check "fault of healthy firmware: no fault" says "Fault: no fault: the core is running"

# a rebuilt ELF: still used, with a warning
cp "$FW/watch.elf" "$TMP/copy.elf"
on_watch program "$TMP/copy.elf"
touch -d '+1 hour' "$TMP/copy.elf"
on_watch watch counter --seconds 0.01
check "an ELF changed since it was programmed is used with a warning" \
	err_says "it changed since: its symbols may not match the chip"

# --- bad input: refused, the chip untouched ------------------------------------
on_watch watch nosuch
check "watch of an unknown name: exit 1" rc_is 1
check "watch of an unknown name says so" err_says "has no global or static variable 'nosuch'"
check "watch of an unknown name does not connect" says_not "Connected to"
on_watch watch counter --elf "$TMP/fault.bin"
check "--elf of a non-ELF: exit 1, the file named" \
	bash -c "[ $rc -eq 1 ] && grep -qF '$TMP/fault.bin: not an ELF file' '$ERR'"
on_watch fault --elf "$TMP/none.elf"
check "--elf of a missing file: exit 1, the file named" \
	bash -c "[ $rc -eq 1 ] && grep -qF '$TMP/none.elf' '$ERR'"
cli --sim wrp watch counter
check "a name without an ELF: exit 1, the way out said" \
	bash -c "[ $rc -eq 1 ] && grep -qF \"give the ELF file that holds it (--elf)\" '$ERR'"
on_watch watch counter --rate 0
check "watch --rate 0 refused" bash -c "[ $rc -eq 1 ] && grep -qF \"bad --rate\" '$ERR'"
on_watch watch counter --rate fast
check "watch --rate fast refused" rc_is 1
on_watch watch counter --format xml
check "watch --format xml refused" bash -c "[ $rc -eq 1 ] && grep -qF 'text or csv' '$ERR'"
on_watch watch
check "watch without an item: usage" bash -c "[ $rc -eq 1 ] && grep -qF 'usage: glint-cli watch' '$ERR'"
on_watch core
check "core without a sub-command: usage" bash -c "[ $rc -eq 1 ] && grep -qF 'usage: glint-cli core' '$ERR'"
on_watch core spin
check "core spin: unknown" bash -c "[ $rc -eq 1 ] && grep -qF 'unknown core command' '$ERR'"
on_watch core step 0
check "core step 0 refused" bash -c "[ $rc -eq 1 ] && grep -qF 'core step 0 does nothing' '$ERR'"
on_watch core step many
check "core step many refused" rc_is 1
on_watch core regs --set r16=1
check "--set of an unknown register names the registers" \
	bash -c "[ $rc -eq 1 ] && grep -qF 'r16' '$ERR' && grep -qF 'faultmask' '$ERR'"
on_watch core regs --set r0
check "--set without a value refused" bash -c "[ $rc -eq 1 ] && grep -qF 'give REG=VALUE' '$ERR'"
check "--set without a value does not connect" says_not "Connected to"
on_watch core halt --set r0=1
check "--set on core halt refused" bash -c "[ $rc -eq 1 ] && grep -qF \"applies to 'core regs'\" '$ERR'"
on_watch core status --halt
check "--halt on core status refused" rc_is 1
on_watch fault extra
check "fault with an operand refused" rc_is 1
on_watch watch counter --set r0=1
check "--set on watch refused" rc_is 1

cli --help
check "--help lists core, fault and watch" \
	bash -c "grep -q '^  core halt' '$OUT' && grep -q '^  fault \[--elf FILE\]' '$OUT' && grep -q '^  watch NAME' '$OUT'"

finish
