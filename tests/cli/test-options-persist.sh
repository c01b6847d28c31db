#!/bin/bash
# Done when: `options set BFB2=1` (and `DUALBANK=0 --confirm` on `l476re`)
# persist across a reset and across runs, and show in `options show`.
. "$(dirname "$0")/lib.sh"

sim fresh options show
check "options show on fresh" rc_is 0
check "factory BFB2=0" says "BFB2=0"
check "factory DUALBANK=1" says "DUALBANK=1"
check "factory RDP=0xAA" says "RDP=0xAA"
check "fields by reference-manual name (nRST_STOP)" says "nRST_STOP=1"

sim fresh options set BFB2=1
check "BFB2=1 with bank 2 empty needs --confirm (exit 1)" rc_is 1
check "the refusal says why and asks for --confirm" err_says "--confirm"
sim fresh options show
check "the refused change was not written" says "BFB2=0"

sim fresh options set BFB2=1 --confirm
check "options set BFB2=1 --confirm succeeds" rc_is 0
sim fresh options show
check "BFB2=1 shows in a later run" says "BFB2=1"
sim fresh reset
check "reset succeeds" rc_is 0
sim fresh options show
check "BFB2=1 persists across a reset" says "BFB2=1"

sim fresh options set nRST_STOP=0
check "a harmless field changes without --confirm" rc_is 0
sim fresh options show
check "nRST_STOP=0 shows" says "nRST_STOP=0"
check "and BFB2=1 is kept" says "BFB2=1"

sim fresh options set SRAM2_PE=0 BOR_LEV=2 nRST_STDBY=0
check "several fields in one command" rc_is 0
sim fresh options show
check "SRAM2_PE=0 shows" says "SRAM2_PE=0"
check "BOR_LEV=2 shows" says "BOR_LEV=2"
check "nRST_STDBY=0 shows" says "nRST_STDBY=0"
check "earlier changes are kept" says "nRST_STOP=0"

sim fresh options set BOR_LEV=9
check "a value that does not fit the field: exit 1" rc_is 1

rm -f "$BOARD"
sim l476re options set DUALBANK=0
check "DUALBANK=0 without --confirm is refused (exit 1)" rc_is 1
sim l476re options set DUALBANK=0 --confirm
check "DUALBANK=0 --confirm on l476re succeeds" rc_is 0
sim l476re reset
check "reset succeeds" rc_is 0
sim l476re options show
check "DUALBANK=0 persists across a reset and runs" says "DUALBANK=0"
sim l476re info
check "info shows a single bank of 256 pages" says "1 bank of 256 pages"

finish
