/* dist_similarity.c — similarity across ranks: blocks of prepared rows travel around a ring
 * (dist.h: ct_dist_simmatrix, ct_dist_neighbours).
 *
 * Each rank prepares its rows as the inverted index of one process does (similarity_index.c:
 * the row's norm, its weights divided by it, the norm of the prepared row) in place, in the
 * weight matrix's own arrays, builds the inverted index of its rows (with their norms and
 * ids: a block), and passes blocks to the next rank P − 1 times, so every rank meets every
 * block once. A block is held in column segments, each passed on and replaced in turn, so a
 * rank holds its rows, one block and one segment of the next. Each local row adds
 * a_t · b_jt from the visiting block's columns into an accumulator for the block's rows j,
 * term by term in ascending id order — the sum, in the
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
#include "similarity_impl.h"
#include "sort.h"
#include "themes_impl.h"

/* This rank's rows, prepared in place in the weight matrix's own arrays (zero entries
 * left out, as the index does): no second copy of the weights. */
typedef struct own_rows {
    size_t n, first;
    const size_t *row_ptr;
    const uint32_t *cols;
    const double *w;
    double *norm, *pnorm;
} own_rows;

static int own_prepare(own_rows *o, ct_matrix *m, ct_sim_measure measure, size_t first)
{
    memset(o, 0, sizeof *o);
    size_t n = m->rows;
    o->n = n;
    o->first = first;
    o->norm = ct_malloc((n ? n : 1) * sizeof *o->norm);
    o->pnorm = ct_malloc((n ? n : 1) * sizeof *o->pnorm);
    if (!o->norm || !o->pnorm)
        return CT_ENOMEM;
    size_t at = 0, lo = m->row_ptr[0];
    for (size_t i = 0; i < n; i++) {
        size_t hi = m->row_ptr[i + 1];
        ct_sim_row_norms(measure, m->values + lo, hi - lo, &o->norm[i], &o->pnorm[i]);
        m->row_ptr[i] = at; /* the prepared non-zero entries, compacted */
        for (size_t k = lo; k < hi; k++)
            if (m->values[k] != 0.0) {
                m->values[at] = ct_sim_row_weight(measure, o->norm[i], m->values[k]);
                m->cols[at++] = m->cols[k];
            }
        lo = hi;
    }
    m->row_ptr[n] = at;
    o->row_ptr = m->row_ptr;
    o->cols = m->cols;
    o->w = m->values;
    return CT_OK;
}

static void own_free(own_rows *o)
{
    ct_free(o->norm);
    ct_free(o->pnorm);
    memset(o, 0, sizeof *o);
}

/* A block of rows as it travels: inverted, by column (each column's postings in row order),
 * in SEGS segments of the columns, each its own buffer, so that passing a block to the next
 * rank holds one segment twice, never the whole block. The head: n, first, idbytes, then
 * norm[n], pnorm[n], ids. A segment of columns [c0, c1): c0, c1, nnz, then
 * ptr[c1 - c0 + 1], vals[nnz], rows[nnz]. */
#define SEGS 8

typedef struct seg {
    char *buf;
    size_t size, c0, c1, nnz;
    const uint64_t *ptr;
    const double *vals;
    const uint32_t *rows;
} seg;

typedef struct block {
    char *head;
    size_t head_size, n, first;
    const double *norm, *pnorm;
    const char **id; /* n pointers into the head */
    seg segs[SEGS];
} block;

static int block_view(block *b)
{
    const uint64_t *h = (const uint64_t *)b->head;
    b->n = h[0];
    b->first = h[1];
    const char *p = b->head + 3 * sizeof(uint64_t);
    b->norm = (const double *)p;
    p += b->n * sizeof(double);
    b->pnorm = (const double *)p;
    p += b->n * sizeof(double);
    ct_free(b->id);
    b->id = ct_malloc((b->n ? b->n : 1) * sizeof *b->id);
    if (!b->id)
        return CT_ENOMEM;
    for (size_t i = 0; i < b->n; i++) {
        b->id[i] = p;
        p += strlen(p) + 1;
    }
    for (int s = 0; s < SEGS; s++) {
        seg *g = &b->segs[s];
        const uint64_t *gh = (const uint64_t *)g->buf;
        g->c0 = gh[0];
        g->c1 = gh[1];
        g->nnz = gh[2];
        g->ptr = gh + 3;
        g->vals = (const double *)(g->ptr + (g->c1 - g->c0 + 1));
        g->rows = (const uint32_t *)(g->vals + g->nnz);
    }
    return CT_OK;
}

