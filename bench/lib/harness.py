#!/usr/bin/env python3
"""Run every benchmark of bench/ and write bench/results/latest.{json,md}.

Called by bench/run.sh, which installs the peers and builds the corpora first; see
bench/README.md. Standard library only (the peers' own scripts use python3-xapian).

    harness.py --work DIR --corpora tiny,sotu [--runs 15 --warmup 2 --repeat 20]
    harness.py --report-only            # rewrite latest.md from latest.json
"""
import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, 'results')  # --results overrides

sys.path.insert(0, HERE)
import fts5_search  # noqa: E402  (SQL shared with the in-process FTS5 searcher)

INDEXERS = ['lede', 'omindex', 'fts5', 'xapian-py']
CLI_ENGINES = ['lede', 'lede --json', 'rg -i', 'fts5 (sqlite3)', 'xapian-py', 'quest', 'omega']
INPROC_ENGINES = ['lede', 'fts5 (python sqlite3)', 'xapian-py']
CORPUS_NOTES = {
    'tiny': "the repository's corpus/ (news articles)",
    'sotu': 'State of the Union addresses 1790-2018',
    'large': 'sotu + SpamAssassin public mail corpus (raw messages)',
    'xl': 'large replicated 10x under distinct directory names: the same text ten times',
}
NA = 'n/a'


def log(msg):
    print('[bench] ' + msg, file=sys.stderr, flush=True)


def slug(name):
    return re.sub(r'[^A-Za-z0-9]+', '-', name).strip('-')


def du_sb(path):
    if not os.path.exists(path):
        return None
    out = subprocess.run(['du', '-sb', path], capture_output=True, text=True).stdout
    return int(out.split()[0]) if out else None


def timed(argv, prefix, env=None):
    """Run argv under /usr/bin/time; stdout/stderr go to PREFIX.out/.err.

    Returns dict(rc, wall_s, cpu_s, rss_kb). Wall time is measured here (monotonic clock)
    since time(1)'s %e has only 10 ms resolution; CPU seconds are time(1)'s user + system
    (%U + %S, every thread and child); peak RSS is time(1)'s %M.
    """
    tfile = prefix + '.time'
    with open(prefix + '.out', 'wb') as out, open(prefix + '.err', 'wb') as err:
        t0 = time.monotonic()
        p = subprocess.run(['/usr/bin/time', '-f', '%e %M %U %S', '-o', tfile] + argv,
                           stdout=out, stderr=err, env=env)
        wall = time.monotonic() - t0
    rss = cpu = None
    try:
        with open(tfile) as f:
            last = f.read().strip().splitlines()[-1].split()
        rss = int(last[1])
        cpu = float(last[2]) + float(last[3])
    except (OSError, IndexError, ValueError):
        pass
    return {'rc': p.returncode, 'wall_s': wall, 'cpu_s': cpu, 'rss_kb': rss}


def head(path, n=300):
    try:
        with open(path, 'rb') as f:
            return f.read(n).decode('utf-8', 'replace').strip()
    except OSError:
        return ''


def loadavg():
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def corpus_stats(root):
    files = size = bad = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith('.')]
        for name in filenames:
            if name.startswith('.'):
                continue
            with open(os.path.join(dirpath, name), 'rb') as f:
                data = f.read()  # also warms the page cache before indexing
            files += 1
            size += len(data)
            try:
                data.decode('utf-8')
            except UnicodeDecodeError:
                bad += 1
    return {'files': files, 'bytes': size, 'invalid_utf8': bad}


def xapian_doccount(py, path):
    code = 'import sys, xapian; print(xapian.Database(sys.argv[1]).get_doccount())'
    p = subprocess.run([py, '-c', code, path], capture_output=True, text=True)
    return int(p.stdout) if p.returncode == 0 and p.stdout.strip().isdigit() else None


def tool_version(argv):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        return ((p.stdout or p.stderr).strip().splitlines() or [''])[0]
    except (OSError, subprocess.TimeoutExpired):
        return None


def find_omega():
    for c in ('/usr/lib/cgi-bin/omega/omega', '/usr/lib/xapian-omega/bin/omega'):
        if os.access(c, os.X_OK):
            return c
    return shutil.which('omega')


class Lede:
    """What the lede binary in this checkout can do (subcommands are detected, not assumed)."""

    def __init__(self, path):
        self.path = path
        self.present = os.path.isfile(path) and os.access(path, os.X_OK)
        self.help = ''
        self.why = None if self.present else 'no binary at %s' % os.path.relpath(path, REPO)
        if self.present:
            self.top_help = self._out([path, '--help'])
            self.help = self.top_help + '\n' + self._out([path, 'help'])
        bench = os.environ.get('LEDE_BENCH') or os.path.join(os.path.dirname(path), 'lede-bench-search')
        self.bench = bench if os.path.isfile(bench) and os.access(bench, os.X_OK) else None
        self._has = {}

    @staticmethod
    def _out(argv):
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            return p.stdout + p.stderr
        except (OSError, subprocess.TimeoutExpired):
            return ''

    def has(self, sub):
        """Is SUB a subcommand? Listed in `lede --help` / `lede help` (an indented line starting
        with its name), or `lede SUB --help` succeeds with help of its own (some CLI parsers
        answer an unknown SUB --help with the top-level help and exit 0, so that alone is not
        proof)."""
        if not self.present:
            return False
        if sub not in self._has:
            found = re.search(r'(?m)^\s+(lede\s+)?%s\b' % re.escape(sub), self.help) is not None
            if not found:
                try:
                    p = subprocess.run([self.path, sub, '--help'], capture_output=True, text=True,
                                       timeout=10)
                    out = p.stdout + p.stderr
                    found = (p.returncode == 0 and out.strip() != self.top_help.strip()
                             and re.search(r'\b%s\b' % re.escape(sub), out) is not None)
                except (OSError, subprocess.TimeoutExpired):
                    found = False
            self._has[sub] = found
        return self._has[sub]

    def version(self):
        if not self.present:
            return None
        for argv in ([self.path, '--version'], [self.path, 'version']):
            try:
                p = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if p.returncode == 0 and p.stdout.strip():
                return p.stdout.strip().splitlines()[0]
        return None


