#!/usr/bin/env bash
# Configure and build lede into build/ (Release with debug info). Extra
# arguments go to CMake's configure step, e.g. -DLEDE_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
build=${LEDE_BUILD_DIR:-build}
# The lede command links a static Xapian when one can be built (scripts/xapian-static.sh).
xapian=$(bash scripts/xapian-static.sh "$@")
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDE_XAPIAN_STATIC="$xapian" "$@" >/dev/null
cmake --build "$build" -j2
