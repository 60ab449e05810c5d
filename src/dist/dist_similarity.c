/* dist_similarity.c — similarity across ranks: blocks of prepared rows travel around a ring
 * (dist.h: ct_dist_simmatrix, ct_dist_neighbours).
 *
 * Each rank prepares its rows as the inverted index of one process does (similarity_index.c:
 * the row's norm, its weights divided by it, the norm of the prepared row), packs them with
 * their ids into one block, and passes blocks to the next rank P − 1 times, so every rank
 * meets every block once and no rank holds more than two blocks. For a visiting block, an
 * inverted index of its columns is built, and each local row adds a_t · b_jt into an
 * accumulator for the block's rows j, term by term in ascending id order — the sum, in the
 * order, that one process computes for the pair — and the score is finished as there
 * (similarity_impl.h: finish_score). So the full matrix's rows and the top-K lists are bit
 * for bit those of one process. Top-K keeps each local row's K best in a bounded heap
 * under the same total order (score descending, then id in byte order, then row), with the
 * rows sharing no term offered in id order, at most K a block, as neighbours.c offers them;
 * with cosine, a row whose sum is below the worst kept score times p_i · pmin (pmin: the
 * smallest prepared norm of the corpus) is rejected before its score is finished. */
#include <mpi.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "dist.h"
#include "matrix_impl.h"
#include "sort.h"

/* A block of prepared rows: header n, nnz, first (its corpus row), idbytes; then w[nnz],
 * norm[n], pnorm[n], row_ptr[n+1], cols[nnz], ids. */
typedef struct block {
    char *buf;
    size_t size;
    size_t n, nnz, first, idbytes;
    const double *w, *norm, *pnorm;
    const uint64_t *row_ptr;
    const uint32_t *cols;
    const char *ids;
    const char **id; /* n pointers into ids */
    int borrowed;    /* buf is another block's (the visitor at step 0 is our own block) */
} block;

static int block_view(block *b)
{
    const uint64_t *h = (const uint64_t *)b->buf;
    b->n = h[0];
    b->nnz = h[1];
    b->first = h[2];
    b->idbytes = h[3];
    const char *p = b->buf + 4 * sizeof(uint64_t);
    b->w = (const double *)p;
    p += b->nnz * sizeof(double);
    b->norm = (const double *)p;
    p += b->n * sizeof(double);
    b->pnorm = (const double *)p;
    p += b->n * sizeof(double);
    b->row_ptr = (const uint64_t *)p;
    p += (b->n + 1) * sizeof(uint64_t);
    b->cols = (const uint32_t *)p;
    p += b->nnz * sizeof(uint32_t);
    b->ids = p;
    ct_free(b->id);
    b->id = ct_malloc((b->n ? b->n : 1) * sizeof *b->id);
    if (!b->id)
        return CT_ENOMEM;
    const char *s = b->ids;
    for (size_t i = 0; i < b->n; i++) {
        b->id[i] = s;
        s += strlen(s) + 1;
    }
    return CT_OK;
}