class Bench:
    def __init__(self, a):
        self.a = a
        self.work = os.path.abspath(a.work)
        self.py = a.python or sys.executable
        self.queries_file = os.path.abspath(a.queries)
        with open(self.queries_file, encoding='utf-8') as f:
            self.queries = [q.strip() for q in f if q.strip()]
        self.lede = Lede(self.snapshot(os.path.abspath(a.lede), 'lede'))
        self.lede.origin = os.path.abspath(a.lede)
        self.omega = find_omega()
        self.results = {
            'meta': self.meta(),
            'corpora': {}, 'indexing': {}, 'search_cli': {}, 'search_inproc': {},
            'queries': self.queries,
        }

    def snapshot(self, path, name):
        """Copy the lede binaries into WORK/bin and run the copies: build/ may be rebuilt while
        a long run goes on, and an index built by one build may not open in the next."""
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return path
        bindir = os.path.join(self.work, 'bin')
        os.makedirs(bindir, exist_ok=True)
        dst = os.path.join(bindir, name)

        def copy(src, dst):  # copy, then rename: works even while an old copy is running
            shutil.copy2(src, dst + '.tmp')
            os.replace(dst + '.tmp', dst)
        copy(path, dst)
        bench = os.environ.get('LEDE_BENCH') or os.path.join(os.path.dirname(path), 'lede-bench-search')
        if os.path.isfile(bench) and os.access(bench, os.X_OK):
            copy(bench, os.path.join(bindir, 'lede-bench-search'))
            os.environ['LEDE_BENCH'] = os.path.join(bindir, 'lede-bench-search')
        else:
            try:
                os.remove(os.path.join(bindir, 'lede-bench-search'))
            except OSError:
                pass
        return dst

    # ------------------------------------------------------------------ metadata
    def meta(self):
        a = self.a
        cpu = ''
        try:
            with open('/proc/cpuinfo') as f:
                m = re.search(r'model name\s*:\s*(.*)', f.read())
                cpu = m.group(1) if m else ''
        except OSError:
            pass
        mem = ''
        try:
            with open('/proc/meminfo') as f:
                kb = int(re.search(r'MemTotal:\s*(\d+)', f.read()).group(1))
                mem = '%.0f GiB' % (kb / 1048576)
        except (OSError, AttributeError):
            pass
        distro = ''
        try:
            with open('/etc/os-release') as f:
                m = re.search(r'PRETTY_NAME="?([^"\n]*)', f.read())
                distro = m.group(1) if m else ''
        except OSError:
            pass
        commit = subprocess.run(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD'],
                                capture_output=True, text=True).stdout.strip() or None
        py = a.python or sys.executable
        return {
            'date': datetime.datetime.now().astimezone().isoformat(timespec='seconds'),
            'command': a.command or 'bench/run.sh',
            'mode': 'quick' if a.quick else 'full',
            'hyperfine': {'warmup': a.warmup, 'runs': a.runs},
            'inproc_repeat': a.repeat,
            'machine': {'cpu': cpu, 'cores': os.cpu_count(), 'memory': mem,
                        'kernel': platform.release(), 'os': distro},
            'repo_commit': commit,
            'loadavg_1min_start': loadavg(),
            'versions': {
                'lede': self.lede.version(),
                'omindex': tool_version(['omindex', '--version']),
                'quest': tool_version(['quest', '--version']),
                'python3-xapian': tool_version([py, '-c', 'import xapian; print(xapian.version_string())']),
                'sqlite3': tool_version(['sqlite3', '--version']),
                'ripgrep': tool_version(['rg', '--version']),
                'hyperfine': tool_version(['hyperfine', '--version']),
                'python3': tool_version([py, '--version']),
            },
            'lede': {'binary': os.path.relpath(self.lede.origin, REPO), 'present': self.lede.present,
                     'why': self.lede.why, 'mtime': self.lede_mtime(),
                     'bench_binary': 'lede-bench-search' if self.lede.bench else None},
        }

    def lede_mtime(self):
        try:
            st = os.stat(self.lede.origin)
        except OSError:
            return None
        return datetime.datetime.fromtimestamp(st.st_mtime).astimezone().isoformat(timespec='seconds')

    def save(self):
        os.makedirs(RESULTS, exist_ok=True)
        path = os.path.join(RESULTS, 'latest.json')
        # paths inside the repository are written relative to it: the results carry no machine paths
        text = json.dumps(self.results, indent=1, sort_keys=False).replace(REPO + '/', '')
        with open(path + '.tmp', 'w') as f:
            f.write(text + '\n')
        os.replace(path + '.tmp', path)
        write_markdown(json.loads(text))

    # ------------------------------------------------------------------ paths
    def corpus_dir(self, c):
        return os.path.join(self.work, 'corpora', c)

    def idx(self, c, engine):
        return os.path.join(self.work, 'idx', c, slug(engine))

    def fts5_db(self, c):
        return os.path.join(self.idx(c, 'fts5'), 'passages.db')

    def logdir(self, *parts):
        d = os.path.join(self.work, 'logs', *parts)
        os.makedirs(d, exist_ok=True)
        return d

    # ------------------------------------------------------------------ indexing
    def index_cmd(self, c, engine):
        src = self.corpus_dir(c)
        idx = self.idx(c, engine)
        if engine == 'lede':
            return [self.lede.path, 'index', '--db', idx, src]
        if engine == 'omindex':
            return ['omindex', '--db', idx, '--url', '/', '--overwrite', src]
        if engine == 'fts5':
            return [self.py, os.path.join(HERE, 'fts5_index.py'), '--db', self.fts5_db(c), src]
        if engine == 'xapian-py':
            return [self.py, os.path.join(HERE, 'xapian_index.py'), '--db', idx, src]
        raise ValueError(engine)

    def compact_cmds(self, c, engine, out):
        idx = self.idx(c, engine)
        if engine == 'lede':
            return [[self.lede.path, 'compact', '--db', idx, out]]
        if engine in ('omindex', 'xapian-py'):
            return [['xapian-compact', idx, out]]
        if engine == 'fts5':
            dst = os.path.join(out, 'passages.db')
            return [['mkdir', '-p', out], ['cp', self.fts5_db(c), dst],
                    ['sqlite3', dst, "INSERT INTO passages(passages) VALUES('optimize'); VACUUM;"]]
        raise ValueError(engine)

    def index_one(self, c, engine, nbytes):
        r = {'status': 'ok'}
        if engine == 'lede' and not self.lede.present:
            return {'status': NA, 'why': self.lede.why}
        if engine == 'lede' and not self.lede.has('index'):
            return {'status': NA, 'why': 'lede has no index subcommand'}
        idx = self.idx(c, engine)
        shutil.rmtree(idx, ignore_errors=True)
        shutil.rmtree(idx + '.compact', ignore_errors=True)
        os.makedirs(os.path.dirname(idx), exist_ok=True)
        if engine == 'fts5':
            os.makedirs(idx)
        argv = self.index_cmd(c, engine)
        r['command'] = argv
        prefix = os.path.join(self.logdir(c, 'index'), slug(engine))
        log('%s: indexing with %s' % (c, engine))
        t = timed(argv, prefix)
        # lede: exit 3 means "indexed, with file errors" (warnings on some files)
        ok_rc = (0, 3) if engine == 'lede' else (0,)
        if t['rc'] not in ok_rc:
            return {'status': 'error', 'why': 'exit %d: %s' % (t['rc'], head(prefix + '.err')),
                    'command': argv}
        if t['rc'] != 0:
            r['note'] = 'exit %d: %s' % (t['rc'], head(prefix + '.err', 200))
        r['wall_s'] = t['wall_s']
        r['cpu_s'] = t['cpu_s']
        r['mb_s'] = nbytes / 1e6 / t['wall_s'] if t['wall_s'] > 0 else None
        r['rss_mb'] = t['rss_kb'] / 1024 if t['rss_kb'] else None
        r['size_bytes'] = du_sb(idx)
        try:
            with open(prefix + '.out') as f:
                info = json.loads(f.read().strip().splitlines()[-1])
            r['docs'] = info.get('passages')
        except (OSError, ValueError, IndexError, AttributeError):
            r['docs'] = xapian_doccount(self.py, idx) if engine != 'fts5' else None
        # compaction
        if engine == 'lede' and not self.lede.has('compact'):
            r['compact'] = {'status': NA, 'why': 'lede has no compact subcommand'}
            return r
        out = idx + '.compact'
        t0 = time.monotonic()
        for i, cmd in enumerate(self.compact_cmds(c, engine, out)):
            ct = timed(cmd, prefix + '.compact%d' % i)
            if ct['rc'] != 0:
                r['compact'] = {'status': 'error',
                                'why': 'exit %d: %s' % (ct['rc'], head(prefix + '.compact%d.err' % i))}
                shutil.rmtree(out, ignore_errors=True)
                return r
        r['compact'] = {'status': 'ok', 'wall_s': time.monotonic() - t0, 'size_bytes': du_sb(out),
                        'command': self.compact_cmds(c, engine, 'OUT')}
        if not self.a.keep_compacted:
            shutil.rmtree(out, ignore_errors=True)
        return r

    # ------------------------------------------------------------------ whole-process search
    def cli_argv(self, c, engine, q):
        if engine == 'lede':
            return [self.lede.path, 'search', '--db', self.idx(c, 'lede'), '--all-copies', '-n', '10', q]
        if engine == 'lede --json':
            return [self.lede.path, 'search', '--db', self.idx(c, 'lede'), '--all-copies', '--json', '-n', '10', q]
        if engine == 'rg -i':
            # rg has no query language: the query with its quotes removed, as a fixed string
            return ['rg', '-i', '-F', '--', q.replace('"', ''), self.corpus_dir(c)]
        if engine == 'fts5 (sqlite3)':
            return ['sqlite3', '-readonly', self.fts5_db(c), fts5_search.sql_for(q, 10)]
        if engine == 'xapian-py':
            return [self.py, os.path.join(HERE, 'xapian_search.py'), '--db', self.idx(c, 'xapian-py'),
                    '-n', '10', q]
        if engine == 'quest':
            return ['quest', '-d', self.idx(c, 'omindex'), '-m', '10', q]
        if engine == 'omega':
            return [self.omega, 'P=' + q, 'DB=omindex', 'HITSPERPAGE=10']
        raise ValueError(engine)

    def cli_available(self, c, engine):
        ix = self.results['indexing'].get(c, {})

        def built(name):
            return ix.get(name, {}).get('status') == 'ok'
        if engine.startswith('lede'):
            if not self.lede.present:
                return self.lede.why
            if not self.lede.has('search'):
                return 'lede has no search subcommand'
            return None if built('lede') else 'no lede index'
        if engine == 'fts5 (sqlite3)':
            return None if built('fts5') else 'no fts5 index'
        if engine == 'xapian-py':
            return None if built('xapian-py') else 'no xapian-py index'
        if engine in ('quest', 'omega'):
            if engine == 'omega' and not self.omega:
                return 'omega CGI binary not found'
            return None if built('omindex') else 'no omindex index'
        return None

    def search_cli(self, c):
        out = {}
        env = dict(os.environ)
        conf_dir = os.path.join(self.work, 'omega')
        os.makedirs(os.path.join(conf_dir, 'log'), exist_ok=True)
        conf = os.path.join(conf_dir, '%s.conf' % c)
        with open(conf, 'w') as f:
            f.write('database_dir %s\n' % os.path.join(self.work, 'idx', c))
            f.write('template_dir %s\n' % '/usr/share/xapian-omega/templates')
            f.write('log_dir %s\n' % os.path.join(conf_dir, 'log'))
            f.write('cdb_dir %s\n' % os.path.join(conf_dir, 'cdb'))
        env['OMEGA_CONFIG_FILE'] = conf
        for engine in CLI_ENGINES:
            why = self.cli_available(c, engine)
            if why:
                out[engine] = {'status': NA, 'why': why}
                continue
            log('%s: whole-process search with %s (%d queries)' % (c, engine, len(self.queries)))
            ldir = self.logdir(c, 'search', slug(engine))
            # exit 1 is "nothing found" for rg and lede
            ok_rc = (0, 1) if engine in ('rg -i', 'lede', 'lede --json') else (0,)
            per_q, cmds, cmd_q = {}, [], []
            for i, q in enumerate(self.queries):
                argv = self.cli_argv(c, engine, q)
                prefix = os.path.join(ldir, 'q%02d' % i)
                t = timed(argv, prefix, env=env)  # one probe run: exit status, output, peak RSS
                info = {'rc': t['rc'], 'rss_mb': t['rss_kb'] / 1024 if t['rss_kb'] else None,
                        'out_bytes': os.path.getsize(prefix + '.out')}
                if t['rc'] not in ok_rc:
                    info['error'] = head(prefix + '.err', 200)
                else:
                    cmds.append(' '.join(shlex.quote(x) for x in argv))
                    cmd_q.append(q)
                per_q[q] = info
            r = {'status': 'ok', 'per_query': per_q,
                 'example': self.cli_argv(c, engine, self.queries[0])}
            if not cmds:
                r['status'] = 'error'
                r['why'] = next((v.get('error') for v in per_q.values() if v.get('error')), 'failed')
                out[engine] = r
                continue
            hf_json = os.path.join(ldir, 'hyperfine.json')
            hf = ['hyperfine', '-N', '-i', '--style', 'none', '--warmup', str(self.a.warmup),
                  '--runs', str(self.a.runs), '--export-json', hf_json] + cmds
            p = subprocess.run(hf, env=env, capture_output=True, text=True)
            if p.returncode != 0:
                out[engine] = {'status': 'error', 'why': 'hyperfine: ' + p.stderr.strip()[:300]}
                continue
            with open(hf_json) as f:
                hres = json.load(f)['results']
            for q, h in zip(cmd_q, hres):
                per_q[q].update({'median_ms': h['median'] * 1000, 'mean_ms': h['mean'] * 1000,
                                 'min_ms': h['min'] * 1000, 'max_ms': h['max'] * 1000})
            meds = [v['median_ms'] for v in per_q.values() if 'median_ms' in v]
            rss = [v['rss_mb'] for v in per_q.values() if v.get('rss_mb')]
            r.update({'median_ms': statistics.median(meds), 'slowest_ms': max(meds),
                      'queries_ok': len(meds), 'rss_mb_max': max(rss) if rss else None})
            if len(meds) < len(self.queries):
                r['why'] = '%d of %d queries failed' % (len(self.queries) - len(meds), len(self.queries))
            out[engine] = r
        return out

    # ------------------------------------------------------------------ in-process search
    def search_inproc(self, c):
        out = {}
        ix = self.results['indexing'].get(c, {})
        for engine in INPROC_ENGINES:
            if engine == 'lede':
                if not self.lede.present:
                    out[engine] = {'status': NA, 'why': self.lede.why}
                    continue
                if not self.lede.bench:
                    out[engine] = {'status': NA, 'why': 'no lede-bench-search binary'}
                    continue
                if ix.get('lede', {}).get('status') != 'ok':
                    out[engine] = {'status': NA, 'why': 'no lede index'}
                    continue
                argv = [self.lede.bench, '--db', self.idx(c, 'lede'), '--queries', self.queries_file,
                        '--repeat', str(self.a.repeat), '--all-copies']
            else:
                name = 'fts5' if engine.startswith('fts5') else 'xapian-py'
                if ix.get(name, {}).get('status') != 'ok':
                    out[engine] = {'status': NA, 'why': 'no %s index' % name}
                    continue
                db = self.fts5_db(c) if name == 'fts5' else self.idx(c, 'xapian-py')
                argv = [self.py, os.path.join(HERE, 'inproc.py'), '--engine',
                        'fts5' if name == 'fts5' else 'xapian', '--db', db,
                        '--queries', self.queries_file, '--repeat', str(self.a.repeat)]
            log('%s: in-process search with %s' % (c, engine))
            p = subprocess.run(argv, capture_output=True, text=True)
            res = None
            for line in reversed(p.stdout.strip().splitlines()):
                try:
                    res = json.loads(line)
                    break
                except ValueError:
                    continue
            if res is None:
                try:
                    res = json.loads(p.stdout)
                except ValueError:
                    pass
            if p.returncode != 0 or not isinstance(res, dict):
                out[engine] = {'status': 'error', 'why': 'exit %d: %s' % (p.returncode, p.stderr.strip()[:300])}
                continue
            p50 = next((v for k, v in res.items() if 'p50' in k), None)
            p99 = next((v for k, v in res.items() if 'p99' in k), None)
            out[engine] = {'status': 'ok', 'p50_ms': p50, 'p99_ms': p99, 'raw': res, 'command': argv}
        return out

    # ------------------------------------------------------------------ driver
    def merge_previous(self):
        """--merge: keep the other corpora's results from the previous latest.json."""
        try:
            with open(os.path.join(RESULTS, 'latest.json')) as f:
                old = json.load(f)
        except (OSError, ValueError):
            return
        if old.get('queries') != self.queries:
            log('--merge: previous results used another query mix; not merged')
            return
        for c, st in old.get('corpora', {}).items():
            if c in self.a.corpora:
                continue
            for sect in ('corpora', 'indexing', 'search_cli', 'search_inproc', 'corpus_runs'):
                if c in old.get(sect, {}):
                    self.results.setdefault(sect, {})[c] = old[sect][c]
            if c not in self.results.get('corpus_runs', {}):
                om = old.get('meta', {})
                self.results.setdefault('corpus_runs', {})[c] = {
                    'date': om.get('date'), 'lede_mtime': om.get('lede', {}).get('mtime'),
                    'repo_commit': om.get('repo_commit'), 'mode': om.get('mode'),
                    'loadavg_1min_start': om.get('loadavg_1min_start')}
        # keep the corpora in their usual order
        order = ['tiny', 'sotu', 'large', 'xl']
        for sect in ('corpora', 'indexing', 'search_cli', 'search_inproc'):
            d = self.results.get(sect, {})
            self.results[sect] = {k: d[k] for k in sorted(d, key=lambda k: (order.index(k) if k in order else 99, k))}

    def run(self):
        m = self.results['meta']
        if self.a.merge:
            self.merge_previous()
        for c in self.a.corpora:
            src = self.corpus_dir(c)
            if not os.path.isdir(src):
                log('%s: corpus not built at %s; skipped' % (c, src))
                continue
            self.results.setdefault('corpus_runs', {})[c] = {
                'date': m['date'], 'lede_mtime': m['lede'].get('mtime'), 'repo_commit': m['repo_commit'],
                'mode': m['mode'], 'loadavg_1min_start': loadavg()}
            log('%s: reading the corpus (stats, warm page cache)' % c)
            st = corpus_stats(src)
            st['note'] = CORPUS_NOTES.get(c, '')
            self.results['corpora'][c] = st
            self.results['indexing'][c] = {}
            self.results['search_cli'].pop(c, None)
            self.results['search_inproc'].pop(c, None)
            for engine in INDEXERS:
                self.results['indexing'][c][engine] = self.index_one(c, engine, st['bytes'])
                self.save()
            self.results['search_cli'][c] = self.search_cli(c)
            self.save()
            self.results['search_inproc'][c] = self.search_inproc(c)
            self.save()
        self.results['meta']['loadavg_1min_end'] = loadavg()
        self.save()
        log('results: %s' % os.path.relpath(os.path.join(RESULTS, 'latest.md'), os.getcwd()))


