#!/usr/bin/python3
"""`comptext reuse` and template sentences: a short official formula that many reports of
the genre share (现将有关情况报告如下, followed in two of them by the same heading and
phrase) is boilerplate, not a passage one report copied from another, even though only two
documents share enough of it to make a passage (so no boilerplate cluster forms); a real
passage copied between two other reports, one that begins with the same formula, stays a
passage, is not boilerplate and counts in the group matrix; compare's report counts the
template as boilerplate. The texts around them are random characters (seeded): they share
nothing. Needs no shared corpus."""
import json, os, random, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
import ctkit  # noqa: E402

EXE = os.environ['COMPTEXT']
checks = ctkit.Checks()
check = checks.check

TEMPLATE = '现将有关情况报告如下。'
# The class that escaped the boilerplate clusters: the formula, a standard heading and a
# standard phrase, 24 compared characters, shared by two reports only.
HEADING = '\n一、基本情况\n截至2021年底，全市'
HEADING_B = '\n一、基本情况\n截至2022年底，全市'


def filler(rng, n):
    return ''.join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(n))


def main():
    rng = random.Random(25)
    copied = filler(rng, 70)  # what r2 took from r3
    docs = []
    for i in range(8):
        text = filler(rng, 120) + '。' + TEMPLATE
        if i == 0:
            text += HEADING
        elif i == 1:
            text += HEADING_B
        text += filler(rng, 200) + '。'
        if i in (2, 3):  # the real copy, beginning with the formula
            text += '\n' + TEMPLATE + copied + '。\n'
        text += filler(rng, 150) + '。'
        docs.append({'id': 'r%d' % i, 'city': 'c%d' % (i % 4), 'text': text})
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, 'c.jsonl')
        with open(corpus, 'w', encoding='utf-8') as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + '\n')
        r = subprocess.run([EXE, 'reuse', corpus], capture_output=True)
        check(r.returncode == 0, 'exit 0: %r' % r.stderr)
        ps = [json.loads(l) for l in r.stdout.decode().splitlines()]
        tpl = [p for p in ps if (p['a'], p['b']) == ('r0', 'r1')]
        real = [p for p in ps if (p['a'], p['b']) == ('r2', 'r3')]
        check(len(tpl) == 1 and tpl[0]['a_text'].startswith(TEMPLATE),
              'the formula and heading of r0 and r1 align (%r)' % tpl)
        check(tpl and tpl[0]['boilerplate'] and tpl[0]['cluster_size'] == 2,
              'the template passage is boilerplate though its cluster has 2 documents: %r' % tpl)
        check(len(real) == 1 and copied in real[0]['a_text'] and copied in real[0]['b_text'],
              'the copied passage is found: %r' % real)
        check(real and not real[0]['boilerplate'] and TEMPLATE[:-1] in real[0]['a_text'],
              'the copied passage, formula included, is not boilerplate: %r' % real)
        check(len(ps) == 2, 'nothing else: %r' % ps)
        # The group matrix leaves the template out: only r2 (c2) – r3 (c3).
        g = subprocess.run([EXE, 'reuse', '--group-by', 'city', corpus], capture_output=True)
        rows = g.stdout.decode().splitlines()[1:]
        check(g.returncode == 0 and [l.split('\t')[:3] for l in rows] == [['c2', 'c3', '1']],
              'the group matrix has the copy only: %r' % rows)
        # A boilerplate size above the corpus turns the rule off: the formula is in 8
        # documents, fewer than 9.
        r9 = subprocess.run([EXE, 'reuse', '--boilerplate', '9', corpus], capture_output=True)
        p9 = [json.loads(l) for l in r9.stdout.decode().splitlines()]
        check(len(p9) == 2 and not any(p['boilerplate'] for p in p9),
              '--boilerplate 9: both passages, neither boilerplate: %r' % p9)
        # compare: the same passages; the report counts the template as boilerplate.
        out = os.path.join(tmp, 'out')
        c = subprocess.run([EXE, 'compare', '--quiet', corpus, '-o', out], capture_output=True)
        check(c.returncode == 0, 'compare exit 0: %r' % c.stderr[-300:])
        if c.returncode == 0:
            with open(os.path.join(out, 'reuse.jsonl'), 'rb') as f:
                check(f.read() == r.stdout, 'compare writes the same reuse.jsonl')
            with open(os.path.join(out, 'report.html'), encoding='utf-8') as f:
                html = f.read()
            check('1 of them is boilerplate — text that recurs across 5 documents or more' in html,
                  'report.html counts 1 boilerplate passage')
    checks.finish()


sys.exit(main())
