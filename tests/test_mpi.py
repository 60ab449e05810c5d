#!/usr/bin/env python3
"""comptext under mpirun writes the bytes one process writes (issue 17).

For ngrams, tf, tfidf (with pruning), similarity (the full matrix, --top K with cosine and
Jaccard) and reuse (also on the shipped corpus, gov-work-reports and a corpus with planted
passages when ../shared is there), on a folder (split by file index) and a JSON Lines file (split by byte ranges, ids
derived from line numbers, blank lines between records), the output of
`mpirun --oversubscribe --allow-run-as-root -np N comptext ...` for N = 1, 2, 3, 4 is compared
with cmp-equality to a run without mpirun (and the note on the page chrome removed, counted
over all ranks, with one process's). CSV/TSV tables (quoted line breaks, CRLF, a byte-order
mark, GB18030) are split at record starts too. Errors: a bad JSON line, a bad table row and a
repeated id in a later rank's share give one process's message, exit 1 and no output file; a command that is
not distributed refuses with exit 2. themes --units ngrams: on a dated series (neighbours and
the comparison with the past on), one dated only in its first half, the shipped cities, one
document, and gov-work-reports, with their options and formats. The corpora are built from the shipped default corpus
(its paragraphs as documents, with the page chrome of a site repeated), so no ../shared is
needed. Skipped (exit 77) when comptext was built without MPI or mpirun is missing."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

exe = os.environ["COMPTEXT"]
if os.environ.get("COMPTEXT_MPI") != "1":
    print("SKIP: comptext was built without MPI (-Dmpi=disabled or no libopenmpi-dev)")
    sys.exit(77)
mpirun = shutil.which("mpirun")
if not mpirun:
    print("SKIP: mpirun not found (openmpi-bin)")
    sys.exit(77)
MPI = [mpirun, "--oversubscribe", "--allow-run-as-root"]
env = dict(os.environ, COMPTEXT_THREADS="1", OMPI_MCA_btl_vader_single_copy_mechanism="none")
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)
    return cond


def run(args, np=None, out=None):
    cmd = ([*MPI, "-np", str(np)] if np else []) + [exe, *args]
    p = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


tmp = tempfile.mkdtemp(prefix="ct-mpi-")
src = os.path.join(os.environ["COMPTEXT_SOURCE"], "corpora", "cities")
paras = []
for name in sorted(os.listdir(src)):
    if name.endswith(".txt"):
        text = open(os.path.join(src, name), encoding="utf-8").read()
        paras += [p.strip() for p in text.split("\n") if len(p.strip()) > 20]
chrome = "首页 | 新闻 | 政务 | 服务 | 互动\n"
footer = "\n版权所有 某市人民政府办公室\n网站标识码 1234567890\n"
# a folder: one file a paragraph (pairs, so some share text), chrome on many
folder = os.path.join(tmp, "folder")
os.mkdir(folder)
for i, p in enumerate(paras):
    body = (chrome if i % 3 else "") + p + ("\n" + paras[(i + 1) % len(paras)] if i % 4 == 0 else "")
    open(os.path.join(folder, "doc%03d.txt" % i), "w", encoding="utf-8").write(body + (footer if i % 2 else ""))
# JSON Lines without ids (derived from line numbers), blank lines, a duplicate text
jl = os.path.join(tmp, "reports.jsonl")
with open(jl, "w", encoding="utf-8") as f:
    for i, p in enumerate(paras):
        f.write(json.dumps({"text": p + (footer if i % 2 else ""), "city": "c%d" % (i % 5)},
                           ensure_ascii=False) + "\n")
        if i % 5 == 0:
            f.write("\n")
    f.write(json.dumps({"text": paras[0]}, ensure_ascii=False) + "\n")
print(f"{len(paras)} documents")

cases = [
    ["ngrams"], ["tf"], ["tfidf"],
    ["tfidf", "--min-df", "2", "--max-df", "0.5", "--max-features", "300", "--no-sublinear-tf"],
    ["tf", "--format", "csv", "-n", "1-3"],
    ["similarity"], ["similarity", "--top", "4"],
    ["similarity", "--top", "3", "--measure", "jaccard", "--format", "csv"],
    ["similarity", "--top", "1000"],  # more neighbours than documents: all of them
]
ranks = [int(x) for x in os.environ.get("COMPTEXT_MPI_RANKS", "1,2,3,4").split(",")]
for corpus in (folder, jl):
    for args in cases:
        a = [*args, corpus]
        rc1, out1, err1 = run(a)
        check(rc1 == 0 and out1, f"one process {a}: exit {rc1}: {err1}")
        for np in ranks:
            rc, out, err = run(a, np)
            note1 = [l for l in err1.splitlines() if "page chrome removed" in l]
            check(note1 == [l for l in err.splitlines() if "page chrome removed" in l],
                  f"{' '.join(args)} -np {np}: the chrome note differs: {note1} / {err[:300]}")
            check(rc == 0 and out == out1,
                  f"{' '.join(args)} {os.path.basename(corpus)} -np {np}: exit {rc}, "
                  f"{'same' if out == out1 else 'different'} output ({len(out)} vs {len(out1)} bytes): {err[:300]}")
        print(f"ok: {' '.join(args)} {os.path.basename(corpus)}: {len(out1)} bytes, equal for -np {ranks}")

# tables split by byte ranges at record starts: quoted fields with line breaks, CRLF, a
# byte-order mark, empty lines, a '"' inside an unquoted field (an ordinary character: plain
# quote parity would lose count there), ids derived from line numbers, metadata columns
table = os.path.join(tmp, "reports.csv")
with open(table, "w", encoding="utf-8", newline="") as f:
    f.write("\ufeff\r\ntext,city,note\r\n")
    for i, p in enumerate(paras):
        body = p if i % 3 else p[: len(p) // 2] + "\r\n" + p[len(p) // 2:]
        if i % 7 == 0:
            body = body.replace("，", '"，"', 1)
        f.write('"%s",c%d,%s\r\n' % (body.replace('"', '""'), i % 5, 'x"y' if i % 4 == 0 else ""))
        if i % 6 == 0:
            f.write("\r\n")
tsv = os.path.join(tmp, "reports.tsv")
with open(tsv, "w", encoding="utf-8") as f:
    f.write("id\ttext\n")
    for i, p in enumerate(paras):
        f.write('d%d\t"%s"\n' % (i, (p[:10] + "\n\n" + p[10:]).replace('"', '""')))
gbt = os.path.join(tmp, "reports-gb.csv")
open(gbt, "wb").write(open(table, encoding="utf-8", newline="").read()[1:].encode("gb18030"))
one = os.path.join(tmp, "one.jsonl")
open(one, "w", encoding="utf-8").write(json.dumps({"text": paras[0] + paras[1]}, ensure_ascii=False) + "\n")
for corpus, args in ((table, ["tf"]), (table, ["tfidf"]), (table, ["similarity", "--top", "2"]),
                     (tsv, ["tf", "--format", "csv"]), (gbt, ["tfidf"]), (one, ["ngrams"]),
                     (one, ["tf"]), (one, ["similarity"])):
    rc1, out1, err1 = run([*args, corpus])
    for np in (1, 2, 3, 4):
        rc, out, err = run([*args, corpus], np)
        check(rc == rc1 == 0 and out1 and out == out1,
              f"{args} {os.path.basename(corpus)} -np {np}: exit {rc}: {err[:300]}")
        check("not split across the ranks" not in err, f"{corpus} is split: {err[:300]}")
        mine = [l for l in err.splitlines() if l.startswith("comptext")]
        check(mine == err1.splitlines(), f"notes -np {np}: {mine} / {err1.splitlines()}")
print("ok: tables (CSV with quoted line breaks, CRLF, BOM; TSV; GB18030) and a one-record corpus, equal for -np 1-4")

# bad tables: a bad row, a quote never closed, a character after a closing quote, a repeated
# id, all in a later rank's share; no records; no text column; not valid in any encoding
rows = open(table, encoding="utf-8", newline="").read().split("\r\n")
bad_tables = {}
def bad_table(name, rows_, data=None):
    path = os.path.join(tmp, name)
    if data is None:
        open(path, "w", encoding="utf-8", newline="").write("\r\n".join(rows_))
    else:
        open(path, "wb").write(data)
    return path
r = list(rows); r[len(r) * 3 // 4] += ",extra"
t1 = bad_table("row.csv", r)
k = len(rows) * 3 // 4
t2 = bad_table("open.csv", rows[:k] + ['x,"never closed' + rows[k].replace('"', "")]
               + [x.replace('"', "") for x in rows[k + 1:]])
r = list(rows); r[len(r) * 2 // 3] = '"closed"x,c1,'
t3 = bad_table("after.csv", r)
t4 = os.path.join(tmp, "dup.tsv")
with open(t4, "w", encoding="utf-8") as f:
    f.write("id\ttext\n")
    for i, p in enumerate(paras):
        f.write("r%d\t%s\n" % (i if i != len(paras) - 2 else 3, p))
t5 = bad_table("none.csv", None, b"text,city\r\n\r\n")
t6 = bad_table("nocol.csv", None, b"a,b\n1,2\n3,4\n5,6\n")
gb = open(gbt, "rb").read()
t7 = bad_table("badgb.csv", None, gb[: len(gb) * 3 // 4] + b"\xff" + gb[len(gb) * 3 // 4:])
for corpus in (t1, t2, t3, t4, t5, t6, t7):
    rc1, _, err1 = run(["tf", corpus])
    msg = err1.strip().splitlines()[0]
    check(rc1 == 1 and os.path.basename(corpus) in msg, f"one process on {corpus}: {rc1} {err1}")
    for np in (2, 3, 4):
        out = os.path.join(tmp, "never.tsv")
        rc, _, err = run(["tf", corpus, "-o", out], np)
        mine = [l for l in err.splitlines() if l.startswith("comptext")]
        check(rc == 1 and mine == [msg] and not os.path.exists(out),
              f"-np {np} on {os.path.basename(corpus)}: exit {rc}, messages {mine} (want [{msg}])")
    print(f"ok: {msg[:100]}: the same under -np 2-4, exit 1, nothing written")

# the notes on documents in traditional script: the first ten of the corpus, then the count,
# as one process gives them (each rank would give its own first ten)
if shutil.which("opencc"):
    trad = os.path.join(tmp, "trad")
    os.mkdir(trad)
    for i, p in enumerate(paras[:40]):
        t = subprocess.run(["opencc", "-c", "s2t.json"], input=p, capture_output=True, text=True,
                           check=True).stdout
        open(os.path.join(trad, "d%03d.txt" % i), "w", encoding="utf-8").write(t if i % 2 else p)
    rc1, out1, err1 = run(["tf", trad])
    check(rc1 == 0 and err1.count("traditional script") == 10 and "10 more documents" in err1,
          f"one process: ten script notes and the count: {err1[:500]}")
    for np in (1, 2, 3):
        rc, out, err = run(["tf", trad], np)
        check(rc == 0 and out == out1 and err == err1, f"script notes under -np {np}: {err[:500]}")
    print("ok: script notes, the same for -np 1-3")
else:
    print("note: opencc absent, the script notes under MPI are not checked")

# a Big5 table (given with --encoding big5, or found by auto): read by rank 0 alone, its
# cells in Big5 (they were once decoded as UTF-8), the bytes of one process
if shutil.which("opencc"):
    t = subprocess.run(["opencc", "-c", "s2t.json"], input="\n".join(paras[:60]), capture_output=True,
                       text=True, check=True).stdout.split("\n")
    b5 = os.path.join(tmp, "reports-big5.csv")
    open(b5, "wb").write(("id,text,city\r\n" + "".join(
        '"%s%d","%s","%s"\r\n' % (x[:4], i, x, x[-3:]) for i, x in enumerate(t))).encode("big5", errors="ignore"))
    for args in (["tf", "--encoding", "big5", b5], ["tf", b5], ["tfidf", "--encoding", "big5", b5]):
        rc1, out1, err1 = run(args)
        check(rc1 == 0 and out1 and ("read as Big5" in err1 or "--encoding" in args), f"one process {args}: {rc1} {err1[:300]}")
        for np in (2, 3):
            rc, out, err = run(args, np)
            check(rc == 0 and out == out1, f"{args} -np {np}: exit {rc}: {err[:300]}")
    print("ok: a Big5 table (given and found), equal for -np 2-3")

# -o: the same file, written once
o1, on = os.path.join(tmp, "one.tsv"), os.path.join(tmp, "many.tsv")
run(["tfidf", jl, "-o", o1])
rc, _, err = run(["tfidf", jl, "-o", on], 3)
check(rc == 0 and open(o1, "rb").read() == open(on, "rb").read(), f"-o under -np 3: {err}")

# errors in a later rank's share: one process's message, exit 1, nothing written
lines = open(jl, encoding="utf-8").read().split("\n")
bad = os.path.join(tmp, "bad.jsonl")
broken = list(lines)
broken[len(lines) * 3 // 4] = '{"text": "unterminated'
open(bad, "w", encoding="utf-8").write("\n".join(broken))
dup = os.path.join(tmp, "dup.jsonl")
with open(dup, "w", encoding="utf-8") as f:
    for i, p in enumerate(paras):
        f.write(json.dumps({"id": "r%d" % (i if i != len(paras) - 2 else 1), "text": p},
                           ensure_ascii=False) + "\n")
for corpus, what in ((bad, "invalid JSON"), (dup, "duplicate document id")):
    rc1, _, err1 = run(["tf", corpus])
    msg = err1.strip().splitlines()[0]
    check(rc1 == 1 and what in msg, f"one process on {corpus}: {rc1} {err1}")
    for np in (2, 3, 4):
        out = os.path.join(tmp, "never.tsv")
        rc, _, err = run(["tf", corpus, "-o", out], np)
        mine = [l for l in err.splitlines() if l.startswith("comptext")]
        check(rc == 1 and mine == [msg] and not os.path.exists(out),
              f"-np {np} on {os.path.basename(corpus)}: exit {rc}, messages {mine} (want [{msg}])")
    print(f"ok: {what}: one message ({msg[:80]}...), exit 1, nothing written")

# records without ids in several ranks' shares (line 2, then every 13th of the second half:
# the lines the note shows come from more than one rank): rank 0 gives the one-process note
noid = os.path.join(tmp, "noid.jsonl")
with open(noid, "w", encoding="utf-8") as f:
    for i, p in enumerate(paras):
        noid_here = i == 1 or (i > len(paras) // 2 and i % 13 == 0)
        f.write(json.dumps({"text": p} if noid_here else {"id": "n%d" % i, "text": p},
                           ensure_ascii=False) + "\n")
rc1, out1, err1 = run(["tf", noid])
note1 = [l for l in err1.splitlines() if "have no \"id\"" in l]
check(rc1 == 0 and len(note1) == 1, f"one process on {noid}: {rc1} {err1}")
for np in (2, 3):
    rc, out, err = run(["tf", noid], np)
    check(rc == 0 and out == out1 and err == err1,
          f"-np {np} on noid.jsonl: exit {rc}, stderr {err!r} (want {err1!r})")
print(f"ok: records without ids: the one-process note ({(note1 or [''])[0][:60]}...), equal for -np 2-3")

# -o naming an input in the last rank's share: one process's usage error, once, input intact
last = os.path.join(folder, sorted(os.listdir(folder))[-1])
before = open(last, "rb").read()
rc1, _, err1 = run(["tf", folder, "-o", last])
for np in (2, 3):
    rc, _, err = run(["tf", folder, "-o", last], np)
    mine = [l for l in err.splitlines() if l.startswith("comptext")]
    check(rc == rc1 == 2 and mine == [err1.splitlines()[0]] and open(last, "rb").read() == before,
          f"-o an input under -np {np}: exit {rc}, {mine} (want {err1.splitlines()[:1]})")

# not distributed: refused, once
rc, _, err = run(["kwic", "--term", "发展", folder], 2)
check(rc == 2 and err.count("not distributed") == 1, f"kwic under -np 2: {rc} {err}")
rc, _, err = run(["tf", "--format", "json", folder], 2)
check(rc == 2 and err.count("not distributed") == 1, f"tf --format json under -np 2: {rc} {err}")

# reuse: shared passages, found by the ranks together (shingle hashes and document pairs
# exchanged, alignment dealt out), the bytes of one process
sys.path.insert(0, os.path.dirname(__file__))
import ctkit  # noqa: E402
import random  # noqa: E402


def same_reuse(args, corpus, nps, what):
    rc1, out1, err1 = run(["reuse", *args, corpus])
    check(rc1 == 0, f"one process reuse {args} {what}: exit {rc1}: {err1[:300]}")
    for np in nps:
        rc, out, err = run(["reuse", *args, corpus], np)
        check(rc == 0 and out == out1,
              f"reuse {' '.join(args)} {what} -np {np}: exit {rc}, "
              f"{'same' if out == out1 else 'different'} output ({len(out)} vs {len(out1)} bytes): {err[:300]}")
    print(f"ok: reuse {' '.join(args)} {what}: {len(out1)} bytes, equal for -np {list(nps)}")
    return out1


shipped = os.path.join(os.environ["COMPTEXT_SOURCE"], "corpora")
for corpus, what in ((folder, "folder"), (jl, "jsonl"), (shipped, "the shipped corpus")):
    out = same_reuse([], corpus, ranks, what)
    if corpus == folder:  # paragraph i is repeated in document i - 1 for every fourth one
        check(out.count(b"\n") >= 5, f"reuse finds the repeated paragraphs of the folder: {out[:200]}")
same_reuse(["--format", "tsv", "--min-length", "10", "--boilerplate", "3"], folder, ranks, "folder")
root = ctkit.shared_corpora()
if root:
    gov = os.path.join(root, "gov-work-reports.jsonl")
    out1 = same_reuse(["--text-field", "content"], gov, ranks, "gov-work-reports")
    # the hits in many rounds (a few thousand hits a round instead of 4 M)
    env["COMPTEXT_REUSE_ROUND"] = "5000"
    rc, out, err = run(["reuse", "--text-field", "content", gov], 3)
    del env["COMPTEXT_REUSE_ROUND"]
    check(rc == 0 and out == out1, f"reuse in rounds of 5000 hits -np 3: exit {rc}, {len(out)} bytes: {err[:300]}")
    same_reuse(["--text-field", "content", "--direction", "year", "--format", "csv",
                "--max-df", "0.2", "--min-length", "15"], gov, ranks, "gov-work-reports")
    # planted: edited copies of a passage in pairs, one passage in seven documents
    # (boilerplate), in documents of other reports' paragraphs
    reports = [json.loads(l) for l in open(gov, encoding="utf-8")]
    ps = [p.strip() for r in reports for p in r["content"].split("\n") if 80 <= len(p.strip()) <= 260]
    rng = random.Random(17)
    rng.shuffle(ps)
    han = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可"
    planted = os.path.join(tmp, "planted.jsonl")
    pairs = []
    with open(planted, "w", encoding="utf-8") as f:
        for i in range(48):
            body = ps[3 * i: 3 * i + 3]
            if i % 6 == 1:  # shares an edited copy of document i - 1's middle paragraph
                src = ps[3 * (i - 1) + 1]
                body[1] = "".join(rng.choice(han) if k % 13 == 6 else c for k, c in enumerate(src))
                pairs.append(("p%d" % (i - 1), "p%d" % i))
            if i % 7 == 3:
                body.append(ps[-1])  # the boilerplate passage
            f.write(json.dumps({"id": "p%d" % i, "year": 1990 + i % 9, "text": "\n".join(body)},
                               ensure_ascii=False) + "\n")
    out = same_reuse([], planted, ranks, "planted")
    found = [json.loads(l) for l in out.decode("utf-8").splitlines()]
    got = {(p["a"], p["b"]) for p in found if not p["boilerplate"]}
    check(all(pr in got for pr in pairs), f"the planted pairs are found: {sorted(pairs)} in {sorted(got)}")
    check(sum(p["boilerplate"] for p in found) == 6, "the passage in 7 documents: a tree of 6 pairs")
    same_reuse(["--direction", "year", "--format", "tsv"], planted, (2, 3), "planted")
else:
    print("note: ../shared/corpora absent: reuse on gov-work-reports and the planted corpus skipped")
# reuse on fewer documents than ranks, and on one document
same_reuse([], table, (2, 3), "a table (read by rank 0)")
rc1, out1, err1 = run(["reuse", one])
rc, out, err = run(["reuse", one], 3)
check(rc == rc1 == 0 and out == out1 == b"" and err.count("only one document") == 1,
      f"reuse on one document under -np 3: {rc} {err}")
# errors: an unreadable document in the last rank's share, a field no rank has, --group-by
badf = os.path.join(tmp, "badutf")
shutil.copytree(folder, badf)
victim = os.path.join(badf, sorted(os.listdir(badf))[-2])
open(victim, "wb").write(b"\xff\xfe\x00bad \xc3\x28 bytes")


def same_failure(command, corpus, what):
    """One process's first message under -np 2-4, once, exit 1, no output file."""
    rc1, _, err1 = run([command, corpus])
    msg = err1.strip().splitlines()[0] if err1.strip() else ""
    check(rc1 == 1 and msg, f"{command}, one process, on {what}: {rc1} {err1}")
    for np in (2, 3, 4):
        out = os.path.join(tmp, "never.out")
        rc, _, err = run([command, corpus, "-o", out], np)
        mine = [l for l in err.splitlines() if l.startswith("comptext")]
        check(rc == 1 and mine == [msg] and not os.path.exists(out),
              f"{command} -np {np} on {what}: exit {rc}, {mine} (want [{msg}])")


