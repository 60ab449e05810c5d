"""cli_weighting.py — the tf, tfidf and similarity commands end to end: output formats (TSV,
CSV with RFC 4180 quoting, JSON with parameters and metadata), --group-by, tf schemes,
the thread count (1 and 2 threads give identical bytes), a corpus of one document and a
corpus of empty documents, and bad input (exit 2 naming the option and why; exit 1 for bad
data; nothing written to -o on failure)."""
import collections
import csv
import io
import json
import math
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = 0


def check(cond, msg):
    global checks
    checks += 1
    if not cond:
        ctkit.fail(msg)


def expect_status(args, status, *words, input=None):
    rc, out, err = ctkit.run(args, check=False, input=input)
    check(rc == status, "%s: exit %d, expected %d (%s)" % (" ".join(args), rc, status, err.strip()))
    for w in words:
        check(w in err, "%s: the message %r does not mention %r" % (" ".join(args), err, w))
    return out, err


def test_threads():
    corpora = [[ctkit.CITIES]]
    shared = ctkit.shared_corpora()
    if shared:
        corpora.append(["--text-field", "content", os.path.join(shared, "gov-work-reports.jsonl")])
    else:
        print("note: %s absent: threads compared on corpora/cities only" % ctkit.SHARED)
    for corpus in corpora:
        for cmd in (["similarity"], ["similarity", "--top", "5"],
                    ["similarity", "--measure", "jaccard", "--top", "3"], ["tfidf"]):
            _, a, _ = ctkit.run(cmd + ["--threads", "1"] + corpus)
            _, b, _ = ctkit.run(cmd + ["--threads", "2"] + corpus)
            check(a == b and a, "%s: --threads 1 and 2 differ" % " ".join(cmd + corpus))
    print("ok   1 and 2 threads give identical bytes")


def test_formats():
    _, tsv, _ = ctkit.run(["tfidf", ctkit.CITIES])
    entries = ctkit.read_entries(tsv)
    _, js, _ = ctkit.run(["tfidf", "--format", "json", ctkit.CITIES])
    doc = json.loads(js)
    p = doc["parameters"]
    with open(os.path.join(ctkit.SOURCE, "include", "comptext", "tokenize.h"), encoding="utf-8") as f:
        h = f.read()
    default_range = [int(re.search(r"CT_NGRAM_%s_DEFAULT (\d+)" % k, h).group(1)) for k in ("MIN", "MAX")]
    check(p["command"] == "tfidf" and p["norm"] == "l2" and p["min_df"] == 1 and
          p["max_df"] == 1.0 and p["smooth_idf"] is True and p["ngram_range"] == default_range,
          "tfidf json parameters: %r" % p)
    ids = [d["id"] for d in doc["documents"]]
    check(ids == sorted({k[0] for k in entries}), "json ids %r" % ids)
    fl = [d for d in doc["documents"] if d["id"] == "fengling-2021"][0]
    check(fl["metadata"]["city"] == "枫岭" and fl["source"].endswith("fengling-2021.txt"),
          "json metadata %r" % fl["metadata"])
    js_entries = {(d["id"], t["term"]): t["weight"] for d in doc["documents"] for t in d["terms"]}
    check(js_entries == entries, "tfidf json and tsv weights differ")
    # Entries in a row: term byte order.
    rows = collections.defaultdict(list)
    check(tsv.splitlines()[0] == "id\tterm\tweight", "tfidf header row")
    for line in tsv.splitlines()[1:]:
        d, t, _ = line.split("\t")
        rows[d].append(t.encode("utf-8"))
    check(all(v == sorted(v) for v in rows.values()), "terms not in byte order in a row")

    _, js, _ = ctkit.run(["similarity", "--format", "json", "--min-df", "0.2", ctkit.CITIES])
    doc = json.loads(js)
    check(doc["parameters"]["min_df"] == 0.2 and doc["parameters"]["measure"] == "cosine",
          "similarity json parameters %r" % doc["parameters"])
    _, csv_text, _ = ctkit.run(["similarity", "--min-df", "0.2", ctkit.CITIES])
    ids, S = ctkit.read_matrix_csv(csv_text)
    check([d["id"] for d in doc["documents"]] == ids and doc["matrix"] == S,
          "similarity json matrix differs from the csv")
    _, js, _ = ctkit.run(["similarity", "--format", "json", "--top", "2", ctkit.CITIES])
    doc = json.loads(js)
    _, tsv, _ = ctkit.run(["similarity", "--top", "2", ctkit.CITIES])
    flat = [[n["id"], m["id"], m["score"]] for n in doc["neighbours"] for m in n["neighbours"]]
    check(tsv.splitlines()[0] == "id\tneighbour\tscore", "--top header row")
    lines = [[a, b, float(s)] for a, b, s in (l.split("\t") for l in tsv.splitlines()[1:])]
    check(doc["parameters"]["top"] == 2 and len(lines) == 14, "--top 2: %d lines" % len(lines))
    check(lines == flat, "top json vs tsv")
    # The README's example: fengling-2021 and qiwu-2023 are each other's nearest.
    top1 = dict((a, b) for a, b, _ in lines[::2])
    check(top1["fengling-2021"] == "qiwu-2023" and top1["qiwu-2023"] == "fengling-2021",
          "the two elderly-care reports are not each other's nearest: %r" % top1)

    # RFC 4180: ids with a comma, a quote and a tab.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "odd.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for i, d in enumerate(['a,b', 'say "hi"', 'tab\there', 'plain']):
                f.write(json.dumps({"id": d, "text": "社区建设服务%d 居民自治" % i}) + "\n")
        _, out, _ = ctkit.run(["similarity", path])
        check(out.splitlines()[0] == ',"a,b","say ""hi""",tab\there,plain', "csv header %r"
              % out.splitlines()[0])
        ids, _ = ctkit.read_matrix_csv(out)
        check(ids == ['a,b', 'say "hi"', 'tab\there', 'plain'], "csv ids %r" % ids)
        _, out, _ = ctkit.run(["tf", path])
        check(("tab\there", "社区") in ctkit.read_entries(out), "tsv escaping of ids")
    print("ok   formats: TSV, CSV quoting, JSON parameters and metadata")


