#!/usr/bin/python3
"""examples/compare.c, the library example README.md quotes, as a user builds it: only the
public headers and the shared libcomptext (tests/meson.build). Run on the shipped default
corpus, each line must agree with the command line: the nearest neighbour and its cosine
(to the 4 places printed) with `comptext similarity --top 1`, the three themes with
`comptext themes -k 3`; README shows that output as it is (--update writes it). A missing corpus is an error naming it (exit 1), a missing argument
a usage error (exit 2).
Environment: COMPTEXT, COMPTEXT_SOURCE, EXAMPLE (the built example)."""
import os
import subprocess
import sys

EXE = os.environ['COMPTEXT']
EXAMPLE = os.environ['EXAMPLE']
corpus = os.path.join(os.environ['COMPTEXT_SOURCE'], 'corpora', 'cities')
failures = 0


def check(cond, what):
    global failures
    print(('ok: ' if cond else 'FAIL: ') + what)
    failures += not cond


def table(*args):
    r = subprocess.run([EXE, *args, corpus], capture_output=True, text=True, check=True)
    return [line.split('\t') for line in r.stdout.splitlines()[1:]]


r = subprocess.run([EXAMPLE, corpus], capture_output=True, text=True)
check(r.returncode == 0, 'the example runs on the default corpus (%s)' % r.stderr.strip())
lines = [line.split('\t') for line in r.stdout.splitlines()]
top = table('similarity', '--top', '1')
themes = {}
for doc, term, _ in table('themes', '-k', '3', '--format', 'tsv'):
    themes.setdefault(doc, []).append(term)
check(len(lines) == len(top) == 7, 'a line a document (%d, the command %d)' % (len(lines), len(top)))
for got, want in zip(lines, top):
    check(len(got) == 4 and got[:2] == want[:2] and got[2] == '%.4f' % float(want[2]),
          '%s: nearest %s at %s, as comptext similarity --top 1 (%s)' % (want[0], want[1],
                                                                          want[2], got))
    check(len(got) == 4 and got[3].split(' ') == themes.get(want[0]),
          '%s: themes %s, as comptext themes -k 3 (%s)' % (want[0], themes.get(want[0]), got[-1:]))
check(lines and lines[1][1] == 'qiwu-2023', 'the two elderly-care reports are neighbours')
# README shows the example's output after its run command: the same lines (--update: written)
readme_path = os.path.join(os.environ['COMPTEXT_SOURCE'], 'README.md')
with open(readme_path, encoding='utf-8') as f:
    readme = f.read()
run_line = './compare ~/.local/share/comptext/cities\n```\n\n```\n'
at = readme.find(run_line)
end = readme.find('```', at + len(run_line)) if at >= 0 else -1
shown = readme[at + len(run_line):end] if end >= 0 else None
if '--update' in sys.argv[1:] and shown is not None:
    readme = readme[:at + len(run_line)] + r.stdout + readme[end:]
    with open(readme_path, 'w', encoding='utf-8') as f:
        f.write(readme)
else:
    check(shown == r.stdout, "README shows the example's output on the default corpus as it is "
          "(tests/test_example.py --update writes it)")

r = subprocess.run([EXAMPLE, corpus + '-missing'], capture_output=True, text=True)
check(r.returncode == 1 and 'cities-missing' in r.stderr and not r.stdout,
      'a missing corpus: exit 1 naming it (%s)' % r.stderr.strip())
r = subprocess.run([EXAMPLE], capture_output=True, text=True)
check(r.returncode == 2 and 'usage' in r.stderr, 'no argument: usage, exit 2')
sys.exit(1 if failures else 0)
