#!/usr/bin/python3
"""Make corpora/generic-zh.txt: generic words, which are never a report's theme.

Measured parts:
(1) the genre's own vocabulary. A discovered term is generic when it is spread evenly over the reports of the shared corpus
(../shared/corpora/gov-work-reports.jsonl, the dated reports only): it occurs in at least
MIN_DF of them and its Gries DP (deviation of proportions: half the sum over the reports of
|share of the term's occurrences − share of the corpus's characters|; 0 = perfectly even,
near 1 = all in one report) is at most MAX_DP. Such words (我们, 进一步, 推动, 各位代表,
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
(5), off unless GENERIC_PERIOD_WINDOW is set: terms spread evenly over a period rather than
the 70 years — some window of PERIOD_WINDOW consecutive reports (by year) holds the term in
PERIOD_DF of its reports with Gries DP within the window at most PERIOD_DP (a formula in every
report since some year). Measured on the pooled precision@15 of tools/eval-pool.py (main
0.721; judges A/B precision@15 0.325/0.429, recall@20 0.326/0.366): window 10, DF 100%,
DP 0.15: 0.719 (A 0.319); 15, 90%, 0.2: 0.719 (B recall 0.354); 20, 100%, 0.15: 0.725 but
B 0.427, recall 0.358. A term in nearly every report of a long window at an even rate is as
often a long-lived policy (就业, 三农, 农村, 改革开放, 霸权主义: hallmarks of some year, when
its rate rises) as a formula; and the formulae of the judged top 15s (表示衷心感谢,
中央财政拟安排, 做好今年的工作: 2 dated reports each) are in a few reports, never in most of a
window. Left off.
(6) set phrases of common words: discovered terms that jieba (dict.txt, no HMM) cuts into
PHRASE_PIECES (2) or more words, each with an IDF below PHRASE_IDF (GENERIC_PHRASE_IDF, 6.0,
the threshold of part (2); 0: none) — 改革 + 和 + 发展, 重要 + 的 + 有, 特别 + 是 + 消费,
生产 + 生活 + 条件, 世界 + 人民 + 的 + 革命: every word of general Chinese, so the phrase
names no policy; a policy phrase has a rarer word (节能 6.8 + 减排, 自主 6.8 + 创新, 民生 7.2,
结构性 7.4). Formulae with one word a little rarer stay (做好 6.4 of 做好今年的工作, 进展 6.3
of 取得积极进展, 特色 6.5 of 具有中国特色, 拟 6.5 of 今年拟, 五年 6.5): 6.6 would reach them
but loses more policy phrases. Pooled precision@15 by PHRASE_IDF (2 pieces): 5.5 0.727, 5.8 0.729, 6.0 0.731,
6.2 0.717, 6.4 0.719, 6.6 0.715, 7.0 0.708; 3 pieces at 6.0 0.725, at 6.6 0.710; judges A/B at
6.0 0.331/0.433, recall 0.343/0.382 (all up). It loses phrases made of common words that are
slogans (加强和创新社会管理, 经济建设, 农业生产, 走出去, 新时代, 未来产业, 西部开发). With (7):
two-word phrases under a lower IDF (5.5, 5.0) 0.742, none 0.735, only phrases holding a
stopword 0.727, against 0.746: the pairs stay.
(7) a person named with a title: a discovered term that ends in a name + one of TITLES (同志
主席 总理 委员长 总书记), the name a word jieba's dictionary tags as a person's (nr, nrt, nrfg:
毛泽东, 邓小平) or one character it tags nr (a surname: 毛 + 主席, 周 + 总理). The reports
name leaders so to honour or quote them — ceremony, not what the year's policy is; the
leader's line or campaign (毛主席革命路线, 林彪) stays a term. GENERIC_TITLED=0: off. Alone:
pooled 0.727 (2 unjudged), A 0.323 (judge A lists 毛主席 as a hallmark of 1978), B 0.429,
recall B 0.370; with (6): pooled 0.744 (3 unjudged: upper bound 0.750), A 0.329/0.343,
B 0.435/0.386 against (6) alone 0.731. Wider (GENERIC_TITLED_WIDE, 1; 0: the term itself is
name + title): jieba cuts the term and the name is the word before a final title (or the rest
of a final word ending in one: 毛 + 主席), so phrases ending in a titled name count too
(伟大领袖毛主席, 党中央和毛主席, 正如毛泽东主席), and a word the reports put before two
different titles is a name as well (周恩来 同志/总理; jieba tags 周恩来 t): 18 terms, pooled
0.746 (3 unjudged, upper 0.752), A 0.331/0.343, B 0.438/0.386.
Re-tuned on the pooled measure with (6) and (7) off: MAX_IDF 5.5 0.713, 6.0 0.721, 6.5 0.723
(A recall 0.320, B 0.425), 7.0 0.706; MAX_VERB_IDF 7.0 0.710, 7.5 0.721, 8.0 0.719, 8.5 0.721
(A 0.321): 6.0 and 7.5 kept. Again with (6) and (7): MAX_IDF 5.8 0.740, 6.2 0.742, 6.5 0.746
(6 unjudged; recall A 0.326, B 0.366); MAX_VERB_IDF 7.0 0.735, 8.0 0.740; PHRASE_IDF 5.8
0.742, 6.2 0.731; NOUN_USE 0.2 the same as 0.1: all kept.
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
PERIOD_WINDOW = int(os.environ.get('GENERIC_PERIOD_WINDOW', '0'))
PERIOD_DF = float(os.environ.get('GENERIC_PERIOD_DF', '0.9'))
PERIOD_DP = float(os.environ.get('GENERIC_PERIOD_DP', '0.2'))
PHRASE_IDF = float(os.environ.get('GENERIC_PHRASE_IDF', '6.0'))
PHRASE_PIECES = int(os.environ.get('GENERIC_PHRASE_PIECES', '2'))
TITLED = os.environ.get('GENERIC_TITLED', '1') == '1'
TITLED_WIDE = os.environ.get('GENERIC_TITLED_WIDE', '1') == '1'
TITLES = ('同志', '主席', '总理', '委员长', '总书记')
NAME_TAGS = ('nr', 'nrt', 'nrfg')
NOUN_HEADS = ('工作 问题 体制 制度 政策 收入 支出 岗位 机制 渠道 形势 压力 资金 环境 水平 格局 能力 '
              '服务 项目 体系').split()
HERE = os.path.dirname(os.path.abspath(__file__))


def load_idf():
    """jieba's IDF table (analyse/idf.txt) as a dict word -> IDF."""
    import jieba.analyse
    idf = {}
    path = os.path.join(os.path.dirname(jieba.analyse.__file__), 'idf.txt')
    for line in open(path, encoding='utf-8'):
        word, value = line.split()
        idf[word] = float(value)
    return idf


