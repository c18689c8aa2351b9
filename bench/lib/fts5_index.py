#!/usr/bin/env python3
"""Peer: SQLite FTS5 passage index (tokenize='porter unicode61'), one row per passage.

    fts5_index.py --db FILE PATH...

Prints one JSON line with the number of files and passages indexed.
"""
import argparse
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from passages import corpus_passages  # noqa: E402

SCHEMA = ("CREATE VIRTUAL TABLE passages USING fts5("
          "path UNINDEXED, n UNINDEXED, body, tokenize='porter unicode61')")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--db', required=True)
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    if os.path.exists(a.db):
        os.remove(a.db)
    con = sqlite3.connect(a.db)
    con.execute(SCHEMA)
    files = set()
    count = 0

    def rows():
        nonlocal count
        for rel, n, text in corpus_passages(a.paths):
            files.add(rel)
            count += 1
            yield rel, n, text

    with con:  # one transaction
        con.executemany('INSERT INTO passages(path, n, body) VALUES (?, ?, ?)', rows())
    con.close()
    print(json.dumps({'files': len(files), 'passages': count}))


if __name__ == '__main__':
    main()
