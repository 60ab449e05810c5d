"""test_compare_large.py — `comptext compare` on big corpora (issue 13, item 3).

Part 1 (always): 300 documents with --large-threshold 100 (large mode): neighbours.tsv and
notes.tsv replace similarity.csv, linkage.tsv, dendrogram.nwk and dendrogram.svg;
neighbours.tsv loads in pandas with each document's 10 neighbours, best first, and is byte
for byte what `comptext similarity --top 10` writes; clusters.tsv names every document;
report.html shows clusters, not documents — no document table, the clusters' heatmap and the
binned map inline (well-formed SVG), the pager — and its size does not grow with the corpus
(600 documents give a report at most a few per cent larger than 300); below the threshold the
outputs are the usual ones, and with 450 documents the report inlines the clusters' heatmap
while heatmap.svg keeps every pair.

Part 2 (needs ../shared; skips with a message when it is absent): 20 000 short reports made
from the shared government work reports (each 3-5 real paragraphs, city and year metadata)
at the default threshold: report.html is under 20 MB and headless Chromium renders it to a
screenshot (kept in $COMPTEXT_KEEP when set, to look at); neighbours.tsv loads in pandas
with 10 rows for each of the 20 000 documents and equals `comptext similarity --top 10`."""
import json, os, random, re, shutil, subprocess, sys, tempfile, time
import xml.etree.ElementTree as ET

try:
    import numpy as np
    import pandas as pd
except ImportError as e:
    print(f"SKIP: pandas missing ({e}); bash .ci/install-deps --tests installs it")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(__file__))
import ctkit  # noqa: E402

EXE = os.environ["COMPTEXT"]
failures = checks = 0


def check(cond, msg):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", msg, flush=True)


def run(*args):
    return subprocess.run([EXE, *args], capture_output=True)


def synthetic(path, n, seed=7):
    rng = random.Random(seed)
    alphabet = "社区建设服务居民养老志愿网格管理农村流动人口文化卫生安全治理"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            topic = alphabet[(i % 6) * 5:(i % 6) * 5 + 5]
            text = "".join(rng.choice(topic + alphabet) for _ in range(400))
            f.write(json.dumps({"id": f"城市报告-{i:04d}", "text": text}, ensure_ascii=False) + "\n")


def check_neighbours(path, n, k, ids, what):
    nb = pd.read_csv(path, sep="\t", dtype={"id": str, "neighbour": str}, keep_default_na=False,
                     quoting=3)
    check(list(nb.columns) == ["id", "neighbour", "score"], f"{what}: header {list(nb.columns)}")
    check(len(nb) == n * k, f"{what}: {len(nb)} rows, want {n * k}")
    counts = nb.groupby("id").size()
    check(len(counts) == n and (counts == k).all() and set(counts.index) == set(ids),
          f"{what}: {k} neighbours for each of the {n} documents")
    check((nb["id"] != nb["neighbour"]).all(), f"{what}: no document is its own neighbour")
    best_first = nb.groupby("id", sort=False)["score"].apply(lambda s: (s.diff().dropna() <= 0).all())
    check(best_first.all(), f"{what}: best first")
    check(((nb["score"] > -1e-12) & (nb["score"] < 1 + 1e-12)).all(), f"{what}: cosines in [0, 1]")


def check_notes_pairs(out, threshold, what):
    """The near-duplicate notes and the pairs table agree: every pair of the neighbour lists at
    cosine >= threshold is a near-duplicate note or a pair of one class of exact duplicates
    (the notes pair each copy with its class's first), and every near-duplicate note is such a
    pair of the lists, with the same cosine."""
    nb = pd.read_csv(os.path.join(out, "neighbours.tsv"), sep="\t", dtype={"id": str, "neighbour": str},
                     keep_default_na=False, quoting=3)
    notes = pd.read_csv(os.path.join(out, "notes.tsv"), sep="\t", dtype=str, keep_default_na=False,
                        quoting=3)
    strong = {}
    for a, b, v in zip(nb["id"], nb["neighbour"], nb["score"]):
        if v >= threshold:
            strong[(min(a, b), max(a, b))] = v
    cls = {}
    for a, b in zip(*(notes[notes["kind"] == "duplicate"][c] for c in ("a", "b"))):
        cls[b] = cls.get(a, a)
        cls.setdefault(a, a)
    near = {(min(a, b), max(a, b)): float(v)
            for a, b, v in zip(*(notes[notes["kind"] == "near-duplicate"][c] for c in ("a", "b", "value")))}
    same = {p for p in strong if p[0] in cls and cls[p[0]] == cls.get(p[1])}
    check(set(strong) == set(near) | same and not (set(near) & same),
          f"{what}: {len(strong)} pairs of the lists at cosine >= {threshold} = {len(near)} near-duplicate "
          f"notes + {len(same)} pairs of exact duplicates (lists only: {sorted(set(strong) - set(near) - same)[:5]}, "
          f"notes only: {sorted(set(near) - set(strong))[:5]})")
    check(all(abs(near[p] - strong[p]) < 1e-4 for p in near if p in strong),
          f"{what}: the notes give the pairs' cosines")
    return len(strong), len(near), len(same)


