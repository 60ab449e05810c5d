#!/usr/bin/python3
"""Pooled relevance judgements of theme lists: the pool to be judged, and precision from it.

The judged lists of tools/eval-gold-themes.py (judges A and B) were written before any output
was seen, so a theme they do not list counts as a miss even when it is a real theme of the
year: their precision is a lower bound. Pooling, as TREC assesses retrieval runs, gives the
other measure: every term some system puts in a report's list is judged, by an assessor who
sees the terms of all systems mixed in one list per report (sorted by a hash, with no system
named), and precision@15 is the share of a system's top 15 the assessor accepts.

  tools/eval-pool.py pool COMPTEXT [options]  add to tools/eval/pool-judgements.tsv every term
        of the pool not yet in it (comptext themes top 25 with the given options, jieba
        extract_tags top 20, jieba + scikit-learn TF-IDF top 20), with an empty label, and
        write the terms to be judged, per report, to stdout;
  tools/eval-pool.py label FILE ASSESSOR  take an assessor's labels (TSV lines year, term,
        label) into pool-judgements.tsv, for terms of the pool not judged yet;
  tools/eval-pool.py score COMPTEXT [options]  precision@15 of the three systems from the
        labels, and how many of each system's top 15 are unjudged (counted as misses).

pool-judgements.tsv: year, term, label (1 a theme an analyst would underline, 0 not, empty:
not judged yet), assessor; a header row. The assessor's instructions are
tools/eval/pool-instructions.md. Exit 77 when ../shared is absent."""
import hashlib
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
JUDGEMENTS = os.path.join(HERE, 'eval', 'pool-judgements.tsv')


def load_eval():
    spec = importlib.util.spec_from_file_location('gold', os.path.join(HERE, 'eval-gold-themes.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_judgements():
    rows = {}
    if os.path.exists(JUDGEMENTS):
        with open(JUDGEMENTS, encoding='utf-8') as f:
            next(f)
            for n, line in enumerate(f, 2):
                parts = line.rstrip('\n').split('\t')
                if len(parts) != 4 or parts[2] not in ('', '0', '1'):
                    sys.exit(f'{JUDGEMENTS}:{n}: expected year, term, label (0, 1 or empty) '
                             'and assessor')
                rows[(parts[0], parts[1])] = (parts[2], parts[3])
    return rows


def save_judgements(rows):
    tmp = JUDGEMENTS + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write('year\tterm\tlabel\tassessor\n')
        for (year, term), (label, assessor) in sorted(rows.items(), key=lambda r: (r[0][0], blind(*r[0]))):
            f.write(f'{year}\t{term}\t{label}\t{assessor}\n')
    os.replace(tmp, JUDGEMENTS)


def blind(year, term):
    """The order the assessor sees: by a hash, so that no system's ranking shows."""
    return hashlib.sha1(f'{year}\t{term}'.encode()).hexdigest()


def systems(gold_module, exe, extra):
    import json
    shared = os.environ.get('COMPTEXT_SHARED', os.path.join(HERE, '..', '..', 'shared'))
    path = os.path.join(shared, 'corpora', 'gov-work-reports.jsonl')
    if not os.path.exists(path):
        print(f'skip: {path} is absent')
        sys.exit(77)
    gold = gold_module.load_gold(os.path.join(HERE, 'eval', 'gold-themes.txt'))
    records = {}
    for line in open(path, encoding='utf-8'):
        d = json.loads(line)
        records[d['title']] = d['content']
    years = {}
    for y in gold:
        years[y] = next((t for t in records if t.startswith(y + '年')), None)
        if years[y] is None:
            sys.exit(f'{path}: no report of {y}, which tools/eval/gold-themes.txt judges')
    import subprocess
    out = subprocess.run([exe, 'themes', '-k', '25', '--text-field', 'content', '--id-field',
                          'title', *extra, path], capture_output=True, text=True, check=True).stdout
    themes = {r['id']: [t['term'] for t in r['themes']] for r in json.loads(out)}
    return years, [('comptext themes', {y: themes[t] for y, t in years.items()}),
                   ('jieba extract_tags', gold_module.jieba_lists(records, years)),
                   ('jieba + scikit-learn TF-IDF', gold_module.jieba_tfidf_lists(records, years))]


def pool(exe, extra):
    years, lists = systems(load_eval(), exe, extra)
    rows = load_judgements()
    added = 0
    for year in years:
        for _, by_year in lists:
            for term in by_year[year][:25]:
                if (year, term) not in rows:
                    rows[(year, term)] = ('', '')
                    added += 1
    save_judgements(rows)
    todo = {}
    for (year, term), (label, _) in rows.items():
        if label == '':
            todo.setdefault(year, []).append(term)
    for year in sorted(todo):
        print(year, ' '.join(sorted(todo[year], key=lambda t: blind(year, t))))
    print(f'{added} terms added, {sum(map(len, todo.values()))} to judge', file=sys.stderr)
    return 0


def score(exe, extra):
    years, lists = systems(load_eval(), exe, extra)
    rows = load_judgements()
    print(f'{len(years)} reports; pooled judgements: {JUDGEMENTS}')
    print('| system | precision@15, pooled | unjudged in the top 15 |\n| --- | --- | --- |')
    for name, by_year in lists:
        prec, unjudged = [], 0
        for year in years:
            top = by_year[year][:15]
            labels = [rows.get((year, t), ('', ''))[0] for t in top]
            unjudged += sum(label == '' for label in labels)
            prec.append(sum(label == '1' for label in labels) / 15)
        print(f'| {name} | {sum(prec) / len(prec):.3f} | {unjudged} of {15 * len(years)} |')
    return 0


def label(path, assessor):
    rows = load_judgements()
    taken = 0
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip('\n').split('\t')
            if len(parts) != 3 or parts[2] not in ('0', '1'):
                print(f'{path}:{n}: expected year, term and label 0 or 1', file=sys.stderr)
                return 1
            key = (parts[0], parts[1])
            if key not in rows:
                print(f'{path}:{n}: {parts[1]} ({parts[0]}) is not in the pool', file=sys.stderr)
                return 1
            if rows[key][0] == '':
                rows[key] = (parts[2], assessor)
                taken += 1
    save_judgements(rows)
    print(f'{taken} labels taken from {path}', file=sys.stderr)
    return 0


def main():
    commands = {'pool': pool, 'score': score, 'label': label}
    if len(sys.argv) < 3 or sys.argv[1] not in commands or (sys.argv[1] == 'label' and len(sys.argv) != 4):
        print(__doc__.split('\n\n')[2], file=sys.stderr)
        return 2
    if sys.argv[1] == 'label':
        return label(sys.argv[2], sys.argv[3])
    return commands[sys.argv[1]](sys.argv[2], sys.argv[3:])


if __name__ == '__main__':
    sys.exit(main())
