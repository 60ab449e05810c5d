#!/usr/bin/python3
"""Would within-document dispersion make the default themes better? A measurement, not a feature.

The idea (issue 12, noise class "formulae of thanks and ceremony"): a term whose uses in a
report sit in one paragraph or one stretch of it (2025's 表示衷心感谢, three times in the
closing paragraph) is less of a theme than one spread through the report. This script tests
it before any C is written: it takes the default themes of the government work reports
(comptext themes -k 60, the candidates in the order comptext gives them), finds each theme's
uses in the report's text, re-ranks by score × (1 − alpha · concentration) and scores the
top 15 / 20 with tools/eval-gold-themes.py's own gold list and matching rule.
Concentration, for a term used f ≥ 2 times:
  * seg S: Gries's DP over S equal stretches of the report, rescaled to 0 … 1 between the
    smallest DP f uses can have (1 − f/S when f < S, else 0) and the largest (1 − 1/S);
  * para: 1 when every use is in one paragraph (a line of the text), else 0.
Terms used once are not concentrated (0). Prints one row a variant, then the terms the
paragraph rule removes from each report's top 15 (* for those the gold list does not judge).
Usage: tools/measure-within-doc-dispersion.py COMPTEXT (Debian's /usr/bin/python3).
Exit 77 when ../shared is absent. The results are in BENCHMARKS.md, "themes: within-document
dispersion"."""
import bisect
import importlib.util
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_eval():
    spec = importlib.util.spec_from_file_location('gold_eval', os.path.join(HERE, 'eval-gold-themes.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def uses(text, term):
    return [m.start() for m in re.finditer(re.escape(term), text)]


def stretch_concentration(text, term, parts):
    pos = uses(text, term)
    f = len(pos)
    if f < 2:
        return 0.0
    counts = [0] * parts
    for p in pos:
        counts[min(parts - 1, p * parts // len(text))] += 1
    dp = 0.5 * sum(abs(c / f - 1 / parts) for c in counts)
    lowest, highest = max(0.0, 1 - f / parts), 1 - 1 / parts
    return (dp - lowest) / (highest - lowest) if highest > lowest else 0.0


def paragraph_concentration(text, term):
    pos = uses(text, term)
    if len(pos) < 2:
        return 0.0
    starts = [0] + [m.end() for m in re.finditer('\n', text)]
    return 1.0 if len({bisect.bisect_right(starts, p) for p in pos}) == 1 else 0.0


def main():
    exe = sys.argv[1]
    ev = load_eval()
    shared = os.environ.get('COMPTEXT_SHARED', os.path.join(HERE, '..', '..', 'shared'))
    path = os.path.join(shared, 'corpora', 'gov-work-reports.jsonl')
    if not os.path.exists(path):
        print(f'skip: {path} is absent')
        return 77
    gold = ev.load_gold(os.path.join(HERE, 'eval', 'gold-themes.txt'))
    texts = {}
    for line in open(path, encoding='utf-8'):
        d = json.loads(line)
        texts[d['title']] = d['content']
    years = {y: next(t for t in texts if t.startswith(y + '年')) for y in gold}
    out = subprocess.run([exe, 'themes', '-k', '60', '--text-field', 'content', '--id-field',
                          'title', path], capture_output=True, text=True, check=True).stdout
    themes = {r['id']: r['themes'] for r in json.loads(out)}

    def ranked(concentration, alpha):
        lists = {}
        for y, title in years.items():
            c = [(t['score'] * (1 - alpha * concentration(texts[title], t['term'])), i, t['term'])
                 for i, t in enumerate(themes[title])]
            c.sort(key=lambda x: (-x[0], x[1]))
            lists[y] = [term for _, _, term in c[:20]]
        return lists

    print('| concentration | alpha | precision@15 | recall@20 |\n| --- | --- | --- | --- |')
    variants = [('none', lambda t, w: 0.0, 0.0)]
    for parts in (5, 10, 20):
        for alpha in ((0.3, 0.5, 1.0) if parts == 10 else (0.5,)):
            variants.append((f'seg {parts}', lambda t, w, s=parts: stretch_concentration(t, w, s), alpha))
    variants.append(('para', paragraph_concentration, 1.0))
    for name, conc, alpha in variants:
        p, r = ev.score(ranked(conc, alpha), gold)
        print(f'| {name} | {alpha} | {p:.3f} | {r:.3f} |')
    print('\nremoved from the top 15 by the paragraph rule (* not judged):')
    for y, title in years.items():
        judged = gold[y]['hallmarks'] + gold[y]['accept']
        gone = [t['term'] for t in themes[title][:15] if paragraph_concentration(texts[title], t['term'])]
        if gone:
            print(y, ' '.join(t + ('' if any(ev.matches(t, j) for j in judged) else '*') for t in gone))
    return 0


if __name__ == '__main__':
    sys.exit(main())
