#!/usr/bin/env bash
# HTML indexing throughput: lede against omindex (xapian-omega) on the same pages.
#
#   bench/pages/run.sh [--work DIR] [--lede BIN] [--sotu DIR]
#
# Makes a page corpus with make_pages.py from the SOTU speeches (../shared/data/sotu, or
# tests/data/sotu) and the seed articles in corpus/, then indexes it once with each tool
# into a fresh database and prints pages, MB of HTML, wall seconds, pages/s, MB/s, peak RSS
# and the database size. omindex comes from Debian's xapian-omega package.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
WORK="$BENCH/work"
LEDE="$REPO/build/lede"
SOTU="$REPO/../shared/data/sotu"
[ -d "$SOTU" ] || SOTU="$REPO/tests/data/sotu"
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK="$2"; shift 2 ;;
    --lede) LEDE="$2"; shift 2 ;;
    --sotu) SOTU="$2"; shift 2 ;;
    *) echo "usage: $0 [--work DIR] [--lede BIN] [--sotu DIR]" >&2; exit 2 ;;
  esac
done
command -v omindex >/dev/null || { echo "omindex not found: apt-get install xapian-omega" >&2; exit 1; }
PAGES="$WORK/pages/html"
rm -rf "$WORK/pages"; mkdir -p "$PAGES"
python3 "$BENCH/pages/make_pages.py" "$PAGES" "$SOTU"/*.txt "$REPO"/corpus/*.txt
n=$(find "$PAGES" -name '*.html' | wc -l)
mb=$(du -sbm "$PAGES" | cut -f1)
bytes=$(du -sb "$PAGES" | cut -f1)
echo "corpus: $n pages, $bytes bytes of HTML ($PAGES)"
run() {  # name, db, command...
  local name=$1 db=$2; shift 2
  rm -rf "$db"
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$WORK/pages/$name.rss" "$@" >"$WORK/pages/$name.log" 2>&1
  t1=$(date +%s.%N)
  python3 - "$name" "$t0" "$t1" "$n" "$bytes" "$(cat "$WORK/pages/$name.rss")" "$(du -sb "$db" | cut -f1)" <<'PY'
import sys
name, t0, t1, n, b, rss, size = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
s = t1 - t0
print(f"{name:8s} {s:7.2f} s  {n / s:8.1f} pages/s  {b / s / 1e6:6.2f} MB/s  peak RSS {rss / 1024:6.1f} MB  db {size / 1e6:6.1f} MB")
PY
}
run lede "$WORK/pages/lede.db" "$LEDE" index -q --db "$WORK/pages/lede.db" "$PAGES"
run lede-j1 "$WORK/pages/lede-j1.db" "$LEDE" index -q -j 1 --db "$WORK/pages/lede-j1.db" "$PAGES"
run omindex "$WORK/pages/omega.db" omindex --db "$WORK/pages/omega.db" --url / "$PAGES"
