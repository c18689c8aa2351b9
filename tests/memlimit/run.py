#!/usr/bin/env python3
"""Issue 14: `lede index` and `lede search` under a memory limit.

Runs the real binary on generated hostile files and queries under
`ulimit -v` (RLIMIT_AS, 2 GiB by default) and checks that each run ends with
its documented exit status (0, or 3 with the file named) -- never killed by a
signal, never out of memory -- and that the peak RSS of each run (getrusage
of the child, via wait4) stays under the bound docs/RELIABILITY.md states
(1 GiB), whatever the size of the files.

Only in the plain build: AddressSanitizer reserves terabytes of address space
and cannot start under RLIMIT_AS.

usage: run.py LEDE [--keep DIR]
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile

AS_LIMIT = 2 << 30      # ulimit -v
RSS_BOUND = 1 << 30     # docs/RELIABILITY.md: peak RSS of lede index
# Streamed files of 16-24 MB: lede once took ~23x the file (550 MB for 24 MB);
# now their memory does not grow with their size.
STREAMED_BOUND = 512 * (1 << 20)
MB = 1 << 20

HERE = os.path.dirname(os.path.abspath(__file__))
SOTU = os.path.join(HERE, "..", "data", "sotu")


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))


def run(cmd, cwd=None):
    """Run cmd under the limit: (exit status or -signal, stdout, stderr, peak RSS in bytes)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, preexec_fn=limit, cwd=cwd)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), \
            usage.ru_maxrss * 1024


def prose():
    texts = []
    for name in sorted(os.listdir(SOTU)):
        with open(os.path.join(SOTU, name), encoding="utf-8") as f:
            texts.append(f.read().strip())
    return "\n\n".join(texts) + "\n\n"


def write_repeated(path, unit, size):
    with open(path, "w", encoding="utf-8") as f:
        written = 0
        while written < size:
            f.write(unit)
            written += len(unit.encode("utf-8"))


def main():
    lede = os.path.abspath(sys.argv[1])
    keep = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--keep" else None
    work = keep or tempfile.mkdtemp(prefix="lede-memlimit-")
    os.makedirs(work, exist_ok=True)
    failures = []

    def check(what, ok, detail=""):
        print(("ok   " if ok else "FAIL ") + what + (": " + detail if detail and not ok else ""), flush=True)
        if not ok:
            failures.append(what)

    try:
        text = prose()
        one_line = " ".join(text.split()) + " "
        files = {}
        # Shapes that are streamed: prose in paragraphs, one long line, many JSON lines.
        files["prose.txt"] = lambda p: write_repeated(p, text, 24 * MB)
        files["line.txt"] = lambda p: write_repeated(p, one_line, 16 * MB)

        def jsonl(p):
            with open(p, "w", encoding="utf-8") as f:
                i = 0
                while f.tell() < 16 * MB:
                    for para in filter(None, text.split("\n\n")):
                        f.write(json.dumps({"id": str(i), "title": "t%d" % i, "text": para}) + "\n")
                        i += 1
        files["articles.jsonl"] = jsonl

        # Shapes that cannot be streamed, over the 64 MB article limit: reported, exit 3.
        def json_string(p):
            with open(p, "w", encoding="utf-8") as f:
                f.write('{"id": "huge", "text": "')
                unit = json.dumps(one_line)[1:-1]
                while f.tell() < 70 * MB:
                    f.write(unit)
                f.write('"}\n{"id": "small", "text": "Witkoff met Putin in the Kremlin on Tuesday, officials said."}\n')
        files["string.jsonl"] = json_string

        def page(p):
            with open(p, "w", encoding="utf-8") as f:
                f.write("<!doctype html><html><head><title>Huge</title></head><body><article>")
                para = "<p>" + text.split("\n\n")[0] + "</p>\n"
                while f.tell() < 70 * MB:
                    f.write(para)
                f.write("</article></body></html>\n")
        files["page.html"] = page

        # NUL bytes after the start: replaced, indexed.
        def nul(p):
            with open(p, "w", encoding="utf-8") as f:
                f.write(text[:10000] + "\n\n")  # a NUL in the first 8 KiB would make it binary
                while f.tell() < 9 * MB:
                    f.write(text[:4000] + "\0\0\n\n")
        files["nul.txt"] = nul

        for name, make in files.items():
            make(os.path.join(work, name))

        # A batch of files of 4 MB, written by parallel writers.
        batch = os.path.join(work, "batch")
        os.makedirs(batch, exist_ok=True)
        for k in range(8):
            write_repeated(os.path.join(batch, "f%d.txt" % k), text, 4 * MB)

        expect = {"prose.txt": (0, None), "line.txt": (0, None), "articles.jsonl": (0, None),
                  "string.jsonl": (3, "line 1: article larger than 64 MB"),
                  "page.html": (3, "article larger than 64 MB"), "nul.txt": (0, None)}
        for name, (status, message) in expect.items():
            db = os.path.join(work, "idx-" + name)
            shutil.rmtree(db, ignore_errors=True)
            code, out, err, rss = run([lede, "index", "-q", "--db", db, os.path.join(work, name)])
            check("index %s: exit %d (got %d)" % (name, status, code), code == status, err[-500:])
            if message:
                check("index %s: says '%s'" % (name, message), name in err and message in err, err[-500:])
            bound = STREAMED_BOUND if status == 0 else RSS_BOUND
            check("index %s: peak RSS %.0f MB < %d MB" % (name, rss / MB, bound // MB), rss < bound)
        code, out, _, _ = run([lede, "search", "--db", os.path.join(work, "idx-string.jsonl"), "-c", "Witkoff"])
        check("the rest of a file with an over-long article is indexed", code == 0 and out.strip().endswith(":1"), out)

        db = os.path.join(work, "idx-batch")
        shutil.rmtree(db, ignore_errors=True)
        code, _, err, rss = run([lede, "index", "-q", "-j", "2", "--db", db, batch])
        check("index batch of 8 x 4 MB: exit 0 (got %d)" % code, code == 0, err[-500:])
        check("index batch: peak RSS %.0f MB < %d MB" % (rss / MB, RSS_BOUND // MB), rss < RSS_BOUND)

        # Hostile queries on the largest index: answered or refused in one line (exit 0, 1 or 2).
        db = os.path.join(work, "idx-prose.txt")
        queries = {
            "1,000 a*": "a* " * 1000,
            "3,000 prefixes": " ".join(chr(97 + i // 26 % 26) + chr(97 + i % 26) + "*" for i in range(3000)),
            "10,000 words": " ".join("w%d" % i for i in range(10000)),
            "a long phrase": '"' + " ".join(text.split()[:3000]) + '"',
            "a common phrase": '"of the"',
            "an empty path:": "Witkoff path:",
        }
        for what, query in queries.items():
            code, _, err, rss = run([lede, "search", "--db", db, "--json", query])
            check("search %s: exit 0, 1 or 2 (got %d)" % (what, code), code in (0, 1, 2), err[-300:])
            check("search %s: at most one line on stderr" % what, err.count("\n") <= 1, err[-300:])
            check("search %s: peak RSS %.0f MB < %d MB" % (what, rss / MB, RSS_BOUND // MB), rss < RSS_BOUND)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d failed" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