same_failure("reuse", badf, "an undecodable file")
# a field missing everywhere: one process's message, with every rank's fields (one only in
# the last documents' share among them)
late = os.path.join(tmp, "late.jsonl")
with open(late, "w", encoding="utf-8") as f:
    for i, p in enumerate(paras):
        rec = {"text": p, "city": "c%d" % (i % 5)}
        if i > len(paras) * 9 // 10:
            rec["late"] = "x"
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
rc1, _, err1 = run(["reuse", "--direction", "nosuchfield", late])
check(rc1 == 1 and "late" in err1, f"one process: the fields listed: {err1}")
for np in (2, 3, 4):
    rc, _, err = run(["reuse", "--direction", "nosuchfield", late], np)
    mine = [l for l in err.splitlines() if l.startswith("comptext")]
    check(rc == 1 and mine == err1.splitlines(), f"reuse --direction missing -np {np}: {rc} {mine} (want {err1})")
rc, _, err = run(["reuse", "--group-by", "city", jl], 2)
check(rc == 2 and err.count("not distributed") == 1, f"reuse --group-by under -np 2: {rc} {err}")
print("ok: reuse errors: one message, exit 1, nothing written")

# terms: discovery across ranks (frequent strings and their extensions exchanged length by
# length, the same rules on every rank), the bytes of one process
dict_path = os.path.join(tmp, "dict.txt")
open(dict_path, "w", encoding="utf-8").write(
    "城市更新行动\n中华人民共和国国务院政府工作报告\n-经济发展\n")
