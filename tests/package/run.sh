#!/usr/bin/env bash
# Install lede into a temporary prefix, then build and run examples/search.cpp
# against it three ways: find_package (shared), find_package (static), pkg-config.
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(dirname "$(find "$tmp/prefix" -name 'liblede.so' | head -1)")
export LD_LIBRARY_PATH="$libdir"
"$tmp/prefix/bin/lede" index -q --db "$tmp/idx" "$src/corpus"
test -f "$tmp/prefix/share/man/man1/lede.1.gz" || { echo "man page not installed"; exit 1; }
test -f "$tmp/prefix/share/bash-completion/completions/lede" || { echo "bash completion not installed"; exit 1; }
test -f "$tmp/prefix/share/zsh/site-functions/_lede" || { echo "zsh completion not installed"; exit 1; }
test -f "$tmp/prefix/share/fish/vendor_completions.d/lede.fish" || { echo "fish completion not installed"; exit 1; }
test -f "$tmp/prefix/include/lede/lede.hpp" || { echo "headers not installed"; exit 1; }

cmake -S "$src/examples" -B "$tmp/ex" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/ex" >/dev/null
"$tmp/ex/lede-example" "$tmp/idx" Witkoff | grep -q '\[Witkoff\]'
"$tmp/ex/lede-example-static" "$tmp/idx" Umerov | grep -q '\[Umyrov\]'
echo "find_package(lede): shared and static examples ran"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
g++ -std=c++20 "$src/examples/search.cpp" $(pkg-config --cflags --libs lede) -o "$tmp/ex-pc"
"$tmp/ex-pc" "$tmp/idx" '"security guarantees"' | grep -q '\[security guarantees\]'
echo "pkg-config lede: example ran"
