# The two commands of the README, plus the developer's usual targets.
#   make demo    install what is needed, build, and show sra on the embedded SQLite default
#   make test    install, build, start a throwaway PostgreSQL 15, run every test on both databases
#   make bench   the speed targets of the issues, as ratios against baselines (bench/README.md)
#   make asan    the suite under AddressSanitizer and UBSan
#   make install PREFIX=/usr/local DESTDIR=   (make uninstall undoes it)
#   make deb     the Debian packages sra, libsra0 and libsra-dev, into $(BUILD)/deb
#   make fuzz FUZZ_SECONDS=60   each libFuzzer target for that long over fuzz/corpus (fuzz/README.md)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all deps build demo test test-only asan bench clean install uninstall deb fuzz

all: build

deps:
	scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: $(BUILD)/build.ninja
	cmake --build $(BUILD)

demo: deps build
	scripts/demo.sh $(BUILD)/sra

# Every test, on SQLite and on a real PostgreSQL that this target starts and stops.
test: deps build
	SRA_REQUIRE_PG=1 scripts/pg-test-server.sh ctest --test-dir $(BUILD) --output-on-failure -j2

# Tests again, built with ASan and UBSan.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DSRA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_BUILD)
	SRA_REQUIRE_PG=1 ASAN_OPTIONS=detect_leaks=1 scripts/pg-test-server.sh ctest --test-dir $(ASAN_BUILD) --output-on-failure -j2

# The libFuzzer targets (clang, ASan, UBSan) in their own build directory,
# each run FUZZ_SECONDS seconds niced; new coverage is merged into fuzz/corpus.
fuzz: deps
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: deps build
	scripts/pg-test-server.sh bench/run.sh $(BUILD)/sra

# The prefix is set at configure time (libsra.pc and the multiarch libdir
# depend on it); DESTDIR only at install time, as usual.
install: $(BUILD)/build.ninja
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD)
	DESTDIR=$(DESTDIR) cmake --install $(BUILD)

uninstall:
	DESTDIR=$(DESTDIR) cmake --build $(BUILD) --target uninstall

# dpkg-buildpackage on a copy of the tracked sources (it writes its results
# next to the source tree): $(BUILD)/deb/*.deb
deb:
	scripts/build-deb.sh $(BUILD)/deb

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
