#!/usr/bin/python3
"""Themes of a group of documents (--group-by) are what the group's documents share.

A made-up corpus of four cities, six yearly reports each: every city has three terms of its
own, used twice in each of its six reports (each use between words no other use of it has, so
that term discovery finds the terms whole); in one report of one city a name (a speaker in its
title lines) is repeated 24 times, more than any of the city's own terms over all six.
  * The planted failure: the six reports of that city merged into one document (what
    --group-by used to rank) put the name first among its themes.
    So does --rank statistic (the group as one document), with docs 1 beside it.
  * By default (--group-by city) the name is not among the city's top 10 and the city's
    three own terms are its top 3, used in all 6 documents (docs 6).
  * docs, dp and score agree with `comptext keyness --target city=CITY` over the same
    discovered terms: docs = docs_target, dp = dp (Gries's DP over the group's documents),
    score of a city's own term = statistic_without_top × ln((1 + 4) / (1 + 1)) × (L / 2)^0.2
    (the length prior of --length-weight, L its characters).
  * TSV and CSV have the columns id, term, score, docs, dp; without --group-by the table
    keeps its three columns id, term, score."""
import csv, io, itertools, json, math, os, random, subprocess, sys, tempfile

EXE = os.environ['COMPTEXT']
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks()
check = checks.check


def run(*args, cmd='themes'):
    return checks.run(cmd, *args).stdout


# the first 16 words before and after: the ones this corpus was drawn from
BEFORE, AFTER = ctkit.PLANT_BEFORE[:16], ctkit.PLANT_AFTER[:16]
CITIES = {city: ctkit.PLANT_TERMS[3 * i:3 * i + 3]
          for i, city in enumerate(['甲市', '乙市', '丙市', '丁市'])}
NAME = '欧阳振华同志'

rng = random.Random(6)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'cities.jsonl')
    merged = os.path.join(tmp, 'merged.jsonl')
    texts = {}
    with open(path, 'w', encoding='utf-8') as f:
        for city, own in CITIES.items():
            # each term used twice a report, every use with a word before and after that no
            # other use of the term has
            ctx = {t: ctkit.plant_contexts(rng, 12, BEFORE, AFTER) for t in own}
            for y in range(6):
                parts = []
                for t in own:
                    parts += ctkit.planted_uses(rng, t, ctx[t][2 * y:2 * y + 2])
                parts += rng.sample(ctkit.PLANT_FILLER, 8)
                rng.shuffle(parts)
                if city == '甲市' and y == 2:
                    parts = [f'{NAME}讲话。'] * 24 + parts
                text = ''.join(parts) + '。'
                texts.setdefault(city, []).append(text)
                f.write(json.dumps({'id': f'{city}{2015 + y}', 'city': city, 'text': text},
                                   ensure_ascii=False) + '\n')
    with open(merged, 'w', encoding='utf-8') as f:
        for city, ts in texts.items():
            f.write(json.dumps({'id': city, 'text': '\n'.join(ts)}, ensure_ascii=False) + '\n')

    old = {d['id']: [t['term'] for t in d['themes']] for d in json.loads(run('-k', '10', merged))}
    check(old['甲市'] and NAME in old['甲市'][0],
          f'the planted failure: merged into one document, the name leads {old["甲市"]}')

    whole = json.loads(run('-k', '10', '--group-by', 'city', '--rank', 'statistic', path))
    whole = {d['id']: d['themes'] for d in whole}
    check(NAME in whole['甲市'][0]['term'] and whole['甲市'][0]['docs'] == 1,
          f'--rank statistic (a group as one document): the name leads, docs 1 {whole["甲市"][:2]}')
    r = subprocess.run([EXE, 'themes', '--group-by', 'city', '--rank', 'tokens', path],
                       capture_output=True, text=True)
    check(r.returncode == 2 and '--rank' in r.stderr and not r.stdout, f'--rank tokens: exit 2 ({r.stderr})')
    got = {d['id']: d['themes'] for d in json.loads(run('-k', '10', '--group-by', 'city', path))}
    top = [t['term'] for t in got['甲市']]
    check(not any(NAME in t for t in top), f'the name is not among 甲市\'s top 10 {top}')
    for city, own in CITIES.items():
        terms = [t['term'] for t in got[city]]
        check(sorted(terms[:3]) == sorted(own), f'{city}: its own terms are its top 3 {terms}')
        for w in own:
            th = next((t for t in got[city] if t['term'] == w), None)
            check(th is not None and th['docs'] == 6, f'{city} {w}: used in all 6 documents ({th})')

    # docs, dp and the score against keyness over the same discovered terms.
    for city in CITIES:
        k = json.loads(run('--target', f'city={city}', '--format', 'json', path, cmd='keyness'))
        k = {t['term']: t for t in k['terms']}
        for th in got[city]:
            kt = k.get(th['term'])
            check(kt is not None, f'{city} {th["term"]}: in keyness')
            if kt is None:
                continue
            check(th['docs'] == kt['docs_target'],
                  f'{city} {th["term"]}: docs {th["docs"]} = keyness {kt["docs_target"]}')
            check(abs(th['dp'] - kt['dp']) < 1e-9, f'{city} {th["term"]}: dp {th["dp"]} = keyness {kt["dp"]}')
            if th['term'] not in CITIES[city]:
                continue
            # used by its city only; the length prior of themes --length-weight (0.2)
            want = (kt['statistic_without_top'] * math.log(5 / (1 + 1)) *
                    (len(th['term']) / 2) ** 0.2)
            check(abs(th['score'] - want) <= 1e-9 * max(1, abs(want)),
                  f'{city} {th["term"]}: score {th["score"]} = statistic_without_top × idf × '
                  f'length prior {want}')

    tsv = run('-k', '10', '--group-by', 'city', '--format', 'tsv', path)
    check(tsv.splitlines()[0].split('\t') == ['id', 'term', 'score', 'docs', 'dp'], f'TSV columns {tsv.splitlines()[0]}')
    csvout = run('-k', '10', '--group-by', 'city', '--format', 'csv', path)
    check(next(csv.reader(io.StringIO(csvout))) == ['id', 'term', 'score', 'docs', 'dp'],
          f'CSV columns {csvout.splitlines()[0]}')
    plain = run('-k', '3', '--format', 'tsv', path)
    check(plain.splitlines()[0] == 'id\tterm\tscore', f'without --group-by: three columns {plain.splitlines()[0]}')

checks.finish()
