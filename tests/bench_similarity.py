"""bench_similarity.py — benchmark of `comptext similarity` against scikit-learn, run by
`meson test -C build --benchmark`. It prints what it measures in this run; it asserts
nothing about speed.

1. End to end, the full matrix: `comptext similarity -n 1-3 FILE -o OUT` against a Python
   process doing TfidfVectorizer(analyzer='char', ngram_range=(1, 3)).fit_transform and
   cosine_similarity on the same texts, for ../shared/corpora/gov-work-reports.jsonl repeated
   3 and 10 times (written at run time into a temporary directory as JSON Lines with unique
   ids). Each process runs in a fresh child — comptext three times, its median run reported
   (it takes about a second, where a busy moment of a shared machine shows), scikit-learn
   once; wall time, CPU time (user + sys) and peak RSS (os.wait4) are printed with the ratios and whether the goal — 30× faster and at
   most 1/3 of scikit-learn's peak memory — is met. scikit-learn's time does not include
   writing its matrix out; comptext's includes writing the CSV. comptext's own stage times
   (COMPTEXT_TIMING) show how much of it is counting.
2. `comptext similarity --top 10` on 5 000, 10 000 and 20 000 short documents cut from the
   same corpus (its paragraphs, cut at sentence ends 。！？； into pieces of 15 characters or
   more): time and peak memory, and their growth for each doubling of N, beside the N × N
   matrix that top-K never allocates.
Skips (77) with a message when ../shared is absent."""
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

SKLEARN = r"""
import json, sys
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity
docs = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
X = TfidfVectorizer(analyzer="char", ngram_range=(1, 3)).fit_transform(docs)
S = cosine_similarity(X)
print(S.shape[0], X.shape[1], file=sys.stderr)
"""


def stages(stderr):
    """comptext's stage times (COMPTEXT_TIMING), and the share of its CPU time spent counting."""
    found = re.findall(r"timing: (\S+) ([0-9.]+) s \(cpu ([0-9.]+) s\)", stderr)
    total = sum(float(c) for _, _, c in found) or 1.0
    count = sum(float(c) for name, _, c in found if name == "read+count")
    return "%s; counting %.0f%% of the cpu" % (
        ", ".join("%s %s s (cpu %s)" % m for m in found), 100.0 * count / total)


def full_matrix(tmp, texts):
    env = dict(os.environ, COMPTEXT_TIMING="1")
    script = os.path.join(tmp, "sk.py")
    with open(script, "w") as f:
        f.write(SKLEARN)
    print("== full matrix, end to end: comptext similarity -n 1-3 vs TfidfVectorizer(char, 1-3)"
          " + cosine_similarity")
    for reps in (3, 10):
        path = os.path.join(tmp, "gov-x%d.jsonl" % reps)
        with open(path, "w", encoding="utf-8") as f:
            for r in range(reps):
                for i, t in enumerate(texts):
                    f.write(json.dumps({"id": "r%d-%d" % (r + 1, i + 1), "text": t},
                                       ensure_ascii=False) + "\n")
        os.sync()  # the file was just written: its write-back must not run during the timings
        n = reps * len(texts)
        # comptext runs in about a second, where a busy moment of the shared machine shows:
        # three runs, the median (by wall time) reported; scikit-learn's minute runs once.
        runs = sorted((ctkit.measure([ctkit.COMPTEXT, "similarity", "-n", "1-3", "--quiet", path,
                                "-o", os.path.join(tmp, "sim.csv")], env) for _ in range(3)),
                      key=lambda r: r[0])
        cw, cc, cm, cerr = runs[1]
        sw, sc, sm, _ = ctkit.measure(["/usr/bin/python3", script, path])
        print("%2d× (%d documents, %.1f MB):" % (reps, n, os.path.getsize(path) / 1e6))
        print("   comptext      %7.2f s wall %7.2f s cpu %8.1f MB peak  [%s]" % (cw, cc, cm, stages(cerr)))
        print("                 (the median of three runs: %s s wall)"
              % ", ".join("%.2f" % r[0] for r in runs))
        print("   scikit-learn  %7.2f s wall %7.2f s cpu %8.1f MB peak" % (sw, sc, sm))
        speed, cpu, mem = sw / cw, sc / cc, cm / sm
        print("   speed-up %.1f× (wall), %.1f× (cpu); memory %.2f of scikit-learn's; goal 30× and "
              "<= 1/3: %s" % (speed, cpu, mem, "MET" if speed >= 30 and mem <= 1 / 3 else
                              "NOT MET (speed %s, memory %s)" % ("met" if speed >= 30 else "not met",
                                                                 "met" if mem <= 1 / 3 else "not met")))
        os.remove(path)


def top_k(tmp, texts):
    pieces = []
    for t in texts:
        for para in t.split("\n"):
            for s in re.split(r"(?<=[。！？；])", para.strip()):
                if len(s) >= 15:
                    pieces.append(s)
    print("== --top 10 on short documents (%d pieces available)" % len(pieces))
    env = dict(os.environ, COMPTEXT_TIMING="1")
    prev = None
    for n in (5000, 10000, 20000):
        if n > len(pieces):
            print("   %d: not enough pieces" % n)
            continue
        path = os.path.join(tmp, "pieces-%d.jsonl" % n)
        with open(path, "w", encoding="utf-8") as f:
            for i, s in enumerate(pieces[:n]):
                f.write(json.dumps({"id": "p%05d" % i, "text": s}, ensure_ascii=False) + "\n")
        os.sync()
        w, c, m, err = ctkit.measure([ctkit.COMPTEXT, "similarity", "--top", "10", "--quiet", path,
                                "-o", os.path.join(tmp, "top.tsv")], env)
        print("   N=%5d  %6.2f s wall %6.2f s cpu %7.1f MB peak (an N x N matrix would be %.0f MB)"
              "  [%s]" % (n, w, c, m, n * n * 8 / 1e6, stages(err)))
        if prev:
            print("            growth for 2× N: time ×%.2f (cpu), peak memory ×%.2f (N² would be ×4)"
                  % (c / prev[1], m / prev[2]))
        prev = (w, c, m)
        os.remove(path)


def main():
    root = ctkit.shared_corpora()
    if not root:
        print("SKIP: %s is absent; the benchmark needs the shared corpora"
              % os.path.join(ctkit.SHARED, "corpora"))
        return ctkit.SKIP
    texts = [json.loads(line)["content"]
             for line in open(os.path.join(root, "gov-work-reports.jsonl"), encoding="utf-8")]
    print("machine: %d cores, load average %.1f at the start" % (os.cpu_count(), os.getloadavg()[0]))
    with tempfile.TemporaryDirectory() as tmp:
        full_matrix(tmp, texts)
        top_k(tmp, texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
