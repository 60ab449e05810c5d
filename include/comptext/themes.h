/* comptext/themes.h — the key themes of each document (or group): the whole terms that
 * most distinguish it from the rest of the corpus.
 *
 * Input is a documents × terms count matrix over discovered terms (comptext/terms.h). For
 * each row, every term the row uses more than the rest of the corpus is scored; the list is
 * then read best first and a term is skipped when it is part of a theme already taken or
 * contains one (五年计划 after 五年计划, 计划 after 五年计划, 发展新质生产力 after 新质生产力),
 * so the k themes are k different things. A term scoring 0 (for G²·idf: one every row
 * compared with uses, idf 0) is no theme, so a row may get fewer than k, or none. The default
 * score, chosen by measurement (see BENCHMARKS.md, "themes"), is G²·idf: the log-likelihood G² of
 * the row against the rest of the corpus (comptext/keyness.h) — how strongly the counts say the row
 * over-uses the term — times ln((1+n)/(1+df)), which discounts the vocabulary of a whole era (提升,
 * 推动 in every recent report) in favour of what is particular to the row.
 *
 * What marks a short period. A slogan used heavily in three consecutive reports
 * (供给侧结构性改革 2016–2018) is distinctive of none of them against all the others, as the
 * other two count against it. So a row's reference leaves out the rows nearest to it (its
 * `neighbours` most similar rows, by the cosine of sublinear tf·idf over the terms; for a
 * yearly series, the reports of the years next to it): the row is compared with the rest of
 * the corpus beyond its own period, and df counts only that rest. The default number was
 * chosen by measurement (BENCHMARKS.md, "themes: what marks a short period").
 *
 * What is new. A slogan that starts in one report and stays for a decade (供给侧结构性改革
 * from 2016) is, against the rest, shared with all the later reports. When the rows have
 * times (a year field), each row is also compared with its past, the rows more than
 * onset_years before it: the same score (G², times the same idf for g2-idf), weighted by
 * onset_weight, replaces the score above when it is larger, so what the row's years brought
 * in ranks high in the reports where it begins. Only in a corpus of CT_THEMES_ONSET_MIN_ROWS
 * rows or more (a series; seven city reports of different cities are no series); rows
 * without a time, or with a past of fewer than CT_THEMES_ONSET_MIN_PAST rows (the first
 * years), are ranked as before. The years and the weight were chosen with
 * tools/eval-gold-themes.py (BENCHMARKS.md).
 *
 * Small corpora. A corpus of one or two rows has little or nothing to be compared with; its
 * themes would be its most frequent words. A background reference (comptext/reference.h)
 * is then added to every row's reference: its counts to b, its size to n2, its documents to
 * n and df. With reference_auto (the default) and no reference given, the shipped one is
 * loaded for a matrix of fewer than CT_THEMES_REFERENCE_BELOW rows.
 *
 * Groups. When the rows are groups of documents (options grouping and documents), a term a
 * group over-uses because one of its documents repeats it (a name in one report's title
 * lines) must not define the group. For a group of two documents or more the statistic is
 * computed as keyness's statistic_without_top (comptext/keyness.h): the group without the
 * document that uses the term most (a − f_max of n1 − that document's size) against the
 * same rest. A term the group over-uses only thanks to that document (a term of one
 * document, always) is not a theme of the group; ties are broken by the score of the whole
 * group. group_rank CT_THEMES_RANK_STATISTIC ranks a group as one document instead. Each theme
 * carries docs, the group's documents that use it, and dp, Gries's DP over them. */
#ifndef COMPTEXT_THEMES_H
#define COMPTEXT_THEMES_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>
#include "comptext/group.h"
#include "comptext/matrix.h"
#include "comptext/reference.h"

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

/** How the themes of a group of two documents or more are ranked (see "Groups"). */
typedef enum ct_themes_rank {
    CT_THEMES_RANK_WITHOUT_TOP = 0, /**< default: the group without the document using the
                                       term most; a term over-used only thanks to it is left out */
    CT_THEMES_RANK_STATISTIC,       /**< the whole group, as one document (docs and dp are
                                       still given) */
} ct_themes_rank;
#define CT_THEMES_K_DEFAULT 20
#define CT_THEMES_MIN_COUNT_DEFAULT 2
/** Rows nearest to a row left out of its reference, by default (BENCHMARKS.md, "themes:
 * pooled judgement": 6 against 3, better under every judgement of the 32 reports). */
#define CT_THEMES_NEIGHBOURS_DEFAULT 6
/** From this many rows on, a corpus too small for the neighbours asked for (3 × (N + 1)
 * rows) leaves out as many as it allows, rows / 3 − 1: 3 of 12 yearly reports. */
#define CT_THEMES_NEIGHBOURS_MIN_ROWS 12
/** Beyond this many rows the neighbours are not searched (the search is quadratic) and
 * every row is compared with all the others. */
