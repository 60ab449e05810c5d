/* cluster.c — hierarchical agglomerative clustering (see comptext/cluster.h).
 *
 * The algorithms follow scipy.cluster.hierarchy.linkage step for step so that a result can
 * be checked against it entry by entry, ties included: the nearest-neighbour chain
 * (Murtagh 1983; Müllner 2011) for average, complete and Ward linkage, and Prim's minimum
 * spanning tree for single linkage, both O(n²) time on a condensed distance matrix. The
 * merges they find come out of order, so they are sorted by height (stably) and relabelled
 * with a union-find, as scipy's `label` does. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/cluster.h"
#include "comptext/error.h"
#include "distance.h"
#include "sort.h"

struct ct_cluster {
    size_t n;
    ct_linkage linkage;
    double *z;     /* (n - 1) × 4 */
    size_t *order; /* n leaves in dendrogram order */
};

static const char *const linkage_names[] = {"average", "complete", "single", "ward"};

int ct_linkage_parse(const char *name, ct_linkage *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, linkage_names[i]) == 0) {
            *out = (ct_linkage)i;
            return CT_OK;
        }
    return CT_EINVAL;
}

const char *ct_linkage_name(ct_linkage linkage)
{
    return (unsigned)linkage < 4 ? linkage_names[linkage] : "?";
}

/* Index of (i, j), i < j, in the condensed upper triangle. */
static inline size_t cidx(size_t n, size_t i, size_t j)
{
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
    }
    return n * i - i * (i + 1) / 2 + (j - i - 1);
}

/* The Lance–Williams updates, written as scipy writes them. */
static double new_dist(ct_linkage m, double dxi, double dyi, double dxy, double nx, double ny,
                       double ni)
{
    switch (m) {
    case CT_LINKAGE_SINGLE:
        return fmin(dxi, dyi);
    case CT_LINKAGE_COMPLETE:
        return fmax(dxi, dyi);
    case CT_LINKAGE_WARD: {
        double t = 1.0 / (nx + ny + ni);
        return sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * dxy * dxy);
    }
    case CT_LINKAGE_AVERAGE:
    default:
        return (nx * dxi + ny * dyi) / (nx + ny);
    }
}

static void nn_chain(double *d, size_t n, ct_linkage m, double *z, size_t *size, size_t *chain)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        size[i] = 1;
    for (size_t k = 0; k + 1 < n; k++) {
        if (len == 0) {
            for (size_t i = 0; i < n; i++)
                if (size[i]) {
                    chain[len++] = i;
                    break;
                }
        }
        size_t x, y = 0;
        double cur;
        for (;;) {
            x = chain[len - 1];
            /* Prefer the previous element of the chain among ties, to avoid cycles. */
            if (len > 1) {
                y = chain[len - 2];
                cur = d[cidx(n, x, y)];
            } else {
                cur = INFINITY;
            }
            for (size_t i = 0; i < n; i++) {
                if (!size[i] || i == x)
                    continue;
                double v = d[cidx(n, x, i)];
                if (v < cur) {
                    cur = v;
                    y = i;
                }
            }
            if (len > 1 && y == chain[len - 2])
                break;
            chain[len++] = y;
        }
        len -= 2;
        if (x > y) {
            size_t t = x;
            x = y;
            y = t;
        }
        double nx = (double)size[x], ny = (double)size[y];
        z[4 * k] = (double)x;
        z[4 * k + 1] = (double)y;
        z[4 * k + 2] = cur;
        z[4 * k + 3] = nx + ny;
        size[x] = 0;
        size[y] = (size_t)(nx + ny);
        for (size_t i = 0; i < n; i++) {
            if (!size[i] || i == y)
                continue;
            d[cidx(n, i, y)] =
                new_dist(m, d[cidx(n, i, x)], d[cidx(n, i, y)], cur, nx, ny, (double)size[i]);
        }
    }
}

static void mst_single(const double *d, size_t n, double *z, double *best, unsigned char *merged)
{
    for (size_t i = 0; i < n; i++) {
        best[i] = INFINITY;
        merged[i] = 0;
    }
    size_t x = 0, y = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        double cur = INFINITY;
        merged[x] = 1;
        for (size_t i = 0; i < n; i++) {
            if (merged[i])
                continue;
            double v = d[cidx(n, x, i)];
            if (best[i] > v)
                best[i] = v;
            if (best[i] < cur) {
                y = i;
                cur = best[i];
            }
        }
        z[4 * k] = (double)x;
        z[4 * k + 1] = (double)y;
        z[4 * k + 2] = cur;
        x = y;
    }
}

static size_t uf_find(size_t *parent, size_t x)
{
    size_t root = x;
    while (parent[root] != root)
        root = parent[root];
    while (parent[x] != root) {
        size_t next = parent[x];
        parent[x] = root;
        x = next;
    }
    return root;
}

