#!/usr/bin/env python3
"""test_tables_pandas.py — every table comptext writes loads in pandas with the read calls
README documents, and holds the values of the library's peers.

A JSON Lines corpus with hostile ids and terms (007, NA, nan, null, a leading ASCII quote, a
comma, a tab, an empty document) is run through ngrams, tf, tfidf, similarity --top, themes,
keyness, kwic and terms, each as TSV (read with sep='\\t', quoting=csv.QUOTE_NONE,
keep_default_na=False, float_precision='round_trip' and the text columns as str, then
unescaped) and as CSV (the same but sep and quoting): both frames are the same,
no record is lost (as many rows as lines after the header), the columns are the documented
ones, and the values are checked against the tokens (counts), scikit-learn (tfidf, to 1e-12),
the similarity matrix (--top) and the JSON outputs (themes, keyness). The Matrix Market
output loads with scipy.io.mmread and equals scikit-learn's matrix, its rows table lists
every document (the empty one too) and its columns table the terms with df and idf. A model
saved with --save-model and applied with --model equals TfidfVectorizer fit / transform to
1e-12 (also fitted on ../shared's 49 reports and applied to its 72, when present); a damaged model is an error naming the file. compare's map.csv and map-axes.csv load
with pandas' defaults. JSON outputs carry their parameters. Where R is installed, the
documented read.delim / read.csv calls read every record of the tfidf, kwic and ngrams
tables with the text columns intact, and Matrix::readMM reads the Matrix Market file."""
import csv
import collections
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

try:
    import numpy as np
    import pandas as pd
    import scipy.io
    from sklearn.feature_extraction.text import TfidfVectorizer, CountVectorizer
except ImportError as e:  # the peers are Debian packages; without them there is no check
    print(f"SKIP: {e}")
    sys.exit(ctkit.SKIP)

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)


# The documented read calls (README, "Tables").
TEXT = {c: str for c in ("id", "term", "neighbour", "left", "right", "members", "source")}


def unescape(s):
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), s)


def read_tsv(text):
    df = pd.read_csv(io.StringIO(text), sep="\t", quoting=csv.QUOTE_NONE,
                     keep_default_na=False, dtype=TEXT, float_precision="round_trip")
    for c in df.columns:
        if c in TEXT:
            df[c] = df[c].map(unescape)
    return df


def read_csv(text):
    return pd.read_csv(io.StringIO(text), keep_default_na=False, dtype=TEXT,
                       float_precision="round_trip")


def run(*args, ok=True):
    p = subprocess.run([ctkit.COMPTEXT, *args], capture_output=True)
    if ok and p.returncode != 0:
        print("FAIL: comptext", " ".join(args), "->", p.returncode, p.stderr.decode())
        sys.exit(1)
    return p


def both(args, columns):
    """Run a table command as TSV and as CSV; check shape and columns; return the frame."""
    tsv = run(*args, "--format", "tsv").stdout.decode()
    csv_text = run(*args, "--format", "csv").stdout.decode()
    a, b = read_tsv(tsv), read_csv(csv_text)
    name = args[0]
    check(list(a.columns) == columns, f"{name} TSV columns {list(a.columns)}")
    check(list(b.columns) == columns, f"{name} CSV columns {list(b.columns)}")
    check(len(a) == tsv.count("\n") - 1, f"{name} TSV: {len(a)} rows for {tsv.count(chr(10)) - 1} lines")
    check(a.equals(b), f"{name}: the TSV and the CSV frames differ\n{a.head()}\n{b.head()}")
    return a


DOCS = [
    ("007", '前"社区建设 null nan na none 社区服务'),
    ("NA", "社区服务 居民自治 nan nan 养老服务"),
    ("nan", '"社区网格 管理 null 007 服务 社区'),
    ('"quoted', "居民自治 社区建设 养老服务 养老"),
    ("a,b", "网格化管理 社区 网格 服务"),
    ("tab\there", "社区\t建设\n服务 na 居家养老"),
    ("empty", ""),
]
OTHER = [
    ("x1", "社区建设 养老服务 新词汇"),
    ("x2", "null 网格 社区服务 社区"),
    ("x3", ""),
]

tmp = tempfile.mkdtemp(prefix="ct-tables-")
corpus = os.path.join(tmp, "hostile.jsonl")
other = os.path.join(tmp, "other.jsonl")
for path, docs in ((corpus, DOCS), (other, OTHER)):
    with open(path, "w", encoding="utf-8") as f:
        for i, t in docs:
            f.write(json.dumps({"id": i, "text": t, "city": "NA" if i == "007" else "c" + i}) + "\n")
