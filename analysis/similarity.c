/* similarity.c — all-pairs similarity and top-K neighbours (comptext/similarity.h).
 *
 * The rows are first prepared as scikit-learn's cosine_similarity prepares them — each row
 * divided by its L2 norm, computed as sklearn.preprocessing.normalize computes it — or, for
 * Jaccard, every non-zero weight becomes 1. An inverted index (the transposed matrix, CSC,
 * rows ascending inside each column) then gives, for a row i, every other row that shares a
 * term with it. Scores are accumulated term by term: s(i, j) += a_it · a_jt for the terms t
 * of row i in ascending id order, so every score is the same sum in the same order, whoever
 * computes it. The all-pairs matrix walks only the rows after i in each column (binary
 * search for i) and mirrors at the end: Σ_t df(t)²/2 multiply-adds, into a row of the
 * output that stays in cache. Top-K walks whole columns into a per-thread accumulator of N
 * doubles and keeps the K best in a bounded heap: memory O(nnz + N·K + threads·N).
 *
 * Work is shared between pthreads by handing out blocks of rows from a counter; each row is
 * written by one thread only, and nothing a row's result depends on is shared, so output is
 * identical for any number of threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "comptext/alloc.h"
#include "comptext/count.h"
#include "comptext/error.h"
#include "comptext/similarity.h"
#include "matrix_impl.h"

#define MAX_THREADS 64
#define BLOCK_ROWS 16 /* rows a work item; posting lists are read once a block */

void ct_sim_options_init(ct_sim_options *o)
{
    memset(o, 0, sizeof *o);
}

static const char *const measure_names[] = {"cosine", "jaccard"};

int ct_sim_measure_from_name(const char *name, ct_sim_measure *out)
{
    for (size_t i = 0; i < 2; i++)
        if (strcmp(name, measure_names[i]) == 0) {
            *out = (ct_sim_measure)i;
            return CT_OK;
        }
    return CT_EINVAL;
}

const char *ct_sim_measure_name(ct_sim_measure m)
{
    return (unsigned)m < 2 ? measure_names[m] : "?";
}

/* The prepared rows and their inverted index. Row i's prepared weight of its k-th entry is
 * row_weight(ix, i, value): value / norm[i] (cosine) or 1 (jaccard). */
typedef struct sim_index {
    const ct_matrix *m;
    ct_sim_measure measure;
    size_t n_rows;
    double *norm;    /* cosine: the L2 norm of each row; jaccard: the number of terms */
    size_t *col_ptr; /* n_cols + 1 */
    uint32_t *col_rows;
    double *col_vals; /* prepared weights */
} sim_index;

static void index_free(sim_index *ix)
{
    ct_free(ix->norm);
    ct_free(ix->col_ptr);
    ct_free(ix->col_rows);
    ct_free(ix->col_vals);
}

static inline double row_weight(const sim_index *ix, size_t i, double v)
{
    return ix->measure == CT_SIM_COSINE ? v / ix->norm[i] : 1.0;
}

/* The inverted index is a transpose of the matrix, built by up to BUILD_THREADS threads,
 * each over a range of rows: pass 1 counts each column's entries in its rows (and computes
 * the rows' norms), then each thread's count becomes its first position in every column,
 * and pass 2 writes the entries there. The positions do not depend on the number of
 * threads: a column lists its rows in ascending order. */
#define BUILD_THREADS 4

typedef struct build_part {
    sim_index *ix;
    size_t lo, hi;  /* rows */
    size_t *cursor; /* per column: pass 1 counts, pass 2 next position */
    int pass;
} build_part;

static void *build_worker(void *arg)
{
    build_part *b = arg;
    sim_index *ix = b->ix;
    const ct_matrix *m = ix->m;
    int cosine = ix->measure == CT_SIM_COSINE;
    for (size_t i = b->lo; i < b->hi; i++) {
        size_t k0 = m->row_ptr[i], k1 = m->row_ptr[i + 1];
        if (b->pass == 1) {
            double sum = 0.0;
            for (size_t k = k0; k < k1; k++) {
                double v = m->values[k];
                if (v == 0.0)
                    continue;
                sum += cosine ? v * v : 1.0;
                b->cursor[m->cols[k]]++;
            }
            ix->norm[i] = cosine ? sqrt(sum) : sum;
        } else {
            for (size_t k = k0; k < k1; k++) {
                double v = m->values[k];
                if (v == 0.0)
                    continue;
                size_t p = b->cursor[m->cols[k]]++;
                ix->col_rows[p] = (uint32_t)i;
                ix->col_vals[p] = row_weight(ix, i, v);
            }
        }
    }
    return NULL;
}

