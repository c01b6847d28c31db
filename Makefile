# Thin wrapper: the real build is Meson. `make run` and `make test` are all a
# newcomer types on a fresh Debian 12 machine.
BUILD      ?= build
ASAN_BUILD ?= build-asan

.PHONY: all deps build run test bench mutate clean

all: build

deps:
	@./scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The build tree's translations, so that a German desktop gets German.
run: build
	GLINT_LOCALEDIR=$(BUILD)/po ./$(BUILD)/app/glint

# The format of every C file, then every check once (scripts/run-suites;
# CONTRIBUTING.md says which test runs where): every suite under
# AddressSanitizer + UBSan but 'slow', which runs in the plain build (the
# fuzzers bring their own sanitizers, the Debian package its own tree); the
# threaded tests under ThreadSanitizer; one CLI job under valgrind memcheck.
test: build $(ASAN_BUILD)/build.ninja
	./scripts/check-format
	ninja -C $(ASAN_BUILD)
	./scripts/run-suites $(BUILD) $(ASAN_BUILD) build-tsan

# Every emulated board, whole flash, every peer, three runs: 3-30 minutes of
# host time per board, hours in all (tests/bench/bench-program.c). The split
# docs/timing-model.md ("Measured") uses: GLINT_BENCH_PEERS=0 (Glint and the
# bounds only), GLINT_BENCH_IMAGE_KB=64, GLINT_BENCH_BOARDS=a,b,
# GLINT_BENCH_RUNS=N, GLINT_BENCH_SENSITIVITY=0.
bench: build
	meson test -C $(BUILD) --benchmark --verbose

# A mutation pass over the flash, option-byte and diagnosis code: one to two
# hours on two cores, in build-mutate/; never part of `make test`. See
# docs/mutation/README.md (MUTATE_ARGS="--count 40" for a short one).
mutate: build
	./scripts/mutate $(MUTATE_ARGS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-tsan build-mutate