ids = [d for d, _ in DOCS]
texts = dict(DOCS)
# --keep-chrome: these texts are lists of short words between spaces, which are site menus
# (page chrome) by comptext/chrome.h's rules; this test is about the tables.
COMMON = ["--stopwords", "none", "-n", "1-2", "--keep-chrome"]
# The weighting commands compared with scikit-learn's defaults say so (comptext's own default
# is sublinear TF).
RAW = ["--no-sublinear-tf"]


def tokens(path, *extra):
    out = run("tokens", *extra, path).stdout.decode().splitlines()
    return [json.loads(line)["tokens"] for line in out]


toks = tokens(corpus, *COMMON)
check([json.loads(line)["id"] for line in run("tokens", corpus).stdout.decode().splitlines()] == ids,
      "the corpus reads with its hostile ids")

# ngrams: term, count — the corpus's token counts.
ng = both(["ngrams", *COMMON, corpus], ["term", "count"])
counted = collections.Counter(t for d in toks for t in d)
check(dict(zip(ng["term"], ng["count"])) == dict(counted), "ngrams counts are the tokens' counts")
check({"null", "nan", "na", "none", "007"} <= set(ng["term"]), "null/nan/na/none/007 stay terms")
check(ng["count"].dtype.kind == "i", "ngrams count column is integer")

# tf: id, term, count.
tf = both(["tf", *COMMON, corpus], ["id", "term", "count"])
expect = {(d, t): c for d, tk in zip(ids, toks) for t, c in collections.Counter(tk).items()}
check({(a, b): c for a, b, c in tf.itertuples(index=False)} == expect, "tf entries are the counts")
check("007" in set(tf["id"]) and "NA" in set(tf["id"]) and "tab\there" in set(tf["id"]),
      "ids 007, NA and a tab survive")

# tfidf: id, term, weight — scikit-learn's.
vec = TfidfVectorizer(analyzer=lambda d: d, lowercase=False)
X = vec.fit_transform(toks).tocsr()
terms = list(vec.get_feature_names_out())
tfidf = both(["tfidf", *COMMON, *RAW, corpus], ["id", "term", "weight"])
sk = {(ids[i], terms[X.indices[p]]): X.data[p] for i in range(X.shape[0])
      for p in range(X.indptr[i], X.indptr[i + 1])}
ours = {(a, b): w for a, b, w in tfidf.itertuples(index=False)}
check(ours.keys() == sk.keys(), "tfidf entries are scikit-learn's")
check(max(abs(ours[k] - sk[k]) for k in sk) < 1e-12, "tfidf weights equal scikit-learn's to 1e-12")

# similarity --top: id, neighbour, score — the matrix's best.
top = both(["similarity", "--top", "2", *COMMON, *RAW, corpus], ["id", "neighbour", "score"])
S = (X @ X.T).toarray()
for d, n, s in top.itertuples(index=False):
    check(abs(S[ids.index(d), ids.index(n)] - s) < 1e-12, f"--top score {d} {n}")
check(len(top) == 2 * len(ids), "--top 2: two rows a document")

# similarity's matrix (CSV with an id column and an id a column), with README's call.
sm = pd.read_csv(io.StringIO(run("similarity", *COMMON, *RAW, corpus).stdout.decode()),
                 keep_default_na=False, float_precision="round_trip", converters={0: str})
sm = sm.set_index(sm.columns[0]).rename_axis(None)
check(list(sm.index) == ids and list(sm.columns) == ids, f"similarity.csv ids {list(sm.index)}")
check(np.max(np.abs(sm.to_numpy() - np.where(np.eye(len(ids)) * (S.diagonal() > 0), 1, S))) < 1e-12,
      "similarity.csv equals the cosine matrix")

# kwic: id, offset, left, term, right — the original text at the offset.
kw = both(["kwic", "--term", "社区", "--window", "2", "--keep-chrome", corpus],
          ["id", "offset", "left", "term", "right"])
check(len(kw) == sum(t.count("社区") for t in texts.values()), f"kwic: every occurrence ({len(kw)})")
for d, off, left, term, right in kw.itertuples(index=False):
    check(texts[d][off:off + 2] == "社区" and texts[d][:off].endswith(left.replace("\n", "\n")),
          f"kwic {d}:{off} left {left!r}")
