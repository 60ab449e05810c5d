/* comptext/similarity.h — document similarity: the all-pairs matrix and top-K neighbours.
 *
 * Measures, on the rows of a weighted matrix (normally TF-IDF):
 *   cosine   s(i, j) = x_i · x_j / (‖x_i‖ ‖x_j‖), computed as scikit-learn's
 *            cosine_similarity does: each row divided by its L2 norm, then dot products;
 *            values above 1 by rounding are clipped to 1;
 *   jaccard  s(i, j) = |T_i ∩ T_j| / |T_i ∪ T_j| on the sets T of terms with a non-zero weight.
 * A row without terms has similarity 0 with every row, itself included (so never NaN, and
 * like scikit-learn, whose cosine_similarity gives 0 for a zero row); the diagonal of a row
 * with terms is exactly 1.
 *
 * Both are computed sparsely through an inverted index (the columns of the matrix): the
 * score of row i with every other row is accumulated term by term over the rows that share
 * the term, at a cost of Σ_t df(t)² rather than N²·V. A dense product was measured and
 * loses: GSL's dsyrk on the 72 × 320 862 TF-IDF matrix of the government work reports takes
 * 1.35 s of CPU (and 185 MB), the sparse product 0.09 s, and the gap grows with N because
 * the vocabulary of character n-grams is huge and each document uses few of it (see
 * BENCHMARKS.md, "similarity: speed and memory"). Each
 * score is summed in the same order (term id ascending) whatever the thread count and whichever of
 * i or j computes it, so the matrix is symmetric and identical bit for bit across threads, and the
 * top-K scores equal the matrix entries. Top-K needs memory for the matrix, its inverted
 * index and O(N) per thread — never N². */
#ifndef COMPTEXT_SIMILARITY_H
#define COMPTEXT_SIMILARITY_H

#include "comptext/export.h"

#include <stddef.h>
#include "comptext/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ct_sim_measure {
    CT_SIM_COSINE = 0,
    CT_SIM_JACCARD,
} ct_sim_measure;

typedef struct ct_sim_options {
    ct_sim_measure measure; /**< default cosine */
    int threads;            /**< 0: ct_default_threads() */
} ct_sim_options;

CT_API void ct_sim_options_init(ct_sim_options *opts);
/** "cosine", "jaccard" ↔ the enum; CT_EINVAL for another name. */
CT_API int ct_sim_measure_parse(const char *name, ct_sim_measure *out);
CT_API const char *ct_sim_measure_name(ct_sim_measure measure);

/** A dense symmetric N × N matrix of similarities between the rows of a matrix. */
typedef struct ct_simmatrix ct_simmatrix;

/** All pairs of rows of m. Memory: N² doubles. CT_EINVAL for a bad measure. */
CT_API int ct_simmatrix_new(ct_simmatrix **out, const ct_matrix *m, const ct_sim_options *opts);
/** Like ct_simmatrix_new, for a caller that has no further use for m's entries: they are
 * released while the inverted index is built (the values a chunk of rows at a time, the rest
 * at the end), so that the matrix and its index are never both held in full: the peak stays
 * near the matrix's own size (on 9.4 million entries, 147 MB instead of 245 MB). On return,
 * whatever the status, m keeps its rows, row ids and vocabulary but has no entries
 * (ct_matrix_nnz(m) is 0). The results equal ct_simmatrix_new's bit for bit. */
CT_API int ct_simmatrix_new_consume(ct_simmatrix **out, ct_matrix *m, const ct_sim_options *opts);
CT_API void ct_simmatrix_free(ct_simmatrix *s);
CT_API size_t ct_simmatrix_size(const ct_simmatrix *s);
/** Row i: N similarities (borrowed). */
CT_API const double *ct_simmatrix_row(const ct_simmatrix *s, size_t i);

/** A neighbour of a row. */
typedef struct ct_neighbour {
    size_t row;   /**< the neighbour's row in the matrix */
    double score; /**< its similarity */
} ct_neighbour;

/** The K best neighbours of every row. */
typedef struct ct_neighbours ct_neighbours;

/** For every row of m, its k most similar other rows (min(k, N - 1) of them), best first:
 * score descending, then row id in byte order. A row never lists itself; rows with score 0
 * fill the list when fewer than k rows share a term. CT_EINVAL when k is 0. */
CT_API int ct_neighbours_new(ct_neighbours **out, const ct_matrix *m, size_t k,
                             const ct_sim_options *opts);
/** ct_neighbours_new, releasing m's entries as ct_simmatrix_new_consume does (m has no
 * entries on return, whatever the status). */
CT_API int ct_neighbours_new_consume(ct_neighbours **out, ct_matrix *m, size_t k,
                                     const ct_sim_options *opts);
CT_API void ct_neighbours_free(ct_neighbours *nb);
/** The neighbours of row i, best first (borrowed; *count entries). */
CT_API const ct_neighbour *ct_neighbours_row(const ct_neighbours *nb, size_t i, size_t *count);

#ifdef __cplusplus
}
#endif
#endif
