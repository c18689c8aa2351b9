#!/usr/bin/env python3
"""Peer: a plain python3-xapian passage indexer.

One Xapian document per passage: TermGenerator with the English stemmer and STEM_SOME (with
positions, Xapian's usual default), the passage text as document data, the file path in value 0,
the passage number in value 1 and one unique id term.

    xapian_index.py --db DIR PATH...

Prints one JSON line with the number of files and passages indexed.
"""
import argparse
import json
import os
import sys

import xapian

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from passages import corpus_passages  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--db', required=True)
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    db = xapian.WritableDatabase(a.db, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem('english'))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    files = set()
    count = 0
    for rel, n, text in corpus_passages(a.paths):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(text)
        doc.set_data(text)
        doc.add_value(0, rel)
        doc.add_value(1, str(n))
        doc.add_boolean_term('Q%s#%d' % (rel, n))
        db.add_document(doc)
        files.add(rel)
        count += 1
    db.commit()
    db.close()
    print(json.dumps({'files': len(files), 'passages': count}))


if __name__ == '__main__':
    main()