def load_tags():
    """jieba's dictionary (dict.txt) as a dict word -> part-of-speech tag."""
    import jieba
    tags = {}
    for line in open(os.path.join(os.path.dirname(jieba.__file__), 'dict.txt'), encoding='utf-8'):
        word, _, tag = line.split()
        tags[word] = tag
    return tags


def period_even(counts, sizes):
    """Part (5): does some window of PERIOD_WINDOW consecutive reports hold the term in
    PERIOD_DF of them, spread evenly (Gries DP within the window at most PERIOD_DP)?"""
    w = PERIOD_WINDOW
    for i in range(len(counts) - w + 1):
        c, s = counts[i:i + w], sizes[i:i + w]
        if sum(1 for x in c if x) < PERIOD_DF * w:
            continue
        n, total = sum(c), sum(s)
        if 0.5 * sum(abs(x / n - y / total) for x, y in zip(c, s)) <= PERIOD_DP:
            return True
    return False


_TAGS = {}


def is_name(word, corpus):
    """A person's name for part (7): a word jieba's dictionary tags nr/nrt/nrfg, or one it
    tags so as a single character (a surname), or, with TITLED_WIDE, a word of two to four
    characters the reports put before two different titles (周恩来同志, 周恩来总理: jieba tags
    周恩来 t)."""
    if _TAGS.get(word) in NAME_TAGS:
        return True
    return (TITLED_WIDE and 2 <= len(word) <= 4
            and sum(1 for t in TITLES if word + t in corpus) >= 2)


def titled_phrase(term, corpus):
    """Part (7): does the term end in a person named with a title (毛泽东同志, 周总理, and with
    TITLED_WIDE also the phrases that end so: 伟大领袖毛主席, 党中央和毛主席)? jieba (no HMM)
    cuts the term; the title is its last word or ends it (毛主席 is one word of the dictionary,
    毛 + 主席), the name the word before it or the rest of that word."""
    if not _TAGS:
        _TAGS.update(load_tags())
    import jieba
    jieba.setLogLevel(60)
    pieces = jieba.lcut(term, HMM=False)
    if not TITLED_WIDE:
        pieces = [term]
    last = pieces[-1]
    for title in TITLES:
        if last == title and len(pieces) >= 2 and is_name(pieces[-2], corpus):
            return True
        if last.endswith(title) and len(last) > len(title) and is_name(last[:-len(title)], corpus):
            return True
    return False


