#!/usr/bin/env python3
"""Generate held-out known-item queries over a SOTU folder, in the format of
../shared/eval/sotu_known_items.dev.tsv, to check that ranking changes tuned on
the development set generalise (docs/RELEVANCE.md).

Each query targets one sentence that occurs once in its file. Kinds:
  kw      3-4 of the sentence's rarer content words, as written
  morph   the same, with word forms changed (plural/singular, -ing/-ed stripped)
  phrase  two adjacent content words in quotes plus one or two other words
  name    capitalized words of the sentence (not sentence-initial) plus one word
Usage: make_queries.py SOTU_DIR [--n 200] [--seed 7] > heldout.tsv
"""
import argparse, collections, os, random, re

STOP = set("""a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up upon very was we were what when where which while who whom why will with
would you your yours yourself yourselves shall may must us its it's every made make great year years
government united states congress people country nation""".split())

SENT = re.compile(r'(?<=[.!?])\s+(?=[A-Z"])')
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")


def morph(w):
    lw = w.lower()
    if lw.endswith('ies') and len(lw) > 5:
        return w[:-3] + 'y'
    if lw.endswith('ing') and len(lw) > 6:
        return w[:-3] + 'e' if lw[-4] not in 'aeiou' and lw[-5] in 'aeiou' else w[:-3]
    if lw.endswith('ed') and len(lw) > 5:
        return w[:-1] if lw[-3] in 'aeiou' else w[:-2]
    if lw.endswith('s') and not lw.endswith('ss') and len(lw) > 4:
        return w[:-1]
    return w + 's'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('sotu_dir')
    ap.add_argument('--n', type=int, default=200)
    ap.add_argument('--seed', type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    files = sorted(f for f in os.listdir(a.sotu_dir) if f.endswith('.txt'))
    texts = {f: open(os.path.join(a.sotu_dir, f), encoding='utf-8', errors='replace').read() for f in files}
    df = collections.Counter()
    for t in texts.values():
        df.update(set(w.lower() for w in WORD.findall(t)))
    kinds = ['kw', 'morph', 'phrase', 'name']
    out = []
    tries = 0
    while len(out) < a.n and tries < a.n * 50:
        tries += 1
        f = rnd.choice(files)
        sents = [s.strip() for s in SENT.split(texts[f]) if 80 <= len(s.strip()) <= 300]
        if not sents:
            continue
        s = rnd.choice(sents)
        if texts[f].count(s) != 1 or '\t' in s:
            continue
        words = WORD.findall(s)
        content = [w for w in words if w.lower() not in STOP and len(w) >= 4]
        if len(content) < 4:
            continue
        kind = kinds[len(out) % len(kinds)]
        rare = sorted(set(content), key=lambda w: (df[w.lower()], w))
        if kind in ('kw', 'morph'):
            pick = rare[:rnd.choice([3, 4])]
            rnd.shuffle(pick)
            if kind == 'morph':
                pick = [morph(w) if i % 2 == 0 else w for i, w in enumerate(pick)]
            q = ' '.join(w.lower() if w.lower() == w or kind == 'morph' else w for w in pick)
        elif kind == 'phrase':
            pairs = [(words[i], words[i + 1]) for i in range(len(words) - 1)
                     if words[i].lower() not in STOP and words[i + 1].lower() not in STOP
                     and f'{words[i]} {words[i + 1]}' in s]
            if not pairs:
                continue
            p = rnd.choice(pairs)
            others = [w for w in rare if w not in p][:rnd.choice([1, 2])]
            q = f'"{p[0]} {p[1]}" ' + ' '.join(others)
        else:
            caps = [w for w in words[1:] if w[0].isupper() and w.lower() not in STOP]
            caps = sorted(set(caps), key=lambda w: df[w.lower()])[:2]
            if not caps:
                continue
            q = ' '.join(caps + [w for w in rare if w not in caps][:1])
        out.append((f'gen-{len(out) + 1:03d}', q, f, s, kind))
    print('id\tquery\ttarget_file\ttarget_sentence\tkind')
    for row in out:
        print('\t'.join(row))


if __name__ == '__main__':
    main()
