#!/usr/bin/env python3
"""Executable documentation: run every command example in README.md, docs/*.md
and the man page's EXAMPLES, and compare what it prints with what the page
shows (cram's idea, over the fences the pages already have).

The pages run in one sandbox folder holding a copy of corpus/, in the order a
reader meets them (README.md, docs/QUERY.md, the other docs, the man page),
through one bash session, so that files an earlier block made carry over (the
demo folder of docs/QUERY.md serves docs/output-format.md); each page starts in
the sandbox's work folder, where corpus/ is and where `lede index corpus/` has
been run into the default index by the README's first example. Every page
runs; naming FILEs only limits which pages are reported.
stderr is merged into stdout as a terminal shows them; NO_COLOR is set, HOME
is private (shown as ~), LEDE_DB unset and `lede` first on PATH. Paths under
/tmp/ in a page are mapped into the sandbox and back.

  ```console      `$ CMD` lines run; the lines up to the next `$ ` are the
                  expected output. In expected output, a line `...` matches
                  any number of lines and `[...]` inside a line matches any
                  text (timings, sizes, dates).
  ```sh           every line runs as one script; every command in it must
                  succeed; its output is not compared (examples without
                  shown output).
  man page        .nf/.fi blocks in EXAMPLES run like ```sh.

A block the runner cannot run is marked on the line before its fence with
`<!-- docs-test: skip: REASON -->` (in the man page `.\\" docs-test: skip:
REASON` before `.RS`); the runner lists every skipped block with its reason.
Other fences (```text, ```json, ```cpp, ...) are not commands and not run.

Usage: docs_test.py --lede PATH/TO/lede --repo REPO [FILE...]
Exit 0 when every example matches; 1 with a diff for each that does not.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP_RE = re.compile(r'docs-test:\s*skip:\s*(.+?)\s*(-->)?\s*$')
MARK = '__LEDE_DOCS_TEST_END__'
ERR = '__LEDE_DOCS_TEST_FAILED__'


class Block:
    def __init__(self, path, line, kind, lines, skip=None):
        self.path, self.line, self.kind, self.lines, self.skip = path, line, kind, lines, skip

    def where(self):
        return f'{self.path}:{self.line}'


def markdown_blocks(path, rel):
    blocks = []
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        m = re.match(r'^```(\w*)\s*$', lines[i])
        if not m:
            i += 1
            continue
        kind = m.group(1)
        start = i
        j = i + 1
        while j < len(lines) and not lines[j].startswith('```'):
            j += 1
        skip = None
        if start > 0:
            s = SKIP_RE.search(lines[start - 1])
            if s:
                skip = s.group(1)
        if kind in ('console', 'sh'):
            blocks.append(Block(rel, start + 1, kind, lines[start + 1:j], skip))
        i = j + 1
    return blocks


def roff_text(line):
    """The shell text of one roff line of an example (.nf block)."""
    out = line.replace('\\-', '-').replace("\\(aq", "'").replace('\\(dq', '"').replace('\\e', '\\')
    return out


def man_blocks(path, rel):
    blocks = []
    lines = open(path, encoding='utf-8').read().split('\n')
    in_examples = False
    skip = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith('.SH'):
            in_examples = line.strip() == '.SH EXAMPLES'
        elif in_examples:
            s = SKIP_RE.search(line)
            if line.startswith('.\\"') and s:
                skip = s.group(1)
            elif line.startswith('.nf'):
                j = i + 1
                while j < len(lines) and not lines[j].startswith('.fi'):
                    j += 1
                blocks.append(Block(rel, i + 1, 'sh', [roff_text(l) for l in lines[i + 1:j]], skip))
                skip = None
                i = j
        i += 1
    return blocks


class Shell:
    """One bash session in a sandbox; run() returns (output, status)."""

    def __init__(self, sandbox, lede):
        self.sandbox = sandbox
        env = {
            'PATH': os.path.dirname(os.path.abspath(lede)) + os.pathsep + os.environ.get('PATH', '/usr/bin:/bin'),
            'HOME': os.path.join(sandbox, 'home'),
            'NO_COLOR': '1',
            'TERM': 'dumb',
            'LC_ALL': 'C.UTF-8',
            'TMPDIR': os.path.join(sandbox, 'tmp'),
            'TZ': 'UTC',
        }
        for d in ('home', 'tmp'):
            os.makedirs(os.path.join(sandbox, d), exist_ok=True)
        self.proc = subprocess.Popen(['bash', '--norc', '--noprofile'], cwd=os.path.join(sandbox, 'work'),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env=env)

    def to_sandbox(self, text):
        return re.sub(r'(?<![\w./-])/tmp/', os.path.join(self.sandbox, 'tmp') + '/', text)

    def from_sandbox(self, text):
        text = text.replace(os.path.join(self.sandbox, 'tmp') + '/', '/tmp/')
        text = text.replace(os.path.join(self.sandbox, 'home'), '~')
        return text.replace(os.path.join(self.sandbox, 'work'), '.')

    def run(self, script, raw=False):
        payload = (script if raw else self.to_sandbox(script)) + f"\nprintf '\\n{MARK} %d\\n' $?\n"
        self.proc.stdin.write(payload.encode('utf-8'))
        self.proc.stdin.flush()
        out = b''
        while True:
            line = self.proc.stdout.readline()
            if not line:
                return self.from_sandbox(out.decode('utf-8', 'replace')), -1
            if line.startswith(MARK.encode()):
                status = int(line.split()[1])
                text = out.decode('utf-8', 'replace')
                if text.endswith('\n'):
                    text = text[:-1]  # the newline printf put before the mark
                return self.from_sandbox(text), status
            out += line

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def line_matches(pattern, actual):
    if '[...]' not in pattern:
        return pattern == actual
    parts = [re.escape(p) for p in pattern.split('[...]')]
    return re.fullmatch('.*'.join(parts), actual, re.S) is not None


def output_matches(expected, actual):
    """expected, actual: lists of lines. `...` matches any run of lines."""
    def go(i, j):
        while i < len(expected):
            if expected[i] == '...':
                return any(go(i + 1, k) for k in range(j, len(actual) + 1))
            if j >= len(actual) or not line_matches(expected[i], actual[j]):
                return False
            i += 1
            j += 1
        return j == len(actual)
    return go(0, 0)


def console_commands(block):
    """[(command, [expected lines])] of a console block."""
    cmds = []
    for line in block.lines:
        if line.startswith('$ '):
            cmds.append((line[2:], []))
        elif cmds:
            cmds[-1][1].append(line)
    for _, exp in cmds:
        while exp and exp[-1] == '':
            exp.pop()
    return cmds


def run_page(shell, blocks, failures, skipped):
    counted = 0
    shell.run('cd "$LEDE_DOCS_WORK"', raw=True)
    for b in blocks:
        if b.skip:
            skipped.append((b.where(), b.skip))
            continue
        if b.kind == 'sh':
            # Every command of the block must succeed, not only the last.
            counted += 1
            out, status = shell.run(f"trap 'echo \"{ERR} $BASH_COMMAND: exit $?\"' ERR\n" + '\n'.join(b.lines)
                                    + '\ntrap - ERR')
            if status != 0 or ERR in out:
                failures.append(f'{b.where()}: a command of the block failed:\n{out}')
            continue
        for cmd, expected in console_commands(b):
            counted += 1
            out, _ = shell.run(cmd)
            actual = out.split('\n') if out else []
            while actual and actual[-1] == '':
                actual.pop()
            if not output_matches(expected, actual):
                diff = '\n'.join(difflib.unified_diff(expected, actual, 'documented', 'printed', lineterm=''))
                failures.append(f'{b.where()}: $ {cmd}\n{diff}')
    return counted


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--lede', required=True)
    ap.add_argument('--repo', required=True)
    ap.add_argument('files', nargs='*')
    a = ap.parse_args()
    repo = os.path.abspath(a.repo)
    first = ['README.md', 'docs/QUERY.md']
    pages = first + sorted('docs/' + f for f in os.listdir(os.path.join(repo, 'docs'))
                           if f.endswith('.md') and 'docs/' + f not in first) + ['docs/lede.1']
    pages += [f for f in a.files if f not in pages]
    failures, skipped = [], []
    counted = 0
    sandbox = tempfile.mkdtemp(prefix='lede-docs-')
    try:
        work = os.path.join(sandbox, 'work')
        os.makedirs(work)
        shutil.copytree(os.path.join(repo, 'corpus'), os.path.join(work, 'corpus'))
        shell = Shell(sandbox, a.lede)
        try:
            shell.run(f'export LEDE_DOCS_WORK={work}', raw=True)
            for rel in pages:
                path = os.path.join(repo, rel)
                blocks = man_blocks(path, rel) if rel.endswith('.1') else markdown_blocks(path, rel)
                page_failures, page_skipped = [], []
                n = run_page(shell, blocks, page_failures, page_skipped)
                if not a.files or rel in a.files:
                    counted += n
                    failures += page_failures
                    skipped += page_skipped
        finally:
            shell.close()
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)
    for where, why in skipped:
        print(f'skipped {where}: {why}')
    for f in failures:
        print(f'\nFAILED {f}')
    print(f'\ndocs examples: {counted} run, {counted - len(failures)} as documented, '
          f'{len(failures)} differ, {len(skipped)} blocks skipped')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
