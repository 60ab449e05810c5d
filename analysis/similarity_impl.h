/* similarity_impl.h — what the all-pairs matrix and the top-K neighbours share (private).
 *
 * Both are computed over the same prepared rows and inverted index (similarity_index.c),
 * by threads that take blocks of rows from a queue and accumulate the scores of a block's
 * rows term by term, in ascending term order; similarity_matrix.c keeps every score,
 * neighbours.c the K best of each row. */
#ifndef CT_SIMILARITY_IMPL_H
#define CT_SIMILARITY_IMPL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "comptext/similarity.h"
#include "matrix_impl.h"
#include "parallel.h"

#define BLOCK_ROWS 16 /* rows a work item; posting lists are read once a block */

/* The prepared rows and their inverted index. Row i's prepared weight of an entry of value
 * v is row_weight(ix, i, v): v / norm[i] (cosine) or 1 (jaccard). When the index consumes the
 * matrix, the matrix's values are released while the index is built (build_staged) and its
 * entries once the scores are computed (ct_matrix_drop_entries). */
typedef struct sim_index {
    const ct_matrix *m;
    ct_sim_measure measure;
    size_t n_rows;
    double *norm;    /* cosine: the L2 norm of each row; jaccard: the number of terms */
    double *pnorm;   /* cosine: the L2 norm of each prepared row (1 but for rounding) */
    double pmin;     /* cosine: the smallest non-zero pnorm */
    size_t *col_ptr; /* n_cols + 1 */
    uint32_t *col_rows;
    double *col_vals; /* prepared weights */
    /* When consuming: the matrix's column ids, packed (see pack_cols) in place of m->cols,
     * row i's from packed_ptr[i]; else NULL. */
    const unsigned char *packed;
    size_t *packed_ptr;
} sim_index;

/** Prepare the rows of m and build their inverted index into *ix, on up to threads threads;
 * own (== m, or NULL) may be consumed: the index then takes the place of its values. */
int ct_sim_index_build(sim_index *ix, const ct_matrix *m, ct_matrix *own, ct_sim_measure measure,
                       int threads);
void ct_sim_index_free(sim_index *ix);

/* A row prepared as scikit-learn's cosine_similarity prepares it, shared by the index
 * (similarity_index.c) and the distributed ring (src/dist/dist_similarity.c): of the row's
 * n values v (zeros skipped), *norm is the L2 norm (cosine) or the number of non-zero terms
 * (jaccard), and *pnorm the L2 norm of the prepared row (cosine; 0 for jaccard), summed as
 * its dot product with itself is, so that two identical rows score acc / (pnorm · pnorm) = 1
 * within 2 ulp, not the 1 - 7e-14 that dividing by norm alone leaves after many terms. The
 * prepared weight of a value is ct_sim_row_weight. */
static inline double ct_sim_row_weight(ct_sim_measure measure, double norm, double v)
{
    return measure == CT_SIM_COSINE ? v / norm : 1.0;
}

static inline void ct_sim_row_norms(ct_sim_measure measure, const double *v, size_t n, double *norm,
                                    double *pnorm)
{
    int cosine = measure == CT_SIM_COSINE;
    double sum = 0.0, sum2 = 0.0;
    for (size_t k = 0; k < n; k++)
        if (v[k] != 0.0)
            sum += cosine ? v[k] * v[k] : 1.0;
    *norm = cosine ? sqrt(sum) : sum;
    if (cosine)
        for (size_t k = 0; k < n; k++)
            if (v[k] != 0.0) {
                double w = ct_sim_row_weight(measure, *norm, v[k]);
                sum2 += w * w;
            }
    *pnorm = cosine ? sqrt(sum2) : 0.0;
}

/* The final score of rows i and j from their accumulated sum acc (dot product or
 * intersection size), their norms and their prepared norms (as sim_index keeps them); also
 * the distributed ring's (src/dist/dist_similarity.c). */
static inline double ct_sim_finish(ct_sim_measure measure, double acc, double norm_i, double norm_j,
                                   double pnorm_i, double pnorm_j)
{
    if (measure == CT_SIM_COSINE) {
        if (acc == 0.0)
            return 0.0;
        double s = acc / (pnorm_i * pnorm_j);
        return s > 1.0 ? 1.0 : s;
    }
    double uni = norm_i + norm_j - acc;
    return uni > 0.0 ? acc / uni : 0.0;
}

