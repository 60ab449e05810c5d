/* comptext/keyness.h — keyness: which terms a target (a document or a group of them) uses
 * more, or less, than the rest of the corpus, and how sure that difference is.
 *
 * Each term gives a 2×2 table: a = its count in the target, b = its count in the reference
 * (every other row), n1 and n2 the sizes of target and reference (the sums of the counts
 * of every tested term in their rows). The statistic is the log-likelihood G² of the full
 * table (all four cells, as scipy.stats.chi2_contingency(lambda_="log-likelihood",
 * correction=False)), or Pearson's chi², optionally with Yates' continuity correction as
 * scipy applies it. It is signed: negative when the target uses the term less than the
 * reference (a/n1 < b/n2). The p-value is the upper tail of chi² with one degree of freedom
 * (GSL's gsl_cdf_chisq_Q), the effect size Hardie's (2014) Log Ratio
 * log2((a/n1)/(b/n2)) with a zero count replaced by 0.5, and the Benjamini–Hochberg
 * adjusted p-value is computed over all the terms tested.
 *
 * Tokens are not independent: a name repeated in one document of a six-document target
 * gives a large G² although five of the six never use it. So every row also says how the
 * term is spread over the documents: how many target and reference documents use it, and
 * Gries's (2008) DP over the target documents (0: used in proportion to the documents'
 * sizes; near 1: all in one small document). And each row carries the statistic
 * recomputed with the target document that uses the term most left out of the comparison;
 * with a target of two documents or more the rows are ranked by that statistic by default
 * (CT_KEYNESS_RANK_AUTO), so that no single document can make a term key of its group.
 * As an option the test itself is made at the level of documents: the Mann–Whitney U test
 * of the term's relative frequency in the target documents against the reference
 * documents (as scipy.stats.mannwhitneyu, method "asymptotic"), which counts documents,
 * not tokens. */
#ifndef COMPTEXT_KEYNESS_H
#define COMPTEXT_KEYNESS_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>
#include "comptext/group.h"
#include "comptext/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ct_keyness_stat {
    CT_KEYNESS_G2 = 0,   /**< log-likelihood G² (default) */
    CT_KEYNESS_CHI2 = 1, /**< Pearson's chi² */
} ct_keyness_stat;

/** How the rows are ranked. */
typedef enum ct_keyness_rank {
    CT_KEYNESS_RANK_AUTO = 0,    /**< default: by stat_without_top when the target has two
                                      documents or more (rows of the matrix), else by stat */
    CT_KEYNESS_RANK_STAT,        /**< by stat (token-level G² or chi², or the z of --test
                                      documents) */
    CT_KEYNESS_RANK_WITHOUT_TOP, /**< by stat_without_top (ties: stat) */
} ct_keyness_rank;

/** The test behind stat and p. */
typedef enum ct_keyness_test {
    CT_KEYNESS_TEST_TOKENS = 0, /**< default: the 2×2 table of token counts (G² or chi²) */
    CT_KEYNESS_TEST_DOCUMENTS,  /**< Mann–Whitney U over the documents' relative frequencies:
                                     stat is z = (U1 − n_t·n_r/2)/σ with the tie-corrected σ
                                     (positive: the target documents use the term more), p is
                                     scipy's two-sided asymptotic p with continuity correction */
} ct_keyness_test;

typedef struct ct_keyness_options {
    ct_keyness_stat stat;
    int yates; /**< chi² only: Yates' continuity correction (as scipy: each cell moved by
                    min(0.5, |O−E|) towards its expectation) */
    ct_keyness_rank rank; /**< CT_KEYNESS_RANK_AUTO by default */
    ct_keyness_test test; /**< CT_KEYNESS_TEST_TOKENS by default */
} ct_keyness_options;

