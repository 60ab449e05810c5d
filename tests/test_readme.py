#!/usr/bin/python3
"""README.md's examples run and show what they print.

Every ```sh block of README.md is read as a terminal session: a line `$ COMMAND` is run
(bash, `comptext` on PATH being the built command) in a scratch directory where `corpora`
is the source tree's and `../shared` the shared corpora, and the lines after it up to the
next `$` are what its standard output must be, exactly. A command shown without output (a
template such as `comptext similarity reports.csv`) is not run; a command reading
`../shared` is skipped when that folder is absent. Also:
- the library example of README's "Library" section is examples/compare.c, the whole file,
  unchanged (test example-compare builds and checks that file);
- the two quick-start commands are in README exactly as .ci/run and new users rely on them;
- the script-folding note README quotes (the 1954 report of ../shared's gov-work-reports.jsonl:
  its counts of traditional and simplified-only characters) is what comptext prints.
Environment: COMPTEXT, COMPTEXT_SOURCE, COMPTEXT_SHARED. With --update, README.md's shown
outputs are replaced by what the commands print now (then read the diff before committing):
  COMPTEXT=$PWD/build/src/cli/comptext COMPTEXT_SOURCE=$PWD python3 tests/test_readme.py --update"""
import os
import re
import subprocess
import sys
import tempfile

EXE = os.environ['COMPTEXT']
SOURCE = os.environ['COMPTEXT_SOURCE']
SHARED = os.environ.get('COMPTEXT_SHARED', os.path.join(SOURCE, '..', 'shared'))
failures = 0


def check(cond, what):
    global failures
    print(('ok: ' if cond else 'FAIL: ') + what)
    failures += not cond


with open(os.path.join(SOURCE, 'README.md'), encoding='utf-8') as f:
    readme = f.read()

sessions = []  # (command, expected output lines)
for block in re.findall(r'^```sh\n(.*?)^```', readme, re.M | re.S):
    for part in re.split(r'^\$ ', block, flags=re.M)[1:]:
        cmd, _, out = part.partition('\n')
        sessions.append((cmd, out))
check(len(sessions) >= 15, '%d example commands found in README' % len(sessions))

with tempfile.TemporaryDirectory() as tmp:
    work, bindir = os.path.join(tmp, 'work'), os.path.join(tmp, 'bin')
    os.mkdir(work)
    os.mkdir(bindir)
    os.symlink(os.path.join(SOURCE, 'corpora'), os.path.join(work, 'corpora'))
    os.symlink(os.path.realpath(EXE), os.path.join(bindir, 'comptext'))
    have_shared = os.path.isdir(SHARED)
    if have_shared:
        os.symlink(os.path.realpath(SHARED), os.path.join(tmp, 'shared'))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get('PATH', ''))
    ran = 0
    update = '--update' in sys.argv[1:]
    new_readme = readme
    for cmd, out in sessions:
        if not out.strip():
            print('not run (no output shown):', cmd)
            continue
        if '../shared' in cmd and not have_shared:
            print('SKIP (../shared absent):', cmd)
            continue
        r = subprocess.run(['bash', '-c', cmd], capture_output=True, text=True, cwd=work,
                           env=env, timeout=300)
        ran += 1
        if update and r.returncode == 0 and r.stdout.strip():
            new_readme = new_readme.replace('$ ' + cmd + '\n' + out, '$ ' + cmd + '\n' + r.stdout, 1)
            continue
        want = out.rstrip('\n').split('\n')
        got = r.stdout.rstrip('\n').split('\n')
        diff = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b),
                    None if len(got) == len(want) else min(len(got), len(want)))
        check(r.returncode == 0 and diff is None,
              '$ %s\n    prints what README shows%s' %
              (cmd, '' if diff is None else ' — line %d: README %r, got %r%s' %
               (diff + 1, want[diff] if diff < len(want) else None,
                got[diff] if diff < len(got) else None, ' ' + r.stderr.strip()[:300])))
    check(ran >= 12, '%d example commands run' % ran)
    if update:
        with open(os.path.join(SOURCE, 'README.md'), 'w', encoding='utf-8') as f:
            f.write(new_readme)
        print('README.md updated')

# The script-folding note README quotes is the one comptext prints for that report.
FOLD_CMD = ['tf', '--text-field', 'content', '--id-field', 'title',
            os.path.join(SHARED, 'corpora', 'gov-work-reports.jsonl')]
FOLD_QUOTE = re.compile(r'(`1954年…: mixes traditional and\s+simplified script \()(\d+) traditional, '
                        r'(\d+) simplified-only characters\)`')
quote = FOLD_QUOTE.search(readme)
check(quote is not None, 'README quotes the script-folding note of the 1954 report')
if quote and os.path.isfile(FOLD_CMD[-1]):
    r = subprocess.run([EXE, *FOLD_CMD], capture_output=True, text=True, timeout=300)
    got = re.search(r'1954年[^:\n]*: mixes traditional and simplified script \((\d+) traditional, '
                    r'(\d+) simplified-only characters\)', r.stderr)
    if got and '--update' in sys.argv[1:]:
        with open(os.path.join(SOURCE, 'README.md'), encoding='utf-8') as f:
            text = f.read()
        text = FOLD_QUOTE.sub(lambda m: '%s%s traditional, %s simplified-only characters)`'
                              % (m.group(1), got.group(1), got.group(2)), text, 1)
        with open(os.path.join(SOURCE, 'README.md'), 'w', encoding='utf-8') as f:
            f.write(text)
    else:
        check(got is not None and got.groups() == quote.groups()[1:],
              'the quoted note is what comptext prints (README %s/%s, got %s)'
              % (quote.group(2), quote.group(3), got.groups() if got else r.stderr[-300:]))
elif quote:
    print('SKIP (../shared absent): the script-folding note')

with open(os.path.join(SOURCE, 'examples', 'compare.c'), encoding='utf-8') as f:
    example = f.read()
check('```c\n' + example + '```' in readme, 'README quotes examples/compare.c whole, unchanged')
for line in ('bash .ci/install-deps && meson setup build && ninja -C build && '
             'build/src/cli/comptext compare -o out',
             'bash .ci/install-deps --tests && meson test -C build --print-errorlogs'):
    check('```sh\n' + line + '\n```' in readme, 'README keeps the quick-start command: ' + line)
sys.exit(1 if failures else 0)