/* This rank's rows of w, prepared for measure (zero entries left out, as the index does). */
static int block_pack(block *b, const ct_matrix *m, ct_sim_measure measure, size_t first)
{
    memset(b, 0, sizeof *b);
    size_t n = m->rows, nnz = 0, idbytes = 0;
    for (size_t k = 0; k < m->row_ptr[n]; k++)
        nnz += m->values[k] != 0.0;
    for (size_t i = 0; i < n; i++)
        idbytes += strlen(m->row_ids[i]) + 1;
    size_t size = 4 * sizeof(uint64_t) + nnz * sizeof(double) + 2 * n * sizeof(double) +
                  (n + 1) * sizeof(uint64_t) + nnz * sizeof(uint32_t) + idbytes;
    b->buf = ct_malloc(size);
    if (!b->buf)
        return CT_ENOMEM;
    b->size = size;
    uint64_t *h = (uint64_t *)b->buf;
    h[0] = n;
    h[1] = nnz;
    h[2] = first;
    h[3] = idbytes;
    char *p = b->buf + 4 * sizeof(uint64_t);
    double *w = (double *)p;
    p += nnz * sizeof(double);
    double *norm = (double *)p;
    p += n * sizeof(double);
    double *pnorm = (double *)p;
    p += n * sizeof(double);
    uint64_t *row_ptr = (uint64_t *)p;
    p += (n + 1) * sizeof(uint64_t);
    uint32_t *cols = (uint32_t *)p;
    p += nnz * sizeof(uint32_t);
    int cosine = measure == CT_SIM_COSINE;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        row_ptr[i] = at;
        double sum = 0.0;
        for (size_t k = m->row_ptr[i]; k < m->row_ptr[i + 1]; k++) {
            double v = m->values[k];
            if (v == 0.0)
                continue;
            sum += cosine ? v * v : 1.0;
        }
        norm[i] = cosine ? sqrt(sum) : sum;
        double sum2 = 0.0;
        for (size_t k = m->row_ptr[i]; k < m->row_ptr[i + 1]; k++) {
            double v = m->values[k];
            if (v == 0.0)
                continue;
            double x = cosine ? v / norm[i] : 1.0;
            sum2 += x * x;
            w[at] = x;
            cols[at++] = m->cols[k];
        }
        pnorm[i] = cosine ? sqrt(sum2) : 0.0;
    }
    row_ptr[n] = at;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(m->row_ids[i]) + 1;
        memcpy(p, m->row_ids[i], k);
        p += k;
    }
    return block_view(b);
}

static void block_free(block *b)
{
    if (!b->borrowed)
        ct_free(b->buf);
    ct_free(b->id);
    memset(b, 0, sizeof *b);
}

