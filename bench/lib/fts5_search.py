#!/usr/bin/env python3
"""Peer: SQLite FTS5 search with snippet(), top N (used in-process by inproc.py).

The whole-process benchmark runs the same SQL through the sqlite3 shell instead (see SQL and
sql_for()), since that is how a shell user would query an FTS5 table.

    fts5_search.py --db FILE [-n 10] QUERY
"""
import argparse
import sqlite3

SQL = ("SELECT path, n, snippet(passages, 2, '[', ']', '...', 16) FROM passages "
       "WHERE passages MATCH {q} ORDER BY rank LIMIT {n}")


def sql_for(query, n=10):
    """The SQL text for the sqlite3 shell, with the query as a quoted SQL literal."""
    return SQL.format(q="'" + query.replace("'", "''") + "'", n=int(n)) + ';'


class Searcher:
    def __init__(self, db):
        self.con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
        self.sql = SQL.format(q='?', n='?')

    def search(self, query, n=10):
        return self.con.execute(self.sql, (query, n)).fetchall()


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