static void build_pass(build_part *parts, int n, int pass)
{
    pthread_t tid[BUILD_THREADS];
    int started[BUILD_THREADS] = {0};
    for (int t = 0; t < n; t++)
        parts[t].pass = pass;
    for (int t = 1; t < n; t++)
        started[t] = pthread_create(&tid[t], NULL, build_worker, &parts[t]) == 0;
    build_worker(&parts[0]);
    for (int t = 1; t < n; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            build_worker(&parts[t]); /* no thread: do its part here */
    }
}

static int index_build(sim_index *ix, const ct_matrix *m, ct_sim_measure measure, int threads)
{
    memset(ix, 0, sizeof *ix);
    ix->m = m;
    ix->measure = measure;
    size_t N = m->rows, V = ct_matrix_cols(m), total = m->row_ptr[N];
    if (threads <= 0)
        threads = ct_default_threads();
    int n = threads > BUILD_THREADS ? BUILD_THREADS : threads;
    if ((size_t)n > N)
        n = N ? (int)N : 1;
    build_part parts[BUILD_THREADS];
    memset(parts, 0, sizeof parts);
    ix->n_rows = N;
    ix->norm = ct_calloc(N ? N : 1, sizeof *ix->norm);
    ix->col_ptr = ct_malloc((V + 1) * sizeof *ix->col_ptr);
    if (!ix->norm || !ix->col_ptr)
        goto nomem;
    /* row ranges with about the same number of entries */
    size_t row = 0;
    for (int t = 0; t < n; t++) {
        parts[t].ix = ix;
        parts[t].lo = row;
        size_t target = total / (size_t)n * (size_t)(t + 1);
        while (row < N && (t == n - 1 || m->row_ptr[row] < target))
            row++;
        parts[t].hi = row;
        parts[t].cursor = ct_calloc(V ? V : 1, sizeof *parts[t].cursor);
        if (!parts[t].cursor)
            goto nomem;
    }
    build_pass(parts, n, 1);
    size_t nnz = 0;
    for (size_t c = 0; c < V; c++) {
        ix->col_ptr[c] = nnz;
        for (int t = 0; t < n; t++) {
            size_t k = parts[t].cursor[c];
            parts[t].cursor[c] = nnz;
            nnz += k;
        }
    }
    ix->col_ptr[V] = nnz;
    ix->col_rows = ct_malloc((nnz ? nnz : 1) * sizeof *ix->col_rows);
    ix->col_vals = ct_malloc((nnz ? nnz : 1) * sizeof *ix->col_vals);
    if (!ix->col_rows || !ix->col_vals)
        goto nomem;
    build_pass(parts, n, 2);
    for (int t = 0; t < n; t++)
        ct_free(parts[t].cursor);
    return CT_OK;
nomem:
    for (int t = 0; t < n; t++)
        ct_free(parts[t].cursor);
    index_free(ix);
    return CT_ENOMEM;
}

/* Hand out blocks of rows to threads. */
typedef struct work {
    const sim_index *ix;
    size_t next, block;
    pthread_mutex_t lock;
    int rc;
    /* all pairs */
    double *S;
    /* top-K */
    size_t k;
    ct_neighbour *nb;
    const size_t *by_id; /* rows in id byte order */
} work;

static int take_block(work *w, size_t *lo, size_t *hi)
{
    pthread_mutex_lock(&w->lock);
    size_t a = w->next;
    int ok = a < w->ix->n_rows && w->rc == CT_OK;
    if (ok) {
        *lo = a;
        *hi = a + w->block < w->ix->n_rows ? a + w->block : w->ix->n_rows;
        w->next = *hi;
    }
    pthread_mutex_unlock(&w->lock);
    return ok;
}

