#!/usr/bin/python3
"""Make corpora/generic-zh.txt: generic words, which are never a report's theme.

Two measured parts:
(1) the genre's own vocabulary. A discovered term is generic when it is spread evenly over the reports of the shared corpus
(../shared/corpora/gov-work-reports.jsonl, the dated reports only): it occurs in at least
MIN_DF of them and its Gries DP (deviation of proportions: half the sum over the reports of
|share of the term's occurrences − share of the corpus's characters|; 0 = perfectly even,
near 1 = all in one report) is at most MAX_DP. Such words (我们, 进一步, 推动, 表示衷心感谢,
工作中存在的问题 …) are the language of the genre, never what distinguishes one report.
Terms are those `comptext terms` discovers with its defaults and no generic list
(--generic none); occurrences are counted as substrings.
(2) general Chinese: the words of two or more characters that jieba's IDF table
(analyse/idf.txt, MIT licence, inverse document frequencies over a large general corpus) gives
an IDF below MAX_IDF (GENERIC_MAX_IDF in the environment; 0: none) — words in more than one
document in e^MAX_IDF of ordinary Chinese text (表示, 提升, 有所, 逐步): common words that
name no policy.
Term discovery keeps an entry as a candidate (the segmentation needs it: without 工程, 等工程
would be a term) but leaves it out of the counts, so it is never a theme or a keyness row.
Measured with tools/eval-gold-themes.py (precision@15 / recall@20): no list 0.208/0.232,
part 1 alone 0.206/0.232, parts 1 + 2 with MAX_IDF 5.5 0.210/0.232, 6.0 0.213/0.232 (the
shipped list). An earlier variant that dropped the entries outright, and one that also dropped
entry + term compounds (推动 + 大众创业), measured lower (0.19–0.21; the compounds rule lost
国家决算 to 国家 + 决算).
(3) leaves out the verbs the reports use as nouns: seen at least 20 times, and in at least
GENERIC_NOUN_USE (0.1) of their occurrences right before a noun head (工作 问题 体制 制度 政策
收入 支出 岗位 机制 …): 就业, 预算, 选举, 保障, 审批, 防治 name policies (就业岗位, 预算收入,
选举制度). Measured neutral on tools/eval-gold-themes.py (0.1, 0.15, 0.2 and none the same).
(4), off unless GENERIC_COMPOUNDS=1: discovered terms that jieba cuts into verbs and adverbs
of (1)-(3) only (深入 + 实施). It measured +0.004 precision@15 but made policy compounds of
verbs generic — 节能减排, 自主创新 (hallmarks of the 2007-2010 reports in the evaluation's
gold list), 兼并破产 — so the shipped list leaves it out.
Usage: tools/make-generic-words.py COMPTEXT > corpora/generic-zh.txt (Debian's python3 with
python3-jieba)"""
import json
import os
import re
import subprocess
import sys

