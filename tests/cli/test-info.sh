#!/bin/bash
# Done when: `info` on `fresh` names the STM32L47x/L48x, device id 0x415 and
# 1024 KiB of flash. Also: connection failures exit 2 with the way out.
. "$(dirname "$0")/lib.sh"

sim fresh info
check "info on fresh succeeds" rc_is 0
check "info names the STM32L47x/L48x" says "STM32L47x/L48x"
check "info gives device id 0x415" says "0x415"
check "info gives 1024 KiB of flash" says "1024 KiB"
check "info reports RDP level 0" says "level 0"
check "info reports no write protection" says "Write protection: none"
check "the state file was saved" test -s "$BOARD"

sim wrp info
check "--sim-state: the saved board wins over --sim" says "Write protection: none"
check "--sim-state: a note says so" err_says "holds a 'fresh' board"

cli --sim fresh --freq 480 info
check "--freq 480 connects" rc_is 0
cli --sim fresh --freq fast info
check "--freq with a bad number: exit 1" rc_is 1

cli --sim fresh info
check "without --verbose no debug lines" says_not "debug:"
cli --sim fresh --verbose info
check "--verbose shows debug lines" err_says "debug:"
check "--verbose does not repeat job log lines as debug" \
	bash -c "[ \$(grep -c 'Connected to' '$ERR') -eq 1 ]"

sim fresh reset --halt
check "reset --halt succeeds" rc_is 0
check "reset --halt says the core is halted" says "halted"
sim fresh reset
check "reset succeeds" rc_is 0

cli --sim l476re info
check "info on l476re gives 512 KiB" says "512 KiB"

cli --sim no-target info
check "no target: exit 2" rc_is 2
check "no target: error line on stderr" err_says "glint-cli: error:"

cli --sim swd-disabled info
check "SWD disabled: exit 2" rc_is 2
check "SWD disabled: hint names --connect-under-reset" err_says "--connect-under-reset"
cli --sim swd-disabled --connect-under-reset info
check "SWD disabled: connect under reset works" rc_is 0
check "SWD disabled: chip identified under reset" says "0x415"

cli --sim fresh probes
check "probes lists the simulated probe" rc_is 0
check "probes shows the probe serial" says "ST-LINK"
serial=$(awk 'NR == 1 { print $1 }' "$OUT")
cli --sim fresh --serial "$serial" info
check "--serial with the probe's serial connects" rc_is 0
cli --sim fresh --serial 0123456789ABCDEF01234567 info
check "--serial with another serial: exit 2" rc_is 2
check "it names both serials" err_says "$serial"

cli probes
check "probes without --sim and without a probe: exit 2" rc_is 2
check "it suggests --sim fresh" err_says "--sim fresh"

finish
