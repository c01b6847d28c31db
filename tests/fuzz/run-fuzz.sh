#!/bin/sh
# Builds one libFuzzer binary per parser not covered by tests/image (option-
# byte edits, glint-cli's numbers and command line, the emulator's state
# files, the ELF/DWARF debug-info reader) with clang (ASan + UBSan), replays the saved regression inputs, then
# fuzzes each for a bounded time; fails on any crash, leak or timeout and
# prints the executions per parser.
#   run-fuzz.sh SOURCE_ROOT BUILD_ROOT
# Each parser's budget is a number of executions (budget() below: what a
# quiet machine ran in 10 s when coverage was still growing), so that a
# loaded machine takes longer rather than fuzzing less; GLINT_FUZZ_RUNS sets
# one number for all. GLINT_FUZZ_SECONDS fuzzes for a time instead; for a
# long run by hand: GLINT_FUZZ_SECONDS=3600 tests/fuzz/run-fuzz.sh . build
# GLINT_FUZZ_TARGETS limits the run ("options cli-args sim-state debug-info").
# A crash leaves its input as BUILD_ROOT/tests/fuzz/crash-<target>-*; copy it
# to tests/fuzz/regressions/<target>/ so that every later run replays it.
set -eu
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
secs=${GLINT_FUZZ_SECONDS:-}
budget() { # budget TARGET: its executions
	case $1 in
	options) echo 200000 ;;
	cli-args) echo 500000 ;;
	sim-state) echo 5000 ;;
	debug-info) echo 75000 ;;
	esac
}
targets=${GLINT_FUZZ_TARGETS:-options cli-args sim-state debug-info}
work="$build/tests/fuzz"

if ! command -v clang >/dev/null 2>&1; then
	echo "run-fuzz: clang not found; install clang and libclang-rt-14-dev" \
		"(scripts/install-deps)" >&2
	exit 1
fi
mkdir -p "$work"
# the gettext domain and a catalogue directory, as the build defines them
# (core/glint-i18n.c needs both; a fuzzer never reads a catalogue)
cflags="$(pkg-config --cflags glib-2.0 gio-2.0 unicorn) -DGETTEXT_PACKAGE=\"glint\""
cflags="$cflags -DGLINT_LOCALEDIR=\"/usr/share/locale\""
libs=$(pkg-config --libs glib-2.0 gio-2.0 unicorn)
inc="-I$src/core -I$src/core/family -I$build/core/family -I$src/core/loader -I$src/core/image"
inc="$inc -I$src/core/sim -I$src/core/usb -I$src/core/debug -I$src/app -I$src/resources/firmware/demo"
# each library's private headers (core/meson.build keeps them off the others' paths)
inc="$inc -I$src/core/private -I$src/core/family/private -I$src/core/sim/private"
inc="$inc -I$src/core/image/private -I$src/core/debug/private"

corpus() { # corpus TARGET: a fresh corpus directory, echoing its path
	rm -rf "$work/corpus-$1"
	mkdir -p "$work/corpus-$1"
	echo "$work/corpus-$1"
}

seed_options() {
	dir=$(corpus options)
	i=0
	for edits in 'RDP=1' 'RDP=0xBB\nWRP1A=0-15' 'WRP2B=3-9\nWRP2B=off' 'BFB2=1\nDUALBANK=0' \
		'nRST_STOP=0\nBOR_LEV=4\nIWDG_SW=1' 'OPTR=0xFFEFF8AA\nWRP1AR=0x000F0000' \
		'PCROP1SR=0x10\nPCROP1ER=0x80000020' 'WRP1B=0x10-0x1F' 'RDP=2' 'SRAM2_PE=0'; do
		for g in 0 16 32 48 64; do
			# first byte: the chip (low nibble) and its size; then the edits
			printf "\\$(printf '%03o' "$g")$edits" >"$dir/seed-$i"
			i=$((i + 1))
		done
	done
}

seed_cli_args() {
	dir=$(corpus cli-args)
	printf 'program\0fw.bin\0--base\0000x08000000\0--verify' >"$dir/program"
	printf -- '--sim\0fresh\0read\0000x08000000\00064K\0-o\0out.hex' >"$dir/read"
	printf 'erase\0--mass\0--confirm' >"$dir/mass"
	printf 'erase\0000x08001000\0002K' >"$dir/erase"
	printf 'options\0set\0RDP=2\0--confirm-permanent-lock' >"$dir/options"
	printf -- '--freq=1800\0--serial\0ABC\0info\0-v' >"$dir/info"
	printf -- '-oout.bin\0read\0000x20000000\0001M' >"$dir/short"
	printf '0xFFFFFFFF' >"$dir/max"
	printf '4096K' >"$dir/kib"
	printf -- '--\0-x' >"$dir/dashes"
}

seed_sim_state() {
	dir=$(corpus sim-state)
	cli="$build/app/glint-cli"
	if [ ! -x "$cli" ]; then
		echo "run-fuzz: $cli not built; sim-state starts from an empty corpus" >&2
		return 0
	fi
	head -c 5000 /dev/urandom >"$work/seed-fw.bin"
	for scenario in fresh wrp rdp1 stale-errors bfb2-empty l476rc stm32l476re:swd-disabled; do
		rm -f "$work/seed.state"
		"$cli" --sim "$scenario" --sim-state "$work/seed.state" info >/dev/null 2>&1 || true
		if [ "$scenario" = fresh ]; then
			"$cli" --sim-state "$work/seed.state" program "$work/seed-fw.bin" \
				>/dev/null 2>&1 || true
		fi
		[ -f "$work/seed.state" ] || continue
		# first byte even: the file goes in as it is, CRC included
		{ printf '\0'; cat "$work/seed.state"; } >"$dir/$scenario"
		# first byte odd: the harness appends the CRC itself
		{ printf '\1'; head -c $(($(wc -c <"$work/seed.state") - 4)) "$work/seed.state"; } \
			>"$dir/$scenario-crc"
	done
	rm -f "$work/seed.state" "$work/seed-fw.bin"
}

