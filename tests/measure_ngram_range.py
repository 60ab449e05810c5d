#!/usr/bin/env python3
"""Measurement behind the default n-gram range (BENCHMARKS.md, "Choosing -n").

For each candidate range, the government work reports of ../shared/corpora are tokenised by
comptext, weighted with scikit-learn's TfidfVectorizer (defaults) and compared by cosine
similarity. A good representation puts reports of neighbouring years (and by the same
premier) next to each other. Printed per range: for the 49 files of gov-reports-txt, the
leave-one-out 1-nearest-neighbour accuracy of the premier (the file name says who delivered
the report) and the mean year gap to the nearest neighbour; for the full reports (over 20 000
characters, with a year) of gov-work-reports.jsonl, the mean year gap to the nearest and to
the three nearest neighbours. Vocabulary size and tokenising time are printed too, since a
longer range costs memory and time everywhere downstream."""
import json
import os
import re
import subprocess
import sys
import time

shared = os.environ.get("COMPTEXT_SHARED", "")
folder = os.path.join(shared, "corpora", "gov-reports-txt")
if not os.path.isdir(folder):
    print(f"SKIP: {folder} not found (the shared corpora are absent)")
    sys.exit(77)
try:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
except ImportError:
    print("SKIP: numpy/scikit-learn missing (apt-get install python3-sklearn)")
    sys.exit(77)
comptext = os.environ["COMPTEXT"]

def nfkc_year(s):
    return int(s.translate({0xFF10 + d: ord("0") + d for d in range(10)})[:4])

def tokens(args):
    out = subprocess.run([comptext, "tokens", "--quiet"] + args, check=True,
                         capture_output=True).stdout.decode("utf-8")
    return [json.loads(line) for line in out.splitlines()]

def neighbours(token_lists):
    vec = TfidfVectorizer(analyzer=lambda toks: toks, lowercase=False)
    x = vec.fit_transform(token_lists)
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, -1)
    return np.argsort(-sim, axis=1), len(vec.vocabulary_)

jsonl = os.path.join(shared, "corpora", "gov-work-reports.jsonl")
records = [json.loads(line) for line in open(jsonl, encoding="utf-8") if line.strip()]
full = [i for i, r in enumerate(records) if r["year"] and len(r["content"]) > 20000]
full_years = np.array([int(records[i]["year"]) for i in full])

ranges = ["1", "2", "3", "1-2", "1-3", "2-3", "2-4", "3-4", "1-4"]
print(f"{'':>5} {'--- gov-reports-txt (49) ---':>40} {'- jsonl full reports -':>24}")
print(f"{'-n':>5} {'premier 1-NN':>13} {'year gap':>9} {'vocabulary':>11} {'seconds':>8}"
      f" {'NN gap':>8} {'top-3 gap':>10}")
for rng in ranges:
    t0 = time.perf_counter()
    docs = tokens(["-n", rng, folder])
    seconds = time.perf_counter() - t0
    labels, years = [], []
    for d in docs:
        m = re.match(r"(.+?)政府工作报告_([^_]+)", d["id"])
        years.append(nfkc_year(m.group(1)))
        labels.append(m.group(2))
    order, vocab = neighbours([d["tokens"] for d in docs])
    nn = order[:, 0]
    acc = np.mean([labels[i] == labels[j] for i, j in enumerate(nn)])
    gap = np.mean([abs(years[i] - years[j]) for i, j in enumerate(nn)])
    jdocs = tokens(["-n", rng, "--text-field", "content", jsonl])
    jorder, _ = neighbours([jdocs[i]["tokens"] for i in full])
    jgap = np.mean(np.abs(full_years - full_years[jorder[:, 0]]))
    jgap3 = np.mean(np.abs(full_years[:, None] - full_years[jorder[:, :3]]))
    print(f"{rng:>5} {acc:13.3f} {gap:9.2f} {vocab:11d} {seconds:8.2f} {jgap:8.2f} {jgap3:10.2f}")