/* This rank's prepared rows as a travelling block. */
static int block_build(block *b, const own_rows *o, char *const *ids, size_t V)
{
    memset(b, 0, sizeof *b);
    size_t n = o->n, idbytes = 0, nnz = o->row_ptr[n];
    for (size_t i = 0; i < n; i++)
        idbytes += strlen(ids[i]) + 1;
    b->head_size = 3 * sizeof(uint64_t) + 2 * n * sizeof(double) + idbytes;
    if (!(b->head = ct_malloc(b->head_size)))
        return CT_ENOMEM;
    uint64_t *h = (uint64_t *)b->head;
    h[0] = n;
    h[1] = o->first;
    h[2] = idbytes;
    char *p = b->head + 3 * sizeof(uint64_t);
    memcpy(p, o->norm, n * sizeof(double));
    p += n * sizeof(double);
    memcpy(p, o->pnorm, n * sizeof(double));
    p += n * sizeof(double);
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(ids[i]) + 1;
        memcpy(p, ids[i], k);
        p += k;
    }
    /* where each column's postings go: a running position within its segment */
    size_t *at = ct_calloc(V + 1, sizeof *at);
    if (!at)
        return CT_ENOMEM;
    for (size_t k = 0; k < nnz; k++)
        at[o->cols[k]]++;
    int rc = CT_OK;
    for (int s = 0; s < SEGS && rc == CT_OK; s++) {
        seg *g = &b->segs[s];
        size_t c0 = V * (size_t)s / SEGS, c1 = V * (size_t)(s + 1) / SEGS, sn = 0;
        for (size_t c = c0; c < c1; c++) {
            size_t k = at[c];
            at[c] = sn; /* the column's first posting */
            sn += k;
        }
        g->size = 3 * sizeof(uint64_t) + (c1 - c0 + 1) * sizeof(uint64_t) +
                  sn * (sizeof(double) + sizeof(uint32_t));
        if (!(g->buf = ct_malloc(g->size))) {
            rc = CT_ENOMEM;
            break;
        }
        uint64_t *gh = (uint64_t *)g->buf;
        gh[0] = c0;
        gh[1] = c1;
        gh[2] = sn;
        for (size_t c = c0; c < c1; c++)
            gh[3 + c - c0] = at[c];
        gh[3 + c1 - c0] = sn;
    }
    if (rc == CT_OK && (rc = block_view(b)) == CT_OK)
        for (size_t j = 0; j < n; j++) /* rows in order: each column's postings by row */
            for (size_t k = o->row_ptr[j], s = 0; k < o->row_ptr[j + 1]; k++) {
                uint32_t t = o->cols[k];
                while (t >= b->segs[s].c1)
                    s++;
                seg *g = &b->segs[s];
                size_t q = at[t]++;
                ((double *)g->vals)[q] = o->w[k];
                ((uint32_t *)g->rows)[q] = (uint32_t)j;
            }
    ct_free(at);
    return rc;
}

static void block_free(block *b)
{
    ct_free(b->head);
    ct_free(b->id);
    for (int s = 0; s < SEGS; s++)
        ct_free(b->segs[s].buf);
    memset(b, 0, sizeof *b);
}

