/* keyness.c — G² / chi² keyness of a target against the rest (comptext/keyness.h).
 *
 * The statistics are computed from the four cells of the 2×2 table with the expectations
 * from its margins, exactly as scipy.stats.chi2_contingency does, so the two agree to the
 * last few bits; Rayson's two-cell shortcut for G² is not used because it differs from the
 * contingency-table statistic when the term is a large share of the target. p-values come
 * from GSL (gsl_cdf_chisq_Q with one degree of freedom); the error handler is switched off
 * so that a GSL problem is a status, not an abort. ct_keyness_groups runs the comparison
 * once a group, the group's documents as the target and every other document as the
 * reference, as `comptext keyness --target FIELD=VALUE` and `comptext compare` do.
 *
 * Dispersion. One pass over the target rows gives, for each term, the documents using it
 * and the document using it most; a second pass, the term's count known, sums Gries's DP
 * (S. Th. Gries 2008, "Dispersions and adjusted frequencies in corpora", Int. J. of Corpus
 * Linguistics 13(4): DP = ½ Σ_i |v_i − s_i|, v_i = f_i / f the part's share of the term,
 * s_i the part's share of the corpus) over the target documents: the documents without the
 * term add s_i each, so DP = ½ (Σ_{f_i>0} |f_i/f − s_i| + 1 − Σ_{f_i>0} s_i) and the pass
 * only visits the non-zero cells. stat_without_top is one more 2×2 table: a − f_max of
 * n1 − size(top document) against b of n2.
 *
 * The document-level test (CT_KEYNESS_TEST_DOCUMENTS) is the Wilcoxon–Mann–Whitney rank-sum
 * test of the relative frequencies f_d / size_d of the term, target documents against
 * reference documents (documents without tokens take no part), computed as
 * scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True): U1 = R1 −
 * n_t(n_t+1)/2 with average ranks for ties, μ = n_t n_r / 2, σ² = n_t n_r / 12 · ((N+1) −
 * Σ(t³−t) / (N(N−1))), two-sided p = min(1, 2 Q((max(U1, U2) − μ − ½)/σ)). The zeros of a
 * term (every document not using it) are one tie block, so a term costs only its non-zero
 * cells (sorted), not a pass over every document. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "comptext/group.h"
#include "comptext/keyness.h"
#include "comptext/vocab.h"
#include "matrix_impl.h"
#include "sort.h"

struct ct_keyness {
    ct_keyness_row *rows;
    size_t n;
    double n1, n2;
    size_t d1, d2; /* documents (rows) in target and reference */
    ct_keyness_rank ranked_by;
};

void ct_keyness_options_init(ct_keyness_options *o)
{
    memset(o, 0, sizeof *o);
    o->stat = CT_KEYNESS_G2;
    o->rank = CT_KEYNESS_RANK_AUTO;
    o->test = CT_KEYNESS_TEST_TOKENS;
}

double ct_keyness_dp(const double *counts, const double *sizes, size_t n)
{
    double f = 0, total = 0, sum = 0;
    for (size_t i = 0; i < n; i++)
        if (sizes[i] > 0) {
            f += counts[i];
            total += sizes[i];
        }
    if (!(f > 0) || !(total > 0))
        return NAN;
    for (size_t i = 0; i < n; i++)
        if (sizes[i] > 0)
            sum += fabs(counts[i] / f - sizes[i] / total);
    return 0.5 * sum;
}

static inline double olog(double o, double e)
{
    return o > 0 ? o * log(o / e) : 0.0;
}

