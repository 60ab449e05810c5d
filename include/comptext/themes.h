/* comptext/themes.h — the key themes of each document (or group): the whole terms that
 * most distinguish it from the rest of the corpus.
 *
 * Input is a documents × terms count matrix over discovered terms (comptext/terms.h). For
 * each row, every term the row uses more than the rest of the corpus is scored; the list is
 * then read best first and a term is skipped when it is part of a theme already taken or
 * contains one (五年计划 after 五年计划, 计划 after 五年计划, 发展新质生产力 after 新质生产力),
 * so the k themes are k different things. The default score, chosen by measurement (see
 * README, "Themes"), is G²·idf: the log-likelihood G² of the row against the rest of the
 * corpus (comptext/keyness.h) — how strongly the counts say the row over-uses the term —
 * times ln((1+n)/(1+df)), which discounts the vocabulary of a whole era (提升, 推动 in every
 * recent report) in favour of what is particular to the row. */
#ifndef COMPTEXT_THEMES_H
#define COMPTEXT_THEMES_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>
#include "comptext/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ct_themes_score {
    CT_THEMES_G2 = 0,      /**< G² of the row against the rest, over-used terms only */
    CT_THEMES_TFIDF,       /**< tf · idf, idf = ln((1+n)/(1+df)) + 1 as scikit-learn's */
    CT_THEMES_LOGRATIO,    /**< Hardie's Log Ratio, over-used terms with p < 0.001 only */
    CT_THEMES_G2_LOGRATIO, /**< G² · Log Ratio, over-used terms only */
    CT_THEMES_G2_IDF,      /**< G² · ln((1+n)/(1+df)), over-used terms only (the default of
                              ct_themes_options_init) */
} ct_themes_score;

#define CT_THEMES_K_DEFAULT 20
#define CT_THEMES_MIN_COUNT_DEFAULT 2

typedef struct ct_themes_options {
    size_t k; /**< themes a row (≥ 1) */
    ct_themes_score score;
    double min_count; /**< a theme occurs at least this often in its row */
} ct_themes_options;

typedef struct ct_theme {
    uint32_t term; /**< column id */
    double score;
} ct_theme;

typedef struct ct_themes ct_themes;

CT_API void ct_themes_options_init(ct_themes_options *opts);

/** Rank the themes of every row of counts. CT_EINVAL when k is 0. */
CT_API int ct_themes_compute(ct_themes **out, const ct_matrix *counts,
                             const ct_themes_options *opts);
CT_API void ct_themes_free(ct_themes *themes);

/** The themes of a row, best first (borrowed); *n receives how many (≤ k). */
CT_API const ct_theme *ct_themes_row(const ct_themes *themes, size_t row, size_t *n);

/** Parse a score name ("g2-idf", "g2", "tfidf", "logratio", "g2-logratio"); CT_EINVAL if
 * unknown. */
CT_API int ct_themes_score_parse(const char *name, ct_themes_score *out);
/** The name of a score (static), "?" for an unknown value. */
CT_API const char *ct_themes_score_name(ct_themes_score score);

#ifdef __cplusplus
}
#endif
#endif
