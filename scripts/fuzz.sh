#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz/) with clang-14 into build-fuzz/ and
# run each for SECONDS (default 60) over its seed corpus and saved regressions.
# Fails (exit 1) when any target crashes, breaks an invariant, times out or
# runs out of memory; crash inputs are left in build-fuzz/fuzz-artifacts/.
#
#   scripts/fuzz.sh [SECONDS]
#   LEDE_FUZZ_TARGETS="query" scripts/fuzz.sh 300     # one target only
#
# The fuzzers run with a 1 MiB stack (LEDE_FUZZ_STACK_KB), so that unbounded
# recursion shows up within -max_len=4096 bytes instead of needing ~10 KB inputs.
#
# New inputs libFuzzer finds go to build-fuzz/fuzz-corpus/<target>/, never into
# the seed corpus in git. To keep a crash as a regression test, minimize it
#   build-fuzz/tests/fuzz/fuzz_<target> -minimize_crash=1 -runs=20000 CRASH
# and save it as tests/fuzz/regressions/<target>/<name>.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
build=${LEDE_FUZZ_BUILD_DIR:-build-fuzz}
read -r -a targets <<<"${LEDE_FUZZ_TARGETS:-analyzer passages query markup}"
stack_kb=${LEDE_FUZZ_STACK_KB:-1024}

if ! grep -Eq '^[[:space:]]*add_subdirectory\(fuzz\)' tests/CMakeLists.txt; then
  echo "fuzz: tests/CMakeLists.txt has no add_subdirectory(fuzz)" >&2
  exit 2
fi

bash scripts/deps.sh
if ! command -v clang++-14 >/dev/null || ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "fuzz: installing clang-14 libclang-rt-14-dev" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null || true
  $sudo apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev >/dev/null
fi

# The library is instrumented too (coverage feedback and sanitizers inside lede).
san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLEDE_BUILD_TESTS=ON -DLEDE_FUZZ=ON -DCMAKE_CXX_FLAGS="$san" >/dev/null
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
summary=()
for t in "${targets[@]}"; do
  work="$build/fuzz-corpus/$t"
  artifacts="$build/fuzz-artifacts/$t"
  log="$build/fuzz-$t.log"
  mkdir -p "$work" "$artifacts"
  args=(-max_len=4096 -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts/")
  [ -f "tests/fuzz/$t.dict" ] && args+=(-dict="tests/fuzz/$t.dict")
  echo "fuzz: $t for ${secs}s (log: $log)" >&2
  rc=0
  (ulimit -s "$stack_kb" && exec "$build/tests/fuzz/fuzz_$t" "${args[@]}" \
     "$work" "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t") >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 || true)
  summary+=("$t: ${runs:-?} runs, ${rate:-?} exec/s, ${cov:-cov: ?}, exit $rc")
  if [ "$rc" -ne 0 ]; then
    failed+=("$t")
    echo "fuzz: $t FAILED (exit $rc); the end of $log:" >&2
    tail -n 40 "$log" >&2
    ls -1 "$artifacts" >&2 || true
  fi
done
printf 'fuzz: %s\n' "${summary[@]}" >&2
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no crashes" >&2
