#!/usr/bin/python3
"""compare's large mode (issue 13) against its full mode on the same 1 200 short reports
(each 3-5 paragraphs of one year's government work report, ../shared/corpora), with the
large mode forced by a threshold of 100 rows (compare_probe runs the library both ways):

- the large mode keeps no N x N matrix and no tree; its neighbour lists equal the full
  mode's (the same rows, the same scores bit for bit);
- its cluster similarity equals the mean cosine of the full matrix over the clusters'
  pairs (self-pairs left out on the diagonal);
- its silhouette (the sample is every row at this size) equals scikit-learn's
  silhouette_score on the full matrix's distances for its labels;
- the cut keeps the rule: 2 to 10 clusters of at least two documents;
- its top pairs and near-duplicate notes equal the full mode's;
- its map (landmark MDS) keeps the cosine distances about as well as full MDS: the
  Spearman correlation of map distances with 1 - cos within 0.05 of full MDS's, and a
  Procrustes disparity from the full map below 0.25 (a random map gives about 1);
- its clusters recover the reports' years about as well as the full mode's or better
  (normalised mutual information, scikit-learn, at most 0.05 below; measured 0.66 and 0.63).
The large mode is the same on 1 and 3 threads.
Then `comptext compare --full-matrix` under an address-space limit too small for the
matrices ends with exit 1 and a message naming the size and the option, writing nothing.
Skips (77) when ../shared or scikit-learn is absent."""
import json, os, resource, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
import ctkit  # noqa: E402
import bench_compare_scale as bench  # noqa: E402

EXE = os.environ['COMPTEXT']
PROBE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(EXE), '..', '..',
                                                           'tests', 'compare_probe')


