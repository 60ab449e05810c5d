#!/usr/bin/python3
"""`comptext reuse`: passages planted with light edits (substitutions, small insertions,
full-width digits) between real paragraphs of ../shared/corpora are found, at offsets that
slice the original documents to exactly the reported text; texts that share no passage
(checked here with difflib: no common stretch of 12 characters) give nothing; a passage
planted in six documents is one boilerplate cluster reported as a spanning tree of five
pairs; --direction orients pairs; --group-by sums the passages; TSV has a header and the same
passages; 1 and 2 threads give the same bytes; one document gives nothing, a note and exit 0;
bad options exit 2, bad fields and inputs exit 1 with nothing written to -o.
Skips (77) with a message when ../shared is absent."""
import difflib, json, os, random, subprocess, sys, tempfile, unicodedata

sys.path.insert(0, os.path.dirname(__file__))
import ctkit  # noqa: E402

EXE = os.environ['COMPTEXT']
checks = ctkit.Checks()
check = checks.check


def run(*args, input=None):
    return subprocess.run([EXE, 'reuse', *args], capture_output=True, input=input)


def passages(out):
    return [json.loads(l) for l in out.decode('utf-8').splitlines()]


def skeleton(s):
    s = unicodedata.normalize('NFKC', s).casefold()
    return ''.join(c for c in s if unicodedata.category(c)[0] in 'LN')


def paragraphs(text):
    return [p.strip() for p in text.split('\n') if 80 <= len(p.strip()) <= 260]


HAN = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动'


