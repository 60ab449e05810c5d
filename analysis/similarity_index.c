/* similarity_index.c — the prepared rows and their inverted index, shared by
 * similarity_matrix.c and neighbours.c (similarity_impl.h), and the options of both.
 *
 * The rows are first prepared as scikit-learn's cosine_similarity prepares them — each row
 * divided by its L2 norm, computed as sklearn.preprocessing.normalize computes it — or, for
 * Jaccard, every non-zero weight becomes 1. An inverted index (the transposed matrix, CSC,
 * rows ascending inside each column) then gives, for a row i, every other row that shares a
 * term with it. The index is a cache-tiled transpose; the _consume constructors build it in
 * stages that release the matrix as they go, so that the matrix and its index are never both
 * in memory. Work is handed out in blocks of rows from a queue (parallel.h): each row is
 * written by one thread only, and nothing a row's result depends on is shared, so output is
 * identical for any number of threads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "similarity_impl.h"
#include "sort.h"

void ct_sim_options_init(ct_sim_options *o)
{
    memset(o, 0, sizeof *o);
}

static const char *const measure_names[] = {"cosine", "jaccard"};

int ct_sim_measure_parse(const char *name, ct_sim_measure *out)
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

void ct_sim_index_free(sim_index *ix)
{
    ct_free(ix->packed_ptr);
    ct_free(ix->norm);
    ct_free(ix->pnorm);
    ct_free(ix->col_ptr);
    ct_free(ix->col_rows);
    ct_free(ix->col_vals);
}

static inline double row_weight(const sim_index *ix, size_t i, double v)
{
    return ct_sim_row_weight(ix->measure, ix->norm[i], v);
}

/* The inverted index is a transpose of the matrix, in two passes. Pass 1 (up to BUILD_THREADS
 * threads, each over a range of rows) counts each column's entries and computes the rows'
 * norms. Pass 2 fills each column from its end downwards, taking the rows in descending
 * order, so that a column lists its rows in ascending order whatever the number of threads.
 * A plain transpose writes each entry to a different column's frontier, a cache miss each
 * (0.7 s for 9.4 million entries); pass 2 instead takes the columns a tile of TILE_COLS at a
 * time — every row contributes its run of entries in the tile — so that the frontiers being
 * written stay in cache. The threads share the columns (each a range with about the same
 * number of entries) and every row keeps its position in its own thread. */
#define BUILD_THREADS 4
#define TILE_COLS 2048

typedef struct build_part {
    sim_index *ix;
    size_t lo, hi;    /* rows */
    uint32_t *counts; /* pass 1: per column */
    uint32_t c0, c1;  /* pass 2: columns */
    size_t tile;      /* pass 2: columns a tile */
    size_t *pos;      /* pass 2: each row's next entry (rows lo..hi) */
    int pass;
} build_part;

