"""sklearn_tfidf.py — comptext tfidf and similarity against scikit-learn.

The tokens printed by `comptext tokens` for a corpus are fed to
TfidfVectorizer(analyzer=lambda d: d, lowercase=False) with the same options, and every
entry of `comptext tfidf` must be within 1e-9 of scikit-learn's (and the sets of non-zero
entries must be equal), for the defaults, --sublinear-tf, --no-smooth-idf, --no-idf,
--norm l1/none, several --min-df/--max-df bounds (integers and proportions) and
--max-features (at cuts where scikit-learn's order is defined: no tie in total count across
the cut). The similarity matrix must equal sklearn.metrics.pairwise.cosine_similarity of
scikit-learn's matrix, Jaccard must equal |A∩B|/|A∪B| computed here from the token sets,
--top K must list the best K of that matrix, and --group-by must equal TF-IDF of the
members' tokens put together. Runs on corpora/cities always and on the shared corpora
(../shared/corpora) when present (argument --shared: skip with 77 when absent)."""
import os
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

TOL = 1e-9
checks = 0


def sk_kwargs(args):
    """comptext weighting options → TfidfVectorizer keyword arguments."""
    kw = {}
    it = iter(args)
    for a in it:
        if a in ("--min-df", "--max-df"):
            v = next(it)
            kw[a[2:].replace("-", "_")] = float(v) if "." in v else int(v)
        elif a == "--max-features":
            kw["max_features"] = int(next(it))
        elif a == "--norm":
            v = next(it)
            kw["norm"] = None if v == "none" else v
        elif a == "--sublinear-tf":
            kw["sublinear_tf"] = True
        elif a == "--no-sublinear-tf":
            kw["sublinear_tf"] = False
        elif a == "--no-smooth-idf":
            kw["smooth_idf"] = False
        elif a == "--no-idf":
            kw["use_idf"] = False
        else:
            raise ValueError(a)
    kw.setdefault("sublinear_tf", True)  # comptext's default (README, measured)
    return kw


def explicit(v):
    """A variant written for scikit-learn's raw-count default, with that default now said
    explicitly (comptext's own default is sublinear TF)."""
    return v if "--sublinear-tf" in v else ["--no-sublinear-tf"] + v


def sk_fit(toks, kw):
    vec = TfidfVectorizer(analyzer=lambda d: d, lowercase=False, **kw)
    X = vec.fit_transform(toks)
    return vec, X.tocsr()


def sk_entries(ids, vec, X):
    terms = vec.get_feature_names_out()
    out = {}
    for i in range(X.shape[0]):
        for p in range(X.indptr[i], X.indptr[i + 1]):
            if X.data[p] != 0:
                out[(ids[i], terms[X.indices[p]])] = X.data[p]
    return out


def compare_entries(label, ours, theirs):
    global checks
    checks += 1
    if set(ours) != set(theirs):
        only_o = sorted(set(ours) - set(theirs))[:5]
        only_t = sorted(set(theirs) - set(ours))[:5]
        ctkit.fail("%s: non-zero entries differ (%d vs %d); only comptext: %r; only "
                   "scikit-learn: %r" % (label, len(ours), len(theirs), only_o, only_t))
    worst = max((abs(ours[k] - theirs[k]) for k in ours), default=0.0)
    if worst > TOL:
        ctkit.fail("%s: largest difference %.3g > %g" % (label, worst, TOL))
    print("ok   %-60s %7d entries, max |diff| %.2g" % (label, len(ours), worst))


def compare_matrix(label, ids, ours, theirs):
    global checks
    checks += 1
    a, b = np.array(ours), np.asarray(theirs)
    if a.shape != b.shape:
        ctkit.fail("%s: shape %r vs %r" % (label, a.shape, b.shape))
    if not np.all(np.isfinite(a)):
        ctkit.fail("%s: non-finite similarity" % label)
    worst = float(np.max(np.abs(a - b))) if a.size else 0.0
    if worst > TOL:
        ctkit.fail("%s: largest difference %.3g > %g" % (label, worst, TOL))
    print("ok   %-60s %4d x %-4d max |diff| %.2g" % (label, len(ids), len(ids), worst))


def no_tie_cuts(toks, kw, limit=8):
    """max_features values where the ranking by total count has no tie across the cut."""
    vec, X = sk_fit(toks, dict(kw, norm=None, use_idf=False))
    totals = np.sort(np.asarray(X.sum(axis=0)).ravel())[::-1]
    cuts = []
    for target in (1, 10, 100, 1000, 5000):
        n = target
        while n < len(totals) and totals[n - 1] == totals[n]:
            n += 1
        if n < len(totals) and n not in cuts:
            cuts.append(n)
    return cuts[:limit]


