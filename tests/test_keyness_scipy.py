#!/usr/bin/python3
"""`comptext keyness` against scipy (Debian's python3-scipy): for every tested term, G² equals
scipy.stats.chi2_contingency(table, correction=False, lambda_="log-likelihood"), chi² equals
chi2_contingency(table, correction=False) and with --yates correction=True, p equals scipy's,
all to 1e-9 (relative for statistics); the sign marks under-use; a group target is ranked
by the statistic without each term's top document; the Log Ratio follows
Hardie's formula with 0.5 for zero counts; the Benjamini–Hochberg p (JSON) equals a hand
implementation with numpy; TSV has ten columns and agrees with JSON. Bad targets exit 2."""
import json, math, os, subprocess, sys
import numpy as np
from scipy.stats import chi2_contingency

EXE = os.environ['COMPTEXT']
CASES = os.path.join(os.environ['COMPTEXT_SOURCE'], 'tests', 'cases', 'themes')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks()
check = checks.check

def close(a, b, rel=1e-9, abs_=1e-9):
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))

def keyness(*args):
    return subprocess.run([EXE, 'keyness', *args, CASES], capture_output=True, text=True)

def hand_bh(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind='stable')
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    return out

for target, extra, kw in (('anhe', [], dict(lambda_='log-likelihood', correction=False)),
                          ('group=north', [], dict(lambda_='log-likelihood', correction=False)),
                          ('dongpo', ['--statistic', 'chi2'], dict(correction=False)),
                          ('dongpo', ['--statistic', 'chi2', '--yates'], dict(correction=True)),
                          ('erlang', ['--units', 'ngrams', '-n', '2-3'], dict(lambda_='log-likelihood', correction=False))):
    r = keyness('--target', target, '--format', 'json', *extra)
    check(r.returncode == 0, f'{target} {extra}: exit 0 ({r.stderr})')
    res = json.loads(r.stdout)
    n1, n2 = res['target_size'], res['reference_size']
    rows = res['terms']
    check(len(rows) > 10, f'{target}: terms tested')
    for t in rows:
        a, b = t['n_target'], t['n_reference']
        table = np.array([[a, b], [n1 - a, n2 - b]])
        stat, p, dof, _ = chi2_contingency(table, **kw)
        check(dof == 1, 'one degree of freedom')
        sign = -1 if a * n2 < b * n1 else 1
        check(close(t['statistic'], sign * stat), f"{t['term']}: statistic {t['statistic']} vs scipy {sign * stat}")
        check(close(t['p'], p, rel=1e-9, abs_=1e-12), f"{t['term']}: p {t['p']} vs scipy {p}")
        lr = math.log2(((a or 0.5) / n1) / ((b or 0.5) / n2))
        check(close(t['effect'], lr, rel=1e-12, abs_=1e-12), f"{t['term']}: log ratio")
    # most key first: by the statistic, or with a group target by the statistic without the
    # term's top document (None: a term the rest of the target never leaves a table for)
    key = 'statistic_without_top' if res['ranked_by'] == 'statistic_without_top' else 'statistic'
    check(res['ranked_by'] == ('statistic_without_top' if '=' in target else 'statistic'),
          f"{target}: ranked by {res['ranked_by']}")
    check(all(x[key] >= y[key] for x, y in zip(rows, rows[1:])), 'most key first')
    check(any(x['statistic'] < 0 for x in rows), 'under-used terms are negative')
    bh = hand_bh([t['p'] for t in rows])
    check(all(close(t['p_adjusted'], q, abs_=1e-12) for t, q in zip(rows, bh)), 'BH adjusted p')
    # TSV: six columns, the same numbers; --p-adjust bh puts the adjusted p in column 3.
    cols = ['term', 'statistic', 'p', 'effect', 'n_target', 'n_reference', 'docs_target',
            'docs_reference', 'dp', 'statistic_without_top']
    tsv = ctkit.table_rows(keyness('--target', target, *extra).stdout, cols)
    check(all(len(x) == 10 for x in tsv), 'TSV has ten columns')
    check([x[0] for x in tsv] == [t['term'] for t in rows], 'TSV order = JSON order')
    check(all(float(x[1]) == t['statistic'] and float(x[2]) == t['p'] and float(x[4]) == t['n_target']
              and float(x[5]) == t['n_reference'] for x, t in zip(tsv, rows)), 'TSV numbers = JSON')
    tsv_bh = ctkit.table_rows(keyness('--target', target, '--p-adjust', 'bh', *extra).stdout, cols)
    check(all(float(x[2]) == t['p_adjusted'] for x, t in zip(tsv_bh, rows)), '--p-adjust bh column')

# Group target: the two target documents are listed.
res = json.loads(keyness('--target', 'group=north', '--format', 'json').stdout)
check(res['target'] == ['anhe', 'baishi', 'chenxi'], f"group=north targets {res['target']}")

# Bad targets and options: exit 2 naming the option.
for args, opt in ((['--target', 'nosuchdoc'], '--target'), (['--target', 'group=east'], '--target'),
                  (['--target', 'nosuchfield=1'], '--target'), ([], '--target'),
                  (['--target', 'anhe', '--statistic', 'x'], '--statistic'),
                  (['--target', 'anhe', '--yates'], '--yates'),
                  (['--target', 'anhe', '--p-adjust', 'holm'], '--p-adjust')):
    r = keyness(*args)
    check(r.returncode == 2 and opt in r.stderr, f'{args}: exit 2 naming {opt} ({r.returncode} {r.stderr!r})')
r = subprocess.run([EXE, 'keyness', '--target', 'only', '-'], input='社区建设社区建设', capture_output=True, text=True)
check(r.returncode == 2, f'a target covering the corpus: exit 2 ({r.returncode})')

checks.finish()
