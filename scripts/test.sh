#!/usr/bin/env bash
# Quick start, part 2: build lede with its tests and run them all (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh -DLEDE_BUILD_TESTS=ON "$@"
ctest --test-dir "${LEDE_BUILD_DIR:-build}" --output-on-failure -j2