/** One tested term. */
typedef struct ct_keyness_row {
    uint32_t term;                /**< column id in the matrix's vocabulary */
    double stat;                  /**< signed statistic */
    double p;                     /**< p-value, chi² with 1 degree of freedom */
    double p_adjusted;            /**< Benjamini–Hochberg adjusted p-value */
    double effect;                /**< Log Ratio (Hardie 2014), log2 */
    double n_target, n_reference; /**< the term's counts a and b */
    size_t docs_target;           /**< target documents (rows) that use the term */
    size_t docs_reference;        /**< reference documents that use the term */
    double dp; /**< Gries's DP over the target documents: ½ Σ |v_i − s_i|, v_i the share of
                    the term's target count in document i, s_i the share of the target's
                    size; 0 with a one-document target; 1 when no target document uses
                    the term (undefined there; 1 keeps every cell of the table a number) */
    double stat_without_top; /**< the token-level statistic with the target document that uses
                                  the term most (ties: the first) left out of the comparison;
                                  0 when nothing is left of the target (a one-document
                                  target) */
} ct_keyness_row;

typedef struct ct_keyness ct_keyness;

CT_API void ct_keyness_options_init(ct_keyness_options *opts);

/** The statistic, p-value and Log Ratio of one 2×2 table (a of n1 in the target, b of n2
 * in the reference). CT_EINVAL when a count is negative or exceeds its total, or a total
 * is 0; CT_ENUMERIC when GSL fails. */
CT_API int ct_keyness_table(double a, double b, double n1, double n2,
                            const ct_keyness_options *opts, double *stat, double *p,
                            double *effect);

/** Benjamini–Hochberg adjustment of n p-values: adj[i] = min over j with p_j ≥ p_i of
 * min(1, p_j n / rank_j). p and adj may be the same array. */
CT_API int ct_keyness_bh(const double *p, size_t n, double *adj);

/** Compare the rows with target[row] != 0 against all other rows of counts, testing every
 * term that occurs in either. Rows come sorted most key first (opts->rank: the ranking
 * statistic descending, then stat, then term in byte order). CT_EEMPTY when the
 * target or the reference is empty. */
CT_API int ct_keyness_compute(ct_keyness **out, const ct_matrix *counts,
                              const unsigned char *target, const ct_keyness_options *opts);
CT_API void ct_keyness_free(ct_keyness *k);

CT_API size_t ct_keyness_size(const ct_keyness *k);
/** The i-th row, most key first (borrowed). */
CT_API const ct_keyness_row *ct_keyness_get_row(const ct_keyness *k, size_t i);
/** Sizes of target and reference (sums of their counts). */
CT_API void ct_keyness_totals(const ct_keyness *k, double *n_target, double *n_reference);
/** Documents (rows) in target and reference. */
CT_API void ct_keyness_documents(const ct_keyness *k, size_t *docs_target, size_t *docs_reference);
/** The ranking the rows were sorted by (never CT_KEYNESS_RANK_AUTO: what it resolved to). */
CT_API ct_keyness_rank ct_keyness_ranked_by(const ct_keyness *k);

/** Gries's (2008) DP of one term over n parts: counts[i] of the term in part i of size
 * sizes[i] (parts of size 0 are skipped). ½ Σ |counts_i/Σcounts − sizes_i/Σsizes|; NaN
 * when the term or every part is empty. */
CT_API double ct_keyness_dp(const double *counts, const double *sizes, size_t n);

/** Keyness of every group against the rest: counts has one row a document of the grouped
 * corpus (corpus order); (*out)[g] is the keyness with group g's documents as the target,
 * or NULL when there is nothing to compare (the group holds every document, or either side
 * has no terms). *out has ct_grouping_size(groups) entries; free it with
 * ct_keyness_groups_free. */
CT_API int ct_keyness_groups(ct_keyness ***out, const ct_matrix *counts, const ct_grouping *groups,
                             const ct_keyness_options *opts);
CT_API void ct_keyness_groups_free(ct_keyness **k, size_t n);

#ifdef __cplusplus
}
#endif
#endif