def check_block_heatmap(out, n):
    """Beyond 300 rows heatmap.svg draws blocks of b = ceil(n / 300) rows of the dendrogram's
    leaf order, each coloured by the mean cosine of its pairs (self pairs left out): the cells,
    the labels (each block's first row), the legend's range and the colours of the extreme
    blocks, against similarity.csv and dendrogram.nwk."""
    ns = "{http://www.w3.org/2000/svg}"
    hm = ET.parse(os.path.join(out, "heatmap.svg")).getroot()
    sim = pd.read_csv(os.path.join(out, "similarity.csv"), index_col=0, dtype={0: str},
                      keep_default_na=False)
    nwk = open(os.path.join(out, "dendrogram.nwk"), encoding="utf-8").read()
    order = re.findall(r"[(,]'?([^'():,;]+)'?(?=:)", nwk)
    check(sorted(order) == sorted(sim.index), f"{n} rows: the leaf order of dendrogram.nwk ({len(order)})")
    b = -(-n // 300)
    B = -(-n // b)
    S = sim.loc[order, order].to_numpy()
    means = np.full((B, B), np.nan)
    for R in range(B):
        for C in range(B):
            blk = S[R * b:(R + 1) * b, C * b:(C + 1) * b].copy()
            if R == C:
                np.fill_diagonal(blk, np.nan)
            if np.isfinite(blk).any():
                means[R, C] = np.nanmean(blk)
    cells = [r for r in hm.iter(ns + "rect") if r.get("width") == r.get("height")]
    check(len(cells) == B * B, f"{n} rows: {len(cells)} cells, want {B} x {B} blocks of {b}")
    title = "".join(hm.find(ns + "title").itertext())
    check(f"blocks of {b} × {b}" in title, f"{n} rows: the title names the blocks: {title}")
    shown = [("".join(t.itertext()), t) for t in hm.iter(ns + "text") if t.get("text-anchor") == "end"]
    firsts = [order[R * b] for R in range(B)]
    step = -(-B // max(len(shown), 1))
    check(len(shown) > 10 and all(firsts[k * step].startswith(lab.rstrip("…"))
                                  for k, (lab, _) in enumerate(shown)),
          f"{n} rows: the row labels are the first rows of every {step}th block")
    ticks = [float("".join(t.itertext())) for t in hm.iter(ns + "text")
             if re.fullmatch(r"-?\d+\.\d{3}", "".join(t.itertext()))]
    lo, hi = np.nanmin(means), np.nanmax(means)
    check(abs(min(ticks) - lo) < 6e-4 and abs(max(ticks) - hi) < 6e-4,
          f"{n} rows: legend {min(ticks)}..{max(ticks)}, block means {lo:.4f}..{hi:.4f}")
    stops = {s.get("offset"): s.get("stop-color") for s in hm.iter(ns + "stop")}
    amax, amin = np.unravel_index(np.nanargmax(means), means.shape), np.unravel_index(np.nanargmin(means), means.shape)
    check(cells[amax[0] * B + amax[1]].get("fill") == stops["1.0"]
          and cells[amin[0] * B + amin[1]].get("fill") == stops["0.0"],
          f"{n} rows: the block of the highest mean is brightest, of the lowest darkest")
    size = os.path.getsize(os.path.join(out, "heatmap.svg"))
    check(size < 8_000_000, f"{n} rows: heatmap.svg bounded ({size} bytes)")


def svgs(html):
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


tmp = tempfile.mkdtemp(prefix="ct-compare-large-")
keep = os.environ.get("COMPTEXT_KEEP")
try:
    # --- part 1: large mode on 300 documents ------------------------------------------
    corpus = os.path.join(tmp, "s300.jsonl")
    synthetic(corpus, 300)
    ids = [json.loads(l)["id"] for l in open(corpus, encoding="utf-8")]
    out = os.path.join(tmp, "l300")
    p = run("compare", "--large-threshold", "100", "-o", out, corpus)
    check(p.returncode == 0, f"large mode on 300: {p.stderr.decode()}")
    files = set(os.listdir(out)) if os.path.isdir(out) else set()
    for f in ["neighbours.tsv", "notes.tsv", "themes.json", "clusters.tsv", "map.csv",
              "map-axes.csv", "heatmap.svg", "map.svg", "report.html"]:
        check(f in files, f"large mode writes {f}")
    for f in ["similarity.csv", "linkage.tsv", "dendrogram.nwk", "dendrogram.svg"]:
        check(f not in files, f"large mode writes no {f}")
    check(b"neighbours.tsv" in p.stdout and b"similarity.csv" not in p.stdout,
          "the summary names neighbours.tsv")
    check_neighbours(os.path.join(out, "neighbours.tsv"), 300, 10, ids, "neighbours.tsv")
    ref = run("similarity", "--top", "10", corpus)
    check(ref.returncode == 0 and open(os.path.join(out, "neighbours.tsv"), "rb").read() == ref.stdout,
          "neighbours.tsv equals comptext similarity --top 10")
    cl = pd.read_csv(os.path.join(out, "clusters.tsv"), sep="\t", dtype={"id": str})
    check(sorted(cl["id"]) == sorted(ids), "clusters.tsv names every document")
    notes = open(os.path.join(out, "notes.tsv"), encoding="utf-8").read()
    check(notes.startswith("kind\ta\tb\tvalue\n"), f"notes.tsv header: {notes[:40]!r}")
    html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    pics = svgs(html)
    classes = [re.search(r'class="([^"]+)"', s).group(1) for s in pics]
    check("ct-density" in classes and "ct-matrix" in classes and "ct-heatmap" not in classes
          and "ct-dendrogram" not in classes, f"the report's pictures: {classes}")
    for s in pics:
        try:
            ET.fromstring(s)
        except ET.ParseError as e:
            check(False, f"inline SVG is not well-formed: {e}")
    check('<table class="docs">' not in html, "no table with a row a document")
    shown = sum(1 for i in ids if i in html)
    check(shown < 300, f"the report does not list every document ({shown} of 300 named)")
    check("table.paged" in html and 'class="paged"' in html, "long tables are paged")
    check(len(re.findall(r"<rect[^>]*><title>\d+ documents;", html)) <= 3600,
          "the map has at most one square a grid cell")
    ext = re.findall(r"""(?:src|href)\s*=\s*["']?(?!#)[^"'\s>]+""", html)
    check(not ext, f"report.html fetches nothing: {ext[:3]}")
    check("reuse.jsonl" not in files and "only with --reuse" in html,
          "large mode: no shared passages unless --reuse, and the report says so")
    size300 = os.path.getsize(os.path.join(out, "report.html"))
    outr = os.path.join(tmp, "l300r")
    p = run("compare", "--large-threshold", "100", "--reuse", "-o", outr, corpus)
    check(p.returncode == 0 and os.path.exists(os.path.join(outr, "reuse.jsonl"))
          and '<h2 id="reuse">' in open(os.path.join(outr, "report.html"), encoding="utf-8").read(),
          "large mode with --reuse: reuse.jsonl and the section")
    # the report does not grow with N: 600 documents
    corpus6 = os.path.join(tmp, "s600.jsonl")
    synthetic(corpus6, 600)
    out6 = os.path.join(tmp, "l600")
    p = run("compare", "--large-threshold", "100", "--no-reuse", "-o", out6, corpus6)
    check(p.returncode == 0, f"large mode on 600: {p.stderr.decode()}")
    if p.returncode == 0:
        size600 = os.path.getsize(os.path.join(out6, "report.html"))
        check(size600 < 1.25 * size300 + 50000,
              f"report.html does not grow with N: {size300} bytes for 300, {size600} for 600")
    # below the threshold: the usual outputs
    small = os.path.join(tmp, "small")
    p = run("compare", "-o", small, corpus)
    files = set(os.listdir(small)) if os.path.isdir(small) else set()
    check(p.returncode == 0 and "similarity.csv" in files and "neighbours.tsv" not in files
          and "dendrogram.svg" in files, f"below the threshold: the usual files {sorted(files)}")

    # hundreds of documents below the threshold: the document heatmap stays in heatmap.svg,
    # the report shows the clusters' one
    corpus5 = os.path.join(tmp, "s450.jsonl")
    synthetic(corpus5, 450, seed=11)
    out5 = os.path.join(tmp, "s450")
    p = run("compare", "--no-reuse", "-o", out5, corpus5)
    check(p.returncode == 0, f"450 documents: {p.stderr.decode()}")
    if p.returncode == 0:
        html = open(os.path.join(out5, "report.html"), encoding="utf-8").read()
        classes = [re.search(r'class="([^"]+)"', s).group(1) for s in svgs(html)]
        hm = ET.parse(os.path.join(out5, "heatmap.svg")).getroot()
        cells = [r for r in hm.iter("{http://www.w3.org/2000/svg}rect") if r.get("width") == r.get("height")]
        check("ct-heatmap" not in classes and "ct-matrix" in classes and "ct-dendrogram" in classes
              and "ct-map" in classes, f"450 documents: the clusters' heatmap inline: {classes}")
        check_block_heatmap(out5, 450)
        check(os.path.getsize(os.path.join(out5, "report.html")) < 0.5 * os.path.getsize(os.path.join(out5, "heatmap.svg")),
              "450 documents: the report is far smaller than the document heatmap")

    # --- part 2: 20 000 short reports ------------------------------------------------
    root = ctkit.shared_corpora()
    if not root:
        print("SKIP (part 2): ../shared/corpora is absent; the 20 000-report test needs it")
    else:
        import bench_compare_scale as bcs
        n = int(os.environ.get("CT_LARGE_DOCS", "20000"))
        paras = bcs.paragraphs(os.path.join(root, "gov-work-reports.jsonl"))
        big = os.path.join(tmp, "short.jsonl")
        bcs.make_corpus(big, n, paras)
        bids = [json.loads(l)["id"] for l in open(big, encoding="utf-8")]
        if keep:
            os.makedirs(keep, exist_ok=True)
        bo = os.path.join(keep or tmp, "compare-large")
        t0 = time.monotonic()
        p = run("compare", "--threads", "2", "-o", bo, big)
        dt = time.monotonic() - t0
        check(p.returncode == 0, f"compare on {n} short reports: {p.stderr.decode()[-2000:]}")
        if p.returncode == 0:
            rep = os.path.join(bo, "report.html")
            size = os.path.getsize(rep)
            print(f"{n} short reports: compare {dt:.1f} s, report.html {size / 1e6:.2f} MB, "
                  f"directory {sum(os.path.getsize(os.path.join(bo, f)) for f in os.listdir(bo)) / 1e6:.1f} MB",
                  flush=True)
            check(size < 20_000_000, f"report.html under 20 MB: {size} bytes")
            check_neighbours(os.path.join(bo, "neighbours.tsv"), n, 10, bids, f"neighbours.tsv of {n}")
            print("pairs at cosine >= 0.98: %d = %d near-duplicate notes + %d of exact duplicates"
                  % check_notes_pairs(bo, 0.98, f"notes of {n}"), flush=True)
            ref = subprocess.run([EXE, "similarity", "--threads", "2", "--top", "10", big],
                                 capture_output=True)
            check(open(os.path.join(bo, "neighbours.tsv"), "rb").read() == ref.stdout,
                  "neighbours.tsv equals comptext similarity --top 10")
            chromium = shutil.which("chromium") or shutil.which("chromium-browser")
            if not chromium:
                print("SKIP (rendering): chromium is not installed")
            else:
                shot = os.path.join(keep or tmp, "report-large.png")
                t0 = time.monotonic()
                q = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                    "--hide-scrollbars", "--window-size=1280,4000",
                                    "--screenshot=" + shot, "file://" + os.path.abspath(rep)],
                                   capture_output=True, timeout=300)
                ok = q.returncode == 0 and os.path.exists(shot) and os.path.getsize(shot) > 50_000
                check(ok, f"headless Chromium renders report.html: {q.returncode} "
                          f"{q.stderr.decode()[-500:]}")
                if ok:
                    print(f"rendered in {time.monotonic() - t0:.1f} s: {shot}"
                          f" ({os.path.getsize(shot)} bytes)", flush=True)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{checks} checks, {failures} failed")
sys.exit(1 if failures else 0)
