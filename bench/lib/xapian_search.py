#!/usr/bin/env python3
"""Peer: a plain python3-xapian searcher: QueryParser + Enquire, top N, MSet.snippet.

    xapian_search.py --db DIR [-n 10] QUERY
"""
import argparse

import xapian


class Searcher:
    def __init__(self, db):
        self.db = xapian.Database(db)
        self.stem = xapian.Stem('english')
        self.qp = xapian.QueryParser()
        self.qp.set_stemmer(self.stem)
        self.qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        self.qp.set_database(self.db)
        self.enquire = xapian.Enquire(self.db)

    def search(self, query, n=10):
        self.enquire.set_query(self.qp.parse_query(query))
        mset = self.enquire.get_mset(0, n)
        out = []
        for m in mset:
            doc = m.document
            text = doc.get_data().decode('utf-8', 'replace')
            snip = mset.snippet(text, 200, self.stem,
                                xapian.MSet.SNIPPET_BACKGROUND_MODEL | xapian.MSet.SNIPPET_EXHAUSTIVE,
                                '[', ']', '...')
            if isinstance(snip, bytes):
                snip = snip.decode('utf-8', 'replace')
            out.append((doc.get_value(0).decode('utf-8', 'replace'),
                        doc.get_value(1).decode('utf-8', 'replace'), snip))
        return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--db', required=True)
    ap.add_argument('-n', type=int, default=10)
    ap.add_argument('query')
    a = ap.parse_args()
    for path, n, snip in Searcher(a.db).search(a.query, a.n):
        print(f'{path}#{n}\t{snip}')


if __name__ == '__main__':
    main()
