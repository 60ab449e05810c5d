#!/usr/bin/python3
"""Make corpora/generic-zh.txt: the words of the genre that are no report's theme.

A discovered term is generic when it is spread evenly over the reports of the shared corpus
(../shared/corpora/gov-work-reports.jsonl, the dated reports only): it occurs in at least
MIN_DF of them and its Gries DP (deviation of proportions: half the sum over the reports of
|share of the term's occurrences − share of the corpus's characters|; 0 = perfectly even,
near 1 = all in one report) is at most MAX_DP. Such words (我们, 进一步, 推动, 表示衷心感谢,
工作中存在的问题 …) are the language of the genre, never what distinguishes one report.
Terms are those `comptext terms` discovers with its defaults and no generic list
(--generic none); occurrences are counted as substrings.
Usage: tools/make-generic-words.py COMPTEXT > corpora/generic-zh.txt"""
import json
import os
import subprocess
import sys

MIN_DF = 0.5
MAX_DP = 0.3
HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    exe = sys.argv[1]
    shared = os.environ.get('COMPTEXT_SHARED', os.path.join(HERE, '..', '..', 'shared'))
    path = os.path.join(shared, 'corpora', 'gov-work-reports.jsonl')
    docs = [json.loads(line) for line in open(path, encoding='utf-8')]
    docs = [d['content'] for d in docs if d.get('year')]
    out = subprocess.run([exe, 'terms', '--text-field', 'content', '--generic', 'none', path],
                         capture_output=True, text=True, check=True).stdout
    terms = [line.split('\t')[0] for line in out.splitlines()[1:]]
    sizes = [len(d) for d in docs]
    total = sum(sizes)
    generic = []
    for t in terms:
        counts = [d.count(t) for d in docs]
        n = sum(counts)
        if not n:
            continue
        df = sum(1 for c in counts if c)
        dp = 0.5 * sum(abs(c / n - s / total) for c, s in zip(counts, sizes))
        if df >= MIN_DF * len(docs) and dp <= MAX_DP:
            generic.append(t)
    print('# comptext generic words of the report genre (corpora/generic-zh.txt), made by')
    print('# tools/make-generic-words.py from ../shared/corpora/gov-work-reports.jsonl: the terms')
    print(f'# discovered there that occur in at least {MIN_DF:.0%} of the {len(docs)} dated reports with')
    print(f'# Gries DP at most {MAX_DP} (spread evenly). Term discovery drops a candidate equal to')
    print('# an entry, and one made of an entry and a term (推动 + 大众创业) unless the term seldom')
    print('# occurs outside it. One entry a line; # comments.')
    for t in sorted(generic):
        print(t)


if __name__ == '__main__':
    main()
