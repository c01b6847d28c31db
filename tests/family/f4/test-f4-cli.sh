#!/bin/bash
# glint-cli on the F2/F4/F7 boards, end to end: --sim list names them;
# `info` names the chip, its device id and flash; program, verify, read,
# erase (sector, bank, mass) and options show/set work on every board;
# an image in sectors 0 and 5 leaves the others as they were; the
# family's troubles are diagnosed with a command that fixes them.
. "$(dirname "$0")/../../cli/lib.sh"

F4_BOARDS="nucleo-f401re nucleo-f411re nucleo-f446re stm32f429i-disc1 nucleo-f767zi nucleo-f207zg"

cli --sim list
check "--sim list exits 0" rc_is 0
for b in $F4_BOARDS; do
	check "it lists $b" says "  $b "
done
check "with the F429's 2 MB" says "STM32F429ZI   2048 KB"

sim nucleo-f401re:fresh info
check "info on nucleo-f401re:fresh exits 0" rc_is 0
check "it names the STM32F401xD/E" says "Chip:             STM32F401xD/E"
check "its device id 0x433" says "Device id:        0x433"
check "and 512 KiB of flash in 8 sectors" says "512 KiB at 0x08000000-0x0807FFFF, 1 bank of 8 sectors"

random_file "$TMP/img.bin" 70000
head -c 4096 "$TMP/img.bin" >"$TMP/small.bin"
for b in $F4_BOARDS; do
	rm -f "$BOARD"
	sim "$b:fresh" program "$TMP/img.bin" --base 0x08004000 --verify
	check "$b: program --verify exits 0" rc_is 0
	check "$b: verified by the on-target CRC" says "on-target CRC-32"
	sim "$b" verify "$TMP/img.bin" --base 0x08004000
	check "$b: verify exits 0" rc_is 0
	sim "$b" read 0x08004000 70000 -o "$TMP/back.bin"
	check "$b: read gives the bytes back" cmp -s "$TMP/img.bin" "$TMP/back.bin"
	sim "$b" erase --units 1
	check "$b: erase --units 1 exits 0" rc_is 0
	# sector 1 follows a 16 KB sector 0 (32 KB on the single-bank F767)
	s1=0x08004000
	[ "$b" = nucleo-f767zi ] && s1=0x08008000
	sim "$b" read $s1 16 -o "$TMP/s1.bin"
	check "$b: sector 1 is erased" cmp -s "$TMP/s1.bin" <(head -c 16 /dev/zero | tr '\000' '\377')
	sim "$b" erase --bank 1
	check "$b: a bank erase needs --confirm" rc_is 1
	sim "$b" erase --mass --confirm
	check "$b: erase --mass --confirm exits 0" rc_is 0
	sim "$b" options show
	check "$b: options show names BOR_LEV" says "BOR_LEV=3"
	check "$b: and the write protection" says "WRP=off"
	sim "$b" options set nRST_STOP=0
	check "$b: options set nRST_STOP=0 exits 0" rc_is 0
	sim "$b" options show
	check "$b: the chip keeps nRST_STOP=0" says "nRST_STOP=0"
done

# Sectors 0 and 5 only: sector 4 (64 KB at 0x08010000) and 6 keep their bytes
rm -f "$BOARD"
random_file "$TMP/old.bin" 524288
sim nucleo-f401re:fresh program "$TMP/old.bin" --base 0x08000000
python3 - "$TMP/two.hex" <<'PY'
import sys, random
random.seed(5)
def record(addr, kind, data):
    body = bytes([len(data), addr >> 8, addr & 0xFF, kind]) + data
    return ":" + body.hex().upper() + "%02X" % ((-sum(body)) & 0xFF) + "\n"
out = [record(0, 4, bytes([0x08, 0x00]))]
for ext, base in ((0x0800, 0x0100), (0x0802, 0x0800)):
    out.append(record(0, 4, bytes([ext >> 8, ext & 0xFF])))
    for off in range(0, 2048, 16):
        out.append(record(base + off, 0, bytes(random.randrange(256) for _ in range(16))))
out.append(record(0, 1, b""))
open(sys.argv[1], "w").write("".join(out))
PY
sim nucleo-f401re program "$TMP/two.hex" --verify
check "an image in sectors 0 and 5 programs" rc_is 0
check "it erased two sectors only" says "2 pages erased"
sim nucleo-f401re read 0x08004000 0x1C000 -o "$TMP/mid.bin"
check "sectors 1-4 are as they were" cmp -s "$TMP/mid.bin" <(tail -c +$((0x4000 + 1)) "$TMP/old.bin" | head -c $((0x1C000)))
sim nucleo-f401re read 0x08040000 0x40000 -o "$TMP/top.bin"
check "sectors 6-7 are as they were" cmp -s "$TMP/top.bin" <(tail -c +$((0x40000 + 1)) "$TMP/old.bin")
sim nucleo-f401re read 0x08020000 0x800 -o "$TMP/s5head.bin"
check "sector 5 keeps its bytes outside the image" cmp -s "$TMP/s5head.bin" <(tail -c +$((0x20000 + 1)) "$TMP/old.bin" | head -c 2048)

# The F429's bank 2, by number
rm -f "$BOARD"
sim stm32f429i-disc1:fresh program "$TMP/img.bin" --base 0x08100000
sim stm32f429i-disc1 program "$TMP/img.bin" --base 0x08000000
sim stm32f429i-disc1 erase --units 12 --bank 2
check "erase --units 12 --bank 2 exits 0" rc_is 0
sim stm32f429i-disc1 read 0x08100000 16 -o "$TMP/b2.bin"
check "sector 12 at 0x08100000 is erased" cmp -s "$TMP/b2.bin" <(head -c 16 /dev/zero | tr '\000' '\377')
sim stm32f429i-disc1 read 0x08000000 16 -o "$TMP/b1.bin"
check "sector 0 of bank 1 is not" cmp -s "$TMP/b1.bin" <(head -c 16 "$TMP/img.bin")
sim stm32f429i-disc1 erase --bank 2 --confirm
check "erase --bank 2 --confirm exits 0" rc_is 0
sim stm32f429i-disc1 verify "$TMP/img.bin" --base 0x08000000
check "bank 1 is untouched by bank 2's erase" rc_is 0

# Diagnosis with a fix to run
rm -f "$BOARD"
sim nucleo-f446re:low-voltage diagnose
check "low-voltage: PSIZE against the supply" says "psize-mismatch: FLASH_CR.PSIZE is x32, but the supply measures 2.40 V"
rm -f "$BOARD"
sim nucleo-f207zg:torn-options diagnose
check "torn-options: the complement disagrees" says "options-incoherent"
check "the fix to run is named" says "fix restore-options --confirm"
sim nucleo-f207zg fix restore-options --confirm
check "restore-options repairs it" rc_is 0
sim nucleo-f207zg diagnose
check "after which nothing is found" says "No problems found."
rm -f "$BOARD"
sim nucleo-f767zi:fresh options set nDBANK=0
check "nDBANK=0 needs --confirm" rc_is 1
sim nucleo-f767zi options set nDBANK=0 --confirm
check "nDBANK=0 --confirm exits 0" rc_is 0
sim nucleo-f767zi info
check "the layout is read again: two banks" says "2 banks of 12 sectors (4 x 16 KiB, 1 x 64 KiB, 7 x 128 KiB each)"
rm -f "$BOARD"
sim nucleo-f401re:fresh options set SPRMOD=1 PCROP=3 --confirm
check "PCROP needs --confirm-permanent-lock" rc_is 1
check "and says why" says "confirm-permanent-lock"
finish