terms_cases = [[], ["--max-len", "6", "--min-freq", "4", "--format", "csv"],
               ["--generic", "none", "--phrase-pmi", "3", "--min-entropy", "0.5"],
               ["--dict", dict_path, "--subsume", "0.6"]]


def same_terms(args, corpus, nps, what):
    a = ["terms", *args] + ([corpus] if corpus else [])
    rc1, out1, err1 = run(a)
    check(rc1 == 0 and out1.count(b"\n") > 10, f"one process {a}: exit {rc1}: {err1[:300]}")
    for np in nps:
        rc, out, err = run(a, np)
        check(rc == 0 and out == out1,
              f"terms {' '.join(args)} {what} -np {np}: exit {rc}, "
              f"{'same' if out == out1 else 'different'} output ({len(out)} vs {len(out1)} bytes): {err[:300]}")
    lines = out1.count(b"\n")
    print(f"ok: terms {' '.join(args)} {what}: {lines} lines, equal for -np {list(nps)}")
    return out1


for corpus, what in ((folder, "folder"), (jl, "jsonl"), (None, "the shipped corpus")):
    for args in terms_cases:
        same_terms(args, corpus, ranks, what)
if root:
    for args in (["--text-field", "content"], ["--text-field", "content", "--max-len", "8", "--min-freq", "5"]):
        same_terms(args, os.path.join(root, "gov-work-reports.jsonl"), ranks, "gov-work-reports")
    same_terms([], os.path.join(root, "gov-reports-txt"), (2, 4), "gov-reports-txt")
