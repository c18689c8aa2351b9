#!/usr/bin/env bash
# Quick start, part 1: build lede, index corpus/ and run example searches.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
db=${LEDE_DB:-build/demo-index}
./build/lede index --db "$db" corpus/
for q in Witkoff Umerov '"Donbas"' '"security guarantees"' Зеленский; do
  printf '\n$ lede search %s\n' "$q"
  ./build/lede search --db "$db" -n 3 "$q"
done
