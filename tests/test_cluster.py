"""test_cluster.py — ct_cluster against scipy.cluster.hierarchy on random matrices.

For every linkage (average, complete, single, ward) and many random symmetric distance
matrices — continuous ones, and integer-valued ones full of ties — the merge list must equal
scipy's linkage() (ids and counts exactly, heights to 1e-12), the leaf order must equal
leaves_list(), and cutting into k clusters must give the same partition as
cut_tree(Z, n_clusters=k), numbered by first appearance in the leaf order. (fcluster's
'maxclust' is no reference: on four points with heights 1, 2, 3 it returns two clusters for
k = 3.) The library is called through
ctypes (LIBCOMPTEXT is the shared library built by meson)."""
import ctypes, os, sys

try:
    import numpy as np
    from scipy.cluster.hierarchy import linkage, leaves_list, cut_tree
    from scipy.spatial.distance import squareform
except ImportError as e:
    print(f"SKIP: scipy/numpy missing ({e}); bash .ci/install-deps --tests installs them")
    sys.exit(77)

lib = ctypes.CDLL(os.environ["LIBCOMPTEXT"])
P = ctypes.c_void_p
lib.ct_cluster_new.argtypes = [ctypes.POINTER(P), ctypes.POINTER(ctypes.c_double), ctypes.c_size_t, ctypes.c_int]
lib.ct_cluster_new.restype = ctypes.c_int
lib.ct_cluster_merges.argtypes = [P]
lib.ct_cluster_merges.restype = ctypes.POINTER(ctypes.c_double)
lib.ct_cluster_leaf_order.argtypes = [P]
lib.ct_cluster_leaf_order.restype = ctypes.POINTER(ctypes.c_size_t)
lib.ct_cluster_cut.argtypes = [P, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]
lib.ct_cluster_free.argtypes = [P]
lib.ct_cluster_silhouette.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t), ctypes.c_size_t, ctypes.POINTER(ctypes.c_double)]
lib.ct_cluster_suggest_k.argtypes = [P, ctypes.POINTER(ctypes.c_double)]
lib.ct_cluster_suggest_k.restype = ctypes.c_size_t
METHODS = ["average", "complete", "single", "ward"]
try:
    from sklearn.metrics import silhouette_score
except ImportError:
    silhouette_score = None

failures = 0
checks = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def ours(d, method):
    n = d.shape[0]
    c = P()
    arr = np.ascontiguousarray(d, dtype=np.float64)
    rc = lib.ct_cluster_new(ctypes.byref(c), arr.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), n, METHODS.index(method))
    assert rc == 0, rc
    z = np.ctypeslib.as_array(lib.ct_cluster_merges(c), shape=(n - 1, 4)).copy()
    order = np.ctypeslib.as_array(lib.ct_cluster_leaf_order(c), shape=(n,)).copy()
    cuts, sil = {}, {}
    for k in range(1, min(n, 20) + 1):
        lab = (ctypes.c_size_t * n)()
        lib.ct_cluster_cut(c, k, lab)
        cuts[k] = np.array(lab[:])
        if 2 <= k < n and k <= 10:
            score = ctypes.c_double()
            lib.ct_cluster_silhouette(arr.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), n, lab, k, ctypes.byref(score))
            sil[k] = score.value
    suggested = lib.ct_cluster_suggest_k(c, arr.ctypes.data_as(ctypes.POINTER(ctypes.c_double)))
    lib.ct_cluster_free(c)
    return z, order, cuts, sil, suggested


def silhouette_np(d, labels):
    """Mean silhouette (Rousseeuw; 0 for a point alone in its cluster), vectorised."""
    lab = np.asarray(labels)
    ks = np.unique(lab)
    onehot = (lab[:, None] == ks[None, :]).astype(float)
    size = onehot.sum(0)
    sums = d @ onehot  # distance sums to each cluster (self distance 0)
    own = np.searchsorted(ks, lab)
    n_own = size[own] - 1
    a = np.where(n_own > 0, sums[np.arange(len(lab)), own] / np.maximum(n_own, 1), 0)
    mean = sums / size[None, :]
    mean[np.arange(len(lab)), own] = np.inf
    b = mean.min(1)
    m = np.maximum(a, b)
    s = np.where((n_own > 0) & (m > 0), (b - a) / np.where(m > 0, m, 1), 0)
    return float(s.mean())


