#!/usr/bin/env bash
# A simulated month of daily `lede index` runs, for the merge policy (issue 18,
# docs/ARCHITECTURE.md "Segments, deletions, merges"; results in docs/BENCHMARKS.md).
#
#   bench/month.sh [--corpus DIR] [--work DIR] [--days N] [--seed N]
#
#   --corpus DIR  the corpus (default: bench/work/corpora/large, which bench/corpora.sh makes)
#   --work DIR    scratch folder, emptied first (default: /tmp/lede-month)
#   --days N      daily runs (default 30)
#   --seed N      the shuffle of the files (default 18)
#   --no-merge    daily runs with lede index --no-merge (to compare: the segments pile up)
#
# Day 0 indexes half of the corpus's files (shuffled with a fixed seed) into a
# new index. Each day then adds 1/(2 N) of the files held back, appends a
# sentence to 5 indexed files and deletes 3 (lede index --prune): one run,
# timed, with its merge share from --summary-json. At the end: the merges'
# share of the indexing time, the segments left, the index size against a
# fresh build of the same files, an update touching 1 % of the files against
# a full build, and the in-process search p50 (lede-bench-search, built with
# -DLEDE_BUILD_BENCH=ON) of the month's index and of the fresh build.
#
# Environment: LEDE (default build/lede), LEDE_BENCH (default: lede-bench-search next to it).
set -euo pipefail
cd "$(dirname "$0")/.."
LEDE=${LEDE:-build/lede}
LEDE_BENCH=${LEDE_BENCH:-$(dirname "$LEDE")/lede-bench-search}
corpus=""
work=/tmp/lede-month
days=30
seed=18
merge=()
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --no-merge) merge=(--no-merge); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "month.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
corpus=${corpus:-bench/work/corpora/large}
[ -d "$corpus" ] || { echo "month.sh: no corpus at $corpus (make it with bench/corpora.sh, or give --corpus DIR)" >&2; exit 2; }
corpus=$(cd "$corpus" && pwd)
rm -rf "$work"
mkdir -p "$work/src"
say() { printf '[month] %s\n' "$*" >&2; }

# All files, shuffled reproducibly; the first half is day 0's.
(cd "$corpus" && find . -type f | sort) | shuf --random-source=<(yes "$seed") >"$work/all"
total=$(wc -l <"$work/all")
half=$((total / 2))
per_day=$(( (total - half + 2 * days - 1) / (2 * days) ))
place() {  # copy the files listed on stdin from the corpus into src/
  while IFS= read -r f; do
    mkdir -p "$work/src/$(dirname "$f")"
    cp "$corpus/$f" "$work/src/$f"
  done
}
head -n "$half" "$work/all" | place
head -n "$half" "$work/all" >"$work/present"

# run LABEL ARGS...: one timed lede index; prints "wall user+sys" and keeps the summary JSON.
run() {
  local label=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$work/time-$label" "$LEDE" index -q --summary-json "$work/sum-$label.json" "$@"
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time-$label"
}
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/sum-$1.json" "$2"; }

say "corpus $corpus: $total files; day 0 indexes $half, then $days days of $per_day new files, 5 edits, 3 deletions"
read -r w0 c0 < <(run day0 --db "$work/idx" "$work/src")
say "day 0: ${w0} s wall, ${c0} CPU-s, $(field day0 passages) passages"
printf 'day\twall_s\tcpu_s\tmerge_s\tmerged\tsegments\tpassages\n' >"$work/days.tsv"
next=$half
for day in $(seq 1 "$days"); do
  sed -n "$((next + 1)),$((next + per_day))p" "$work/all" >"$work/new"
  next=$((next + per_day))
  place <"$work/new"
  cat "$work/new" >>"$work/present"
  # Five edits and three deletions among the files indexed before today.
  shuf -n 8 --random-source=<(yes "$seed$day") "$work/present" >"$work/touched"
  head -n 5 "$work/touched" | while IFS= read -r f; do
    [ -f "$work/src/$f" ] && printf '\nCorrection of day %s: the figures above were revised.\n' "$day" >>"$work/src/$f"
  done
  tail -n 3 "$work/touched" | while IFS= read -r f; do rm -f "$work/src/$f"; done
  grep -vxF -f <(tail -n 3 "$work/touched") "$work/present" >"$work/present.new" || true
  mv "$work/present.new" "$work/present"
  read -r w c < <(run "day$day" --prune "${merge[@]}" --db "$work/idx" "$work/src")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$day" "$w" "$c" "$(field "day$day" merge_seconds)" \
    "$(field "day$day" segments_merged)" "$(field "day$day" segments)" "$(field "day$day" passages)" >>"$work/days.tsv"
