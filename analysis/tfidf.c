/* tfidf.c — TF-IDF with scikit-learn's TfidfVectorizer semantics (comptext/tfidf.h).
 *
 * Each step follows the scikit-learn 1.2 source operation for operation, so that results
 * agree to within a few units in the last place: pruning is CountVectorizer._limit_features (bounds
 * converted to document counts without rounding, df compared with <= and >=, then the
 * max_features most frequent terms); idf is np.log(n_samples / df) + 1 with the smoothing
 * ones added to both operands first; the weights are one product tf · idf; and the row
 * norms are those of sklearn's inplace_csr_row_normalize_l1/l2 (a sum in column order, a
 * square root, a division). Where scikit-learn's order is undefined (argsort ties in
 * max_features) this module breaks ties by term in byte order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/count.h"
#include "comptext/tf.h"
#include "comptext/tfidf.h"
#include "matrix_impl.h"
#include "tfidf_impl.h"
#include "parallel.h"
#include "sort.h"

void ct_tfidf_options_init(ct_tfidf_options *o)
{
    memset(o, 0, sizeof *o);
    o->norm = CT_TFIDF_NORM_L2;
}

static const char *const norm_names[] = {"l2", "l1", "none"};

int ct_tfidf_norm_parse(const char *name, ct_tfidf_norm *out)
{
    for (size_t i = 0; i < 3; i++)
        if (strcmp(name, norm_names[i]) == 0) {
            *out = (ct_tfidf_norm)i;
            return CT_OK;
        }
    return CT_EINVAL;
}

const char *ct_tfidf_norm_name(ct_tfidf_norm norm)
{
    return (unsigned)norm < 3 ? norm_names[norm] : "?";
}

/* A bound as a document count; def when unset. */
static double doc_count(const ct_df_limit *l, double def, size_t n)
{
    if (!l->set)
        return def;
    return l->is_proportion ? l->value * (double)n : l->value;
}

static int check_limit(const ct_df_limit *l, const char *name, ct_error *err)
{
    if (!l->set)
        return CT_OK;
    if (!(l->value >= 0.0) || (l->is_proportion && l->value > 1.0) ||
        (!l->is_proportion && l->value != floor(l->value))) {
        ct_error_set(err, NULL, 0, -1,
                     "%s must be an integer count of at least 0 or a proportion in [0, 1], "
                     "not %g",
                     name, l->value);
        return CT_EINVAL;
    }
    return CT_OK;
}

typedef struct ranked_col {
    double total;
    uint32_t col;
} ranked_col;

