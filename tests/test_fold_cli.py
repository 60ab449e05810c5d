#!/usr/bin/python3
"""Script folding (traditional -> simplified with OpenCC's t2s), checked against the `opencc`
command-line tool (Debian's peer, the same library and data):
- tokens and n-gram counts of a text equal those of OpenCC's whole-text conversion of it
  read with --no-fold-script (comptext converts only the stretches that need it; phrases
  such as 反覆 -> 反复 and 瞭解 -> 了解 included), on real and on random mixed-script texts;
- kwic for 中国 finds 中國, with offsets into the original text;
- keyness counts 国民党 in a text that writes 國民黨; themes print the simplified form;
- a traditional copy of a real report (made with `opencc -c s2t`) is its original's nearest
  neighbour at cosine >= 0.98 with the defaults (and is not with --no-fold-script);
- a note on stderr names each document written in traditional or mixed script: the first
  ten in corpus order, then how many more, the same for --threads 1, 2, 4;
- --no-fold-script keeps the scripts apart (tokens are the text's own characters);
- on ../shared: the 1954 government work report's themes hold no traditional variant."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

EXE = os.environ['COMPTEXT']
SOURCE = os.environ.get('COMPTEXT_SOURCE', os.path.join(os.path.dirname(__file__), '..'))
SHARED = os.environ.get('COMPTEXT_SHARED', os.path.join(SOURCE, '..', 'shared'))
CITIES = os.path.join(SOURCE, 'corpora', 'cities')
failures = 0

if not shutil.which('opencc'):
    print('SKIP: the opencc command (Debian package opencc) is not installed')
    sys.exit(77)
probe = subprocess.run([EXE, 'tokens', '-'], input='國家', capture_output=True, text=True)
if 'built without OpenCC' in probe.stderr:
    print('SKIP: comptext was built without OpenCC')
    sys.exit(77)


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print('FAIL:', what)


def opencc(text, config):
    return subprocess.run(['opencc', '-c', config], input=text, capture_output=True, text=True,
                          check=True).stdout


def run(*args, input=None):
    r = subprocess.run([EXE, *args], input=input, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError('comptext %s: %s' % (' '.join(args), r.stderr))
    return r


def tsv_rows(text):
    lines = text.splitlines()
    if lines and (lines[0].startswith('id\t') or lines[0].startswith('term\t')):
        lines = lines[1:]
    return [l.split('\t') for l in lines]


def tokens(text, *opts):
    out = run('tokens', *opts, '-', input=text).stdout
    return json.loads(out)['tokens']


def ngrams(text, *opts):
    return run('ngrams', *opts, '--threads', '1', '-', input=text).stdout


def write(d, name, text):
    with open(os.path.join(d, name), 'w', encoding='utf-8') as f:
        f.write(text)


# --- 1. Folding equals OpenCC's conversion of the whole text --------------------------------
with open(os.path.join(CITIES, 'taizhou-2009.txt'), encoding='utf-8') as f:
    report = f.read()
trad_report = opencc(report, 's2t')
check(trad_report != report, 'opencc s2t changes the report')
rng = random.Random(11)
pieces = ['國家', '国家', '反覆', '反复', '瞭解', '了解', '沈默', '發展', '我們', '的', '，', '。',
          ' ', '\n', 'GDP', '２０２５', '年', '覆蓋', '乾隆', '乾淨', '後來', '于是', '於是',
          '𠮷', '藉口', '狼藉', '么麼', '傢俱', '一目瞭然', '社區', '服務', '中國', '国民党',
          '國民黨', '計畫', '計劃', '電視臺']
samples = [report, trad_report, report[:2000] + trad_report[2000:4000]]
for _ in range(80):
    samples.append(''.join(rng.choice(pieces) for _ in range(rng.randint(1, 80))))
with tempfile.TemporaryDirectory() as tmp:
    src, ref = os.path.join(tmp, 'src.jsonl'), os.path.join(tmp, 'ref.jsonl')
    with open(src, 'w', encoding='utf-8') as f, open(ref, 'w', encoding='utf-8') as g:
        for i, text in enumerate(samples):
            f.write(json.dumps({'id': str(i), 'text': text}, ensure_ascii=False) + '\n')
            g.write(json.dumps({'id': str(i), 'text': opencc(text, 't2s')},
                               ensure_ascii=False) + '\n')
    for opts in (['-n', '1-4'], ['-n', '2-3', '--stopwords', 'none']):
        got = run('tokens', *opts, src).stdout.splitlines()
        want = run('tokens', '--no-fold-script', *opts, ref).stdout.splitlines()
        check(len(got) == len(samples) and got == want,
              f'{opts}: tokens of the folded texts equal those of opencc t2s: '
              f'{[i for i, (a, b) in enumerate(zip(got, want)) if a != b]}')
        # tf counts through the counting fast path, which converts only what needs it.
        for threads in ('1', '2'):
            got = run('tf', '--threads', threads, *opts, src).stdout
            want = run('tf', '--threads', threads, '--no-fold-script', *opts, ref).stdout
            check(got == want, f'{opts}: tf (the counting fast path) equals opencc t2s\'s')
        check(run('ngrams', *opts, src).stdout == run('ngrams', '--no-fold-script', *opts,
                                                      ref).stdout, f'{opts}: ngrams too')
check(tokens('國家發展', '--no-fold-script', '-n', '2') == ['國家', '家發', '發展'],
      '--no-fold-script keeps traditional characters')
check(tokens('國家發展', '-n', '2') == ['国家', '家发', '发展'], 'folding is the default')

with tempfile.TemporaryDirectory() as tmp:
    # --- 2. kwic: 中国 finds 中國, offsets into the original ----------------------------------
    mixed = '中國的發展。\n中国的发展，中國人民\t和中国人民。'
    write(tmp, 'mixed.txt', mixed)
    path = os.path.join(tmp, 'mixed.txt')
    r = run('kwic', '--term', '中国', '--window', '2', path)
    rows = tsv_rows(r.stdout)
    offsets = [int(x[1]) for x in rows]
    want = [i for i in range(len(mixed)) if mixed[i:i + 2] in ('中国', '中國')]
    check(offsets == want, f'kwic finds both scripts at their offsets: {offsets} / {want}')
    check(all(opencc(mixed[o:o + 2], 't2s') == '中国' for o in offsets),
          'each kwic offset points at the term in the original text')
    check(all(x[3] == '中国' for x in rows), 'kwic prints the folded term')
    r = run('kwic', '--term', '中國', '--window', '2', path)
    check([int(x[1]) for x in tsv_rows(r.stdout)] == want, 'a traditional term finds both')
    r = run('kwic', '--no-fold-script', '--term', '中国', '--window', '2', path)
    check([int(x[1]) for x in tsv_rows(r.stdout)] == [i for i in want if mixed[i + 1] == '国'],
          'kwic --no-fold-script finds only the simplified form')
    # A phrase (瞭解 -> 了解) and a character outside the BMP before the term: offsets are
    # in characters of the original.
    text = '𠮷我們瞭解中國，反覆瞭解中国'
    write(tmp, 'phrase.txt', text)
    r = run('kwic', '--term', '了解', '--window', '1', os.path.join(tmp, 'phrase.txt'))
    check([int(x[1]) for x in tsv_rows(r.stdout)] == [3, 10],
          f'kwic offsets after a folded phrase: {r.stdout}')

    # --- 3. The stderr note, keyness and themes on mixed-script text -------------------------
    corpus = os.path.join(tmp, 'corpus')
    os.mkdir(corpus)
    base = ['社区建设稳步推进，居民服务不断完善，基层治理能力明显提升。',
            '国民党当局的政策受到批评，社区建设和居民服务继续推进。']
    write(corpus, 'a.txt', base[0] * 5)
    write(corpus, 'b.txt', base[0] * 3 + base[1])
    write(corpus, 't.txt', opencc(base[1], 's2t') * 4 + base[0])
    r = run('keyness', '--target', 't', '--units', 'ngrams', '-n', '3', corpus)
    rows = {x[0]: x for x in tsv_rows(r.stdout)}
    check('国民党' in rows and int(rows['国民党'][4]) == 4 and int(rows['国民党'][5]) == 1,
          f'keyness counts 国民党 in a text that writes 國民黨 (4 in t, 1 in b): '
          f'{rows.get("国民党")}')
    check(not any(opencc(t, 't2s') != t for t in rows), 'keyness prints simplified terms only')
    notes = [l for l in r.stderr.splitlines() if 'script' in l]
    check(len(notes) == 1 and 'note: t: mixes traditional and simplified' in notes[0],
          f'one note, naming the mixed document: {notes}')
    r = run('keyness', '--no-fold-script', '--target', 't', '--units', 'ngrams', '-n', '3',
            corpus)
    rows = {x[0]: x for x in tsv_rows(r.stdout)}
    check('國民黨' in rows and int(rows['國民黨'][4]) == 4, '--no-fold-script counts 國民黨 apart')
    # Many such documents: ten notes one by one, then one line for the rest
    many = os.path.join(tmp, 'many.jsonl')
    with open(many, 'w', encoding='utf-8') as f:
        for i in range(15):
            f.write(json.dumps({'id': f'm{i}', 'text': f'國家發展，第{i}次會議討論了居民服務。'},
                               ensure_ascii=False) + '\n')
    r = run('ngrams', '--keep-chrome', many)
    notes = [l for l in r.stderr.splitlines() if 'script' in l]
    check(len(notes) == 11 and sum('counted in simplified form; they are not listed' in l
                                   for l in notes) == 1,
          f'15 traditional documents: 10 notes and one for the rest, not 15: {len(notes)}')
    # compare's report.html names the mixed-script document, and only it
    out = os.path.join(tmp, 'cmp')
    r = run('compare', '-o', out, corpus)
    html = open(os.path.join(out, 'report.html'), encoding='utf-8').read() if r.returncode == 0 else ''
    check('1 document written in traditional or mixed script' in html and
          html.count('<td>mixed (') == 1 and '<td>t</td>' in html,
          f'report.html notes the one mixed-script document (exit {r.returncode})')
    r = run('compare', '--no-fold-script', '-o', out + '2', corpus)
    html = open(os.path.join(out + '2', 'report.html'), encoding='utf-8').read()
    check('traditional or mixed script' not in html, 'no script note with --no-fold-script')
    check(not [l for l in r.stderr.splitlines() if 'script' in l],
          'no script note with --no-fold-script')
    # --- 4. A traditional copy of a real report is its original's nearest neighbour ---------
    corpus = os.path.join(tmp, 'cities')
    shutil.copytree(CITIES, corpus)
    os.remove(os.path.join(corpus, 'manifest.tsv'))
    write(corpus, 'taizhou-2009-trad.txt', trad_report)
    for opts, folded in (([], True), (['--no-fold-script'], False)):
        r = run('similarity', '--top', '1', *opts, corpus)
        top = {x[0]: (x[1], float(x[2])) for x in tsv_rows(r.stdout)}
        nb, score = top['taizhou-2009-trad']
        if folded:
            check(nb == 'taizhou-2009' and score >= 0.98,
                  f'traditional copy: nearest neighbour taizhou-2009 at >= 0.98: {nb} {score}')
            check(top['taizhou-2009'][0] == 'taizhou-2009-trad',
                  'and the copy is the original\'s nearest neighbour')
            check('note: taizhou-2009-trad: traditional script' in r.stderr,
                  f'the note names the traditional copy: {r.stderr}')
        else:
            check(score < 0.5, f'without folding the copy is far from the original: {score}')
    themes = {d['id']: [t['term'] for t in d['themes']]
              for d in json.loads(run('themes', corpus).stdout)}
    terms = themes['taizhou-2009-trad']
    check(terms and all(opencc(t, 't2s') == t for t in terms),
          f'themes print the simplified form: {terms}')
    themes = {d['id']: [t['term'] for t in d['themes']]
              for d in json.loads(run('themes', '--no-fold-script', corpus).stdout)}
    terms = themes['taizhou-2009-trad']
    check(any(opencc(t, 't2s') != t for t in terms),
          f'themes --no-fold-script keep traditional terms: {terms}')

# --- 4b. The script notes: the first ten in corpus order, then the count, for any threads --
    many = os.path.join(tmp, 'many')
    os.mkdir(many)
    n_trad = 0
    for name in sorted(os.listdir(CITIES)):
        if not name.endswith('.txt'):
            continue
        paras = [p for p in open(os.path.join(CITIES, name), encoding='utf-8').read().split('\n')
                 if len(p.strip()) > 20][:4]
        for j, p in enumerate(paras):
            write(many, '%s-%d.txt' % (name[:-4], j), p)
            write(many, '%s-%d-trad.txt' % (name[:-4], j), opencc(p, 's2t'))
            n_trad += 1
    ids = sorted(f[:-4] for f in os.listdir(many) if f.endswith('-trad.txt'))
    errs = {}
    for t in ('1', '2', '4'):
        errs[t] = run('tf', '--threads', t, many).stderr
    notes = [l for l in errs['1'].splitlines() if 'script' in l]
    want = [i for i in ids if any(n.startswith('comptext tf: note: %s: ' % i) for n in notes)]
    check(n_trad > 10 and len(notes) == 11 and want == ids[:10] and
          notes[-1].startswith('comptext tf: note: %d more documents' % (n_trad - 10)),
          f'ten script notes in corpus order, then the count ({n_trad} documents): {notes}')
    check(errs['1'] == errs['2'] == errs['4'],
          f'the notes are the same for --threads 1, 2, 4: {errs}')

# --- 5. The 1954 government work report: no traditional variants among its themes ----------
jsonl = os.path.join(SHARED, 'corpora', 'gov-work-reports.jsonl')
if os.path.exists(jsonl):
    args = ['--text-field', 'content', '--id-field', 'title', jsonl]
    doc = [d for d in json.loads(run('themes', *args).stdout) if d['id'].startswith('1954')][0]
    terms = [t['term'] for t in doc['themes']]
    check(terms and all(opencc(t, 't2s') == t for t in terms),
          f'1954 themes are simplified: {terms}')
    old = [d for d in json.loads(run('themes', '--no-fold-script', *args).stdout)
           if d['id'].startswith('1954')][0]
    check(any(opencc(t['term'], 't2s') != t['term'] for t in old['themes']),
          'with --no-fold-script the 1954 themes keep their traditional variants (as before)')
else:
    print(f'note: {jsonl} absent, the 1954 check is skipped')

if failures:
    print(f'{failures} failure(s)')
    sys.exit(1)
print('ok')