done
# A run that changes nothing removes the folders the last merges replaced.
"$LEDE" index -q "${merge[@]}" --db "$work/idx" "$work/src"

say "fresh build of the final files"
read -r wf cf < <(run fresh --db "$work/fresh" "$work/src")
# An update touching 1 % of the files: edits, on a copy of the fresh build.
cp -a "$work/fresh" "$work/upd"
n1=$(( ($(wc -l <"$work/present") + 99) / 100 ))
shuf -n "$n1" --random-source=<(yes "${seed}u") "$work/present" | while IFS= read -r f; do
  printf '\nA late correction: the figures above were revised again.\n' >>"$work/src/$f"
done
read -r wu cu < <(run upd --db "$work/upd" "$work/src")

p50() {
  if [ -x "$LEDE_BENCH" ]; then
    "$LEDE_BENCH" --db "$1" --queries bench/queries.txt --repeat 10 |
      python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); print("%.3f %.3f" % (j["p50_ms"], j["p99_ms"]))'
  else
    echo "n/a n/a"
  fi
}
read -r pm_50 pm_99 < <(p50 "$work/idx")
read -r pf_50 pf_99 < <(p50 "$work/fresh")
read -r pm2_50 pm2_99 < <(p50 "$work/idx")
read -r pf2_50 pf2_99 < <(p50 "$work/fresh")

python3 - "$work" "$w0" "$c0" "$wf" "$cf" "$wu" "$cu" "$n1" "$pm_50/$pm2_50" "$pf_50/$pf2_50" "$pm_99/$pm2_99" \
  "$pf_99/$pf2_99" <<'EOF'
import csv, os, sys
work, w0, c0, wf, cf, wu, cu, n1, pm, pf, pm99, pf99 = sys.argv[1:]
rows = list(csv.DictReader(open(os.path.join(work, "days.tsv")), delimiter="\t"))
wall = sum(float(r["wall_s"]) for r in rows)
cpu = sum(float(r["cpu_s"]) for r in rows)
merge = sum(float(r["merge_s"]) for r in rows)
merged = sum(int(r["merged"]) for r in rows)
def size(d):
    return sum(os.path.getsize(os.path.join(p, f)) for p, _, fs in os.walk(d) for f in fs)
segs = [int(r["segments"]) for r in rows]
print("days: %d runs, %.1f s wall (%.1f CPU-s), merges %.2f s = %.1f %% of the runs' wall time; %d segments merged"
      % (len(rows), wall, cpu, merge, 100 * merge / wall, merged))
print("segments after each day: %s (max %d, at the end %d)" % (" ".join(map(str, segs)), max(segs), segs[-1]))
print("day 0 (half, fresh): %s s wall, %s CPU-s" % (w0, c0))
print("index after the month: %.1f MB; fresh build of the same files: %.1f MB (%.2fx)"
      % (size(os.path.join(work, "idx")) / 1e6, size(os.path.join(work, "fresh")) / 1e6,
         size(os.path.join(work, "idx")) / size(os.path.join(work, "fresh"))))
print("full build: %s s wall, %s CPU-s; update of %s files (1 %%): %s s wall, %s CPU-s = %.1f %% of the build's wall time"
      % (wf, cf, n1, wu, cu, 100 * float(wu) / float(wf)))
print("in-process p50 ms (two passes): month's index %s, fresh %s; p99: %s vs %s" % (pm, pf, pm99, pf99))
EOF
cat "$work/days.tsv" >&2
