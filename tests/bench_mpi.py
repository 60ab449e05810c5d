#!/usr/bin/env python3
"""Memory per rank and total CPU of comptext under mpirun (issue 17, item 3).

Builds N short reports (default 100 000) from the paragraphs of
../shared/corpora/gov-work-reports.jsonl — each 2-4 random paragraphs cut to at most 400
characters, with a site's chrome footer on some — as one JSON Lines file, then runs each
command once as one process and under `mpirun -np N` for N = 1..4, each rank wrapped so that
its peak resident memory (ru_maxrss) and CPU time (user + system) are measured. Prints, per
command and N, the largest and smallest peak per rank, the total CPU over the ranks, the wall
time, and whether the output equals one process's byte for byte (it must). reuse runs on its
own corpus, --reuse-docs N (default 10 000; 0: not run) short reports of
tests/bench_compare_scale.make_corpus (3-5 paragraphs of one year's report, so that reports
share many passages). Options: --docs N, --ranks 1,2,3,4, --keep DIR (keep the corpus and
outputs there), --commands 'ngrams;...', --year (a year field, 1995-2024 by document
number, for themes' comparison with the past).
Skips (exit 77) without ../shared or mpirun. A benchmark, not a test: run it by hand on a
quiet machine (BENCHMARKS.md, "MPI")."""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--docs", type=int, default=100000)
ap.add_argument("--ranks", default="1,2,3,4")
ap.add_argument("--keep")
ap.add_argument("--reuse-docs", type=int, default=10000)
ap.add_argument("--year", action="store_true")
ap.add_argument("--commands", default="ngrams;tfidf --max-features 20000 --min-df 5;similarity --top 10")
a = ap.parse_args()
exe = os.environ.get("COMPTEXT", "build/src/cli/comptext")
shared = os.environ.get("COMPTEXT_SHARED", "../shared")
src = os.path.join(shared, "corpora", "gov-work-reports.jsonl")
mpirun = shutil.which("mpirun")
if not os.path.exists(src) or not mpirun:
    print("SKIP: needs ../shared/corpora and mpirun")
    sys.exit(77)
work = a.keep or tempfile.mkdtemp(prefix="ct-bench-mpi-")
os.makedirs(work, exist_ok=True)
corpus = os.path.join(work, "short.jsonl")
rng = random.Random(17)
paras = []
for line in open(src, encoding="utf-8"):
    paras += [p.strip() for p in json.loads(line)["content"].split("\n") if len(p.strip()) >= 30]
footer = "\n版权所有 某市人民政府办公室\n网站标识码 1234567890"
with open(corpus, "w", encoding="utf-8") as f:
    for i in range(a.docs):
        text = "".join(rng.choice(paras) for _ in range(rng.randint(2, 4)))[:400]
        if i % 3 == 0:
            text += footer
        rec = {"id": "r%06d" % i, "city": "c%d" % (i % 300), "text": text}
        if a.year:
            rec["year"] = 1995 + i * 30 // a.docs
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
size = os.path.getsize(corpus)
print(f"{a.docs} short reports, {size / 1e6:.1f} MB, {len(paras)} source paragraphs")

# Each rank runs comptext under this wrapper, which prints its child's peak RSS and CPU.
wrap = os.path.join(work, "rusage.py")
open(wrap, "w").write(
    "import os, resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1] + '.' + os.environ.get('OMPI_COMM_WORLD_RANK', 'x'), 'w').write(\n"
    "    '%d %.3f\\n' % (u.ru_maxrss, u.ru_utime + u.ru_stime))\n"
    "sys.exit(rc)\n")
env = dict(os.environ, COMPTEXT_THREADS="1")


def bench(args, corpus):
    ref = os.path.join(work, "out-1proc")
    stats = os.path.join(work, "stats")
    t = time.time()
    subprocess.run([sys.executable, wrap, stats, exe, *args, corpus, "-o", ref, "--quiet"], env=env,
                   check=True, stderr=subprocess.DEVNULL)
    wall = time.time() - t
    kb, cpu = open(stats + ".x").read().split()
    print(f"\n{' '.join(args)}: one process (1 thread): peak {int(kb) / 1024:.0f} MB, cpu {float(cpu):.1f} s, "
          f"wall {wall:.1f} s, output {os.path.getsize(ref) / 1e6:.1f} MB")
    print("| ranks | peak per rank, MB (max / min) | total CPU, s | wall, s | output equal |")
    print("| ---: | ---: | ---: | ---: | :---: |")
    for np in [int(x) for x in a.ranks.split(",")]:
        out = os.path.join(work, "out-np%d" % np)
        for r in range(np):
            if os.path.exists(f"{stats}.{r}"):
                os.remove(f"{stats}.{r}")
        t = time.time()
        subprocess.run([mpirun, "--oversubscribe", "--allow-run-as-root", "-np", str(np),
                        sys.executable, wrap, stats, exe, *args, corpus, "-o", out, "--quiet"],
                       env=env, check=True, stderr=subprocess.DEVNULL)
        wall = time.time() - t
        rs = [open(f"{stats}.{r}").read().split() for r in range(np)]
        peaks = [int(x[0]) / 1024 for x in rs]
        cpus = sum(float(x[1]) for x in rs)
        same = open(out, "rb").read() == open(ref, "rb").read()
        print(f"| {np} | {max(peaks):.0f} / {min(peaks):.0f} | {cpus:.1f} | {wall:.1f} | "
              f"{'yes' if same else 'NO'} |")
        os.remove(out)


for cmd in (a.commands.split(";") if a.commands else []):
    bench(cmd.split(), corpus)
if a.reuse_docs:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bench_compare_scale  # noqa: E402

    reuse_corpus = os.path.join(work, "reuse.jsonl")
    chars = bench_compare_scale.make_corpus(reuse_corpus, a.reuse_docs,
                                            bench_compare_scale.paragraphs(src))
    print(f"\nreuse: {a.reuse_docs} short reports of make_corpus, {chars / 1e6:.1f} M characters")
    bench(["reuse"], reuse_corpus)
if not a.keep:
    shutil.rmtree(work)