static int run_threads(work *w, void *(*fn)(void *), int threads)
{
    if (threads <= 0)
        threads = ct_default_threads();
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    size_t N = w->ix->n_rows;
    if ((size_t)threads > N)
        threads = N ? (int)N : 1;
    w->block = BLOCK_ROWS;
    if (w->S) {
        /* All pairs: every block reads the posting lists once, so blocks are made as large as
         * keeps their rows of S (block × N doubles) near 1 MB, with work for every thread. */
        size_t b = N / ((size_t)threads * 4);
        if (N && b > (1u << 17) / N)
            b = (1u << 17) / N;
        w->block = b < BLOCK_ROWS ? BLOCK_ROWS : b > 256 ? 256 : b;
    }
    pthread_t tid[MAX_THREADS];
    int started = 0;
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, fn, w) != 0)
            break;
        started++;
    }
    fn(w); /* the calling thread works too */
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    return w->rc;
}

/* ---- blocks of rows --------------------------------------------------------------------- */

/* The distinct terms of rows [lo, hi), ascending: each posting list is then read once a
 * block, and every row receives its terms' contributions in ascending term order. */
typedef struct block_terms {
    unsigned char *mark; /* n_cols, all 0 between calls */
    uint32_t *terms;     /* n_cols */
    size_t n;
} block_terms;

static int block_terms_init(block_terms *bt, size_t n_cols)
{
    bt->mark = ct_calloc(n_cols ? n_cols : 1, 1);
    bt->terms = ct_malloc((n_cols ? n_cols : 1) * sizeof *bt->terms);
    bt->n = 0;
    return bt->mark && bt->terms ? CT_OK : CT_ENOMEM;
}

