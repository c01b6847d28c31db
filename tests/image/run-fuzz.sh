#!/bin/sh
# Builds one libFuzzer binary per image parser with clang (ASan + UBSan) and
# runs each for a bounded time; fails on any crash, leak or timeout.
#   run-fuzz.sh SOURCE_ROOT BUILD_ROOT
# Each parser's budget is a number of executions (budget() below: what a
# quiet machine ran in 10 s when coverage was still growing), so that a
# loaded machine takes longer rather than fuzzing less; GLINT_FUZZ_RUNS sets
# one number for all. GLINT_FUZZ_SECONDS fuzzes for a time instead; for a
# long run by hand: GLINT_FUZZ_SECONDS=3600 tests/image/run-fuzz.sh . build
# A crash leaves its input as BUILD_ROOT/tests/image/fuzz/crash-<parser>-*;
# copy it to tests/image/regressions/ so that test-image replays it.
set -eu
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
secs=${GLINT_FUZZ_SECONDS:-}
budget() { # budget TARGET: its executions
	case $1 in
	ihex) echo 1300000 ;;
	srec) echo 1100000 ;;
	elf) echo 300000 ;;
	auto) echo 250000 ;;
	esac
}
work="$build/tests/image/fuzz"

if ! command -v clang >/dev/null 2>&1; then
	echo "run-fuzz: clang not found; install clang and libclang-rt-14-dev" \
		"(scripts/install-deps)" >&2
	exit 1
fi
mkdir -p "$work"
# shellcheck disable=SC2046
set -- $(pkg-config --cflags --libs glib-2.0 gio-2.0)
glib="$*"
data="$src/tests/image/data"

seed() { # seed TARGET FILES...: a fresh corpus directory from hand-made files
	dir="$work/corpus-$1"
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	for f in "$@"; do
		[ -f "$f" ] && cp "$f" "$dir/"
	done
	return 0
}

# The parsers and what they link, compiled once with the fuzzer's coverage
# (fuzzer-no-link) and shared by the four targets, which differ only in the
# format fuzz-image.c asks for.
objs="$work/obj"
glib_cflags=$(pkg-config --cflags glib-2.0 gio-2.0)
rm -rf "$objs"
mkdir -p "$objs"
for file in "$src"/core/image/*.c "$src/core/glint-error.c" "$src/core/glint-file.c"; do
	# GETTEXT_PACKAGE: the gettext domain, as meson.build defines it
	# shellcheck disable=SC2086
	clang -c -g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined \
		-fno-sanitize-recover=undefined -DGETTEXT_PACKAGE=\"glint\" \
		-I"$src/core" -I"$src/core/image" -I"$src/core/image/private" \
		$glib_cflags -o "$objs/$(basename "$file" .c).o" "$file"
done

status=0
for target in ihex srec elf auto; do
	case $target in
	ihex) format=GLINT_IMAGE_FORMAT_IHEX
		seed $target "$data"/*.hex "$build/tests/image/oracle.hex" ;;
	srec) format=GLINT_IMAGE_FORMAT_SREC
		seed $target "$data"/*.srec "$data"/*.s19 "$data"/*.s28 "$data"/*.s37 \
			"$build/tests/image/oracle.srec" ;;
	elf) format=GLINT_IMAGE_FORMAT_ELF
		seed $target "$data"/*.elf "$build/tests/image/oracle.elf" ;;
	auto) format=GLINT_IMAGE_FORMAT_AUTO
		seed $target "$data"/good* "$data"/*.elf ;;
	esac
	bin="$work/fuzz-$target"
	# shellcheck disable=SC2086
	clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -DGLINT_FUZZ_FORMAT=$format -DGETTEXT_PACKAGE=\"glint\" \
		-I"$src/core" -I"$src/core/image" -I"$src/core/image/private" \
		-o "$bin" "$src/tests/image/fuzz-image.c" "$objs"/*.o $glib
	log="$work/fuzz-$target.log"
	if [ -n "$secs" ]; then
		limit="-max_total_time=$secs"
		what="in $secs s"
	else
		limit="-runs=${GLINT_FUZZ_RUNS:-$(budget "$target")}"
		what="(budget ${limit#-runs=})"
	fi
	started=$(date +%s)
	# shellcheck disable=SC2086
	if ASAN_OPTIONS=detect_leaks=1 "$bin" $limit -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/crash-$target-" \
		"$work/corpus-$target" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
		echo "fuzz $target: ${runs:-?} executions $what, $cov, no crash" \
			"($(($(date +%s) - started)) s)"
	else
		echo "fuzz $target: FAILED; see $log" >&2
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" >&2 || tail -n 30 "$log" >&2
		echo "copy the crash-$target-* file from $work to tests/image/regressions/," \
			"fix the parser, and keep the file" >&2
		status=1
	fi
done
exit $status
