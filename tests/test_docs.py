#!/usr/bin/python3
"""The command's own documentation, and what `meson install` puts in place.

- `comptext help COMMAND` prints exactly `comptext COMMAND --help`; `comptext help NOSUCH`
  is a usage error;
- every option a command's --help lists is accepted by its parser (a run with a harmless
  value is not a usage error), and an option of a group the command takes but leaves out of
  its --help is refused — help texts list only accepted options;
- every command reads the shipped default corpus when no CORPUS is given (exit 0, with a
  note on stderr naming it);
- doc/meson.build lists the commands `comptext --help` lists (one man page each);
- `meson install --destdir TMP` installs comptext(1) and comptext-COMMAND(1) for every
  command (each renders with man/groff without warnings and documents the command's
  options), and the bash completion, which completes commands, options and --format values;
- the installed binary reads its installed data directory, not the build's source tree: a
  stopword added to the installed list (COMPTEXT_DATADIR unset) removes that token.
Environment: COMPTEXT, COMPTEXT_SOURCE, COMPTEXT_BUILD (the build directory)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

EXE = os.environ['COMPTEXT']
SOURCE = os.environ['COMPTEXT_SOURCE']
BUILD = os.environ.get('COMPTEXT_BUILD', '')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks(say_ok=True)
check = checks.check


def run(*args, env=None, exe=EXE, cwd=None):
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=300)


def commands():
    out = run('--help').stdout
    return re.findall(r'^  (\S+)\s{2,}', out.split('Commands:', 1)[1].split('\n\n')[0], re.M)


def options(help_text):
    """(option, metavar) of each option line of a --help text."""
    found = []
    for line in help_text.splitlines():
        m = re.match(r'^ {2,6}(?:-\w, )?(--[\w-]+)(?: (\S+))?', line)
        if m:
            arg = m.group(2)
            # a description after one space (a long option and its argument fill the column)
            if arg and not re.match(r'^(?=.*[A-Z|])[A-Za-z0-9_=|.-]+$', arg):
                arg = None
            found.append((m.group(1), arg))
        m = re.match(r'^  (-\w) (\w+)\s', line)
        if m:
            found.append((m.group(1), m.group(2)))
    return found


CMDS = commands()
check(len(CMDS) >= 10, 'comptext --help lists the commands: %s' % CMDS)

# --- help COMMAND ------------------------------------------------------------------------------
for cmd in CMDS:
    a, b = run('help', cmd), run(cmd, '--help')
    check(a.returncode == 0 and a.stdout == b.stdout and a.stdout.startswith('Usage: comptext ' + cmd),
          'comptext help %s prints comptext %s --help' % (cmd, cmd))
r = run('help', 'nosuch')
check(r.returncode == 2 and 'nosuch' in r.stderr, 'comptext help NOSUCH: exit 2 naming it')

# --- every listed option is accepted; the default corpus --------------------------------------
VALUES = {'--encoding': 'utf-8', '--text-field': 'text', '--id-field': 'id', '--threads': '1',
          '--ngrams': '2-3', '--stopwords': 'none', '--min-df': '1', '--max-df': '1.0',
          '--max-features': '1000', '--norm': 'l2', '--group-by': 'city', '--scheme': 'count',
          '--top': '2', '--measure': 'cosine', '--linkage': 'average', '--clusters': '2',
          '--units': 'terms', '--max-len': '6', '--min-freq': '2', '--min-cohesion': '0',
          '--min-entropy': '0.5', '--entropy-share': '0.6', '--affix-share': '0.15',
          '--subsume': '0.8', '--min-segments': '0', '--score': 'g2', '--min-count': '1',
          '--statistic': 'g2', '--p-adjust': 'none', '--window': '3', '--term': '社区',
          '--target': 'beiyuan-2020', '-k': '3', '--shingle': '8', '--min-shingles': '2',
          '--min-length': '10', '--min-identity': '0.8', '--boilerplate': '5',
          '--direction': 'year', '--large-threshold': '3', '--generic': 'none',
          '--phrase-pmi': '5'}
VALUES.update({'--neighbours': '2', '--reference': 'none', '--rank': 'statistic',
               '--time-field': 'year', '--onset-years': '1', '--onset-weight': '2', '--length-weight': '0.3',
               '--common-share': '0.9', '--test': 'documents'})
NEEDS = {'kwic': ['--term', '社区'], 'keyness': ['--target', 'beiyuan-2020']}
CONFLICTS = {('themes', '--ngrams'): ['--units', 'ngrams'], ('keyness', '--ngrams'): ['--units', 'ngrams'],
             ('compare', '--ngrams'): ['--units', 'ngrams'],
             ('keyness', '--yates'): ['--statistic', 'chi2']}
corpus = os.path.join(SOURCE, 'corpora', 'cities')
with tempfile.TemporaryDirectory() as tmp:
    empty_dict = os.path.join(tmp, 'dict.txt')
    open(empty_dict, 'w').close()
    for cmd in CMDS:
        text = run(cmd, '--help').stdout
        fmt = re.search(r'--format FMT\s+output format: (\S+)', text)
        for opt, arg in options(text):
            if opt in ('--help', '--output', '-o') or opt == '--quiet':
                continue
            argv = [cmd, '--quiet'] + NEEDS.get(cmd, []) + CONFLICTS.get((cmd, opt), [])
            if opt == '--format':
                value = fmt.group(1).split('|')[-1] if fmt else 'tsv'
            elif opt == '--dict':
                value = empty_dict
            elif opt == '--save-model':
                value = os.path.join(tmp, 'model.json')
            elif opt == '--model':
                value = os.path.join(tmp, 'fitted-model.json')
                run(cmd, '--quiet', '--save-model', value, '-o', os.path.join(tmp, 'fit'), corpus)
            else:
                value = VALUES.get(opt)
            if arg and value is None:
                check(False, '%s %s: a test value for %s' % (cmd, opt, arg))
                continue
            if opt not in ('--term', '--target'):
                argv += [opt] + ([value] if arg else [])
            out = os.path.join(tmp, 'out-' + cmd)
            shutil.rmtree(out, ignore_errors=True)
            argv += ['-o', out, corpus]
            r = run(*argv)
            check(r.returncode != 2, '%s accepts %s, which its --help lists (%s)' %
                  (cmd, opt, r.stderr.strip()[:300]))
        # the default corpus
        out = os.path.join(tmp, 'default-' + cmd)
        r = run(cmd, *NEEDS.get(cmd, []), '-o', out)
        check(r.returncode == 0 and 'default corpus' in r.stderr,
              '%s without CORPUS reads the default corpus, with a note (%s)' % (cmd, r.stderr.strip()[:200]))
    # kwic refuses the token options it does not list
    for opt in (['-n', '2'], ['--stopwords', 'none'], ['--no-numbers'], ['--no-words']):
        r = run('kwic', '--term', '社区', *opt, corpus)
        listed = {o for o, _ in options(run('kwic', '--help').stdout)}
        long_name = {'-n': '--ngrams'}.get(opt[0], opt[0])
        check(r.returncode == 2 and 'does not apply' in r.stderr and long_name not in listed,
              'kwic refuses %s and its --help does not list it' % opt[0])

# --- doc/meson.build lists the commands ---------------------------------------------------------
with open(os.path.join(SOURCE, 'doc', 'meson.build'), encoding='utf-8') as f:
    listed = re.findall(r"'(\w+)'", re.search(r'doc_commands = \[(.*?)\]', f.read(), re.S).group(1))
check(listed == CMDS, 'doc/meson.build lists the commands of comptext --help')

# --- meson install --destdir ------------------------------------------------------------------
if not BUILD or not shutil.which('meson'):
    print('SKIP: meson install: COMPTEXT_BUILD or meson missing')
    checks.finish()
with tempfile.TemporaryDirectory() as dest:
    r = subprocess.run(['meson', 'install', '-C', BUILD, '--destdir', dest, '--no-rebuild',
                        '--quiet'], capture_output=True, text=True, timeout=600)
    check(r.returncode == 0, 'meson install --destdir succeeds (%s)' % r.stderr[-500:])
    info = json.loads(subprocess.run(['meson', 'introspect', '--buildoptions', BUILD],
                                     capture_output=True, text=True).stdout)
    opt = {o['name']: o['value'] for o in info}
    root = dest + opt['prefix']
    man1 = os.path.join(root, opt['mandir'], 'man1')
    pages = ['comptext.1'] + ['comptext-%s.1' % c for c in CMDS]
    for page in pages:
        path = os.path.join(man1, page)
        check(os.path.isfile(path), 'installed %s' % os.path.relpath(path, dest))
        if os.path.isfile(path) and shutil.which('groff'):
            g = subprocess.run(['groff', '-man', '-Tutf8', '-ww', path], capture_output=True,
                               text=True)
            check(g.returncode == 0 and not g.stderr.strip(),
                  '%s renders without warnings (%s)' % (page, g.stderr.strip()[:200]))
            rendered = re.sub(r'.\x08', '', g.stdout).replace('\u2010', '-')
            if page != 'comptext.1':
                cmd = page[len('comptext-'):-2]
                opts = {o for o, _ in options(run(cmd, '--help').stdout)}
                missing = [o for o in opts if o not in rendered.replace('\u2212', '-')]
                check(not missing, '%s documents every option of %s --help (missing %s)' %
                      (page, cmd, missing))
    comp = os.path.join(root, opt['datadir'], 'bash-completion', 'completions', 'comptext')
    check(os.path.isfile(comp), 'installed the bash completion ' + os.path.relpath(comp, dest))

    def complete(*words):
        script = ('source %s; COMP_WORDS=(%s); COMP_CWORD=%d; _comptext; printf "%%s\\n" '
                  '"${COMPREPLY[@]}"' % (comp, ' '.join("'%s'" % w for w in words), len(words) - 1))
        return subprocess.run(['bash', '-c', script], capture_output=True, text=True).stdout.split()
    if os.path.isfile(comp):
        check('similarity' in complete('comptext', 'sim'), 'completion: commands')
        check('--term' in complete('comptext', 'kwic', '--te'), 'completion: options of a command')
        check('--ngrams' not in complete('comptext', 'kwic', '--'), 'completion: kwic offers no --ngrams')
        kwic_formats = re.search(r'output format: (\S+)', run('kwic', '--help').stdout).group(1)
        check(set(complete('comptext', 'kwic', '--format', '')) == set(kwic_formats.split('|')),
              'completion: --format values of kwic (%s)' % kwic_formats)
        check('kwic' in complete('comptext', 'help', 'kw'), 'completion: help COMMAND')

    # the installed binary reads the installed data directory
    exe = os.path.join(root, opt['bindir'], 'comptext')
    env = {k: v for k, v in os.environ.items() if k != 'COMPTEXT_DATADIR'}
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, 'a.txt'), 'w', encoding='utf-8') as f:
            f.write('社区建设\n')
        before = run('tokens', '-n', '2', 'a.txt', exe=exe, env=env, cwd=work)
        with open(os.path.join(root, opt['datadir'], 'comptext', 'stopwords-zh.txt'), 'a',
                  encoding='utf-8') as f:
            f.write('\n社区\n')
        after = run('tokens', '-n', '2', 'a.txt', exe=exe, env=env, cwd=work)
        check(before.returncode == 0 and '"社区"' in before.stdout and after.returncode == 0 and
              '"社区"' not in after.stdout,
              'the installed binary reads its installed stopword list, not the source tree\'s')
        r = run('tokens', exe=exe, env=env, cwd=work)
        check(r.returncode == 0 and dest in r.stderr and SOURCE not in r.stderr,
              'the installed binary\'s default corpus is the installed one (%s)' % r.stderr.strip())

checks.finish()
