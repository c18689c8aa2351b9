#!/usr/bin/env bash
# The layering of lede's folders (docs/ARCHITECTURE.md), checked on the
# sources: each folder includes only its own headers and those of the folders
# below it; analysis/ takes nothing from Xapian but the stemmer (terms.cpp);
# tools/ and the public headers use only the public API (<lede/...>).
#
#   analysis  ←  index  ←  indexer
#                  ↑
#                query        tools → <lede/...> only
set -euo pipefail
root=${1:-$(dirname "$0")/..}
cd "$root"
status=0

# allowed FOLDER INCLUDABLE-FOLDER...
allowed() {
    local dir=$1
    shift
    local pattern
    pattern=$(printf '%s|' "$@")
    pattern=${pattern%|}
    # Every quoted include must name one of the allowed folders.
    while IFS= read -r hit; do
        echo "layering: $hit: $dir/ may include only $* (quoted)"
        status=1
    done < <(grep -Hn '^#include "' "$dir"/*.cpp "$dir"/*.hpp 2>/dev/null \
             | grep -Ev "#include \"($pattern)/" || true)
}

allowed analysis analysis
allowed index analysis index
allowed indexer analysis index indexer
allowed query analysis index query
allowed tools tools

# analysis/ knows no database, document or query: <xapian.h> only for Xapian::Stem, in terms.cpp.
while IFS= read -r hit; do
    echo "layering: $hit: analysis/ uses Xapian only for the stemmer (analysis/terms.cpp)"
    status=1
done < <(grep -Hn '#include <xapian' analysis/*.cpp analysis/*.hpp | grep -v '^analysis/terms.cpp:' || true)

# The public headers and the CLI see only the public API.
while IFS= read -r hit; do
    echo "layering: $hit: public headers include only <lede/...> and the standard library"
    status=1
done < <(grep -Hn '^#include' include/lede/*.hpp include/lede/*.in | grep -Ev '#include <(lede/|[a-z_]+>)' || true)
while IFS= read -r hit; do
    echo "layering: $hit: tools/ uses only the public API (<lede/...>)"
    status=1
done < <(grep -Hn '^#include <' tools/*.cpp tools/*.hpp | grep -E '<(xapian|unicode/)' || true)

if [ "$status" -eq 0 ]; then
    echo "layering: ok"
fi
exit "$status"