#define CT_THEMES_NEIGHBOURS_MAX_ROWS 5000
/** With times: a row's past is the rows more than this many years before it. */
#define CT_THEMES_ONSET_YEARS_DEFAULT 2
/** With times: a past of fewer rows than this is not compared with (as a corpus of fewer
 * than CT_THEMES_REFERENCE_BELOW documents is too small to compare with). */
#define CT_THEMES_ONSET_MIN_PAST 3
/** With times: the comparison with the past is made in a corpus of this many rows or more
 * (a series; as the neighbours, see CT_THEMES_NEIGHBOURS_DEFAULT). */
#define CT_THEMES_ONSET_MIN_ROWS 12
/** With times: the weight of the score against the past. */
#define CT_THEMES_ONSET_WEIGHT_DEFAULT 4
/** The keyness scores times (characters / 2)^this: a longer term wins a near tie with a
 * shorter one (see length_weight). */
#define CT_THEMES_LENGTH_WEIGHT_DEFAULT 0.2
/** A term a share of the rows this large or larger uses in some form is common vocabulary,
 * no theme (see common_share). */
#define CT_THEMES_COMMON_SHARE_DEFAULT 0.95
/** The shipped reference is used automatically below this many rows. */
#define CT_THEMES_REFERENCE_BELOW 3

typedef struct ct_themes_options {
    size_t k; /**< themes a row (≥ 1) */
    ct_themes_score score;
    double min_count;              /**< a theme occurs at least this often in its row */
    size_t neighbours;             /**< the rows most similar to a row left out of its reference
                                        (default CT_THEMES_NEIGHBOURS_DEFAULT; 0: compare with all the
                                        others); with fewer than 3 × (neighbours + 1) rows, rows / 3 − 1
                                        of them from CT_THEMES_NEIGHBOURS_MIN_ROWS rows on, none
                                        below; not for CT_THEMES_TFIDF (scikit-learn's idf) */
    const ct_reference *reference; /**< background added to every reference (borrowed), or
                                        NULL */
    int reference_auto;            /**< 1 (default): with no reference given and fewer than
                                        CT_THEMES_REFERENCE_BELOW rows, load the shipped one (ranking by
                                        count as before when it cannot be found) */
    const ct_grouping *grouping;   /**< with documents: the rows of counts are the groups of
                                        grouping (ct_grouping_apply of documents), ranked with
                                        dispersion (see "Groups" above); NULL: rows are
                                        documents (borrowed) */
    const ct_matrix *documents;    /**< the documents × terms counts the groups were summed
                                        from, same vocabulary (borrowed), or NULL */
    const double *time;            /**< a time of each row (a year), NAN where unknown, or NULL:
                                        see "What is new" above (borrowed) */
    double onset_years;            /**< the past of a row: rows more than this before it
                                        (default CT_THEMES_ONSET_YEARS_DEFAULT) */
    double onset_weight;           /**< weight of the score against the past (default
                                        CT_THEMES_ONSET_WEIGHT_DEFAULT; 0: not used) */
    ct_themes_rank group_rank;     /**< how groups are ranked (default
                                        CT_THEMES_RANK_WITHOUT_TOP) */
    double length_weight;          /**< the scores g2, g2-idf and g2-logratio of a term of L
                                        characters times (L / 2)^length_weight (default
                                        CT_THEMES_LENGTH_WEIGHT_DEFAULT; 0: none). Two-character
                                        words are most of the generic vocabulary a keyness
                                        score lets through; a term's length is evidence of a
                                        named policy (C-value weights by log2 of the length) */
    double common_share;           /**< a term that this share of the rows or more use in some
                                        form — itself, or inside a longer term of the
                                        vocabulary (社会主义 in 社会主义现代化建设) — is the
                                        corpus's common vocabulary, never a theme, as
                                        scikit-learn's max_df drops a term (default
                                        CT_THEMES_COMMON_SHARE_DEFAULT; ≥ 1: none; not with a
                                        reference, nor below CT_THEMES_REFERENCE_BELOW rows) */
} ct_themes_options;

typedef struct ct_theme {
    uint32_t term; /**< column id */
    double score;
    size_t docs; /**< documents of the row that use the term (1 for a row that is a document) */
    double dp;   /**< Gries's DP of the term over the row's documents (0 for one document) */
} ct_theme;

typedef struct ct_themes ct_themes;

CT_API void ct_themes_options_init(ct_themes_options *opts);

/** Rank the themes of every row of counts. CT_EINVAL when k is 0. */
CT_API int ct_themes_compute(ct_themes **out, const ct_matrix *counts,
                             const ct_themes_options *opts);
CT_API void ct_themes_free(ct_themes *themes);
/** 1 when the rows were ranked as groups (options grouping and documents), else 0. */
CT_API int ct_themes_grouped(const ct_themes *themes);

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
