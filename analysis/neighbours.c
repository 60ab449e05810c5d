/* neighbours.c — each row's K most similar rows (comptext/similarity.h).
 *
 * Top-K walks the whole columns of the inverted index (similarity_index.c) of a block's
 * terms into a per-thread accumulator of N doubles a row, with the sums in the same order as
 * the full matrix's, and keeps the K best of each row in a bounded heap: memory
 * O(nnz + N·K + threads·N). Ties are broken by row id in byte order, then row, so the lists
 * are the same for any number of threads. On large corpora whose rows share many terms an
 * exact pruned walk (MaxScore, below) gives the same bytes at a fraction of the cost. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "radix.h"
#include "sort.h"
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

/* Sort best first: repeatedly move the worst to the end. */
static void heap_sort_best_first(heap *hp)
{
    for (size_t n = hp->n; n > 1; n--) {
        ct_neighbour t = hp->h[0];
        hp->h[0] = hp->h[n - 1];
        hp->h[n - 1] = t;
        hp->n = n - 1;
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
    heap_sort_best_first(&hp);
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

/* ---- the pruned walk ---------------------------------------------------------------------
 *
 * On corpora whose documents share many terms (reports made of the same paragraphs) the full
 * walk above costs about N² a pass: every row reads the whole posting lists of its common
 * terms. The pruned walk is MaxScore (Turtle and Flood 1995) for exact top-K inner-product
 * search, one row at a time. Row i's terms are taken in decreasing order of their bound
 * b_t = q_t · max_j x_jt (Jaccard: shortest posting list first, every bound 1); their posting
 * lists are walked into partial sums, admitting every row met as a candidate. A row not yet
 * met can score at most what the terms still to walk allow: Σ b_t over them, and by Cauchy–
 * Schwarz ‖q_rest‖ (Jaccard: their number over |i|). From time to time (checkpoints, when the
 * walk has done as much work as the candidates number) the candidates with the largest
 * partial sums are verified, which gives the heap its K-th best early; once the bound of an
 * unseen row is below it, no new candidate can enter, and the walk stops. Each remaining
 * candidate's bound (partial sum plus what the unwalked terms can add) is then compared with
 * the K-th best, best bound first, and only those that can still enter are verified.
 *
 * A verified score is the exact dot product of the two prepared rows (a merge of their terms)
 * summed in ascending term order, the order of the full walk: the same products added in the
 * same order from 0, so the same bits. Every bound is widened by a relative 1e-9, far above
 * the rounding of a sum, and a row is dropped only when its bound is strictly below the K-th
 * best: the kept K are the K best in the full order (score, id, row) as in the full walk.
 * Rows with score 0 are offered in id order as there. Negative weights void the bounds: the
 * full walk is used then. Memory: a row-major copy of the prepared weights (12 bytes an
 * entry) and O(N) a thread. */

/* Levels of document frequency (1.5^l): each row keeps, for every level l, the norm of its
 * part on the columns of level l and above (cosine: over the row's norm; Jaccard: the number
 * of its terms there), so that a row's possible gain from the posting lists still to walk,
 * all at least as long as the next one, is bounded by Cauchy–Schwarz with its own part. */
#define TOPK_LEVELS 32
#define BOUND_SLACK (1.0 + 1e-9) /* widens every bound, far above a sum's rounding */

typedef struct topk_rows {
    size_t *ptr; /* N + 1 */
    uint32_t *cols;
    double *vals;
    double *maxw;          /* per column: the largest prepared weight */
    double pmax;           /* the largest prepared row norm */
    unsigned char *lev;    /* per column: its level, the largest l with df >= 1.5^l */
    double *sn;            /* N × TOPK_LEVELS: row j's part on the columns of level >= l */
    double G[TOPK_LEVELS]; /* the largest sn of each level */
} topk_rows;

static void topk_rows_free(topk_rows *f)
{
    ct_free(f->ptr);
    ct_free(f->cols);
    ct_free(f->vals);
    ct_free(f->maxw);
    ct_free(f->lev);
    ct_free(f->sn);
}

/* The prepared rows, row-major, from the index (columns ascending: each row's terms come out
 * ascending). Returns 1 when a weight is negative (no bounds then), a negative code on
 * failure, else 0. */
static int topk_rows_build(topk_rows *f, const sim_index *ix)
{
    size_t N = ix->n_rows, V = ct_matrix_cols(ix->m), nnz = ix->col_ptr[V];
    memset(f, 0, sizeof *f);
    f->ptr = ct_calloc(N + 1, sizeof *f->ptr);
    f->cols = ct_malloc((nnz ? nnz : 1) * sizeof *f->cols);
    f->vals = ct_malloc((nnz ? nnz : 1) * sizeof *f->vals);
    f->maxw = ct_malloc((V ? V : 1) * sizeof *f->maxw);
    f->lev = ct_malloc(V ? V : 1);
    f->sn = ct_malloc((N ? N : 1) * TOPK_LEVELS * sizeof *f->sn);
    size_t *cur = ct_malloc((N ? N : 1) * sizeof *cur);
    if (!f->ptr || !f->cols || !f->vals || !f->maxw || !f->lev || !f->sn || !cur) {
        ct_free(cur);
        topk_rows_free(f);
        return CT_ENOMEM;
    }
    const uint32_t *rows = ix->col_rows;
    const double *vals = ix->col_vals;
    for (size_t p = 0; p < nnz; p++)
        f->ptr[rows[p] + 1]++;
    for (size_t i = 0; i < N; i++) {
        f->ptr[i + 1] += f->ptr[i];
        cur[i] = f->ptr[i];
    }
    int neg = 0;
    for (size_t t = 0; t < V; t++) {
        double mx = 0.0;
        for (size_t p = ix->col_ptr[t]; p < ix->col_ptr[t + 1]; p++) {
            size_t k = cur[rows[p]]++;
            f->cols[k] = (uint32_t)t;
            f->vals[k] = vals[p];
            if (vals[p] > mx)
                mx = vals[p];
            neg |= vals[p] < 0.0;
        }
        f->maxw[t] = mx;
    }
    ct_free(cur);
    f->pmax = 0.0;
    for (size_t i = 0; i < N; i++)
        if (ix->pnorm[i] > f->pmax)
            f->pmax = ix->pnorm[i];
    double thr[TOPK_LEVELS];
    thr[0] = 1.0;
    for (int l = 1; l < TOPK_LEVELS; l++)
        thr[l] = ceil(thr[l - 1] * 1.5);
    for (size_t t = 0; t < V; t++) {
        double df = (double)(ix->col_ptr[t + 1] - ix->col_ptr[t]);
        int l = 0;
        while (l + 1 < TOPK_LEVELS && df >= thr[l + 1])
            l++;
        f->lev[t] = (unsigned char)l;
    }
    int jaccard = ix->measure == CT_SIM_JACCARD;
    for (int l = 0; l < TOPK_LEVELS; l++)
        f->G[l] = 0.0;
    for (size_t i = 0; i < N; i++) {
        double h[TOPK_LEVELS] = {0}, *sn = f->sn + i * TOPK_LEVELS, sum = 0.0;
        for (size_t k = f->ptr[i]; k < f->ptr[i + 1]; k++)
            h[f->lev[f->cols[k]]] += jaccard ? 1.0 : f->vals[k] * f->vals[k];
        for (int l = TOPK_LEVELS; l-- > 0;) {
            sum += h[l];
            sn[l] = jaccard              ? sum
                    : ix->pnorm[i] > 0.0 ? sqrt(sum) / ix->pnorm[i] * BOUND_SLACK
                                         : 0.0;
            if (sn[l] > f->G[l])
                f->G[l] = sn[l];
        }
    }
    return neg;
}

/* Σ x_it · x_jt over the terms both rows have, in ascending term order (from 0). */
static double exact_dot(const topk_rows *f, size_t i, size_t j)
{
    size_t a = f->ptr[i], ae = f->ptr[i + 1], b = f->ptr[j], be = f->ptr[j + 1];
    const uint32_t *c = f->cols;
    const double *v = f->vals;
    double s = 0.0;
    /* branch-free: adding +0 leaves a sum of non-negative products unchanged */
    while (a < ae && b < be) {
        uint32_t x = c[a], y = c[b];
        double p = v[a] * v[b];
        s += x == y ? p : 0.0;
        a += x <= y;
        b += y <= x;
    }
    return s;
}

typedef struct term_ord {
    double key; /* minus the posting list's length */
    double q;   /* the row's prepared weight */
    uint32_t t;
} term_ord;

typedef struct cand_ub {
    double ub;
    uint32_t j;
} cand_ub;

static int by_ub_desc(const void *a, const void *b)
{
    const cand_ub *x = a, *y = b;
    if (x->ub != y->ub)
        return x->ub > y->ub ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/* A thread's scratch: O(N) plus the longest row. */
typedef struct topk_scratch {
    double *acc;         /* partial sums of the candidates */
    double *ex;          /* exact sums of the verified */
    unsigned char *seen; /* 0, 1 candidate, 2 verified, 3 the row itself */
    uint32_t *cand;
    cand_ub *ub, *top;       /* N; K */
    term_ord *ord;           /* the longest row */
    double *R, *Q2;          /* suffix sums over ord: bounds, squared weights */
    size_t *W;               /* suffix sums over ord: posting list lengths */
    uint64_t *key, *key_tmp; /* the longest row: sorting the terms by list length */
    uint32_t *idx, *idx_tmp;
} topk_scratch;

typedef struct pruned_row {
    const sim_work *w;
    const topk_rows *f;
    topk_scratch *sc;
    size_t i, n, nc;
    heap hp;
    size_t cost; /* postings walked, merge steps, candidates looked at: for prune_pays */
} pruned_row;

static void verify(pruned_row *pr, uint32_t j)
{
    topk_scratch *sc = pr->sc;
    double e = exact_dot(pr->f, pr->i, j);
    pr->cost += pr->n + (pr->f->ptr[j + 1] - pr->f->ptr[j]);
    sc->ex[j] = e;
    sc->seen[j] = 2;
    if (e != 0.0)
        heap_offer(&pr->hp, (ct_neighbour){j, finish_score(pr->w->ix, pr->i, j, e)});
}

/* The most a row that has none of the terms walked so far (ord[0 … s − 1]) can score. */
static double unseen_bound(const pruned_row *pr, size_t s)
{
    const sim_index *ix = pr->w->ix;
    const topk_scratch *sc = pr->sc;
    if (ix->measure == CT_SIM_JACCARD)
        return (double)(pr->n - s) / ix->norm[pr->i] * BOUND_SLACK;
    if (s == pr->n)
        return 0.0;
    double pi = ix->pnorm[pr->i], g = pr->f->G[pr->f->lev[sc->ord[s].t]];
    double u1 = sc->R[s] / (pi * ix->pmin), u2 = sqrt(sc->Q2[s] > 0.0 ? sc->Q2[s] : 0.0) * g / pi;
    return (u1 < u2 ? u1 : u2) * BOUND_SLACK;
}

/* What the terms still to walk (ord[s …]) can add, for cand_bound. */
typedef struct rest_bound {
    int all_walked;
    double R, qn; /* Σ b_t, ‖q_rest‖ */
    double more;  /* Jaccard: the number of terms */
    size_t lev;
} rest_bound;

static rest_bound rest_at(const pruned_row *pr, size_t s)
{
    const topk_scratch *sc = pr->sc;
    rest_bound rb = {s == pr->n, 0.0, 0.0, (double)(pr->n - s), 0};
    if (!rb.all_walked) {
        rb.R = sc->R[s];
        rb.qn = sqrt(sc->Q2[s] > 0.0 ? sc->Q2[s] : 0.0);
        rb.lev = pr->f->lev[sc->ord[s].t];
    }
    return rb;
}

/* The most candidate j (its partial sum acc[j] over the terms walked) can score. */
static inline double cand_bound(const pruned_row *pr, const rest_bound *rb, uint32_t j)
{
    const sim_index *ix = pr->w->ix;
    double part = pr->sc->acc[j];
    if (rb->all_walked)
        return finish_score(ix, pr->i, j, part) * BOUND_SLACK;
    double sn = pr->f->sn[(size_t)j * TOPK_LEVELS + rb->lev];
    if (ix->measure == CT_SIM_JACCARD) {
        double c = part + (rb->more < sn ? rb->more : sn), nj = ix->norm[j], ni = ix->norm[pr->i];
        if (c > nj)
            c = nj;
        if (c > ni)
            c = ni;
        double uni = ni + nj - c;
        return uni > 0.0 ? c / uni * BOUND_SLACK : 1.0;
    }
    double pj = ix->pnorm[j], rest = rb->qn * sn * pj;
    if (rb->R < rest)
        rest = rb->R;
    return (part + rest) * BOUND_SLACK * BOUND_SLACK / (ix->pnorm[pr->i] * pj);
}

/* Verify the unverified candidates with the K largest partial sums. */
static void checkpoint(pruned_row *pr)
{
    topk_scratch *sc = pr->sc;
    size_t K = pr->w->k, nt = 0;
    cand_ub *top = sc->top;
    /* a min-heap on the partial sum of at most K candidates */
    for (size_t c = 0; c < pr->nc; c++) {
        uint32_t j = sc->cand[c];
        if (sc->seen[j] != 1)
            continue;
        double a = sc->acc[j];
        if (nt == K && !(a > top[0].ub))
            continue;
        size_t x;
        if (nt < K) {
            x = nt++;
            while (x > 0 && top[(x - 1) / 2].ub > a) {
                top[x] = top[(x - 1) / 2];
                x = (x - 1) / 2;
            }
        } else {
            x = 0;
            for (;;) {
                size_t l = 2 * x + 1, r = l + 1, m = x;
                double mv = a;
                if (l < nt && top[l].ub < mv)
                    m = l, mv = top[l].ub;
                if (r < nt && top[r].ub < mv)
                    m = r;
                if (m == x)
                    break;
                top[x] = top[m];
                x = m;
            }
        }
        top[x] = (cand_ub){a, j};
    }
    const sim_index *ix = pr->w->ix;
    for (size_t q = 0; q < nt; q++) {
        uint32_t j = top[q].j;
        if (pr->hp.n == K) {
            double lo = ix->measure == CT_SIM_JACCARD
                            ? finish_score(ix, pr->i, j, top[q].ub)
                            : top[q].ub / (ix->pnorm[pr->i] * ix->pnorm[j]);
            if (lo <= pr->hp.h[0].score)
                continue;
        }
        verify(pr, j);
    }
}

/* The live candidates whose bound reaches the K-th best, into sc->ub (*nu of them); the
 * others are dropped (seen 4). Returns what verifying them costs (a merge of two rows each). */
static size_t prune_candidates(pruned_row *pr, size_t s, size_t *nu)
{
    topk_scratch *sc = pr->sc;
    const topk_rows *f = pr->f;
    size_t cost = 0, K = pr->w->k, u = 0;
    int full = pr->hp.n == K;
    double thr = full ? pr->hp.h[0].score : 0.0;
    rest_bound rb = rest_at(pr, s);
    for (size_t c = 0; c < pr->nc; c++) {
        uint32_t j = sc->cand[c];
        if (sc->seen[j] != 1)
            continue;
        double b = cand_bound(pr, &rb, j);
        if (full && b < thr)
            sc->seen[j] = 4;
        else {
            sc->ub[u++] = (cand_ub){b, j};
            cost += pr->n + (f->ptr[j + 1] - f->ptr[j]);
        }
    }
    *nu = u;
    return cost;
}

static void pruned_select(pruned_row *pr)
{
    const sim_work *w = pr->w;
    const sim_index *ix = w->ix;
    const topk_rows *f = pr->f;
    topk_scratch *sc = pr->sc;
    size_t i = pr->i, K = w->k, a0 = f->ptr[i], n = pr->n;
    int jaccard = ix->measure == CT_SIM_JACCARD;
    sc->seen[i] = 3;
    if (n) {
        /* shortest posting list first */
        for (size_t q = 0; q < n; q++) {
            uint32_t t = f->cols[a0 + q];
            sc->key[q] = (uint64_t)(ix->col_ptr[t + 1] - ix->col_ptr[t]) << 32 | t;
            sc->idx[q] = (uint32_t)q;
        }
        ct_radix_sort_pairs(sc->key, sc->idx, sc->key_tmp, sc->idx_tmp, n);
        for (size_t q = 0; q < n; q++) {
            uint32_t t = (uint32_t)sc->key[q];
            sc->ord[q] = (term_ord){-(double)(sc->key[q] >> 32), f->vals[a0 + sc->idx[q]], t};
        }
        sc->R[n] = sc->Q2[n] = 0.0;
        sc->W[n] = 0;
        for (size_t q = n; q-- > 0;) {
            double qv = sc->ord[q].q;
            sc->W[q] = sc->W[q + 1] + (size_t)-sc->ord[q].key;
            sc->R[q] = sc->R[q + 1] + (jaccard ? 1.0 : qv * f->maxw[sc->ord[q].t]);
            sc->Q2[q] = sc->Q2[q + 1] + qv * qv;
        }
        const uint32_t *rows = ix->col_rows;
        const double *vals = ix->col_vals;
        size_t s = 0, work = 0, next_cp = 0;
        /* 1. admit every row met, until no unseen row can reach the K-th best */
        for (; s < n; s++) {
            if (pr->hp.n == K && unseen_bound(pr, s) < pr->hp.h[0].score)
                break;
            uint32_t t = sc->ord[s].t;
            double qv = sc->ord[s].q;
            size_t r0 = ix->col_ptr[t], e = ix->col_ptr[t + 1];
            /* branch-free: acc is 0 outside the candidates; a row not seen before is
             * appended, and kept by moving the end */
            double *restrict acc = sc->acc;
            unsigned char *restrict seen = sc->seen;
            uint32_t *restrict cand = sc->cand;
            size_t nc = pr->nc;
            for (size_t r = r0; r < e; r++) {
                uint32_t j = rows[r];
                acc[j] += qv * vals[r];
                cand[nc] = j;
                nc += !seen[j];
                seen[j] = seen[j] ? seen[j] : 1;
            }
            pr->nc = nc;
            work += e - r0;
            if (work >= next_cp && s + 1 < n) {
                checkpoint(pr);
                next_cp = work + pr->nc + 2 * K * n;
            }
        }
        /* 2. walk on for the candidates only while verifying them would cost more */
        size_t nu;
        for (;;) {
            size_t cost = prune_candidates(pr, s, &nu);
            if (s == n)
                break;
            /* verifying now costs less than walking the rest: stop; else walk a part of it
             * (an eighth of the smaller), and look again */
            size_t rest = sc->W[s];
            if (cost <= rest)
                break;
            size_t budget = rest / 8 ? rest / 8 : 1, walked = 0;
            for (; s < n && walked < budget; s++) {
                uint32_t t = sc->ord[s].t;
                double qv = sc->ord[s].q;
                size_t r0 = ix->col_ptr[t], e = ix->col_ptr[t + 1];
                double *restrict acc = sc->acc;
                const unsigned char *restrict seen = sc->seen;
                for (size_t r = r0; r < e; r++) {
                    uint32_t j = rows[r];
                    acc[j] += seen[j] == 1 ? qv * vals[r] : 0.0;
                }
                walked += e - r0;
            }
            work += walked;
            pr->cost += pr->nc;
        }
        pr->cost += work + 2 * pr->nc;
        /* 3. verify the candidates that may still enter, best bound first */
        ct_sort(sc->ub, nu, sizeof *sc->ub, by_ub_desc);
        for (size_t u = 0; u < nu; u++) {
            if (pr->hp.n == K && sc->ub[u].ub < pr->hp.h[0].score)
                break;
            verify(pr, sc->ub[u].j);
        }
    }
    /* Rows with score 0 in id order, as the full walk offers them. */
    if (pr->hp.n < K || !(pr->hp.h[0].score > 0.0)) {
        size_t offered = 0;
        for (size_t q = 0; q < ix->n_rows && offered < K; q++) {
            size_t j = w->by_id[q];
            if (j == i)
                continue;
            if (sc->seen[j] == 1 || sc->seen[j] == 4)
                verify(pr, (uint32_t)j);
            if (sc->seen[j] == 2 && sc->ex[j] != 0.0)
                continue;
            heap_offer(&pr->hp, (ct_neighbour){j, 0.0});
            offered++;
        }
    }
    for (size_t c = 0; c < pr->nc; c++) {
        sc->seen[sc->cand[c]] = 0;
        sc->acc[sc->cand[c]] = 0.0;
    }
    sc->seen[i] = 0;
    sc->acc[i] = 0.0;
    heap_sort_best_first(&pr->hp);
}

static void scratch_free(topk_scratch *sc)
{
    ct_free(sc->acc);
    ct_free(sc->ex);
    ct_free(sc->seen);
    ct_free(sc->cand);
    ct_free(sc->ub);
    ct_free(sc->top);
    ct_free(sc->ord);
    ct_free(sc->R);
    ct_free(sc->Q2);
    ct_free(sc->W);
    ct_free(sc->key);
    ct_free(sc->key_tmp);
    ct_free(sc->idx);
    ct_free(sc->idx_tmp);
}

static int scratch_init(topk_scratch *sc, const topk_rows *f, size_t N, size_t k)
{
    size_t longest = 1;
    for (size_t i = 0; i < N; i++)
        if (f->ptr[i + 1] - f->ptr[i] > longest)
            longest = f->ptr[i + 1] - f->ptr[i];
    *sc = (topk_scratch){
        .acc = ct_calloc(N, sizeof *sc->acc),
        .ex = ct_malloc(N * sizeof *sc->ex),
        .seen = ct_calloc(N, 1),
        .cand = ct_malloc(N * sizeof *sc->cand),
        .ub = ct_malloc(N * sizeof *sc->ub),
        .top = ct_malloc(k * sizeof *sc->top),
        .ord = ct_malloc(longest * sizeof *sc->ord),
        .R = ct_malloc((longest + 1) * sizeof *sc->R),
        .Q2 = ct_malloc((longest + 1) * sizeof *sc->Q2),
        .W = ct_malloc((longest + 1) * sizeof *sc->W),
        .key = ct_malloc(longest * sizeof *sc->key),
        .key_tmp = ct_malloc(longest * sizeof *sc->key),
        .idx = ct_malloc(longest * sizeof *sc->idx),
        .idx_tmp = ct_malloc(longest * sizeof *sc->idx),
    };
    if (!sc->acc || !sc->ex || !sc->seen || !sc->cand || !sc->ub || !sc->top || !sc->ord ||
        !sc->R || !sc->Q2 || !sc->W || !sc->key || !sc->key_tmp || !sc->idx || !sc->idx_tmp) {
        scratch_free(sc);
        return CT_ENOMEM;
    }
    return CT_OK;
}

static void pruned_worker(void *arg, int worker)
{
    sim_work *w = arg;
    (void)worker;
    const sim_index *ix = w->ix;
    size_t lo, hi;
    topk_scratch sc;
    if (scratch_init(&sc, w->forward, ix->n_rows, w->k) != CT_OK) {
        ct_chunk_queue_fail(&w->queue, CT_ENOMEM);
        return;
    }
    while (ct_chunk_queue_take(&w->queue, &lo, &hi))
        for (size_t i = lo; i < hi; i++) {
            pruned_row pr = {.w = w,
                             .f = w->forward,
                             .sc = &sc,
                             .i = i,
                             .n = w->forward->ptr[i + 1] - w->forward->ptr[i]};
            pr.hp = (heap){w->nb + i * w->k, 0, w->k, ix->m};
            pruned_select(&pr);
        }
    scratch_free(&sc);
}

/* Whether the pruned walk pays on this corpus: it is run on PRUNE_SAMPLE rows spread over the
 * corpus, and its work (postings walked, merge steps, candidates looked at) compared with the
 * postings the full walk reads for them, which the full walk reads PRUNE_FULL_SPEED times
 * faster (a block of rows reads each posting list once). Deterministic: the same corpus makes
 * the same choice, and both walks give the same bytes anyway. */
#define PRUNE_SAMPLE 64
#define PRUNE_FULL_SPEED 4

static int prune_pays(sim_work *w, int *pays)
{
    const sim_index *ix = w->ix;
    size_t N = ix->n_rows, K = w->k, full = 0, pruned = 0;
    topk_scratch sc;
    ct_neighbour *tmp = ct_malloc(K * sizeof *tmp);
    if (!tmp || scratch_init(&sc, w->forward, N, K) != CT_OK) {
        ct_free(tmp);
        return CT_ENOMEM;
    }
    for (size_t q = 0; q < PRUNE_SAMPLE; q++) {
        size_t i = (size_t)((double)N * ((double)q + 0.5) / PRUNE_SAMPLE);
        if (i >= N)
            i = N - 1;
        const topk_rows *f = w->forward;
        for (size_t k = f->ptr[i]; k < f->ptr[i + 1]; k++)
            full += ix->col_ptr[f->cols[k] + 1] - ix->col_ptr[f->cols[k]];
        pruned_row pr = {.w = w, .f = f, .sc = &sc, .i = i, .n = f->ptr[i + 1] - f->ptr[i]};
        pr.hp = (heap){tmp, 0, K, ix->m};
        pruned_select(&pr);
        pruned += pr.cost + pr.n;
    }
    *pays = pruned * PRUNE_FULL_SPEED < full;
    scratch_free(&sc);
    ct_free(tmp);
    return CT_OK;
}

static int by_row_id(const void *a, const void *b, void *ctx)
{
    const ct_matrix *m = *(const ct_matrix **)ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(m->row_ids[x], m->row_ids[y]);
    return c ? c : (x < y ? -1 : x > y);
}

/* The pruned walk pays for its row-major copy and its bookkeeping; below this many rows the
 * full walk is cheap anyway. */
#define PRUNE_MIN_ROWS 2000

int ct_sim_topk_walk(const sim_index *ix, size_t k, ct_neighbour *nb, int threads,
                     ct_topk_walk walk)
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
    int auto_walk = walk == CT_TOPK_AUTO;
    if (auto_walk)
        walk = N >= PRUNE_MIN_ROWS ? CT_TOPK_PRUNED : CT_TOPK_FULL;
    topk_rows f;
    int rc = CT_OK;
    if (walk == CT_TOPK_PRUNED) {
        rc = topk_rows_build(&f, ix);
        if (rc == 1) { /* a negative weight: no bounds */
            topk_rows_free(&f);
            walk = CT_TOPK_FULL;
            rc = CT_OK;
        }
    }
    if (rc == CT_OK && walk == CT_TOPK_PRUNED) {
        w.forward = &f;
        int pays = 1;
        if (auto_walk)
            rc = prune_pays(&w, &pays);
        if (rc != CT_OK || !pays) {
            topk_rows_free(&f);
            walk = CT_TOPK_FULL;
        }
    }
    if (rc == CT_OK) {
        if (walk == CT_TOPK_PRUNED) {
            rc = ct_sim_run_blocks(&w, pruned_worker, threads);
            topk_rows_free(&f);
        } else
            rc = ct_sim_run_blocks(&w, topk_worker, threads);
    }
    ct_free(by_id);
    return rc;
}

int ct_sim_topk(const sim_index *ix, size_t k, ct_neighbour *nb, int threads)
{
    return ct_sim_topk_walk(ix, k, nb, threads, CT_TOPK_AUTO);
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
