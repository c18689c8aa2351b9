#!/usr/bin/env python3
"""Generate the labelled pairs of passages for measuring near-copy folding.

    bench/copies/make_pairs.py [--repo DIR] > bench/copies/generated.tsv

Deterministic (a fixed seed, sorted inputs). Units are the paragraphs of
corpus/*.txt and three-sentence windows of tests/data/sotu/*.txt (what lede
cuts them into). Each pair is (original, edited) with a label:

copies (label 1), a reprint of the same passage by another outlet:
  quotes      curly quotes and apostrophes made straight (or the reverse)
  dateline    a wire dateline put before the passage ("KYIV, Feb 4 (Reuters) - ")
  outlet      outlet names swapped (Reuters -> The Associated Press, ...) and a credit line
  first_line  the first sentence rewritten (passages of three or more sentences, or of two
              when the second holds 60 % of the words)
  drop        one sentence dropped (passages of three or more sentences)
  drop_short  one sentence dropped from a two-sentence passage (half of it kept)
  combo       quotes + dateline + one sentence dropped
  identical   the same text (a byte-identical reprint)
not copies (label 0):
  shared_quote  a passage of another article with a quote of this one worked in
  shared_phrase a passage of another article with ten words of this one worked in
  quote_only    the quote alone with an attribution ("..., he said.")
  topic         a paragraph of another article on the same story (the most similar ones)
  credit        credit lines of different people ("(Reporting by ...; Editing by ...)")
  first_whole   a one- or two-sentence passage whose first sentence is rewritten
                where that was most of it: what is left says something else
Columns: id, label, kind, how, text_a, text_b (\\n, \\t, \\\\ escaped).
"""
import argparse
import os
import random
import re
import sys

SENT = re.compile(r'(?<=[.!?])([”"’\']?)\s+(?=[“"A-Z0-9(])')

DATELINES = ['KYIV, Feb 4 (Reuters) - ', 'MOSCOW (AP) — ', 'WASHINGTON, Feb. 5 (UPI) -- ',
             'ABU DHABI, United Arab Emirates (AP) — ', 'LONDON, Feb 4 (Reuters) - ']
OUTLETS = [('Reuters', 'The Associated Press'), ('the Financial Times', 'the FT'),
           ('The New York Times', 'the Times'), ('CNN', 'CBS News'), ('the BBC', 'Sky News')]
CREDITS = ['(Reporting by Tom Balmforth; Editing by Alex Richardson)',
           '(Reporting by Mark Trevelyan; Editing by Peter Graff)',
           '(Reporting by Dmitry Antonov in Moscow; Editing by Andrew Osborn)',
           '(Writing by Lidia Kelly; Editing by Gerry Doyle)']
REWRITES = ['Negotiators met again on Wednesday.', 'Officials from both sides spoke to reporters late on Tuesday.',
            'The talks resumed after a short break, officials said.', 'Here is what we know so far.']
NAMES = ['a senior official said', 'one diplomat told reporters', 'an aide added',
         'the spokesman said on Tuesday']


def sentences(text):
    parts = SENT.split(text)
    out, cur = [], ''
    for i, p in enumerate(parts):
        if i % 2 == 0:
            cur += p
        else:
            out.append(cur + p)
            cur = ''
    if cur.strip():
        out.append(cur)
    return [s.strip() for s in out if s.strip()]


def units(repo):
    out = []  # (article, unit text)
    cdir = os.path.join(repo, 'corpus')
    for f in sorted(os.listdir(cdir)):
        with open(os.path.join(cdir, f), encoding='utf-8') as fh:
            for line in fh:
                line = line.strip()
                if len(line.split()) >= 8:
                    out.append((f, line))
    sdir = os.path.join(repo, 'tests', 'data', 'sotu')
    for f in sorted(os.listdir(sdir)):
        with open(os.path.join(sdir, f), encoding='utf-8') as fh:
            ss = sentences(fh.read().replace('\n', ' '))
        for i in range(0, len(ss) - 2, 3):
            out.append((f, ' '.join(ss[i:i + 3])))
    return out


def sample_sotu(us, rnd, n=150):
    news = [u for u in us if re.match(r'\d{3}_', u[0])]
    sotu = [u for u in us if not re.match(r'\d{3}_', u[0])]
    return news + sorted(rnd.sample(sotu, min(n, len(sotu))), key=sotu.index)


