#!/usr/bin/env python3
"""Benchmark: n-gram counting (-n 1-3) over the shared JSON Lines corpus repeated 10 times.

Prints comptext's throughput in MB/s on one core (--threads 1) and on all cores, next to
scikit-learn's char analyzer (CountVectorizer(analyzer='char', ngram_range=(1, 3))) measured
in the same run on the corpus once (it needs ~30 s for 10 copies; its MB/s does not depend on
the number of copies). The goal of issue 2 is 60 MB/s or more on one core, with script
folding on (issue 11: the corpus is simplified but for the 1954 report, 29 % traditional).

Script folding is measured against --no-fold-script in the same run, on three texts: the
corpus as it is, a simplified-only copy (opencc -c t2s, every record) and a traditional copy
(opencc -c s2t). The folded and unfolded runs alternate, so that a noisy neighbour slows
both alike; each line gives the medians of the runs (wall time, and CPU time, which the
machine's other jobs disturb less) and the folded/unfolded ratio, the median of the ratios
of the pairs. Outputs go to /dev/shm when there is one: comptext fsyncs its output, and on
a shared disk that waits for other jobs' write-back."""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

shared = os.environ.get("COMPTEXT_SHARED", "")
jsonl = os.path.join(shared, "corpora", "gov-work-reports.jsonl")
if not os.path.exists(jsonl):
    print(f"SKIP: {jsonl} not found (the shared corpora are absent)")
    sys.exit(77)
comptext = os.environ["COMPTEXT"]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))

out_dir = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def run_once(tmp, path, threads, extra=()):
    """(wall, cpu) seconds of one run."""
    out = os.path.join(out_dir or tmp, f"comptext-bench-{os.getpid()}.tsv")
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([comptext, "ngrams", "-n", "1-3", "--threads", str(threads),
                    "--text-field", "content", "-o", out, *extra, path], check=True,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    os.unlink(out)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def folded_pair(tmp, path, threads=1):
    """Alternating folded and --no-fold-script runs: per mode the list of (wall, cpu)."""
    fold, raw = [], []
    for _ in range(RUNS):
        fold.append(run_once(tmp, path, threads))
        raw.append(run_once(tmp, path, threads, ["--no-fold-script"]))
    return fold, raw


def write_copy(path, records, texts):
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(10):
            for r, t in zip(records, texts):
                f.write(json.dumps({**r, "content": t}, ensure_ascii=False) + "\n")
    os.sync()


def report(label, mb, fold, raw):
    med = lambda runs, k: statistics.median(r[k] for r in runs)
    ratio = statistics.median(r[0] / f[0] for f, r in zip(fold, raw))
    cpu_ratio = statistics.median(r[1] / f[1] for f, r in zip(fold, raw))
    print(f"{label} ({mb:.1f} MB), 1 thread, median of {len(fold)}: folded "
          f"{mb / med(fold, 0):.1f} MB/s, --no-fold-script {mb / med(raw, 0):.1f} MB/s, "
          f"ratio {ratio:.2f} (CPU time: {mb / med(fold, 1):.1f} against {mb / med(raw, 1):.1f} "
          f"MB/s, ratio {cpu_ratio:.2f})")
    return mb / med(fold, 0), ratio


with tempfile.TemporaryDirectory() as tmp:
    big = os.path.join(tmp, "gov10.jsonl")
    with open(jsonl, "rb") as src, open(big, "wb") as dst:
        data = src.read()
        for _ in range(10):
            dst.write(data)
    # The file was just written: without this, the kernel writes its 33 MB back to disk while
    # comptext runs, and comptext's own fsync of its output waits for that.
    os.sync()
    size_mb = os.path.getsize(big) / 1e6

    fold, raw = folded_pair(tmp, big)
    two = [run_once(tmp, big, 2) for _ in range(RUNS)]
    copies = []
    if shutil.which("opencc"):
        records = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
        sep = "\ue000\n\ue000"
        for config, name in (("t2s", "simplified-only copy (opencc t2s)"),
                             ("s2t", "traditional copy (opencc s2t)")):
            conv = subprocess.run(["opencc", "-c", config],
                                  input=sep.join(r["content"] for r in records),
                                  capture_output=True, text=True, check=True).stdout.split(sep)
            path = os.path.join(tmp, f"{config}10.jsonl")
            write_copy(path, records, conv)
            copies.append((name, os.path.getsize(path) / 1e6, *folded_pair(tmp, path)))
            os.unlink(path)

    try:
        from sklearn.feature_extraction.text import CountVectorizer
    except ImportError:
        CountVectorizer = None
    sk_rate = None
    if CountVectorizer is not None:
        texts = [json.loads(line)["content"] for line in data.decode("utf-8").splitlines() if line.strip()]
        t0 = time.perf_counter()
        CountVectorizer(analyzer="char", ngram_range=(1, 3)).fit(texts)
        sk_rate = (len(data) / 1e6) / (time.perf_counter() - t0)

print(f"input: {size_mb:.1f} MB (gov-work-reports.jsonl x 10); comptext ngrams -n 1-3")
one, fold_ratio = report("gov-work-reports x 10", size_mb, fold, raw)
two_med = statistics.median(r[0] for r in two)
print(f"gov-work-reports x 10, 2 threads, folded: {size_mb / two_med:.1f} MB/s (median of {RUNS})")
for name, mb, f, r in copies:
    report(name, mb, f, r)
if sk_rate:
    print(f"scikit-learn char 1-3 (1 copy)   : {sk_rate:.2f} MB/s")
    print(f"ratio comptext(1 thread)/scikit-learn: {one / sk_rate:.0f}x")
print(f"goal 60 MB/s on one core, folded: {'met' if one >= 60 else 'NOT met'} ({one:.1f} MB/s, "
      f"{fold_ratio:.2f} of unfolded)")