/* Stable sort of the merge rows by height (merge sort on row indices). */
static void sort_rows(double *z, size_t rows, size_t *idx, size_t *tmp, double *zcopy)
{
    for (size_t i = 0; i < rows; i++)
        idx[i] = i;
    for (size_t width = 1; width < rows; width *= 2) {
        for (size_t lo = 0; lo < rows; lo += 2 * width) {
            size_t mid = lo + width < rows ? lo + width : rows;
            size_t hi = lo + 2 * width < rows ? lo + 2 * width : rows;
            size_t a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                tmp[o++] = z[4 * idx[b] + 2] < z[4 * idx[a] + 2] ? idx[b++] : idx[a++];
            while (a < mid)
                tmp[o++] = idx[a++];
            while (b < hi)
                tmp[o++] = idx[b++];
        }
        memcpy(idx, tmp, rows * sizeof *idx);
    }
    memcpy(zcopy, z, 4 * rows * sizeof *z);
    for (size_t i = 0; i < rows; i++)
        memcpy(z + 4 * i, zcopy + 4 * idx[i], 4 * sizeof *z);
}

/* Relabel merges with union-find ids (scipy's `label`) and fill in the counts. */
static void label(double *z, size_t n, size_t *parent, size_t *count)
{
    for (size_t i = 0; i < 2 * n - 1; i++) {
        parent[i] = i;
        count[i] = i < n ? 1 : 0;
    }
    size_t next = n;
    for (size_t i = 0; i + 1 < n; i++) {
        size_t x = uf_find(parent, (size_t)z[4 * i]), y = uf_find(parent, (size_t)z[4 * i + 1]);
        z[4 * i] = (double)(x < y ? x : y);
        z[4 * i + 1] = (double)(x < y ? y : x);
        parent[x] = parent[y] = next;
        count[next] = count[x] + count[y];
        z[4 * i + 3] = (double)count[next];
        next++;
    }
}

/* Depth-first leaf order, lower id on the left. */
static void leaf_order(const double *z, size_t n, size_t *order, size_t *stack)
{
    if (n == 1) {
        order[0] = 0;
        return;
    }
    size_t top = 0, k = 0;
    stack[top++] = 2 * n - 2;
    while (top) {
        size_t node = stack[--top];
        if (node < n) {
            order[k++] = node;
            continue;
        }
        const double *row = z + 4 * (node - n);
        stack[top++] = (size_t)row[1]; /* right pushed first: left comes out first */
        stack[top++] = (size_t)row[0];
    }
}

int ct_cluster_new(ct_cluster **out, const double *dist, size_t n, ct_linkage linkage)
{
    *out = NULL;
    if (n == 0 || (unsigned)linkage > CT_LINKAGE_WARD)
        return CT_EINVAL;
    if (n > ((size_t)1 << 31))
        return CT_EINVAL;
    size_t m = n * (n - 1) / 2;
    ct_cluster *c = ct_calloc(1, sizeof *c);
    double *d = ct_calloc(m ? m : 1, sizeof *d);
    size_t *work = ct_calloc(4 * n, sizeof *work);
    double *wd = ct_calloc(4 * n, sizeof *wd); /* MST distances, then a copy of the merges */
    int rc = CT_ENOMEM;
    if (!c || !d || !work || !wd)
        goto cleanup;
    c->n = n;
    c->linkage = linkage;
    c->order = ct_calloc(n, sizeof *c->order);
    c->z = n > 1 ? ct_calloc(4 * (n - 1), sizeof *c->z) : NULL;
    if (!c->order || (n > 1 && !c->z))
        goto cleanup;
    rc = CT_EINVAL;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double v = dist[i * n + j];
            if (!(v >= 0) || !isfinite(v))
                goto cleanup;
            d[cidx(n, i, j)] = v;
        }
    if (n > 1) {
        if (linkage == CT_LINKAGE_SINGLE)
            mst_single(d, n, c->z, wd, (unsigned char *)work);
        else
            nn_chain(d, n, linkage, c->z, work, work + n);
        sort_rows(c->z, n - 1, work, work + n, wd);
        label(c->z, n, work, work + 2 * n);
    }
    leaf_order(c->z, n, c->order, work);
    rc = CT_OK;
    *out = c;
    c = NULL;
cleanup:
    ct_cluster_free(c);
    ct_free(d);
    ct_free(work);
    ct_free(wd);
    return rc;
}

int ct_distance_from_similarity(double **out, const double *sim, size_t n, int chord)
{
    *out = NULL;
    if (n && n > SIZE_MAX / sizeof(double) / n)
        return CT_ENOMEM;
    double *d = ct_malloc((n ? n * n : 1) * sizeof *d);
    if (!d)
        return CT_ENOMEM;
    for (size_t i = 0; i < n * n; i++) {
        double v = 1.0 - sim[i];
        if (v < 0) /* rounding above 1; -inf stays */
            v = isfinite(v) ? 0.0 : v;
        d[i] = chord ? sqrt(2.0 * v) : v;
    }
    *out = d;
    return CT_OK;
}