/* Send b to the next rank and receive the previous rank's block into b. */
static int block_pass(block *b)
{
    int P = ct_dist_size(), rank = ct_dist_rank();
    int to = (rank + 1) % P, from = (rank + P - 1) % P;
    unsigned long long mine = b->size, theirs = 0;
    MPI_Sendrecv(&mine, 1, MPI_UNSIGNED_LONG_LONG, to, 10, &theirs, 1, MPI_UNSIGNED_LONG_LONG, from,
                 10, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (mine > INT32_MAX || theirs > INT32_MAX) {
        fprintf(stderr, "comptext: a block of rows exceeds 2 GB; use more ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    char *in = ct_malloc(theirs ? theirs : 1);
    if (!in)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Sendrecv(b->buf, (int)mine, MPI_BYTE, to, 11, in, (int)theirs, MPI_BYTE, from, 11,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (!b->borrowed)
        ct_free(b->buf);
    b->borrowed = 0;
    b->buf = in;
    b->size = theirs;
    return block_view(b);
}

/* The inverted index of a block: for each column, its (row, weight) postings. */
typedef struct block_index {
    size_t *col_ptr; /* V + 1 */
    uint32_t *rows;
    double *vals;
} block_index;

static int index_build(block_index *ix, const block *b, size_t V)
{
    ix->col_ptr = ct_calloc(V + 1, sizeof *ix->col_ptr);
    ix->rows = ct_malloc((b->nnz ? b->nnz : 1) * sizeof *ix->rows);
    ix->vals = ct_malloc((b->nnz ? b->nnz : 1) * sizeof *ix->vals);
    if (!ix->col_ptr || !ix->rows || !ix->vals)
        return CT_ENOMEM;
    for (size_t k = 0; k < b->nnz; k++)
        ix->col_ptr[b->cols[k] + 1]++;
    for (size_t c = 0; c < V; c++)
        ix->col_ptr[c + 1] += ix->col_ptr[c];
    size_t *fill = ct_malloc((V ? V : 1) * sizeof *fill);
    if (!fill)
        return CT_ENOMEM;
    memcpy(fill, ix->col_ptr, V * sizeof *fill);
    for (size_t j = 0; j < b->n; j++)
        for (size_t k = b->row_ptr[j]; k < b->row_ptr[j + 1]; k++) {
            size_t p = fill[b->cols[k]]++;
            ix->rows[p] = (uint32_t)j;
            ix->vals[p] = b->w[k];
        }
    ct_free(fill);
    return CT_OK;
}

static void index_free(block_index *ix)
{
    ct_free(ix->col_ptr);
    ct_free(ix->rows);
    ct_free(ix->vals);
    memset(ix, 0, sizeof *ix);
}

/* finish_score of similarity_impl.h, for row i of the local block and j of the visitor. */
static inline double finish(ct_sim_measure measure, const block *a, size_t i, const block *b,
                            size_t j, double acc)
{
    if (measure == CT_SIM_COSINE) {
        if (acc == 0.0)
            return 0.0;
        double s = acc / (a->pnorm[i] * b->pnorm[j]);
        return s > 1.0 ? 1.0 : s;
    }
    double uni = a->norm[i] + b->norm[j] - acc;
    return uni > 0.0 ? acc / uni : 0.0;
}

/* acc[j] = Σ_t a_it · b_jt over the block's rows, t ascending. */
static void accumulate(const block *a, size_t i, const block_index *ix, double *acc, size_t nb)
{
    memset(acc, 0, (nb ? nb : 1) * sizeof *acc);
    for (size_t k = a->row_ptr[i]; k < a->row_ptr[i + 1]; k++) {
        uint32_t t = a->cols[k];
        double x = a->w[k];
        for (size_t p = ix->col_ptr[t]; p < ix->col_ptr[t + 1]; p++)
            acc[ix->rows[p]] += x * ix->vals[p];
    }
}

static size_t first_row(size_t rows)
{
    unsigned long long mine = rows, before = 0;
    MPI_Exscan(&mine, &before, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    return ct_dist_rank() == 0 ? 0 : (size_t)before;
}

int ct_dist_simmatrix(double **S, size_t *N, char ***ids, ct_matrix *w, ct_sim_measure measure,
                      ct_error *err)
{
    *S = NULL;
    *ids = NULL;
    size_t n = w->rows, V = ct_matrix_cols(w), first = first_row(n);
    unsigned long long rows = n, all = 0;
    MPI_Allreduce(&rows, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    *N = (size_t)all;
    block own, visit;
    int rc = block_pack(&own, w, measure, first);
    ct_matrix_drop_entries(w); /* the block holds the rows now; w keeps its ids */
    memset(&visit, 0, sizeof visit);
    double *out = NULL, *acc = NULL;
    if (rc == CT_OK && n && *N > SIZE_MAX / sizeof(double) / n)
        rc = CT_ENOMEM;
    if (rc == CT_OK && !(out = ct_calloc(n && *N ? n * *N : 1, sizeof *out)))
        rc = CT_ENOMEM;
    if (rc == CT_ENOMEM)
        ct_error_set(err, NULL, 0, -1,
                     "not enough memory for this rank's %zu rows of the %zu x %zu matrix; "
                     "--top K needs far less",
                     n, *N, *N);
    char **all_ids = NULL;
    if (rc == CT_OK && ct_dist_rank() == 0 && !(all_ids = ct_calloc(*N ? *N : 1, sizeof *all_ids)))
        rc = CT_ENOMEM;
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        goto done;
    visit.buf = own.buf; /* step 0: our own rows, not copied */
    visit.size = own.size;
    visit.borrowed = 1;
    if (block_view(&visit) != CT_OK)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (int step = 0; step < ct_dist_size(); step++) {
        if (step > 0 && block_pass(&visit) != CT_OK)
            MPI_Abort(MPI_COMM_WORLD, 1);
        if (all_ids)
            for (size_t j = 0; j < visit.n; j++)
                if (!(all_ids[visit.first + j] = ct_strdup(visit.id[j])))
                    MPI_Abort(MPI_COMM_WORLD, 1);
        block_index ix = {0};
        ct_free(acc);
        acc = ct_malloc((visit.n ? visit.n : 1) * sizeof *acc);
        if (!acc || index_build(&ix, &visit, V) != CT_OK)
            MPI_Abort(MPI_COMM_WORLD, 1);
        for (size_t i = 0; i < n; i++) {
            accumulate(&own, i, &ix, acc, visit.n);
            double *row = out + i * *N + visit.first;
            for (size_t j = 0; j < visit.n; j++)
                row[j] = visit.first + j == first + i ? (own.norm[i] > 0.0 ? 1.0 : 0.0)
                                                      : finish(measure, &own, i, &visit, j, acc[j]);
        }
        index_free(&ix);
    }
    *S = out;
    out = NULL;
    *ids = all_ids;
    all_ids = NULL;
done:
    if (all_ids)
        for (size_t j = 0; j < *N; j++)
            ct_free(all_ids[j]);
    ct_free(all_ids);
    ct_free(out);
    ct_free(acc);
    block_free(&own);
    block_free(&visit);
    return rc;
}

/* Top-K: a bounded heap whose root is the worst kept candidate. */
typedef struct cand {
    double score;
    size_t row; /* corpus row */
    char *id;   /* owned */
} cand;

static inline int better(const cand *a, const cand *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    int c = strcmp(a->id, b->id);
    if (c)
        return c < 0;
    return a->row < b->row;
}

static void sift_down(cand *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && better(&h[w], &h[l]))
            w = l;
        if (r < n && better(&h[w], &h[r]))
            w = r;
        if (w == i)
            return;
        cand t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

/* Offer (score, row, id) to the heap h of n (≤ K) entries. */
static void offer(cand *h, size_t *n, size_t K, double score, size_t row, const char *id)
{
    cand c = {score, row, (char *)id};
    if (*n < K) {
        c.id = ct_strdup(id);
        if (!c.id)
            MPI_Abort(MPI_COMM_WORLD, 1);
        size_t i = (*n)++;
        h[i] = c;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!better(&h[p], &h[i]))
                break;
            cand t = h[i];
            h[i] = h[p];
            h[p] = t;
            i = p;
        }
        return;
    }
    if (better(&c, &h[0])) {
        ct_free(h[0].id);
        h[0] = (cand){score, row, ct_strdup(id)};
        if (!h[0].id)
            MPI_Abort(MPI_COMM_WORLD, 1);
        sift_down(h, K, 0);
    }
}

static const block *sort_block;
static int by_block_id(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_block->id[x], sort_block->id[y]);
    return c ? c : (x < y ? -1 : x > y);
}

int ct_dist_neighbours(double **scores, char ***nb_ids, size_t *kk, ct_matrix *w, size_t k,
                       ct_sim_measure measure, ct_error *err)
{
    *scores = NULL;
    *nb_ids = NULL;
    size_t n = w->rows, V = ct_matrix_cols(w), first = first_row(n);
    unsigned long long rows = n, all = 0;
    MPI_Allreduce(&rows, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    size_t N = (size_t)all, K = k > (N ? N - 1 : 0) ? (N ? N - 1 : 0) : k;
    *kk = K;
    block own, visit;
    memset(&visit, 0, sizeof visit);
    int rc = block_pack(&own, w, measure, first);
    ct_matrix_drop_entries(w); /* the block holds the rows now; w keeps its ids */
    cand *heaps = NULL;
    size_t *fill = NULL;
    if (rc == CT_OK && K && n > SIZE_MAX / sizeof(cand) / K)
        rc = CT_ENOMEM;
    if (rc == CT_OK && (!(heaps = ct_calloc(n && K ? n * K : 1, sizeof *heaps)) ||
                        !(fill = ct_calloc(n ? n : 1, sizeof *fill))))
        rc = CT_ENOMEM;
    if ((rc = ct_dist_agree(rc, err)) != CT_OK) {
        ct_free(heaps);
        ct_free(fill);
        block_free(&own);
        return rc;
    }
    visit.buf = own.buf; /* step 0: our own rows, not copied */
    visit.size = own.size;
    visit.borrowed = 1;
    if (block_view(&visit) != CT_OK)
        MPI_Abort(MPI_COMM_WORLD, 1);
    /* cosine: the smallest non-zero prepared norm of the corpus bounds every score from
     * above (score = a / (p_i p_j) <= a / (p_i pmin)), so one comparison rejects a row that
     * cannot enter a full list, as neighbours.c does */
    double pmin = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (own.pnorm[i] > 0.0 && own.pnorm[i] < pmin)
            pmin = own.pnorm[i];
    MPI_Allreduce(MPI_IN_PLACE, &pmin, 1, MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
    int cosine = measure == CT_SIM_COSINE;
    double *acc = NULL;
    size_t *by_id = NULL;
    for (int step = 0; step < ct_dist_size() && K; step++) {
        if (step > 0 && block_pass(&visit) != CT_OK)
            MPI_Abort(MPI_COMM_WORLD, 1);
        block_index ix = {0};
        ct_free(acc);
        ct_free(by_id);
        acc = ct_malloc((visit.n ? visit.n : 1) * sizeof *acc);
        by_id = ct_malloc((visit.n ? visit.n : 1) * sizeof *by_id);
        if (!acc || !by_id || index_build(&ix, &visit, V) != CT_OK)
            MPI_Abort(MPI_COMM_WORLD, 1);
        for (size_t j = 0; j < visit.n; j++)
            by_id[j] = j;
        sort_block = &visit;
        ct_sort(by_id, visit.n, sizeof *by_id, by_block_id);
        for (size_t i = 0; i < n; i++) {
            cand *h = heaps + i * K;
            size_t gi = first + i;
            accumulate(&own, i, &ix, acc, visit.n);
            /* with a margin far above rounding: a row tying with the worst kept score is
             * never rejected here (its id decides), so the lists are the exact top K */
            double scale = cosine ? own.pnorm[i] * pmin * (1.0 - 1e-12) : 0.0;
            for (size_t j = 0; j < visit.n; j++) {
                if (acc[j] == 0.0 || visit.first + j == gi)
                    continue;
                if (cosine && fill[i] == K && acc[j] < h[0].score * scale)
                    continue;
                double s = finish(measure, &own, i, &visit, j, acc[j]);
                if (fill[i] == K && s < h[0].score)
                    continue;
                offer(h, &fill[i], K, s, visit.first + j, visit.id[j]);
            }
            /* rows sharing no term, in id order: once K are offered no later one enters */
            if (fill[i] < K || !(h[0].score > 0.0)) {
                size_t offered = 0;
                for (size_t q = 0; q < visit.n && offered < K; q++) {
                    size_t j = by_id[q];
                    if (visit.first + j == gi || acc[j] != 0.0)
                        continue;
                    offer(h, &fill[i], K, 0.0, visit.first + j, visit.id[j]);
                    offered++;
                }
            }
        }
        index_free(&ix);
    }
    ct_free(acc);
    ct_free(by_id);
    block_free(&visit);
    block_free(&own);
    double *sc = ct_malloc((n && K ? n * K : 1) * sizeof *sc);
    char **ids = ct_malloc((n && K ? n * K : 1) * sizeof *ids);
    if (!sc || !ids)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t i = 0; i < n; i++) {
        cand *h = heaps + i * K;
        /* best first: move the worst to the end, repeatedly */
        for (size_t m = fill[i]; m > 1; m--) {
            cand t = h[0];
            h[0] = h[m - 1];
            h[m - 1] = t;
            sift_down(h, m - 1, 0);
        }
        for (size_t q = 0; q < K; q++) {
            sc[i * K + q] = h[q].score;
            ids[i * K + q] = h[q].id;
        }
    }
    ct_free(heaps);
    ct_free(fill);
    *scores = sc;
    *nb_ids = ids;
    return CT_OK;
}