/* Total count descending, then column (= term byte order) ascending. */
static int by_total_then_col(const void *a, const void *b)
{
    const ranked_col *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Step 1 as a mask from the statistics of n rows: df (and, when max_features needs them,
 * the column totals tfs; NULL: summed from counts) over V columns. *keep (ct_malloc, V bytes)
 * is NULL when every column stays. */
static int limit_keep(size_t n, size_t V, const uint32_t *df, const double *given_tfs,
                      const ct_matrix *counts, const ct_tfidf_options *o, unsigned char **keep_out,
                      ct_error *err)
{
    *keep_out = NULL;
    int rc;
    double *tfs = NULL;
    ranked_col *rank = NULL;
    unsigned char *keep = ct_malloc(V ? V : 1);
    if (!keep)
        return CT_ENOMEM;
    double high = doc_count(&o->max_df, (double)n, n); /* default max_df = 1.0 */
    double low = doc_count(&o->min_df, 1.0, n);        /* default min_df = 1 */
    size_t kept = 0;
    for (size_t c = 0; c < V; c++) {
        keep[c] = (double)df[c] <= high && (double)df[c] >= low;
        kept += keep[c];
    }
    if (o->max_features && kept > o->max_features) {
        if (!given_tfs && (rc = ct_matrix_col_sums(counts, &tfs)) != CT_OK)
            goto cleanup;
        const double *sums = given_tfs ? given_tfs : tfs;
        rank = ct_malloc(kept * sizeof *rank);
        if (!rank) {
            rc = CT_ENOMEM;
            goto cleanup;
        }
        size_t k = 0;
        for (size_t c = 0; c < V; c++)
            if (keep[c]) {
                rank[k].total = sums[c];
                rank[k++].col = (uint32_t)c;
            }
        ct_sort(rank, kept, sizeof *rank, by_total_then_col);
        memset(keep, 0, V);
        for (size_t i = 0; i < o->max_features; i++)
            keep[rank[i].col] = 1;
        kept = o->max_features;
    }
    if (kept == 0) {
        ct_error_set(err, NULL, 0, -1,
                     "after pruning, no terms remain: no term occurs in at least %g and at most "
                     "%g of the %zu documents; try a lower min_df or a higher max_df",
                     low, high, n);
        rc = CT_EEMPTY;
        goto cleanup;
    }
    rc = CT_OK;
    if (kept < V) {
        *keep_out = keep;
        keep = NULL;
    }
cleanup:
    ct_free(keep);
    ct_free(tfs);
    ct_free(rank);
    return rc;
}

/* The bounds' checks, before any statistic: CT_EINVAL with err. */
static int check_limits(size_t n, const ct_tfidf_options *o, ct_error *err)
{
    int rc;
    if ((rc = check_limit(&o->min_df, "min_df", err)) != CT_OK ||
        (rc = check_limit(&o->max_df, "max_df", err)) != CT_OK)
        return rc;
    double high = doc_count(&o->max_df, (double)n, n); /* default max_df = 1.0 */
    double low = doc_count(&o->min_df, 1.0, n);        /* default min_df = 1 */
    if (high < low) {
        ct_error_set(err, NULL, 0, -1,
                     "max_df corresponds to < documents than min_df: max_df %g%s is %g "
                     "document(s) of %zu, min_df %g%s is %g",
                     o->max_df.set ? o->max_df.value : 1.0,
                     !o->max_df.set || o->max_df.is_proportion ? " (a proportion)" : "", high, n,
                     o->min_df.set ? o->min_df.value : 1.0,
                     o->min_df.set && o->min_df.is_proportion ? " (a proportion)" : "", low);
        return CT_EINVAL;
    }
    return CT_OK;
}

/* Step 1 as a mask: *keep (ct_malloc, n_cols bytes, NULL when every column stays) and the
 * number kept. */
static int limit_mask(const ct_matrix *counts, const ct_tfidf_options *o, unsigned char **keep_out,
                      uint32_t **df_out, ct_error *err)
{
    *keep_out = NULL;
    if (df_out)
        *df_out = NULL;
    size_t n = ct_matrix_rows(counts), V = ct_matrix_cols(counts);
    int rc = check_limits(n, o, err);
    if (rc != CT_OK)
        return rc;
    if (V == 0) /* no terms at all: nothing to prune, not an error */
        return CT_OK;
    uint32_t *df = NULL;
    if ((rc = ct_matrix_col_nonzero(counts, &df)) != CT_OK)
        return CT_ENOMEM;
    rc = limit_keep(n, V, df, NULL, counts, o, keep_out, err);
    if (rc == CT_OK && !*keep_out && df_out) { /* nothing pruned: df serves the idf */
        *df_out = df;
        df = NULL;
    }
    ct_free(df);
    return rc;
}

int ct_tfidf_limit_terms(ct_matrix **out, const ct_matrix *counts, const ct_tfidf_options *o,
                         ct_error *err)
{
    *out = NULL;
    unsigned char *keep;
    int rc = limit_mask(counts, o, &keep, NULL, err);
    if (rc != CT_OK)
        return rc;
    rc = keep ? ct_matrix_select_cols(out, counts, keep) : ct_matrix_copy(out, counts);
    ct_free(keep);
    return rc;
}

/* ct_tfidf_idf, with the document frequencies when known (NULL: counted here). */
static int idf_compute(double **idf, const ct_matrix *counts, size_t n_rows, unsigned flags,
                       const uint32_t *known)
{
    *idf = NULL;
    size_t V = ct_matrix_cols(counts);
    double *w = ct_malloc((V ? V : 1) * sizeof *w);
    if (!w)
        return CT_ENOMEM;
    if (flags & CT_TFIDF_NO_IDF) {
        for (size_t c = 0; c < V; c++)
            w[c] = 1.0;
        *idf = w;
        return CT_OK;
    }
    uint32_t *counted = NULL;
    int rc = known ? CT_OK : ct_matrix_col_nonzero(counts, &counted);
    if (rc != CT_OK) {
        ct_free(w);
        return rc;
    }
    const uint32_t *df = known ? known : counted;
    double smooth = (flags & CT_TFIDF_NO_SMOOTH_IDF) ? 0.0 : 1.0;
    double n = (double)n_rows + smooth;
    for (size_t c = 0; c < V; c++)
        w[c] = log(n / ((double)df[c] + smooth)) + 1.0;
    ct_free(counted);
    *idf = w;
    return CT_OK;
}

int ct_tfidf_idf(double **idf, const ct_matrix *counts, unsigned flags)
{
    return idf_compute(idf, counts, ct_matrix_rows(counts), flags, NULL);
}

/* One row's norm, as sklearn's inplace_csr_row_normalize_l1/l2 (a zero row stays zero). */
static void normalize_row(double *v, size_t n, ct_tfidf_norm norm)
{
    if (norm == CT_TFIDF_NORM_NONE)
        return;
    double sum = 0.0;
    if (norm == CT_TFIDF_NORM_L2) {
        for (size_t i = 0; i < n; i++)
            sum += v[i] * v[i];
        if (sum == 0.0)
            return;
        sum = sqrt(sum);
    } else {
        for (size_t i = 0; i < n; i++)
            sum += fabs(v[i]);
        if (sum == 0.0)
            return;
    }
    for (size_t i = 0; i < n; i++)
        v[i] /= sum;
}

void ct_tfidf_normalize_rows(ct_matrix *m, ct_tfidf_norm norm)
{
    size_t rows = ct_matrix_rows(m);
    for (size_t r = 0; r < rows; r++) {
        size_t n;
        double *v = ct_matrix_row_mut(m, r, NULL, &n);
        normalize_row(v, n, norm);
    }
}

/* Steps 2–4 for rows lo .. hi - 1, a row at a time (while it is in cache): the sublinear
 * tf, the product with the idf, the norm — per value the same operations in the same order
 * as the separate passes ct_tf_apply, a product, ct_tfidf_normalize_rows. */
typedef struct weigh_part {
    ct_matrix *m;
    const double *idf;
    const ct_tfidf_options *o;
    size_t lo, hi;
} weigh_part;

static void weigh_rows(void *arg)
{
    weigh_part *wp = arg;
    int sublinear = (wp->o->flags & CT_TFIDF_SUBLINEAR_TF) != 0;
    for (size_t r = wp->lo; r < wp->hi; r++) {
        const uint32_t *cols;
        size_t n;
        double *v = ct_matrix_row_mut(wp->m, r, &cols, &n);
        for (size_t i = 0; i < n; i++) {
            double x = v[i];
            if (sublinear && x > 0.0)
                x = log(x) + 1.0;
            v[i] = x * wp->idf[cols[i]];
        }
        normalize_row(v, n, wp->o->norm);
    }
}

#define WEIGH_THREADS 8

/* Steps 2–4 on m in place, the rows shared between threads (each about the same number of
 * entries; every row's result is independent of the others, so of the thread count). df:
 * the document frequencies when known, else NULL. */
static int weigh(ct_matrix *m, double **idf_out, const ct_tfidf_options *o, const uint32_t *df,
                 size_t n_rows)
{
    double *idf = NULL;
    int rc = idf_compute(&idf, m, n_rows, o->flags, df);
    if (rc != CT_OK)
        return rc;
    size_t rows = ct_matrix_rows(m), total = ct_matrix_nnz(m);
    int n = ct_parallel_workers(o->threads, rows, WEIGH_THREADS);
    if (total < 100000)
        n = 1; /* not worth a thread */
    weigh_part parts[WEIGH_THREADS];
    size_t row = 0;
    for (int t = 0; t < n; t++) {
        parts[t] = (weigh_part){m, idf, o, row, row};
        size_t target = total / (size_t)n * (size_t)(t + 1);
        while (row < rows && (t == n - 1 || ct_matrix_row_start(m, row) < target))
            row++;
        parts[t].hi = row;
    }
    ct_parallel_run_parts(n, weigh_rows, parts, sizeof *parts);
    if (idf_out)
        *idf_out = idf;
    else
        ct_free(idf);
    return CT_OK;
}

static int check_norm(const ct_tfidf_options *o, ct_error *err)
{
    if ((unsigned)o->norm > CT_TFIDF_NORM_NONE) {
        ct_error_set(err, NULL, 0, -1, "unknown norm %d", (int)o->norm);
        return CT_EINVAL;
    }
    return CT_OK;
}

int ct_tfidf_compute(ct_matrix **out, double **idf_out, const ct_matrix *counts,
                     const ct_tfidf_options *o, ct_error *err)
{
    *out = NULL;
    if (idf_out)
        *idf_out = NULL;
    int rc = check_norm(o, err);
    ct_matrix *m = NULL;
    if (rc == CT_OK)
        rc = ct_tfidf_limit_terms(&m, counts, o, err);
    if (rc == CT_OK)
        rc = weigh(m, idf_out, o, NULL, ct_matrix_rows(m));
    if (rc != CT_OK) {
        ct_matrix_free(m);
        return rc;
    }
    *out = m;
    return CT_OK;
}

int ct_tfidf_transform(ct_matrix **m, double **idf_out, const ct_tfidf_options *o, ct_error *err)
{
    if (idf_out)
        *idf_out = NULL;
    int rc = check_norm(o, err);
    if (rc != CT_OK)
        return rc;
    unsigned char *keep;
    uint32_t *df;
    if ((rc = limit_mask(*m, o, &keep, &df, err)) != CT_OK)
        return rc;
    if (keep) {
        ct_matrix *kept;
        rc = ct_matrix_select_cols(&kept, *m, keep);
        ct_free(keep);
        if (rc != CT_OK)
            return rc;
        ct_matrix_free(*m);
        *m = kept;
    }
    /* From here on *m is the pruned count matrix; weighing fails only for lack of memory,
     * before any value has changed. */
    rc = weigh(*m, idf_out, o, df, ct_matrix_rows(*m));
    ct_free(df);
    return rc;
}

int ct_tfidf_transform_global(ct_matrix **m, size_t n, const uint32_t *df, const double *tfs,
                              const ct_tfidf_options *o, ct_error *err)
{
    int rc = check_norm(o, err);
    if (rc == CT_OK)
        rc = check_limits(n, o, err);
    if (rc != CT_OK)
        return rc;
    size_t V = ct_matrix_cols(*m);
    unsigned char *keep = NULL;
    if (V && (rc = limit_keep(n, V, df, tfs, *m, o, &keep, err)) != CT_OK)
        return rc;
    uint32_t *kept_df = NULL;
    if (keep) {
        ct_matrix *kept;
        size_t k = 0;
        kept_df = ct_malloc(V * sizeof *kept_df);
        rc = kept_df ? ct_matrix_select_cols(&kept, *m, keep) : CT_ENOMEM;
        for (size_t c = 0; rc == CT_OK && c < V; c++)
            if (keep[c])
                kept_df[k++] = df[c];
        ct_free(keep);
        if (rc != CT_OK) {
            ct_free(kept_df);
            return rc;
        }
        ct_matrix_free(*m);
        *m = kept;
    }
    rc = weigh(*m, NULL, o, kept_df ? kept_df : df, n);
    ct_free(kept_df);
    return rc;
}
