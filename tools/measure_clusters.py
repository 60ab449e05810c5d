# measure_clusters.py — do compare's clusters mean something? Runs `comptext compare` on the
# government work reports of ../shared/corpora (whose clusters should follow eras: the
# premier, and the period) and on the default corpus (whose clusters should follow topics:
# the manifest's emphasis), and scores the clusters with the adjusted Rand index against
# those labels (each outlier counted as a group of its own). For comparison it also scores
# the rule compare used before — the cut into 2 … min(10, n/2) groups with the best mean
# silhouette — on the same similarity.csv, with scipy and scikit-learn, and the next best
# cuts that report.html lists.
# Run: /usr/bin/python3 tools/measure_clusters.py [path/to/comptext]
import csv, json, os, re, subprocess, sys, tempfile
import numpy as np
from scipy.cluster.hierarchy import linkage, cut_tree
from scipy.spatial.distance import squareform
from sklearn.metrics import adjusted_rand_score, silhouette_score

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
comptext = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build", "src", "cli", "comptext")
shared = os.environ.get("COMPTEXT_SHARED", os.path.join(root, "..", "shared"))
PREMIERS = [(1954, 1975, "周恩来"), (1976, 1980, "华国锋"), (1981, 1987, "赵紫阳"), (1988, 1998, "李鹏"),
            (1999, 2003, "朱镕基"), (2004, 2013, "温家宝"), (2014, 2023, "李克强"), (2024, 2100, "李强")]
PERIODS = [(1954, 1966, "1954-66"), (1967, 1979, "1967-79"), (1980, 1992, "1980-92"),
           (1993, 2002, "1993-2002"), (2003, 2012, "2003-12"), (2013, 2100, "2013-")]


def span(y, table):
    return next(label for a, b, label in table if a <= int(y) <= b)


def run(args, cuts=None):
    out = tempfile.mkdtemp(prefix="ct-clusters-")
    subprocess.run([comptext, "compare", "--quiet", "-o", out, *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = list(csv.reader(open(os.path.join(out, "similarity.csv"), encoding="utf-8")))
    ids = rows[0][1:]
    sim = np.array([[float(x) for x in r[1:]] for r in rows[1:]])
    lines = open(os.path.join(out, "clusters.tsv"), encoding="utf-8").read().splitlines()
    lab = dict(l.split("\t") for l in lines[1:])
    if cuts is not None:  # the best cuts, from report.html's table
        html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
        table = html.split("The best cuts", 1)[1].split("</table>", 1)[0] if "The best cuts" in html else ""
        for row in re.findall(r"<tr>(.*?)</tr>", table):
            cells = re.findall(r'<td class="num">([^<]*)</td>', row)
            if cells:
                cuts.append((int(cells[0]), int(cells[1]), int(cells[2]), float(cells[3])))
    return ids, sim, [int(lab[i]) for i in ids]


def with_outliers(labels):
    """Outliers (0) as groups of their own, for the adjusted Rand index."""
    return [l if l else -1 - i for i, l in enumerate(labels)]


def old_rule(sim):
    d = np.clip(1 - sim, 0, None)
    np.fill_diagonal(d, 0)
    z = linkage(squareform(d, checks=False), "average")
    n = len(d)
    best = None
    for k in range(2, max(2, min(n // 2, 10)) + 1):
        lab = cut_tree(z, n_clusters=k)[:, 0]
        s = silhouette_score(d, lab, metric="precomputed")
        if best is None or s > best[0]:
            best = (s, k, lab)
    return best


def report(name, args, truth_of):
    cuts = []
    ids, sim, labels = run(args, cuts)
    truths = truth_of(ids)
    s, k, old = old_rule(sim)
    sizes = sorted(np.bincount(old), reverse=True)
    print(f"{name} ({len(ids)} documents)")
    print(f"  before: best silhouette over 2..10 groups: k={k}, sizes {sizes}, silhouette {s:.3f}; "
          + ", ".join(f"ARI {t} {adjusted_rand_score(v, old):.3f}" for t, v in truths.items()))
    k = max(labels)
    out = labels.count(0)
    sizes = sorted([labels.count(c) for c in range(1, k + 1)], reverse=True)
    print(f"  now:    {k} clusters, sizes {sizes}, {out} outliers; "
          + ", ".join(f"ARI {t} {adjusted_rand_score(v, with_outliers(labels)):.3f}"
                      for t, v in truths.items()))
    for rank, (k, clusters, outliers, sil) in enumerate(cuts):
        _, _, plain = run(["--clusters", str(k), *args])
        sizes = np.bincount(plain)
        lab = [c if sizes[c] >= 2 else 0 for c in plain]
        print(f"    cut {rank + 1}: {k} groups = {clusters} clusters + {outliers} outliers, "
              f"silhouette {sil:.3f}; "
              + ", ".join(f"ARI {t} {adjusted_rand_score(v, with_outliers(lab)):.3f}"
                          for t, v in truths.items()))


jl = os.path.join(shared, "corpora", "gov-work-reports.jsonl")
txt = os.path.join(shared, "corpora", "gov-reports-txt")
if os.path.exists(jl):
    year = {json.loads(l)["title"]: json.loads(l)["year"] for l in open(jl, encoding="utf-8")}
    report("gov-work-reports.jsonl", ["--text-field", "content", "--id-field", "title", jl],
           lambda ids: {"premier": [span(year[i], PREMIERS) if year[i] else "resolution" for i in ids],
                        "period": [span(year[i], PERIODS) if year[i] else "resolution" for i in ids]})
if os.path.exists(txt):
    report("gov-reports-txt", [txt],
           lambda ids: {"premier": [i.split("_")[1] for i in ids],
                        "period": [span(i[:4], PERIODS) for i in ids]})
manifest = os.path.join(root, "corpora", "cities", "manifest.tsv")
emph = {r["id"]: r["emphasis"] for r in csv.DictReader(open(manifest, encoding="utf-8"), delimiter="\t")}
report("cities (default corpus)", [], lambda ids: {"topic": [emph[i] for i in ids]})
