#!/usr/bin/env bash
# lede benchmarks side by side with the tools users would pick instead.
#
#   bench/run.sh [--corpora tiny,sotu,large,xl] [--quick] [options]
#
#   --corpora LIST   corpora to run, comma-separated (default: tiny,sotu,large,xl)
#   --quick          tiny + sotu only, fewer hyperfine runs and in-process repeats (a few minutes)
#   --work DIR       work directory for corpora, indexes and logs (default: bench/work)
#   --runs N         hyperfine runs per query (default 15; --quick: 10)
#   --warmup N       hyperfine warm-up runs per query (default 2; --quick: 1)
#   --repeat N       in-process passes over the query mix (default 20; --quick: 10)
#   --results DIR    where latest.json and latest.md go (default: bench/results)
#   --merge          keep the other corpora's results from the previous latest.json
#                    (e.g. re-run only xl); the report lists each corpus's run
#   --no-install     do not apt-get install missing peers
#   --keep-compacted keep the compacted copies of the indexes (removed after measuring by default)
#
# Environment: LEDE=path/to/lede (default build/lede), LEDE_BENCH=path/to/lede-bench-search
# (default: next to lede). Missing lede binaries or subcommands give "n/a" cells; the peers
# are measured regardless.
#
# Writes bench/results/latest.json and bench/results/latest.md; raw logs and hyperfine JSON
# stay under the work directory.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ORIG_ARGS="$*"

CORPORA=""
QUICK=0
WORK="$BENCH/work"
RUNS=""; WARMUP=""; REPEAT=""
INSTALL=1
KEEP=()
RESULTS_ARG=()
MERGE=()

while [ $# -gt 0 ]; do
  case "$1" in
    --corpora) CORPORA="$2"; shift 2 ;;
    --corpora=*) CORPORA="${1#*=}"; shift ;;
    --quick) QUICK=1; shift ;;
    --work) WORK="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --results) RESULTS_ARG=(--results "$2"); shift 2 ;;
    --merge) MERGE=(--merge); shift ;;
    --no-install) INSTALL=0; shift ;;
    --keep-compacted) KEEP=(--keep-compacted); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$QUICK" = 1 ]; then
  : "${CORPORA:=tiny,sotu}"; : "${RUNS:=10}"; : "${WARMUP:=1}"; : "${REPEAT:=10}"
else
  : "${CORPORA:=tiny,sotu,large,xl}"; : "${RUNS:=15}"; : "${WARMUP:=2}"; : "${REPEAT:=20}"
fi

say() { printf '[bench] %s\n' "$*" >&2; }

# --- peers from Debian's packages -------------------------------------------------------
PKGS=(ripgrep sqlite3 xapian-omega xapian-tools python3-xapian hyperfine time)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$INSTALL" = 0 ]; then
    say "missing Debian packages: ${missing[*]} (--no-install given; the affected cells will fail)"
  else
    say "installing Debian packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
fi

# python3-xapian installs into Debian's python3; another python3 first on PATH may lack it.
PY=python3
if ! "$PY" -c 'import xapian' 2>/dev/null; then
  PY=/usr/bin/python3
  "$PY" -c 'import xapian' 2>/dev/null || { say "python3-xapian not importable"; exit 1; }
fi

# --- one run per work directory --------------------------------------------------------------
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
exec 9>"$WORK/.lock"
if ! flock -n 9; then
  say "another bench run is using $WORK; wait for it, or pass --work DIR (and --results DIR)"
  exit 1
fi

# --- corpora ------------------------------------------------------------------------------
"$BENCH/corpora.sh" --work "$WORK" --corpora "$CORPORA"

# --- measurements -------------------------------------------------------------------------
START=$(date +%s)
QUICK_ARG=(); [ "$QUICK" = 1 ] && QUICK_ARG=(--quick)
"$PY" "$BENCH/lib/harness.py" --work "$WORK" --corpora "$CORPORA" --python "$PY" \
  --runs "$RUNS" --warmup "$WARMUP" --repeat "$REPEAT" "${QUICK_ARG[@]}" "${KEEP[@]}" "${RESULTS_ARG[@]}" "${MERGE[@]}" \
  --command "bench/run.sh${ORIG_ARGS:+ $ORIG_ARGS}"
say "done in $(( $(date +%s) - START )) s (plus corpus building)"