# ====================================================================== Markdown
def f_num(x, nd=1):
    if x is None:
        return NA
    if x >= 100:
        return '%.0f' % x
    if x >= 10:
        return '%.1f' % x
    return '%.*f' % (nd, x)


def f_ms(x):
    if x is None:
        return NA
    if x < 1:
        return '%.3f' % x
    if x >= 100:
        return '%.0f' % x
    if x >= 10:
        return '%.1f' % x
    return '%.2f' % x


def f_mb(b):
    return NA if b is None else ('%.2f' % (b / 1e6) if b < 1e7 else '%.1f' % (b / 1e6))


def ratio(a, b):
    if a is None or b is None or b == 0:
        return NA
    return '%.2f' % (a / b)


def cell(r, key, fmt):
    if not r or r.get('status') != 'ok':
        return (r or {}).get('status', NA)
    return fmt(r.get(key))


def corpus_label(c):
    return c + ' †' if c == 'xl' else c


def write_markdown(R):
    m = R['meta']
    L = []
    w = L.append
    corpora = list(R['corpora'])
    w('# lede benchmark results')
    w('')
    w('Generated by `%s` on %s (%s mode: hyperfine --warmup %d --runs %d; in-process repeat %d).'
      % (m['command'], m['date'], m['mode'], m['hyperfine']['warmup'], m['hyperfine']['runs'],
         m['inproc_repeat']))
    mc = m['machine']
    w('Machine: %s, %s cores, %s RAM, %s, Linux %s. Single run; read the figures as proportions.'
      % (mc['cpu'] or 'unknown CPU', mc['cores'], mc['memory'], mc['os'], mc['kernel']))
    la, lb = m.get('loadavg_1min_start'), m.get('loadavg_1min_end')
    if la is not None:
        busy = max(la, lb or 0) > 0.5 * (mc['cores'] or 1)
        w('1-minute load average at start %.1f, at end %s%s' % (
            la, '%.1f' % lb if lb is not None else NA,
            ' — **the machine was busy with other work: expect noisy, inflated figures.**' if busy else '.'))
    lm = m['lede']
    if lm['present']:
        w('lede: `%s`%s, built %s (repository at commit %s), copied to the work directory at the '
          'start so that one build serves the whole run; in-process benchmark binary: %s.'
          % (lm['binary'], (' (%s)' % m['versions']['lede']) if m['versions'].get('lede') else '',
             lm.get('mtime') or 'at an unknown time', m['repo_commit'] or 'none',
             ('`%s`' % lm['bench_binary']) if lm['bench_binary'] else 'none'))
    else:
        w('lede: **not measured** (%s) — every lede cell and ratio is n/a.' % lm['why'])
    runs = R.get('corpus_runs', {})
    if any(runs.get(c, {}).get('date') != m['date'] for c in corpora if c in runs):
        w('')
        w('Merged from several runs (`--merge`); ratios always compare lede and its peers within one run:')
        w('')
        for c in corpora:
            v = runs.get(c, {})
            w('- %s: run %s (%s mode), lede build %s, commit %s, load average at start %s' % (
                corpus_label(c), v.get('date'), v.get('mode'), v.get('lede_mtime'), v.get('repo_commit'),
                '%.1f' % v['loadavg_1min_start'] if v.get('loadavg_1min_start') is not None else NA))
    w('')
    w('Versions: ' + '; '.join('%s: %s' % (k, v) for k, v in m['versions'].items() if v and k != 'lede') + '.')
    w('')
    w('Ratios are lede/peer from this same run: below 1 means lede takes less time, memory or space.')
    if 'xl' in corpora:
        w('')
        w('† **xl** is *large* replicated ten times under distinct directory names (~430 MB): '
          'the same text ten times, so its figures show scaling with size, not with vocabulary.')
    w('')

    # corpora
    w('## Corpora')
    w('')
    w('| corpus | files | MB | files not valid UTF-8 | passages (FTS5 rows) | what |')
    w('|---|---:|---:|---:|---:|---|')
    for c in corpora:
        s = R['corpora'][c]
        docs = R['indexing'].get(c, {}).get('fts5', {}).get('docs')
        w('| %s | %d | %s | %d | %s | %s |' % (corpus_label(c), s['files'], f_mb(s['bytes']),
                                            s['invalid_utf8'], docs if docs is not None else NA, s['note']))
    w('')

    # indexing
    w('## Indexing')
    w('')
    w('Wall time of the whole indexing process (including start-up and the final commit), '
      'corpus MB per second, peak RSS (`/usr/bin/time -f %M`), index size (`du -sb`) as built and '
      'after compaction (`xapian-compact`; FTS5: `optimize` + `VACUUM`; lede: `lede compact`). '
      'Page cache warm (the corpus is read once before indexing).')
    w('')
    for c in corpora:
        w('### %s' % corpus_label(c))
        w('')
        w('| indexer | wall s | CPU s | MB/s | peak RSS MB | docs | index MB | compacted MB |')
        w('|---|---:|---:|---:|---:|---:|---:|---:|')
        for e, r in R['indexing'].get(c, {}).items():
            if r.get('status') != 'ok':
                w('| %s | %s |  |  |  |  |  |  |' % (e, r.get('status') + (' (%s)' % r['why'] if r.get('why') else '')))
                continue
            comp = r.get('compact', {})
            w('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
                e, f_num(r['wall_s'], 2), f_num(r.get('cpu_s'), 2), f_num(r['mb_s'], 2), f_num(r['rss_mb']),
                r.get('docs') if r.get('docs') is not None else NA, f_mb(r['size_bytes']),
                f_mb(comp.get('size_bytes')) if comp.get('status') == 'ok' else comp.get('status', NA)))
        w('')
    w('### Indexing ratios, lede/peer')
    w('')
    w('| corpus | peer | wall time | CPU time | peak RSS | index size | compacted size |')
    w('|---|---|---:|---:|---:|---:|---:|')
    for c in corpora:
        ix = R['indexing'].get(c, {})
        le = ix.get('lede', {})
        lok = le.get('status') == 'ok'
        for e in ('omindex', 'fts5', 'xapian-py'):
            r = ix.get(e, {})
            ok = lok and r.get('status') == 'ok'
            lc, rc = le.get('compact', {}), r.get('compact', {})
            w('| %s | %s | %s | %s | %s | %s | %s |' % (
                corpus_label(c), e,
                ratio(le.get('wall_s'), r.get('wall_s')) if ok else NA,
                ratio(le.get('cpu_s'), r.get('cpu_s')) if ok else NA,
                ratio(le.get('rss_mb'), r.get('rss_mb')) if ok else NA,
                ratio(le.get('size_bytes'), r.get('size_bytes')) if ok else NA,
                ratio(lc.get('size_bytes'), rc.get('size_bytes'))
                if ok and lc.get('status') == 'ok' and rc.get('status') == 'ok' else NA))
    w('')

    # whole-process search
    nq = len(R.get('queries', []))
    w('## Search from the shell (whole process)')
    w('')
    w('Each engine runs as its own process per query, the way a shell user runs it: start-up, search, '
      'top 10 with snippets, output to /dev/null. `hyperfine -N` (no shell) per query; the cell is the '
      'median over the %d-query mix (`bench/queries.txt`) of the per-query medians, in ms.' % nq)
    w('')
    w('| engine | ' + ' | '.join(corpus_label(c) for c in corpora) + ' |')
    w('|---|' + '---:|' * len(corpora))
    for e in CLI_ENGINES:
        w('| %s | %s |' % (e, ' | '.join(cell(R['search_cli'].get(c, {}).get(e), 'median_ms', f_ms)
                                          for c in corpora)))
    w('')
    w('Slowest query (its median, ms):')
    w('')
    w('| engine | ' + ' | '.join(corpus_label(c) for c in corpora) + ' |')
    w('|---|' + '---:|' * len(corpora))
    for e in CLI_ENGINES:
        w('| %s | %s |' % (e, ' | '.join(cell(R['search_cli'].get(c, {}).get(e), 'slowest_ms', f_ms)
                                          for c in corpora)))
    w('')
    w('Peak RSS of one search process, MB (largest over the mix):')
    w('')
    w('| engine | ' + ' | '.join(corpus_label(c) for c in corpora) + ' |')
    w('|---|' + '---:|' * len(corpora))
    for e in CLI_ENGINES:
        w('| %s | %s |' % (e, ' | '.join(cell(R['search_cli'].get(c, {}).get(e), 'rss_mb_max', f_num)
                                          for c in corpora)))
    w('')
    w('### Whole-process search ratios, lede/peer (median over the mix)')
    w('')
    w('| peer | ' + ' | '.join(corpus_label(c) for c in corpora) + ' |')
    w('|---|' + '---:|' * len(corpora))
    for e in CLI_ENGINES:
        if e.startswith('lede'):
            continue
        cells = []
        for c in corpora:
            s = R['search_cli'].get(c, {})
            le, r = s.get('lede', {}), s.get(e, {})
            cells.append(ratio(le.get('median_ms'), r.get('median_ms'))
                         if le.get('status') == 'ok' and r.get('status') == 'ok' else NA)
        w('| %s | %s |' % (e, ' | '.join(cells)))
    w('')

    # in-process
    w('## Search in process (through the library)')
    w('')
    w('One process opens the index once, then times every query of the mix on its own, repeated; '
      'p50 / p99 in ms over all those searches (parse, match, top 10, snippets). lede: '
      '`lede-bench-search`; peers: `bench/lib/inproc.py` (Python bindings, so Python\'s own '
      'per-call overhead is included).')
    w('')
    w('| engine | ' + ' | '.join(corpus_label(c) for c in corpora) + ' |')
    w('|---|' + '---:|' * len(corpora))
    for e in INPROC_ENGINES:
        cells = []
        for c in corpora:
            r = R['search_inproc'].get(c, {}).get(e)
            cells.append('%s / %s' % (f_ms(r['p50_ms']), f_ms(r['p99_ms']))
                         if r and r.get('status') == 'ok' else (r or {}).get('status', NA))
        w('| %s | %s |' % (e, ' | '.join(cells)))
    w('')
    w('Ratios lede/peer, p50 / p99:')
    w('')
    w('| peer | ' + ' | '.join(corpus_label(c) for c in corpora) + ' |')
    w('|---|' + '---:|' * len(corpora))
    for e in INPROC_ENGINES[1:]:
        cells = []
        for c in corpora:
            s = R['search_inproc'].get(c, {})
            le, r = s.get('lede', {}), s.get(e, {})
            if le.get('status') == 'ok' and r.get('status') == 'ok':
                cells.append('%s / %s' % (ratio(le['p50_ms'], r['p50_ms']), ratio(le['p99_ms'], r['p99_ms'])))
            else:
                cells.append(NA)
        w('| %s | %s |' % (e, ' | '.join(cells)))
    w('')

    # per-query detail
    w('## Per-query medians, whole process (ms)')
    w('')
    for c in corpora:
        s = R['search_cli'].get(c, {})
        engines = [e for e in CLI_ENGINES if s.get(e, {}).get('status') == 'ok']
        if not engines:
            continue
        w('### %s' % corpus_label(c))
        w('')
        w('| query | ' + ' | '.join(engines) + ' |')
        w('|---|' + '---:|' * len(engines))
        for q in R.get('queries', []):
            row = []
            for e in engines:
                pq = s[e]['per_query'].get(q, {})
                row.append(f_ms(pq['median_ms']) if 'median_ms' in pq else 'error')
            w('| `%s` | %s |' % (q.replace('|', '\\|'), ' | '.join(row)))
        w('')

    # problems
    probs = []
    for sect in ('indexing', 'search_cli', 'search_inproc'):
        for c, es in R.get(sect, {}).items():
            for e, r in es.items():
                if r.get('why') and r.get('status') != NA:
                    probs.append('- %s / %s / %s: %s' % (sect, c, e, r['why']))
                if r.get('note'):
                    probs.append('- %s / %s / %s: %s' % (sect, c, e, r['note']))
                comp = r.get('compact') or {}
                if comp.get('why'):
                    probs.append('- %s / %s / %s compaction: %s' % (sect, c, e, comp['why']))
    if probs:
        w('## Errors, gaps and notes')
        w('')
        L.extend(probs)
        w('')

    # engines and commands
    w('## What each engine runs')
    w('')
    w('Paths shortened: `CORPUS` is `bench/work/corpora/<corpus>`, `IDX` is `bench/work/idx/<corpus>/<engine>`, '
      '`Q` is one line of `bench/queries.txt`.')
    w('')
    w('- **lede**: `build/lede index --db IDX CORPUS`; `build/lede search --db IDX --all-copies -n 10 Q` '
      '(and `--json`); `build/lede compact --db IDX OUT`; `build/lede-bench-search --db IDX '
      '--queries bench/queries.txt --repeat N --all-copies` (every copy shown: xl is large ten times, '
      'and folding its copies would make it search another result list).')
    w('- **omindex** (whole documents, not passages): `omindex --db IDX --url / --overwrite CORPUS`; '
      'searched with `quest -d IDX -m 10 Q` (prints the stored 512-byte sample, no query-dependent '
      'snippet) and the Omega CGI from the command line, `omega P=Q DB=omindex HITSPERPAGE=10` '
      '(stock `query` template: HTML, snippets drawn from the 512-byte stored sample). quest joins '
      'bare words with OR, Omega with AND.')
    w('- **fts5**: `bench/lib/fts5_index.py` — one row per three-sentence passage, '
      "`fts5(path UNINDEXED, n UNINDEXED, body, tokenize='porter unicode61')`, one transaction. "
      'Searched with the sqlite3 shell: `sqlite3 -readonly passages.db "%s"`. FTS5 joins bare words '
      'with AND.' % fts5_search.sql_for('Q').replace("'Q'", 'Q'))
    w('- **xapian-py**: `bench/lib/xapian_index.py` — one document per passage, TermGenerator, English '
      'stemmer, STEM_SOME with positions, passage text as data; searched with '
      '`bench/lib/xapian_search.py --db IDX -n 10 Q` (QueryParser, default OR, top 10, '
      '`MSet.snippet`). The Python start-up is part of each whole-process figure.')
    w('- **rg -i**: `rg -i -F -- Q CORPUS` with the double quotes removed from Q; no index, no '
      'ranking, every matching line printed (SOTU speeches are one line each).')
    w('- Passages for fts5 and xapian-py: paragraphs split at blank lines, sentences at `. ! ?` '
      'followed by a space, three sentences per passage, at most 2,000 characters; bytes decoded '
      'as UTF-8 with U+FFFD replacements (`bench/lib/passages.py`).')
    w('')
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, 'latest.md'), 'w') as f:
        f.write('\n'.join(L))