seed_debug_info() {
	dir=$(corpus debug-info)
	for elf in "$src"/tests/data/firmware/*.elf; do
		cp "$elf" "$dir/"
	done
}

focus() { # focus TARGET: the parser's own files, built with coverage
	case $1 in
	options) echo "$src/core/glint-options.c" ;;
	cli-args) echo "$src/app/cli-args.c" ;;
	sim-state) echo "$src/core/sim/sim-state.c" ;;
	debug-info) echo "$src"/core/debug/*.c ;;
	esac
}

support() { # support TARGET: what else it links, built without coverage so that
	# the fuzzer spends its time in the parser, not in (say) 1 MiB flash scans
	case $1 in
	options) echo "$src"/core/glint-*.c "$src"/core/family/*.c "$src"/core/family/*/*.c \
		"$src"/core/loader/*.c "$src"/core/image/*.c "$src"/core/debug/*.c ;;
	cli-args) echo "$src/core/glint-error.c $src/core/glint-file.c $src/core/glint-transport.c" \
		"$src"/core/sim/*.c "$src"/core/sim/*/*.c "$src"/core/image/*.c ;;
	sim-state) echo "$src/core/glint-error.c $src/core/glint-file.c $src/core/glint-transport.c" \
		"$src"/core/sim/*.c "$src"/core/sim/*/*.c "$src"/core/image/*.c ;;
	debug-info) echo "$src/core/glint-error.c $src/core/glint-file.c" ;;
	esac
}

# Every support file compiled once per run, shared by the targets that link
# it (options, cli-args and sim-state have most of the core in common).
objs="$work/obj"
rm -rf "$objs"

# build TARGET BIN LOG: the fuzz binary, or FALSE with the compiler's words in LOG
build() {
	mkdir -p "$objs"
	f=$(focus "$1")
	linked=""
	for file in $(support "$1"); do
		case " $f " in *" $file "*) continue ;; esac
		# named after its path: core/sim/x.c and core/family/x.c may share a name
		obj="$objs/$(echo "${file#"$src"/}" | tr / _).o"
		if [ ! -f "$obj" ]; then
			# shellcheck disable=SC2086
			clang -c -g -O1 -std=gnu11 -fsanitize=address,undefined \
				-fno-sanitize-recover=undefined $inc $cflags \
				-o "$obj.tmp" "$file" >>"$3" 2>&1 || return 1
			mv "$obj.tmp" "$obj"
		fi
		linked="$linked $obj"
	done
	# shellcheck disable=SC2086
	clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $inc $cflags -o "$2" \
		"$src/tests/fuzz/fuzz-$1.c" $f $linked $libs >>"$3" 2>&1
}

status=0
for target in $targets; do
	case $target in
	options) seed_options ;;
	cli-args) seed_cli_args ;;
	sim-state) seed_sim_state ;;
	debug-info) seed_debug_info ;;
	*) echo "run-fuzz: unknown target '$target'" >&2; exit 1 ;;
	esac
	bin="$work/fuzz-$target"
	log="$work/fuzz-$target.log"
	: >"$log"
	if ! build "$target" "$bin" "$log"; then
		echo "fuzz $target: does not build; see $log" >&2
		tail -n 20 "$log" >&2
		status=1
		continue
	fi
	# Scratch files in RAM when possible: the state loader's files are
	# written with g_file_set_contents, which syncs them on a disk.
	scratch=$(mktemp -d /dev/shm/glint-fuzz-XXXXXX 2>/dev/null) ||
		scratch=$(mktemp -d "$work/tmp-$target-XXXXXX")
	regressions="$src/tests/fuzz/regressions/$target"
	saved=$(find "$regressions" -type f ! -name '.*' 2>/dev/null | sort)
	if [ -n "$saved" ]; then
		# shellcheck disable=SC2086
		if ! GLINT_FUZZ_TMP="$scratch" ASAN_OPTIONS=detect_leaks=1 "$bin" \
			$saved >"$log" 2>&1; then
			echo "fuzz $target: a saved regression input fails again; see $log" >&2
			grep -E 'ERROR|SUMMARY|Running' "$log" >&2 || tail -n 30 "$log" >&2
			status=1
			continue
		fi
	fi
	if [ -n "$secs" ]; then
		limit="-max_total_time=$secs"
		what="in $secs s"
	else
		limit="-runs=${GLINT_FUZZ_RUNS:-$(budget "$target")}"
		what="(budget ${limit#-runs=})"
	fi
	started=$(date +%s)
	# shellcheck disable=SC2086
	if GLINT_FUZZ_TMP="$scratch" ASAN_OPTIONS=detect_leaks=1 "$bin" \
		$limit -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/crash-$target-" "$work/corpus-$target" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
		echo "fuzz $target: ${runs:-?} executions $what, $cov, no crash" \
			"($(($(date +%s) - started)) s)"
	else
		echo "fuzz $target: FAILED; see $log" >&2
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" >&2 || tail -n 30 "$log" >&2
		echo "copy the crash-$target-* file from $work to tests/fuzz/regressions/$target/," \
			"fix the parser, and keep the file" >&2
		status=1
	fi
	rm -rf "$scratch"
done
exit $status