static void block_terms_free(block_terms *bt)
{
    ct_free(bt->mark);
    ct_free(bt->terms);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void block_terms_collect(block_terms *bt, const ct_matrix *m, size_t lo, size_t hi)
{
    bt->n = 0;
    for (size_t k = m->row_ptr[lo]; k < m->row_ptr[hi]; k++) {
        uint32_t t = m->cols[k];
        if (m->values[k] != 0.0 && !bt->mark[t]) {
            bt->mark[t] = 1;
            bt->terms[bt->n++] = t;
        }
    }
    qsort(bt->terms, bt->n, sizeof *bt->terms, cmp_u32);
    for (size_t i = 0; i < bt->n; i++)
        bt->mark[bt->terms[i]] = 0;
}

/* The first posting of column t whose row is >= row. */
static size_t col_lower_bound(const sim_index *ix, uint32_t t, size_t row)
{
    size_t p0 = ix->col_ptr[t], p1 = ix->col_ptr[t + 1];
    while (p0 < p1) {
        size_t mid = p0 + (p1 - p0) / 2;
        if (ix->col_rows[mid] < row)
            p0 = mid + 1;
        else
            p1 = mid;
    }
    return p0;
}

static void fail_work(work *w, int rc)
{
    pthread_mutex_lock(&w->lock);
    if (w->rc == CT_OK)
        w->rc = rc;
    pthread_mutex_unlock(&w->lock);
}

/* ---- all pairs -------------------------------------------------------------------------- */

/* For each term t of the block in ascending order, each row a of the block having t adds
 * a_t · x_jt to S[a][j] for the rows j after a in column t. */
static void *pairs_worker(void *arg)
{
    work *w = arg;
    const sim_index *ix = w->ix;
    size_t N = ix->n_rows, lo, hi;
    block_terms bt;
    if (block_terms_init(&bt, ct_matrix_cols(ix->m)) != CT_OK) {
        fail_work(w, CT_ENOMEM);
        goto done;
    }
    const uint32_t *rows = ix->col_rows;
    const double *vals = ix->col_vals;
    while (take_block(w, &lo, &hi)) {
        block_terms_collect(&bt, ix->m, lo, hi);
        for (size_t q = 0; q < bt.n; q++) {
            uint32_t t = bt.terms[q];
            size_t e = ix->col_ptr[t + 1];
            for (size_t p = col_lower_bound(ix, t, lo); p < e && rows[p] < hi; p++) {
                double a = vals[p];
                double *Sa = w->S + (size_t)rows[p] * N;
                for (size_t r = p + 1; r < e; r++)
                    Sa[rows[r]] += a * vals[r];
            }
        }
    }
done:
    block_terms_free(&bt);
    return NULL;
}

struct ct_simmatrix {
    size_t n;
    double *S;
};

/* The final score from the accumulated sum (dot product or intersection size). */
static inline double finish_score(const sim_index *ix, size_t i, size_t j, double acc)
{
    if (ix->measure == CT_SIM_COSINE)
        return acc > 1.0 ? 1.0 : acc;
    double uni = ix->norm[i] + ix->norm[j] - acc;
    return uni > 0.0 ? acc / uni : 0.0;
}

int ct_simmatrix_new(ct_simmatrix **out, const ct_matrix *m, const ct_sim_options *opts)
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
    if (!s->S || (rc = index_build(&ix, m, opts->measure, opts->threads)) != CT_OK) {
        ct_simmatrix_free(s);
        return rc;
    }
    work w = {.ix = &ix, .S = s->S, .rc = CT_OK};
    pthread_mutex_init(&w.lock, NULL);
    rc = run_threads(&w, pairs_worker, opts->threads);
    pthread_mutex_destroy(&w.lock);
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
    index_free(&ix);
    if (rc != CT_OK) {
        ct_simmatrix_free(s);
        return rc;
    }
    *out = s;
    return CT_OK;
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

/* ---- top K ------------------------------------------------------------------------------ */

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
static void select_row(const work *w, size_t i, double *acc, ct_neighbour *out)
{
    const sim_index *ix = w->ix;
    size_t K = w->k, N = ix->n_rows;
    heap hp = {out, 0, K, ix->m};
    for (size_t j = 0; j < N; j++) {
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
static void *topk_worker(void *arg)
{
    work *w = arg;
    const sim_index *ix = w->ix;
    size_t N = ix->n_rows, lo, hi;
    block_terms bt;
    double *accs = ct_calloc(BLOCK_ROWS * N, sizeof *accs);
    if (block_terms_init(&bt, ct_matrix_cols(ix->m)) != CT_OK || !accs) {
        fail_work(w, CT_ENOMEM);
        goto done;
    }
    const uint32_t *rows = ix->col_rows;
    const double *vals = ix->col_vals;
    while (take_block(w, &lo, &hi)) {
        block_terms_collect(&bt, ix->m, lo, hi);
        for (size_t q = 0; q < bt.n; q++) {
            uint32_t t = bt.terms[q];
            size_t s0 = ix->col_ptr[t], e = ix->col_ptr[t + 1];
            for (size_t p = col_lower_bound(ix, t, lo); p < e && rows[p] < hi; p++) {
                double a = vals[p], *acc = accs + (size_t)(rows[p] - lo) * N;
                for (size_t r = s0; r < e; r++)
                    acc[rows[r]] += a * vals[r];
            }
        }
        for (size_t i = lo; i < hi; i++)
            select_row(w, i, accs + (i - lo) * N, w->nb + i * w->k);
    }
done:
    block_terms_free(&bt);
    ct_free(accs);
    return NULL;
}

static const ct_matrix *sort_matrix; /* qsort has no context argument; guarded below */
static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int by_row_id(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_matrix->row_ids[x], sort_matrix->row_ids[y]);
    return c ? c : (x < y ? -1 : x > y);
}

int ct_neighbours_new(ct_neighbours **out, const ct_matrix *m, size_t k, const ct_sim_options *opts)
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
    size_t *by_id = ct_malloc((N ? N : 1) * sizeof *by_id);
    if (!nb->nb || !by_id) {
        ct_free(by_id);
        ct_neighbours_free(nb);
        return CT_ENOMEM;
    }
    if (k == 0) {
        ct_free(by_id);
        *out = nb;
        return CT_OK;
    }
    for (size_t i = 0; i < N; i++)
        by_id[i] = i;
    pthread_mutex_lock(&sort_lock);
    sort_matrix = m;
    qsort(by_id, N, sizeof *by_id, by_row_id);
    pthread_mutex_unlock(&sort_lock);
    sim_index ix;
    int rc = index_build(&ix, m, opts->measure, opts->threads);
    if (rc == CT_OK) {
        work w = {.ix = &ix, .rc = CT_OK, .k = k, .nb = nb->nb, .by_id = by_id};
        pthread_mutex_init(&w.lock, NULL);
        rc = run_threads(&w, topk_worker, opts->threads);
        pthread_mutex_destroy(&w.lock);
        index_free(&ix);
    }
    ct_free(by_id);
    if (rc != CT_OK) {
        ct_neighbours_free(nb);
        return rc;
    }
    *out = nb;
    return CT_OK;
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
