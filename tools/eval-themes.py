#!/usr/bin/python3
"""Measure theme scorers on the government work reports (../shared/corpora).

For each --score, runs `comptext themes` on gov-work-reports.jsonl (ids = titles) and reports
  * hallmark recall@K: the share of the judged hallmark terms below (written from the policy
    history of each report, not from comptext's output) found among a report's top K themes,
    a theme counting when it equals the hallmark or contains it (推进供给侧结构性改革 counts
    for 供给侧结构性改革);
  * generic share@15: the share of the top-15 slots, over all dated reports, taken by
    generic terms — terms occurring in at least 80% of the dated reports (发展, 推进, 建设 …).
Usage: tools/eval-themes.py COMPTEXT [SCORE...] (Debian's /usr/bin/python3); EVAL_EXTRA adds
options to every run (e.g. EVAL_EXTRA='--units ngrams -n 2-4' for the n-gram baseline)."""
import json, os, subprocess, sys

HALLMARKS = {
    '1955': ['第一个五年计划', '社会主义改造', '国家资本主义', '农业生产合作社', '社会主义工业化', '过渡时期'],
    '1958': ['大跃进', '总路线', '整风'],
    '1978': ['四人帮', '四个现代化', '揭批', '新时期的总任务'],
    '1986': ['第七个五年计划', '经济体制改革', '对外开放'],
    '1998': ['亚洲金融危机', '国有企业改革', '机构改革'],
    '2004': ['非典', '科学发展观', '农民工工资', '老工业基地'],
    '2009': ['国际金融危机', '保增长', '扩大内需'],
    '2016': ['供给侧结构性改革', '十三五', '大众创业', '去产能', '新发展理念'],
    '2019': ['减税降费', '六稳', '稳就业'],
    '2021': ['十四五', '碳达峰', '疫情防控'],
    '2025': ['新质生产力', '十五五', '超长期特别国债', '提振消费'],
}

def main():
    exe = sys.argv[1]
    scores = sys.argv[2:] or ['g2', 'tfidf', 'logratio', 'g2-logratio', 'g2-idf']
    shared = os.environ.get('COMPTEXT_SHARED', os.path.join(os.path.dirname(__file__), '..', '..', 'shared'))
    path = os.path.join(shared, 'corpora', 'gov-work-reports.jsonl')
    if not os.path.exists(path):
        print(f'skip: {path} is absent'); return 77
    texts = {}
    for line in open(path, encoding='utf-8'):
        d = json.loads(line)
        if d.get('year'):
            texts[d['title']] = d['content']
    dated = list(texts)
    for score in scores:
        out = subprocess.run([exe, 'themes', '-k', '20', '--score', score, '--text-field', 'content',
                              '--id-field', 'title', *os.environ.get('EVAL_EXTRA', '').split(), path],
                             capture_output=True, text=True, check=True).stdout
        themes = {r['id']: [t['term'] for t in r['themes']] for r in json.loads(out)}
        found = total = 0
        for year, marks in HALLMARKS.items():
            title = next(t for t in dated if t.startswith(year))
            top = themes[title]
            for m in marks:
                total += 1
                hit = any(m in t for t in top)
                found += hit
                if not hit and os.environ.get('EVAL_VERBOSE'):
                    print('  missed', year, m)
        generic_cache = {}
        def generic(term):
            if term not in generic_cache:
                df = sum(term in texts[t] for t in dated)
                generic_cache[term] = df >= 0.8 * len(dated)
            return generic_cache[term]
        slots = gen = 0
        for t in dated:
            for term in themes[t][:15]:
                slots += 1
                gen += generic(term)
        print(f'{score:12s} hallmark recall@20 {found}/{total} = {found/total:.3f}   '
              f'generic share@15 {gen}/{slots} = {gen/max(slots,1):.3f}')
    return 0

if __name__ == '__main__':
    sys.exit(main())