check(any(l.startswith('"') for l in kw["left"]), "a left context begins with a quote and survives")
check(any("\t" in r or "\n" in r for r in kw["right"]) or any("\n" in l for l in kw["left"]),
      "a tab or newline in a context survives")

# keyness: term, statistic, p, effect, n_target, n_reference, docs_target, docs_reference,
# dp, statistic_without_top — the JSON's numbers (a one-document target: 0 without top).
ky = both(["keyness", "--target", "007", "--units", "ngrams", *COMMON, corpus],
          ["term", "statistic", "p", "effect", "n_target", "n_reference", "docs_target",
           "docs_reference", "dp", "statistic_without_top"])
kj = json.loads(run("keyness", "--target", "007", "--units", "ngrams", *COMMON, "--format",
                    "json", corpus).stdout)
check(list(ky["term"]) == [t["term"] for t in kj["terms"]] and
      all(ky["statistic"] == [t["statistic"] for t in kj["terms"]]) and
      all(ky["dp"] == [t["dp"] for t in kj["terms"]]) and
      all(ky["docs_target"] == [t["docs_target"] for t in kj["terms"]]) and
      (ky["statistic_without_top"] == 0).all(), "keyness table = its JSON")
check(kj["parameters"]["command"] == "keyness" and kj["parameters"]["target_spec"] == "007",
      "keyness JSON carries its parameters")

# themes: id, term, score — the JSON's.
th = both(["themes", "--units", "ngrams", "--min-count", "1", *COMMON, corpus], ["id", "term", "score"])
tj = json.loads(run("themes", "--units", "ngrams", "--min-count", "1", *COMMON, corpus).stdout)
check([(a, b, c) for a, b, c in th.itertuples(index=False)] ==
      [(d["id"], t["term"], t["score"]) for d in tj for t in d["themes"]], "themes table = its JSON")

# terms: six columns, TSV = CSV (checked by both()).
tm = both(["terms", "--min-freq", "2", "--min-segments", "0", "--min-entropy", "0",
           "--entropy-share", "0", "--stopwords", "none", corpus],
          ["term", "count", "segments", "cohesion", "h_left", "h_right"])
check((tm["count"] >= tm["segments"]).all(), "terms: count >= segments")

for cmd in ("tf", "tfidf"):
    js = json.loads(run(cmd, *COMMON, "--format", "json", corpus).stdout)
    check([d["id"] for d in js["documents"]] == ids, f"{cmd} JSON lists every document, the empty one too")
# JSON outputs carry their parameters.
for cmd in (["ngrams"], ["tf"], ["tfidf"], ["similarity"]):
    obj = json.loads(run(*cmd, *COMMON, "--format", "json", corpus).stdout)
    check(obj["parameters"]["command"] == cmd[0] and obj["parameters"]["ngram_range"] == [1, 2],
          f"{cmd[0]} JSON carries its parameters")

# --- Matrix Market ------------------------------------------------------------------------
mtx = os.path.join(tmp, "w.mtx")
run("tfidf", *COMMON, *RAW, "--format", "mtx", "-o", mtx, corpus)
M = scipy.io.mmread(mtx).tocsr()
check(M.shape == X.shape and abs(M - X).max() < 1e-12, "tfidf.mtx equals scikit-learn's matrix")
rows = pd.read_csv(os.path.join(tmp, "w.rows.tsv"), sep="\t", quoting=csv.QUOTE_NONE,
                   keep_default_na=False, dtype=TEXT, float_precision="round_trip")
check([unescape(i) for i in rows["id"]] == ids, f"rows table lists every document: {list(rows['id'])}")
check(list(rows["row"]) == list(range(1, len(ids) + 1)), "rows numbered as the matrix")
check(list(rows.columns[:4]) == ["row", "id", "source", "n_terms"] and "city" in rows.columns,
      f"rows table columns {list(rows.columns)}")
check(rows["n_terms"].iloc[-1] == 0 and M[len(ids) - 1].nnz == 0, "the empty document is a row")
check(rows["city"].iloc[0] == "NA", "metadata NA stays text")
cols = pd.read_csv(os.path.join(tmp, "w.cols.tsv"), sep="\t", quoting=csv.QUOTE_NONE,
                   keep_default_na=False, dtype=TEXT, float_precision="round_trip")