def main():
    exe = sys.argv[1]
    shared = os.environ.get('COMPTEXT_SHARED', os.path.join(HERE, '..', '..', 'shared'))
    path = os.path.join(shared, 'corpora', 'gov-work-reports.jsonl')
    docs = [json.loads(line) for line in open(path, encoding='utf-8')]
    years = [d['year'] for d in docs if d.get('year')]
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
    idf = load_idf() if MAX_IDF > 0 or MAX_VERB_IDF > 0 or PHRASE_IDF > 0 else {}
    for word, value in (idf.items() if MAX_IDF > 0 else ()):
        if (len(word) >= 2 and all('\u4e00' <= ch <= '\u9fff' for ch in word)
                and value < MAX_IDF and word not in seen):
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
        for word, tag in load_tags().items():
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
        tags = load_tags()
        for t in terms:
            pieces = jieba.lcut(t, HMM=False)
            if (t not in seen and len(pieces) >= 2
                    and all(tags.get(w) in VERB_TAGS and w in seen
                            and idf.get(w, float('inf')) < MAX_VERB_IDF for w in pieces)):
                generic.append(t)
                seen.add(t)
                n_compounds += 1
    # (5) terms spread evenly over a period: some window of PERIOD_WINDOW consecutive reports
    # (by year) holds the term in PERIOD_DF of its reports with Gries DP at most PERIOD_DP
    # within the window (a formula in every report since some year).
    n_period = 0
    if PERIOD_WINDOW > 0:
        order = sorted(range(len(docs)), key=lambda i: years[i])
        for t in terms:
            if t in seen:
                continue
            counts = [docs[i].count(t) for i in order]
            if sum(1 for c in counts if c) < PERIOD_DF * PERIOD_WINDOW:
                continue
            if period_even(counts, [sizes[i] for i in order]):
                generic.append(t)
                seen.add(t)
                n_period += 1
    # (6) set phrases of common words: discovered terms that jieba cuts into PHRASE_PIECES
    # or more words, each of general Chinese (IDF below PHRASE_IDF): 改革 + 和 + 发展.
    n_phrases = 0
    if PHRASE_IDF > 0:
        import jieba
        jieba.setLogLevel(60)
        for t in terms:
            pieces = jieba.lcut(t, HMM=False)
            if (t not in seen and len(pieces) >= PHRASE_PIECES
                    and all(idf.get(w, float('inf')) < PHRASE_IDF for w in pieces)):
                generic.append(t)
                seen.add(t)
                n_phrases += 1
    # (7) a person named with a title (毛泽东 + 同志, 周 + 总理): ceremony, not a policy.
    n_titled = 0
    if TITLED:
        for t in terms:
            if t not in seen and titled_phrase(t, corpus):
                generic.append(t)
                seen.add(t)
                n_titled += 1
    print('# comptext generic words of the report genre (corpora/generic-zh.txt), made by')
    print('# tools/make-generic-words.py (which says how), by measurement:')
    print(f'# (1) {n_genre} terms discovered in ../shared/corpora/gov-work-reports.jsonl that occur')
    print(f'#     in at least {MIN_DF:.0%} of its {len(docs)} dated reports with Gries DP at most {MAX_DP} (spread')
    print('#     evenly: the language of the genre);')
    if MAX_IDF > 0:
        print(f'# (2) {n_general} more words of general Chinese: IDF below {MAX_IDF} in jieba\'s IDF')
        print('#     table (jieba, https://github.com/fxsjy/jieba, MIT licence: analyse/idf.txt).')
    if MAX_VERB_IDF > 0:
        print(f'# (3) {n_verbs} more verbs and adverbs of general Chinese: words jieba\'s dictionary tags')
        print(f'#     {"/".join(sorted(VERB_TAGS))} (dict.txt, MIT licence) with an IDF below {MAX_VERB_IDF} (idf.txt),')
        print(f'#     less {n_noun_use} the reports use as nouns (before a noun head in {NOUN_USE:.0%} of their uses);')
    if n_compounds:
        print(f'# (4) {n_compounds} terms of (1)\'s discovery made only of verbs and adverbs of (1)-(3)')
        print('#     (jieba\'s segmentation and tags: 深入 + 实施).')
    if n_period:
        print(f'# (5) {n_period} terms discovered that some {PERIOD_WINDOW} consecutive reports hold in at least')
        print(f'#     {PERIOD_DF:.0%} of them with Gries DP at most {PERIOD_DP} within those reports (a period\'s formulae);')
    if n_phrases:
        print(f'# (6) {n_phrases} terms discovered that jieba cuts into {PHRASE_PIECES} or more words, each with an IDF')
        print(f'#     below {PHRASE_IDF} (set phrases of common words: 改革 + 和 + 发展);')
    if n_titled:
        print(f'# (7) {n_titled} terms discovered that end in a person named with a title ({" ".join(TITLES)}):')
        print('#     jieba\'s dictionary tags the name nr, or it is one surname character tagged nr,')
        print('#     or the reports put it before two different titles;')
    print('# Term discovery segments with an entry but never counts it (no theme, no keyness row).')
    print('# One entry a line, # comments.')
    print('# --generic none: no list; --generic FILE: another.')
    for t in sorted(generic):
        print(t)


if __name__ == '__main__':
    main()
