/* comptext/cluster.h — hierarchical agglomerative clustering of documents.
 *
 * Input is a dense symmetric distance matrix (or a similarity matrix, converted); output is
 * the merge list in scipy's linkage format, so a result can be checked against
 * scipy.cluster.hierarchy.linkage entry by entry: row i merges clusters a < b (ids below n
 * are documents, n + j is the cluster made by row j) at height h into a cluster of c
 * documents, rows in ascending height. The algorithms are scipy's: the nearest-neighbour
 * chain for average, complete and Ward linkage, Prim's minimum spanning tree for single
 * linkage, with the same scans and therefore the same choice among tied distances.
 *
 * Ward linkage uses the Lance–Williams update on squared distances (scipy's form):
 *   d(k, i∪j) = sqrt(((n_i+n_k) d_ik² + (n_j+n_k) d_jk² − n_k d_ij²) / (n_i+n_j+n_k)),
 * which is Ward's minimum-variance criterion exactly when the distances are Euclidean.
 * ct_cluster_new_from_similarity therefore gives Ward the chord distance sqrt(2(1 − s)) —
 * the Euclidean distance between the unit-length document vectors whose cosine is s — and
 * the other linkages the cosine distance 1 − s. */
#ifndef COMPTEXT_CLUSTER_H
#define COMPTEXT_CLUSTER_H

#include "comptext/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Linkage methods. */
typedef enum ct_linkage {
    CT_LINKAGE_AVERAGE = 0, /**< UPGMA: mean distance between members (the default) */
    CT_LINKAGE_COMPLETE,    /**< largest distance between members */
    CT_LINKAGE_SINGLE,      /**< smallest distance between members */
    CT_LINKAGE_WARD,        /**< Ward's minimum variance (Lance–Williams, see above) */
} ct_linkage;

typedef struct ct_cluster ct_cluster;

/** Parse "average", "complete", "single" or "ward"; CT_EINVAL otherwise. */
CT_API int ct_linkage_parse(const char *name, ct_linkage *out);
/** The name of a linkage method ("average", …). */
CT_API const char *ct_linkage_name(ct_linkage linkage);

/** Cluster n items from a row-major n×n distance matrix (symmetric, zero diagonal; only the
 * upper triangle is read). CT_EINVAL when n is 0 or a distance is negative or not finite.
 * n = 1 gives a tree of one leaf and no merges. */
CT_API int ct_cluster_new(ct_cluster **out, const double *dist, size_t n, ct_linkage linkage);

/** Cluster from a row-major n×n similarity matrix in [−1, 1] (cosine): distance 1 − s for
 * average, complete and single linkage, sqrt(2(1 − s)) for Ward (see the file comment);
 * values are clamped at 0 so that rounding above 1 gives no negative distance. */
CT_API int ct_cluster_new_from_similarity(ct_cluster **out, const double *sim, size_t n,
                                          ct_linkage linkage);

CT_API void ct_cluster_free(ct_cluster *c);

/** Number of leaves (documents). */
CT_API size_t ct_cluster_size(const ct_cluster *c);
CT_API ct_linkage ct_cluster_linkage(const ct_cluster *c);

/** The merge list in scipy's format: (n − 1) rows of 4 doubles {a, b, height, count}
 * (borrowed). NULL when n = 1. */
CT_API const double *ct_cluster_merges(const ct_cluster *c);

/** The leaves in dendrogram order (scipy's leaves_list / dendrogram leaf order: depth first,
 * the lower cluster id on the left). Borrowed, n entries. */
CT_API const size_t *ct_cluster_leaf_order(const ct_cluster *c);

/** Cut the tree into k clusters (1 ≤ k ≤ n) by undoing the last k − 1 merges (the same
 * partition as scipy's cut_tree(Z, n_clusters=k)). labels
 * (n entries, caller-owned) receive 1..k, numbered in order of first appearance in the leaf
 * order, so that clusters read left to right along the dendrogram. */
CT_API int ct_cluster_cut(const ct_cluster *c, size_t k, size_t *labels);

/** The mean silhouette (Rousseeuw 1987) of a partition of the n items, given their
 * row-major n×n distances and labels 1..k: for each item, (b − a) / max(a, b) with a its
 * mean distance to the rest of its cluster and b the smallest mean distance to another
 * cluster; 0 for an item alone in its cluster (scikit-learn's silhouette_score with
 * metric="precomputed"). CT_EINVAL when k < 2 or k ≥ n; CT_ENOMEM. */
CT_API int ct_cluster_silhouette(const double *dist, size_t n, const size_t *labels, size_t k,
                                 double *score);

/** A suggested number of clusters: the k in 2 … max(2, min(n/2, 10)) whose cut has the
 * largest mean silhouette on dist (the smaller k on a tie); 1 when n < 3. The largest gap
 * between merge heights, the other common rule, mostly splits off one outlying document
 * (on the government work reports it cuts 1954 from the other 71), which tells a reader
 * little; the silhouette weighs how well every document sits in its cluster. Returns 0 when
 * out of memory. */
CT_API size_t ct_cluster_suggest_k(const ct_cluster *c, const double *dist);

#ifdef __cplusplus
}
#endif
#endif
