"""test_compare.py — `comptext compare` end to end.

On the default corpus: every file is written; similarity.csv is a symmetric matrix with a
unit diagonal; linkage.tsv equals scipy's linkage of 1 − similarity; map.csv equals classical
MDS computed here with numpy from similarity.csv (up to the documented sign convention);
clusters.tsv, dendrogram.nwk and the summary agree with each other; the SVGs are well-formed
XML; report.html fetches nothing. Then: HTML/XML escaping of hostile file names and
metadata; nothing written on failure (bad corpus, bad options, an existing directory keeps
its files); an existing directory is updated; no progress output when stderr is not a
terminal; a few hundred documents give pictures whose labels thin out. When the
`similarity` and `themes` commands exist, compare's files must equal their output byte for
byte."""
import csv, io, os, random, re, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

try:
    import numpy as np
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform
except ImportError as e:
    print(f"SKIP: numpy/scipy missing ({e}); bash .ci/install-deps --tests installs them")
    sys.exit(77)

EXE = os.environ["COMPTEXT"]
SRC = os.environ["COMPTEXT_SOURCE"]
CITIES = os.path.join(SRC, "corpora", "cities")
failures = 0
checks = 0


def check(cond, msg):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", msg)


def check_wording(out, summary, html):
    """Counts with their nouns in the summary and the report ("2 clusters", "1 outlier",
    never "1 outliers"), the report's closing line naming every file compare wrote, and the
    map's legend holding the outliers' grey dot when there are outliers."""
    m = re.search(r"Clusters \((?:\w+ linkage, )?(\d+) (\w+)(?:, (\d+) (\w+))?", summary)
    check(m and m.group(2) == ("cluster" if m.group(1) == "1" else "clusters") and
          (not m.group(3) or m.group(4) == ("outlier" if m.group(3) == "1" else "outliers")),
          f"the summary's clusters line counts with nouns: {m and m.group(0)!r}")
    text = re.sub(r"<[^>]+>", "", html)
    bad = re.findall(r"\b1 (?:outliers|clusters|passages|texts|pairs|documents|groups|lines|"
                     r"characters|regions)\b|The 1 longest|each of the 1 ", text)
    check(not bad, f"no count of 1 with a plural noun in report.html: {bad[:5]}")
    files = re.search(r"Files beside this report: ([^<]*)\.</p>", html)
    listed = sorted(f.split(" (")[0] for f in files.group(1).split(", ")) if files else None
    wrote = sorted(f for f in os.listdir(out) if f != "report.html")
    check(listed == wrote, f"the report lists every file compare wrote: {listed} vs {wrote}")
    clusters = [l.split("\t")[1] for l in
                open(os.path.join(out, "clusters.tsv"), encoding="utf-8").read().splitlines()[1:]]
    svg = open(os.path.join(out, "map.svg"), encoding="utf-8").read()
    check((">outliers</text>" in svg) == ("0" in clusters),
          f"the map's legend has the outliers' dot exactly when there are outliers "
          f"({clusters.count('0')})")


def run(*args, **kw):
    return subprocess.run([EXE, *args], capture_output=True, text=True, **kw)


FILES = ["similarity.csv", "themes.json", "clusters.tsv", "linkage.tsv", "dendrogram.nwk",
         "map.csv", "map-axes.csv", "heatmap.svg", "dendrogram.svg", "map.svg", "report.html"]