int ct_cluster_new_from_similarity(ct_cluster **out, const double *sim, size_t n,
                                   ct_linkage linkage)
{
    *out = NULL;
    if (n == 0 || n > ((size_t)1 << 31))
        return CT_EINVAL;
    double *d;
    int rc = ct_distance_from_similarity(&d, sim, n, linkage == CT_LINKAGE_WARD);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < n * n; i++)
        if (!isfinite(d[i])) {
            ct_free(d);
            return CT_EINVAL;
        }
    rc = ct_cluster_new(out, d, n, linkage);
    ct_free(d);
    return rc;
}

void ct_cluster_free(ct_cluster *c)
{
    if (!c)
        return;
    ct_free(c->z);
    ct_free(c->order);
    ct_free(c);
}

size_t ct_cluster_size(const ct_cluster *c)
{
    return c->n;
}

ct_linkage ct_cluster_linkage(const ct_cluster *c)
{
    return c->linkage;
}

const double *ct_cluster_merges(const ct_cluster *c)
{
    return c->z;
}

const size_t *ct_cluster_leaf_order(const ct_cluster *c)
{
    return c->order;
}

int ct_cluster_cut(const ct_cluster *c, size_t k, size_t *labels)
{
    size_t n = c->n;
    if (k < 1 || k > n)
        return CT_EINVAL;
    size_t *parent = ct_malloc((2 * n - 1) * sizeof *parent);
    size_t *num = ct_calloc(2 * n - 1, sizeof *num);
    if (!parent || !num) {
        ct_free(parent);
        ct_free(num);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < 2 * n - 1; i++)
        parent[i] = i;
    for (size_t i = 0; i + k < n; i++) {
        size_t a = (size_t)c->z[4 * i], b = (size_t)c->z[4 * i + 1];
        parent[uf_find(parent, a)] = n + i;
        parent[uf_find(parent, b)] = n + i;
    }
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        size_t leaf = c->order[i], root = uf_find(parent, leaf);
        if (!num[root])
            num[root] = ++next;
        labels[leaf] = num[root];
    }
    ct_free(parent);
    ct_free(num);
    return CT_OK;
}

int ct_cluster_silhouette(const double *dist, size_t n, const size_t *labels, size_t k,
                          double *score)
{
    *score = 0;
    if (k < 2 || k >= n)
        return CT_EINVAL;
    double *sum = ct_calloc(k + 1, sizeof *sum);
    size_t *size = ct_calloc(k + 1, sizeof *size);
    if (!sum || !size) {
        ct_free(sum);
        ct_free(size);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        size[labels[i]]++;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 1; c <= k; c++)
            sum[c] = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i)
                sum[labels[j]] += dist[i * n + j];
        size_t own = labels[i];
        if (size[own] < 2)
            continue; /* alone in its cluster: 0 */
        double a = sum[own] / (double)(size[own] - 1), b = INFINITY;
        for (size_t c = 1; c <= k; c++)
            if (c != own && size[c] && sum[c] / (double)size[c] < b)
                b = sum[c] / (double)size[c];
        double m = a > b ? a : b;
        total += m > 0 ? (b - a) / m : 0;
    }
    *score = total / (double)n;
    ct_free(sum);
    ct_free(size);
    return CT_OK;
}

int ct_cluster_weak(double silhouette, size_t clusters)
{
    return clusters >= 2 && silhouette <= CT_CLUSTER_WEAK_SILHOUETTE;
}

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

int ct_cluster_tiny(const double *tokens, size_t n, unsigned char *tiny)
{
    if (!n)
        return CT_OK;
    double *v = ct_malloc(n * sizeof *v);
    if (!v)
        return CT_ENOMEM;
    memcpy(v, tokens, n * sizeof *v);
    /* the median by sorting: O(n log n), for the 100 000 documents of compare's large mode
     * (an insertion sort took about 11 s of CPU there) */
    ct_sort(v, n, sizeof *v, by_value);
    double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    ct_free(v);
    for (size_t i = 0; i < n; i++)
        tiny[i] = !(tokens[i] > 0) || tokens[i] < CT_CLUSTER_TINY_SHARE * median;
    return CT_OK;
}

