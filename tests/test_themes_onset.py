#!/usr/bin/python3
"""Themes of a yearly series find a slogan in the report where it begins, though it stays.

A made-up series of fourteen reports with a year field (2001–2014), each with three terms
of its own used 8 times and two terms used 6 times that return seven years later (the
reports of 2001–2007 and of 2008–2014 share them in pairs); a slogan (三个一批工程) begins in
2008 with 6 uses and stays in every later report with 3 a year (a slogan that marks a
decade, as 供给侧结构性改革 from 2016).
Every use of a planted term is between words no other use of it has, so that term
discovery finds it whole.
  * The planted failure: with --time-field none (each report against the rest, whose later
    reports use the slogan too) it is not among the top 5 of 2008: the two returning terms,
    used by one other report only, rank above it.
  * By default (the year field: each report is also compared with the reports more than
    two years before it, where the returning terms are and the slogan is not) it is in the
    top 4 of 2008, and every report keeps its own three terms in its top 5; no report before
    2008 has the slogan.
  * --onset-weight 0 ranks as --time-field none; a --time-field the corpus does not have
    and a bad --onset-weight exit 2."""
import itertools, json, os, random, subprocess, sys, tempfile

EXE = os.environ['COMPTEXT']
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks()
check = checks.check


def themes(*args):
    return ctkit.theme_terms(checks.run('themes', *args).stdout)


OWN = ctkit.PLANT_TERMS
RETURNING = ['老城改造', '菜篮子工程', '村村通公路', '希望工程', '安居工程', '送温暖工程', '双拥模范城',
             '文明城市创建', '科技下乡', '万村千乡', '城乡环卫一体化', '退耕还林', '农网改造', '放心肉工程']
SLOGAN = '三个一批工程'

rng = random.Random(8)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'series.jsonl')
    slogan_uses = {y: (6 if y == 2008 else 3 if y > 2008 else 0) for y in range(2001, 2015)}
    pairs = ctkit.plant_contexts(rng, 28)  # 26 slogan uses
    k = 0
    with open(path, 'w', encoding='utf-8') as f:
        for i, y in enumerate(range(2001, 2015)):
            parts = []
            for t in OWN[3 * i:3 * i + 3]:
                parts += ctkit.planted_uses(rng, t, ctkit.plant_contexts(rng, 8))
            for t in RETURNING[2 * (i % 7):2 * (i % 7) + 2]:
                parts += ctkit.planted_uses(rng, t, ctkit.plant_contexts(rng, 6))
            parts += ctkit.planted_uses(rng, SLOGAN, pairs[k:k + slogan_uses[y]])
            k += slogan_uses[y]
            rng.shuffle(parts)
            f.write(json.dumps({'id': f'y{y}', 'year': str(y), 'text': ''.join(parts) + '。'},
                               ensure_ascii=False) + '\n')
    old = themes('-k', '5', '--time-field', 'none', path)
    check(SLOGAN not in old['y2008'][:5], f'--time-field none: not in the top 5 of 2008 (the planted failure) {old["y2008"]}')
    new = themes('-k', '5', path)
    check(SLOGAN in new['y2008'][:4], f'by default: in the top 4 of 2008, after its own three {new["y2008"]}')
    for i, y in enumerate(range(2001, 2015)):
        for t in OWN[3 * i:3 * i + 3]:
            check(t in new[f'y{y}'][:5], f'y{y}: its own term {t} in its top 5 {new[f"y{y}"]}')
        if y < 2008:
            check(SLOGAN not in new[f'y{y}'], f'y{y} does not use the slogan')
    check(themes('-k', '5', '--onset-weight', '0', path) == old, '--onset-weight 0 = --time-field none')
    for args in (['--time-field', 'nosuch'], ['--onset-weight', '-1'], ['--onset-weight', 'x']):
        r = subprocess.run([EXE, 'themes', *args, path], capture_output=True, text=True)
        check(r.returncode == 2 and args[0] in r.stderr and not r.stdout, f'{args}: exit 2 ({r.stderr!r})')

checks.finish()