check(list(cols.columns) == ["col", "term", "df", "idf"], f"cols table columns {list(cols.columns)}")
check(list(cols["term"]) == terms, "cols table terms are scikit-learn's vocabulary, in order")
check(np.max(np.abs(cols["idf"].to_numpy() - vec.idf_)) < 1e-12, "cols idf = scikit-learn's idf_")
check(list(cols["df"]) == list(np.asarray((X > 0).sum(axis=0)).ravel()), "cols df")
# --group-by: a row a group, its members and the metadata they share.
run("tf", *COMMON, "--group-by", "city", "--format", "mtx", "-o", os.path.join(tmp, "g.mtx"), corpus)
grows = pd.read_csv(os.path.join(tmp, "g.rows.tsv"), sep="\t", quoting=csv.QUOTE_NONE,
                    keep_default_na=False, dtype=TEXT)
check(list(grows.columns) == ["row", "id", "n_members", "members", "n_terms", "city"],
      f"grouped rows table columns {list(grows.columns)}")
check(grows["id"].iloc[0] == "NA" and grows["members"].iloc[0] == "007" and
      len(grows) == len(ids) and scipy.io.mmread(os.path.join(tmp, "g.mtx")).shape[0] == len(ids),
      f"grouped rows: {grows[['id', 'members']].values.tolist()}")
run("tf", *COMMON, "--format", "mtx", "-o", os.path.join(tmp, "c.mtx"), corpus)
C = scipy.io.mmread(os.path.join(tmp, "c.mtx")).tocsr()
cv = CountVectorizer(analyzer=lambda d: d, lowercase=False)
check(C.dtype.kind == "i" and (C != cv.fit_transform(toks)).nnz == 0, "tf.mtx: integer counts = CountVectorizer's")
p = run("tfidf", "--format", "mtx", corpus, ok=False)
check(p.returncode == 2 and b"-o" in p.stderr, "--format mtx without -o is a usage error")

# --- fit / transform ---------------------------------------------------------------------
other_toks = tokens(other, *COMMON)
for extra, kw in ((RAW, {}), ([], {"sublinear_tf": True}),
                  (["--sublinear-tf", "--norm", "l1", "--min-df", "2"],
                             {"sublinear_tf": True, "norm": "l1", "min_df": 2}),
                  (RAW + ["--no-smooth-idf", "--max-df", "0.5"], {"smooth_idf": False, "max_df": 0.5})):
    model = os.path.join(tmp, "model.json")
    fit = run("tfidf", *COMMON, *extra, "--save-model", model, corpus).stdout.decode()
    applied = run("tfidf", "--model", model, "--keep-chrome", other).stdout.decode()
    v = TfidfVectorizer(analyzer=lambda d: d, lowercase=False, **kw).fit(toks)
    Y = v.transform(other_toks).tocsr()
    names = list(v.get_feature_names_out())
    oids = [d for d, _ in OTHER]
    want = {(oids[i], names[Y.indices[q]]): Y.data[q] for i in range(Y.shape[0])
            for q in range(Y.indptr[i], Y.indptr[i + 1])}
    got = {(a, b): w for a, b, w in read_tsv(applied).itertuples(index=False)}
    label = " ".join(extra) or "(defaults)"
    check(got.keys() == want.keys(), f"--model {label}: the entries of fit/transform")
    check(max([abs(got[k] - want[k]) for k in want] or [0]) < 1e-12,
          f"--model {label}: weights equal scikit-learn's fit/transform to 1e-12")
    again = run("tfidf", "--model", model, *[a for a in COMMON if a not in ("-n", "1-2", "--stopwords", "none")], corpus).stdout.decode()
    check(again == fit, f"--model {label} on the fitting corpus gives the fitted weights")
    m = json.load(open(model, encoding="utf-8"))
    check(m["terms"] == names and m["parameters"]["command"] == "tfidf", "model terms and parameters")
    mm = os.path.join(tmp, "o.mtx")
    run("tfidf", "--model", model, "--keep-chrome", "--format", "mtx", "-o", mm, other)
    check(abs(scipy.io.mmread(mm).tocsr() - Y).max() < 1e-12, "--model --format mtx")
    rows = pd.read_csv(os.path.join(tmp, "o.rows.tsv"), sep="\t", quoting=csv.QUOTE_NONE,
                       keep_default_na=False, dtype=TEXT)
    check(list(rows["id"]) == oids, "--model rows table keeps the empty document")
