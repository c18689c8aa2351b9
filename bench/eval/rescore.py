#!/usr/bin/env python3
"""Re-score lede's rerank candidates offline, for a grid of feature weights.

lede's rerank (query/rank.cpp) scores each of the top 40 BM25 candidates as

    bm25/best + cov*coverage + prox*proximity*coverage + art*article + form*form

and `lede search --explain` prints every feature. This script asks lede once
per query for its 40 candidates with their features (--explain, -n 40,
--per-article 0), then re-sorts them for any weights without running lede
again: per-article cap 3, top 10, nDCG@10 on the topics (matching rule and
ideal of ../shared/eval/topics/ndcg.py) and MRR@10 on known-item sets (the
target rule of ../shared/eval/score.py). It measures what re-weighting the
existing features can reach; a new feature needs lede itself. The features
are read as --explain prints them (two decimals): the default weights give
lede's own figures within 0.001 for the queries lede does not expand (the
candidates are those of --no-expand: feedback, by default for a query no
candidate holds whole, runs a second match this script cannot replay).

With --subject N the weights apply only to the queries that at least N
candidates hold whole (coverage 1: a subject many passages name, not a
remembered sentence); the others keep the default weights (sixth round).

The first stage enters as fw*bm25/best (fw default 1) and, with fr (default
0), by its rank r among the candidates as fr*(fk+1)/(fk+r): fw=0,fr=1 is
BM25 by its rank alone, the features as scores (LEDE_RANK's keys alike).
With --rrf K the order is the reciprocal-rank fusion fw/(K+r) + 1/(K+r')
of the BM25 order r and the rerank's r' (--rrf-of features: the order of
the features alone, ties by BM25). Eighth round.

  rescore.py --lede build/lede --db IDX [--known-items TSV ...] [--qrels F]
             [--weights cov=0.8,prox=0.3,form=0.5,art=0.05,fw=1,fr=0,fk=60] [--grid]
             [--subject N] [--rrf K [--rrf-of features]]

docs/RELEVANCE.md ("Second round") reports its grid.
"""
import argparse
import concurrent.futures as cf
import itertools
import json
import math
import os
import re
import subprocess
import sys

EVAL = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'eval'))
FEATURES = re.compile(
    r'bm25 ([\d.]+) \(weight [\d.]+ / best [\d.]+, rank (\d+)\) \+ coverage [\d.]+ \([\d.]+\*([\d.]+)\)'
    r' \+ proximity [\d.]+ \([\d.]+\*([\d.]+)\*[\d.]+\) \+ article [\d.]+ \([\d.]+\*([\d.]+)\)'
    r' \+ form [\d.]+ \([\d.]+\*([\d.]+)\)')


def candidates(lede, db, query):
    p = subprocess.run([lede, 'search', '--db', db, '--json', '--explain', '--no-expand', '-n', '40',
                        '--per-article', '0', '--', query], capture_output=True, text=True)
    if not p.stdout.strip():
        return []
    out = []
    for r in json.loads(p.stdout)['results']:
        m = FEATURES.search(r.get('explain', ''))
        if not m:
            continue  # beyond the rerank depth
        bm, rank, cov, prox, art, form = map(float, m.groups())
        out.append({'path': os.path.basename(r['path']), 'start': r['start'], 'end': r['end'], 'text': r['text'],
                    'bm25': bm, 'rank': rank, 'cov': cov, 'prox': prox, 'art': art, 'form': form})
    return out


def load(args):
    sys.path.insert(0, args.eval)
    from score import read_tsv, Target  # noqa: E402
    qrels = {}
    for r in read_tsv(args.qrels):
        qrels.setdefault(r['topic_id'], []).append((r['file'], int(r['start']), int(r['end']), int(r['grade'])))
    jobs = [('topics', t['id'], t['query'], None) for t in read_tsv(os.path.join(args.eval, 'topics', 'topics.dev.tsv'))]
    for f in args.known_items:
        jobs += [(os.path.basename(f), it['id'], it['query'], it) for it in read_tsv(f)]
    sotu = os.path.normpath(os.path.join(args.eval, '..', 'data', 'sotu'))

    def one(job):
        kind, qid, query, item = job
        rows = candidates(args.lede, args.db, query)
        target = Target(sotu, item['target_file'], item['target_sentence']) if item else None
        for r in rows:
            if target:
                r['hit'] = target.hit(r)
            else:
                r['judged'] = [(k, g) for k, (f, s, e, g) in enumerate(qrels.get(qid, []))
                               if f == r['path'] and min(r['end'], e) - max(r['start'], s) >= 0.5 * min(r['end'] - r['start'], e - s)]
            del r['text']
        return kind, qid, rows
    with cf.ThreadPoolExecutor(2) as ex:
        data = list(ex.map(one, jobs))
    ideal = {t: sum(g / math.log2(i + 2) for i, g in enumerate(sorted((x[3] for x in l), reverse=True)[:10]))
             for t, l in qrels.items()}
    return data, ideal


