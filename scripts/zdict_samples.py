#!/usr/bin/env python3
"""Write passage-sized samples of prose for training lede's record dictionary.

Usage: zdict_samples.py OUTDIR FILE...

Each FILE is split into paragraphs (blank lines), and paragraphs longer than
~600 bytes are cut at sentence ends into windows of ~450 bytes: what lede's
passages look like (indexer/passages.cpp). Each passage becomes a sample laid
out as lede stores it (index/record.cpp: length-prefixed fields, a later
passage naming its article by a 16-hex-digit reference), once as the file
has it and once with its lines joined (news from HTML or JSON has no hard
wraps). One sample per file in OUTDIR, as `zstd --train` reads them.
"""
import os
import random
import re
import sys


def passages(text):
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if not para:
            continue
        if len(para.encode()) <= 600:
            yield para
            continue
        window = ""
        for sentence in re.split(r"(?<=[.!?])\s+", para):
            if window and len((window + " " + sentence).encode()) > 450:
                yield window
                window = sentence
            else:
                window = (window + " " + sentence).strip()
        if window:
            yield window


def field(value):
    return "%d:%s" % (len(value.encode()), value)


def record(path, number, start, text):
    """What index::encode() writes for passage `number` of `path`."""
    end = start + len(text.encode())
    head = [field(path if number == 1 else ""), field(str(number)), field(str(start)), field(str(end))]
    if number == 1:
        head += [field(""), field(os.path.basename(path)), field(""), field(""), field("")]
    else:
        ref = "%016x" % random.getrandbits(64)
        head += [field(ref)] + [field("")] * 4
    return "".join(head) + field(text)


def main():
    random.seed(1)  # the same dictionary from the same text
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        name = "/home/news/" + os.path.basename(path)
        start = 0
        for number, p in enumerate(passages(text), 1):
            start = max(text.find(p, start), 0)
            for sample in (p, " ".join(p.split())):
                with open(os.path.join(out, "%06d" % n), "w", encoding="utf-8") as s:
                    s.write(record(name, number, start, sample))
                n += 1
            start += len(p)
    print("%d samples" % n, file=sys.stderr)


if __name__ == "__main__":
    main()
