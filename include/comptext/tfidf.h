/* comptext/tfidf.h — TF-IDF with scikit-learn's TfidfVectorizer semantics, exactly.
 *
 * From a count matrix (documents or groups × terms):
 *  1. pruning, as CountVectorizer._limit_features: with n documents, a bound given as an
 *     integer is a document count and a proportion p means p·n documents, compared without
 *     rounding; max_df below min_df (after that conversion) is an error; a term is kept when
 *     min_df ≤ df(t) ≤ max_df; then, when more than max_features terms remain, the
 *     max_features terms with the largest total count over the corpus are kept — ties broken
 *     by term in byte order (scikit-learn leaves its tie order undefined); pruning that leaves
 *     no term is an error;
 *  2. tf = the count, or 1 + ln(count) with CT_TFIDF_SUBLINEAR_TF;
 *  3. idf(t) = ln((1 + n) / (1 + df(t))) + 1 (smooth, the default), ln(n / df(t)) + 1 with
 *     CT_TFIDF_NO_SMOOTH_IDF, or 1 with CT_TFIDF_NO_IDF — n and df counted after pruning;
 *  4. w = tf · idf, then each row divided by its L2 norm (default), its L1 norm, or nothing;
 *     a row of zeros stays zeros.
 * A count matrix with no terms at all (every document empty) is not an error: the result
 * is a matrix with no terms. */
#ifndef COMPTEXT_TFIDF_H
#define COMPTEXT_TFIDF_H

#include "comptext/export.h"

#include <stddef.h>
#include "comptext/error.h"
#include "comptext/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A document-frequency bound: unset, an integer count, or a proportion in [0, 1]. */
typedef struct ct_df_limit {
    int set;           /**< 0: the default (min_df 1, max_df 1.0) */
    int is_proportion; /**< 1: value is a share of the documents */
    double value;
} ct_df_limit;

/** Row normalisation. */
typedef enum ct_tfidf_norm {
    CT_TFIDF_NORM_L2 = 0,
    CT_TFIDF_NORM_L1,
    CT_TFIDF_NORM_NONE,
} ct_tfidf_norm;

/** Flags. */
enum {
    CT_TFIDF_SUBLINEAR_TF = 1u << 0,  /**< tf = 1 + ln(count) */
    CT_TFIDF_NO_SMOOTH_IDF = 1u << 1, /**< idf = ln(n/df) + 1 */
    CT_TFIDF_NO_IDF = 1u << 2,        /**< idf = 1 */
};

typedef struct ct_tfidf_options {
    unsigned flags;      /**< CT_TFIDF_… */
    ct_tfidf_norm norm;  /**< default CT_TFIDF_NORM_L2 */
    ct_df_limit min_df;  /**< unset: 1 */
    ct_df_limit max_df;  /**< unset: 1.0 */
    size_t max_features; /**< 0: no limit */
    int threads;         /**< threads weighing the rows (the result does not depend on it); 0:
                            ct_default_threads() */
} ct_tfidf_options;

/** Defaults: scikit-learn's TfidfVectorizer's (raw tf, smooth idf, l2, no pruning). The
 * command line's weighting commands and ct_compare_options_init set CT_TFIDF_SUBLINEAR_TF
 * on top (chosen by measurement: BENCHMARKS.md, "Choosing the weighting defaults"). */
CT_API void ct_tfidf_options_init(ct_tfidf_options *opts);

/** "l2", "l1", "none" ↔ the enum; CT_EINVAL for another name. */
CT_API int ct_tfidf_norm_parse(const char *name, ct_tfidf_norm *out);
CT_API const char *ct_tfidf_norm_name(ct_tfidf_norm norm);

/** Step 1 alone: the columns of counts that survive pruning (a new matrix, renumbered).
 * CT_EINVAL with err explaining when a bound is out of range (a negative value, an integer
 * bound of 0 — scikit-learn wants at least 1 — or a proportion above 1) or when max_df
 * corresponds to fewer documents than min_df; CT_EEMPTY when no term remains. */
CT_API int ct_tfidf_limit_terms(ct_matrix **out, const ct_matrix *counts,
                                const ct_tfidf_options *opts, ct_error *err);

/** Step 3 alone: the idf of every column of counts (ct_malloc'd array of ct_matrix_cols
 * entries; all 1 with CT_TFIDF_NO_IDF). */
CT_API int ct_tfidf_idf(double **idf, const ct_matrix *counts, unsigned flags);

/** Divide each row of m by its norm, in place, as sklearn.preprocessing.normalize does
 * (a zero row is left alone). */
CT_API void ct_tfidf_normalize_rows(ct_matrix *m, ct_tfidf_norm norm);

/** Steps 1–4: *out receives the weighted matrix over the kept terms; *idf (may be NULL when
 * not wanted) their idf values (ct_malloc). Errors as ct_tfidf_limit_terms. */
CT_API int ct_tfidf_compute(ct_matrix **out, double **idf, const ct_matrix *counts,
                            const ct_tfidf_options *opts, ct_error *err);

/** As ct_tfidf_compute, but takes over the count matrix *m and replaces it by the weighted
 * one — in place when no term is pruned, so the matrix is never copied. On failure *m is
 * the original counts (an error before pruning) or the pruned counts (no memory for the idf),
 * and still owned by the caller. */
CT_API int ct_tfidf_transform(ct_matrix **m, double **idf, const ct_tfidf_options *opts,
                              ct_error *err);

#ifdef __cplusplus
}
#endif
#endif