int ct_cluster_cut_outliers(const ct_cluster *c, size_t k, const unsigned char *tiny,
                            size_t *labels, size_t *clusters)
{
    size_t n = c->n;
    *clusters = 0;
    int rc = ct_cluster_cut(c, k, labels);
    if (rc != CT_OK)
        return rc;
    size_t *size = ct_calloc(k + 1, sizeof *size), *num = ct_calloc(k + 1, sizeof *num);
    if (!size || !num) {
        ct_free(size);
        ct_free(num);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (!tiny || !tiny[i])
            size[labels[i]]++;
    size_t next = 0;
    for (size_t q = 0; q < n; q++) { /* in leaf order, as ct_cluster_cut numbers */
        size_t i = c->order[q], g = labels[i];
        if ((tiny && tiny[i]) || size[g] < CT_CLUSTER_MIN_SIZE) {
            labels[i] = 0;
            continue;
        }
        if (!num[g])
            num[g] = ++next;
        labels[i] = num[g];
    }
    *clusters = next;
    ct_free(size);
    ct_free(num);
    return CT_OK;
}

/* Mean silhouette over the documents that are not tiny, with the cut's labels. */
static int silhouette_kept(const double *dist, size_t n, const size_t *labels, size_t k,
                           const unsigned char *tiny, double *score)
{
    if (!tiny)
        return ct_cluster_silhouette(dist, n, labels, k, score);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !tiny[i];
    size_t *idx = ct_malloc((m ? m : 1) * sizeof *idx), *lab = ct_malloc((m ? m : 1) * sizeof *lab);
    size_t *renum = ct_calloc(k + 1, sizeof *renum);
    double *sub = m && m <= SIZE_MAX / sizeof(double) / m ? ct_malloc(m * m * sizeof *sub) : NULL;
    int rc = CT_ENOMEM;
    if (!idx || !lab || !renum || !sub)
        goto done;
    size_t used = 0;
    for (size_t i = 0, j = 0; i < n; i++)
        if (!tiny[i]) {
            idx[j] = i;
            if (!renum[labels[i]])
                renum[labels[i]] = ++used;
            lab[j++] = renum[labels[i]];
        }
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b < m; b++)
            sub[a * m + b] = dist[idx[a] * n + idx[b]];
    rc = ct_cluster_silhouette(sub, m, lab, used, score);
done:
    ct_free(idx);
    ct_free(lab);
    ct_free(renum);
    ct_free(sub);
    return rc;
}

int ct_cluster_rank_cuts(const ct_cluster *c, const double *dist, const unsigned char *tiny,
                         ct_cluster_cut_score *out, size_t max, size_t *n_out)
{
    size_t n = c->n;
    *n_out = 0;
    if (n < 4)
        return CT_OK; /* two clusters of two need four documents */
    size_t kmax = n - 1 < CT_CLUSTER_K_SEARCH ? n - 1 : CT_CLUSTER_K_SEARCH;
    size_t *labels = ct_malloc(n * sizeof *labels);
    ct_cluster_cut_score *all = ct_calloc(kmax + 1, sizeof *all);
    if (!labels || !all) {
        ct_free(labels);
        ct_free(all);
        return CT_ENOMEM;
    }
    size_t found = 0;
    int rc = CT_OK;
    for (size_t k = 2; k <= kmax; k++) {
        /* undoing a merge at height 0 splits documents that are alike: no further cut */
        if (!(c->z[4 * (n - k) + 2] > 0))
            break;
        size_t clusters;
        if ((rc = ct_cluster_cut_outliers(c, k, tiny, labels, &clusters)) != CT_OK)
            break;
        if (clusters < 2 || clusters > CT_CLUSTER_MAX_CLUSTERS)
            continue;
        size_t outliers = 0;
        for (size_t i = 0; i < n; i++)
            outliers += labels[i] == 0;
        double score;
        /* the silhouette of the cut itself: a document alone in its group scores 0 */
        if ((rc = ct_cluster_cut(c, k, labels)) != CT_OK)
            break;
        rc = silhouette_kept(dist, n, labels, k, tiny, &score);
        if (rc == CT_EINVAL) { /* fewer than 2 groups among the documents kept */
            rc = CT_OK;
            continue;
        }
        if (rc != CT_OK)
            break;
        all[found++] = (ct_cluster_cut_score){k, clusters, outliers, score};
    }
    if (rc == CT_OK) {
        /* best first: silhouette, then the smaller k (insertion sort, stable) */
        for (size_t i = 1; i < found; i++)
            for (size_t j = i; j > 0 && all[j].silhouette > all[j - 1].silhouette; j--) {
                ct_cluster_cut_score t = all[j];
                all[j] = all[j - 1];
                all[j - 1] = t;
            }
        *n_out = found < max ? found : max;
        memcpy(out, all, *n_out * sizeof *out);
    }
    ct_free(labels);
    ct_free(all);
    return rc;
}

size_t ct_cluster_suggest_k(const ct_cluster *c, const double *dist)
{
    ct_cluster_cut_score best;
    size_t n = 0;
    if (ct_cluster_rank_cuts(c, dist, NULL, &best, 1, &n) != CT_OK)
        return 0;
    return n ? best.k : 1;
}
