#!/usr/bin/env bash
# Latency of one index vs 2 and 4 shards, local and remote (xapian-tcpsrv on
# loopback), whole `lede search` processes, medians from hyperfine.
#   bench/scaling.sh [CORPUS_DIR]      (default: ../shared/data/sotu, else bench/work/corpora/sotu)
set -euo pipefail
cd "$(dirname "$0")/.."
LEDE=${LEDE:-build/lede}
corpus=${1:-}
if [ -z "$corpus" ]; then
  for c in ../shared/data/sotu bench/work/corpora/sotu; do [ -d "$c" ] && corpus=$c && break; done
fi
[ -n "$corpus" ] || { echo "no corpus; give a folder" >&2; exit 2; }
command -v hyperfine >/dev/null && command -v xapian-tcpsrv >/dev/null || apt-get install -y -qq hyperfine xapian-tools >/dev/null
work=$(mktemp -d)
pids=()
# SIGKILL after SIGTERM: xapian-tcpsrv's SIGTERM handler calls exit(), which can hang a
# connection's process for good (tests/e2e/shard_test.cpp, Server::stop()).
trap 'for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null; done; sleep 0.2
      for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done; rm -rf "$work"' EXIT

"$LEDE" index -q --db "$work/one" "$corpus"
for n in 2 4; do
  for k in $(seq 1 $n); do "$LEDE" index -q --db "$work/s$n-$k" --shard-of "$k/$n" "$corpus"; done
done
port=$((20000 + RANDOM % 20000))
declare -A remote
for n in 2 4; do
  dbs=""
  for k in $(seq 1 $n); do
    port=$((port + 1))
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet "$work/s$n-$k" 2>/dev/null &
    pids+=($!)
    dbs="$dbs --db tcp://127.0.0.1:$port"
  done
  remote[$n]=$dbs
done
sleep 1

queries=(Lincoln '"health care"' 'slavery freedom' government)
printf '| setup | %s |\n|---|%s\n' "$(printf '%s | ' "${queries[@]}" | sed 's/ | $//')" "$(printf -- '---:|%.0s' "${queries[@]}")"
row() {
  local name=$1; shift
  local cells=""
  for q in "${queries[@]}"; do
    hyperfine -N --warmup 3 --runs 20 --export-json "$work/h.json" "$LEDE search $* --all-copies -n 10 --json $(printf '%q' "$q")" >/dev/null 2>&1 \
      || hyperfine --warmup 3 --runs 20 --export-json "$work/h.json" "$LEDE search $* --all-copies -n 10 --json $(printf '%q' "$q") >/dev/null" >/dev/null 2>&1
    cells="$cells $(python3 -c "import json;print('%.1f' % (json.load(open('$work/h.json'))['results'][0]['median']*1000))") ms |"
  done
  echo "| $name |$cells"
}
row "1 index" --db "$work/one"
row "2 local shards" --db "$work/s2-1" --db "$work/s2-2"
row "4 local shards" --db "$work/s4-1" --db "$work/s4-2" --db "$work/s4-3" --db "$work/s4-4"
row "2 remote shards (loopback)" ${remote[2]}
row "4 remote shards (loopback)" ${remote[4]}