/* Send *buf (size *size) to the next rank and receive the previous rank's in its place. */
static void pass_buffer(char **buf, size_t *size, int tag)
{
    int P = ct_dist_size(), rank = ct_dist_rank();
    int to = (rank + 1) % P, from = (rank + P - 1) % P;
    unsigned long long mine = *size, theirs = 0;
    MPI_Sendrecv(&mine, 1, MPI_UNSIGNED_LONG_LONG, to, tag, &theirs, 1, MPI_UNSIGNED_LONG_LONG,
                 from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (mine > INT32_MAX || theirs > INT32_MAX) {
        fprintf(stderr, "comptext: a block of rows exceeds 2 GB; use more ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    char *in = ct_malloc(theirs ? theirs : 1);
    if (!in)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Sendrecv(*buf, (int)mine, MPI_BYTE, to, tag + 1, in, (int)theirs, MPI_BYTE, from, tag + 1,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    ct_free(*buf);
    *buf = in;
    *size = theirs;
}

/* Pass b to the next rank and receive the previous rank's block into b, a segment at a
 * time. */
static int block_pass(block *b)
{
    pass_buffer(&b->head, &b->head_size, 10);
    for (int s = 0; s < SEGS; s++)
        pass_buffer(&b->segs[s].buf, &b->segs[s].size, 12 + 2 * s);
    return block_view(b);
}

/* The score of local row i and row j of the visitor (ct_sim_finish, similarity_impl.h). */
static inline double finish(ct_sim_measure measure, const own_rows *a, size_t i, const block *b,
                            size_t j, double acc)
{
    return ct_sim_finish(measure, acc, a->norm[i], b->norm[j], a->pnorm[i], b->pnorm[j]);
}

/* acc[j] = Σ_t a_it · b_jt over the block's rows, t ascending. */
static void accumulate(const own_rows *a, size_t i, const block *b, double *acc)
{
    memset(acc, 0, (b->n ? b->n : 1) * sizeof *acc);
    size_t s = 0;
    for (size_t k = a->row_ptr[i]; k < a->row_ptr[i + 1]; k++) {
        uint32_t t = a->cols[k];
        while (t >= b->segs[s].c1)
            s++;
        const seg *g = &b->segs[s];
        double x = a->w[k];
        for (size_t p = g->ptr[t - g->c0]; p < g->ptr[t - g->c0 + 1]; p++)
            acc[g->rows[p]] += x * g->vals[p];
    }
}

static size_t first_row(size_t rows)
{
    unsigned long long mine = rows, before = 0;
    MPI_Exscan(&mine, &before, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    return ct_dist_rank() == 0 ? 0 : (size_t)before;
}

/* The start of both ring passes (collective): *first, this rank's first row in the corpus;
 * *N, the corpus's rows; own, this rank's prepared rows; visit, the block that goes round
 * the ring, first this rank's own. */
static int ring_start(ct_matrix *w, ct_sim_measure measure, size_t *first, size_t *N, own_rows *own,
                      block *visit)
{
    size_t n = w->rows, V = ct_matrix_cols(w);
    *first = first_row(n);
    unsigned long long rows = n, all = 0;
    MPI_Allreduce(&rows, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    *N = (size_t)all;
    memset(visit, 0, sizeof *visit);
    int rc = own_prepare(own, w, measure, *first);
    if (rc == CT_OK)
        rc = block_build(visit, own, w->row_ids, V);
    return rc;
}

int ct_dist_simmatrix(double **S, size_t *N, char ***ids, ct_matrix *w, ct_sim_measure measure,
                      ct_error *err)
{
    *S = NULL;
    *ids = NULL;
    size_t n = w->rows, first;
    own_rows own;
    block visit;
    int rc = ring_start(w, measure, &first, N, &own, &visit);
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
    for (int step = 0; step < ct_dist_size(); step++) {
        if (step > 0 && block_pass(&visit) != CT_OK)
            MPI_Abort(MPI_COMM_WORLD, 1);
        if (all_ids)
            for (size_t j = 0; j < visit.n; j++)
                if (!(all_ids[visit.first + j] = ct_strdup(visit.id[j])))
                    MPI_Abort(MPI_COMM_WORLD, 1);
        ct_free(acc);
        acc = ct_malloc((visit.n ? visit.n : 1) * sizeof *acc);
        if (!acc)
            MPI_Abort(MPI_COMM_WORLD, 1);
        for (size_t i = 0; i < n; i++) {
            accumulate(&own, i, &visit, acc);
            double *row = out + i * *N + visit.first;
            for (size_t j = 0; j < visit.n; j++)
                row[j] = visit.first + j == first + i ? (own.norm[i] > 0.0 ? 1.0 : 0.0)
                                                      : finish(measure, &own, i, &visit, j, acc[j]);
        }
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
    block_free(&visit);
    own_free(&own);
    ct_matrix_drop_entries(w); /* w keeps its rows and ids */
    return rc;
}

/* Top-K: a bounded heap whose root is the worst kept candidate. */
typedef struct cand {
    double score;
    size_t row; /* corpus row */
    char *id;   /* owned; NULL: ties by row alone (themes' neighbours) */
} cand;

static inline int better(const cand *a, const cand *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    int c = a->id && b->id ? strcmp(a->id, b->id) : 0;
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
        c.id = id ? ct_strdup(id) : NULL;
        if (id && !c.id)
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
        h[0] = (cand){score, row, id ? ct_strdup(id) : NULL};
        if (id && !h[0].id)
            MPI_Abort(MPI_COMM_WORLD, 1);
        sift_down(h, K, 0);
    }
}

/* The heap h of n entries, best first. */
static void heap_best_first(cand *h, size_t n)
{
    for (size_t m = n; m > 1; m--) { /* move the worst (the root) to the end, repeatedly */
        cand t = h[0];
        h[0] = h[m - 1];
        h[m - 1] = t;
        sift_down(h, m - 1, 0);
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
    size_t n = w->rows, first, N;
    own_rows own;
    block visit;
    int rc = ring_start(w, measure, &first, &N, &own, &visit);
    size_t K = k > (N ? N - 1 : 0) ? (N ? N - 1 : 0) : k;
    *kk = K;
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
        block_free(&visit);
        own_free(&own);
        ct_matrix_drop_entries(w);
        return rc;
    }
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
        ct_free(acc);
        ct_free(by_id);
        acc = ct_malloc((visit.n ? visit.n : 1) * sizeof *acc);
        by_id = ct_malloc((visit.n ? visit.n : 1) * sizeof *by_id);
        if (!acc || !by_id)
            MPI_Abort(MPI_COMM_WORLD, 1);
        for (size_t j = 0; j < visit.n; j++)
            by_id[j] = j;
        sort_block = &visit;
        ct_sort(by_id, visit.n, sizeof *by_id, by_block_id);
        for (size_t i = 0; i < n; i++) {
            cand *h = heaps + i * K;
            size_t gi = first + i;
            accumulate(&own, i, &visit, acc);
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
    }
    ct_free(acc);
    ct_free(by_id);
    block_free(&visit);
    own_free(&own);
    ct_matrix_drop_entries(w); /* w keeps its rows and ids */
    double *sc = ct_malloc((n && K ? n * K : 1) * sizeof *sc);
    char **ids = ct_malloc((n && K ? n * K : 1) * sizeof *ids);
    if (!sc || !ids)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t i = 0; i < n; i++) {
        cand *h = heaps + i * K;
        heap_best_first(h, fill[i]);
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

/* themes' neighbours (analysis/themes_impl.h): this rank's rows weighted as themes weighs
 * them, the terms in more than half of the rows left out of the dot products (not of the
 * norms), travelling the ring as the similarity's blocks do; the sums are those of one
 * process (accumulate: t ascending, the local row's weight times the visitor's). */
int ct_dist_themes_nearest(const ct_matrix *counts, const uint32_t *df, size_t rows_total, size_t m,
                           size_t *near, size_t *n_near, ct_error *err)
{
    size_t n = counts->rows, V = ct_matrix_cols(counts), first = first_row(n);
    size_t nnz = counts->row_ptr[n];
    double N = (double)rows_total;
    own_rows own;
    memset(&own, 0, sizeof own);
    own.n = n;
    own.first = first;
    size_t *ptr = ct_malloc((n + 1) * sizeof *ptr);
    uint32_t *cols = ct_malloc((nnz ? nnz : 1) * sizeof *cols);
    double *w = ct_malloc((nnz ? nnz : 1) * sizeof *w);
    own.norm = ct_malloc((n ? n : 1) * sizeof *own.norm);
    own.pnorm = ct_calloc(n ? n : 1, sizeof *own.pnorm);
    cand *heaps = ct_calloc(n && m ? n * m : 1, sizeof *heaps);
    size_t *fill = ct_calloc(n ? n : 1, sizeof *fill);
    block visit;
    memset(&visit, 0, sizeof visit);
    int rc = ptr && cols && w && own.norm && own.pnorm && heaps && fill ? CT_OK : CT_ENOMEM;
    if (rc == CT_OK)
        ptr[0] = 0; /* a rank without rows still has an empty block to pass round the ring */
    for (size_t i = 0, at = 0; rc == CT_OK && i < n; i++) {
        double sum = 0;
        for (size_t k = counts->row_ptr[i]; k < counts->row_ptr[i + 1]; k++) {
            double v = counts->values[k];
            if (!(v > 0))
                continue;
            double x = themes_nb_weight(v, df[counts->cols[k]], N);
            sum += x * x;
            if (2 * (size_t)df[counts->cols[k]] <= rows_total) {
                cols[at] = counts->cols[k];
                w[at++] = x;
            }
        }
        own.norm[i] = sqrt(sum);
        ptr[i + 1] = at;
    }
    own.row_ptr = ptr;
    own.cols = cols;
    own.w = w;
    if (rc == CT_OK)
        rc = block_build(&visit, &own, counts->row_ids, V);
    if ((rc = ct_dist_agree(rc, err)) == CT_OK) {
        double *acc = NULL;
        for (int step = 0; step < ct_dist_size() && m; step++) {
            if (step > 0 && block_pass(&visit) != CT_OK)
                MPI_Abort(MPI_COMM_WORLD, 1);
            ct_free(acc);
            if (!(acc = ct_malloc((visit.n ? visit.n : 1) * sizeof *acc)))
                MPI_Abort(MPI_COMM_WORLD, 1);
            for (size_t i = 0; i < n; i++) {
                accumulate(&own, i, &visit, acc);
                for (size_t j = 0; j < visit.n; j++) {
                    double no = visit.norm[j], nr = own.norm[i];
                    if (visit.first + j == first + i || !(acc[j] > 0) || !(no > 0) || !(nr > 0))
                        continue;
                    offer(heaps + i * m, &fill[i], m, acc[j] / (no * nr), visit.first + j, NULL);
                }
            }
        }
        ct_free(acc);
        for (size_t i = 0; i < n; i++) {
            heap_best_first(heaps + i * m, fill[i]);
            n_near[i] = fill[i];
            for (size_t q = 0; q < fill[i]; q++)
                near[i * m + q] = heaps[i * m + q].row;
        }
    }
    block_free(&visit);
    ct_free(ptr);
    ct_free(cols);
    ct_free(w);
    ct_free(own.norm);
    ct_free(own.pnorm);
    ct_free(heaps);
    ct_free(fill);
    return rc;
}