int ct_keyness_table(double a, double b, double n1, double n2, const ct_keyness_options *opts,
                     double *stat, double *p, double *effect)
{
    *stat = 0;
    *p = 1;
    *effect = 0;
    if (!(a >= 0) || !(b >= 0) || !(n1 > 0) || !(n2 > 0) || a > n1 || b > n2)
        return CT_EINVAL;
    double N = n1 + n2, r1 = a + b, r2 = N - r1;
    double O[4] = {a, b, n1 - a, n2 - b};
    double E[4] = {n1 * r1 / N, n2 * r1 / N, n1 * r2 / N, n2 * r2 / N};
    double s = 0;
    if (opts->stat == CT_KEYNESS_G2) {
        for (int i = 0; i < 4; i++)
            s += olog(O[i], E[i]);
        s *= 2;
    } else {
        for (int i = 0; i < 4; i++) {
            double o = O[i];
            if (opts->yates) {
                double d = E[i] - o, m = fabs(d) < 0.5 ? fabs(d) : 0.5;
                o += d > 0 ? m : d < 0 ? -m : 0;
            }
            if (E[i] > 0)
                s += (o - E[i]) * (o - E[i]) / E[i];
        }
    }
    if (s < 0) /* rounding, when the table is exactly proportional */
        s = 0;
    gsl_set_error_handler_off();
    double q = gsl_cdf_chisq_Q(s, 1.0);
    if (!isfinite(q))
        return CT_ENUMERIC;
    *p = q;
    double fa = a > 0 ? a : 0.5, fb = b > 0 ? b : 0.5;
    *effect = log2((fa / n1) / (fb / n2));
    *stat = a * n2 < b * n1 ? -s : s;
    return CT_OK;
}

typedef struct pidx {
    double p;
    size_t i;
} pidx;

static int by_p(const void *x, const void *y)
{
    const pidx *a = x, *b = y;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

int ct_keyness_bh(const double *p, size_t n, double *adj)
{
    if (!n)
        return CT_OK;
    pidx *s = ct_malloc(n * sizeof *s);
    if (!s)
        return CT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        s[i].p = p[i];
        s[i].i = i;
    }
    ct_sort(s, n, sizeof *s, by_p);
    double run = 1.0;
    for (size_t k = n; k-- > 0;) {
        double v = s[k].p * (double)n / (double)(k + 1);
        if (v < run)
            run = v;
        s[k].p = run;
    }
    for (size_t k = 0; k < n; k++)
        adj[s[k].i] = s[k].p;
    ct_free(s);
    return CT_OK;
}

/* A row with its term's text, for the tie-break (qsort has no context argument), and its
 * ranking key (NaN ranks last). */
typedef struct sortable {
    ct_keyness_row row;
    const char *text;
    double key;
} sortable;

static int by_key(const void *x, const void *y)
{
    const sortable *a = x, *b = y;
    int na = isnan(a->key), nb = isnan(b->key);
    if (na != nb)
        return na - nb;
    if (!na && a->key != b->key)
        return a->key > b->key ? -1 : 1;
    if (a->row.stat != b->row.stat)
        return a->row.stat > b->row.stat ? -1 : 1;
    return strcmp(a->text, b->text);
}

/* One non-zero cell of a term, for the rank-sum test. */
typedef struct cell {
    double x; /* relative frequency in its document */
    int target;
} cell;

static int by_x(const void *p, const void *q)
{
    const cell *a = p, *b = q;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return b->target - a->target; /* ties are averaged: the order does not matter */
}

/* Mann–Whitney U of one term from its non-zero cells c[0..m) (sorted here), nt and nr
 * documents with tokens on each side: z and the two-sided p (see the file comment). */
