#!/usr/bin/env bash
# `make fuzz`: build the libFuzzer targets (clang, ASan+UBSan) into $BUILD and
# run each for $SECONDS_EACH seconds, niced, one at a time (fuzz/README.md).
#   scripts/fuzz.sh BUILD SECONDS_EACH [target...]
# New inputs go to $BUILD/corpus/<target>; afterwards those that add coverage
# are merged (-merge=1) into fuzz/corpus/<target> for a commit.  Crashes are
# written to $BUILD/artifacts/<target>/ and fail the run: turn each into a
# file of fuzz/regressions/<target>/ with its fix.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
secs=${2:-60}
shift 2 || true
targets=("$@")
if [ ${#targets[@]} = 0 ]; then
  targets=(records ris medline xlsx decisions url env migration translate)
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang cmake -S . -B "$build" -G Ninja -DSRA_BUILD_FUZZ=ON -DSRA_BUILD_TESTS=OFF \
    -DSRA_BUILD_CLI=OFF -DSRA_BUILD_MAN=OFF -DSRA_STATIC_DEPS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  echo "fuzz_$t: ${secs}s" >&2
  # the repo's corpus is read, new finds go to the build directory
  if ! ASAN_OPTIONS=detect_leaks=1 /usr/bin/time -f "fuzz_$t: CPU %U s user, %S s system" \
      -o "$build/fuzz_$t.time" nice -n 19 "$build/fuzz/fuzz_$t" -max_total_time="$secs" \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" \
      "$build/corpus/$t" "fuzz/corpus/$t" 2>"$build/fuzz_$t.log"; then
    status=1
    echo "fuzz_$t: FAILED, see $build/fuzz_$t.log and $build/artifacts/$t/" >&2
  fi
  grep -E '^#[0-9]+.*(DONE|cov:)' "$build/fuzz_$t.log" | tail -n 1 >&2 || true
  cat "$build/fuzz_$t.time" >&2
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$build/fuzz_$t.log" >&2 || true
  nice -n 19 "$build/fuzz/fuzz_$t" -merge=1 "fuzz/corpus/$t" "$build/corpus/$t" \
    >/dev/null 2>&1 || true
done
exit $status