/* The first entry of row i whose column is >= c. */
static size_t row_lower_bound(const ct_matrix *m, size_t i, uint32_t c)
{
    size_t a = m->row_ptr[i], b = m->row_ptr[i + 1];
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (m->cols[mid] < c)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

static void build_count(build_part *b)
{
    sim_index *ix = b->ix;
    const ct_matrix *m = ix->m;
    for (size_t i = b->lo; i < b->hi; i++) {
        for (size_t k = m->row_ptr[i]; k < m->row_ptr[i + 1]; k++)
            if (m->values[k] != 0.0)
                b->counts[m->cols[k]]++;
        ct_sim_row_norms(ix->measure, m->values + m->row_ptr[i], m->row_ptr[i + 1] - m->row_ptr[i],
                         &ix->norm[i], &ix->pnorm[i]);
    }
}

/* Pass 2 for rows lo..hi and columns c0..c1. col_ptr[c + 1] is column c's frontier: one past
 * its next free position, moving down to the column's start. */
static void build_fill(build_part *b)
{
    sim_index *ix = b->ix;
    const ct_matrix *m = ix->m;
    const uint32_t *cols = m->cols;
    const double *values = m->values;
    size_t *front = ix->col_ptr + 1;
    for (size_t i = b->lo; i < b->hi; i++)
        b->pos[i - b->lo] = row_lower_bound(m, i, b->c0);
    for (size_t t0 = b->c0; t0 < b->c1; t0 += b->tile) {
        uint32_t t1 = (uint32_t)(b->c1 - t0 > b->tile ? t0 + b->tile : b->c1);
        for (size_t i = b->hi; i-- > b->lo;) {
            size_t k = b->pos[i - b->lo], e = m->row_ptr[i + 1];
            for (; k < e && cols[k] < t1; k++) {
                double v = values[k];
                if (v == 0.0)
                    continue;
                size_t p = --front[cols[k]];
                ix->col_rows[p] = (uint32_t)i;
                ix->col_vals[p] = row_weight(ix, i, v);
            }
            b->pos[i - b->lo] = k;
        }
    }
}

static void build_worker(void *arg)
{
    build_part *b = arg;
    if (b->pass == 1)
        build_count(b);
    else
        build_fill(b);
}

static void build_pass(build_part *parts, int n, int pass)
{
    for (int t = 0; t < n; t++)
        parts[t].pass = pass;
    ct_parallel_run_parts(n, build_worker, parts, sizeof *parts);
}

/* Cut the consumed matrix's values to its first n (best effort: a failed shrink keeps the
 * array as it is). */
static void shrink_values(ct_matrix *m, size_t n)
{
    double *v = ct_realloc(m->values, (n ? n : 1) * sizeof *v);
    if (v)
        m->values = v;
}

/* ---- the consuming build ------------------------------------------------------------------
 *
 * The transpose above needs the matrix (12 bytes an entry) and the index (12 more) at once.
 * When the matrix may be consumed, the index is built in stages that keep about 13 bytes an
 * entry: (1) the column ids are packed in place (pack_cols, about 1 byte an entry), for the
 * row blocks' term lists; (2) the rows, taken from the last in chunks, are appended to the
 * staging area of their tile of columns as a key (row and column within the tile in 32 bits)
 * and the prepared weight, and after each chunk the matrix's values are cut to the rows not
 * yet taken; (3) each tile's staged entries are copied aside and go to their columns in the
 * same span of the staging area, which becomes the index (a tile's entries and its columns
 * occupy the same positions). Stages 2 and 3 share the tiles between up to BUILD_THREADS
 * threads. Memory is touched in order everywhere, so the resident size follows the data. */
#define STAGE_TILES 128
#define CONSUME_CHUNKS 32 /* stage 2 cuts the values after each 1/32 of the entries */

/* The bits of a column within its tile (*shift) for an N × V matrix; 0 when a row and a
 * column within a tile do not fit a 32-bit key together, or the ids do not fit pack_cols:
 * the plain build is used then. */
static int stage_shift(size_t N, size_t V, unsigned *shift)
{
    unsigned s = 0, row_bits = 0;
    while (V && ((V - 1) >> s) >= STAGE_TILES)
        s++;
    while (row_bits < 64 && (N >> row_bits) != 0)
        row_bits++;
    *shift = s;
    return V <= (1u << 28) && row_bits + s <= 32;
}

/* Each row's column ids as LEB128 varints of the difference from the row's previous id (the
 * first from 0), written over m->cols from its start: an id below 2^28 takes at most the 4
 * bytes it had, so the writing never overtakes the reading. The array is then cut to the
 * packed bytes (stage_shift has checked that the ids fit). */
static int pack_cols(sim_index *ix, ct_matrix *m)
{
    size_t N = m->rows;
    ix->packed_ptr = ct_malloc((N + 1) * sizeof *ix->packed_ptr);
    if (!ix->packed_ptr)
        return CT_ENOMEM;
    unsigned char *out = (unsigned char *)m->cols;
    size_t w = 0;
    for (size_t i = 0; i < N; i++) {
        ix->packed_ptr[i] = w;
        uint32_t prev = 0;
        for (size_t k = m->row_ptr[i]; k < m->row_ptr[i + 1]; k++) {
            uint32_t c = m->cols[k], d = c - prev;
            prev = c;
            while (d >= 0x80) {
                out[w++] = (unsigned char)(d | 0x80);
                d >>= 7;
            }
            out[w++] = (unsigned char)d;
        }
    }
    ix->packed_ptr[N] = w;
    uint32_t *cut = ct_realloc(m->cols, w ? w : 1);
    if (cut)
        m->cols = cut;
    ix->packed = (const unsigned char *)m->cols;
    return CT_OK;
}

/* Decode one packed id at *p (advancing it), adding it to the running id *c. */
static inline uint32_t unpack_next(const unsigned char **p, uint32_t *c)
{
    const unsigned char *q = *p;
    uint32_t d = 0;
    unsigned shift = 0;
    while (*q & 0x80) {
        d |= (uint32_t)(*q++ & 0x7f) << shift;
        shift += 7;
    }
    d |= (uint32_t)*q++ << shift;
    *p = q;
    return *c += d;
}

/* A thread's share of stages 2 and 3: the tiles g0 .. g1 - 1 (each part about the same
 * number of entries). */
typedef struct stage_part {
    sim_index *ix;
    ct_matrix *m;
    uint32_t *key; /* row << shift | column within the tile; then the index's rows */
    double *w;     /* the prepared weights; then the index's weights */
    unsigned shift;
    const size_t *tile_start; /* n_tiles + 1 positions in key and w */
    size_t *fill;             /* per tile: the next free position (stage 2) */
    size_t g0, g1;
    size_t lo, hi; /* stage 2: the chunk of rows */
    uint32_t *tmp_key;
    double *tmp_w; /* stage 3: room for the part's largest tile */
    int stage;
} stage_part;

/* Stage 2: the chunk's rows, last first, append their entries of the part's tiles. */
static void stage_append(stage_part *sp)
{
    const ct_matrix *m = sp->m;
    const sim_index *ix = sp->ix;
    unsigned shift = sp->shift;
    uint32_t mask = (uint32_t)((1ull << shift) - 1);
    size_t g0 = sp->g0, ng = sp->g1 - sp->g0;
    for (size_t i = sp->hi; i-- > sp->lo;) {
        const unsigned char *p = ix->packed + ix->packed_ptr[i];
        uint32_t c = 0;
        const double *v = m->values + m->row_ptr[i];
        size_t n = m->row_ptr[i + 1] - m->row_ptr[i];
        for (size_t k = 0; k < n; k++) {
            unpack_next(&p, &c);
            if ((c >> shift) - g0 >= ng || v[k] == 0.0)
                continue;
            size_t at = sp->fill[c >> shift]++;
            sp->key[at] = (uint32_t)i << shift | (c & mask);
            sp->w[at] = row_weight(ix, i, v[k]);
        }
    }
}

/* Stage 3: each tile's staged entries, copied aside, go to their columns in the same span
 * of key and w, which become the index's rows and weights (a column's frontier moves down
 * from its end, the rows arriving in descending order). */
static void stage_place(stage_part *sp)
{
    size_t *front = sp->ix->col_ptr + 1;
    unsigned shift = sp->shift;
    uint32_t mask = (uint32_t)((1ull << shift) - 1);
    for (size_t g = sp->g0; g < sp->g1; g++) {
        size_t a = sp->tile_start[g], n = sp->tile_start[g + 1] - a;
        memcpy(sp->tmp_key, sp->key + a, n * sizeof *sp->key);
        memcpy(sp->tmp_w, sp->w + a, n * sizeof *sp->w);
        size_t *tile_front = front + (g << shift);
        for (size_t k = 0; k < n; k++) {
            uint32_t key = sp->tmp_key[k];
            size_t p = --tile_front[key & mask];
            sp->key[p] = key >> shift;
            sp->w[p] = sp->tmp_w[k];
        }
    }
}

static void stage_worker(void *arg)
{
    stage_part *sp = arg;
    if (sp->stage == 2)
        stage_append(sp);
    else
        stage_place(sp);
}

static void stage_run(stage_part *parts, int n, int stage)
{
    for (int t = 0; t < n; t++)
        parts[t].stage = stage;
    ct_parallel_run_parts(n, stage_worker, parts, sizeof *parts);
}

/* Stages 2 and 3; pass 1 has set the norms and col_ptr (the columns' ends); nnz entries. */
static int build_staged(sim_index *ix, ct_matrix *m, size_t nnz, unsigned shift, int n_threads)
{
    size_t N = m->rows, V = ct_matrix_cols(m), total = m->row_ptr[N];
    size_t n_tiles = V ? ((V - 1) >> shift) + 1 : 0;
    size_t tile_start[STAGE_TILES + 1], fill[STAGE_TILES];
    for (size_t g = 0; g <= n_tiles; g++)
        tile_start[g] = ix->col_ptr[(g << shift) < V ? (g << shift) : V];
    memcpy(fill, tile_start, n_tiles * sizeof *fill);
    uint32_t *key = ct_malloc((nnz ? nnz : 1) * sizeof *key);
    double *w = ct_malloc((nnz ? nnz : 1) * sizeof *w);
    stage_part parts[BUILD_THREADS];
    memset(parts, 0, sizeof parts);
    int rc = CT_ENOMEM;
    if (!key || !w)
        goto cleanup;
    size_t g = 0;
    for (int t = 0; t < n_threads; t++) {
        stage_part *sp = &parts[t];
        *sp = (stage_part){.ix = ix,
                           .m = m,
                           .key = key,
                           .w = w,
                           .shift = shift,
                           .tile_start = tile_start,
                           .fill = fill,
                           .g0 = g};
        size_t target = nnz / (size_t)n_threads * (size_t)(t + 1), largest = 1;
        while (g < n_tiles && (t == n_threads - 1 || tile_start[g + 1] <= target)) {
            if (tile_start[g + 1] - tile_start[g] > largest)
                largest = tile_start[g + 1] - tile_start[g];
            g++;
        }
        sp->g1 = g;
        sp->tmp_key = ct_malloc(largest * sizeof *sp->tmp_key);
        sp->tmp_w = ct_malloc(largest * sizeof *sp->tmp_w);
        if (!sp->tmp_key || !sp->tmp_w)
            goto cleanup;
    }
    /* stage 2: rows from the last, in chunks; the values are cut after each chunk */
    size_t step = total / CONSUME_CHUNKS + 1;
    for (size_t hi = N; hi > 0;) {
        size_t lo = hi - 1;
        while (lo > 0 && m->row_ptr[hi] - m->row_ptr[lo - 1] <= step)
            lo--;
        for (int t = 0; t < n_threads; t++) {
            parts[t].lo = lo;
            parts[t].hi = hi;
        }
        stage_run(parts, n_threads, 2);
        shrink_values(m, m->row_ptr[lo]);
        hi = lo;
    }
    /* stage 3, in place */
    stage_run(parts, n_threads, 3);
    ix->col_rows = key;
    ix->col_vals = w;
    key = NULL;
    w = NULL;
    rc = CT_OK;
cleanup:
    for (int t = 0; t < n_threads; t++) {
        ct_free(parts[t].tmp_key);
        ct_free(parts[t].tmp_w);
    }
    ct_free(key);
    ct_free(w);
    return rc;
}

int ct_sim_index_build(sim_index *ix, const ct_matrix *m, ct_matrix *own, ct_sim_measure measure,
                       int threads)
{
    memset(ix, 0, sizeof *ix);
    ix->m = m;
    ix->measure = measure;
    size_t N = m->rows, V = ct_matrix_cols(m), total = m->row_ptr[N];
    int n = ct_parallel_workers(threads, N, BUILD_THREADS);
    build_part parts[BUILD_THREADS];
    memset(parts, 0, sizeof parts);
    ix->n_rows = N;
    ix->norm = ct_calloc(N ? N : 1, sizeof *ix->norm);
    ix->pnorm = ct_calloc(N ? N : 1, sizeof *ix->pnorm);
    ix->col_ptr = ct_malloc((V + 1) * sizeof *ix->col_ptr);
    if (!ix->norm || !ix->pnorm || !ix->col_ptr)
        goto nomem;
    int rc = CT_OK;
    /* pass 1: row ranges with about the same number of entries */
    size_t row = 0;
    for (int t = 0; t < n; t++) {
        parts[t].ix = ix;
        parts[t].lo = row;
        size_t target = total / (size_t)n * (size_t)(t + 1);
        while (row < N && (t == n - 1 || m->row_ptr[row] < target))
            row++;
        parts[t].hi = row;
        parts[t].counts = ct_calloc(V ? V : 1, sizeof *parts[t].counts);
        if (!parts[t].counts)
            goto nomem;
    }
    build_pass(parts, n, 1);
    ix->pmin = 1.0;
    for (size_t i = 0; i < N; i++)
        if (ix->pnorm[i] > 0.0 && ix->pnorm[i] < ix->pmin)
            ix->pmin = ix->pnorm[i];
    size_t nnz = 0;
    ix->col_ptr[0] = 0;
    for (size_t c = 0; c < V; c++) {
        for (int t = 0; t < n; t++)
            nnz += parts[t].counts[c];
        ix->col_ptr[c + 1] = nnz; /* pass 2's frontier of column c */
    }
    for (int t = 0; t < n; t++) {
        ct_free(parts[t].counts);
        parts[t].counts = NULL;
    }
    unsigned shift;
    if (own && stage_shift(N, V, &shift)) {
        if ((rc = pack_cols(ix, own)) == CT_OK)
            rc = build_staged(ix, own, nnz, shift, n);
        if (rc != CT_OK)
            goto fail;
        goto done;
    }
    ix->col_rows = ct_malloc((nnz ? nnz : 1) * sizeof *ix->col_rows);
    ix->col_vals = ct_malloc((nnz ? nnz : 1) * sizeof *ix->col_vals);
    if (!ix->col_rows || !ix->col_vals)
        goto nomem;
    /* pass 2: column ranges with about the same number of entries; chunks of rows */
    size_t tile = V / 512 > TILE_COLS ? V / 512 : TILE_COLS;
    size_t col = 0;
    for (int t = 0; t < n; t++) {
        parts[t].c0 = (uint32_t)col;
        size_t target = nnz / (size_t)n * (size_t)(t + 1);
        while (col < V && (t == n - 1 || ix->col_ptr[col + 1] <= target))
            col++;
        parts[t].c1 = (uint32_t)col;
        parts[t].tile = tile;
    }
    for (int t = 0; t < n; t++) {
        parts[t].lo = 0;
        parts[t].hi = N;
        parts[t].pos = ct_malloc((N ? N : 1) * sizeof *parts[t].pos);
        if (!parts[t].pos)
            goto nomem;
    }
    build_pass(parts, n, 2);
done:
    /* The frontiers are now the columns' starts, one place up. */
    memmove(ix->col_ptr, ix->col_ptr + 1, V * sizeof *ix->col_ptr);
    ix->col_ptr[V] = nnz;
    for (int t = 0; t < n; t++)
        ct_free(parts[t].pos);
    return CT_OK;
nomem:
    rc = CT_ENOMEM;
fail:
    for (int t = 0; t < n; t++) {
        ct_free(parts[t].counts);
        ct_free(parts[t].pos);
    }
    ct_sim_index_free(ix);
    return rc;
}

int ct_sim_run_blocks(sim_work *w, ct_worker_fn fn, int threads)
{
    size_t N = w->ix->n_rows;
    threads = ct_parallel_workers(threads, N, CT_PARALLEL_MAX);
    size_t block = BLOCK_ROWS;
    if (w->S) {
        /* All pairs: every block reads the posting lists once, so blocks are made as large as
         * keeps their rows of S (block × N doubles) near 1 MB, with work for every thread. */
        size_t b = N / ((size_t)threads * 2);
        if (N && b > (1u << 17) / N)
            b = (1u << 17) / N;
        block = b < BLOCK_ROWS ? BLOCK_ROWS : b > 256 ? 256 : b;
    }
    ct_chunk_queue_init(&w->queue, N, block, NULL, NULL);
    ct_parallel_run(threads, fn, w);
    ct_chunk_queue_destroy(&w->queue);
    return w->queue.rc;
}

/* ---- blocks of rows --------------------------------------------------------------------- */

int ct_sim_block_terms_init(block_terms *bt, size_t n_cols)
{
    bt->mark = ct_calloc(n_cols ? n_cols : 1, 1);
    bt->terms = ct_malloc((n_cols ? n_cols : 1) * sizeof *bt->terms);
    bt->n = 0;
    bt->n_cols = n_cols;
    return bt->mark && bt->terms ? CT_OK : CT_ENOMEM;
}

void ct_sim_block_terms_free(block_terms *bt)
{
    ct_free(bt->mark);
    ct_free(bt->terms);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* A term with a zero weight finds no posting in the block: listing it is harmless. */
void ct_sim_block_terms_collect(block_terms *bt, const sim_index *ix, size_t lo, size_t hi)
{
    const ct_matrix *m = ix->m;
    bt->n = 0;
    if (ix->packed) {
        for (size_t i = lo; i < hi; i++) {
            const unsigned char *p = ix->packed + ix->packed_ptr[i],
                                *e = ix->packed + ix->packed_ptr[i + 1];
            uint32_t t = 0;
            while (p < e) {
                unpack_next(&p, &t);
                if (!bt->mark[t]) {
                    bt->mark[t] = 1;
                    bt->terms[bt->n++] = t;
                }
            }
        }
    } else {
        for (size_t k = m->row_ptr[lo]; k < m->row_ptr[hi]; k++) {
            uint32_t t = m->cols[k];
            if (!bt->mark[t]) {
                bt->mark[t] = 1;
                bt->terms[bt->n++] = t;
            }
        }
    }
    if (bt->n > bt->n_cols / 32) {
        /* many terms (a large block takes most of the vocabulary): read them off the marks,
         * in order, rather than sort them */
        size_t k = 0;
        for (size_t t = 0; t < bt->n_cols; t++)
            if (bt->mark[t]) {
                bt->mark[t] = 0;
                bt->terms[k++] = (uint32_t)t;
            }
        return;
    }
    ct_sort(bt->terms, bt->n, sizeof *bt->terms, cmp_u32);
    for (size_t i = 0; i < bt->n; i++)
        bt->mark[bt->terms[i]] = 0;
}

/* The first posting of column t whose row is >= row. */
size_t ct_sim_col_lower_bound(const sim_index *ix, uint32_t t, size_t row)
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