def main():
    ap = argparse.ArgumentParser(description='lede benchmark harness (use bench/run.sh)')
    ap.add_argument('--work', default=os.path.join(BENCH, 'work'))
    ap.add_argument('--corpora', default='tiny,sotu,large,xl')
    ap.add_argument('--queries', default=os.path.join(BENCH, 'queries.txt'))
    ap.add_argument('--lede', default=os.environ.get('LEDE') or os.path.join(REPO, 'build', 'lede'))
    ap.add_argument('--python', default=None, help='interpreter with python3-xapian')
    ap.add_argument('--runs', type=int, default=15)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--repeat', type=int, default=20)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--keep-compacted', action='store_true')
    ap.add_argument('--command', default=None, help='the command line to record in the report')
    ap.add_argument('--results', default=None, help='results directory (default bench/results)')
    ap.add_argument('--merge', action='store_true',
                    help="keep other corpora's results from the previous latest.json")
    ap.add_argument('--report-only', action='store_true')
    a = ap.parse_args()
    global RESULTS
    if a.results:
        RESULTS = os.path.abspath(a.results)
    if a.report_only:
        with open(os.path.join(RESULTS, 'latest.json')) as f:
            write_markdown(json.loads(f.read().replace(REPO + '/', '')))
        return
    a.corpora = [c for c in a.corpora.split(',') if c]
    Bench(a).run()


if __name__ == '__main__':
    main()