static void mann_whitney(cell *c, size_t m, size_t nt, size_t nr, double *z, double *p)
{
    if (!nt || !nr || nt + nr < 2) {
        *z = 0;
        *p = 1;
        return;
    }
    ct_sort(c, m, sizeof *c, by_x);
    size_t nz_t = 0;
    for (size_t i = 0; i < m; i++)
        nz_t += c[i].target != 0;
    double N = (double)(nt + nr), zeros = N - (double)m;
    double zeros_t = (double)nt - (double)nz_t;
    /* the zeros hold ranks 1..zeros, each the average (zeros + 1) / 2 */
    double r1 = zeros_t * (zeros + 1) / 2, ties = zeros * zeros * zeros - zeros;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && c[j].x == c[i].x)
            j++;
        double t = (double)(j - i), avg = zeros + (double)i + (t + 1) / 2;
        for (size_t q = i; q < j; q++)
            if (c[q].target)
                r1 += avg;
        ties += t * t * t - t;
        i = j;
    }
    double ntd = (double)nt, nrd = (double)nr;
    double u1 = r1 - ntd * (ntd + 1) / 2, u2 = ntd * nrd - u1, mu = ntd * nrd / 2;
    double var = ntd * nrd / 12 * ((N + 1) - ties / (N * (N - 1)));
    double s = var > 0 ? sqrt(var) : 0;
    if (!(s > 0)) {
        *z = 0;
        *p = 1;
        return;
    }
    *z = (u1 - mu) / s;
    double q = 2 * gsl_cdf_ugaussian_Q(((u1 > u2 ? u1 : u2) - mu - 0.5) / s);
    *p = q < 1 ? q : 1;
}

/* The documents test for every tested term: the non-zero cells gathered term by term (a
 * counting sort of the matrix's cells), then one rank-sum a term. */
static int documents_test(ct_keyness *k, const ct_matrix *m, const unsigned char *target,
                          const double *rowsum, const size_t *slot)
{
    size_t rows = ct_matrix_rows(m), cols = ct_matrix_cols(m), nt = 0, nr = 0, nnz_all = 0;
    for (size_t r = 0; r < rows; r++) {
        if (!(rowsum[r] > 0))
            continue;
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(m, r, &c, &v, &nnz);
        nnz_all += nnz;
        if (target[r])
            nt++;
        else
            nr++;
    }
    size_t *start = ct_calloc(cols + 1, sizeof *start);
    cell *cells = ct_malloc((nnz_all ? nnz_all : 1) * sizeof *cells);
    if (!start || !cells) {
        ct_free(start);
        ct_free(cells);
        return CT_ENOMEM;
    }
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(m, r, &c, &v, &nnz);
        for (size_t j = 0; rowsum[r] > 0 && j < nnz; j++)
            start[c[j] + 1]++;
    }
    for (size_t t = 0; t < cols; t++)
        start[t + 1] += start[t];
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(m, r, &c, &v, &nnz);
        for (size_t j = 0; rowsum[r] > 0 && j < nnz; j++)
            if (v[j] != 0)
                cells[start[c[j]]++] = (cell){v[j] / rowsum[r], target[r] != 0};
    }
    /* start[t] now ends term t's cells; its beginning is the previous term's end */
    for (size_t t = 0; t < cols; t++) {
        if (slot[t] == SIZE_MAX)
            continue;
        size_t b = t ? start[t - 1] : 0, e = start[t];
        ct_keyness_row *row = &k->rows[slot[t]];
        mann_whitney(cells + b, e - b, nt, nr, &row->stat, &row->p);
    }
    ct_free(start);
    ct_free(cells);
    return CT_OK;
}

