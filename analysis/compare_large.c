/* compare_large.c — compare's large mode (compare_large.h): beyond about 2 000 rows the
 * N × N matrix and the full clustering and MDS cost O(N²) memory and O(N²)–O(N³) time, so
 * this mode never builds anything of N × N size:
 *
 *  - similarity: each row's top K neighbours from the inverted index (neighbours.c), the
 *    scores bit for bit those of the matrix;
 *  - clustering: Louvain communities of the kNN graph, joined by average linkage of their
 *    exact mean cosines (knn_cluster.c); the cut is chosen among the cuts of that tree by the
 *    rule of the full mode (ct_cluster_rank_cuts: 2 to 10 clusters of at least two rows,
 *    single outlying rows never make a cut, tiny documents apart), by the mean silhouette
 *    over a fixed sample of rows (all of them up to CT_LARGE_SILHOUETTE_SAMPLE), exact for
 *    those rows: a row's mean distance to a group of rows is 1 − x̂·(Σ_group ŷ) / |group|,
 *    from its dot products with the communities' sums (ct_sim_group_dots);
 *  - the similarity between clusters: exact, from the clusters' sums of unit rows;
 *  - the map: landmark MDS (ct_mds_new_landmark) on CT_LARGE_LANDMARKS rows spread evenly
 *    over the rows that have terms.
 * Memory: the index (about the size of the weighted matrix), N·K neighbours, the landmarks'
 * L × N distances, and per-thread rows of N doubles. */
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "compare_large.h"
#include "knn_cluster.h"
#include "similarity_impl.h"

void ct_large_result_free(ct_large_result *r)
{
    ct_free(r->nb);
    ct_free(r->clusters);
    ct_free(r->csim);
    ct_mds_free(r->map);
    memset(r, 0, sizeof *r);
}

static void phase(const ct_large_options *o, const char *what, size_t done, size_t total)
{
    if (o->progress)
        o->progress(o->progress_ctx, what, done, total);
}

/* Rows spread evenly over the candidates (all of them when there are at most max). */
static size_t spread(const size_t *cand, size_t n_cand, size_t max, size_t *out)
{
    size_t m = n_cand < max ? n_cand : max;
    for (size_t q = 0; q < m; q++)
        out[q] = cand[(size_t)((double)q * (double)n_cand / (double)m)];
    return m;
}

/* --- the silhouette sample: each sampled row's distance sums to every community ---------- */

typedef struct sample_ctx {
    const size_t *comm; /* n */
    size_t n, m;
    double *dsum; /* s × m: Σ over the other rows j (not tiny) of community c of 1 − cos */
} sample_ctx;

/* The mean silhouette over the sample of a partition of the communities into K groups
 * (group[c]); rows counted as kept: not tiny. *ok 0 when fewer than 2 groups hold rows. */
static double sample_silhouette(const sample_ctx *x, const size_t *sample, size_t s,
                                const size_t *group, size_t K, const size_t *kept_size,
                                double *gsum, size_t *gsize, int *ok)
{
    memset(gsize, 0, K * sizeof *gsize);
    for (size_t c = 0; c < x->m; c++)
        gsize[group[c]] += kept_size[c];
    size_t used = 0;
    for (size_t g = 0; g < K; g++)
        used += gsize[g] > 0;
    *ok = used >= 2;
    if (!*ok)
        return 0;
    double total = 0;
    for (size_t q = 0; q < s; q++) {
        memset(gsum, 0, K * sizeof *gsum);
        const double *d = x->dsum + q * x->m;
        for (size_t c = 0; c < x->m; c++)
            gsum[group[c]] += d[c];
        size_t own = group[x->comm[sample[q]]];
        if (gsize[own] <= 1)
            continue; /* alone in its group: 0 */
        double a = gsum[own] / (double)(gsize[own] - 1), b = -1;
        for (size_t g = 0; g < K; g++) {
            if (g == own || !gsize[g])
                continue;
            double v = gsum[g] / (double)gsize[g];
            if (b < 0 || v < b)
                b = v;
        }
        double mx = a > b ? a : b;
        total += mx > 0 ? (b - a) / mx : 0;
    }
    return s ? total / (double)s : 0;
}

/* --- the map: landmark MDS ------------------------------------------------------------- */

typedef struct landmark_ctx {
    size_t n;
    double *dist; /* L × n */
} landmark_ctx;

