/* neighbours.c — each row's K most similar rows (comptext/similarity.h).
 *
 * Top-K walks the whole columns of the inverted index (similarity_index.c) of a block's
 * terms into a per-thread accumulator of N doubles a row, with the sums in the same order as
 * the full matrix's, and keeps the K best of each row in a bounded heap: memory
 * O(nnz + N·K + threads·N). Ties are broken by row id in byte order, then row, so the lists
 * are the same for any number of threads. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "similarity_impl.h"

struct ct_neighbours {
    size_t n, k; /* k: entries a row (min(k, n - 1)) */
    ct_neighbour *nb;
};

/* 1 when a ranks before b: score descending, then row id in byte order, then row. */
static inline int better(const ct_matrix *m, const ct_neighbour *a, const ct_neighbour *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    int c = strcmp(m->row_ids[a->row], m->row_ids[b->row]);
    if (c)
        return c < 0;
    return a->row < b->row;
}

/* A bounded heap whose root is the worst of the kept candidates. */
typedef struct heap {
    ct_neighbour *h;
    size_t n, cap;
    const ct_matrix *m;
} heap;

static void heap_sift_down(heap *hp, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < hp->n && better(hp->m, &hp->h[w], &hp->h[l]))
            w = l;
        if (r < hp->n && better(hp->m, &hp->h[w], &hp->h[r]))
            w = r;
        if (w == i)
            return;
        ct_neighbour t = hp->h[i];
        hp->h[i] = hp->h[w];
        hp->h[w] = t;
        i = w;
    }
}

static void heap_offer(heap *hp, ct_neighbour c)
{
    if (hp->n < hp->cap) {
        size_t i = hp->n++;
        hp->h[i] = c;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!better(hp->m, &hp->h[p], &hp->h[i]))
                break;
            ct_neighbour t = hp->h[i];
            hp->h[i] = hp->h[p];
            hp->h[p] = t;
            i = p;
        }
        return;
    }
    if (better(hp->m, &c, &hp->h[0])) {
        hp->h[0] = c;
        heap_sift_down(hp, 0);
    }
}

/* The K best of row i, into out (best first), from acc: the accumulated dot products or
 * intersection sizes, 0 for the rows that share no term with i. acc is zeroed on return. */
static void select_row(const sim_work *w, size_t i, double *acc, ct_neighbour *out)
{
    const sim_index *ix = w->ix;
    size_t K = w->k, N = ix->n_rows;
    heap hp = {out, 0, K, ix->m};
    size_t j = 0;
    if (ix->measure == CT_SIM_COSINE && K > 0) {
        /* Cosine: the score min(acc, 1) is below the worst kept score thr whenever acc is, so
         * once the heap is full one comparison with thr rejects a row (the common case). */
        for (; j < N && hp.n < K; j++)
            if (acc[j] != 0.0 && j != i)
                heap_offer(&hp, (ct_neighbour){j, finish_score(ix, i, j, acc[j])});
        /* score = a / (pnorm_i · pnorm_j) >= a / (pnorm_i · pmin): a below thr · that bound
         * cannot reach thr */
        double scale = ix->pnorm[i] * ix->pmin;
        double thr = hp.n == K ? hp.h[0].score * scale : 0.0;
        for (; j < N; j++) {
            double a = acc[j];
            if (a < thr || a == 0.0 || j == i)
                continue;
            heap_offer(&hp, (ct_neighbour){j, finish_score(ix, i, j, a)});
            thr = hp.h[0].score * scale;
        }
    }
    for (; j < N; j++) {
        if (acc[j] == 0.0 || j == i)
            continue;
        double score = finish_score(ix, i, j, acc[j]);
        if (hp.n == K && score < hp.h[0].score)
            continue; /* cannot enter: the common case, kept cheap */
        heap_offer(&hp, (ct_neighbour){j, score});
    }
    /* The rows with score 0 are offered in id order; once K of them have been offered no
     * later one can enter. */
    if (hp.n < K || !(hp.h[0].score > 0.0)) {
        size_t offered = 0;
        for (size_t q = 0; q < N && offered < K; q++) {
            size_t j = w->by_id[q];
            if (j == i || acc[j] != 0.0)
                continue;
            heap_offer(&hp, (ct_neighbour){j, 0.0});
            offered++;
        }
    }
    memset(acc, 0, N * sizeof *acc);
    /* Sort best first: repeatedly move the worst to the end. */
    for (size_t n = hp.n; n > 1; n--) {
        ct_neighbour t = hp.h[0];
        hp.h[0] = hp.h[n - 1];
        hp.h[n - 1] = t;
        hp.n = n - 1;
        heap_sift_down(&hp, 0);
    }
}

/* For each term t of a block of rows, in ascending order, each row a of the block having t
 * adds a_t · x_jt to its accumulator for every row j of column t; the posting list is read
 * from memory once for the block. No branch in the inner loop: the rows that share a term
 * are found afterwards as the non-zero accumulators. */
