#!/usr/bin/env python3
"""Benchmark: n-gram counting (-n 1-3) over the shared JSON Lines corpus repeated 10 times.

Prints comptext's throughput in MB/s on one core (--threads 1) and on all cores, next to
scikit-learn's char analyzer (CountVectorizer(analyzer='char', ngram_range=(1, 3))) measured
in the same run on the corpus once (it needs ~30 s for 10 copies; its MB/s does not depend on
the number of copies). The goal of issue 2 is 60 MB/s or more on one core, with script
folding on (issue 11; the corpus is simplified but for the 1954 report). Also printed: the
same with --no-fold-script, and a traditional copy of the corpus (opencc -c s2t) with and
without folding: what traditional text costs."""
import json
import os
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

    def run(threads, path=big, extra=(), runs=5):
        """(best, median) wall time of runs runs."""
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([comptext, "ngrams", "-n", "1-3", "--threads", str(threads),
                            "--text-field", "content", "-o", os.path.join(tmp, "out.tsv"),
                            *extra, path], check=True, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
        return min(times), statistics.median(times)

    one, one_med = run(1)
    two, two_med = run(2)
    # Script folding (the default) against --no-fold-script; and a traditional copy of the
    # corpus (opencc -c s2t, every record), which folding sends through OpenCC.
    raw, raw_med = run(1, extra=["--no-fold-script"])
    trad_result = None
    if shutil.which("opencc"):
        records = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
        sep = "\ue000\n\ue000"
        conv = subprocess.run(["opencc", "-c", "s2t"], input=sep.join(r["content"] for r in records),
                              capture_output=True, text=True, check=True).stdout.split(sep)
        trad = os.path.join(tmp, "trad10.jsonl")
        with open(trad, "w", encoding="utf-8") as f:
            for _ in range(10):
                for r, t in zip(records, conv):
                    f.write(json.dumps({**r, "content": t}, ensure_ascii=False) + "\n")
        os.sync()
        trad_mb = os.path.getsize(trad) / 1e6
        t, t_med = run(1, path=trad)
        t_raw, t_raw_med = run(1, path=trad, extra=["--no-fold-script"])
        trad_result = (trad_mb, t, t_med, t_raw, t_raw_med)

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

print(f"input: {size_mb:.1f} MB (gov-work-reports.jsonl x 10)")
print(f"comptext ngrams -n 1-3, 1 thread : {one:.2f} s, {size_mb / one:.1f} MB/s "
      f"(median of 5: {size_mb / one_med:.1f} MB/s)")
print(f"comptext ngrams -n 1-3, 2 threads: {two:.2f} s, {size_mb / two:.1f} MB/s "
      f"(median of 5: {size_mb / two_med:.1f} MB/s)")
print(f"  --no-fold-script, 1 thread     : {raw:.2f} s, {size_mb / raw:.1f} MB/s "
      f"(median of 5: {size_mb / raw_med:.1f} MB/s)")
if trad_result:
    trad_mb, t, t_med, t_raw, t_raw_med = trad_result
    print(f"traditional copy (opencc s2t, {trad_mb:.1f} MB), 1 thread: folded "
          f"{trad_mb / t:.1f} MB/s (median {trad_mb / t_med:.1f}), --no-fold-script "
          f"{trad_mb / t_raw:.1f} MB/s (median {trad_mb / t_raw_med:.1f})")
if sk_rate:
    print(f"scikit-learn char 1-3 (1 copy)   : {sk_rate:.2f} MB/s")
    print(f"ratio comptext(1 thread)/scikit-learn: {size_mb / one / sk_rate:.0f}x")
goal = size_mb / one >= 60
print(f"goal 60 MB/s on one core: {'met' if goal else 'NOT met'}")
