"""ctkit.py — helpers shared by the Python tests and benchmarks of the matrix commands:
running the comptext binary named by $COMPTEXT (and timing a child: measure), reading its TSV/CSV/JSON outputs, counting
checks that go on after a failure, finding the shared corpora ($COMPTEXT_SHARED/corpora),
which may be absent (skip: 77), and the words the themes tests build planted corpora from."""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time

COMPTEXT = os.environ.get("COMPTEXT", "comptext")
SOURCE = os.environ.get("COMPTEXT_SOURCE", os.path.join(os.path.dirname(__file__), ".."))
SHARED = os.environ.get("COMPTEXT_SHARED", os.path.join(SOURCE, "..", "shared"))
CITIES = os.path.join(SOURCE, "corpora", "cities")
SKIP = 77


def run(args, check=True, input=None):
    """Run comptext with args; return (status, stdout, stderr) as text."""
    p = subprocess.run([COMPTEXT] + list(args), capture_output=True, input=input)
    out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
    if check and p.returncode != 0:
        raise RuntimeError("comptext %s failed (%d): %s" % (" ".join(args), p.returncode, err))
    return p.returncode, out, err


def measure(cmd, env=None):
    """Run cmd in a fresh child, its output thrown away: (wall s, CPU s = user + system,
    peak resident MB, stderr text), from wait4. Raises RuntimeError when cmd fails."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a full pipe would block it
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), code, text[-2000:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, text


def unescape_tsv(field):
    """Undo comptext's TSV escaping (\\\\ \\t \\n \\r)."""
    if "\\" not in field:
        return field
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append({"\\": "\\", "t": "\t", "n": "\n", "r": "\r", '"': '"'}[field[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_entries(tsv_text):
    """TSV id, term, VALUE (after its header row) → {(id, term): float}, checking that no key
    repeats."""
    entries = {}
    lines = tsv_text.splitlines()
    assert lines and lines[0].split("\t")[:2] == ["id", "term"], "header row %r" % lines[:1]
    for line in lines[1:]:
        doc, term, value = line.split("\t")
        key = (unescape_tsv(doc), unescape_tsv(term))
        assert key not in entries, "entry %r repeated" % (key,)
        entries[key] = float(value)
    return entries


def table_rows(text, header):
    """The rows of a TSV output after its header row (which must be `header`), split at tabs."""
    lines = text.splitlines()
    if lines[:1] != ["\t".join(header)]:
        raise AssertionError(f"header row {lines[:1]!r}, expected {header!r}")
    return [line.split("\t") for line in lines[1:]]


def read_matrix_csv(text):
    """CSV with header ,ID1,ID2,… → (ids, rows as lists of floats)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    assert header[0] == "", "the header must start with an empty cell"
    ids = header[1:]
    assert [r[0] for r in rows[1:]] == ids, "row ids differ from the header's"
    return ids, [[float(x) for x in r[1:]] for r in rows[1:]]


def manifest_rows(folder):
    """The rows of folder/manifest.tsv as dicts keyed by its header, in file order."""
    with open(os.path.join(folder, "manifest.tsv"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:] if line]


def tokens(corpus_args, extra=()):
    """The documents' ids and tokens as `comptext tokens` prints them."""
    _, out, _ = run(["tokens"] + list(extra) + list(corpus_args))
    ids, toks = [], []
    for line in out.splitlines():
        d = json.loads(line)
        ids.append(d["id"])
        toks.append(d["tokens"])
    return ids, toks


def run_text(*args):
    """Run comptext with args, never raising: the CompletedProcess, stdout and stderr as text."""
    return subprocess.run([COMPTEXT, *args], capture_output=True, text=True)


def theme_terms(json_text):
    """`comptext themes` JSON → {id: [term, ...]}, best first; no output: {}."""
    return {d["id"]: [t["term"] for t in d["themes"]] for d in json.loads(json_text or "[]")}


class Checks:
    """A test's assertions that go on after a failure: check(cond, msg) counts, prints FAIL
    with msg when cond is false (and "ok:" with msg when true, with say_ok); finish() prints
    the tally and exits 1 if any failed."""

    def __init__(self, say_ok=False):
        self.checks = self.failures = 0
        self.say_ok = say_ok

    def check(self, cond, msg):
        self.checks += 1
        if not cond:
            self.failures += 1
            print("FAIL:", msg)
        elif self.say_ok:
            print("ok:", msg)

    def run(self, cmd, *args):
        """Run `comptext cmd args` (run_text), checking that it exits 0: the CompletedProcess."""
        r = run_text(cmd, *args)
        self.check(r.returncode == 0, f"{cmd} {args}: exit 0 ({r.stderr})")
        return r

    def finish(self):
        print(f"{self.checks} checks, {self.failures} failed")
        sys.exit(1 if self.failures else 0)


def shared_corpora():
    """The shared corpora directory, or None when absent."""
    path = os.path.join(SHARED, "corpora")
    return path if os.path.isdir(path) else None


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# Planted corpora (the themes tests): reports made of generic clauses and planted terms, each
# use of a term between a word before and a word after that no other use of it has, so that
# term discovery finds the term whole. The tests sample these lists with seeded generators:
# their order is part of every such corpus (a test that samples the first 16 words of
# PLANT_BEFORE gets the corpus it was written for only from these 16 in this order).
PLANT_FILLER = ['今年以来，我们认真推进各项工作，', '坚持以人民为中心的发展思想，', '进一步完善公共服务体系，',
                '各级政府切实加强领导，', '全面推进治理现代化，', '不断提高群众满意度，',
                '推动经济社会高质量发展。', '加强队伍建设，', '健全工作机制，', '强化资金保障。']
PLANT_BEFORE = ['全面推行', '扎实开展', '认真抓好', '今年新增', '重点推进', '各地', '群众对', '试点开展',
                '我们把', '继续深化', '大力推广', '有序推进', '统筹安排', '持续完善', '全省', '城区',
                '乡镇', '街道', '园区', '县里', '市里', '企业', '学校', '医院', '社区', '农村', '机关', '部门']
PLANT_AFTER = ['工作成效明显', '覆盖全部地区', '受到群众欢迎', '取得新进展', '形成长效机制', '得到上级肯定',
               '仍需加强', '逐步规范', '走在前列', '有了新起色', '已见实效', '纳入考核', '经验得到推广',
               '还有差距', '全面铺开', '稳步实施', '初见成效', '进展顺利', '成果丰硕', '逐年提高',
               '势头良好', '全面完成', '基本建成', '有序开展', '扎实推进', '持续巩固', '不断深化', '日益完善']
PLANT_TERMS = ['海绵城市', '智慧菜场', '河长巡河', '光伏扶贫', '数字乡村', '口袋公园', '夜间经济', '共享农庄',
               '零工驿站', '村口客厅', '暖心食堂', '社区书房', '流动书屋', '积分超市', '红色物业', '幸福河湖',
               '一键叫车', '银发课堂', '稻渔共生', '林下种植', '茶旅融合', '冷链物流', '飞地园区', '标准地改革',
               '亩均论英雄', '电商直播', '民宿集群', '研学基地', '非遗工坊', '渔光互补', '草畜平衡', '移民新村',
               '边贸互市', '跨境贸易', '康养小镇', '候鸟旅居', '山海协作', '强村公司', '乡村工匠', '共富工坊',
               '未来社区', '城市大脑']


def plant_contexts(rng, n, before=PLANT_BEFORE, after=PLANT_AFTER):
    """n (word before, word after) pairs for the uses of one term, no word twice."""
    return list(zip(rng.sample(before, n), rng.sample(after, n)))


def planted_uses(rng, term, contexts):
    """The clauses of term's uses, one a context: a filler clause (drawn by rng), then the term
    between the context's two words."""
    parts = []
    for b, a in contexts:
        parts.append(rng.choice(PLANT_FILLER))
        parts.append(f"{b}{term}{a}，")
    return parts
