#!/usr/bin/python3
"""Write the made-up test corpus of tests/cases/themes (run once; the output is committed).

Six short "community work reports" share a generic vocabulary (发展, 推进, 建设, 社区, 服务,
工作 …) in every document, and each has two planted terms of its own: frequent in it (8
times), in varied contexts, and rare elsewhere (at most once in one other document). The
themes test requires each document's planted terms in its top 5 themes, with no fragment of
a planted term ranked above it. Deterministic: a fixed seed."""
import os, random

PLANTED = {
    'anhe': ['网格巡查', '智慧门牌'],
    'baishi': ['居家养老驿站', '助餐点'],
    'chenxi': ['垃圾分类督导', '积分兑换'],
    'dongpo': ['流动人口登记', '出租屋'],
    'erlang': ['志愿服务时长', '邻里守望'],
    'fuyang': ['老旧小区改造', '加装电梯'],
}
GENERIC = ['今年以来，我们认真推进社区建设工作，', '坚持以人民为中心的发展思想，', '进一步完善社区服务体系，',
           '各级党组织切实加强领导，', '全面推进基层治理现代化，', '不断提高群众满意度，',
           '推动社区建设高质量发展。', '加强队伍建设，', '健全工作机制，', '强化资金保障。']
BEFORE = ['全面推行', '扎实开展', '认真抓好', '今年新增', '重点推进', '各街道', '群众对', '试点开展',
          '我们把', '继续深化', '大力推广', '有序推进', '统筹安排', '持续完善', '全市', '城区']
AFTER = ['工作成效明显', '覆盖全部社区', '受到群众欢迎', '取得新进展', '形成长效机制', '得到上级肯定', '仍需加强', '逐步规范',
         '走在前列', '有了新起色', '已见实效', '纳入考核', '经验得到推广', '还有差距', '全面铺开', '稳步实施']

def sentence(before, after, term):
    return f'{before}{term}{after}，'

def main():
    rng = random.Random(4)
    here = os.path.dirname(os.path.abspath(__file__))
    names = sorted(PLANTED)
    rows = ['file\tid\tcity\tgroup']
    for i, name in enumerate(names):
        parts = []
        # Each planted term meets 8 different words before and after it, so no longer
        # phrase around it repeats (a repeated one would rightly be a term of its own).
        contexts = {t: (rng.sample(BEFORE, 8), rng.sample(AFTER, 8)) for t in PLANTED[name]}
        for k in range(8):
            parts.append(rng.choice(GENERIC))
            for term in PLANTED[name]:
                parts.append(sentence(contexts[term][0][k], contexts[term][1][k], term))
            parts.append(rng.choice(GENERIC))
        # One stray mention of the next document's first planted term.
        other = PLANTED[names[(i + 1) % len(names)]][0]
        parts.append(f'兄弟城市的{other}经验值得学习。')
        text = ''.join(parts) + '\n'
        with open(os.path.join(here, name + '.txt'), 'w', encoding='utf-8') as f:
            f.write(text)
        rows.append(f'{name}.txt\t{name}\t{name}\t{"north" if i < 3 else "south"}')
    with open(os.path.join(here, 'manifest.tsv'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(rows) + '\n')

if __name__ == '__main__':
    main()
