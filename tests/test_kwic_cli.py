#!/usr/bin/python3
"""`comptext kwic`: every occurrence (overlapping ones too) with N characters of context,
OFFSET in characters of the original text (checked by slicing the original and normalising
the slice as NFKC + case folding does), tabs and newlines in the context escaped, full-width
input found by a half-width term; a term found nowhere prints nothing and exits 0 with a
note; bad options exit 2."""
import os, subprocess, sys, tempfile, unicodedata

EXE = os.environ['COMPTEXT']
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks()
check = checks.check

def kwic(path, *args):
    return subprocess.run([EXE, 'kwic', *args, path], capture_output=True, text=True)

def unescape(s):
    return s.replace('\\t', '\t').replace('\\n', '\n').replace('\\r', '\r').replace('\\\\', '\\')

def norm(s):
    return unicodedata.normalize('NFKC', s).casefold()

with tempfile.TemporaryDirectory() as tmp:
    docs = {'a': '２０２５年ＧＤＰ增长，社区\t建设。\n社区建设😀社区建设和社区服务',
            'b': '哈哈哈哈，Ａｂｃ社区'}
    for name, text in docs.items():
        with open(os.path.join(tmp, name + '.txt'), 'w', encoding='utf-8') as f:
            f.write(text)
    r = kwic(tmp, '--term', '社区', '--window', '3')
    check(r.returncode == 0, f'exit 0 ({r.stderr})')
    rows = ctkit.table_rows(r.stdout, ['id', 'offset', 'left', 'term', 'right'])
    check(all(len(x) == 5 for x in rows), 'five columns')
    expect = [(d, i) for d in sorted(docs) for i in range(len(docs[d])) if docs[d].startswith('社区', i)]
    check([(x[0], int(x[1])) for x in rows] == expect, f'every occurrence, offsets in characters: {rows}')
    for doc, off, left, term, right in rows:
        text = docs[doc]
        off = int(off)
        check(text[off:off + 2] == '社区', f'original text at {doc}:{off} is the term')
        check(norm(text[:off]).endswith(unescape(left)), f'left context {left!r}')
        check(norm(text[off + 2:]).startswith(unescape(right)), f'right context {right!r}')
        check(len(unescape(left)) <= 3 and len(unescape(right)) <= 3, 'window of 3 characters')
    check(any('\\t' in x[4] for x in rows), 'a tab in the context is escaped')
    check(any('\\n' in x[2] or '\\n' in x[4] for x in rows), 'a newline in the context is escaped')
    # NFKC + case folding: gdp finds ＧＤＰ; the offset points at the full-width original.
    rows = ctkit.table_rows(kwic(tmp, '--term', 'gdp').stdout, ['id', 'offset', 'left', 'term', 'right'])
    check(len(rows) == 1 and rows[0][1] == '5' and docs['a'][5:8] == 'ＧＤＰ', f'gdp → ＧＤＰ at 5: {rows}')
    check(rows and rows[0][2] == '2025年', 'left context is normalised')
    # Overlapping occurrences.
    rows = ctkit.table_rows(kwic(tmp, '--term', '哈哈').stdout, ['id', 'offset', 'left', 'term', 'right'])
    check([int(x[1]) for x in rows] == [0, 1, 2], f'overlapping occurrences: {rows}')
    # Not found: no rows, exit 0, a note.
    r = kwic(tmp, '--term', '不存在的词')
    check(r.returncode == 0 and r.stdout == 'id\toffset\tleft\tterm\tright\n' and 'occurs nowhere' in r.stderr,
          'term not found: the header row alone')
    # Bad options.
    for args, opt in ((['--term', '社区', '--window', '-1'], '--window'), ([], '--term'),
                      (['--term', '   '], '--term'), (['--term', '社区', '-n', '2'], '-n')):
        r = kwic(tmp, *args)
        check(r.returncode == 2 and opt in r.stderr, f'{args}: exit 2 naming {opt} ({r.returncode} {r.stderr!r})')

checks.finish()