int ct_keyness_compute(ct_keyness **out, const ct_matrix *m, const unsigned char *target,
                       const ct_keyness_options *opts)
{
    *out = NULL;
    size_t rows = ct_matrix_rows(m), cols = ct_matrix_cols(m), cl = cols ? cols : 1;
    double *ca = ct_calloc(cl, sizeof *ca), *cb = ct_calloc(cl, sizeof *cb);
    double *top = ct_calloc(cl, sizeof *top), *top_size = ct_calloc(cl, sizeof *top_size);
    double *dev = ct_calloc(cl, sizeof *dev), *share = ct_calloc(cl, sizeof *share);
    size_t *dt = ct_calloc(cl, sizeof *dt), *dr = ct_calloc(cl, sizeof *dr);
    size_t *slot = ct_malloc(cl * sizeof *slot);
    double *rowsum = NULL;
    double *p = NULL;
    sortable *srt = NULL;
    ct_keyness *k = ct_calloc(1, sizeof *k);
    int rc = CT_OK;
    if (!ca || !cb || !top || !top_size || !dev || !share || !dt || !dr || !slot || !k ||
        ct_matrix_row_sums(m, &rowsum) != CT_OK) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(m, r, &c, &v, &nnz);
        if (target[r])
            k->d1++;
        else
            k->d2++;
        /* pass 1: counts, documents, the document using each term most */
        for (size_t j = 0; j < nnz; j++) {
            if (v[j] == 0)
                continue;
            if (target[r]) {
                ca[c[j]] += v[j];
                dt[c[j]]++;
                if (v[j] > top[c[j]]) {
                    top[c[j]] = v[j];
                    top_size[c[j]] = 0; /* filled below, once the row's size is known */
                }
            } else {
                cb[c[j]] += v[j];
                dr[c[j]]++;
            }
        }
        if (target[r])
            k->n1 += rowsum[r];
        else
            k->n2 += rowsum[r];
        if (target[r])
            for (size_t j = 0; j < nnz; j++)
                if (v[j] != 0 && v[j] == top[c[j]] && top_size[c[j]] == 0)
                    top_size[c[j]] = rowsum[r];
    }
    if (!(k->n1 > 0) || !(k->n2 > 0)) {
        rc = CT_EEMPTY;
        goto cleanup;
    }
    /* pass 2: Gries's DP over the target documents */
    for (size_t r = 0; r < rows; r++) {
        if (!target[r] || !(rowsum[r] > 0))
            continue;
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(m, r, &c, &v, &nnz);
        double s_i = rowsum[r] / k->n1;
        for (size_t j = 0; j < nnz; j++)
            if (v[j] != 0) {
                dev[c[j]] += fabs(v[j] / ca[c[j]] - s_i);
                share[c[j]] += s_i;
            }
    }
    k->rows = ct_malloc(cl * sizeof *k->rows);
    p = ct_malloc(cl * sizeof *p);
    if (!k->rows || !p) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t t = 0; t < cols; t++) {
        slot[t] = SIZE_MAX;
        if (ca[t] == 0 && cb[t] == 0)
            continue;
        ct_keyness_row *row = &k->rows[k->n];
        memset(row, 0, sizeof *row);
        row->term = (uint32_t)t;
        row->n_target = ca[t];
        row->n_reference = cb[t];
        row->docs_target = dt[t];
        row->docs_reference = dr[t];
        if ((rc = ct_keyness_table(ca[t], cb[t], k->n1, k->n2, opts, &row->stat, &row->p,
                                   &row->effect)) != CT_OK)
            goto cleanup;
        if (!(ca[t] > 0))
            row->dp = 1; /* see keyness.h */
        else {
            double d = 0.5 * (dev[t] + 1 - share[t]);
            row->dp = d > 0 ? d : 0; /* rounding: one document gives 0 */
        }
        if (k->d1 < 2 || !(k->n1 - top_size[t] > 0)) {
            row->stat_without_top = 0;
        } else {
            double p2, e2;
            double a2 = ca[t] - top[t], n1b = k->n1 - top_size[t];
            if (a2 == 0 && cb[t] == 0)
                row->stat_without_top = 0;
            else if ((rc = ct_keyness_table(a2, cb[t], n1b, k->n2, opts, &row->stat_without_top,
                                            &p2, &e2)) != CT_OK)
                goto cleanup;
        }
        slot[t] = k->n;
        p[k->n++] = row->p;
    }
    if (opts->test == CT_KEYNESS_TEST_DOCUMENTS) {
        if ((rc = documents_test(k, m, target, rowsum, slot)) != CT_OK)
            goto cleanup;
        for (size_t i = 0; i < k->n; i++)
            p[i] = k->rows[i].p;
    }
    if ((rc = ct_keyness_bh(p, k->n, p)) != CT_OK)
        goto cleanup;
    for (size_t i = 0; i < k->n; i++)
        k->rows[i].p_adjusted = p[i];
    k->ranked_by = opts->rank;
    if (k->ranked_by == CT_KEYNESS_RANK_AUTO)
        k->ranked_by = opts->test == CT_KEYNESS_TEST_TOKENS && k->d1 >= 2
                           ? CT_KEYNESS_RANK_WITHOUT_TOP
                           : CT_KEYNESS_RANK_STAT;
    srt = ct_malloc((k->n ? k->n : 1) * sizeof *srt);
    if (!srt) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < k->n; i++) {
        srt[i].row = k->rows[i];
        srt[i].text = ct_vocab_term(ct_matrix_vocab(m), k->rows[i].term);
        srt[i].key = k->ranked_by == CT_KEYNESS_RANK_WITHOUT_TOP ? k->rows[i].stat_without_top
                                                                 : k->rows[i].stat;
    }
    ct_sort(srt, k->n, sizeof *srt, by_key);
    for (size_t i = 0; i < k->n; i++)
        k->rows[i] = srt[i].row;
