#!/usr/bin/env python3
"""Precision and recall of near-copy folding on the labelled pairs.

    bench/copies/measure.py [--bin build/lede-bench-copies] [-- RULE OPTIONS...]

Pairs: the generated reprints (make_pairs.py, labelled by how they were made,
a sample checked by hand: labels.tsv rows whose id starts with g) and the mail
pairs labelled by hand (labels.tsv rows whose id starts with m). A hand label
overrides the generated one. The rule is lede's own (query/copies.hpp, through
lede-bench-copies); options after -- change its thresholds for a sweep.
"""
import argparse
import collections
import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
csv.field_size_limit(1 << 30)


def read_tsv(path):
    with open(path, encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--bin', default=os.path.join(HERE, '..', '..', 'build', 'lede-bench-copies'))
    ap.add_argument('rule', nargs='*')
    a = ap.parse_args()
    gen = subprocess.run([sys.executable, os.path.join(HERE, 'make_pairs.py')], check=True,
                         capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        gpath = os.path.join(tmp, 'generated.tsv')
        with open(gpath, 'w', encoding='utf-8') as f:
            f.write(gen)
        pairs = {r['id']: r for r in read_tsv(gpath)}
        hand = read_tsv(os.path.join(HERE, 'labels.tsv'))
        changed = []
        for h in hand:
            if h['id'] in pairs:
                if h['label'] != pairs[h['id']]['label']:
                    changed.append(h['id'])
                pairs[h['id']]['label'] = h['label']
                pairs[h['id']]['how'] = 'generated, checked by hand'
            else:
                pairs[h['id']] = h
        apath = os.path.join(tmp, 'all.tsv')
        with open(apath, 'w', encoding='utf-8') as f:
            f.write('id\tlabel\tkind\thow\ttext_a\ttext_b\n')
            for r in pairs.values():
                f.write('\t'.join([r['id'], r['label'], r['kind'], r['how'], r['text_a'], r['text_b']]) + '\n')
        out = subprocess.run([a.bin, 'pairs', apath] + a.rule, check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(out.splitlines(), delimiter='\t'))
    groups = collections.defaultdict(lambda: [0, 0, 0, 0])  # tp fp fn tn
    for r in rows:
        src = 'mail' if r['id'].startswith('m') else 'generated'
        label, pred = r['label'] == '1', r['copies'] == '1'
        cell = 0 if label and pred else 1 if pred else 2 if label else 3
        for key in [('all', ''), (src, ''), (src, r['label'] + ' ' + r['kind'])]:
            groups[key][cell] += 1
    print('| set | kind | pairs | copies | folded right | false merges | missed | precision | recall |')
    print('|---|---|---:|---:|---:|---:|---:|---:|---:|')
    for key in sorted(groups, key=lambda k: (k[0] != 'all', k[0], k[1])):
        tp, fp, fn, tn = groups[key]
        prec = '%.3f' % (tp / (tp + fp)) if tp + fp else '–'
        rec = '%.3f' % (tp / (tp + fn)) if tp + fn else '–'
        print('| %s | %s | %d | %d | %d | %d | %d | %s | %s |' % (key[0], key[1] or 'all', tp + fp + fn + tn,
                                                              tp + fn, tp, fp, fn, prec, rec))
    print('\nhand labels that overrode the generated one: %s' % (', '.join(changed) or 'none'))
    fps = [r['id'] for r in rows if r['label'] == '0' and r['copies'] == '1']
    print('false merges: %s' % (', '.join(fps) or 'none'))


if __name__ == '__main__':
    main()
