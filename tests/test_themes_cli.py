#!/usr/bin/python3
"""`comptext themes` on the made-up corpus of tests/cases/themes (see make.py there): each
document's planted terms rank in its top 5 with no fragment of them above them; themes hold
no punctuation or whitespace and no theme is part of a higher-ranked one; --group-by merges
documents; TSV agrees with JSON; bad -k / --score values exit 2 naming the option, and
nothing is written to -o on failure."""
import json, os, re, subprocess, sys, tempfile

EXE = os.environ['COMPTEXT']
CASES = os.path.join(os.environ['COMPTEXT_SOURCE'], 'tests', 'cases', 'themes')
sys.path.insert(0, CASES)
from make import PLANTED  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks()
check = checks.check

def run(*args):
    return subprocess.run([EXE, 'themes', *args], capture_output=True, text=True)

r = run('-k', '5', CASES)
check(r.returncode == 0, f'themes exit 0 ({r.stderr})')
out = json.loads(r.stdout)
check([d['id'] for d in out] == sorted(PLANTED), 'one entry a document, in corpus order')
bad_char = re.compile(r'[\s\u3000-\u303f\uff00-\uff65!-/:-@\[-`{-~]')
for d in out:
    terms = [t['term'] for t in d['themes']]
    scores = [t['score'] for t in d['themes']]
    check(len(terms) == 5, f"{d['id']}: 5 themes")
    check(scores == sorted(scores, reverse=True), f"{d['id']}: best first")
    for planted in PLANTED[d['id']]:
        check(planted in terms, f"{d['id']}: planted {planted} in top 5 {terms}")
        if planted in terms:
            above = terms[:terms.index(planted)]
            check(not any(t in planted for t in above), f"{d['id']}: no fragment of {planted} above it")
    for i, t in enumerate(terms):
        check(not bad_char.search(t), f'{t!r} has no punctuation or whitespace')
        check(not any(t in u or u in t for u in terms[:i]), f'{t} overlaps no higher theme')

# TSV carries the same themes.
r2 = run('-k', '5', '--format', 'tsv', CASES)
rows = ctkit.table_rows(r2.stdout, ['id', 'term', 'score'])
check([(a, b) for a, b, _ in rows] == [(d['id'], t['term']) for d in out for t in d['themes']],
      'TSV rows match the JSON')
check(all(float(s) == t['score'] for (_, _, s), t in zip(rows, [t for d in out for t in d['themes']])),
      'TSV scores are the JSON scores (%.17g)')

# --group-by: two groups of three documents; with --rank statistic (a group as one document)
# each group's top 12 holds the planted terms of its documents that the other group never
# mentions. By default (without the document using a term most) the same holds for those of
# them two of the group's documents use, and no theme is used by one document only.
r = run('-k', '12', '--group-by', 'group', CASES)
check(r.returncode == 0, f'group-by exit 0 ({r.stderr})')
default = {d['id']: d['themes'] for d in json.loads(r.stdout)}
check(all(t['docs'] >= 2 for ts in default.values() for t in ts),
      f'by default no group theme of one document {default}')
r = run('-k', '12', '--group-by', 'group', '--rank', 'statistic', CASES)
check(r.returncode == 0, f'group-by exit 0 ({r.stderr})')
groups = {d['id']: [t['term'] for t in d['themes']] for d in json.loads(r.stdout)}
check(sorted(groups) == ['north', 'south'], f'groups are north and south: {sorted(groups)}')
names = sorted(PLANTED)
texts = {n: open(os.path.join(CASES, n + '.txt'), encoding='utf-8').read() for n in names}
for g, members in (('north', names[:3]), ('south', names[3:])):
    others = [n for n in names if n not in members]
    for m in members:
        for planted in PLANTED[m]:
            if any(planted in texts[o] for o in others):
                continue
            check(planted in groups.get(g, []), f'{g}: {planted} in its top 12')
            if sum(planted in texts[x] for x in members) >= 2:
                check(planted in [t['term'] for t in default.get(g, [])],
                      f'{g}: {planted} (in 2 of its documents) in its default top 12')
r = run('--group-by', 'nosuchfield', CASES)
check(r.returncode == 2 and 'nosuchfield' in r.stderr, 'unknown --group-by field: exit 2')
with tempfile.TemporaryDirectory() as tmp:
    jl = os.path.join(tmp, 'c.jsonl')
    with open(jl, 'w', encoding='utf-8') as f:
        f.write('{"id": "a", "text": "社区建设社区服务", "g": "x"}\n{"id": "b", "text": "社区治理"}\n')
    r = run('--group-by', 'g', jl)
    check(r.returncode == 1 and '"b"' in r.stderr and r.stdout == '',
          f'a document without a group value: exit 1 naming it ({r.returncode} {r.stderr!r})')

