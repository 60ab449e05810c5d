/* comptext/terms.h — term discovery: the strings of a corpus that behave like words.
 *
 * Character n-grams are what the counter sees, but an analyst underlines whole terms:
 * 五年计划, not 五年计; 新质生产力, not 新质. Term discovery finds them without a dictionary,
 * from the corpus alone, with two classic statistics of a candidate string w (every Han
 * string of 2 to max_len characters inside one run that occurs at least min_count times):
 *  - cohesion: the smallest pointwise mutual information over the split points of w,
 *    min_k ln( f(w) N / (f(w[0,k)) f(w[k,n))) ), with f the corpus frequency and N the
 *    number of CJK characters — a fragment of two unrelated words has a weak split;
 *  - freedom: the branching entropy of the characters just left of and just right of w
 *    (an occurrence at a run edge — punctuation, a space, the end of a document — counts
 *    as a neighbour of its own), min(H_left, H_right) — a word fragment (五年计) is always
 *    followed by the same character, a word by many.
 * Candidates passing both thresholds that neither begin nor end with a one-character
 * stopword are kept; then a kept string that is part of a longer kept term occurring at
 * least subsume_ratio times as often is dropped as a fragment of it. An optional user
 * dictionary adds terms (one a line) and vetoes others (a line "-TERM"). The defaults were
 * chosen by measurement on the government work reports (see BENCHMARKS.md, "Term discovery:
 * how it works and how the defaults were chosen").
 *
 * Counting: each CJK run is segmented into the kept terms and single characters along its
 * most probable path under a unigram model (each segment weighs its corpus frequency), and
 * the matrix counts segments, so a term is not also counted inside a longer term that
 * contains it: in 五年计划 neither 五年 nor 计划 is counted.
 *
 * All counting uses one suffix array over the corpus's CJK runs, sorted on its first
 * max_len + 1 characters (a counting sort on the first, then packed keys), so discovery
 * needs a few arrays the size of the corpus and no table of all its n-grams. */
#ifndef COMPTEXT_TERMS_H
#define COMPTEXT_TERMS_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>
#include "comptext/corpus.h"
#include "comptext/error.h"
#include "comptext/matrix.h"
#include "comptext/stopwords.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest term length (characters) that discovery accepts as max_len. */
#define CT_TERMS_LEN_LIMIT 16

/** Defaults (chosen by measurement; see BENCHMARKS.md, "Term discovery"). */
#define CT_TERMS_MAX_LEN_DEFAULT 12
#define CT_TERMS_MIN_COUNT_DEFAULT 3
#define CT_TERMS_MIN_COHESION_DEFAULT 0.0
#define CT_TERMS_MIN_ENTROPY_DEFAULT 0.75
#define CT_TERMS_MIN_ENTROPY_SHARE_DEFAULT 0.6
#define CT_TERMS_SUBSUME_RATIO_DEFAULT 0.8
#define CT_TERMS_MIN_SEGMENTS_DEFAULT 3
#define CT_TERMS_AFFIX_SHARE_DEFAULT 0.15
#define CT_TERMS_QUOTE_SHARE_DEFAULT 0.5
#define CT_TERMS_MIN_PHRASE_PMI_DEFAULT 5.0

typedef struct ct_terms_options {
    unsigned flags;                /**< CT_NORM_… flags, as for the tokeniser */
    int max_len;                   /**< 2 … CT_TERMS_LEN_LIMIT characters */
    size_t min_count;              /**< corpus frequency a discovered term needs (≥ 2) */
    double min_cohesion;           /**< smallest split PMI (natural log) */
    double min_entropy;            /**< smallest of left and right branching entropy (nats) */
    double min_entropy_share;      /**< …or this share of ln(count), the largest entropy count
                                        occurrences can have, when that is smaller */
    double subsume_ratio;          /**< drop w inside a longer term u when f(u) ≥ ratio·f(w);
                                        > 1 disables */
    size_t min_segments;           /**< drop a discovered term that forms fewer segments than
                                        this when the corpus is segmented (0: keep all) */
    double affix_share;            /**< a character standing alone in at least this share of
                                        its occurrences is a function character: a term of 3+
                                        characters made of one and another term is dropped
                                        (> 1 disables) */
    double min_phrase_pmi;         /**< a candidate made of two candidates, the usual context of
                                        neither, is dropped as a phrase (推动 + 大众创业) when its
                                        split PMI is below this (-inf disables) */
    double quote_share;            /**< drop a candidate when at least this share of its
                                        occurrences is glued to a quoted unit — right after a
                                        closing mark or right before an opening one, as 重要思想
                                        in “三个代表”重要思想 (> 1 disables) */
    const ct_stopwords *stopwords; /**< borrowed; NULL: none */
    const ct_stopwords *generic;   /**< generic words (borrowed; NULL: none): a candidate equal
                                        to one still segments the text but is not counted (not
                                        in the matrix); see ct_terms_generic_default_path */
    const char *dict_path;         /**< user dictionary, or NULL */
    int threads;                   /**< threads reading the documents; 0: ct_default_threads() */
} ct_terms_options;

/** Statistics of one term. */
typedef struct ct_term_stats {
    double count;    /**< occurrences in the corpus, overlapping ones included (五年计划 is
                          also an occurrence of 计划) */
    double tokens;   /**< segments it forms when the corpus is segmented into terms: the
                          counts of the matrix (comptext/terms.h, "segmentation") */
    double cohesion; /**< smallest split PMI (0 for dictionary terms that were not discovered) */
    double h_left, h_right; /**< branching entropies, nats */
    int from_dict;          /**< 1 when the user dictionary added it */
} ct_term_stats;

typedef struct ct_terms ct_terms;

/** The shipped list of generic words (corpora/generic-zh.txt: tools/make-generic-words.py
 * says how it is made), or NULL when it is not found. Load it with ct_stopwords_load. */
CT_API const char *ct_terms_generic_default_path(void);

/** Fill options with the defaults (normalisation NFKC + case folding, no stopwords). */
CT_API void ct_terms_options_init(ct_terms_options *opts);

/** Discover the terms of a corpus and count them in each document. CT_EINVAL for options
 * out of range; CT_EIO / CT_EINPUT (naming the line) for an unreadable or bad dictionary;
 * CT_EEMPTY when the corpus has no documents. */
CT_API int ct_terms_discover(ct_terms **out, const ct_corpus *corpus, const ct_terms_options *opts,
                             ct_error *err);
CT_API void ct_terms_free(ct_terms *terms);

/** The documents × terms count matrix (rows: documents in corpus order with their ids;
 * columns: the terms in byte order). Borrowed; valid while terms lives. */
CT_API const ct_matrix *ct_terms_counts(const ct_terms *terms);
/** Number of CJK characters in each document (borrowed array of ct_matrix_rows entries). */
CT_API const double *ct_terms_doc_chars(const ct_terms *terms);
/** Statistics of the term with this column id. */
CT_API void ct_terms_stats(const ct_terms *terms, uint32_t id, ct_term_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