rng = np.random.default_rng(20261127)
cases = []
for t in range(40):
    n = int(rng.integers(2, 40))
    a = rng.random((n, n))
    d = (a + a.T) / 2
    np.fill_diagonal(d, 0)
    cases.append(("random", d))
for t in range(30):
    n = int(rng.integers(3, 25))
    a = rng.integers(1, 4, (n, n)).astype(float)
    d = np.triu(a, 1)
    d = d + d.T
    cases.append(("ties", d))
# Cosine distances of random non-negative vectors, as compare gives them.
for t in range(10):
    v = rng.random((30, 50)) ** 4
    v /= np.linalg.norm(v, axis=1)[:, None]
    d = np.clip(1 - v @ v.T, 0, None)
    np.fill_diagonal(d, 0)
    cases.append(("cosine", d))

for kind, d in cases:
    n = d.shape[0]
    for method in METHODS:
        checks += 1
        ref = linkage(squareform(d, checks=False), method=method)
        z, order, cuts, sil, suggested = ours(d, method)
        tag = f"{kind} n={n} {method}"
        if not np.array_equal(z[:, [0, 1, 3]], ref[:, [0, 1, 3]]):
            fail(f"{tag}: merges differ\nours\n{z}\nscipy\n{ref}")
            continue
        if np.max(np.abs(z[:, 2] - ref[:, 2])) > 1e-12:
            fail(f"{tag}: heights differ by {np.max(np.abs(z[:, 2] - ref[:, 2]))}")
        if not np.array_equal(order, leaves_list(ref)):
            fail(f"{tag}: leaf order {order} != {leaves_list(ref)}")
        h = ref[:, 2]
        for k, lab in cuts.items():
            # With tied heights at the cut, which of the tied merges to undo is a free choice.
            if k > 10 or (1 < k < n and h[n - k] == h[n - k - 1]):
                continue
            checks += 1
            want = cut_tree(ref, n_clusters=k)[:, 0]
            # Same partition (scipy numbers its clusters in another order); ours are numbered
            # by first appearance in the leaf order.
            same = len(set(zip(lab, want))) == k == len(set(want)) == len(set(lab))
            first = [int(lab[i]) for i in order]
            seen = list(dict.fromkeys(first))
            if not same or seen != list(range(1, k + 1)):
                fail(f"{tag}: cut k={k} {lab} != cut_tree {want} heights {h}")

        # silhouettes against scikit-learn's
        if silhouette_score is not None:
            for k, got in sil.items():
                checks += 1
                want = silhouette_score(d, cuts[k], metric="precomputed")
                if abs(got - want) > 1e-12:
                    fail(f"{tag}: silhouette k={k} {got} != sklearn {want}")
        # The suggested k: among the cuts into k = 2 .. min(n - 1, 20) groups that undo no
        # merge at height 0 and leave 2 to 10 groups of 2 or more documents, the one with the
        # best silhouette (the smaller k on a tie); 1 when there is none. The silhouettes are
        # numpy's here (fast; equal to scikit-learn's, checked above for k <= 10).
        checks += 1
        best, best_k, score_of = None, 1, {}
        for k in range(2, min(n - 1, 20) + 1):
            if not z[n - k, 2] > 0:
                break
            sizes = np.bincount(cuts[k])
            if not 2 <= int(np.sum(sizes >= 2)) <= 10:
                continue
            score_of[k] = silhouette_np(d, cuts[k])
            if best is None or score_of[k] > best + 1e-12:
                best, best_k = score_of[k], k
        if suggested != best_k and not (suggested in score_of and abs(score_of[suggested] - best) <= 1e-12):
            fail(f"{tag}: suggested k={suggested}, the rule gives {best_k} ({score_of})")

print(f"{checks} checks over {len(cases)} matrices x {len(METHODS)} linkages, {failures} failed")
sys.exit(1 if failures else 0)
