#!/usr/bin/python3
"""test_reads_strace.py — `comptext compare` reads each text at most twice, as the kernel sees
it: strace(1) follows every thread and records each openat and read of the corpus files.

test_reads.c checks the library's own count; this checks the command from outside, against
the system calls. On the shipped default corpus (a folder with a manifest) and on a copy of
it as JSON Lines, with chrome removal (the default) and with --keep-chrome, with discovered
terms and with --units ngrams: every text file may be opened at most twice (the listing's
sniff of its first bytes, and one full read); the JSON Lines file is read whole once when it
is listed, and its documents' bytes once more (pread of each document's string): at most
two passes over its size in all. The shared reports folder (../shared/corpora) is checked
the same way when present. Skips (77) when strace is missing (.ci/install-deps --tests
installs it) or cannot trace here (a container without ptrace)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import ctkit  # noqa: E402

CALL = re.compile(r'^(openat|read|pread64)\((.*)\)\s+=\s+(-?\d+)')


def trace(args, tmp):
    """Run comptext under strace; return the list of (call, arguments, result)."""
    logs = os.path.join(tmp, 'strace')
    shutil.rmtree(logs, ignore_errors=True)
    os.mkdir(logs)
    # -ff: one log a thread, so that no call is split over two lines; -xx: paths in hex.
    # LeakSanitizer cannot run under ptrace: in a sanitizer build leaks are the other
    # tests' business, so it is turned off here (ASan's other checks stay on).
    env = dict(os.environ)
    env['ASAN_OPTIONS'] = (env.get('ASAN_OPTIONS', '') + ':detect_leaks=0').lstrip(':')
    p = subprocess.run(['strace', '-ff', '-qq', '-xx', '-s', '0', '-e',
                        'trace=openat,read,pread64', '-o', os.path.join(logs, 'log'),
                        ctkit.COMPTEXT] + args, capture_output=True, env=env)
    if p.returncode != 0:
        ctkit.fail('comptext %s failed: %s' % (' '.join(args), p.stderr.decode(errors='replace')))
    calls = []
    for name in sorted(os.listdir(logs)):
        with open(os.path.join(logs, name), encoding='ascii', errors='replace') as f:
            for line in f:
                m = CALL.match(line)
                if m:
                    calls.append((m.group(1), m.group(2), int(m.group(3))))
    return calls


def file_passes(calls, path):
    """(opens of path, bytes read through its descriptors)."""
    opens, nbytes, fds = 0, 0, set()
    quoted = '"%s"' % ''.join('\\x%02x' % b for b in os.fsencode(path))
    for call, argv, result in calls:
        if call == 'openat':
            if quoted in argv and result >= 0:
                opens += 1
                fds.add(result)
            elif result in fds:
                fds.discard(result)  # the number was reused for another file
        elif result > 0 and int(argv.split(',', 1)[0]) in fds:
            nbytes += result
    return opens, nbytes


def check_folder(folder, extra, tmp, label):
    out = os.path.join(tmp, 'out')
    shutil.rmtree(out, ignore_errors=True)
    calls = trace(['compare', '--quiet', '--threads', '2'] + extra + [folder, '-o', out], tmp)
    files = sorted(f for f in os.listdir(folder) if f.endswith('.txt'))
    worst = 0
    for name in files:
        path = os.path.join(folder, name)  # as comptext opens it
        opens, _ = file_passes(calls, path)
        if opens == 0:
            ctkit.fail('%s: %s was never opened (is the trace complete?)' % (label, name))
        worst = max(worst, opens)
        if opens > 2:
            ctkit.fail('%s %s: %s opened %d times (at most 2)' % (label, ' '.join(extra), name,
                                                                  opens))
    print('%s %s: %d files, each opened at most %d times' % (label, ' '.join(extra) or
                                                             '(defaults)', len(files), worst))


def check_jsonl(path, extra, tmp, label):
    out = os.path.join(tmp, 'out')
    shutil.rmtree(out, ignore_errors=True)
    calls = trace(['compare', '--quiet', '--threads', '2'] + extra + [path, '-o', out], tmp)
    opens, nbytes = file_passes(calls, path)
    size = os.path.getsize(path)
    passes = nbytes / size
    print('%s %s: opened %d times, %.2f passes over its %d bytes' % (
        label, ' '.join(extra) or '(defaults)', opens, passes, size))
    if opens < 1 or passes > 2.0:
        ctkit.fail('%s %s: %.2f passes over the file (at most 2)' % (label, ' '.join(extra),
                                                                      passes))


def main():
    if not shutil.which('strace'):
        print('SKIP: strace is not installed (.ci/install-deps --tests installs it)')
        return ctkit.SKIP
    with tempfile.TemporaryDirectory() as tmp:
        probe = subprocess.run(['strace', '-f', '-qq', '-o', os.devnull, 'true'],
                               capture_output=True)
        if probe.returncode != 0:
            print('SKIP: strace cannot trace here: %s' % probe.stderr.decode(errors='replace'))
            return ctkit.SKIP
        # The default corpus, and the same texts as JSON Lines.
        jsonl = os.path.join(tmp, 'cities.jsonl')
        with open(jsonl, 'w', encoding='utf-8') as f:
            for name in sorted(os.listdir(ctkit.CITIES)):
                if name.endswith('.txt'):
                    text = open(os.path.join(ctkit.CITIES, name), encoding='utf-8').read()
                    f.write(json.dumps({'id': name[:-4], 'text': text}, ensure_ascii=False) + '\n')
        for extra in ([], ['--keep-chrome'], ['--units', 'ngrams'],
                      ['--keep-chrome', '--units', 'ngrams']):
            check_folder(ctkit.CITIES, extra, tmp, 'default corpus')
            check_jsonl(jsonl, extra, tmp, 'default corpus as JSON Lines')
        shared = ctkit.shared_corpora()
        if shared:
            check_folder(os.path.join(shared, 'gov-reports-txt'), [], tmp, 'gov-reports-txt')
            check_jsonl(os.path.join(shared, 'gov-work-reports.jsonl'),
                        ['--text-field', 'content', '--id-field', 'url'], tmp,
                        'gov-work-reports.jsonl')
        else:
            print('note: ../shared/corpora is absent; only the default corpus was checked')
    return 0


if __name__ == '__main__':
    sys.exit(main())
