#!/usr/bin/python3
"""Themes of a yearly series find a slogan in the report where it begins, though it stays.

A made-up series of fourteen reports with a year field (2001–2014), each with three terms
of its own used 8 times and two terms used 6 times that return seven years later (the
reports of 2001–2007 and of 2008–2014 share them in pairs); a slogan (三个一批工程) begins in
2008 with 6 uses and stays in every later report with 3 a year (a slogan that marks a
decade, as 供给侧结构性改革 from 2016).
Every use of a planted term is between words no other use of it has, so that term
discovery finds it whole.
  * The planted failure: with --time-field none (each report against the rest, whose later
    reports use the slogan too) it is not among the top 5 of 2008: the two returning terms,
    used by one other report only, rank above it.
  * By default (the year field: each report is also compared with the reports more than
    two years before it, where the returning terms are and the slogan is not) it is in the
    top 4 of 2008, and every report keeps its own three terms in its top 5; no report before
    2008 has the slogan.
  * --onset-weight 0 ranks as --time-field none; a --time-field the corpus does not have
    and a bad --onset-weight exit 2."""
import itertools, json, os, random, subprocess, sys, tempfile

EXE = os.environ['COMPTEXT']
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks()
check = checks.check


def themes(*args):
    r = subprocess.run([EXE, 'themes', *args], capture_output=True, text=True)
    check(r.returncode == 0, f'themes {args}: exit 0 ({r.stderr})')
    return {d['id']: [t['term'] for t in d['themes']] for d in json.loads(r.stdout or '[]')}


GENERIC = ['今年以来，我们认真推进各项工作，', '坚持以人民为中心的发展思想，', '进一步完善公共服务体系，',
           '各级政府切实加强领导，', '全面推进治理现代化，', '不断提高群众满意度，',
           '推动经济社会高质量发展。', '加强队伍建设，', '健全工作机制，', '强化资金保障。']
BEFORE = ['全面推行', '扎实开展', '认真抓好', '今年新增', '重点推进', '各地', '群众对', '试点开展',
          '我们把', '继续深化', '大力推广', '有序推进', '统筹安排', '持续完善', '全省', '城区',
          '乡镇', '街道', '园区', '县里', '市里', '企业', '学校', '医院', '社区', '农村', '机关', '部门']
AFTER = ['工作成效明显', '覆盖全部地区', '受到群众欢迎', '取得新进展', '形成长效机制', '得到上级肯定',
         '仍需加强', '逐步规范', '走在前列', '有了新起色', '已见实效', '纳入考核', '经验得到推广',
         '还有差距', '全面铺开', '稳步实施', '初见成效', '进展顺利', '成果丰硕', '逐年提高',
         '势头良好', '全面完成', '基本建成', '有序开展', '扎实推进', '持续巩固', '不断深化', '日益完善']
OWN = ['海绵城市', '智慧菜场', '河长巡河', '光伏扶贫', '数字乡村', '口袋公园', '夜间经济', '共享农庄',
       '零工驿站', '村口客厅', '暖心食堂', '社区书房', '流动书屋', '积分超市', '红色物业', '幸福河湖',
       '一键叫车', '银发课堂', '稻渔共生', '林下种植', '茶旅融合', '冷链物流', '飞地园区', '标准地改革',
       '亩均论英雄', '电商直播', '民宿集群', '研学基地', '非遗工坊', '渔光互补', '草畜平衡', '移民新村',
       '边贸互市', '跨境贸易', '康养小镇', '候鸟旅居', '山海协作', '强村公司', '乡村工匠', '共富工坊',
       '未来社区', '城市大脑']
RETURNING = ['老城改造', '菜篮子工程', '村村通公路', '希望工程', '安居工程', '送温暖工程', '双拥模范城',
             '文明城市创建', '科技下乡', '万村千乡', '城乡环卫一体化', '退耕还林', '农网改造', '放心肉工程']
SLOGAN = '三个一批工程'

rng = random.Random(8)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'series.jsonl')
    slogan_uses = {y: (6 if y == 2008 else 3 if y > 2008 else 0) for y in range(2001, 2015)}
    pairs = list(zip(rng.sample(BEFORE, 28), rng.sample(AFTER, 28)))  # 26 slogan uses
    k = 0
    with open(path, 'w', encoding='utf-8') as f:
        for i, y in enumerate(range(2001, 2015)):
            parts = []
            for t in OWN[3 * i:3 * i + 3]:
                for b, a in zip(rng.sample(BEFORE, 8), rng.sample(AFTER, 8)):
                    parts.append(rng.choice(GENERIC))
                    parts.append(f'{b}{t}{a}，')
            for t in RETURNING[2 * (i % 7):2 * (i % 7) + 2]:
                for b, a in zip(rng.sample(BEFORE, 6), rng.sample(AFTER, 6)):
                    parts.append(rng.choice(GENERIC))
                    parts.append(f'{b}{t}{a}，')
            for b, a in pairs[k:k + slogan_uses[y]]:
                parts.append(rng.choice(GENERIC))
                parts.append(f'{b}{SLOGAN}{a}，')
            k += slogan_uses[y]
            rng.shuffle(parts)
            f.write(json.dumps({'id': f'y{y}', 'year': str(y), 'text': ''.join(parts) + '。'},
                               ensure_ascii=False) + '\n')
    old = themes('-k', '5', '--time-field', 'none', path)
    check(SLOGAN not in old['y2008'][:5], f'--time-field none: not in the top 5 of 2008 (the planted failure) {old["y2008"]}')
    new = themes('-k', '5', path)
    check(SLOGAN in new['y2008'][:4], f'by default: in the top 4 of 2008, after its own three {new["y2008"]}')
    for i, y in enumerate(range(2001, 2015)):
        for t in OWN[3 * i:3 * i + 3]:
            check(t in new[f'y{y}'][:5], f'y{y}: its own term {t} in its top 5 {new[f"y{y}"]}')
        if y < 2008:
            check(SLOGAN not in new[f'y{y}'], f'y{y} does not use the slogan')
    check(themes('-k', '5', '--onset-weight', '0', path) == old, '--onset-weight 0 = --time-field none')
    for args in (['--time-field', 'nosuch'], ['--onset-weight', '-1'], ['--onset-weight', 'x']):
        r = subprocess.run([EXE, 'themes', *args, path], capture_output=True, text=True)
        check(r.returncode == 2 and args[0] in r.stderr and not r.stdout, f'{args}: exit 2 ({r.stderr!r})')

checks.finish()
