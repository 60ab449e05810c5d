#!/usr/bin/python3
"""Precision@15 and recall@20 of theme lists against a policy historian's judgement.

The judged terms are in tools/eval/gold-themes.txt (32 government work reports of
../shared/corpora/gov-work-reports.jsonl, written from the policy history of each year before
any program's output was looked at): a line of hallmarks a report must show, and the other
terms an analyst would accept as its themes.
  * precision@15: the share of a report's top 15 themes that match a judged term (hallmark
    or accepted), averaged over the reports;
  * recall@20: the share of the hallmarks matched by one of the top 20 themes.
A theme matches a judged term when
  * it contains the term, with at most as many characters more as the term has (and at most
    two more for a term of one or two characters): 推进供给侧结构性改革 and 东北地区等老工业基地
    name 供给侧结构性改革 and 老工业基地, with a verb or a qualifier around them; or
  * it is a part of the term of three characters or more that keeps at least 60 % of it
    (供给侧结构 of 供给侧结构性改革), or that begins it (新时代 of 新时代中国特色社会主义): a
    Chinese compound puts its distinctive modifier first and its generic head last, so the
    beginning names the slogan and the end (社会主义) does not.
(Until issue 12 the rule allowed two characters more at most and no beginnings: long themes
that name a judged term with a verb in front, and the 新时代 of a longer slogan, counted as
misses.)
Three systems in the same run: comptext themes (defaults, -k 20), jieba's extract_tags (its
own IDF, topK=20), and jieba segmentation + scikit-learn TfidfVectorizer over the same 72
records (words of two characters or more, scikit-learn's default token pattern).
Usage: tools/eval-gold-themes.py COMPTEXT [comptext options...] (Debian's /usr/bin/python3;
python3-jieba and python3-sklearn). Exit 77 when ../shared is absent."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_gold(path):
    gold, year = {}, None
    for line in open(path, encoding='utf-8'):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('== '):
            year = line[3:].strip()
            gold[year] = {'hallmarks': [], 'accept': []}
        elif line.startswith('!'):
            gold[year]['hallmarks'] += line[1:].split()
        else:
            gold[year]['accept'] += line.split()
    return gold


def matches(theme, term):
    """The matching rule, the same for every system (see the module docstring)."""
    if term in theme:
        return len(theme) - len(term) <= max(2, len(term))
    if theme in term and len(theme) >= 3:
        return len(theme) >= 0.6 * len(term) or term.startswith(theme)
    return False


def score(lists, gold):
    prec, found, total = [], 0, 0
    for year, g in gold.items():
        top = lists[year]
        judged = g['hallmarks'] + g['accept']
        top15 = top[:15]
        prec.append(sum(any(matches(t, j) for j in judged) for t in top15) / 15)
        for h in g['hallmarks']:
            total += 1
            found += any(matches(t, h) for t in top[:20])
    return sum(prec) / len(prec), found / total


def comptext_lists(exe, path, extra, years):
    import subprocess
    out = subprocess.run([exe, 'themes', '-k', '20', '--text-field', 'content', '--id-field',
                          'title', *extra, path], capture_output=True, text=True, check=True).stdout
    themes = {r['id']: [t['term'] for t in r['themes']] for r in json.loads(out)}
    return {y: themes[t] for y, t in years.items()}


def jieba_lists(records, years):
    import jieba
    import jieba.analyse
    jieba.setLogLevel(60)
    return {y: jieba.analyse.extract_tags(records[t], topK=20) for y, t in years.items()}


def jieba_tfidf_lists(records, years):
    import jieba
    from sklearn.feature_extraction.text import TfidfVectorizer
    jieba.setLogLevel(60)
    titles = list(records)
    docs = [' '.join(jieba.lcut(records[t])) for t in titles]
    vec = TfidfVectorizer()
    x = vec.fit_transform(docs).tocsr()
    vocab = vec.get_feature_names_out()
    out = {}
    for y, t in years.items():
        row = x.getrow(titles.index(t))
        order = sorted(zip(row.data, row.indices), key=lambda p: (-p[0], vocab[p[1]]))
        out[y] = [vocab[i] for _, i in order[:20]]
    return out


def main():
    exe, extra = sys.argv[1], sys.argv[2:]
    shared = os.environ.get('COMPTEXT_SHARED', os.path.join(HERE, '..', '..', 'shared'))
    path = os.path.join(shared, 'corpora', 'gov-work-reports.jsonl')
    if not os.path.exists(path):
        print(f'skip: {path} is absent')
        return 77
    gold = load_gold(os.path.join(HERE, 'eval', 'gold-themes.txt'))
    records = {}
    for line in open(path, encoding='utf-8'):
        d = json.loads(line)
        records[d['title']] = d['content']
    years = {y: next(t for t in records if t.startswith(y + '年')) for y in gold}
    systems = [('comptext themes', comptext_lists(exe, path, extra, years)),
               ('jieba extract_tags', jieba_lists(records, years)),
               ('jieba + scikit-learn TF-IDF', jieba_tfidf_lists(records, years))]
    print(f'{len(gold)} reports, {sum(len(g["hallmarks"]) for g in gold.values())} hallmarks')
    print('| system | precision@15 | recall@20 |\n| --- | --- | --- |')
    for name, lists in systems:
        p, r = score(lists, gold)
        print(f'| {name} | {p:.3f} | {r:.3f} |')
    if os.environ.get('EVAL_VERBOSE'):
        for year in gold:
            judged = gold[year]['hallmarks'] + gold[year]['accept']
            top = systems[0][1][year][:15]
            noise = [t for t in top if not any(matches(t, j) for j in judged)]
            print(year, ' '.join(top), '| unmatched:', ' '.join(noise))
    return 0


if __name__ == '__main__':
    sys.exit(main())
