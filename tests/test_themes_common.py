#!/usr/bin/python3
"""The corpus's common vocabulary is no theme (themes --common-share X, default 0.95).

A planted corpus of 24 reports: one report uses 数字乡村 alone, twenty times; every other
report uses it only inside the longer term 数字乡村建设, so as a column of the segmented
matrix it is in one report (a high idf) while every report uses it in some form. By default
it is not a theme of the first report; with --common-share 1 (no rule) it is its first
theme; 智慧菜场, used alone in half the reports, stays a theme at the default and goes with
--common-share 0.4, and one in 7 of 25 reports at 0.28 (a whole number of rows, whatever the
rounding of 0.28 × 25). A bad value is a usage error (exit 2) that writes nothing. Under mpirun
the rule gives the bytes of one process (test_mpi.py, on the government work reports)."""
import json, os, random, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

EXE = os.environ['COMPTEXT']
checks = ctkit.Checks()
check = checks.check
rng = random.Random(12)


def report(i, market_every=2):
    parts = []
    if i == 0:
        parts += ctkit.planted_uses(rng, '数字乡村', ctkit.plant_contexts(rng, 20))
    else:
        parts += ctkit.planted_uses(rng, '数字乡村建设', ctkit.plant_contexts(rng, 3))
    if i % market_every == 0:
        parts += ctkit.planted_uses(rng, '智慧菜场', ctkit.plant_contexts(rng, 4))
    term = ctkit.PLANT_TERMS[2 + i % 30]  # a term of the report's own, past the two above
    parts += ctkit.planted_uses(rng, term, ctkit.plant_contexts(rng, 6))
    parts += [rng.choice(ctkit.PLANT_FILLER) for _ in range(30)]
    rng.shuffle(parts)
    return ''.join(parts)


def themes(corpus, *args):
    r = subprocess.run([EXE, 'themes', '--quiet', '-k', '10', *args, corpus], capture_output=True,
                       text=True)
    check(r.returncode == 0, f'themes {args}: exit 0 ({r.stderr[-300:]})')
    return {d['id']: [t['term'] for t in d['themes']] for d in json.loads(r.stdout or '[]')}


with tempfile.TemporaryDirectory() as tmp:
    corpus = os.path.join(tmp, 'reports.jsonl')
    with open(corpus, 'w', encoding='utf-8') as f:
        for i in range(24):
            f.write(json.dumps({'id': f'r{i:02d}', 'text': report(i)}, ensure_ascii=False) + '\n')
    off = themes(corpus, '--common-share', '1')
    check(off['r00'][:1] == ['数字乡村'],
          f'without the rule 数字乡村 is the first theme of r00 (one report counts it): {off["r00"]}')
    default = themes(corpus)
    check('数字乡村' not in default['r00'],
          f'by default 数字乡村, in every report in some form, is no theme: {default["r00"]}')
    rest = [t for t in off['r00'] if t != '数字乡村']
    check(len(rest) >= 5 and default['r00'][:len(rest)] == rest,
          f'the rest of r00 keeps its order: {default["r00"]} / {off["r00"]}')
    check('智慧菜场' in default['r02'], f'智慧菜场, in half the reports, stays a theme: {default["r02"]}')
    low = themes(corpus, '--common-share', '0.4')
    check('智慧菜场' not in low['r02'], f'--common-share 0.4: 智慧菜场 goes: {low["r02"]}')
    check(all(low[d] and default[d] for d in default), 'every report keeps themes')
    # The share is of whole rows: 0.28 of 25 reports is 7 (7.000000000000001 in floating
    # point), and 智慧菜场, in 7 of them, is common at 0.28 but not at 0.29.
    quarter = os.path.join(tmp, 'quarter.jsonl')
    with open(quarter, 'w', encoding='utf-8') as f:
        for i in range(25):
            f.write(json.dumps({'id': f'r{i:02d}', 'text': report(i, 4)}, ensure_ascii=False) + '\n')
    check('智慧菜场' in themes(quarter, '--common-share', '0.29')['r00'],
          '25 reports: 智慧菜场, in 7, is a theme at --common-share 0.29')
    check('智慧菜场' not in themes(quarter, '--common-share', '0.28')['r00'],
          '25 reports: 智慧菜场, in 7, is common at --common-share 0.28 (7 of 25)')
    out = os.path.join(tmp, 'out.json')
    for bad in ('0', '-1', '1.5', 'x', ''):
        r = subprocess.run([EXE, 'themes', '--common-share', bad, '-o', out, corpus],
                           capture_output=True, text=True)
        check(r.returncode == 2 and '--common-share' in r.stderr and not os.path.exists(out),
              f'--common-share {bad!r}: exit 2 naming the option, nothing written '
              f'(exit {r.returncode}: {r.stderr.strip()[:200]})')
sys.exit(checks.finish())
