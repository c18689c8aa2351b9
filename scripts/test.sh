#!/usr/bin/env bash
# Quick start, part 2: build lede with its tests and run them all (ctest).
#
# In CI (CI=true) or with LEDE_FULL_TESTS=1 it then also
#   - builds with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/) and
#     runs the whole suite again there, and
#   - runs each libFuzzer target for LEDE_FUZZ_SECONDS (default 30) (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh -DLEDE_BUILD_TESTS=ON "$@"
ctest --test-dir "${LEDE_BUILD_DIR:-build}" --output-on-failure -j2

if [ "${CI:-}" = "true" ] || [ "${LEDE_FULL_TESTS:-}" = "1" ]; then
  echo "== sanitizer build (ASan + UBSan): the whole suite again"
  # The install/package test builds examples against the library; under the
  # sanitizers that needs the sanitizer runtime in the example too, so it
  # runs in the plain build only.
  LEDE_BUILD_DIR=build-asan bash scripts/build.sh -DLEDE_BUILD_TESTS=ON -DLEDE_SANITIZE=ON -DLEDE_INSTALL=OFF
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 \
  LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j2
  echo "== fuzzing: ${LEDE_FUZZ_SECONDS:-30} s per target"
  bash scripts/fuzz.sh "${LEDE_FUZZ_SECONDS:-30}"
fi