cleanup:
    ct_free(srt);
    ct_free(ca);
    ct_free(cb);
    ct_free(top);
    ct_free(top_size);
    ct_free(dev);
    ct_free(share);
    ct_free(dt);
    ct_free(dr);
    ct_free(slot);
    ct_free(rowsum);
    ct_free(p);
    if (rc != CT_OK) {
        ct_keyness_free(k);
        return rc;
    }
    *out = k;
    return CT_OK;
}

void ct_keyness_free(ct_keyness *k)
{
    if (!k)
        return;
    ct_free(k->rows);
    ct_free(k);
}

size_t ct_keyness_size(const ct_keyness *k)
{
    return k->n;
}

const ct_keyness_row *ct_keyness_get_row(const ct_keyness *k, size_t i)
{
    return &k->rows[i];
}

void ct_keyness_totals(const ct_keyness *k, double *n1, double *n2)
{
    *n1 = k->n1;
    *n2 = k->n2;
}

void ct_keyness_documents(const ct_keyness *k, size_t *d1, size_t *d2)
{
    *d1 = k->d1;
    *d2 = k->d2;
}

ct_keyness_rank ct_keyness_ranked_by(const ct_keyness *k)
{
    return k->ranked_by;
}

int ct_keyness_groups(ct_keyness ***out, const ct_matrix *counts, const ct_grouping *groups,
                      const ct_keyness_options *opts)
{
    *out = NULL;
    size_t nd = ct_matrix_rows(counts), ng = ct_grouping_size(groups);
    ct_keyness **k = ct_calloc(ng + 1, sizeof *k);
    unsigned char *mask = ct_calloc(nd + 1, 1);
    int rc = k && mask ? CT_OK : CT_ENOMEM;
    for (size_t g = 0; rc == CT_OK && g < ng; g++) {
        size_t m;
        const size_t *members = ct_grouping_members(groups, g, &m);
        if (m == 0 || m == nd)
            continue; /* nothing to compare with */
        memset(mask, 0, nd);
        for (size_t q = 0; q < m; q++) {
            if (members[q] >= nd) {
                rc = CT_EINVAL; /* counts is not the grouped corpus's */
                break;
            }
            mask[members[q]] = 1;
        }
        if (rc == CT_OK && (rc = ct_keyness_compute(&k[g], counts, mask, opts)) == CT_EEMPTY)
            rc = CT_OK;
    }
    ct_free(mask);
    if (rc != CT_OK) {
        ct_keyness_groups_free(k, ng);
        return rc;
    }
    *out = k;
    return CT_OK;
}

void ct_keyness_groups_free(ct_keyness **k, size_t n)
{
    for (size_t g = 0; k && g < n; g++)
        ct_keyness_free(k[g]);
    ct_free(k);
}