DEFAULT = {'cov': 0.8, 'prox': 0.3, 'form': 0.5, 'art': 0.05}


def scores(rows, q, rrf=None, rrf_of='rerank'):
    fw, fr, fk = q.get('fw', 1.0), q.get('fr', 0.0), q.get('fk', 60.0)
    feat = [q['cov'] * r['cov'] + q['prox'] * r['prox'] * r['cov'] + q['art'] * r['art'] + q['form'] * r['form']
            for r in rows]
    if rrf is not None:  # fw weighs the BM25 order's term only
        score = feat if rrf_of == 'features' else [r['bm25'] + f for r, f in zip(rows, feat)]
        order = sorted(range(len(rows)), key=lambda i: (-score[i], rows[i]['rank']))
        mine = {i: n + 1 for n, i in enumerate(order)}
        return [fw / (rrf + r['rank']) + 1.0 / (rrf + mine[i]) for i, r in enumerate(rows)]
    return [fw * r['bm25'] + fr * (fk + 1) / (fk + r['rank']) + f for r, f in zip(rows, feat)]


def evaluate(data, ideal, w, subject=0, rrf=None, rrf_of='rerank'):
    sets = {}
    for kind, qid, rows in data:
        q = w if subject == 0 or sum(1 for r in rows if r['cov'] >= 1.0) >= subject else DEFAULT
        score = scores(rows, q, rrf, rrf_of)
        per, top = {}, []
        for i in sorted(range(len(rows)), key=lambda i: (-score[i], i)):
            per[rows[i]['path']] = per.get(rows[i]['path'], 0) + 1
            if per[rows[i]['path']] <= 3:
                top.append(rows[i])
            if len(top) == 10:
                break
        if kind == 'topics':
            used, dcg = set(), 0.0
            for rank, r in enumerate(top):
                g = max([g for k, g in r['judged'] if k not in used], default=0)
                used.update(k for k, _ in r['judged'])
                dcg += g / math.log2(rank + 2)
            v = dcg / ideal[qid] if ideal.get(qid) else 0.0
        else:
            v = next((1.0 / (rank + 1) for rank, r in enumerate(top) if r['hit']), 0.0)
        sets.setdefault(kind, []).append(v)
    return {k: sum(v) / len(v) for k, v in sets.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--lede', required=True)
    ap.add_argument('--db', required=True)
    ap.add_argument('--eval', default=EVAL, help='the ../shared/eval directory')
    ap.add_argument('--qrels', help='topic judgments (default: the pooled qrels.dev.tsv)')
    ap.add_argument('--known-items', nargs='*', default=[])
    ap.add_argument('--weights', default='cov=0.8,prox=0.3,form=0.5,art=0.05')
    ap.add_argument('--grid', action='store_true', help='also the grid of docs/RELEVANCE.md, best 10 first')
    ap.add_argument('--subject', type=int, default=0,
                    help='the weights only for queries at least N candidates hold whole (others: defaults)')
    ap.add_argument('--rrf', type=float, help='reciprocal-rank fusion of the BM25 and the rerank orders')
    ap.add_argument('--rrf-of', choices=['rerank', 'features'], default='rerank',
                    help="--rrf's second order: the rerank's score or the features alone")
    args = ap.parse_args()
    args.qrels = args.qrels or os.path.join(args.eval, 'topics', 'qrels.dev.tsv')
    data, ideal = load(args)
    w = dict((k, float(v)) for k, v in (kv.split('=') for kv in args.weights.split(',')))
    show = lambda w, o: print(' '.join('%s=%g' % kv for kv in sorted(w.items())), '|',
                              ' '.join('%s %.4f' % kv for kv in sorted(o.items())))
    show(w, evaluate(data, ideal, w, args.subject, args.rrf, args.rrf_of))
    if args.grid:
        rows = []
        for cov, prox, form, art in itertools.product([0.4, 0.8, 2, 10], [0, 0.1, 0.2, 0.3, 0.5],
                                                      [0, 0.1, 0.2, 0.3, 0.5, 0.8], [0, 0.05, 0.2]):
            g = {'cov': cov, 'prox': prox, 'form': form, 'art': art}
            rows.append((g, evaluate(data, ideal, g, args.subject, args.rrf, args.rrf_of)))
        rows.sort(key=lambda x: -x[1]['topics'])
        for g, o in rows[:10]:
            show(g, o)


if __name__ == '__main__':
    main()
