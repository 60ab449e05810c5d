#!/usr/bin/env python3
"""Measurement behind the weighting defaults of similarity and compare (BENCHMARKS.md, "Choosing the
weighting defaults"); run with `meson test -C build --benchmark measure-defaults`.

A good representation puts reports of neighbouring years next to each other. For the dated
government work reports of ../shared/corpora — the 52 records of gov-work-reports.jsonl with
a year (the NPC resolutions have none and are left out) and the 49 files of
gov-reports-txt (the year opens each file name) — this prints, for each setting, the share of
reports whose most similar other report (cosine of comptext's TF-IDF rows) is at most 3
years apart, the mean year gap to it, and the mean gap to the three most similar. The
settings: comptext's weighting switches (sublinear TF, smooth idf, idf, norm) one at a time
against scikit-learn's defaults, with and without script folding, and with -n 2-3; and, as a
peer, scikit-learn's own TfidfVectorizer(analyzer='char', ngram_range=(2, 3)) on the raw
texts, with and without sublinear_tf."""
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

shared = os.environ.get("COMPTEXT_SHARED", "")
jsonl = os.path.join(shared, "corpora", "gov-work-reports.jsonl")
folder = os.path.join(shared, "corpora", "gov-reports-txt")
if not os.path.exists(jsonl) or not os.path.isdir(folder):
    print(f"SKIP: {jsonl} or {folder} not found (the shared corpora are absent)")
    sys.exit(77)
comptext = os.environ["COMPTEXT"]
try:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
except ImportError:
    np = None


def scores(sim, years):
    """(share with the nearest report within 3 years, mean gap to it, mean gap to the 3
    nearest), over the reports; sim is the full matrix."""
    n = len(years)
    within, gap1, gap3 = 0, 0.0, 0.0
    for i in range(n):
        order = sorted((j for j in range(n) if j != i), key=lambda j: (-sim[i][j], j))
        g = [abs(years[i] - years[j]) for j in order[:3]]
        within += g[0] <= 3
        gap1 += g[0]
        gap3 += sum(g) / len(g)
    return within / n, gap1 / n, gap3 / n


def comptext_sim(args):
    out = subprocess.run([comptext, "similarity", "--quiet"] + args, check=True,
                         capture_output=True).stdout.decode("utf-8")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    ids = rows[0][1:]
    return ids, [[float(x) for x in r[1:]] for r in rows[1:]]


with tempfile.TemporaryDirectory() as tmp:
    # The dated JSON Lines records, as a corpus of their own.
    dated = os.path.join(tmp, "dated.jsonl")
    texts_j, years_j = [], []
    with open(jsonl, encoding="utf-8") as f, open(dated, "w", encoding="utf-8") as g:
        for line in f:
            d = json.loads(line)
            if d.get("year"):
                g.write(json.dumps({"id": d["title"], "text": d["content"]},
                                   ensure_ascii=False) + "\n")
                texts_j.append(d["content"])
                years_j.append(int(d["year"]))
    files = sorted(n for n in os.listdir(folder) if n.endswith(".txt"))
    years_t = [int(re.match(r"(\d{4})", n).group(1)) for n in files]
    texts_t = []
    for n in files:
        with open(os.path.join(folder, n), encoding="utf-8-sig") as f:
            texts_t.append(f.read())
    corpora = [("jsonl (52 dated)", [dated], years_j, texts_j),
               ("txt (49)", [folder], years_t, texts_t)]

    settings = [
        ("scikit-learn defaults: raw tf, smooth idf, l2", ["--no-sublinear-tf"]),
        ("  + --sublinear-tf (comptext's default)", ["--sublinear-tf"]),
        ("  + --no-smooth-idf", ["--no-sublinear-tf", "--no-smooth-idf"]),
        ("  + --no-idf", ["--no-sublinear-tf", "--no-idf"]),
        ("  + --norm l1", ["--no-sublinear-tf", "--norm", "l1"]),
        ("  --sublinear-tf --no-smooth-idf", ["--sublinear-tf", "--no-smooth-idf"]),
        ("  --sublinear-tf --no-idf", ["--sublinear-tf", "--no-idf"]),
        ("raw tf, --no-fold-script", ["--no-sublinear-tf", "--no-fold-script"]),
        ("--sublinear-tf --no-fold-script", ["--sublinear-tf", "--no-fold-script"]),
        ("raw tf, -n 2-3", ["--no-sublinear-tf", "-n", "2-3"]),
        ("--sublinear-tf, -n 2-3", ["--sublinear-tf", "-n", "2-3"]),
    ]
    print("| setting | " + " | ".join(
        f"{name}: NN ≤ 3 years | NN gap | 3-NN gap" for name, *_ in corpora) + " |")
    print("| --- |" + " --- | --- | --- |" * len(corpora))
    for label, args in settings:
        cells = []
        for name, paths, years, _ in corpora:
            ids, sim = comptext_sim(args + paths)
            assert len(ids) == len(years)
            cells.append("%.3f | %.2f | %.2f" % scores(sim, years))
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
    if np is not None:
        for sub in (False, True):
            cells = []
            for name, paths, years, texts in corpora:
                x = TfidfVectorizer(analyzer="char", ngram_range=(2, 3),
                                    sublinear_tf=sub).fit_transform(texts)
                sim = (x @ x.T).toarray().tolist()
                cells.append("%.3f | %.2f | %.2f" % scores(sim, years))
            print(f"| scikit-learn char 2-3{', sublinear' if sub else ''} | " +
                  " | ".join(cells) + " |", flush=True)