def edit(p, rng):
    """Light edits: a substitution every ~14 characters, two insertions of 2 characters,
    ASCII digits made full-width."""
    out = []
    for i, c in enumerate(p):
        if i % 14 == 7 and '\u4e00' <= c <= '\u9fff':
            c = HAN[(HAN.find(c) + 1 + rng.randrange(len(HAN) - 1)) % len(HAN)] if c in HAN \
                else rng.choice(HAN)
        if c.isdigit() and c.isascii():
            c = chr(ord(c) - ord('0') + 0xFF10)
        out.append(c)
        if i in (len(p) // 3, 2 * len(p) // 3):
            out.append('进一')
    return ''.join(out)


def main():
    root = ctkit.shared_corpora()
    if not root:
        print('SKIP: ../shared/corpora is absent; the reuse test plants passages in its paragraphs')
        return 77
    reports = [json.loads(l) for l in open(os.path.join(root, 'gov-work-reports.jsonl'),
                                           encoding='utf-8')]
    reports = [r for r in reports if r['year']]
    by_year = {r['year']: paragraphs(r['content']) for r in reports}
    rng = random.Random(16)
    # Fillers from far-apart years; planted passages from a third report, with digits.
    fill_a, fill_b, fill_c = by_year['1956'], by_year['2019'], by_year['1988']
    source = [p for p in by_year['2008'] if any(c.isdigit() for c in p)][:3]
    planted = source[0]
    docs = []
    x = '\n\n'.join(fill_a[0:2]) + '\n\n' + planted + '\n\n' + '\n\n'.join(fill_a[2:4])
    y_edit = edit(planted, rng)
    y = '\n\n'.join(fill_b[0:3]) + '\r\n' + y_edit + '\n' + fill_b[3]
    docs.append({'id': 'x', 'year': 2001, 'city': '泰州', 'text': x})
    docs.append({'id': 'y', 'year': 1999, 'city': '扬州', 'text': y})
    # A document sharing nothing with x or y (checked below).
    z = '\n\n'.join(fill_c[0:4])
    docs.append({'id': 'z', 'year': 2005, 'city': '泰州', 'text': z})
    # Boilerplate: one passage in six documents, each with its own filler.
    boiler = source[1]
    years = sorted(y for y in by_year if '1975' <= y <= '1999' and len(by_year[y]) >= 3)
    for i in range(6):
        f = by_year[years[i]]
        docs.append({'id': 'w%d' % i, 'year': 2010 + i, 'city': '南京',
                     'text': '\n'.join(f[:2]) + '\n' + boiler + '\n' + '\n'.join(f[2:3])})
    texts = {d['id']: d['text'] for d in docs}

    # Preconditions of the negative: z shares no 12-character stretch with x or y.
    for other in ('x', 'y'):
        a, b = skeleton(z), skeleton(texts[other])
        m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        check(m.size < 12, 'precondition: z and %s share no stretch of 12 characters (%d)' % (other, m.size))

    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, 'c.jsonl')
        with open(corpus, 'w', encoding='utf-8', newline='') as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + '\n')
        # Texts as comptext reads them: CRLF read as LF.
        texts = {k: v.replace('\r\n', '\n') for k, v in texts.items()}
        r = run(corpus)
        check(r.returncode == 0, 'exit 0: %s' % r.stderr)
        ps = passages(r.stdout)
        for p in ps:
            check(texts[p['a']][p['a_begin']:p['a_end']] == p['a_text'], 'a offsets slice a_text: %r' % p)
            check(texts[p['b']][p['b_begin']:p['b_end']] == p['b_text'], 'b offsets slice b_text: %r' % p)
            check(p['identity'] >= 0.8 and p['length'] >= 20, 'thresholds: %r' % p)
            check(abs(p['identity'] - p['matches'] / p['length']) < 1e-12, 'identity = matches/length')
            for k in ('a', 'a_begin', 'a_end', 'b', 'b_begin', 'b_end', 'length', 'identity',
                      'score', 'a_text', 'b_text', 'cluster', 'cluster_size'):
                check(k in p, 'key %s' % k)
        # The planted pair, found at the planted offsets in both documents (within the few
        # characters an edit at the very end may cost).
        xy = [p for p in ps if (p['a'], p['b']) == ('x', 'y')]
        check(len(xy) == 1, 'one passage between x and y: %r' % xy)
        if xy:
            p = xy[0]
            xb = x.index(planted)
            yb = texts['y'].index(y_edit)
            check(abs(p['a_begin'] - xb) <= 3 and abs(p['a_end'] - (xb + len(planted))) <= 3,
                  'x offsets %d-%d vs planted %d-%d' % (p['a_begin'], p['a_end'], xb, xb + len(planted)))
            check(abs(p['b_begin'] - yb) <= 3 and abs(p['b_end'] - (yb + len(y_edit))) <= 3,
                  'y offsets %d-%d vs planted %d-%d' % (p['b_begin'], p['b_end'], yb, yb + len(y_edit)))
            check(p['identity'] < 1.0, 'edits lower the identity')
            check(not p['boilerplate'] and p['cluster_size'] == 2, 'a pair is not boilerplate')
        check(not [p for p in ps if 'z' in (p['a'], p['b'])], 'nothing reported for z')
        # Boilerplate: six documents, a spanning tree of five pairs.
        def is_boiler(p):
            return p['a'].startswith('w') and skeleton(p['a_text']) in skeleton(boiler) \
                and len(p['a_text']) > len(boiler) // 2
        bw = [p for p in ps if is_boiler(p)]
        check(len(bw) == 5, 'boilerplate spanning tree of 5 pairs: %d' % len(bw))
        check(all(p['boilerplate'] and p['cluster_size'] == 6 for p in bw), 'marked boilerplate of 6')
        check(len({p['cluster'] for p in bw}) == 1, 'one cluster')
        linked = set()
        for p in bw:
            linked |= {p['a'], p['b']}
        check(linked == {'w%d' % i for i in range(6)}, 'the tree spans the six documents')
        r6 = run('--boilerplate', '7', corpus)
        bw6 = [p for p in passages(r6.stdout) if is_boiler(p)]
        check(len(bw6) == 15 and not any(p['boilerplate'] for p in bw6),
              'below the boilerplate size every pair is reported: %d' % len(bw6))
        # Direction: y (1999) before x (2001).
        rd = run('--direction', 'year', corpus)
        xy = [p for p in passages(rd.stdout) if {p['a'], p['b']} == {'x', 'y'}]
        check(len(xy) == 1 and xy[0]['a'] == 'y' and xy[0]['directed'], 'oriented y → x: %r' % xy)
        if xy:
            p = xy[0]
            check(texts['y'][p['a_begin']:p['a_end']] == p['a_text'], 'oriented offsets follow the ids')
        # Group matrix.
        rg = run('--group-by', 'city', corpus)
        lines = rg.stdout.decode().splitlines()
        check(rg.returncode == 0 and lines[0] == 'group_a\tgroup_b\tpassages\tcharacters',
              'group matrix header: %r' % lines[:1])
        cells = {tuple(l.split('\t')[:2]): tuple(map(int, l.split('\t')[2:])) for l in lines[1:]}
        want = {}
        for p in ps:
            if p['boilerplate']:
                continue
            key = tuple(sorted((docs[[d['id'] for d in docs].index(p['a'])]['city'],
                                docs[[d['id'] for d in docs].index(p['b'])]['city'])))
            n, c = want.get(key, (0, 0))
            want[key] = (n + 1, c + p['length'])
        check(cells == want, 'group cells sum the passages: %r vs %r' % (cells, want))
        # TSV: header, then the same passages.
        rt = run('--format', 'tsv', corpus)
        tl = rt.stdout.decode().splitlines()
        check(tl and tl[0].startswith('a\ta_begin\ta_end\tb\tb_begin\tb_end'), 'TSV header')
        rows = [l.split('\t') for l in tl[1:]]
        check([(r[0], int(r[1]), r[3], int(r[4])) for r in rows] ==
              [(p['a'], p['a_begin'], p['b'], p['b_begin']) for p in ps], 'TSV = JSONL passages')
        check(all(ctkit.unescape_tsv(r[12]) == p['a_text'] for r, p in zip(rows, ps)), 'TSV texts')
        # CSV: the same rows (pandas reads it).
        import csv, io
        rc_ = run('--format', 'csv', corpus)
        crow = list(csv.reader(io.StringIO(rc_.stdout.decode(), newline='')))
        check(crow[0][:3] == ['a', 'a_begin', 'a_end'] and
              [(r[0], int(r[1]), r[12]) for r in crow[1:]] == [(p['a'], p['a_begin'], p['a_text']) for p in ps],
              'CSV = JSONL passages')
        # --max-df is reuse's own: 2 documents drops the boilerplate passage (in 6).
        rm = run('--max-df', '2', corpus)
        check(rm.returncode == 0 and not [p for p in passages(rm.stdout) if is_boiler(p)],
              '--max-df 2 drops shingles of the six documents (%r)' % rm.stderr[-200:])
        # Threads.
        t1 = run('--threads', '1', corpus).stdout
        t2 = run('--threads', '2', corpus).stdout
        check(t1 == t2 and t1 == r.stdout, '1 and 2 threads give the same bytes')
        shared = os.path.join(root, 'gov-work-reports.jsonl')
        s1 = run('--threads', '1', '--text-field', 'content', '--id-field', 'url', shared)
        s2 = run('--threads', '2', '--text-field', 'content', '--id-field', 'url', shared)
        check(s1.returncode == 0 and s1.stdout == s2.stdout and s1.stdout,
              'shared reports: 1 and 2 threads give the same bytes (%s)' % s1.stderr[-200:])
        # One document: nothing, a note, exit 0.
        one = os.path.join(tmp, 'one.txt')
        with open(one, 'w', encoding='utf-8') as f:
            f.write(x)
        r1 = run(one)
        check(r1.returncode == 0 and r1.stdout == b'' and b'only one document' in r1.stderr,
              'one document: %r' % r1.stderr)
        # A short passage after other text: the alignment starts at the first match, not at
        # the start of the range (parasail's CIGAR may begin with gaps).
        for name, t in (('sa.txt', '社区建设取得成效，和谐社区。\n'), ('sb.txt', '城乡社区服务，社区建设。\n')):
            with open(os.path.join(tmp, name), 'w', encoding='utf-8') as f:
                f.write(t)
        rs = run('--shingle', '4', '--min-shingles', '1', '--min-length', '4',
                 os.path.join(tmp, 'sa.txt'), os.path.join(tmp, 'sb.txt'))
        got = [(p['a_begin'], p['a_end'], p['b_begin'], p['b_end'], p['length']) for p in passages(rs.stdout)]
        check(got == [(0, 4, 7, 11, 4)], 'short passage at its exact offsets: %r' % got)
        # Bad input.
        out = os.path.join(tmp, 'out.jsonl')
        for args, status in ((['--min-identity', '2'], 2), (['--shingle', '3'], 2),
                             (['--min-length', '0'], 2), (['--max-df', '1'], 2), (['--max-df', '1.5'], 2),
                             (['-n', '2'], 2), (['--format', 'mtx'], 2),
                             (['--direction', 'nosuch'], 1), (['--group-by', 'nosuch'], 1)):
            rb = run(*args, '-o', out, corpus)
            check(rb.returncode == status and rb.stderr, '%s: exit %d (%d, %r)' % (args, status, rb.returncode, rb.stderr))
            check(not os.path.exists(out), '%s: nothing written to -o' % args)
        rb = run('-o', out, os.path.join(tmp, 'missing.jsonl'))
        check(rb.returncode == 1 and b'missing.jsonl' in rb.stderr and not os.path.exists(out),
              'a missing corpus: exit 1 naming it')
        bad = os.path.join(tmp, 'bad.jsonl')
        with open(bad, 'w') as f:
            f.write('{"id": "a", "text": "x"}\n{"id": "b"}\n')
        rb = run('-o', out, bad)
        check(rb.returncode == 1 and b':2' in rb.stderr and not os.path.exists(out),
              'a line without text: exit 1 naming line 2 (%r)' % rb.stderr)
    checks.finish()


sys.exit(main())
