/* similarity_groups.c — what compare needs of the similarity beyond the top-K lists when it
 * may not build the N × N matrix (large mode, compare.c): the full similarity rows of a few
 * chosen rows (landmarks of the map, the sample the silhouette is estimated on), and the
 * sums of the cosines between groups of rows (clusters), exact, from the groups' sums of
 * unit rows: Σ_{x∈A, y∈B} cos(x, y) = (Σ_A x̂)·(Σ_B ŷ).
 *
 * Both work on the inverted index of similarity_index.c. A full row is accumulated term by
 * term in ascending term order, as the matrix's and the top-K's entries are, so its scores
 * equal theirs bit for bit. The group sums are gathered a column at a time (the column's
 * postings summed by group), and each entry of G is summed in ascending column order by the
 * one thread that owns its row: the result does not depend on the threads. */
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "similarity_impl.h"

typedef struct rows_work {
    const sim_index *ix;
    const size_t *rows;
    ct_sim_row_fn fn;
    void *ctx;
    ct_chunk_queue queue;
} rows_work;

static void rows_worker(void *arg, int worker)
{
    rows_work *w = arg;
    (void)worker;
    const sim_index *ix = w->ix;
    size_t N = ix->n_rows, lo, hi;
    block_terms bt;
    double *acc = ct_calloc(N + 1, sizeof *acc);
    if (ct_sim_block_terms_init(&bt, ct_matrix_cols(ix->m)) != CT_OK || !acc) {
        ct_chunk_queue_fail(&w->queue, CT_ENOMEM);
        goto done;
    }
    const uint32_t *rows = ix->col_rows;
    const double *vals = ix->col_vals;
    while (ct_chunk_queue_take(&w->queue, &lo, &hi)) {
        int rc = CT_OK;
        for (size_t q = lo; q < hi && rc == CT_OK; q++) {
            size_t i = w->rows[q];
            ct_sim_block_terms_collect(&bt, ix, i, i + 1);
            for (size_t u = 0; u < bt.n; u++) {
                uint32_t t = bt.terms[u];
                size_t s0 = ix->col_ptr[t], e = ix->col_ptr[t + 1],
                       p = ct_sim_col_lower_bound(ix, t, i);
                if (p >= e || rows[p] != i)
                    continue; /* a zero weight */
                double a = vals[p];
                for (size_t r = s0; r < e; r++)
                    acc[rows[r]] += a * vals[r];
            }
            for (size_t j = 0; j < N; j++)
                acc[j] = j == i ? (ix->norm[i] > 0.0 ? 1.0 : 0.0) : finish_score(ix, i, j, acc[j]);
            rc = w->fn(w->ctx, q, i, acc);
            memset(acc, 0, N * sizeof *acc);
        }
        ct_chunk_queue_finish(&w->queue, lo, hi - lo, rc, NULL);
    }
done:
    ct_sim_block_terms_free(&bt);
    ct_free(acc);
}

int ct_sim_full_rows(const sim_index *ix, const size_t *rows, size_t n, ct_sim_row_fn fn, void *ctx,
                     int threads)
{
    if (!n)
        return CT_OK;
    rows_work w = {.ix = ix, .rows = rows, .fn = fn, .ctx = ctx};
    threads = ct_parallel_workers(threads, n, CT_PARALLEL_MAX);
    ct_chunk_queue_init(&w.queue, n, 1, NULL, NULL);
    ct_parallel_run(threads, rows_worker, &w);
    ct_chunk_queue_destroy(&w.queue);
    return w.queue.rc;
}

/* One worker's part of the group sums: worker me of the threads takes the rows of G (the
 * samples) whose index is me modulo their number; sum (zeroes) and touched, g + 1 each, are
 * its scratch for column_group_sums. */
typedef struct group_part {
    void *w; /* the gram_work or dots_work */
    int me;
    double *sum;
    size_t *touched;
} group_part;

/* Run worker on threads parts (at most 8) of w, each with its scratch for g groups; CT_OK, or
 * CT_ENOMEM (then nothing ran). */
static int run_group_parts(int threads, size_t g, void (*worker)(void *), void *w)
{
    group_part parts[8];
    int rc = CT_OK;
    for (int q = 0; q < threads; q++) {
        parts[q] = (group_part){w, q, ct_calloc(g + 1, sizeof *parts[q].sum),
                                ct_malloc((g + 1) * sizeof *parts[q].touched)};
        if (!parts[q].sum || !parts[q].touched)
            rc = CT_ENOMEM;
    }
    if (rc == CT_OK)
        ct_parallel_run_parts(threads, worker, parts, sizeof *parts);
    for (int q = 0; q < threads; q++) {
        ct_free(parts[q].sum);
        ct_free(parts[q].touched);
    }
    return rc;
}