MIN_DF = 0.5
MAX_DP = 0.3
MAX_IDF = float(os.environ.get('GENERIC_MAX_IDF', '6.0'))
MAX_VERB_IDF = float(os.environ.get('GENERIC_MAX_VERB_IDF', '7.5'))
COMPOUNDS = os.environ.get('GENERIC_COMPOUNDS', '0') == '1'
VERB_TAGS = set(os.environ.get('GENERIC_VERB_TAGS', 'v vd ad d').split())
NOUN_USE = float(os.environ.get('GENERIC_NOUN_USE', '0.1'))
NOUN_MIN_USES = 20
NOUN_HEADS = ('工作 问题 体制 制度 政策 收入 支出 岗位 机制 渠道 形势 压力 资金 环境 水平 格局 能力 '
              '服务 项目 体系').split()
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
    n_genre = len(generic)
    seen = set(generic)
    idf_lines = []
    if MAX_IDF > 0:
        import jieba.analyse
        idf_path = os.path.join(os.path.dirname(jieba.analyse.__file__), 'idf.txt')
        idf_lines = open(idf_path, encoding='utf-8')
    for line in idf_lines:
        word, value = line.split()
        if (len(word) >= 2 and all('\u4e00' <= ch <= '\u9fff' for ch in word)
                and float(value) < MAX_IDF and word not in seen):
            generic.append(word)
            seen.add(word)
    n_general = len(generic) - n_genre
    # (3) verbs and adverbs of general Chinese, but those the reports use as nouns: a word
    # seen NOUN_MIN_USES times or more that modifies a noun head (就业岗位, 预算收入,
    # 选举制度) in at least NOUN_USE of its occurrences names a policy.
    corpus = '\n'.join(docs)
    heads = re.compile('|'.join(NOUN_HEADS))
    n_noun_use = 0

    def noun_use(word):
        n = corpus.count(word)
        if n < NOUN_MIN_USES or NOUN_USE > 1:
            return False
        modifying = sum(1 for m in re.finditer(re.escape(word), corpus)
                        if heads.match(corpus, m.end()))
        return modifying >= NOUN_USE * n
    if MAX_VERB_IDF > 0:
        import jieba.analyse
        jieba_dir = os.path.dirname(jieba.analyse.__file__)
        idf = {}
        for line in open(os.path.join(jieba_dir, 'idf.txt'), encoding='utf-8'):
            word, value = line.split()
            idf[word] = float(value)
        for line in open(os.path.join(jieba_dir, '..', 'dict.txt'), encoding='utf-8'):
            word, _, tag = line.split()
            if (tag in VERB_TAGS and len(word) >= 2
                    and all('\u4e00' <= ch <= '\u9fff' for ch in word)
                    and idf.get(word, float('inf')) < MAX_VERB_IDF and word not in seen):
                if noun_use(word):
                    n_noun_use += 1
                    continue
                generic.append(word)
                seen.add(word)
    n_verbs = len(generic) - n_genre - n_general
    # (4) terms of the corpus made of generic verbs and adverbs only (深入 + 实施).
    n_compounds = 0
    if MAX_VERB_IDF > 0 and COMPOUNDS:
        import jieba
        jieba.setLogLevel(60)
        tags = {}
        for line in open(os.path.join(jieba_dir, '..', 'dict.txt'), encoding='utf-8'):
            word, _, tag = line.split()
            tags[word] = tag
        for t in terms:
            pieces = jieba.lcut(t, HMM=False)
            if (t not in seen and len(pieces) >= 2
                    and all(tags.get(w) in VERB_TAGS and w in seen
                            and idf.get(w, float('inf')) < MAX_VERB_IDF for w in pieces)):
                generic.append(t)
                seen.add(t)
                n_compounds += 1
    print('# comptext generic words of the report genre (corpora/generic-zh.txt), made by')
    print('# tools/make-generic-words.py (which says how), by measurement:')
    print(f'# (1) {n_genre} terms discovered in ../shared/corpora/gov-work-reports.jsonl that occur')
    print(f'#     in at least {MIN_DF:.0%} of its {len(docs)} dated reports with Gries DP at most {MAX_DP} (spread')
    print('#     evenly: the language of the genre);')
    if MAX_IDF > 0:
        print(f'# (2) {len(generic) - n_genre} more words of general Chinese: IDF below {MAX_IDF} in jieba\'s IDF')
        print('#     table (jieba, https://github.com/fxsjy/jieba, MIT licence: analyse/idf.txt).')
    if MAX_VERB_IDF > 0:
        print(f'# (3) {n_verbs} more verbs and adverbs of general Chinese: words jieba\'s dictionary tags')
        print(f'#     {"/".join(sorted(VERB_TAGS))} (dict.txt, MIT licence) with an IDF below {MAX_VERB_IDF} (idf.txt),')
        print(f'#     less {n_noun_use} the reports use as nouns (before a noun head in {NOUN_USE:.0%} of their uses);')
    if n_compounds:
        print(f'# (4) {n_compounds} terms of (1)\'s discovery made only of verbs and adverbs of (1)-(3)')
        print('#     (jieba\'s segmentation and tags: 深入 + 实施).')
    print('# Term discovery segments with an entry but never counts it (no theme, no keyness row).')
    print('# One entry a line, # comments.')
    print('# --generic none: no list; --generic FILE: another.')
    for t in sorted(generic):
        print(t)


if __name__ == '__main__':
    main()
