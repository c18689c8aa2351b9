#!/usr/bin/env bash
# Golden end-to-end cases: tests/golden/CASE.args holds the arguments of one
# `lede` command line (shell words); CASE.out, CASE.err and CASE.status the
# stdout, stderr and exit status it must give. Each case runs the real binary
# from the repository root, with LEDE_DB naming a fresh index of corpus/ (so
# paths print as corpus/...), and with no terminal (no colour unless asked).
#
#   run.sh LEDE_BIN SOURCE_DIR CASE           compare (a ctest test per case)
#   run.sh LEDE_BIN SOURCE_DIR CASE --update  write the expected files from this run
set -euo pipefail
bin=$1
src=$2
case=$3
update=${4:-}
dir="$src/tests/golden"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" index -q --db "$tmp/idx" "$src/corpus" >/dev/null
args=$(cat "$dir/$case.args")
set +e
(cd "$src" && LEDE_DB="$tmp/idx" NO_COLOR= TERM=dumb eval "exec \"\$bin\" $args" \
    >"$tmp/out" 2>"$tmp/err" </dev/null)
echo $? >"$tmp/status"
set -e
# When a passage was indexed is this run's time: compared as a placeholder.
sed -i -E 's/"indexed":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z"/"indexed":"TIME"/g' "$tmp/out"

if [ "$update" = "--update" ]; then
    cp "$tmp/out" "$dir/$case.out"
    cp "$tmp/err" "$dir/$case.err"
    cp "$tmp/status" "$dir/$case.status"
    echo "golden: $case updated"
    exit 0
fi
status=0
for part in status out err; do
    if ! diff -u --label "expected $case.$part" --label "actual" "$dir/$case.$part" "$tmp/$part"; then
        status=1
    fi
done
[ "$status" -eq 0 ] && echo "golden: $case ok"
exit "$status"
