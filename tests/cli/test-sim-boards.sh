#!/bin/bash
# Done when: `--sim list` prints every simulated board with its chip, flash
# size and scenarios and exits 0 without building a board; `--sim
# BOARD:SCENARIO` runs that board; unknown boards and scenarios exit 1
# naming the choices; a state file holding another board wins and says so.
. "$(dirname "$0")/lib.sh"

cli --sim list --sim-state "$BOARD"
check "--sim list exits 0" rc_is 0
check "it names the NUCLEO-L476RG" says "nucleo-l476rg"
check "with its chip" says "STM32L476RG"
check "and its flash size" says "1024 KB"
check "it names the 512 KB part" says "stm32l476re"
for scenario in fresh wrp rdp1 stale-errors no-target bfb2-empty swd-disabled; do
	check "it lists the scenario $scenario" says "      $scenario "
done
check "it says what the short names mean" says "l476re         stm32l476re:fresh"
check "--sim list builds no board (no state saved)" test ! -e "$BOARD"
check "--sim list prints to stdout only" test ! -s "$ERR"

cli --help
check "--help lists the boards" says "nucleo-l476rg"
check "--help documents --sim list" says "--sim list"

cli --sim nucleo-l476rg:rdp1 info
check "--sim nucleo-l476rg:rdp1 info exits 0" rc_is 0
check "it is read-protected" says "level 1 (RDP=0xBB)"
check "the probe names the board" says "simulated NUCLEO-L476RG, rdp1"

cli --sim rdp1 info
serial_short=$(sed -n 's/.*serial \([0-9A-F]*\),.*/\1/p' "$OUT")
cli --sim nucleo-l476rg:rdp1 info
serial_long=$(sed -n 's/.*serial \([0-9A-F]*\),.*/\1/p' "$OUT")
check "rdp1 and nucleo-l476rg:rdp1 are one board (one serial)" \
	test -n "$serial_short" -a "$serial_short" = "$serial_long"

cli --sim stm32l476re:wrp info
check "--sim stm32l476re:wrp exits 0" rc_is 0
check "it has 512 KiB" says "512 KiB"
check "its first pages are write-protected" says_not "Write protection: none"
check "the probe names the chip's board" says "simulated STM32L476RE, wrp"

cli --sim nucleo-L476RG info
check "board names are not case-sensitive" rc_is 0

cli --sim nucleo-l476rg:frozen info
check "unknown scenario: exit 1" rc_is 1
check "it names the board's scenarios" err_says "bfb2-empty"
check "it names the scenario asked for" err_says "'frozen'"

cli --sim nucleo-f999zz info
check "unknown board: exit 1" rc_is 1
check "it names the boards" err_says "nucleo-l476rg, stm32l476re, stm32l476rc"

sim stm32l476re:wrp info
check "a board saved in the state file" rc_is 0
sim nucleo-l476rg:fresh info
check "another board asked for: the state file wins" says "512 KiB"
check "and a note says which board it holds" err_says "holds a 'stm32l476re:wrp' board"
sim stm32l476re:wrp info
check "the same board asked for: no note" says_not "note:"

rm -f "$BOARD"
sim wrp info
sim nucleo-l476rg:wrp info
check "a short name and its BOARD:SCENARIO are one board: no note" says_not "note:"

finish
