#!/usr/bin/python3
"""Keyness with dispersion, on a planted corpus and against scipy / a hand computation.

Planted: a group target of six documents and six reference documents in the genre's shared
vocabulary. One target document repeats a made-up name (欧阳明远) in its title lines; every
target document uses 城市更新 a few times, the reference rarely. With --rank statistic
(tokens as independent, the old ranking) the name ranks first; by default it must not be
in the top three and 城市更新 must rank above it; docs_target says 1 and its DP is near
1 − s_1. Then, on n-gram units, every row is checked against an independent computation
from `comptext tf`: docs_target / docs_reference, Gries's DP (½ Σ|v_i − s_i| by hand),
statistic_without_top (scipy chi2_contingency on the table without the top document) and,
with --test documents, z and p against scipy.stats.mannwhitneyu(method="asymptotic")."""
import json, math, os, subprocess, sys, tempfile
import numpy as np
from scipy.stats import chi2_contingency, mannwhitneyu

EXE = os.environ['COMPTEXT']
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks()
check = checks.check


def close(a, b, rel=1e-9, abs_=1e-9):
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


SRC = os.environ['COMPTEXT_SOURCE']
THEMES = os.path.join(SRC, 'tests', 'cases', 'themes')
CITIES = os.path.join(SRC, 'corpora', 'cities')