typedef struct gram_work {
    const sim_index *ix;
    const size_t *label;
    size_t g;
    double *G;
    int threads;
} gram_work;

/* Column t's postings summed by group: sum[a] += the unit-row weight of each row of group a
 * (label[i], SIZE_MAX: in none), the groups met listed in touched in the order first met;
 * returns how many. The caller zeroes sum[touched[u]] again when done with the column. */
static size_t column_group_sums(const sim_index *ix, const size_t *label, size_t t, double *sum,
                                size_t *touched)
{
    size_t nt = 0;
    for (size_t p = ix->col_ptr[t]; p < ix->col_ptr[t + 1]; p++) {
        size_t i = ix->col_rows[p], a = label[i];
        if (a == SIZE_MAX)
            continue;
        if (sum[a] == 0.0)
            touched[nt++] = a;
        /* the prepared weight over the prepared row's norm: a row of length 1 exactly */
        sum[a] += ix->col_vals[p] / ix->pnorm[i];
        if (sum[a] == 0.0) /* cannot happen with positive weights; keep the list right */
            sum[a] = 0x1p-1074;
    }
    return nt;
}

static void gram_worker(void *arg)
{
    group_part *part = arg;
    gram_work *w = part->w;
    const sim_index *ix = w->ix;
    size_t g = w->g, n_cols = ct_matrix_cols(ix->m);
    double *sum = part->sum;
    size_t *touched = part->touched;
    for (size_t t = 0; t < n_cols; t++) {
        size_t nt = column_group_sums(ix, w->label, t, sum, touched);
        for (size_t u = 0; u < nt; u++) {
            size_t a = touched[u];
            if ((int)(a % (size_t)w->threads) != part->me)
                continue;
            double *Ga = w->G + a * g;
            for (size_t v = 0; v < nt; v++)
                Ga[touched[v]] += sum[a] * sum[touched[v]];
        }
        for (size_t u = 0; u < nt; u++)
            sum[touched[u]] = 0.0;
    }
}

int ct_sim_group_gram(const sim_index *ix, const size_t *label, size_t g, double *G, int threads)
{
    memset(G, 0, g * g * sizeof *G);
    if (!g)
        return CT_OK;
    threads = ct_parallel_workers(threads, g, 8);
    gram_work w = {ix, label, g, G, threads};
    return run_group_parts(threads, g, gram_worker, &w);
}

typedef struct dots_work {
    const sim_index *ix;
    const size_t *label, *slot; /* slot[i]: row i's place in the sample, SIZE_MAX: none */
    size_t g;
    double *out; /* s × g */
    int threads;
} dots_work;

static void dots_worker(void *arg)
{
    group_part *part = arg;
    dots_work *w = part->w;
    const sim_index *ix = w->ix;
    size_t g = w->g, n_cols = ct_matrix_cols(ix->m);
    double *sum = part->sum;
    size_t *touched = part->touched;
    for (size_t t = 0; t < n_cols; t++) {
        size_t p0 = ix->col_ptr[t], p1 = ix->col_ptr[t + 1];
        int mine = 0;
        for (size_t p = p0; p < p1 && !mine; p++) {
            size_t q = w->slot[ix->col_rows[p]];
            mine = q != SIZE_MAX && (int)(q % (size_t)w->threads) == part->me;
        }
        if (!mine)
            continue;
        size_t nt = column_group_sums(ix, w->label, t, sum, touched);
        for (size_t p = p0; p < p1; p++) {
            size_t i = ix->col_rows[p], q = w->slot[i];
            if (q == SIZE_MAX || (int)(q % (size_t)w->threads) != part->me)
                continue;
            double x = ix->col_vals[p] / ix->pnorm[i], *o = w->out + q * g;
            for (size_t u = 0; u < nt; u++)
                o[touched[u]] += x * sum[touched[u]];
        }
        for (size_t u = 0; u < nt; u++)
            sum[touched[u]] = 0.0;
    }
}

int ct_sim_group_dots(const sim_index *ix, const size_t *label, size_t g, const size_t *slot,
                      size_t s, double *out, int threads)
{
    memset(out, 0, s * g * sizeof *out);
    if (!g || !s)
        return CT_OK;
    threads = ct_parallel_workers(threads, s, 8);
    dots_work w = {ix, label, slot, g, out, threads};
    return run_group_parts(threads, g, dots_worker, &w);
}