# The model carries its stopword list: applied after the list's file is gone, it tokenises
# as the fit did.
swfile = os.path.join(tmp, "stop.txt")
open(swfile, "w", encoding="utf-8").write("# mine\r\n服务\r\n  养老 \nnull\n")
swmodel = os.path.join(tmp, "sw-model.json")
fit = run("tfidf", "-n", "1-2", "--stopwords", swfile, "--save-model", swmodel, corpus).stdout
check(json.load(open(swmodel, encoding="utf-8"))["parameters"]["stop_words"] ==
      ["# mine", "服务", "  养老 ", "null"], "the model holds the stopword list's lines")
os.remove(swfile)
check(run("tfidf", "--model", swmodel, corpus).stdout == fit,
      "a model whose stopword file is gone still weighs as the fit did")
sw_terms = set(read_tsv(fit.decode())["term"])
check(not ({"服务", "养老", "null"} & sw_terms), "the stopwords are out of the fit")
p = run("tfidf", "--model", model, "-n", "2", other, ok=False)
check(p.returncode == 2 and b"--model" in p.stderr, "-n with --model is a usage error")
text = open(model, encoding="utf-8").read()
out = os.path.join(tmp, "never.tsv")
for name, damaged in (("truncated", text[: len(text) // 2]),
                      ("foreign", json.dumps({"format": "something-else"})),
                      ("mismatched", text.replace('"idf": [', '"idf": [1, ', 1)),
                      ("unsorted", json.dumps(dict(m, terms=m["terms"][::-1])))):
    bad = os.path.join(tmp, name + ".json")
    open(bad, "w", encoding="utf-8").write(damaged)
    p = run("tfidf", "--model", bad, "-o", out, other, ok=False)
    check(p.returncode == 1 and bad.encode() in p.stderr and b"model" in p.stderr,
          f"a {name} model is an error naming the file: {p.returncode} {p.stderr!r}")
    check(not os.path.exists(out), f"a {name} model writes nothing")

# --- fit / transform on the real corpora: fit on the 49 reports, apply to the 72 ---------
shared = ctkit.shared_corpora()
if not shared:
    print("note: ../shared/corpora is absent; fit/transform on the real corpora not checked")
else:
    folder = os.path.join(shared, "gov-reports-txt")
    jsonl = os.path.join(shared, "gov-work-reports.jsonl")
    model = os.path.join(tmp, "gov.json")
    run("tfidf", "--quiet", "-n", "2-3", "--min-df", "2", *RAW, "--save-model", model, "-o",
        os.path.join(tmp, "fit.tsv"), folder)
    mm = os.path.join(tmp, "gov.mtx")
    run("tfidf", "--quiet", "--model", model, "--text-field", "content", "--format", "mtx",
        "-o", mm, jsonl)
    fit_toks = tokens(folder, "-n", "2-3")
    apply_toks = tokens(jsonl, "-n", "2-3", "--text-field", "content")
    v = TfidfVectorizer(analyzer=lambda d: d, lowercase=False, min_df=2).fit(fit_toks)
    Y = v.transform(apply_toks).tocsr()
    G = scipy.io.mmread(mm).tocsr()
    diff = abs(G - Y).max() if G.shape == Y.shape else float("inf")
    check(diff < 1e-12, f"real corpora: --model equals fit/transform (max |diff| {diff:.2g})")
    cols = pd.read_csv(mm[:-4] + ".cols.tsv", sep="\t", quoting=csv.QUOTE_NONE,
                       keep_default_na=False, dtype=TEXT, float_precision="round_trip")
    check(list(cols["term"]) == list(v.get_feature_names_out()) and
          np.max(np.abs(cols["idf"].to_numpy() - v.idf_)) < 1e-12, "real corpora: the model's terms and idf")
    print(f"ok   fit on gov-reports-txt, applied to gov-work-reports: {Y.shape[0]} x {Y.shape[1]}, "
          f"{Y.nnz} entries, max |diff| {diff:.2g}")

# --- R: the documented read.delim / read.csv calls and Matrix::readMM ----------------------
if not shutil.which("Rscript"):
    print("note: Rscript is absent (r-base-core); the R read calls are not checked")
else:
    files = {}
    for name, args, text_cols in (("tfidf", ["tfidf", *COMMON, corpus], ["id", "term"]),
                                  ("kwic", ["kwic", "--term", "社区", "--window", "2", corpus],
                                   ["id", "left", "term", "right"]),
                                  ("ngrams", ["ngrams", *COMMON, corpus], ["term"])):
        for fmt in ("tsv", "csv"):
            path = os.path.join(tmp, f"r-{name}.{fmt}")
            open(path, "wb").write(run(*args, "--format", fmt).stdout)
            files[path] = text_cols
    script = ['library(Matrix)']
    for path, cols in files.items():
        reader = "read.delim" if path.endswith(".tsv") else "read.csv"
        quote = 'quote = "", ' if path.endswith(".tsv") else ""
        classes = ", ".join(f'{c} = "character"' for c in cols)
        script.append(f'd <- {reader}("{path}", {quote}na.strings = character(0), '
                      f'encoding = "UTF-8", colClasses = c({classes}))')
        # each text cell as its UTF-8 bytes in decimal, so that nothing in it can confuse
        # the way back; one line a row, cells separated by commas
        cells = ", ".join(f'sapply(d${c}, function(s) paste(as.integer(charToRaw(enc2utf8(s))), '
                          f'collapse = " "))' for c in cols)
        script.append(f'writeLines(paste(nrow(d)), "{path}.n")')
        if "tfidf" in path:
            script.append(f'writeLines(sprintf("%.17g", d$weight), "{path}.w")')
        script.append(f'writeLines(if (nrow(d)) do.call(paste, c(list({cells}), sep = ",")) '
                      f'else character(0), "{path}.r")')
    script.append(f'm <- readMM("{mtx}"); cat(dim(m), nnzero(m), "\\n", file = "{mtx}.r")')
    r = subprocess.run(["Rscript", "-e", "\n".join(script)], capture_output=True, text=True)
    check(r.returncode == 0, f"Rscript: {r.stderr[-500:]}")
    for path, cols in files.items():
        if r.returncode != 0:
            break
        want = read_tsv(open(path, encoding="utf-8").read()) if path.endswith(".tsv") else \
            read_csv(open(path, encoding="utf-8").read())
        got = [[bytes(int(b) for b in cell.split()).decode("utf-8") for cell in line.split(",")]
               for line in open(path + ".r").read().split("\n")[:-1]]
        n_r = int(open(path + ".n").read())
        # R's call does not undo the TSV escapes (nor does pandas'): a TSV is compared with
        # its own fields as written, a CSV with the text itself
        if path.endswith(".tsv"):
            raw = [l.split("\t") for l in open(path, encoding="utf-8").read().split("\n")[1:-1]]
            expect = [[x[list(want.columns).index(c)] for c in cols] for x in raw]
        else:
            expect = [[getattr(x, c) for c in cols] for x in want.itertuples(index=False)]
        rows_ok = got == expect
        check(n_r == len(want) and len(got) == len(want),
              f"R reads every record of {os.path.basename(path)} ({n_r} of {len(want)})")
        if "tfidf" in path:
            w = np.array([float(x) for x in open(path + ".w").read().split()])
            check(len(w) == len(want) and np.max(np.abs(w - want["weight"].to_numpy())) < 1e-15,
                  f"R reads the weights of {os.path.basename(path)}")
        check(rows_ok, f"R's text columns of {os.path.basename(path)} are the file's")
    if r.returncode == 0:
        check(open(mtx + ".r").read().split() == [str(M.shape[0]), str(M.shape[1]), str(M.nnz)],
              "Matrix::readMM reads the Matrix Market file")

# --- compare's map ------------------------------------------------------------------------
cdir = os.path.join(tmp, "cmp")
run("compare", "-o", cdir, ctkit.CITIES)
mp = pd.read_csv(os.path.join(cdir, "map.csv"))
check(list(mp.columns) == ["id", "x", "y"] and mp["x"].dtype.kind == "f", f"map.csv with pandas' defaults: {list(mp.columns)}")
ax = pd.read_csv(os.path.join(cdir, "map-axes.csv"))
check(list(ax["axis"]) == ["x", "y"] and 0 < ax["variance_share"].sum() <= 1 + 1e-12, "map-axes.csv")
kt = os.path.join(cdir, "clusters.tsv")
cl = pd.read_csv(kt, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=TEXT)
check(list(cl.columns) == ["id", "cluster"], "clusters.tsv")

print(f"{failures} failure(s)" if failures else "ok   every table loads in pandas and holds its peers' values")
sys.exit(1 if failures else 0)
