#!/usr/bin/python3
"""The length prior of the theme scores (themes --length-weight X, default 0.2).

The keyness scores g2, g2-idf and g2-logratio of a discovered term of L characters are
multiplied by (L / 2)^X: checked term by term against the scores without it
(--length-weight 0), to 1e-12, on the default corpus and, when ../shared is there, on the
government work reports; the ranking is by the weighted score; --score tfidf, --units ngrams
and a corpus ranked by count (one report, --reference none) keep their scores; a bad value
is a usage error (exit 2) and writes nothing."""
import json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

EXE = os.environ['COMPTEXT']
checks = ctkit.Checks()
check = checks.check


def themes(*args):
    r = subprocess.run([EXE, 'themes', '--quiet', '-k', '60', *args], capture_output=True,
                       text=True)
    check(r.returncode == 0, f'themes {args}: exit 0 ({r.stderr[-200:]})')
    return {d['id']: [(t['term'], t['score']) for t in d['themes']]
            for d in json.loads(r.stdout or '[]')}


def weighted(corpus, *opts):
    """Each document's themes with the default weight and without, term by term."""
    with_w, without = themes(*opts, corpus), themes(*opts, '--length-weight', '0', corpus)
    checked = 0
    for doc, terms in with_w.items():
        base = dict(without.get(doc, []))
        scores = [s for _, s in terms]
        check(scores == sorted(scores, reverse=True), f'{doc}: ranked by the weighted score')
        for term, score in terms:
            if term in base:
                want = base[term] * (len(term) / 2) ** 0.2
                check(abs(score - want) <= 1e-12 * want,
                      f'{doc} {term}: {score} = {base[term]} x ({len(term)}/2)^0.2')
                checked += 1
    return with_w, without, checked


corpora = [ctkit.CITIES]
shared = os.path.join(os.environ.get('COMPTEXT_SHARED', ''), 'corpora', 'gov-work-reports.jsonl')
if os.path.exists(shared):
    corpora.append(shared)
else:
    print('note: ../shared absent, the government work reports are not checked')
for corpus in corpora:
    opts = ('--text-field', 'content', '--id-field', 'title') if corpus.endswith('.jsonl') else ()
    with_w, without, checked = weighted(corpus, *opts)
    check(checked >= 100, f'{os.path.basename(corpus)}: {checked} terms checked')
    moved = sum(a != b for d in with_w for a, b in zip(with_w[d][:15], without.get(d, [])[:15]))
    check(moved > 0, f'{os.path.basename(corpus)}: the prior changes some top-15 places ({moved})')
    for doc, terms in with_w.items():  # a longer term gains on a shorter one
        for (t1, s1), (t2, s2) in zip(terms, terms[1:]):
            if len(t1) < len(t2):
                b = dict(without.get(doc, []))
                if t1 in b and t2 in b:
                    check(b[t1] >= b[t2] * (len(t2) / len(t1)) ** 0.2 * (1 - 1e-12),
                          f'{doc}: shorter {t1} above longer {t2} only with the better score')

# scores the prior leaves alone
for opts in (('--score', 'tfidf'), ('--units', 'ngrams')):
    a, b = themes(*opts, ctkit.CITIES), themes(*opts, '--length-weight', '0', ctkit.CITIES)
    check(a == b and a, f'{opts}: the same themes and scores as --length-weight 0')
one = os.path.join(ctkit.CITIES, 'taizhou-2009.txt')
a, b = themes('--reference', 'none', one), themes('--reference', 'none', '--length-weight', '0', one)
check(a == b and a, 'one report without a reference: ranked by count, as without the prior')

for bad in ('-1', 'abc', 'nan', ''):
    r = subprocess.run([EXE, 'themes', '--length-weight', bad, ctkit.CITIES], capture_output=True,
                       text=True)
    check(r.returncode == 2 and '--length-weight' in r.stderr and not r.stdout,
          f'--length-weight {bad!r}: usage error naming it ({r.returncode})')
checks.finish()
