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

/** The mean silhouette at or below which a partition shows no substantial cluster structure:
 * Kaufman and Rousseeuw, Finding Groups in Data (1990), ch. 2 — 0.71–1.00 a strong
 * structure, 0.51–0.70 a reasonable one, 0.26–0.50 a weak one that could be artificial,
 * 0.25 or less no substantial structure. */
#define CT_CLUSTER_WEAK_SILHOUETTE 0.25

/** 1 when a partition into clusters (2 or more) has a mean silhouette of
 * CT_CLUSTER_WEAK_SILHOUETTE or less; 0 otherwise (one cluster has no silhouette). */
CT_API int ct_cluster_weak(double silhouette, size_t clusters);

/** The smallest group of a cut that counts as a cluster; smaller groups are outliers. */
#define CT_CLUSTER_MIN_SIZE 2
/** Cuts looked at: k = 2 … min(n − 1, CT_CLUSTER_K_SEARCH) groups, of which 2 …
 * CT_CLUSTER_MAX_CLUSTERS are clusters. */
#define CT_CLUSTER_K_SEARCH 20
#define CT_CLUSTER_MAX_CLUSTERS 10
/** A document is tiny when it has fewer tokens than this share of the median document's
 * (and always when it has none). */
#define CT_CLUSTER_TINY_SHARE 0.01

/** One cut of the tree, as ct_cluster_rank_cuts scores it. */
typedef struct ct_cluster_cut_score {
    size_t k;          /**< groups the tree is cut into (ct_cluster_cut's k) */
    size_t clusters;   /**< groups of at least CT_CLUSTER_MIN_SIZE documents that are not tiny */
    size_t outliers;   /**< the other documents: alone in their group, or tiny */
    double silhouette; /**< mean silhouette over the documents that are not tiny */
} ct_cluster_cut_score;

/** Flag the tiny documents (see CT_CLUSTER_TINY_SHARE) of n with the given token counts:
 * tiny[i] = 1 or 0. CT_ENOMEM. */
CT_API int ct_cluster_tiny(const double *tokens, size_t n, unsigned char *tiny);

/** Score the cuts of the tree that mean something and rank them, best first: cuts that
 * leave at least 2 (and at most CT_CLUSTER_MAX_CLUSTERS) clusters of at least
 * CT_CLUSTER_MIN_SIZE documents, that do not split documents at distance 0 from each other,
 * scored by the mean silhouette (ct_cluster_silhouette: 0 for a document alone) over the
 * documents that are not tiny; a higher silhouette first, then the smaller k. A cut that
 * only isolates single outlying documents while the rest stays one cluster is therefore
 * never ranked (300 equal documents and 1 different one have no cut: one cluster and one
 * outlier). tiny (n flags, may be NULL) marks documents that are outliers whatever the cut.
 * Writes up to max scores to out and their number to *n_out (0: no cut means anything).
 * CT_ENOMEM. */
CT_API int ct_cluster_rank_cuts(const ct_cluster *c, const double *dist, const unsigned char *tiny,
                                ct_cluster_cut_score *out, size_t max, size_t *n_out);

/** The cut into k groups with its outliers apart: labels (n entries, caller-owned) receive
 * 0 for an outlier (a tiny document, or one in a group of fewer than CT_CLUSTER_MIN_SIZE)
 * and 1 … *clusters for the clusters, numbered in order of first appearance in the leaf
 * order. tiny may be NULL. CT_EINVAL when k is not in 1 … n; CT_ENOMEM. */
CT_API int ct_cluster_cut_outliers(const ct_cluster *c, size_t k, const unsigned char *tiny,
                                   size_t *labels, size_t *clusters);

/** A suggested number of groups to cut the tree into: the k of the best cut of
 * ct_cluster_rank_cuts (without tiny documents), or 1 when no cut means anything (n < 4, all
 * documents alike, or only outliers to split off). The plain best mean silhouette over
 * 2 … 10 groups, used before, split off one outlying document in most real corpora (beiyuan
 * alone in the default corpus, 1954 on the government work reports, 1 + 299 for 300 equal
 * documents, empty documents as a cluster). Returns 0 when out of memory. */
CT_API size_t ct_cluster_suggest_k(const ct_cluster *c, const double *dist);

#ifdef __cplusplus
}
#endif
#endif
