#!/bin/bash
# glint-cli on one board of the L4-style family (argv: glint-cli, board,
# then the fields the board's option layout must have and one it must not):
# info, every job, options show/set by reference-manual name, diagnosis of
# each generic scenario and the fix it offers.
. "$(dirname "$0")/../../cli/lib.sh"
B=${2:?usage: $0 glint-cli BOARD FIELD... -ABSENT [bor=FIELD] [no-mass-erase]}
shift 2
# bor=FIELD: the board's brown-out field (BOR_LEV unless said, the G0's
# BORF_LEV); no-mass-erase: the debugger may not mass erase (the WB's CPU1)
BOR=BOR_LEV
MASS=yes
FIELDS=()
for a in "$@"; do
	case "$a" in
	bor=*) BOR=${a#bor=} ;;
	no-mass-erase) MASS=no ;;
	*) FIELDS+=("$a") ;;
	esac
done

sim "$B:fresh" info
check "$B: info succeeds" rc_is 0
check "$B: info names the board's chip" says "Chip:"
check "$B: info gives the flash" says "Flash:"

sim "$B:fresh" options show
check "$B: options show succeeds" rc_is 0
for f in "${FIELDS[@]}"; do
	case "$f" in
	-*) check "$B: options show has no ${f#-}" says_not "${f#-}=" ;;
	*) check "$B: options show has $f" says "$f=" ;;
	esac
done
cli --sim "$B:fresh" options fields
check "$B: options fields lists $BOR" says "$BOR"

random_file "$TMP/fw.bin" 20000
sim "$B:fresh" program "$TMP/fw.bin" --base 0x08000000 --verify
check "$B: program --verify succeeds" rc_is 0
sim "$B:fresh" read 0x08000000 20000 -o "$TMP/back.bin"
check "$B: read succeeds" rc_is 0
check "$B: read gives the image back" cmp -s "$TMP/fw.bin" "$TMP/back.bin"
sim "$B:fresh" verify "$TMP/fw.bin" --base 0x08000000
check "$B: verify passes" rc_is 0
sim "$B:fresh" erase 0x08000000 1
check "$B: erase of one page succeeds" rc_is 0
sim "$B:fresh" verify "$TMP/fw.bin" --base 0x08000000
check "$B: verify now fails (the page is erased)" rc_is 4
sim "$B:fresh" erase --mass --confirm
if [ "$MASS" = yes ]; then
	check "$B: mass erase succeeds" rc_is 0
else
	check "$B: mass erase is refused (unsupported)" rc_is 5
	check "$B: ... saying why" says "may not mass erase"
fi

sim "$B:fresh" options set "$BOR=2"
check "$B: options set $BOR=2 succeeds" rc_is 0
sim "$B:fresh" options show
check "$B: $BOR reads 2" says "$BOR=2"

cli --sim "$B:wrp" diagnose
check "$B: wrp is diagnosed" says "wrp-active"
cli --sim "$B:rdp1" diagnose
check "$B: rdp1 is diagnosed" says "rdp-level1"
cli --sim "$B:stale-errors" diagnose
check "$B: stale flags are diagnosed" says "stale-flags"
cli --sim "$B:rdp1" options set RDP=2
check "$B: RDP=2 is refused without --confirm-permanent-lock" rc_is 1
cli --sim "$B:no-target" info
check "$B: no-target: exit 2" rc_is 2

finish