static void topk_worker(void *arg, int worker)
{
    sim_work *w = arg;
    (void)worker;
    const sim_index *ix = w->ix;
    size_t N = ix->n_rows, lo, hi;
    block_terms bt;
    double *accs = ct_calloc(BLOCK_ROWS * N, sizeof *accs);
    if (ct_sim_block_terms_init(&bt, ct_matrix_cols(ix->m)) != CT_OK || !accs) {
        ct_chunk_queue_fail(&w->queue, CT_ENOMEM);
        goto done;
    }
    const uint32_t *rows = ix->col_rows;
    const double *vals = ix->col_vals;
    while (ct_chunk_queue_take(&w->queue, &lo, &hi)) {
        ct_sim_block_terms_collect(&bt, ix, lo, hi);
        for (size_t q = 0; q < bt.n; q++) {
            uint32_t t = bt.terms[q];
            size_t s0 = ix->col_ptr[t], e = ix->col_ptr[t + 1],
                   p = ct_sim_col_lower_bound(ix, t, lo), pe = p;
            while (pe < e && rows[pe] < hi)
                pe++;
            /* Four rows of the block at a time: each posting read updates four accumulators. */
            for (; p + 4 <= pe; p += 4) {
                double a0 = vals[p], a1 = vals[p + 1], a2 = vals[p + 2], a3 = vals[p + 3];
                double *restrict A0 = accs + (size_t)(rows[p] - lo) * N;
                double *restrict A1 = accs + (size_t)(rows[p + 1] - lo) * N;
                double *restrict A2 = accs + (size_t)(rows[p + 2] - lo) * N;
                double *restrict A3 = accs + (size_t)(rows[p + 3] - lo) * N;
                for (size_t r = s0; r < e; r++) {
                    size_t j = rows[r];
                    double v = vals[r];
                    A0[j] += a0 * v;
                    A1[j] += a1 * v;
                    A2[j] += a2 * v;
                    A3[j] += a3 * v;
                }
            }
            for (; p < pe; p++) {
                double a = vals[p], *acc = accs + (size_t)(rows[p] - lo) * N;
                for (size_t r = s0; r < e; r++)
                    acc[rows[r]] += a * vals[r];
            }
        }
        for (size_t i = lo; i < hi; i++)
            select_row(w, i, accs + (i - lo) * N, w->nb + i * w->k);
    }
done:
    ct_sim_block_terms_free(&bt);
    ct_free(accs);
}

static int by_row_id(const void *a, const void *b, void *ctx)
{
    const ct_matrix *m = *(const ct_matrix **)ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(m->row_ids[x], m->row_ids[y]);
    return c ? c : (x < y ? -1 : x > y);
}

int ct_sim_topk(const sim_index *ix, size_t k, ct_neighbour *nb, int threads)
{
    size_t N = ix->n_rows;
    size_t *by_id = ct_malloc((N ? N : 1) * sizeof *by_id);
    if (!by_id)
        return CT_ENOMEM;
    for (size_t i = 0; i < N; i++)
        by_id[i] = i;
    const ct_matrix *sorted = ix->m;
    qsort_r(by_id, N, sizeof *by_id, by_row_id, &sorted);
    sim_work w = {.ix = ix, .k = k, .nb = nb, .by_id = by_id};
    int rc = ct_sim_run_blocks(&w, topk_worker, threads);
    ct_free(by_id);
    return rc;
}

/* ct_neighbours_new, consuming own (== m) when not NULL. */
static int neighbours_make(ct_neighbours **out, const ct_matrix *m, ct_matrix *own, size_t k,
                           const ct_sim_options *opts)
{
    *out = NULL;
    ct_sim_options def;
    if (!opts) {
        ct_sim_options_init(&def);
        opts = &def;
    }
    if (k == 0 || (unsigned)opts->measure > CT_SIM_JACCARD)
        return CT_EINVAL;
    size_t N = m->rows;
    if (k > (N ? N - 1 : 0))
        k = N ? N - 1 : 0;
    ct_neighbours *nb = ct_calloc(1, sizeof *nb);
    if (!nb)
        return CT_ENOMEM;
    nb->n = N;
    nb->k = k;
    if (k && N > SIZE_MAX / sizeof(ct_neighbour) / k) {
        ct_free(nb);
        return CT_ENOMEM;
    }
    nb->nb = ct_malloc(N && k ? N * k * sizeof *nb->nb : 1);
    if (!nb->nb) {
        ct_neighbours_free(nb);
        return CT_ENOMEM;
    }
    if (k == 0) {
        *out = nb;
        return CT_OK;
    }
    sim_index ix;
    int rc = ct_sim_index_build(&ix, m, own, opts->measure, opts->threads);
    if (rc == CT_OK) {
        rc = ct_sim_topk(&ix, k, nb->nb, opts->threads);
        ct_sim_index_free(&ix);
    }
    if (rc != CT_OK) {
        ct_neighbours_free(nb);
        return rc;
    }
    *out = nb;
    return CT_OK;
}

int ct_neighbours_new(ct_neighbours **out, const ct_matrix *m, size_t k, const ct_sim_options *opts)
{
    return neighbours_make(out, m, NULL, k, opts);
}

int ct_neighbours_new_consume(ct_neighbours **out, ct_matrix *m, size_t k,
                              const ct_sim_options *opts)
{
    int rc = neighbours_make(out, m, m, k, opts);
    ct_matrix_drop_entries(m);
    return rc;
}

void ct_neighbours_free(ct_neighbours *nb)
{
    if (!nb)
        return;
    ct_free(nb->nb);
    ct_free(nb);
}

const ct_neighbour *ct_neighbours_row(const ct_neighbours *nb, size_t i, size_t *count)
{
    *count = nb->k;
    return nb->nb + i * nb->k;
}