def texts(folder):
    return [(n[:-4], open(os.path.join(folder, n), encoding='utf-8').read())
            for n in sorted(os.listdir(folder)) if n.endswith('.txt')]


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'c.jsonl')
    rows = []
    # The target: six made-up district reports, each using 城市更新 twice; the first
    # one's title lines repeat a made-up name forty times. The reference: the seven city
    # reports of the default corpus.
    for i, (name, text) in enumerate(texts(THEMES)):
        paras = text.split('。')
        for j in range(2):
            paras.insert(2 + 5 * j, '稳步推进城市更新')
        text = '。'.join(paras)
        if i == 0:
            verbs = ['讲话', '主持', '指出', '强调', '要求', '部署']
            text = ''.join(f'欧阳明远{verbs[q % 6]}，欧阳明远{verbs[(q // 6 + q + 1) % 6]}\n'
                           for q in range(20)) + text
        rows.append({'id': name, 'g': 'target', 'text': text})
    for name, text in texts(CITIES):
        rows.append({'id': name, 'g': 'rest', 'text': text})
    # The name is a term (a user dictionary entry): what is tested is its ranking.
    dictionary = os.path.join(tmp, 'dict.txt')
    with open(dictionary, 'w', encoding='utf-8') as f:
        f.write('欧阳明远\n' + ''.join(f'-欧阳明远{v}\n' for v in ('讲话', '主持', '指出', '强调', '要求', '部署')))
    with open(path, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')

    def keyness(*args):
        r = subprocess.run([EXE, 'keyness', '--target', 'g=target', '--format', 'json', '--dict',
                            dictionary, *args, path],
                           capture_output=True, text=True)
        check(r.returncode == 0, f'keyness {args}: exit 0 ({r.stderr})')
        return json.loads(r.stdout) if r.returncode == 0 else {'terms': []}

    def rank_of(terms, s):
        return next((i for i, t in enumerate(terms) if s in t['term']), None)

    old = keyness('--rank', 'statistic')['terms']
    new = keyness()
    check(new.get('ranked_by') == 'statistic_without_top', f"ranked_by {new.get('ranked_by')}")
    new = new['terms']
    r_old, r_new = rank_of(old, '欧阳明远'), rank_of(new, '欧阳明远')
    check(r_old == 0, f'tokens as independent: the name ranks first ({r_old}): the planted problem')
    check(r_new is not None and r_new >= 3, f'default ranking: the name is not in the top 3 ({r_new})')
    r_city = rank_of(new, '城市更新')
    check(r_city is not None and (r_new is None or r_city < r_new), f'城市更新 ({r_city}) above the name ({r_new})')
    name = new[r_new] if r_new is not None else {}
    check(name.get('docs_target') == 1, f"the name: docs_target 1 ({name.get('docs_target')})")
    check(name.get('dp', 0) > 0.75, f"the name: DP near 1 ({name.get('dp')})")
    check(all(x['statistic_without_top'] >= y['statistic_without_top'] for x, y in zip(new, new[1:])),
          'default order: statistic_without_top descending')

    # Independent computation on n-gram units: the counts from `comptext tf`.
    units = ['--units', 'ngrams', '-n', '2']
    tf = subprocess.run([EXE, 'tf', '-n', '2', path], capture_output=True, text=True)
    check(tf.returncode == 0, f'tf exit 0 ({tf.stderr})')
    counts = {}
    for line in tf.stdout.splitlines()[1:]:
        i, t, c = line.split('\t')
        counts.setdefault(i, {})[t] = float(c)
    ids = [r['id'] for r in rows]
    target = [r['id'] for r in rows if r['g'] == 'target']
    refs = [r['id'] for r in rows if r['g'] == 'rest']
    size = {i: sum(counts.get(i, {}).values()) for i in ids}
    n1, n2 = sum(size[i] for i in target), sum(size[i] for i in refs)
    res = keyness(*units)
    check(res.get('target_documents') == 6 and res.get('reference_documents') == 7, 'document counts')
    checked = 0
    for t in res['terms']:
        term = t['term']
        f = [counts.get(i, {}).get(term, 0.0) for i in target]
        g = [counts.get(i, {}).get(term, 0.0) for i in refs]
        check(t['n_target'] == sum(f) and t['n_reference'] == sum(g), f'{term}: counts')
        check(t['docs_target'] == sum(x > 0 for x in f) and t['docs_reference'] == sum(x > 0 for x in g),
              f'{term}: documents')
        if sum(f) > 0:
            dp = 0.5 * sum(abs(x / sum(f) - size[i] / n1) for x, i in zip(f, target))
            check(close(t['dp'], dp, abs_=1e-12), f"{term}: DP {t['dp']} vs {dp}")
            top = max(range(6), key=lambda q: (f[q], -q))
            a2, n1b = sum(f) - f[top], n1 - size[target[top]]
            b = sum(g)
            if a2 + b > 0:
                stat = chi2_contingency(np.array([[a2, b], [n1b - a2, n2 - b]]), correction=False,
                                        lambda_='log-likelihood')[0]
                stat *= -1 if a2 * n2 < b * n1b else 1
                check(close(t['statistic_without_top'], stat), f"{term}: without top {t['statistic_without_top']} vs {stat}")
        else:
            check(t['dp'] == 1, f'{term}: DP 1 when the target never uses it')
        checked += 1
    check(checked > 50, f'{checked} terms checked')

    # --test documents against scipy's Mann–Whitney U.
    res = keyness(*units, '--test', 'documents')
    check(res.get('statistic') == 'mann-whitney-z', 'statistic named mann-whitney-z')
    for t in res['terms']:
        term = t['term']
        x = [counts.get(i, {}).get(term, 0.0) / size[i] for i in target]
        y = [counts.get(i, {}).get(term, 0.0) / size[i] for i in refs]
        mw = mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True)
        check(close(t['p'], mw.pvalue, abs_=1e-12), f"{term}: p {t['p']} vs scipy {mw.pvalue}")
        mu = len(x) * len(y) / 2
        check((t['statistic'] > 0) == (mw.statistic > mu) and (t['statistic'] < 0) == (mw.statistic < mu),
              f"{term}: sign of z follows U1 ({t['statistic']}, U1 {mw.statistic})")
    check(all(a['statistic'] >= b['statistic'] for a, b in zip(res['terms'], res['terms'][1:])),
          '--test documents: ranked by z')

    # The table carries the same four columns.
    r = subprocess.run([EXE, 'keyness', '--target', 'g=target', path], capture_output=True, text=True)
    head = r.stdout.splitlines()[0].split('\t')
    check(head == ['term', 'statistic', 'p', 'effect', 'n_target', 'n_reference', 'docs_target',
                   'docs_reference', 'dp', 'statistic_without_top'], f'TSV header {head}')
    # A one-document target: statistic_without_top is 0 (nothing is left), DP 0 for every
    # term it uses; the ranking is by statistic.
    r = subprocess.run([EXE, 'keyness', '--target', 'dongpo', path], capture_output=True, text=True)
    lines = [l.split('\t') for l in r.stdout.splitlines()[1:]]
    check(lines and all(l[9] == '0' for l in lines), 'one-document target: 0 without top')
    check(all(l[8] == ('0' if l[4] != '0' else '1') for l in lines), 'one-document target: DP 0 (1 unused)')
    check(all(float(a[1]) >= float(b[1]) for a, b in zip(lines, lines[1:])), 'one document: by statistic')
    for args, opt in ((['--rank', 'x'], '--rank'), (['--test', 'x'], '--test'),
                      (['--test', 'documents', '--rank', 'without-top'], '--rank')):
        r = subprocess.run([EXE, 'keyness', '--target', 'dongpo', *args, path], capture_output=True, text=True)
        check(r.returncode == 2 and opt in r.stderr, f'{args}: exit 2 naming {opt}')

checks.finish()
