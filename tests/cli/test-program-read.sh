#!/bin/bash
# Done when: a 1 MiB random image programs with --verify, and `read` returns
# it byte for byte. Also: .hex/.srec reads, verify of all formats, verify
# mismatch exit code, plain progress lines in a pipe.
. "$(dirname "$0")/lib.sh"

random_file "$TMP/fw.bin" 1048576
sim fresh program "$TMP/fw.bin" --verify
check "1 MiB random image programs with --verify" rc_is 0
check "program prints the job summary" test -s "$OUT"
check "a raw binary without --base says where it went" says "placed at 0x08000000"
check "the summary gives modelled device time" grep -q "modelled device time" "$OUT"
check "the summary gives host time" grep -q "host" "$OUT"
check "progress in a pipe is plain lines (no carriage returns)" \
	bash -c "! grep -q $'\r' '$ERR'"
check "progress lines name the phases" bash -c "grep -q '^Erasing: ' '$ERR' && grep -q '^Programming: ' '$ERR'"
check "in a pipe, one line per phase with its result" \
	bash -c "[ \$(grep -c '^Programming: ' '$ERR') -eq 1 ] && grep -q '^Programming: done, 1.00 MiB in ' '$ERR'"
check "in a pipe, no percentages" bash -c "! grep -q '%' '$ERR'"
# On a terminal the one progress line ends as the result: the lines the
# terminal shows last are the results, never a bar left at 100%.
last_screen_lines() { # FILE N: the last N lines as a terminal shows them
	tr '\r' '\n' <"$1" | sed 's/\x1b\[K//g' | grep -v '^$' | tail -n "$2"
}
script -qec "$CLI --sim fresh --sim-state '$BOARD' verify '$TMP/fw.bin'" /dev/null >"$TMP/tty.out" 2>&1
last_screen_lines "$TMP/tty.out" 2 >"$TMP/tty.last"
check "on a terminal the progress line gives way to the result" \
	bash -c "head -n 1 '$TMP/tty.last' | grep -q '^Flash matches' && tail -n 1 '$TMP/tty.last' | grep -q '^Verify: '"
check "on a terminal the line shows the phase's bytes in KiB or MiB" \
	grep -q 'MiB of 1.00 MiB' "$TMP/tty.out"

sim fresh read 0x08000000 1M -o "$TMP/back.bin"
check "read of 1 MiB succeeds" rc_is 0
check "read returns the image byte for byte" cmp -s "$TMP/fw.bin" "$TMP/back.bin"

sim fresh verify "$TMP/fw.bin"
check "verify of the same image passes" rc_is 0

sim fresh read 0x08000000 64K -o "$TMP/back.hex"
check "read to .hex succeeds" rc_is 0
check "read to .hex writes Intel HEX records" grep -q '^:10000000' "$TMP/back.hex"
sim fresh verify "$TMP/back.hex"
check "the .hex read back verifies" rc_is 0

sim fresh read 0x08010000 4K -o "$TMP/back.srec"
check "read to .srec succeeds" rc_is 0
check "read to .srec writes S-records" grep -q '^S3' "$TMP/back.srec"
sim fresh verify "$TMP/back.srec"
check "the .srec read back verifies" rc_is 0

head -c 4096 "$TMP/fw.bin" | tail -c 2048 >"$TMP/part.bin"
sim fresh program "$TMP/part.bin" --base 0x08000800 --reset
check "program --reset succeeds" rc_is 0
check "program --reset says the target runs" says_i "reset and running"
sim fresh verify "$TMP/part.bin" --base 0x08000800
check "verify of a .bin at --base 0x08000800 passes" rc_is 0
sim fresh verify "$TMP/part.bin"
check "verify of the same bytes at the flash base fails: exit 4" rc_is 4
check "verify mismatch names an address" says "0x0800"

sim fresh program "$TMP/part.bin" --no-erase
check "--no-erase over programmed flash fails with exit 5" rc_is 5
check "the hint says to drop --no-erase" err_says "without --no-erase"

sim fresh erase 0x08001000 4K
check "erase ADDR SIZE succeeds" rc_is 0
sim fresh read 0x08000800 8K -o "$TMP/around.bin"
erased_file "$TMP/ff4k.bin" 4096
check "the erased pages read 0xFF" bash -c "cmp -s <(head -c 6144 '$TMP/around.bin' | tail -c 4096) '$TMP/ff4k.bin'"
check "the page before is untouched" bash -c "cmp -s <(head -c 2048 '$TMP/around.bin') <(head -c 4096 '$TMP/fw.bin' | tail -c 2048)"
check "the page after is untouched" bash -c "cmp -s <(tail -c 2048 '$TMP/around.bin') <(head -c 10240 '$TMP/fw.bin' | tail -c 2048)"

random_file "$TMP/other.bin" 4096
sim fresh verify "$TMP/other.bin"
check "verify of a different image: exit 4" rc_is 4

# Smart re-flash: the same image again with one page changed rewrites only
# that page; --no-loader and --readback-verify take the direct paths.
random_file "$TMP/smart.bin" 16384
sim fresh program "$TMP/smart.bin" --verify
check "program of a 16 KiB image succeeds" rc_is 0
printf 'changed!' | dd of="$TMP/smart.bin" bs=1 seek=5000 conv=notrunc 2>/dev/null
sim fresh program "$TMP/smart.bin" --smart --verify
check "program --smart succeeds" rc_is 0
check "program --smart skips the 7 unchanged pages" says "7 pages skipped"
check "the loader verifies by an on-target CRC" says "on-target CRC-32"
sim fresh verify "$TMP/smart.bin"
check "after --smart the flash holds the new image" rc_is 0
sim fresh program "$TMP/smart.bin" --no-loader --readback-verify --verify
check "program --no-loader --readback-verify succeeds" rc_is 0
check "--readback-verify reads the flash back" says "Verified"
check "--readback-verify does not use the target's CRC" says_not "on-target CRC"
sim fresh verify "$TMP/smart.bin"
check "the direct path wrote the same image" rc_is 0
sim fresh verify "$TMP/smart.bin" --no-loader
check "--no-loader does not apply to verify: exit 1" rc_is 1

if command -v script >/dev/null; then
	script -qec "'$CLI' --sim fresh program '$TMP/part.bin' --verify" /dev/null >"$ERR" 2>&1
	check "on a terminal progress is a bar redrawn in place" \
		bash -c "grep -q $'\r' '$ERR' && grep -q '\[#' '$ERR'"
fi

finish