# planted: a term that occurs once in each of eight documents spread over the ranks' shares
# (no rank sees it min-freq times), and documents ending in 麒麟 before documents starting
# with 瑞兽: across a split point as within a share, the boundary joins nothing
planted_terms = os.path.join(tmp, "planted-terms.jsonl")
left = ["推进", "支持", "建设", "加快", "打造", "完善", "提升", "发展"]
right = ["，", "和", "。", "的", "；", "建设", "与", "、"]
with open(planted_terms, "w", encoding="utf-8") as f:
    for i in range(40):
        body = paras[i % len(paras)]
        if i % 5 == 2:
            k = i // 5
            body = body[:20] + left[k] + "鲲鹏霁虹港" + right[k] + body[20:]
        if i % 3 == 0:
            body = body + "麒麟"
        if i % 3 == 1:
            body = "瑞兽" + body
        f.write(json.dumps({"id": "t%d" % i, "text": body}, ensure_ascii=False) + "\n")
out = same_terms(["--min-freq", "3"], planted_terms, ranks, "planted").decode("utf-8")
names = {l.split("\t")[0] for l in out.splitlines()[1:]}
check("鲲鹏霁虹港" in names, "the planted term, once in each of eight documents, is discovered")
check(not any("麟瑞" in t for t in names), "no term joins the end of a document to the next one")
# one document under 3 ranks: two shares are empty
rc1, out1, err1 = run(["terms", one])
rc, out, err = run(["terms", one], 3)
check(rc == rc1 == 0 and out == out1 and out1, f"terms on one document under -np 3: {rc} {err[:300]}")
# errors: an undecodable file in the last rank's share; a usage error, once
same_failure("terms", badf, "an undecodable file")
rc, _, err = run(["terms", folder, jl], 2)
check(rc == 2 and err.count("one CORPUS") == 1, f"terms with two corpora under -np 2: {rc} {err}")
print("ok: terms errors: one message, exit 1, nothing written")