static int landmark_row(void *ctx, size_t q, size_t i, const double *s)
{
    (void)i;
    landmark_ctx *x = ctx;
    double *d = x->dist + q * x->n;
    for (size_t j = 0; j < x->n; j++)
        d[j] = s[j] < 1 ? 1 - s[j] : 0;
    return 0;
}

/* --- the whole ------------------------------------------------------------------------- */

int ct_compare_large(ct_matrix *weights, const unsigned char *tiny, const ct_large_options *o,
                     ct_large_result *out, ct_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = ct_matrix_rows(weights);
    size_t K = o->neighbours ? o->neighbours : 10;
    if (K > n - 1)
        K = n - 1;
    sim_index ix;
    memset(&ix, 0, sizeof ix);
    size_t *comm = NULL, *group = NULL, *cand = NULL, *sample = NULL, *kept = NULL, *gsizes = NULL;
    double *G = NULL, *merges = NULL, *size = NULL, *gbuf = NULL, *ldist = NULL;
    sample_ctx sx = {0};
    int rc;

    /* The similarity: the top K of each row. */
    phase(o, "similarity", 0, n);
    int built = 0;
    if ((rc = ct_sim_index_build(&ix, weights, weights, CT_SIM_COSINE, o->threads)) != CT_OK)
        goto done; /* a failed build frees what it made */
    built = 1;
    rc = CT_ENOMEM;
    if (!(out->nb = ct_malloc((n * K + 1) * sizeof *out->nb)))
        goto done;
    out->K = K;
    if ((rc = ct_sim_topk(&ix, K, out->nb, o->threads)) != CT_OK)
        goto done;
    phase(o, "similarity", n, n);

    /* Communities of the kNN graph, and the tree of their average linkage. */
    phase(o, "clustering", 0, 0);
    rc = CT_ENOMEM;
    comm = ct_malloc((n + 1) * sizeof *comm);
    cand = ct_malloc((n + 1) * sizeof *cand);
    out->clusters = ct_calloc(n + 1, sizeof *out->clusters);
    if (!comm || !cand || !out->clusters)
        goto done;
    size_t m;
    if ((rc = ct_knn_louvain(out->nb, n, K, 1.0, comm, &m, &out->modularity)) != CT_OK)
        goto done;
    out->communities = m;
    if (o->clusters > m) {
        ct_error_set(err, NULL, 0, -1,
                     "clusters: %zu is more than the %zu communities of the %zu %s' "
                     "nearest-neighbour graph (large mode); ask for at most %zu, or use "
                     "--full-matrix",
                     o->clusters, m, n, o->rows_name, m);
        rc = CT_EINVAL;
        goto done;
    }
    rc = CT_ENOMEM;
    G = ct_malloc((m * m + 1) * sizeof *G);
    merges = ct_malloc((3 * m + 1) * sizeof *merges);
    size = ct_calloc(m + 1, sizeof *size);
    kept = ct_calloc(m + 1, sizeof *kept);
    group = ct_malloc((m + 1) * sizeof *group);
    if (!G || !merges || !size || !kept || !group)
        goto done;
    for (size_t i = 0; i < n; i++) {
        size[comm[i]] += 1;
        kept[comm[i]] += !(tiny && tiny[i]);
    }
    if ((rc = ct_sim_group_gram(&ix, comm, m, G, o->threads)) != CT_OK)
        goto done;
    if ((rc = ct_group_linkage(G, size, m, o->linkage, merges)) != CT_OK) {
        if (rc == CT_EINVAL)
            ct_error_set(err, NULL, 0, -1,
                         "linkage: %s linkage needs every pair of the %zu %s; in large mode use "
                         "average or ward, or --full-matrix",
                         ct_linkage_name(o->linkage), n, o->rows_name);
        goto done;
    }

    /* The silhouette sample: rows spread over those not tiny (all of them up to
     * CT_LARGE_SILHOUETTE_SAMPLE); their distance sums to each community from their dot
     * products with the communities' sums (of the rows not tiny). */
    size_t n_cand = 0;
    for (size_t i = 0; i < n; i++)
        if (!(tiny && tiny[i]))
            cand[n_cand++] = i;
    rc = CT_ENOMEM;
    if (!(sample = ct_malloc((CT_LARGE_SILHOUETTE_SAMPLE + 1) * sizeof *sample)))
        goto done;
    size_t s = spread(cand, n_cand, CT_LARGE_SILHOUETTE_SAMPLE, sample);
    sx = (sample_ctx){comm, n, m, ct_calloc(s * m + 1, sizeof *sx.dsum)};
    gbuf = ct_malloc((m + CT_CLUSTER_K_SEARCH + 1) * sizeof *gbuf);
    gsizes = ct_malloc((m + CT_CLUSTER_K_SEARCH + 1) * sizeof *gsizes);
    if (!sx.dsum || !gbuf || !gsizes)
        goto done;
    for (size_t i = 0; i < n; i++) /* slots and labels of the rows kept, in cand and group */
        cand[i] = SIZE_MAX;
    for (size_t q = 0; q < s; q++)
        cand[sample[q]] = q;
    size_t *klabel = ct_malloc((n + 1) * sizeof *klabel);
    if (!klabel)
        goto done;
    for (size_t i = 0; i < n; i++)
        klabel[i] = tiny && tiny[i] ? SIZE_MAX : comm[i];
    rc = ct_sim_group_dots(&ix, klabel, m, cand, s, sx.dsum, o->threads);
    ct_free(klabel);
    if (rc != CT_OK)
        goto done;
    for (size_t q = 0; q < s; q++) {
        size_t i = sample[q];
        double *d = sx.dsum + q * m, self = ix.pnorm[i] > 0 ? 1.0 : 0.0;
        for (size_t c = 0; c < m; c++) {
            double v =
                c == comm[i] ? ((double)kept[c] - 1) - (d[c] - self) : (double)kept[c] - d[c];
            d[c] = v > 0 ? v : 0;
        }
    }
    out->sil_sample = s;

    /* Rows at distance 0 (in each other's lists at cosine 1) must not be split. */
    size_t found = 0;
    ct_cluster_cut_score all[CT_CLUSTER_K_SEARCH + 1];
    size_t kmax = m - 1 < CT_CLUSTER_K_SEARCH ? m - 1 : CT_CLUSTER_K_SEARCH;
    for (size_t Kc = 2; m >= 2 && Kc <= kmax; Kc++) {
        if ((rc = ct_group_cut(merges, m, Kc, group)) != CT_OK)
            goto done;
        if (!(merges[3 * (m - Kc) + 2] > 0))
            break;
        int split = 0;
        for (size_t i = 0; i < n && !split; i++)
            for (size_t q = 0; q < K; q++) {
                const ct_neighbour *x = &out->nb[i * K + q];
                if (!(x->score >= 1))
                    break;
                if (group[comm[i]] != group[comm[x->row]]) {
                    split = 1;
                    break;
                }
            }
        if (split)
            break;
        size_t gk[CT_CLUSTER_K_SEARCH + 1] = {0}, clusters = 0, outliers = 0;
        for (size_t c = 0; c < m; c++)
            gk[group[c]] += kept[c];
        for (size_t g = 0; g < Kc; g++)
            clusters += gk[g] >= CT_CLUSTER_MIN_SIZE;
        if (clusters < 2 || clusters > CT_CLUSTER_MAX_CLUSTERS)
            continue;
        for (size_t i = 0; i < n; i++)
            outliers += (tiny && tiny[i]) || gk[group[comm[i]]] < CT_CLUSTER_MIN_SIZE;
        int ok;
        double score = sample_silhouette(&sx, sample, s, group, Kc, kept, gbuf, gsizes, &ok);
        if (ok)
            all[found++] = (ct_cluster_cut_score){Kc, clusters, outliers, score};
    }
    for (size_t i = 1; i < found; i++) /* best first: silhouette, then the smaller k */
        for (size_t j = i; j > 0 && all[j].silhouette > all[j - 1].silhouette; j--) {
            ct_cluster_cut_score t = all[j];
            all[j] = all[j - 1];
            all[j - 1] = t;
        }
    out->n_cuts = found < 3 ? found : 3;
    memcpy(out->cuts, all, out->n_cuts * sizeof *out->cuts);

    /* The cut: as asked (k groups, no outliers), or the best (outliers apart); clusters
     * numbered in order of their first row. */
    size_t Kc = o->clusters ? o->clusters : out->n_cuts ? out->cuts[0].k : 1;
    if ((rc = ct_group_cut(merges, m, Kc, group)) != CT_OK)
        goto done;
    {
        size_t *num = ct_calloc(Kc + 1, sizeof *num), *gsz = ct_calloc(Kc + 1, sizeof *gsz);
        if (!num || !gsz) {
            ct_free(num);
            ct_free(gsz);
            rc = CT_ENOMEM;
            goto done;
        }
        for (size_t c = 0; c < m; c++)
            gsz[group[c]] += kept[c];
        size_t next = 0;
        for (size_t i = 0; i < n; i++) {
            size_t g = group[comm[i]];
            if (!o->clusters && ((tiny && tiny[i]) || gsz[g] < CT_CLUSTER_MIN_SIZE)) {
                out->clusters[i] = 0;
                continue;
            }
            if (!num[g])
                num[g] = ++next;
            out->clusters[i] = num[g];
        }
        out->k = next;
        int ok = 0;
        if (o->clusters)
            out->silhouette = sample_silhouette(&sx, sample, s, group, Kc, kept, gbuf, gsizes, &ok);
        else
            out->silhouette = out->n_cuts ? out->cuts[0].silhouette : 0;
        ct_free(num);
        ct_free(gsz);
    }

    /* The mean cosine between clusters, exact from their sums. */
    size_t k = out->k;
    if (k) {
        for (size_t i = 0; i < n; i++)
            comm[i] = out->clusters[i] ? out->clusters[i] - 1 : SIZE_MAX;
        double *Gk = ct_malloc(k * k * sizeof *Gk), *nk = ct_calloc(k, sizeof *nk),
               *tk = ct_calloc(k, sizeof *tk);
        rc = Gk && nk && tk ? ct_sim_group_gram(&ix, comm, k, Gk, o->threads) : CT_ENOMEM;
        if (rc == CT_OK) {
            for (size_t i = 0; i < n; i++)
                if (out->clusters[i]) {
                    nk[comm[i]] += 1;
                    tk[comm[i]] += ix.pnorm[i] > 0; /* a self-pair of cosine 1 */
                }
            for (size_t a = 0; a < k; a++)
                for (size_t b = 0; b < k; b++) {
                    double v;
                    if (a != b)
                        v = Gk[a * k + b] / (nk[a] * nk[b]);
                    else if (nk[a] > 1)
                        v = (Gk[a * k + a] - tk[a]) / (nk[a] * (nk[a] - 1));
                    else
                        v = tk[a] > 0 ? 1.0 : 0.0;
                    Gk[a * k + b] = v;
                }
            out->csim = Gk;
            Gk = NULL;
        }
        ct_free(Gk);
        ct_free(nk);
        ct_free(tk);
        if (rc != CT_OK)
            goto done;
    }

    /* The map: landmark MDS on rows with terms spread over the corpus. */
    phase(o, "map", 0, 0);
    n_cand = 0;
    for (size_t i = 0; i < n; i++)
        if (ix.pnorm[i] > 0 && !(tiny && tiny[i]))
            cand[n_cand++] = i;
    if (n_cand < 2) /* nothing to spread: every row */
        for (n_cand = 0; n_cand < n; n_cand++)
            cand[n_cand] = n_cand;
    size_t L = n_cand < CT_LARGE_LANDMARKS ? n_cand : CT_LARGE_LANDMARKS;
    rc = CT_ENOMEM;
    if (!(ldist = ct_malloc((L * n + 1) * sizeof *ldist)))
        goto done;
    L = spread(cand, n_cand, L, sample); /* sample's room is reused: L ≤ its size */
    landmark_ctx lx = {n, ldist};
    if ((rc = ct_sim_full_rows(&ix, sample, L, landmark_row, &lx, o->threads)) != CT_OK)
        goto done;
    rc = ct_mds_new_landmark(&out->map, ldist, sample, L, n, 2);
done:
    if (built)
        ct_sim_index_free(&ix);
    ct_matrix_drop_entries(weights);
    ct_free(comm);
    ct_free(group);
    ct_free(cand);
    ct_free(sample);
    ct_free(kept);
    ct_free(G);
    ct_free(merges);
    ct_free(size);
    ct_free(gbuf);
    ct_free(gsizes);
    ct_free(ldist);
    ct_free(sx.dsum);
    if (rc != CT_OK)
        ct_large_result_free(out);
    return rc;
}