/* The final score from the accumulated sum (dot product or intersection size). */
static inline double finish_score(const sim_index *ix, size_t i, size_t j, double acc)
{
    return ct_sim_finish(ix->measure, acc, ix->norm[i], ix->norm[j], ix->pnorm[i], ix->pnorm[j]);
}

/* Hand out blocks of rows to threads (ct_sim_run_blocks sets up the queue and the block size). */
typedef struct sim_work {
    const sim_index *ix;
    ct_chunk_queue queue; /* blocks of rows */
    /* all pairs */
    double *S;
    /* top-K */
    size_t k;
    ct_neighbour *nb;
    const size_t *by_id;             /* rows in id byte order */
    const struct topk_rows *forward; /* the pruned walk's row-major copy (neighbours.c) */
} sim_work;

/** Run fn on up to threads threads (0: the default) over the blocks of rows of w->ix; the
 * blocks are larger for the all-pairs matrix (w->S set). Returns the first failure. */
int ct_sim_run_blocks(sim_work *w, ct_worker_fn fn, int threads);

/** The k best neighbours of every row (1 ≤ k ≤ N − 1) into nb (N × k, row i's from i·k), as
 * ct_neighbours_new orders them, from an index already built. */
int ct_sim_topk(const sim_index *ix, size_t k, ct_neighbour *nb, int threads);

/* How ct_sim_topk_walk finds the K best: AUTO chooses; FULL walks every posting list of a
 * row's terms; PRUNED stops admitting candidates once no unseen row can reach the K-th best
 * (MaxScore) and verifies candidates by an exact dot product. Both give the same bytes; the
 * choice exists for the tests, which compare them. */
typedef enum { CT_TOPK_AUTO, CT_TOPK_FULL, CT_TOPK_PRUNED } ct_topk_walk;

/** ct_sim_topk with the walk chosen. */
int ct_sim_topk_walk(const sim_index *ix, size_t k, ct_neighbour *nb, int threads,
                     ct_topk_walk walk);

/** Called with the full similarity row of rows[q] (N scores, the diagonal 1 for a row with
 * terms, 0 else; the entries equal ct_simmatrix_new's bit for bit), from a worker thread:
 * write to a place of q's own. Non-zero stops the work (returned as the status). */
typedef int (*ct_sim_row_fn)(void *ctx, size_t q, size_t row, const double *scores);

/** The full similarity rows of rows[0 … n − 1], handed to fn one at a time (similarity_groups.c).
 */
int ct_sim_full_rows(const sim_index *ix, const size_t *rows, size_t n, ct_sim_row_fn fn, void *ctx,
                     int threads);

/** G (g × g, row-major) = Σ over the columns of S_a · S_b, where S_a is the sum of the rows
 * with label a (labels SIZE_MAX belong to no group), each row divided by the norm of its
 * prepared row so that it has length 1 (0 for a row without terms): the sum of the cosines
 * of all pairs (x, y), x in a and y in b, self-pairs included. Each entry is summed in
 * ascending column order by one thread: the same for any number of threads. */
int ct_sim_group_gram(const sim_index *ix, const size_t *label, size_t g, double *G, int threads);

/** out (s × g, row-major): out[q][a] = Σ_{j with label a} x̂_r · x̂_j for the row r whose
 * slot[r] is q (slot: N entries, SIZE_MAX for rows outside the sample), the rows of unit
 * length as in ct_sim_group_gram (self-pairs included): each sampled row's sum of cosines
 * with each group, without its full similarity row. Deterministic for any threads. */
int ct_sim_group_dots(const sim_index *ix, const size_t *label, size_t g, const size_t *slot,
                      size_t s, double *out, int threads);

/* The distinct terms of rows [lo, hi), ascending: each posting list is then read once a
 * block, and every row receives its terms' contributions in ascending term order. */
typedef struct block_terms {
    unsigned char *mark; /* n_cols, all 0 between calls */
    uint32_t *terms;     /* n_cols */
    size_t n, n_cols;
} block_terms;

int ct_sim_block_terms_init(block_terms *bt, size_t n_cols);
void ct_sim_block_terms_free(block_terms *bt);
/** The distinct terms of rows [lo, hi) into bt, ascending. */
void ct_sim_block_terms_collect(block_terms *bt, const sim_index *ix, size_t lo, size_t hi);
/** The first posting of column t whose row is >= row. */
size_t ct_sim_col_lower_bound(const sim_index *ix, uint32_t t, size_t row);

#endif
