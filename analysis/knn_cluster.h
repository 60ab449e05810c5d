/* knn_cluster.h — clustering without the N × N matrix (private; used by compare.c's large
 * mode): communities of the k-nearest-neighbour graph by the Louvain method, and the
 * average-linkage (or Ward) tree of groups of rows from the exact sums of their cosines. */
#ifndef CT_KNN_CLUSTER_H
#define CT_KNN_CLUSTER_H

#include <stddef.h>

#include "comptext/cluster.h"
#include "comptext/similarity.h"

/** Louvain communities (Blondel et al. 2008) of the graph whose edges are the neighbour
 * lists (nb: n rows of k, row i's from i·k), made undirected, weighted by the cosine (edges
 * of score 0 left out), at the given resolution (1: Newman's modularity). Nodes are visited
 * in index order and a node moves only for a strictly better gain, so the result is the
 * same on every run. community (n entries) receives 0 … *count − 1, numbered in order of
 * first appearance; *modularity the modularity of the result at that resolution. CT_ENOMEM. */
int ct_knn_louvain(const ct_neighbour *nb, size_t n, size_t k, double resolution, size_t *community,
                   size_t *count, double *modularity);

/** The tree of g groups of rows: G (g × g) holds the sums of the cosines between the
 * groups' rows (ct_sim_group_gram: self-pairs included), size the rows a group. Average
 * linkage merges the two groups of the smallest mean cosine distance, 1 − G_ab / (n_a n_b):
 * exactly the average linkage of the rows whose first merges are the groups. Ward merges by
 * n_a n_b / (n_a + n_b) ‖c_a − c_b‖² of the groups' centroids. Nearest-neighbour chain;
 * merges (g − 1 rows of 3: a, b, height, a and b being a group of each side) come out
 * ordered by height, so that applying the first g − K of them gives the cut into K groups.
 * G is overwritten. CT_EINVAL for single or complete linkage (they need every pair). */
int ct_group_linkage(double *G, const double *size, size_t g, ct_linkage linkage, double *merges);

/** The cut into K groups (1 ≤ K ≤ g) of a ct_group_linkage tree: label (g entries) receives
 * 0 … K − 1 for each group, numbered in order of each cluster's lowest group. CT_ENOMEM. */
int ct_group_cut(const double *merges, size_t g, size_t K, size_t *label);

#endif
