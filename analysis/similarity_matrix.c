/* similarity_matrix.c — the all-pairs similarity matrix (comptext/similarity.h).
 *
 * Scores are accumulated term by term over the inverted index (similarity_index.c):
 * s(i, j) += a_it · a_jt for the terms t of row i in ascending id order, so every score is
 * the same sum in the same order, whoever computes it. The matrix walks only the rows after
 * i in each column (binary search for i) and mirrors at the end: Σ_t df(t)²/2 multiply-adds,
 * into a row of the output that stays in cache. Blocks of rows are as large as keeps their
 * rows of the output near 1 MB, so each posting list is read once a block. */
#include <stdint.h>
#include <string.h>

#include "comptext/alloc.h"
#include "similarity_impl.h"

struct ct_simmatrix {
    size_t n;
    double *S;
};

/* For each term t of the block in ascending order, each row a of the block having t adds
 * a_t · x_jt to S[a][j] for the rows j after a in column t. */
static void pairs_worker(void *arg, int worker)
{
    sim_work *w = arg;
    (void)worker;
    const sim_index *ix = w->ix;
    size_t N = ix->n_rows, lo, hi;
    block_terms bt;
    if (ct_sim_block_terms_init(&bt, ct_matrix_cols(ix->m)) != CT_OK) {
        ct_chunk_queue_fail(&w->queue, CT_ENOMEM);
        goto done;
    }
    const uint32_t *rows = ix->col_rows;
    const double *vals = ix->col_vals;
    while (ct_chunk_queue_take(&w->queue, &lo, &hi)) {
        ct_sim_block_terms_collect(&bt, ix, lo, hi);
        for (size_t q = 0; q < bt.n; q++) {
            uint32_t t = bt.terms[q];
            size_t e = ix->col_ptr[t + 1], p = ct_sim_col_lower_bound(ix, t, lo), pe = p;
            while (pe < e && rows[pe] < hi)
                pe++; /* the block's rows hold positions p .. pe - 1 of the column */
            /* Four rows of the block at a time: each posting read updates four rows of S. */
            for (; p + 4 <= pe; p += 4) {
                double a0 = vals[p], a1 = vals[p + 1], a2 = vals[p + 2], a3 = vals[p + 3];
                double *restrict S0 = w->S + (size_t)rows[p] * N;
                double *restrict S1 = w->S + (size_t)rows[p + 1] * N;
                double *restrict S2 = w->S + (size_t)rows[p + 2] * N;
                double *restrict S3 = w->S + (size_t)rows[p + 3] * N;
                S0[rows[p + 1]] += a0 * vals[p + 1];
                S0[rows[p + 2]] += a0 * vals[p + 2];
                S0[rows[p + 3]] += a0 * vals[p + 3];
                S1[rows[p + 2]] += a1 * vals[p + 2];
                S1[rows[p + 3]] += a1 * vals[p + 3];
                S2[rows[p + 3]] += a2 * vals[p + 3];
                for (size_t r = p + 4; r < e; r++) {
                    size_t j = rows[r];
                    double v = vals[r];
                    S0[j] += a0 * v;
                    S1[j] += a1 * v;
                    S2[j] += a2 * v;
                    S3[j] += a3 * v;
                }
            }
            for (; p < pe; p++) {
                double a = vals[p];
                double *Sa = w->S + (size_t)rows[p] * N;
                for (size_t r = p + 1; r < e; r++)
                    Sa[rows[r]] += a * vals[r];
            }
        }
    }
done:
    ct_sim_block_terms_free(&bt);
}

/* ct_simmatrix_new, consuming own (== m) when not NULL. */
static int simmatrix_make(ct_simmatrix **out, const ct_matrix *m, ct_matrix *own,
                          const ct_sim_options *opts)
{
    *out = NULL;
    ct_sim_options def;
    if (!opts) {
        ct_sim_options_init(&def);
        opts = &def;
    }
    if ((unsigned)opts->measure > CT_SIM_JACCARD)
        return CT_EINVAL;
    size_t N = m->rows;
    if (N && N > SIZE_MAX / sizeof(double) / N)
        return CT_ENOMEM;
    ct_simmatrix *s = ct_calloc(1, sizeof *s);
    if (!s)
        return CT_ENOMEM;
    s->n = N;
    s->S = ct_calloc(N ? N * N : 1, sizeof *s->S);
    sim_index ix;
    int rc = CT_ENOMEM;
    if (!s->S || (rc = ct_sim_index_build(&ix, m, own, opts->measure, opts->threads)) != CT_OK) {
        ct_simmatrix_free(s);
        return rc;
    }
    sim_work w = {.ix = &ix, .S = s->S};
    rc = ct_sim_run_blocks(&w, pairs_worker, opts->threads);
    if (rc == CT_OK) {
        for (size_t i = 0; i < N; i++) {
            double *Si = s->S + i * N;
            Si[i] = ix.norm[i] > 0.0 ? 1.0 : 0.0;
            for (size_t j = i + 1; j < N; j++) {
                double v = finish_score(&ix, i, j, Si[j]);
                Si[j] = v;
                s->S[j * N + i] = v;
            }
        }
    }
    ct_sim_index_free(&ix);
    if (rc != CT_OK) {
        ct_simmatrix_free(s);
        return rc;
    }
    *out = s;
    return CT_OK;
}

int ct_simmatrix_new(ct_simmatrix **out, const ct_matrix *m, const ct_sim_options *opts)
{
    return simmatrix_make(out, m, NULL, opts);
}

int ct_simmatrix_new_consume(ct_simmatrix **out, ct_matrix *m, const ct_sim_options *opts)
{
    int rc = simmatrix_make(out, m, m, opts);
    ct_matrix_drop_entries(m);
    return rc;
}

void ct_simmatrix_free(ct_simmatrix *s)
{
    if (!s)
        return;
    ct_free(s->S);
    ct_free(s);
}

size_t ct_simmatrix_size(const ct_simmatrix *s)
{
    return s->n;
}

const double *ct_simmatrix_row(const ct_simmatrix *s, size_t i)
{
    return s->S + i * s->n;
}