tmp = tempfile.mkdtemp(prefix="ct-compare-")
try:
    # --- the default corpus, no CORPUS argument -------------------------------------------
    out = os.path.join(tmp, "out")
    p = run("compare", "-o", out)
    check(p.returncode == 0, f"compare on the default corpus: exit {p.returncode}: {p.stderr}")
    note = "comptext compare: note: no CORPUS given: using the shipped default corpus"
    check(note in p.stderr, f"the default corpus is named on stderr: {p.stderr!r}")
    weak = "comptext compare: note: weak clusters:"  # the cities' cut is weak (0.069)
    rest = [l for l in p.stderr.splitlines() if not l.startswith(note) and not l.startswith(weak)]
    check(rest == [], f"no progress when stderr is not a terminal: {p.stderr!r}")
    for f in FILES:
        check(os.path.isfile(os.path.join(out, f)), f"{f} written")
    check(not [e for e in os.listdir(tmp) if ".tmp-" in e], "no temporary directory left")
    rows = list(csv.reader(open(os.path.join(out, "similarity.csv"), newline="")))
    ids = rows[0][1:]
    check(rows[0][0] == "" and len(ids) == 7, f"similarity header {rows[0]}")
    S = np.array([[float(x) for x in r[1:]] for r in rows[1:]])
    check([r[0] for r in rows[1:]] == ids, "row ids equal column ids")
    check(np.allclose(S, S.T, atol=0, rtol=0), "similarity is exactly symmetric")
    check(np.allclose(np.diag(S), 1, atol=1e-12), "unit diagonal")

    # linkage.tsv against scipy on the same distances
    Z = np.loadtxt(os.path.join(out, "linkage.tsv"), skiprows=1, ndmin=2)
    D = np.clip(1 - S, 0, None)
    np.fill_diagonal(D, 0)
    ref = linkage(squareform(D, checks=False), method="average")
    check(np.array_equal(Z[:, [0, 1, 3]], ref[:, [0, 1, 3]]) and
          np.max(np.abs(Z[:, 2] - ref[:, 2])) < 1e-12, f"linkage.tsv equals scipy\n{Z}\n{ref}")
    for method in ["complete", "single", "ward"]:
        o2 = os.path.join(tmp, "out-" + method)
        p2 = run("compare", "--linkage", method, "-o", o2, CITIES)
        check(p2.returncode == 0, f"--linkage {method}: {p2.stderr}")
        Z2 = np.loadtxt(os.path.join(o2, "linkage.tsv"), skiprows=1, ndmin=2)
        dd = np.sqrt(2 * D) if method == "ward" else D  # ward: chord distance, documented
        r2 = linkage(squareform(dd, checks=False), method=method)
        check(np.array_equal(Z2[:, [0, 1, 3]], r2[:, [0, 1, 3]]) and
              np.max(np.abs(Z2[:, 2] - r2[:, 2])) < 1e-12, f"{method} linkage equals scipy")

    # map.csv against classical MDS computed here
    rows = list(csv.reader(open(os.path.join(out, "map.csv"), encoding="utf-8", newline="")))
    check(rows[0] == ["id", "x", "y"], f"map.csv header {rows[0]!r} (no comment line)")
    X = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    check([r[0] for r in rows[1:]] == ids, "map ids in corpus order")
    axes = list(csv.reader(open(os.path.join(out, "map-axes.csv"), encoding="utf-8", newline="")))
    check(axes[0] == ["axis", "variance_share"] and [a[0] for a in axes[1:]] == ["x", "y"],
          f"map-axes.csv: {axes!r}")
    shares = [float(a[1]) for a in axes[1:]]
    n = len(ids)
    J = np.eye(n) - 1 / n
    B = -0.5 * J @ (D ** 2) @ J
    w, v = np.linalg.eigh(B)
    o = np.argsort(w)[::-1]
    w, v = w[o], v[:, o]
    for a in range(2):
        ref_a = v[:, a] * np.sqrt(w[a])
        big = np.argmax(np.abs(ref_a))
        ref_a = ref_a * np.sign(ref_a[big])
        check(np.max(np.abs(X[:, a] - ref_a)) < 1e-9, f"MDS axis {a + 1} equals numpy's")
        check(X[np.argmax(np.abs(X[:, a])), a] > 0, f"axis {a + 1}: largest |coordinate| positive")
        share = shares[a]
        check(abs(share - w[a] / w[w > 0].sum()) < 1e-12, f"axis {a + 1} share {share}")

    # clusters.tsv, dendrogram.nwk, summary
    cl = [l.split("\t") for l in open(os.path.join(out, "clusters.tsv"), encoding="utf-8").read().splitlines()]
    check(cl[0] == ["id", "cluster"] and sorted(r[0] for r in cl[1:]) == sorted(ids), "clusters.tsv rows")
    nwk = open(os.path.join(out, "dendrogram.nwk"), encoding="utf-8").read()
    check(nwk.endswith(";\n") and nwk.count("(") == nwk.count(")") == n - 1, "Newick shape")
    check(all(i in nwk for i in ids), "Newick names every document")
    check("Most similar pairs" in p.stdout and "Clusters" in p.stdout and "Top themes" in p.stdout,
          f"summary sections: {p.stdout}")
    best = np.unravel_index(np.argmax(S - 2 * np.eye(n)), S.shape)
    check(f"{S[best]:.4f}  {ids[min(best)]}  {ids[max(best)]}" in p.stdout, "the most similar pair first")
    for f in ["heatmap.svg", "dendrogram.svg", "map.svg"]:
        try:
            ET.parse(os.path.join(out, f))
            check(True, "")
        except ET.ParseError as e:
            check(False, f"{f} is not well-formed XML: {e}")
    html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    ext = re.findall(r"""(?:src|href)\s*=\s*["']?(?!#)[^"'\s>]+""", html)
    check(not ext and "@import" not in html and "url(http" not in html,
          f"report.html references nothing outside itself: {ext[:5]}")
    # the three pictures inline, and the reuse section's group matrix when passages are shared
    check(all(f'class="ct-{k}"' in html for k in ["heatmap", "dendrogram", "map"])
          and html.count("<svg") == 3 + html.count('class="ct-matrix"')
          and html.count('class="ct-matrix"') <= 1, "three inline SVG pictures (and the reuse matrix)")

    check_wording(out, p.stdout, html)

    # Same bytes as `comptext similarity` and `comptext themes`, once those exist.
    for cmd, fname in [("similarity", "similarity.csv"), ("themes", "themes.json")]:
        q = subprocess.run([EXE, cmd, CITIES], capture_output=True)
        if q.returncode == 2 and b"unknown command" in q.stderr:
            print(f"note: `comptext {cmd}` does not exist yet; {fname} not compared")
            continue
        check(q.returncode == 0, f"comptext {cmd}: {q.stderr}")
        check(q.stdout == open(os.path.join(out, fname), "rb").read(),
              f"{fname} equals `comptext {cmd}` byte for byte")

    # weighting options reach similarity.csv as they reach `comptext similarity`
    opts = ["-n", "1-3", "--sublinear-tf", "--min-df", "2", "--norm", "l1"]
    q = subprocess.run([EXE, "similarity", *opts, CITIES], capture_output=True)
    if q.returncode == 0:
        oo = os.path.join(tmp, "out-opts")
        p = run("compare", *opts, "-o", oo, CITIES)
        check(p.returncode == 0 and open(os.path.join(oo, "similarity.csv"), "rb").read() == q.stdout,
              f"compare {' '.join(opts)}: similarity.csv equals `comptext similarity` with them")
    p = run("compare", "--min-df", "5", "--max-df", "2", "-o", os.path.join(tmp, "never2"), CITIES)
    check(p.returncode == 2 and "--min-df" in p.stderr and not os.path.exists(os.path.join(tmp, "never2")),
          f"max-df below min-df: exit 2 naming the option: {p.stderr}")

    # --group-by: the same bytes as the single commands with --group-by, and keyness.tsv
    # holds, for each group, what `comptext keyness --target FIELD=VALUE` prints.
    have = all(subprocess.run([EXE, c, "--help"], capture_output=True).returncode == 0
               for c in ["similarity", "themes", "keyness"])
    if not have:
        print("note: similarity/themes/keyness commands missing; --group-by outputs not compared")
    else:
        go = os.path.join(tmp, "grouped")
        p = run("compare", "--group-by", "province", "-o", go, CITIES)
        check(p.returncode == 0 and "6 groups by province" in p.stdout, f"--group-by: {p.stderr}")
        for cmd, fname in [("similarity", "similarity.csv"), ("themes", "themes.json")]:
            q = subprocess.run([EXE, cmd, "--group-by", "province", CITIES], capture_output=True)
            check(q.returncode == 0 and q.stdout == open(os.path.join(go, fname), "rb").read(),
                  f"--group-by {fname} equals `comptext {cmd} --group-by province`")
        rows = {}
        klines = open(os.path.join(go, "keyness.tsv"), encoding="utf-8").read().splitlines()
        check(klines[0] == "id\tterm\tstatistic\tp\teffect\tn_target\tn_reference",
              f"keyness.tsv header row {klines[0]!r}")
        for line in klines[1:]:
            g, rest = line.split("\t", 1)
            rows.setdefault(g, []).append(rest)
        check(len(rows) == 6, f"keyness for 6 groups: {sorted(rows)}")
        for g, lines in rows.items():
            q = run("keyness", "--target", "province=" + g, CITIES)
            # keyness.tsv has the first six columns of `comptext keyness` (its rows, in its order)
            first6 = ["\t".join(l.split("\t")[:6]) for l in q.stdout.splitlines()[1:]]
            check(q.returncode == 0 and first6 == lines,
                  f"keyness.tsv for {g} equals `comptext keyness --target province={g}`")
        html = open(os.path.join(go, "report.html"), encoding="utf-8").read()
        check('id="keyness"' in html and "浙江" in html, "the report has keyness tables")
        check_wording(go, p.stdout, html)

    # --- a series with years: compare's themes compare each report with its past, as
    # `comptext themes` does (--time-field, default year). On the shared government reports
    # (72 dated records), or skipped with a note when ../shared is absent.
    shared = os.path.join(os.environ.get("COMPTEXT_SHARED", os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", "..", "shared")), "corpora", "gov-work-reports.jsonl")
    if not os.path.exists(shared):
        print(f"note: {shared} absent: compare's themes over a dated series not compared")
    else:
        so = os.path.join(tmp, "series")
        p = run("compare", "--text-field", "content", "--no-reuse", "-o", so, shared)
        check(p.returncode == 0, f"compare on the dated series: {p.stderr[-500:]}")
        q = subprocess.run([EXE, "themes", "--text-field", "content", shared], capture_output=True)
        got = open(os.path.join(so, "themes.json"), "rb").read()
        check(q.returncode == 0 and q.stdout == got,
              "dated series: themes.json equals `comptext themes` byte for byte")
        q = subprocess.run([EXE, "themes", "--text-field", "content", "--time-field", "none",
                            shared], capture_output=True)
        check(q.returncode == 0 and q.stdout != got,
              "dated series: the years change the themes (the check above is not vacuous)")
        sn = os.path.join(tmp, "series-none")
        p = run("compare", "--text-field", "content", "--no-reuse", "--time-field", "none",
                "-o", sn, shared)
        check(p.returncode == 0 and open(os.path.join(sn, "themes.json"), "rb").read() == q.stdout,
              "compare --time-field none equals `comptext themes --time-field none`")
        p = run("compare", "--time-field", "nope", "-o", os.path.join(tmp, "never3"), CITIES)
        check(p.returncode == 2 and "--time-field" in p.stderr
              and not os.path.exists(os.path.join(tmp, "never3")),
              f"--time-field naming no field: exit 2, nothing written: {p.stderr}")

    # --- hostile names and metadata are escaped -------------------------------------------
    evil = os.path.join(tmp, "evil")
    os.mkdir(evil)
    shutil.copy(os.path.join(CITIES, "beiyuan-2020.txt"), os.path.join(evil, "<img src=x onerror=alert(1)>.txt"))
    shutil.copy(os.path.join(CITIES, "qiwu-2023.txt"), os.path.join(evil, "b&'q\".txt"))
    shutil.copy(os.path.join(CITIES, "tonghu-2022.txt"), os.path.join(evil, "c.txt"))
    with open(os.path.join(evil, "manifest.tsv"), "w", encoding="utf-8") as mf:
        mf.write("file\tid\tcity\n")
        mf.write("c.txt\tc\t<script>alert(2)</script>\n")
    eo = os.path.join(tmp, "evil-out")
    p = run("compare", "-o", eo, evil)
    check(p.returncode == 0, f"compare on hostile names: {p.stderr}")
    html = open(os.path.join(eo, "report.html"), encoding="utf-8").read()
    check("<img src=x" not in html, "file name with <img> is not markup")
    check("&lt;img src=x onerror=alert(1)&gt;" in html, "file name shown as escaped text")
    check("<script>" not in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html,
          "metadata with <script> shown as text")
    check("b&amp;&#39;q&quot;" in html, "& ' \" escaped")
    for f in ["heatmap.svg", "dendrogram.svg", "map.svg"]:
        try:
            root = ET.parse(os.path.join(eo, f)).getroot()
            texts = "".join(root.itertext())
            check("<img src=x onerror=alert(1)>" in texts or "<img src=x onerr" in texts,
                  f"{f}: the hostile name is text")
        except ET.ParseError as e:
            check(False, f"{f} with hostile labels is not well-formed: {e}")

    # --- nothing written on failure -------------------------------------------------------
    nope = os.path.join(tmp, "never")
    p = run("compare", "-o", nope, os.path.join(tmp, "no-such-corpus"))
    check(p.returncode == 1 and "no-such-corpus" in p.stderr, f"missing corpus: exit 1 naming it: {p.returncode} {p.stderr}")
    check(not os.path.exists(nope), "no output directory after a failure")
    check(not [e for e in os.listdir(tmp) if ".tmp-" in e], "no temporary directory after a failure")
    keep = os.path.join(tmp, "keep")
    os.mkdir(keep)
    open(os.path.join(keep, "similarity.csv"), "w").write("old\n")
    p = run("compare", "-o", keep, os.path.join(tmp, "no-such-corpus"))
    check(p.returncode == 1 and open(os.path.join(keep, "similarity.csv")).read() == "old\n",
          "an existing directory keeps its files after a failure")
    bad_json = os.path.join(tmp, "bad.jsonl")
    open(bad_json, "w").write('{"id": "a", "text": "社区"}\n{"id": "b", "text": \n')
    p = run("compare", "-o", nope, bad_json)
    check(p.returncode == 1 and "bad.jsonl" in p.stderr and ":2" in p.stderr,
          f"bad JSON line named: {p.stderr}")
    check(not os.path.exists(nope), "nothing written for a bad JSON line")
    for args, why in [(["compare"], "-o missing"), (["compare", "-o", "-"], "-o -"),
                      (["compare", "--linkage", "centroid", "-o", nope], "bad linkage"),
                      (["compare", "--clusters", "0", "-o", nope], "clusters 0"),
                      (["compare", "--clusters", "8", "-o", nope, CITIES], "more clusters than documents"),
                      (["compare", "-k", "-1", "-o", nope], "negative k")]:
        p = run(*args)
        check(p.returncode == 2 and p.stderr.startswith("comptext compare:"), f"{why}: exit 2 with a message: {p.returncode} {p.stderr}")
        check(not os.path.exists(nope), f"{why}: nothing written")
    # large mode: more clusters than the neighbour graph's communities names --clusters (it
    # said "--min-df/--max-df: clusters: ...")
    p = run("compare", "--large-threshold", "5", "--clusters", "3", "-o", nope, CITIES)
    check(p.returncode == 2 and p.stderr.startswith("comptext compare: --clusters: 3 is more than")
          and "min-df" not in p.stderr and not os.path.exists(nope),
          f"large mode, too many clusters: exit 2 naming --clusters: {p.returncode} {p.stderr}")
    afile = os.path.join(tmp, "afile")
    open(afile, "w").write("x")
    p = run("compare", "-o", afile)
    check(p.returncode == 1 and "afile" in p.stderr, f"-o names a file: {p.stderr}")

    # an existing directory is updated in place
    p = run("compare", "-o", keep, CITIES)
    check(p.returncode == 0 and open(os.path.join(keep, "similarity.csv")).read().startswith(","),
          "an existing directory receives the new files")
    p = run("compare", "--quiet", "-o", keep, "--clusters", "2", CITIES)
    check(p.returncode == 0 and "Clusters (average linkage, 2 clusters, mean silhouette" in p.stdout, "--clusters 2 and --quiet")

    # progress on a terminal, and none with --quiet
    import pty
    for quiet in [False, True]:
        master, slave = pty.openpty()
        args = [EXE, "compare", "-o", os.path.join(tmp, "tty-out"), CITIES] + (["--quiet"] if quiet else [])
        q = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        got = b""
        try:
            while True:
                chunk = os.read(master, 65536)
                if not chunk:
                    break
                got += chunk
        except OSError:
            pass
        os.close(master)
        text = got.decode("utf-8", "replace")
        if quiet:
            # no status line; the notes on the result stay (the cities' weak clusters)
            text = "".join(l for l in text.splitlines(True) if not l.startswith(weak))
            check(q.returncode == 0 and text == "", f"--quiet on a terminal: {text!r}")
        else:
            check(q.returncode == 0 and "clustering" in text and "7/7 documents" in text,
                  f"progress on a terminal: {text!r}")

    # --- a few hundred documents: pictures stay usable -----------------------------------
    big = os.path.join(tmp, "big.jsonl")
    rng = random.Random(7)
    alphabet = "社区建设服务居民养老志愿网格管理农村流动人口文化卫生安全治理"
    import json
    with open(big, "w", encoding="utf-8") as bf:
        for i in range(300):
            topic = alphabet[(i % 6) * 5:(i % 6) * 5 + 5]
            text = "".join(rng.choice(topic + alphabet) for _ in range(400))
            bf.write(json.dumps({"id": f"城市报告-{i:03d}", "text": text}, ensure_ascii=False) + "\n")
    bo = os.path.join(tmp, "big-out")
    p = run("compare", "-o", bo, big)
    check(p.returncode == 0, f"300 documents: {p.stderr}")
    if p.returncode == 0:
        for f in ["heatmap.svg", "dendrogram.svg", "map.svg"]:
            root = ET.parse(os.path.join(bo, f)).getroot()
            ns = "{http://www.w3.org/2000/svg}"
            labels = [t for t in root.iter(ns + "text") if "城市报告" in "".join(t.itertext())]
            check(0 < len(labels) < (2 * 300 if f == "heatmap.svg" else 300),
                  f"{f}: labels thinned ({len(labels)})")
            size = os.path.getsize(os.path.join(bo, f))
            check(size < 12_000_000, f"{f}: {size} bytes")
        hm = ET.parse(os.path.join(bo, "heatmap.svg")).getroot()
        cells = [r for r in hm.iter("{http://www.w3.org/2000/svg}rect") if r.get("width") == r.get("height")]
        check(len(cells) >= 300 * 300 and float(cells[0].get("width")) >= 3, "cells at least 3 px")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{checks} checks, {failures} failed")
sys.exit(1 if failures else 0)
