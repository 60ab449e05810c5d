/* keyness.c — G² / chi² keyness of a target against the rest (comptext/keyness.h).
 *
 * The statistics are computed from the four cells of the 2×2 table with the expectations
 * from its margins, exactly as scipy.stats.chi2_contingency does, so the two agree to the
 * last few bits; Rayson's two-cell shortcut for G² is not used because it differs from the
 * contingency-table statistic when the term is a large share of the target. p-values come
 * from GSL (gsl_cdf_chisq_Q with one degree of freedom); the error handler is switched off
 * so that a GSL problem is a status, not an abort. ct_keyness_groups runs the comparison
 * once a group, the group's documents as the target and every other document as the
 * reference, as `comptext keyness --target FIELD=VALUE` and `comptext compare` do. */
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

struct ct_keyness {
    ct_keyness_row *rows;
    size_t n;
    double n1, n2;
};

void ct_keyness_options_init(ct_keyness_options *o)
{
    memset(o, 0, sizeof *o);
    o->stat = CT_KEYNESS_G2;
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
    qsort(s, n, sizeof *s, by_p);
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

/* A row with its term's text, for the tie-break (qsort has no context argument). */
typedef struct sortable {
    ct_keyness_row row;
    const char *text;
} sortable;

static int by_stat(const void *x, const void *y)
{
    const sortable *a = x, *b = y;
    if (a->row.stat != b->row.stat)
        return a->row.stat > b->row.stat ? -1 : 1;
    return strcmp(a->text, b->text);
}

int ct_keyness_compute(ct_keyness **out, const ct_matrix *m, const unsigned char *target,
                       const ct_keyness_options *opts)
{
    *out = NULL;
    size_t rows = ct_matrix_rows(m), cols = ct_matrix_cols(m);
    double *ca = ct_calloc(cols ? cols : 1, sizeof *ca);
    double *cb = ct_calloc(cols ? cols : 1, sizeof *cb);
    double *p = NULL;
    ct_keyness *k = ct_calloc(1, sizeof *k);
    int rc = CT_OK;
    if (!ca || !cb || !k) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(m, r, &c, &v, &nnz);
        double *dst = target[r] ? ca : cb;
        for (size_t j = 0; j < nnz; j++) {
            dst[c[j]] += v[j];
            if (target[r])
                k->n1 += v[j];
            else
                k->n2 += v[j];
        }
    }
    if (!(k->n1 > 0) || !(k->n2 > 0)) {
        rc = CT_EEMPTY;
        goto cleanup;
    }
    k->rows = ct_malloc((cols ? cols : 1) * sizeof *k->rows);
    p = ct_malloc((cols ? cols : 1) * sizeof *p);
    if (!k->rows || !p) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t t = 0; t < cols; t++) {
        if (ca[t] == 0 && cb[t] == 0)
            continue;
        ct_keyness_row *row = &k->rows[k->n];
        row->term = (uint32_t)t;
        row->n_target = ca[t];
        row->n_reference = cb[t];
        if ((rc = ct_keyness_table(ca[t], cb[t], k->n1, k->n2, opts, &row->stat, &row->p,
                                   &row->effect)) != CT_OK)
            goto cleanup;
        p[k->n++] = row->p;
    }
    if ((rc = ct_keyness_bh(p, k->n, p)) != CT_OK)
        goto cleanup;
    for (size_t i = 0; i < k->n; i++)
        k->rows[i].p_adjusted = p[i];
    sortable *srt = ct_malloc((k->n ? k->n : 1) * sizeof *srt);
    if (!srt) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < k->n; i++) {
        srt[i].row = k->rows[i];
        srt[i].text = ct_vocab_term(ct_matrix_vocab(m), k->rows[i].term);
    }
    qsort(srt, k->n, sizeof *srt, by_stat);
    for (size_t i = 0; i < k->n; i++)
        k->rows[i] = srt[i].row;
    ct_free(srt);
cleanup:
    ct_free(ca);
    ct_free(cb);
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

const ct_keyness_row *ct_keyness_get(const ct_keyness *k, size_t i)
{
    return &k->rows[i];
}

void ct_keyness_totals(const ct_keyness *k, double *n1, double *n2)
{
    *n1 = k->n1;
    *n2 = k->n2;
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