# Usage errors name the option; nothing is written to -o.
with tempfile.TemporaryDirectory() as tmp:
    dest = os.path.join(tmp, 'out.json')
    for args, opt in ((['-k', '0'], '-k'), (['-k', '-3'], '-k'), (['-k', 'x'], '-k'),
                      (['--score', 'bogus'], '--score'), (['--max-len', '1'], '--max-len'),
                      (['--min-freq', '1'], '--min-freq'), (['-n', '2'], '-n')):
        r = run(*args, '-o', dest, CASES)
        check(r.returncode == 2 and opt in r.stderr, f'{args}: exit 2 naming {opt} ({r.returncode}, {r.stderr!r})')
        check(not os.path.exists(dest), f'{args}: nothing written to -o')
    r = run('--dict', os.path.join(tmp, 'missing.txt'), '-o', dest, CASES)
    check(r.returncode == 1 and 'missing.txt' in r.stderr, 'missing dictionary: exit 1 naming it')
    check(not os.path.exists(dest), 'missing dictionary: nothing written')
    # The dictionary vetoes a planted term.
    with open(os.path.join(tmp, 'dict.txt'), 'w', encoding='utf-8') as f:
        f.write('-助餐点\n')
    r = run('-k', '5', '--dict', os.path.join(tmp, 'dict.txt'), CASES)
    baishi = next(d for d in json.loads(r.stdout) if d['id'] == 'baishi')
    check(all('助餐点' != t['term'] for t in baishi['themes']), 'a vetoed term is no theme')

# comptext terms: six columns; every planted term is discovered; counts ≥ segments.
r = subprocess.run([EXE, 'terms', CASES], capture_output=True, text=True)
rows = ctkit.table_rows(r.stdout, ['term', 'count', 'segments', 'cohesion', 'h_left', 'h_right'])
check(r.returncode == 0 and rows and all(len(x) == 6 for x in rows), 'terms: six columns')
listed = {x[0]: x for x in rows}
for planted in (t for ts in PLANTED.values() for t in ts):
    check(planted in listed, f'terms: {planted} discovered')
check(all(float(x[1]) >= float(x[2]) > 0 for x in rows), 'terms: count >= segments > 0')

# A fragment cut after a function character that begins a word with it (issue 12): the shipped
# taizhou-2009 report writes 城乡和谐社区建设 and 是和谐社区建设; 和 before 谐 is no conjunction
# but the start of 和谐, so 谐社区建设 is no term, while 和谐 and 社区建设 are.
CITIES = os.path.join(os.environ['COMPTEXT_SOURCE'], 'corpora', 'cities')
r = subprocess.run([EXE, 'terms', CITIES], capture_output=True, text=True)
city_terms = {x[0] for x in ctkit.table_rows(r.stdout, ['term', 'count', 'segments', 'cohesion',
                                                         'h_left', 'h_right'])}
check(r.returncode == 0 and {'和谐', '社区建设'} <= city_terms, 'terms: 和谐 and 社区建设 on cities')
check('谐社区建设' not in city_terms, 'terms: no 谐社区建设 (a function character starting a word)')

# --neighbours N needs 3 (N + 1) rows: on the 6 documents N >= 2 is clamped to the 1 they
# allow, with a note, and the themes are those of an explicit --neighbours 1 (no note).
n1 = run('--neighbours', '1', CASES)
check(n1.returncode == 0 and 'note' not in n1.stderr, f'--neighbours 1: no note ({n1.stderr})')
for n in ('2', '40'):
    r = run('--neighbours', n, CASES)
    want = (f'comptext themes: note: --neighbours {n} needs {3 * (int(n) + 1)} rows or more '
            '(3 x (N + 1)); with 6, 1 are left out\n')
    check(r.returncode == 0 and r.stderr == want, f'--neighbours {n}: {r.stderr!r} (want {want!r})')
    check(r.stdout == n1.stdout, f'--neighbours {n}: the themes of --neighbours 1')

# Same bytes on every run and thread count.
a = run('--threads', '1', CASES).stdout
b = run('--threads', '2', CASES).stdout
check(a == b, 'deterministic across thread counts')

checks.finish()
