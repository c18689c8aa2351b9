"""Passage splitting shared by the FTS5 and python3-xapian peers.

A passage is three naive sentences: the text is cut into paragraphs at blank lines, each
paragraph's whitespace is collapsed, sentences end at . ! or ? followed by a space, and every
three sentences make one passage. Text without sentence punctuation (mail headers, tables) is
cut at a word boundary every MAX_CHARS characters so that no passage grows without bound.

Files are read as bytes and decoded as UTF-8 with U+FFFD for invalid sequences: both peers
need valid text, so this is what a user of either would have to do too.
"""
import os
import re

PER_PASSAGE = 3
MAX_CHARS = 2000

_PARA = re.compile(r'\n[ \t\r\f\v]*\n')
_SENT = re.compile(r'(?<=[.!?]) ')


def iter_files(root):
    """Yield (relative path, absolute path) of every regular file under root, sorted."""
    root = os.path.abspath(root)
    if os.path.isfile(root):
        yield os.path.basename(root), root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
        for name in sorted(filenames):
            if name.startswith('.'):
                continue
            path = os.path.join(dirpath, name)
            if os.path.isfile(path):
                yield os.path.relpath(path, root), path


def read_text(path):
    with open(path, 'rb') as f:
        return f.read().decode('utf-8', errors='replace')


def _cut(p):
    while len(p) > MAX_CHARS:
        cut = p.rfind(' ', 0, MAX_CHARS)
        if cut <= 0:
            cut = MAX_CHARS
        yield p[:cut]
        p = p[cut:].lstrip()
    if p:
        yield p


def passages(text):
    """Yield the passages of one document."""
    for para in _PARA.split(text):
        para = ' '.join(para.split())
        if not para:
            continue
        sents = _SENT.split(para)
        for i in range(0, len(sents), PER_PASSAGE):
            yield from _cut(' '.join(sents[i:i + PER_PASSAGE]))


def corpus_passages(roots):
    """Yield (relpath, passage number, passage text) over every file under the roots."""
    for root in roots:
        for rel, path in iter_files(root):
            for n, p in enumerate(passages(read_text(path))):
                yield rel, n, p