def test_tf_and_groups():
    ids, toks = ctkit.tokens([ctkit.CITIES])
    _, out, _ = ctkit.run(["tf", ctkit.CITIES])
    ours = ctkit.read_entries(out)
    expect = {(d, t): float(c) for d, tk in zip(ids, toks) for t, c in collections.Counter(tk).items()}
    check(ours == expect, "tf counts differ from the tokens' counts")
    _, out, _ = ctkit.run(["tf", "--scheme", "relative", ctkit.CITIES])
    rel = ctkit.read_entries(out)
    for d, tk in zip(ids, toks):
        check(abs(sum(v for (x, _), v in rel.items() if x == d) - 1) < 1e-12, "relative sum")
    _, out, _ = ctkit.run(["tf", "--scheme", "sublinear", ctkit.CITIES])
    sub = ctkit.read_entries(out)
    check(all(abs(sub[k] - (1 + math.log(v))) < 1e-12 for k, v in expect.items()), "sublinear")
    _, out, _ = ctkit.run(["tf", "--scheme", "boolean", ctkit.CITIES])
    check(set(ctkit.read_entries(out).values()) == {1.0}, "boolean")
    # --group-by province: members summed, groups in order of first appearance.
    prov = {r["id"]: r["province"] for r in ctkit.manifest_rows(ctkit.CITIES)}
    gsum = collections.Counter()
    for (d, t), c in expect.items():
        gsum[(prov[d], t)] += c
    _, out, _ = ctkit.run(["tf", "--group-by", "province", ctkit.CITIES])
    check(ctkit.read_entries(out) == dict(gsum), "tf --group-by province is not the members' sum")
    order = list(dict.fromkeys(l.split("\t")[0] for l in out.splitlines()[1:]))
    check(order == list(dict.fromkeys(prov[d] for d in ids)), "group order %r" % order)
    _, js, _ = ctkit.run(["tf", "--group-by", "province", "--format", "json", ctkit.CITIES])
    zj = [d for d in json.loads(js)["documents"] if d["id"] == "浙江"][0]
    check(zj["members"] == ["fengling-2021", "tonghu-2022"] and
          zj["metadata"] == {"province": "浙江", "source": "sample"}, "group json %r" % {k: zj[k] for k in ("members", "metadata")})
    _, js, _ = ctkit.run(["tf", "--group-by", "emphasis", "--format", "json", ctkit.CITIES])
    g = [d for d in json.loads(js)["documents"] if d["id"] == "居家养老"][0]
    check(g["members"] == ["fengling-2021", "qiwu-2023"], "emphasis group %r" % g["members"])
    print("ok   tf schemes and --group-by")


