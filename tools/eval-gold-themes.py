#!/usr/bin/python3
"""Precision@15 and recall@20 of theme lists against two policy historians' judgements.

Two judges wrote, for the same 32 government work reports of
../shared/corpora/gov-work-reports.jsonl and each from the policy history of each year before
any program's output was looked at, a line of hallmarks a report must show and the other terms
an analyst would accept as its themes: judge A in tools/eval/gold-themes.txt, judge B in
tools/eval/gold-themes-b.txt (written later and blind: without seeing judge A's list or any
theme, term or keyness output).
  * precision@15: the share of a report's top 15 themes that match a judged term (hallmark
    or accepted), averaged over the reports;
  * recall@20: the share of the hallmarks matched by one of the top 20 themes.
Each system is scored against judge A (the first table, the figure quoted since issue 12),
against judge B, and against either judge: a theme is relevant when either judge accepts it,
and recall is measured on the union of the two judges' hallmarks (a term both give counted
once).  Then the judges' agreement, under the same matching rule (two judged terms agree when
either matches the other): the share of A's hallmarks that B lists at all (hallmark or
accepted), the same of B's hallmarks in A's list, the share of A's hallmarks that are B's
hallmarks too, and the overlap of the accepted sets (hallmarks and accepted terms), a Jaccard
index |A & B| / |A | B| with |A & B| the mean of the number of A's terms that B agrees with and
the number of B's terms that A agrees with, averaged over the reports.
A hallmark the report never writes (21 of judge A's 181: the February 1958 report predates
总路线; 1975 spells out the modernisation of agriculture, industry, defence and science, not 四个现代化) can be matched only
through a part the report does write (经济调整 of 国民经济调整, 现代化 of 四个现代化), so recall@20 is also given on the hallmarks that occur in the report's text (folded
to simplified characters with OpenCC t2s, as comptext reads it); the judges' lists stay as
written.
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
python3-jieba and python3-sklearn). Exit 77 when ../shared is absent.  EVAL_VERBOSE=1 adds,
per report, comptext's top 15 with the themes neither judge accepts, and each judge's
hallmarks the other does not list."""
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


def in_text(gold, texts):
    """The judgement with only the hallmarks that occur in the report's text: a hallmark the
    report never writes (the 1958 report predates 总路线) can be matched at most through a
    part of it, so recall on the others says how much of what could be found is found."""
    return {year: {'hallmarks': [h for h in g['hallmarks'] if h in texts[year]],
                   'accept': g['accept']} for year, g in gold.items()}


def fold_t2s(texts):
    """The texts in simplified characters (OpenCC t2s), as comptext reads them by default."""
    import subprocess
    out = {}
    for year, text in texts.items():
        try:
            r = subprocess.run(['opencc', '-c', 't2s'], input=text, capture_output=True,
                               text=True, check=True)
        except (OSError, subprocess.CalledProcessError) as e:
            sys.exit(f'opencc -c t2s failed ({e}): install opencc (Debian package opencc)')
        out[year] = r.stdout
    return out


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


def either_judge(a, b):
    """The union of two judgements: a term either judge accepts; hallmarks of both."""
    def union(x, y):
        return x + [t for t in y if t not in x]
    return {year: {'hallmarks': union(a[year]['hallmarks'], b[year]['hallmarks']),
                   'accept': union(a[year]['accept'], b[year]['accept'])} for year in a}


def agree(term, terms):
    """Whether one judge's term is given by the other: either matches the other."""
    return any(matches(term, t) or matches(t, term) for t in terms)


def agreement(a, b):
    """Shares of each judge's hallmarks the other lists, and the Jaccard index of the
    judged sets (see the module docstring), over the reports both judged."""
    def share(x, y, field):
        n = sum(len(x[yr]['hallmarks']) for yr in x)
        return sum(agree(h, y[yr][field] if field else y[yr]['hallmarks'] + y[yr]['accept'])
                   for yr in x for h in x[yr]['hallmarks']) / n
    jaccard = []
    for year in a:
        ja = a[year]['hallmarks'] + a[year]['accept']
        jb = b[year]['hallmarks'] + b[year]['accept']
        both = (sum(agree(t, jb) for t in ja) + sum(agree(t, ja) for t in jb)) / 2
        jaccard.append(both / (len(ja) + len(jb) - both))
    return {'a_in_b': share(a, b, None), 'b_in_a': share(b, a, None),
            'a_hall_b_hall': share(a, b, 'hallmarks'), 'b_hall_a_hall': share(b, a, 'hallmarks'),
            'jaccard': sum(jaccard) / len(jaccard)}


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
    gold_b = load_gold(os.path.join(HERE, 'eval', 'gold-themes-b.txt'))
    if set(gold_b) != set(gold):
        print('gold-themes-b.txt: judges a different set of reports from gold-themes.txt')
        return 1
    gold_either = either_judge(gold, gold_b)
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
    nb = sum(len(g['hallmarks']) for g in gold_b.values())
    ne = sum(len(g['hallmarks']) for g in gold_either.values())
    print(f'\nEach judge and either judge ({nb} hallmarks of judge B, {ne} of either judge)')
    print('| system | judge | precision@15 | recall@20 |\n| --- | --- | --- | --- |')
    for name, lists in systems:
        for judge, g in (('A', gold), ('B', gold_b), ('either', gold_either)):
            p, r = score(lists, g)
            print(f'| {name} | {judge} | {p:.3f} | {r:.3f} |')
    texts = fold_t2s({y: records[t] for y, t in years.items()})
    present = [(judge, in_text(g, texts)) for judge, g in
               (('A', gold), ('B', gold_b), ('either', gold_either))]
    print('\nRecall@20 on the hallmarks that occur in the report (' +
          ', '.join(f'{j}: {sum(len(x["hallmarks"]) for x in g.values())}' for j, g in present) +
          ')')
    print('| system | ' + ' | '.join((f'judge {j}' if j != 'either' else 'either judge') for j, _ in present) + ' |\n| --- |' +
          ' --- |' * len(present))
    for name, lists in systems:
        print(f'| {name} | ' + ' | '.join(f'{score(lists, g)[1]:.3f}' for _, g in present) + ' |')
    ag = agreement(gold, gold_b)
    print('\nAgreement of the judges (matching rule in either direction)')
    print("| A's hallmarks B lists | B's hallmarks A lists | A's hallmarks among B's hallmarks "
          "| B's among A's | Jaccard of the judged sets |\n| --- | --- | --- | --- | --- |")
    print(f'| {ag["a_in_b"]:.3f} | {ag["b_in_a"]:.3f} | {ag["a_hall_b_hall"]:.3f} | '
          f'{ag["b_hall_a_hall"]:.3f} | {ag["jaccard"]:.3f} |')
    if os.environ.get('EVAL_VERBOSE'):
        for year in gold:
            judged = gold_either[year]['hallmarks'] + gold_either[year]['accept']
            top = systems[0][1][year][:15]
            noise = [t for t in top if not any(matches(t, j) for j in judged)]
            print(year, ' '.join(top), '| unmatched:', ' '.join(noise))
            ja = gold[year]['hallmarks'] + gold[year]['accept']
            jb = gold_b[year]['hallmarks'] + gold_b[year]['accept']
            print('  A only:', ' '.join(h for h in gold[year]['hallmarks'] if not agree(h, jb)),
                  '| B only:', ' '.join(h for h in gold_b[year]['hallmarks'] if not agree(h, ja)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