def check_corpus(name, corpus_args, heavy):
    ids, toks = ctkit.tokens(corpus_args)
    variants = [[], ["--sublinear-tf"], ["--no-smooth-idf"], ["--no-idf"], ["--norm", "l1"],
                ["--norm", "none"], ["--sublinear-tf", "--no-smooth-idf", "--norm", "l1"],
                ["--min-df", "2"], ["--max-df", "0.5"], ["--min-df", "0.05", "--max-df", "5"],
                ["--min-df", "2", "--max-df", "0.9", "--norm", "none"],
                ["--min-df", "0.25", "--max-df", "0.75", "--sublinear-tf"],
                ["--max-df", "3"], ["--min-df", "0.0", "--max-df", "1.0"]]
    if not heavy:
        variants = variants[:3] + variants[4:6] + variants[7:10] + variants[11:12]
    for cut in no_tie_cuts(toks, {}, limit=5 if heavy else 2):
        variants.append(["--max-features", str(cut)])
    variants.append(["--min-df", "2", "--max-features", str(no_tie_cuts(toks, {"min_df": 2})[-1])])
    # Every variant as written for scikit-learn's defaults, plus comptext's own defaults.
    variants = [explicit(v) for v in variants] + [[]]
    for v in variants:
        _, out, _ = ctkit.run(["tfidf"] + v + corpus_args)
        vec, X = sk_fit(toks, sk_kwargs(v))
        compare_entries("%s tfidf %s" % (name, " ".join(v) or "(defaults)"),
                        ctkit.read_entries(out), sk_entries(ids, vec, X))

    # Similarity: cosine of scikit-learn's matrix, for two weightings.
    for v in (["--no-sublinear-tf"], [], ["--sublinear-tf", "--norm", "none", "--min-df", "2"]):
        _, out, _ = ctkit.run(["similarity"] + v + corpus_args)
        sids, S = ctkit.read_matrix_csv(out)
        if sids != ids:
            ctkit.fail("%s similarity: ids differ from the tokens' ids" % name)
        vec, X = sk_fit(toks, sk_kwargs(v))
        compare_matrix("%s similarity %s" % (name, " ".join(v) or "(defaults)"), ids, S,
                       cosine_similarity(X))
        # --top K: the K best of each row of that matrix, ties by id in byte order.
        K = min(3, len(ids) - 1)
        _, top, _ = ctkit.run(["similarity", "--top", str(K)] + v + corpus_args)
        lines = [l.split("\t") for l in top.splitlines()]
        if lines[:1] != [["id", "neighbour", "score"]]:
            ctkit.fail("similarity --top: header row %r" % lines[:1])
        lines = lines[1:]
        expect = []
        for i, d in enumerate(ids):
            others = sorted((j for j in range(len(ids)) if j != i), key=lambda j: (-S[i][j], ids[j]))
            expect += [[d, ids[j], S[i][j]] for j in others[:K]]
        global checks
        checks += 1
        if [[a, b] for a, b, _ in lines] != [[a, b] for a, b, _ in expect] or \
                any(float(l[2]) != e[2] for l, e in zip(lines, expect)):
            ctkit.fail("%s similarity --top %d %s: not the K best of the matrix" % (name, K, v))
        print("ok   %-60s %d rows" % ("%s similarity --top %d %s" % (name, K, " ".join(v)), len(lines)))

    # Jaccard on the sets of terms.
    _, out, _ = ctkit.run(["similarity", "--measure", "jaccard"] + corpus_args)
    _, J = ctkit.read_matrix_csv(out)
    sets = [set(t) for t in toks]
    expect = [[(1.0 if sets[i] else 0.0) if i == j else
               (len(sets[i] & sets[j]) / len(sets[i] | sets[j]) if sets[i] | sets[j] else 0.0)
               for j in range(len(ids))] for i in range(len(ids))]
    compare_matrix("%s similarity --measure jaccard" % name, ids, J, expect)


def check_groups():
    """--group-by province on the cities: TF-IDF of the members' tokens put together."""
    ids, toks = ctkit.tokens([ctkit.CITIES])
    province = {r["id"]: r["province"] for r in ctkit.manifest_rows(ctkit.CITIES)}
    groups, gtoks = [], []
    for d, t in zip(ids, toks):
        if province[d] not in groups:
            groups.append(province[d])
            gtoks.append([])
        gtoks[groups.index(province[d])].extend(t)
    for v in (["--no-sublinear-tf"], [], ["--sublinear-tf", "--norm", "l1"]):
        _, out, _ = ctkit.run(["tfidf", "--group-by", "province"] + v + [ctkit.CITIES])
        vec, X = sk_fit(gtoks, sk_kwargs(v))
        compare_entries("cities tfidf --group-by province %s" % " ".join(v),
                        ctkit.read_entries(out), sk_entries(groups, vec, X))
    for v in (["--no-sublinear-tf"], []):
        _, out, _ = ctkit.run(["similarity", "--group-by", "province"] + v + [ctkit.CITIES])
        sids, S = ctkit.read_matrix_csv(out)
        if sids != groups:
            ctkit.fail("group order: %r, expected first appearance %r" % (sids, groups))
        vec, X = sk_fit(gtoks, sk_kwargs(v))
        compare_matrix("cities similarity --group-by province %s" % " ".join(v), groups, S,
                       cosine_similarity(X))


def main():
    shared = "--shared" in sys.argv
    if not shared:
        check_corpus("cities", [ctkit.CITIES], heavy=True)
        check_groups()
    else:
        root = ctkit.shared_corpora()
        if not root:
            print("SKIP: %s is absent; the shared corpora are not in a fresh clone"
                  % os.path.join(ctkit.SHARED, "corpora"))
            return ctkit.SKIP
        check_corpus("gov-work-reports.jsonl",
                     ["--text-field", "content", os.path.join(root, "gov-work-reports.jsonl")],
                     heavy=False)
    print("%d comparisons, all within %g" % (checks, TOL))
    return 0


if __name__ == "__main__":
    sys.exit(main())
