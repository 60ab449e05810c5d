#!/usr/bin/python3
"""Benchmark: `comptext themes` (reading, term discovery, segmentation, themes, JSON) on the
whole shared gov-work-reports.jsonl, next to scikit-learn's
TfidfVectorizer(analyzer='char', ngram_range=(2, 4)).fit on the same texts, in the same run.
Prints both times and their ratio; asserts nothing about speed. Skips (77) without ../shared."""
import json, os, subprocess, sys, time

EXE = os.environ['COMPTEXT']
path = os.path.join(os.environ.get('COMPTEXT_SHARED', ''), 'corpora', 'gov-work-reports.jsonl')
if not os.path.exists(path):
    print(f'skip: {path} is absent (the benchmark needs ../shared/corpora)')
    sys.exit(77)

def best_of(n, fn):
    best = float('inf')
    for _ in range(n):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best

def ours():
    subprocess.run([EXE, 'themes', '--text-field', 'content', '--id-field', 'title', path],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def terms_only():
    subprocess.run([EXE, 'terms', '--text-field', 'content', path],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cpu_of(fn):
    """CPU seconds (user + system) of the child processes fn runs: robust on a loaded machine."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    fn()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

texts = [json.loads(l)['content'] for l in open(path, encoding='utf-8')]
chars = sum(len(t) for t in texts)
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

def peer():
    TfidfVectorizer(analyzer='char', ngram_range=(2, 4)).fit(texts)

t_ours = best_of(5, ours)
t_terms = best_of(5, terms_only)
cpu_ours = min(cpu_of(ours) for _ in range(3))
cpu_terms = min(cpu_of(terms_only) for _ in range(3))
t_peer = best_of(2, peer)
print(f'corpus: {len(texts)} documents, {chars} characters')
print(f'comptext themes (term discovery + themes, end to end): {t_ours:.3f} s (best of 5), '
      f'{cpu_ours:.3f} s CPU')
print(f'comptext terms (term discovery alone, end to end):     {t_terms:.3f} s (best of 5), '
      f'{cpu_terms:.3f} s CPU')
print(f'scikit-learn TfidfVectorizer(char, 2-4).fit:            {t_peer:.3f} s (best of 2)')
print(f'ratio scikit-learn / comptext: {t_peer / t_ours:.1f}x')
