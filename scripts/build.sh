#!/usr/bin/env bash
# Configure and build lede into build/ (Release with debug info). Extra
# arguments go to CMake's configure step, e.g. -DLEDE_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
build=${LEDE_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j2
