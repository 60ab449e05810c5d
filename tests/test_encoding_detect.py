#!/usr/bin/python3
"""--encoding auto on real text: every report of the default corpus (and of ../shared when
present), whole and in 40-character pieces, encoded as GB18030 is read as GB18030, and its
traditional copy (`opencc -c s2t`, Debian's peer) encoded as Big5 with Python's codecs is
read as Big5 — the two are told apart although Big5 bytes are nearly always valid GB18030 —
and both decode to the text itself (its Han characters)."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

EXE = os.environ['COMPTEXT']
SOURCE = os.environ.get('COMPTEXT_SOURCE', os.path.join(os.path.dirname(__file__), '..'))
SHARED = os.environ.get('COMPTEXT_SHARED', os.path.join(SOURCE, '..', 'shared'))
if not shutil.which('opencc'):
    print('SKIP: the opencc command (Debian package opencc) is not installed')
    sys.exit(77)

texts = {}
for f in sorted(glob.glob(os.path.join(SOURCE, 'corpora', 'cities', '*.txt'))):
    with open(f, encoding='utf-8-sig') as fh:
        texts[os.path.basename(f)[:-4]] = fh.read()
jsonl = os.path.join(SHARED, 'corpora', 'gov-work-reports.jsonl')
if os.path.exists(jsonl):
    with open(jsonl, encoding='utf-8') as fh:
        for i, line in enumerate(fh):
            texts[f'gov{i}'] = json.loads(line)['content']
else:
    print(f'note: {jsonl} absent: the default corpus only')
# Pieces: a 40-character stretch every 500 characters, each holding some Chinese.
for k, t in list(texts.items()):
    for i in range(0, len(t), 500):
        piece = t[i:i + 40]
        if re.search(r'[\u4e00-\u9fff]', piece):
            texts[f'{k}-{i}'] = piece
keys = sorted(texts)
sep = '\ue000\n\ue000'
trad = subprocess.run(['opencc', '-c', 's2t'], input=sep.join(texts[k] for k in keys),
                      capture_output=True, text=True, check=True).stdout.split(sep)
assert len(trad) == len(keys)
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for name, codec, sources in (('gb', 'gb18030', [texts[k] for k in keys]), ('b5', 'big5', trad)):
        d = os.path.join(tmp, name)
        os.mkdir(d)
        want = {}
        for k, t in zip(keys, sources):
            data = t.encode(codec, errors='ignore')  # Big5 lacks a few characters
            with open(os.path.join(d, k + '.txt'), 'wb') as f:
                f.write(data)
            want[k] = data.decode(codec).replace('\r\n', '\n').replace('\r', '\n')
        u = os.path.join(tmp, name + '-utf8')
        os.mkdir(u)
        for k in keys:
            with open(os.path.join(u, k + '.txt'), 'w', encoding='utf-8') as f:
                f.write(want[k])
        args = [EXE, 'tokens', '--no-fold-script', '-n', '1', '--stopwords', 'none']
        r = subprocess.run(args + [d], capture_output=True, text=True)
        ref = subprocess.run(args + [u], capture_output=True, text=True)
        notes = re.findall(r'note: .*/([^/]+)\.txt: not valid UTF-8, read as (\S+)', r.stderr)
        label = 'GB18030' if codec == 'gb18030' else 'Big5'
        wrong = [k for k, enc in notes if enc != label]
        if r.returncode != 0 or len(notes) != len(keys) or wrong:
            failures += 1
            print(f'FAIL {codec}: {len(notes)} of {len(keys)} read as {label}; wrong: {wrong[:10]}')
        # The Han characters (iconv's CP950 and Python's big5 differ on a few symbols: ①
        # is ETEN's C6A1 in one, a private-use character in the other).
        def han(out):
            return {json.loads(l)['id']: [t for t in json.loads(l)['tokens']
                                          if re.fullmatch(r'[\u3400-\u9fff]', t)]
                    for l in out.splitlines()}
        if han(r.stdout) != han(ref.stdout) or not r.stdout:
            failures += 1
            print(f'FAIL {codec}: the decoded texts differ from the texts themselves')
        print(f'{codec}: {len(keys)} texts, {len(notes)} notes, {len(wrong)} misread')
    # A CSV table in each encoding, its cells (ids, text) in the table's encoding whether
    # given (--encoding) or found (auto): the ids and texts of the same table in UTF-8 (a
    # Big5 table's cells were once decoded as UTF-8 under --encoding big5).
    for codec, sources, opt in (('gb18030', [texts[k] for k in keys], 'gb18030'), ('big5', trad, 'big5')):
        rows = [(f'{sources[i][:6].strip()}{i}', sources[i]) for i in range(0, len(keys), 7)]
        rows = [(i.encode(codec, errors='ignore').decode(codec), t.encode(codec, errors='ignore').decode(codec))
                for i, t in rows]
        body = 'id,text\r\n' + ''.join('"%s","%s"\r\n' % (i.replace('"', '""'), t.replace('"', '""'))
                                     for i, t in rows)
        enc_t, utf_t = os.path.join(tmp, f't-{codec}.csv'), os.path.join(tmp, 't-utf8.csv')
        open(enc_t, 'wb').write(body.encode(codec))
        open(utf_t, 'wb').write(body.encode('utf-8'))
        args = [EXE, 'tokens', '--no-fold-script', '-n', '1', '--stopwords', 'none']
        ref = subprocess.run(args + [utf_t], capture_output=True, text=True)
        for extra in (['--encoding', opt], []):
            r = subprocess.run(args + extra + [enc_t], capture_output=True, text=True)
            ok = r.returncode == 0 and ref.returncode == 0 and r.stdout and han(r.stdout) == han(ref.stdout)
            label = 'GB18030' if codec == 'gb18030' else 'Big5'
            if not ok or (not extra and f'read as {label}' not in r.stderr):
                failures += 1
                print(f'FAIL table {codec} {extra}: exit {r.returncode}: {r.stderr[:300]}')
        print(f'{codec}: a table of {len(rows)} rows, its ids and texts as in UTF-8 (given and found)')
sys.exit(1 if failures else 0)
