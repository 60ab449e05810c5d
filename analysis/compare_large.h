/* compare_large.h — compare's large mode (private; compare.c): the similarity, clustering,
 * cluster similarity and map of many rows without any N × N matrix. */
#ifndef CT_COMPARE_LARGE_H
#define CT_COMPARE_LARGE_H

#include <stddef.h>

#include "comptext/cluster.h"
#include "comptext/count.h"
#include "comptext/error.h"
#include "comptext/matrix.h"
#include "comptext/mds.h"
#include "comptext/similarity.h"
#include "comptext/tokenize.h"

/** Rows the silhouette is estimated on at most, and landmarks of the map at most. */
#define CT_LARGE_SILHOUETTE_SAMPLE 10000
#define CT_LARGE_LANDMARKS 300

typedef struct ct_large_options {
    size_t neighbours; /* K of the lists and of the graph */
    size_t clusters;   /* 0: the best cut */
    ct_linkage linkage;
    int threads;
    const char *rows_name; /* "documents" or "groups", for messages */
    ct_progress_fn progress;
    void *progress_ctx;
} ct_large_options;

typedef struct ct_large_result {
    ct_neighbour *nb; /* n × K, row i's from i · K */
    size_t K;
    size_t *clusters; /* n: 1 … k, 0 for an outlier */
    size_t k;
    ct_cluster_cut_score cuts[3];
    size_t n_cuts;
    double silhouette;
    size_t sil_sample;
    size_t communities; /* of the kNN graph */
    double modularity;
    double *csim; /* k × k */
    ct_mds *map;
} ct_large_result;

/** Everything of the large mode from the weighted rows (their entries are consumed: on
 * return weights keeps its rows, ids and vocabulary only). tiny (n flags, may be NULL) marks
 * rows that are outliers whatever the cut. On failure out holds nothing to free. */
int ct_compare_large(ct_matrix *weights, const unsigned char *tiny, const ct_large_options *o,
                     ct_large_result *out, ct_error *err);
void ct_large_result_free(ct_large_result *r);

#endif
