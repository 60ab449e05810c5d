#!/usr/bin/python3
"""Measure term discovery against a jieba silver standard (Debian's python3-jieba, used only
here) on ../shared/corpora/gov-work-reports.jsonl.

precision: the share of discovered terms (`comptext terms`) that are words of jieba's
  dictionary, or that jieba (dictionary only, HMM=False) cuts into words of two or more
  characters only (五年计划 yes; 和社区 = 和/社区 no);
recall: the share of jieba's words of 2+ CJK characters occurring at least 5 times in jieba's
  segmentation of the corpus that are discovered.
Usage: tools/eval-terms.py COMPTEXT [OPTIONS FOR comptext terms ...]; prints terms, precision,
recall, F1. The table in BENCHMARKS.md was made with one run a row."""
import collections, json, logging, os, re, subprocess, sys
import jieba

def main():
    exe, opts = sys.argv[1], sys.argv[2:]
    shared = os.environ.get('COMPTEXT_SHARED', os.path.join(os.path.dirname(__file__), '..', '..', 'shared'))
    path = os.path.join(shared, 'corpora', 'gov-work-reports.jsonl')
    if not os.path.exists(path):
        print(f'skip: {path} is absent'); return 77
    jieba.setLogLevel(logging.ERROR)
    cjk = re.compile(r'^[\u4e00-\u9fff]+$')
    count = collections.Counter()
    for line in open(path, encoding='utf-8'):
        for w in jieba.cut(json.loads(line)['content'], HMM=False):
            if len(w) >= 2 and cjk.match(w):
                count[w] += 1
    gold = {w for w, c in count.items() if c >= 5}
    words = set()
    with open(jieba.get_dict_file().name, encoding='utf-8') as f:
        for line in f:
            words.add(line.split(' ')[0])
    out = subprocess.run([exe, 'terms', '--text-field', 'content', '--id-field', 'title', *opts, path],
                         capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    if lines and lines[0].startswith('term\t'):  # the header row
        lines = lines[1:]
    terms = [l.split('\t')[0] for l in lines]
    def plausible(t):
        if t in words:
            return True
        parts = list(jieba.cut(t, HMM=False))
        return len(parts) >= 2 and all(len(p) >= 2 for p in parts)
    p = sum(map(plausible, terms)) / max(1, len(terms))
    r = len(gold & set(terms)) / len(gold)
    print(f'{" ".join(opts) or "(defaults)"}: terms {len(terms)} precision {p:.3f} recall {r:.3f} '
          f'F1 {2 * p * r / (p + r) if p + r else 0:.3f}')
    return 0

if __name__ == '__main__':
    sys.exit(main())