# themes --units ngrams: each rank ranks its own rows with the corpus's statistics, its
# rows' neighbours (found around the ring, their rows fetched) and their pasts (with a year
# field): the bytes of one process. A dated series of paragraphs (>= 12 documents: the
# neighbours and the comparison with the past both on); the same with the year only in the
# first half (later ranks have no year at all); the shipped cities (7 documents: no
# neighbours); one document (ranked against the shipped reference; idle ranks).
dated = os.path.join(tmp, "dated.jsonl")
half = os.path.join(tmp, "half-dated.jsonl")
with open(dated, "w", encoding="utf-8") as f, open(half, "w", encoding="utf-8") as g:
    for i, p in enumerate(paras):
        rec = {"id": "p%03d" % i, "text": p + paras[(i + 7) % len(paras)], "year": 2000 + i * 20 // len(paras)}
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        if i >= len(paras) // 2:
            del rec["year"]
        g.write(json.dumps(rec, ensure_ascii=False) + "\n")


def same_themes(args, corpus, nps, what, units=("--units", "ngrams")):
    a = ["themes", *units, *args, corpus]
    rc1, out1, err1 = run(a)
    check(rc1 == 0 and out1, f"one process {a}: exit {rc1}: {err1[:300]}")
    for np in nps:
        rc, out, err = run(a, np)
        check(rc == 0 and out == out1,
              f"themes {' '.join(args)} {what} -np {np}: exit {rc}, "
              f"{'same' if out == out1 else 'different'} output ({len(out)} vs {len(out1)} bytes): {err[:300]}")
        mine = [l for l in err.splitlines() if l.startswith("comptext")]
        check(mine == err1.splitlines(), f"themes notes -np {np}: {mine} / {err1.splitlines()}")
    print(f"ok: themes {' '.join(units)} {' '.join(args)} {what}: {len(out1)} bytes, equal for -np {list(nps)}")
    return out1


out = same_themes([], dated, ranks, "dated paragraphs")
check(len(json.loads(out)) == len(paras), "themes: one entry a document")
for args in (["--neighbours", "0"], ["--time-field", "none"], ["-k", "3", "--format", "tsv"],
             ["--format", "csv", "--neighbours", "5", "--onset-years", "4"], ["--min-count", "3"]):
    same_themes(args, dated, (2, 3), "dated paragraphs")
same_themes([], half, (2, 3, 4), "half dated")
same_themes(["-k", "5"], os.path.join(shipped, "cities"), ranks, "cities")
same_themes([], one, (2, 3), "one document")
# a rank without documents in a corpus large enough for neighbours: one long first line (over
# 2/3 of the file) and 16 short ones, so that under -np 3 ranks 1 and 2 start at the same line
skew = os.path.join(tmp, "skew.jsonl")
with open(skew, "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "long", "text": "".join(paras) * 3}, ensure_ascii=False) + "\n")
    first = f.tell()
    for i in range(16):
        f.write(json.dumps({"id": "s%02d" % i, "text": paras[i] + paras[i + 40]},
                           ensure_ascii=False) + "\n")
check(os.path.getsize(skew) * 2 < 3 * first, "skew.jsonl: the first line holds over 2/3 of the file")
same_themes([], skew, (2, 3, 4), "a rank without documents")
same_themes([], skew, (3,), "a rank without documents", units=())
if root:
    same_themes(["--text-field", "content"], gov, ranks, "gov-work-reports")
    for args in (["--neighbours", "0"], ["--time-field", "none"], ["-k", "5", "--format", "tsv"],
                 ["--format", "csv"]):
        same_themes(["--text-field", "content", *args], gov, (2, 3), "gov-work-reports")
else:
    print("note: ../shared/corpora absent: themes on gov-work-reports skipped")
# the default units, discovered terms: discovery across the ranks (as terms above), each rank
# segmenting its own documents, then the same ranking
same_themes([], dated, ranks, "dated paragraphs", units=())
same_themes(["-k", "5", "--format", "tsv"], os.path.join(shipped, "cities"), ranks, "cities", units=())
same_themes([], one, (2, 3), "one document", units=())
if root:
    same_themes(["--text-field", "content"], gov, ranks, "gov-work-reports", units=())
    same_themes(["--text-field", "content", "--neighbours", "0", "--format", "csv"], gov, (2, 3),
                "gov-work-reports", units=())
# themes --group-by: the groups' rows summed over documents on every rank (city: every fifth
# paragraph, so each group has documents in every rank's share; pair: 40 groups of 3-4
# documents, more than 12 so neighbours are on; year: 20 groups), with their dispersion
# (docs, dp: DP's sums added in corpus order across the ranks), each rank ranking a block.
# Planted: a term twice in each of 8 documents of c2 spread over the shares (a theme of c2
# used by 8 documents), and one repeated in one document of c3 only (no theme of c3 unless
# --rank statistic ranks the group as one document).
grouped = os.path.join(tmp, "grouped.jsonl")
with open(grouped, "w", encoding="utf-8") as f:
    for i, p in enumerate(paras):
        body = p + paras[(i + 7) % len(paras)]
        if i % 5 == 2 and i % 3 == 0:
            body = body[:30] + "鲲鹏霁虹港" + body[30:60] + "鲲鹏霁虹港" + body[60:]
        if i == 93:
            body += "麒麟瑞兽腾飞。" * 6
        f.write(json.dumps({"id": "q%03d" % i, "text": body, "city": "c%d" % (i % 5),
                            "pair": "g%d" % ((i * 7) % 40)}, ensure_ascii=False) + "\n")
for units in (("--units", "ngrams"), ()):
    out = same_themes(["--group-by", "city", "-k", "30", "--format", "tsv"], grouped, ranks,
                      "grouped by city", units=units).decode("utf-8")
    rows = [l.split("\t") for l in out.splitlines()[1:]]
    planted = [r for r in rows if r[0] == "c2" and r[1].startswith("鲲鹏")]
    check(planted and planted[0][3] == "8", f"themes --group-by {units}: the planted term, docs 8: {planted}")
    check(not any(r[1].startswith("麒麟") for r in rows),
          f"themes --group-by {units}: a term of one document is no theme of its group")
    out = same_themes(["--group-by", "city", "-k", "30", "--rank", "statistic", "--format", "tsv"],
                      grouped, (2, 3), "grouped by city", units=units).decode("utf-8")
    check(any(l.startswith("c3\t麒麟") for l in out.splitlines()),
          f"themes --group-by --rank statistic {units}: the group as one document")
    same_themes(["--group-by", "pair"], grouped, (2, 3), "grouped in 40 pairs", units=units)
    same_themes(["--group-by", "pair", "--neighbours", "0", "--format", "csv", "-k", "5"], grouped,
                (2, 3), "grouped in 40 pairs", units=units)
    same_themes(["--group-by", "year"], dated, (2, 3), "grouped by year", units=units)
same_themes(["--group-by", "province", "-k", "5"], os.path.join(shipped, "cities"), ranks,
            "cities by province", units=())
# one document (two ranks idle), and the skewed file with groups: ranks without documents
one_g = os.path.join(tmp, "one-grouped.jsonl")
skew_g = os.path.join(tmp, "skew-grouped.jsonl")
open(one_g, "w", encoding="utf-8").write(
    json.dumps({"text": paras[0] + paras[1], "city": "c0"}, ensure_ascii=False) + "\n")
with open(skew, encoding="utf-8") as f, open(skew_g, "w", encoding="utf-8") as g:
    for i, line in enumerate(f):
        rec = json.loads(line)
        rec["city"] = "c%d" % (i % 3)
        g.write(json.dumps(rec, ensure_ascii=False) + "\n")
same_themes(["--group-by", "city"], one_g, (2, 3), "one document, grouped", units=())
same_themes(["--group-by", "city"], skew_g, (3, 4), "grouped, ranks without documents")
if root:
    decades = os.path.join(tmp, "gov-decades.jsonl")
    with open(gov, encoding="utf-8") as f, open(decades, "w", encoding="utf-8") as g:
        for line in f:
            rec = json.loads(line)
            rec["decade"] = "%ds" % (int(rec["year"]) // 10 * 10) if rec.get("year") else "undated"
            g.write(json.dumps(rec, ensure_ascii=False) + "\n")
    for args in ([], ["--rank", "statistic", "--format", "tsv"]):
        same_themes(["--text-field", "content", "--group-by", "decade", *args], decades, (2, 3),
                    "gov-work-reports by decade", units=())
# errors: a document without a value in a later rank's share (and the field missing from the
# later ranks' documents altogether): one process's message, exit 1, nothing written; a
# field no document has: one process's usage error, with every rank's fields
nocity = os.path.join(tmp, "no-city.jsonl")
with open(grouped, encoding="utf-8") as f, open(nocity, "w", encoding="utf-8") as g:
    for i, line in enumerate(f):
        rec = json.loads(line)
        if i == len(paras) - 20:
            del rec["city"]
        g.write(json.dumps(rec, ensure_ascii=False) + "\n")
for args, corpus in ((["--group-by", "city"], nocity), (["--units", "ngrams", "--group-by", "year"], half)):
    rc1, _, err1 = run(["themes", *args, corpus])
    msg = err1.strip().splitlines()[0] if err1.strip() else ""
    check(rc1 == 1 and "has no value" in msg, f"themes {args}, one process: {rc1} {err1}")
    for np in (2, 3, 4):
        out = os.path.join(tmp, "never.json")
        rc, _, err = run(["themes", *args, corpus, "-o", out], np)
        mine = [l for l in err.splitlines() if l.startswith("comptext")]
        check(rc == 1 and mine == [msg] and not os.path.exists(out),
              f"themes {args} -np {np}: exit {rc}, {mine} (want [{msg}])")
rc1, _, err1 = run(["themes", "--group-by", "nosuch", late])
check(rc1 == 2 and "late" in err1, f"themes --group-by nosuch, one process: {rc1} {err1}")
for np in (2, 3):
    rc, out, err = run(["themes", "--group-by", "nosuch", late], np)
    mine = [l for l in err.splitlines() if l.startswith("comptext") or l.startswith("Try")]
    check(rc == 2 and not out and mine == err1.splitlines(),
          f"themes --group-by nosuch -np {np}: {rc} {mine} (want {err1.splitlines()})")
print("ok: themes --group-by errors: one message, exit 1 (2 for a field nowhere), nothing written")
# errors: a bad line in a later rank's share; what is not distributed is refused, once
for units in (["--units", "ngrams"], []):
    rc1, _, err1 = run(["themes", *units, bad])
    msg = err1.strip().splitlines()[0]
    for np in (2, 3, 4):
        out = os.path.join(tmp, "never.json")
        rc, _, err = run(["themes", *units, bad, "-o", out], np)
        mine = [l for l in err.splitlines() if l.startswith("comptext")]
        check(rc1 == 1 and rc == 1 and mine == [msg] and not os.path.exists(out),
              f"themes {units} -np {np} on a bad line: exit {rc}, {mine} (want [{msg}])")
rc, _, err = run(["themes", "--units", "ngrams", "--time-field", "nosuch", dated], 3)
check(rc == 2 and err.count("no field") == 1, f"themes --time-field missing under -np 3: {rc} {err}")
for args, what in ((["themes", "--units", "ngrams", "--write-reference", dated], "not distributed"),
                   (["themes", "--units", "ngrams", dated, grouped], "one CORPUS")):
    rc, out, err = run(args, 2)
    check(rc == 2 and not out and err.count(what) == 1, f"{args} under -np 2: {rc} {err}")
print("ok: themes errors: one message, exit 1 or 2, nothing written")

shutil.rmtree(tmp)
print(f"{failures} failures")
sys.exit(1 if failures else 0)