def main():
    try:
        import numpy as np
        from scipy.spatial import procrustes
        from scipy.stats import spearmanr
        from sklearn.metrics import normalized_mutual_info_score, silhouette_score
    except ImportError as e:
        print('SKIP: needs numpy, scipy and scikit-learn (%s)' % e)
        return 77
    root = ctkit.shared_corpora()
    if not root:
        print('SKIP: ../shared/corpora is absent')
        return 77
    by_year = bench.paragraphs(os.path.join(root, 'gov-work-reports.jsonl'))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, 'short.jsonl')
        bench.make_corpus(corpus, 1200, by_year)
        years = [json.loads(line)['year'] for line in open(corpus, encoding='utf-8')]
        p = subprocess.run([PROBE, corpus, '100', tmp], capture_output=True, text=True)
        if p.returncode != 0:
            ctkit.fail('compare_probe failed: ' + p.stderr)
        F = json.load(open(os.path.join(tmp, 'full.json')))
        L = json.load(open(os.path.join(tmp, 'large.json')))
        n = F['rows']
        S = np.fromfile(os.path.join(tmp, 'full.sim')).reshape(n, n)
        ok = True

        def check(cond, what):
            nonlocal ok
            print(('ok   ' if cond else 'FAIL ') + what)
            ok = ok and cond

        check(L['large'] == 1 and F['large'] == 0, 'the modes are as asked')
        check(L['similarity'] == 0 and L['tree'] == 0, 'large mode: no N x N matrix, no tree')
        check(F['neighbours'] == L['neighbours'], 'neighbour lists equal, scores bit for bit')
        cl = np.array(L['clusters'])
        k = L['k']
        check(2 <= k <= 10 and all((cl == c).sum() >= 2 for c in range(1, k + 1)),
              'cut: %d clusters of two documents or more' % k)
        cs = np.array(L['cluster_similarity']).reshape(k, k)
        err = 0.0
        for a in range(k):
            A = np.where(cl == a + 1)[0]
            for b in range(k):
                B = np.where(cl == b + 1)[0]
                sub = S[np.ix_(A, B)]
                want = ((sub.sum() - np.trace(sub)) / (len(A) * (len(A) - 1)) if a == b
                        else sub.mean())
                err = max(err, abs(want - cs[a, b]))
        check(err < 1e-9, 'cluster similarity = the matrix means (max error %.2g)' % err)
        D = np.clip(1 - S, 0, None)
        np.fill_diagonal(D, 0)
        check(L['sample'] == n, 'the silhouette sample is every row (%d)' % L['sample'])
        if (cl == 0).sum() == 0:
            want = silhouette_score(D, cl, metric='precomputed')
            check(abs(want - L['silhouette']) < 1e-9,
                  'silhouette %.6f = scikit-learn %.6f' % (L['silhouette'], want))
        check([x[2] for x in L['pairs']] == [x[2] for x in F['pairs']],
              'top pairs: the same %d scores' % len(F['pairs']))
        check([x for x in L['notes'] if x[0] == 1] == [x for x in F['notes'] if x[0] == 1],
              'near-duplicate notes equal')
        iu = np.triu_indices(n, 1)
        d = D[iu]

        def spear(X):
            E = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))[iu]
            return spearmanr(E, d).correlation

        X, Y = np.array(F['map']), np.array(L['map'])
        # The full mode's map of 1 200 rows is classical MDS exactly (beyond 500 rows, with
        # ARPACK built in, GSL gives the eigenvalues and ARPACK the two leading vectors): the
        # same coordinates as numpy's full eigen-decomposition, with the sign convention.
        Jc = np.eye(n) - 1.0 / n
        w, v = np.linalg.eigh(-0.5 * Jc @ (D ** 2) @ Jc)
        o = np.argsort(w)[::-1]
        w, v = w[o], v[:, o]
        for a in range(2):
            ref = v[:, a] * np.sqrt(w[a])
            ref = ref * np.sign(ref[np.argmax(np.abs(ref))])
            e = np.max(np.abs(X[:, a] - ref))
            check(e < 1e-9, 'full-mode map axis %d = numpy eigh (max error %.2g)' % (a + 1, e))
        sf, sl = spear(X), spear(Y)
        disparity = procrustes(X, Y)[2]
        check(sl >= sf - 0.05, 'map: Spearman with 1 - cos %.3f (full MDS %.3f)' % (sl, sf))
        check(disparity < 0.25, 'map: Procrustes disparity from full MDS %.3f' % disparity)
        nf = normalized_mutual_info_score(years, F['clusters'])
        nl = normalized_mutual_info_score(years, L['clusters'])
        check(nl >= nf - 0.05, 'clusters vs years: NMI %.3f (full mode %.3f)' % (nl, nf))

        # The large mode gives the same result on any number of threads.
        runs = []
        for threads in ('1', '3'):
            d = os.path.join(tmp, 't' + threads)
            os.mkdir(d)
            env = dict(os.environ, COMPTEXT_THREADS=threads)
            p = subprocess.run([PROBE, corpus, '100', d, 'large'], capture_output=True,
                               text=True, env=env)
            if p.returncode != 0:
                ctkit.fail('compare_probe failed: ' + p.stderr)
            r = json.load(open(os.path.join(d, 'large.json')))
            r.pop('seconds')
            runs.append(r)
        check(runs[0] == runs[1], 'large mode: the same on 1 and 3 threads')

        # --full-matrix too large for the memory: a clear message, exit 1, nothing written.
        many = os.path.join(tmp, 'many.jsonl')
        with open(many, 'w', encoding='utf-8') as f:
            for i in range(4000):
                f.write(json.dumps({'id': 'd%05d' % i, 'text': '报告第%d号' % i},
                                   ensure_ascii=False) + '\n')
        out = os.path.join(tmp, 'out')
        limit = 600 << 20

        def cap():
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        # AddressSanitizer reserves terabytes of shadow address space at start, so no
        # program of a sanitizer build starts under ulimit -v: the check runs in the other
        # builds (the release stage of .ci/run).
        linked = subprocess.run(['ldd', EXE], capture_output=True, text=True).stdout
        if 'libasan' in linked:
            print('skip: --full-matrix under ulimit -v cannot run in an AddressSanitizer build')
        else:
            p = subprocess.run([EXE, 'compare', '--full-matrix', '--threads', '1', '-o', out, many],
                               capture_output=True, text=True, preexec_fn=cap)
            print(p.stderr.strip())
            check(p.returncode == 1, '--full-matrix beyond the memory: exit %d' % p.returncode)
            check('4000 documents' in p.stderr and '--full-matrix' in p.stderr and 'GB' in p.stderr
                  and 'leave out' in p.stderr, 'the message names the size and the option')
            check(not os.path.exists(out), 'nothing written')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
