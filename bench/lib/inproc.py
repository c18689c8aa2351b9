#!/usr/bin/env python3
"""In-process latency of a peer through its library: every query of the mix, REPEAT times.

    inproc.py --engine fts5|xapian --db PATH --queries FILE [--repeat N] [-n 10]

One untimed pass warms the caches; then each search (query parsing, matching, top N and their
snippets) is timed on its own. Prints JSON: p50_ms, p99_ms, mean_ms, searches -- the same shape
lede-bench-search is expected to print.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def percentile(sorted_vals, p):
    """Nearest-rank percentile."""
    if not sorted_vals:
        return None
    k = max(0, min(len(sorted_vals) - 1, -(-len(sorted_vals) * p // 100) - 1))
    return sorted_vals[int(k)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--engine', choices=['fts5', 'xapian'], required=True)
    ap.add_argument('--db', required=True)
    ap.add_argument('--queries', required=True)
    ap.add_argument('--repeat', type=int, default=20)
    ap.add_argument('-n', type=int, default=10)
    a = ap.parse_args()
    with open(a.queries, encoding='utf-8') as f:
        queries = [q.strip() for q in f if q.strip()]
    if a.engine == 'fts5':
        from fts5_search import Searcher
    else:
        from xapian_search import Searcher
    s = Searcher(a.db)
    for q in queries:
        s.search(q, a.n)
    times = []
    for _ in range(a.repeat):
        for q in queries:
            t0 = time.perf_counter()
            s.search(q, a.n)
            times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    print(json.dumps({'p50_ms': percentile(times, 50), 'p99_ms': percentile(times, 99),
                      'mean_ms': sum(times) / len(times), 'searches': len(times),
                      'queries': len(queries), 'repeat': a.repeat}))


if __name__ == '__main__':
    main()