def test_edge_corpora():
    text = "社区建设，社区服务。居民自治".encode("utf-8")
    # One document: idf = 1, so tfidf = counts / their L2 norm; similarity is [[1]].
    _, tf, _ = ctkit.run(["tf", "-"], input=text)
    counts = ctkit.read_entries(tf)
    norm = math.sqrt(sum(v * v for v in counts.values()))
    _, out, _ = ctkit.run(["tfidf", "--no-sublinear-tf", "-"], input=text)
    w = ctkit.read_entries(out)
    check(w.keys() == counts.keys() and all(abs(w[k] - counts[k] / norm) < 1e-15 for k in w),
          "one document: tfidf is not counts / norm")
    # The default, sublinear TF: (1 + ln count) / its L2 norm.
    sub = {k: 1 + math.log(v) for k, v in counts.items()}
    subnorm = math.sqrt(sum(v * v for v in sub.values()))
    _, out, _ = ctkit.run(["tfidf", "-"], input=text)
    w = ctkit.read_entries(out)
    check(w.keys() == counts.keys() and all(abs(w[k] - sub[k] / subnorm) < 1e-15 for k in w),
          "one document: tfidf by default is (1 + ln count) / norm")
    _, out, _ = ctkit.run(["similarity", "-"], input=text)
    check(out == ",stdin\nstdin,1\n", "one document similarity %r" % out)
    _, out, _ = ctkit.run(["similarity", "--top", "3", "-"], input=text)
    check(out == "id\tneighbour\tscore\n", "one document --top: no neighbours, got %r" % out)
    # Documents without tokens: empty tf/tfidf, a matrix of zeros (diagonal included), and
    # --top lists the others with score 0, by id.
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in (("b.txt", ""), ("a.txt", "。，、\n"), ("c.txt", "的")):
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(body)
        _, out, err = ctkit.run(["tf", tmp])
        check(out == "id\tterm\tcount\n" and "no document has any token" in err, "empty tf %r %r" % (out, err))
        _, out, _ = ctkit.run(["tfidf", tmp])
        check(out == "id\tterm\tweight\n", "empty tfidf %r" % out)
        _, out, _ = ctkit.run(["similarity", tmp])
        check(out == ",a,b,c\na,0,0,0\nb,0,0,0\nc,0,0,0\n", "empty similarity %r" % out)
        _, out, _ = ctkit.run(["similarity", "--top", "1", tmp])
        check(out == "id\tneighbour\tscore\na\tb\t0\nb\ta\t0\nc\ta\t0\n", "empty --top %r" % out)
        _, out, _ = ctkit.run(["similarity", "--measure", "jaccard", tmp])
        check(out == ",a,b,c\na,0,0,0\nb,0,0,0\nc,0,0,0\n", "empty jaccard %r" % out)
        # One empty document among others: its row and column are 0.
        with open(os.path.join(tmp, "d.txt"), "w", encoding="utf-8") as f:
            f.write("社区建设")
        with open(os.path.join(tmp, "e.txt"), "w", encoding="utf-8") as f:
            f.write("社区服务")
        _, out, _ = ctkit.run(["similarity", tmp])
        ids, S = ctkit.read_matrix_csv(out)
        check(S[0] == [0.0] * 5 and [r[0] for r in S] == [0.0] * 5 and S[3][3] == 1.0 and
              0 < S[3][4] < 1, "zero row among others %r" % S)
    print("ok   one document, empty documents")


def test_bad_input():
    C = [ctkit.CITIES]
    expect_status(["similarity", "--top", "-1"] + C, 2, "--top", "at least 1")
    expect_status(["similarity", "--top", "0"] + C, 2, "--top")
    expect_status(["similarity", "--top", "x"] + C, 2, "--top", "not an integer")
    expect_status(["similarity", "--measure", "euclid"] + C, 2, "--measure", "cosine or jaccard")
    expect_status(["tfidf", "--norm", "l3"] + C, 2, "--norm", "l2, l1 or none")
    expect_status(["tf", "--scheme", "log"] + C, 2, "--scheme")
    expect_status(["tfidf", "--min-df", "5", "--max-df", "2"] + C, 2, "--max-df", "--min-df")
    expect_status(["tfidf", "--min-df", "3", "--max-df", "0.2"] + C, 2, "--min-df",
                  "max_df corresponds to < documents than min_df")
    expect_status(["similarity", "--min-df", "8"] + C, 2, "--min-df", "min_df 8")
    expect_status(["tfidf", "--max-df", "1.5"] + C, 2, "--max-df")
    expect_status(["tfidf", "--min-df", "0.0", "--max-df", "0.1"] + C, 1, "no terms remain")
    expect_status(["tf", "--group-by", "county"] + C, 2, "--group-by", "county", "province")
    expect_status(["similarity", "--format", "tsv"] + C, 2, "--format")
    # --top K offers CSV too (every table does): the TSV's rows, RFC 4180.
    _, top_csv, _ = ctkit.run(["similarity", "--top", "2", "--format", "csv"] + C)
    _, top_tsv, _ = ctkit.run(["similarity", "--top", "2"] + C)
    check(list(csv.reader(io.StringIO(top_csv))) == [l.split("\t") for l in top_tsv.splitlines()],
          "similarity --top --format csv holds the TSV's rows")
    expect_status(["tf", "--min-df", "2"] + C, 2, "--min-df")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "c.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"id": "x1", "text": "社区", "city": "甲"}\n{"id": "x2", "text": "社区"}\n')
        expect_status(["tf", "--group-by", "city", path], 1, "x2", "c.jsonl:2", "city")
        out = os.path.join(tmp, "out.csv")
        expect_status(["similarity", "--min-df", "0.0", "--max-df", "0.1", "-o", out] + C, 1)
        check(os.listdir(tmp) == ["c.jsonl"], "files left after a failure: %r" % os.listdir(tmp))
        ctkit.run(["similarity", "-o", out] + C)
        check(open(out, encoding="utf-8").read() == ctkit.run(["similarity"] + C)[1], "-o file")
    print("ok   bad input")


def main():
    test_threads()
    test_formats()
    test_tf_and_groups()
    test_edge_corpora()
    test_bad_input()
    print("%d checks passed" % checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
