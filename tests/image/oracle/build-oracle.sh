#!/bin/sh
# Builds the oracle firmware with the Arm GNU toolchain and converts it with
# objcopy into every format Glint reads:
#   build-oracle.sh OUTDIR SRCDIR
# Outputs oracle.elf, oracle.hex, oracle.srec, oracle-s3.srec (S3 forced) and
# oracle.bin (gaps filled with 0xFF, from the lowest load address).
set -eu
out=$1
src=$2
for tool in arm-none-eabi-gcc arm-none-eabi-objcopy; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "build-oracle: $tool not found; install gcc-arm-none-eabi and" \
			"binutils-arm-none-eabi (scripts/install-deps)" >&2
		exit 1
	fi
done
mkdir -p "$out"
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -ffreestanding -nostdlib -nostartfiles \
	-fno-unwind-tables -fno-asynchronous-unwind-tables \
	-Wl,--no-warn-rwx-segments -T "$src/link.ld" \
	-o "$out/oracle.elf" "$src/firmware.c"
arm-none-eabi-objcopy -O ihex "$out/oracle.elf" "$out/oracle.hex"
arm-none-eabi-objcopy -O srec "$out/oracle.elf" "$out/oracle.srec"
arm-none-eabi-objcopy -O srec --srec-forceS3 "$out/oracle.elf" "$out/oracle-s3.srec"
arm-none-eabi-objcopy -O binary --gap-fill 0xFF "$out/oracle.elf" "$out/oracle.bin"
