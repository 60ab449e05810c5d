#!/usr/bin/python3
"""Themes of a group of two documents (--group-by) are the terms both of them use.

A made-up corpus of four provinces, two reports each (the shape of corpora/cities, where
浙江 holds fengling-2021 and tonghu-2022): each report has three terms of its own, used 6
times, and the two reports of a province share two terms, used 3 times in each; every use is
between words no other use of it has, so that term discovery finds the terms whole. In 丁省
the two reports share nothing (as fengling's 居家养老 and tonghu's 志愿服务).
  * The planted failure: --rank statistic (the group as one document) puts one report's own
    terms (docs 1) first: the group is defined by one of its two documents.
  * By default the two shared terms of each province are its top 2, both with docs 2, and
    no theme of any province is used by one of its reports only (docs 1): with two
    documents, the group without the one using a term most is the other, so a theme is a
    term both use, ranked by the one using it less.
  * 丁省, whose reports share nothing planted, gets no theme of one report, and no theme
    at all: the words both of its reports use are used by every province (idf 0, score 0),
    and a term of score 0 is no theme (before, 丁省 listed them at score 0). Every theme of every province has a score above 0."""
import json, os, random, subprocess, sys, tempfile

EXE = os.environ['COMPTEXT']
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks()
check = checks.check

# filler: sentences every report has, and the words around each use of a planted term
GENERIC = ['本年度各项任务基本完成，', '上级部门多次来检查指导，', '干部群众的积极性很高，',
           '财政投入比上年有所增加，', '基层组织建设得到加强，', '各项制度逐步健全起来，',
           '宣传工作做得比较扎实，', '考核办法进一步细化，', '群众来信来访有所减少，', '安全生产形势平稳。']
BEFORE = ['首次推出', '全面铺设', '带头落实', '新近启动', '着力打造', '多地', '居民对', '先行探索',
          '本市把', '逐步扩大', '广泛宣传', '分步实施', '合理布局', '不断优化', '全县', '镇区']
AFTER = ['效果比较明显', '惠及全体居民', '赢得普遍好评', '迈出新步伐', '建立常态机制', '获得表彰奖励',
         '尚待改进', '日趋成熟', '位居前列', '面貌焕然一新', '初步显现成效', '列入目标责任', '做法得到推介',
         '仍有不足', '覆盖城乡', '顺利推进']
OWN = ['海绵城市', '智慧菜场', '河长巡河', '光伏扶贫', '数字乡村', '口袋公园', '夜间经济', '共享农庄',
       '零工驿站', '村口客厅', '暖心食堂', '社区书房', '流动书屋', '积分超市', '红色物业', '幸福河湖',
       '一键叫车', '银发课堂', '稻渔共生', '林下种植', '茶旅融合', '冷链物流', '飞地园区', '标准地改革']
SHARED = {'甲省': ['山海协作', '强村公司'], '乙省': ['乡村工匠', '共富工坊'],
          '丙省': ['未来社区', '城市大脑'], '丁省': []}

rng = random.Random(12)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'pairs.jsonl')
    own_of = {}
    with open(path, 'w', encoding='utf-8') as f:
        i = 0
        for prov, shared in SHARED.items():
            for d in range(2):
                own = OWN[3 * i:3 * i + 3]
                own_of[f'{prov}{d}'] = own
                i += 1
                parts = []
                for t, n in [(t, 6) for t in own] + [(t, 3) for t in shared]:
                    for b, a in zip(rng.sample(BEFORE, n), rng.sample(AFTER, n)):
                        parts.append(rng.choice(GENERIC))
                        parts.append(f'{b}{t}{a}，')
                rng.shuffle(parts)
                f.write(json.dumps({'id': f'{prov}{d}', 'province': prov,
                                    'text': ''.join(parts) + '。'}, ensure_ascii=False) + '\n')

    def themes(*args):
        r = subprocess.run([EXE, 'themes', '--group-by', 'province', *args, path],
                           capture_output=True, text=True)
        check(r.returncode == 0, f'themes {args}: exit 0 ({r.stderr})')
        return {d['id']: d['themes'] for d in json.loads(r.stdout or '[]')}

    stat = themes('--rank', 'statistic', '-k', '5')
    check(stat['甲省'][0]['docs'] == 1 and stat['甲省'][0]['term'] in own_of['甲省0'] + own_of['甲省1'],
          f'--rank statistic: one report\'s own term first (the planted failure) {stat["甲省"][:3]}')
    new = themes('-k', '5')
    for prov, shared in SHARED.items():
        got = new.get(prov, [])
        if shared:
            check(sorted(t['term'] for t in got[:2]) == sorted(shared),
                  f'{prov}: its two shared terms are its top 2 {[t["term"] for t in got]}')
        check(all(t['docs'] == 2 for t in got), f'{prov}: every theme used by both reports {got}')
        mine = own_of[f'{prov}0'] + own_of[f'{prov}1']
        check(not any(t['term'] in mine for t in got), f'{prov}: no report\'s own term {got}')
        check(all(t['score'] > 0 for t in got), f'{prov}: every theme scores above 0 {got}')
    check(new.get('丁省', []) == [], f'丁省: no theme (its shared words are everyone\'s) {new.get("丁省")}')
    stat10 = themes('--rank', 'statistic', '-k', '10')
    check(all(t['score'] > 0 for g in stat10.values() for t in g), '--rank statistic: every score above 0')

checks.finish()
