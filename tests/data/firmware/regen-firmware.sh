#!/bin/sh
# regen-firmware.sh: build the test firmware ELFs from their sources (checked
# in, so tests need no cross compiler; tests/debug checks that they still
# match the sources whenever arm-none-eabi-gcc is present).
#   regen-firmware.sh GCC OUTDIR
# Builds, from the sources beside this script:
#   watch.elf         watch.c, DWARF 5 (what arm-none-eabi-gcc 12 emits by default)
#   watch-dwarf4.elf  the same, -gdwarf-4
#   watch-dwarf3.elf  the same, -gdwarf-3 -gstrict-dwarf (line table v3)
#   watch-dwarf2.elf  the same, -gdwarf-2 -gstrict-dwarf
#   watch-line5.elf   DWARF 5 with the assembler's version 5 line table (what
#                     toolchains whose gas defaults to it emit)
#   fault-KIND.elf    faults.c with FAULT_KIND 1..7 (see faults.c)
# Paths inside the debug info are relative to this directory, so the bytes do
# not depend on where the tree lives. `ninja -C BUILD regen-test-firmware` runs it
# on the tree's own copy.
set -eu
gcc=$1
out=$2
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$src"
cflags="-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -Og -g -std=gnu11
	-ffreestanding -nostdlib -nostartfiles -fno-unwind-tables -fno-asynchronous-unwind-tables
	-fdebug-prefix-map=$src=. -Wall -Wextra -Werror -Wl,--no-warn-rwx-segments -Wl,--build-id=none
	-T link.ld"
build() { # build OUTPUT EXTRA-FLAGS... SOURCES...
	name=$1
	shift
	# shellcheck disable=SC2086
	"$gcc" $cflags "$@" -o "$out/$name.tmp"
	mv "$out/$name.tmp" "$out/$name"
}
build watch.elf startup.c watch.c
build watch-dwarf4.elf -gdwarf-4 startup.c watch.c
build watch-dwarf3.elf -gdwarf-3 -gstrict-dwarf startup.c watch.c
build watch-dwarf2.elf -gdwarf-2 -gstrict-dwarf startup.c watch.c
build watch-line5.elf -Wa,--gdwarf-5 -Wa,--debug-prefix-map="$src=." startup.c watch.c
for kind in 1:imprecise 2:precise 3:divide 4:undefined 5:memmanage 6:forced 7:lockup; do
	build "fault-${kind#*:}.elf" -DFAULT_KIND="${kind%%:*}" startup.c faults.c
done