def straighten(t):
    return t.replace('“', '"').replace('”', '"').replace('’', "'").replace('‘', "'")


def curl(t):
    t = re.sub(r'"(?=\w)', '“', t)
    t = t.replace('"', '”')
    return re.sub(r"(?<=\w)'", '’', t)


def quotes_of(t):
    return [q for q in re.findall(r'[“"]([^”"]+)[”"]', t) if len(q.split()) >= 5]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--repo', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
    a = ap.parse_args()
    rnd = random.Random(16)
    us = sample_sotu(units(a.repo), rnd)
    pairs = []

    def add(label, kind, x, y):
        pairs.append((label, kind, x, y))

    for art, t in us:
        ss = sentences(t)
        q = '“' in t or '"' in t or '’' in t or "'" in t
        if q:
            add(1, 'quotes', t, straighten(t) if ('“' in t or '’' in t) else curl(t))
        add(1, 'dateline', t, rnd.choice(DATELINES) + t)
        swapped = t
        for x, y in OUTLETS:
            swapped = swapped.replace(x, y)
        if swapped != t:
            add(1, 'outlet', t, swapped)
        if len(ss) >= 3:
            add(1, 'first_line', t, ' '.join([rnd.choice(REWRITES)] + ss[1:]))
            k = rnd.randrange(len(ss))
            add(1, 'drop', t, ' '.join(ss[:k] + ss[k + 1:]))
            k = rnd.randrange(1, len(ss))
            add(1, 'combo', t, rnd.choice(DATELINES) + straighten(' '.join(ss[:k] + ss[k + 1:])))
        elif len(ss) == 2:
            k = rnd.randrange(2)
            add(1, 'drop_short', t, ss[1 - k])
            # The first line rewritten: the same passage when most of it is kept.
            kept = len(ss[1].split()) >= 0.6 * len(t.split())
            add(1 if kept else 0, 'first_line' if kept else 'first_whole', t, ' '.join([rnd.choice(REWRITES)] + ss[1:]))
        else:
            add(0, 'first_whole', t, rnd.choice(REWRITES))
        if rnd.random() < 0.15:
            add(1, 'identical', t, t)
        ws = t.split()
        if len(ws) >= 20:
            # A line repeated in another passage (a speaker's stock phrase, unquoted).
            k = rnd.randrange(len(ws) - 10)
            o = rnd.choice([u for u in us if u[0] != art])[1]
            add(0, 'shared_phrase', t, ' '.join(sentences(o)[:2]) + ' As was said before, ' + ' '.join(ws[k:k + 10]).strip(' ,.') + '.')
        for quote in quotes_of(t):
            others = [u for u in us if u[0] != art and len(sentences(u[1])) >= 2]
            o = rnd.choice(others)[1]
            os_ = sentences(o)
            add(0, 'shared_quote', t, ' '.join(os_[:2]) + ' “' + quote.strip(' ,.') + ',” ' + rnd.choice(NAMES) + '.')
            add(0, 'quote_only', t, '“' + quote.strip(' ,.') + ',” ' + rnd.choice(NAMES) + '.')
    for i, c in enumerate(CREDITS):
        for d in CREDITS[i + 1:]:
            add(0, 'credit', c, d)
        add(1, 'identical', c, c)
    # Same story, other article: the most word-similar paragraph of another corpus article.
    news = [(art, t) for art, t in us if re.match(r'\d{3}_', art)]

    def words(t):
        return set(re.findall(r'\w+', t.lower()))
    for art, t in news:
        best = max((u for u in news if u[0] != art), key=lambda u: len(words(u[1]) & words(t)) / len(words(u[1]) | words(t)))
        add(0, 'topic', t, best[1])
    w = sys.stdout
    w.write('id\tlabel\tkind\thow\ttext_a\ttext_b\n')

    def esc(s):
        return s.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n')
    for i, (label, kind, x, y) in enumerate(pairs):
        w.write('g%04d\t%d\t%s\tgenerated\t%s\t%s\n' % (i + 1, label, kind, esc(x), esc(y)))


if __name__ == '__main__':
    main()
