/* comptext/compare.h — the main job as one library call: compare the documents of a corpus.
 *
 * ct_compare_run does what `comptext compare` shows a researcher, computing only: the
 * cosine similarity of the rows (documents, or groups of documents sharing a metadata value)
 * over TF-IDF weighted character n-grams, each row's nearest neighbours, the themes of each
 * row (discovered terms, or the tokeniser's n-grams, ranked by comptext/themes.h), the
 * keyness of each group against the rest, keyword-in-context lines for each row's top
 * themes, an average-linkage (or other) clustering with its cut and silhouettes, a 2-D map
 * by classical MDS, and a summary of the corpus (documents, characters and tokens as
 * counted). Every step is the same library call the single-purpose functions make with the
 * same options, so the results equal theirs. Writing the results (the output directory,
 * the pictures and the HTML report) is the render layer's job.
 *
 * Beyond CT_COMPARE_LARGE_DEFAULT rows (opts.large_threshold) compare works in large mode,
 * with nothing of N × N size (see ct_compare_options.full_matrix): the similarity is each
 * row's top K, the clustering is made on the k-nearest-neighbour graph (Louvain communities
 * joined by average linkage of their exact mean cosines), the map is landmark MDS.
 *
 * Each text is read from its source once: the run holds the texts in memory while it passes
 * over them (learning the repeated lines of page chrome with CT_READ_STRIP_CHROME, term
 * discovery, counting — which also counts characters and finds the keyword-in-context
 * lines — and with n-gram units the keyword-in-context pass), and frees them before the
 * similarity. Together with the look the listing takes at each file (ct_corpus_add sniffs
 * its first bytes, or parses its JSON line or table row), no text is read more than twice.
 * Holding costs about the corpus's size in UTF-8 (term discovery needs many times that);
 * beyond a quarter of the physical memory the texts that do not fit are read from their
 * source at each pass instead, with the same results. */
#ifndef COMPTEXT_COMPARE_H
#define COMPTEXT_COMPARE_H

#include "comptext/export.h"

#include <stddef.h>
#include "comptext/cluster.h"
#include "comptext/corpus.h"
#include "comptext/count.h"
#include "comptext/error.h"
#include "comptext/group.h"
#include "comptext/keyness.h"
#include "comptext/matrix.h"
#include "comptext/mds.h"
#include "comptext/similarity.h"
#include "comptext/terms.h"
#include "comptext/tfidf.h"
#include "comptext/themes.h"
#include "comptext/tokenize.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The unit themes and keyness are computed in. */
typedef enum ct_compare_units {
    CT_COMPARE_TERMS = 0,  /**< terms discovered in the corpus (comptext/terms.h; default) */
    CT_COMPARE_NGRAMS = 1, /**< the tokeniser's n-grams, as counted for the similarity */
} ct_compare_units;

#define CT_COMPARE_NEIGHBOURS_DEFAULT 10
#define CT_COMPARE_KWIC_THEMES_DEFAULT 3
#define CT_COMPARE_KWIC_LINES_DEFAULT 2
#define CT_COMPARE_KWIC_WINDOW_DEFAULT 16
#define CT_COMPARE_NEAR_DUPLICATE_DEFAULT 0.98
#define CT_COMPARE_FEW_TOKENS_DEFAULT 10
#define CT_COMPARE_SHORT_SHARE_DEFAULT 0.1
/** Rows beyond which compare works in large mode (see ct_compare_options.large_threshold). */
#define CT_COMPARE_LARGE_DEFAULT 2000
#define CT_COMPARE_TOP_PAIRS_DEFAULT 100

typedef struct ct_compare_options {
    /** Tokens for the similarity (n-gram range, normalisation, stopwords borrowed). The
     * stopword list and the NFKC/case-folding flags also apply to term discovery, themes and
     * keyword-in-context search. Default: ct_tokenizer_options_init's, with no stopword list
     * (NULL); `comptext compare` loads the shipped list (ct_stopwords_default_path). */
    ct_tokenizer_options tok;
    /** Weighting: sublinear tf, idf, norm, df limits, max features. Default: sublinear tf
     * (CT_TFIDF_SUBLINEAR_TF, as `comptext compare`: chosen by measurement, BENCHMARKS.md
     * "Choosing the weighting defaults"), smooth idf, l2, no pruning; clear the flag for
     * scikit-learn's raw counts (ct_tfidf_options_init's default). */
    ct_tfidf_options weights;
    ct_compare_units units;
    /** Term discovery (CT_COMPARE_TERMS); its flags, stopwords and threads are set from tok
     * and threads. */
    ct_terms_options terms;
    size_t themes;              /**< themes a row (default CT_THEMES_K_DEFAULT) */
    const char *group_by;       /**< metadata field whose values make the rows; NULL: documents */
    ct_linkage linkage;         /**< default average */
    size_t clusters;            /**< clusters to cut the tree into; 0: the best silhouette */
    size_t neighbours;          /**< nearest neighbours kept a row (default 10) */
    ct_keyness_options keyness; /**< per-group keyness */
    size_t kwic_themes;         /**< top themes a row shown in context (default 3) */
    size_t kwic_lines;          /**< lines a theme (default 2) */
    size_t kwic_window;         /**< characters each side (default 16) */
    double near_duplicate;      /**< rows at least this similar are noted (default 0.98) */
    size_t few_tokens;          /**< a document with fewer tokens counted is noted (default 10) */
    double short_share;         /**< a document with fewer characters than this share of the
                                     median document is noted (default 0.1; 3 documents or more) */
    int threads;                /**< 0: ct_default_threads() */
    /** Large mode: with more rows than large_threshold (default CT_COMPARE_LARGE_DEFAULT)
     * and full_matrix 0, no N × N matrix is built anywhere: the similarity is each row's top
     * K neighbours (the inverted index of comptext/similarity.h), the clustering is made on
     * the k-nearest-neighbour graph and joined by average linkage of exact group means, the
     * map is landmark MDS (ct_mds_new_landmark), near-duplicates come from the neighbour
     * lists. full_matrix 1 keeps the N × N matrix whatever the size (CT_ENOMEM with a
     * message naming the size when it cannot fit in the machine's memory). */
    int full_matrix;
    size_t large_threshold;
    size_t top_pairs; /**< the strongest pairs kept (default CT_COMPARE_TOP_PAIRS_DEFAULT) */
    /** May be NULL: "terms" (term discovery), "counting" (documents done of total, as
     * ct_count_corpus reports it), "similarity" (rows done of total), "clustering", "map",
     * "themes", "keyness"; each phase is announced with done = 0 as it starts; done = total
     * = 0 when the phase has no count. "counting" comes from the counting threads, under a
     * lock (as ct_count_options.progress); the others from the calling thread. */
    ct_progress_fn progress;
    void *progress_ctx;
} ct_compare_options;

/** A keyword-in-context line of a row's theme. */
typedef struct ct_compare_kwic {
    size_t row;                       /**< the row whose theme it is */
    size_t doc;                       /**< the document it is in (corpus index) */
    size_t offset;                    /**< start in the original text, characters */
    const char *term;                 /**< the theme */
    const char *left, *match, *right; /**< normalised context, as comptext/kwic.h gives it */
} ct_compare_kwic;

/** A pair of rows a < b and their cosine. */
typedef struct ct_compare_pair {
    size_t a, b;
    double sim;
} ct_compare_pair;

/** A row's neighbour. */
typedef struct ct_compare_neighbour {
    size_t row;
    double sim;
} ct_compare_neighbour;

/** What was compared. */
typedef struct ct_compare_summary {
    size_t documents;              /**< documents in the corpus */
    size_t rows;                   /**< documents, or groups */
    unsigned long long characters; /**< code points of the texts as counted */
    unsigned long long tokens;     /**< n-gram tokens counted (before weighting) */
    size_t features;               /**< columns of the similarity's matrix */
    size_t theme_terms;            /**< terms themes were chosen from */
} ct_compare_summary;

/** What a reader should know about the corpus before trusting the comparison. */
typedef enum ct_compare_note_kind {
    CT_NOTE_DUPLICATE = 0,      /**< documents a and b have the same text (as counted) */
    CT_NOTE_NEAR_DUPLICATE = 1, /**< rows a and b have cosine value ≥ near_duplicate */
    CT_NOTE_FEW_TOKENS = 2,     /**< document a has value (< few_tokens) tokens */
    CT_NOTE_SHORT = 3,          /**< document a has value times the median's characters */
} ct_compare_note_kind;

typedef struct ct_compare_note {
    ct_compare_note_kind kind;
    size_t a, b;  /**< documents (corpus indices), or rows for a near-duplicate; b unused for
                       one-document notes */
    double value; /**< the cosine, the tokens or the share of the median */
} ct_compare_note;

typedef struct ct_compare ct_compare;

/** Fill opts with the defaults of `comptext compare` (each field's comment says which), but
 * for the stopword list: none. */
CT_API void ct_compare_options_init(ct_compare_options *opts);

/** Compare the documents of corpus. Fails with CT_EEMPTY for an empty corpus, CT_ENOTFOUND
 * or CT_EINPUT for a group_by field that no document has or some lacks (err says which),
 * CT_EINVAL for weighting options that cannot work together (err says why: min_df/max_df),
 * CT_EINVAL too when clusters exceeds the rows, or whatever reading the texts gives (err names
 * the file and place). The corpus must outlive the result. */
CT_API int ct_compare_run(ct_compare **out, const ct_corpus *corpus, const ct_compare_options *opts,
                          ct_error *err);
CT_API void ct_compare_free(ct_compare *c);
/** The memory, in bytes, that the full-matrix mode needs at its peak for rows rows (an
 * estimate: five N × N matrices of doubles). ct_compare_run fails with CT_ENOMEM, err naming
 * the size, when it exceeds 80% of the memory available (physical memory, an address-space
 * limit or a control group's memory.max). */
CT_API double ct_compare_full_matrix_bytes(size_t rows);

/* Rows and the corpus. */
CT_API const ct_corpus *ct_compare_corpus(const ct_compare *c);
CT_API size_t ct_compare_rows(const ct_compare *c);
/** Row ids: document ids, or group names (n strings, borrowed). */
CT_API const char *const *ct_compare_ids(const ct_compare *c);
/** The grouping of the rows, or NULL when the rows are documents. */
CT_API const ct_grouping *ct_compare_grouping(const ct_compare *c);
CT_API void ct_compare_get_summary(const ct_compare *c, ct_compare_summary *s);
/** Characters (code points) and tokens of each document, as counted (corpus order). */
CT_API const size_t *ct_compare_doc_chars(const ct_compare *c);
CT_API const size_t *ct_compare_doc_tokens(const ct_compare *c);
/** One line saying how the result was made (units, weighting, grouping). */
CT_API const char *ct_compare_settings(const ct_compare *c);

/* Similarity. */
/** 1 in large mode (more rows than opts->large_threshold, without opts->full_matrix). */
CT_API int ct_compare_is_large(const ct_compare *c);
/** The rows' cosine similarity, row-major n × n (borrowed); NULL in large mode. */
CT_API const double *ct_compare_similarity(const ct_compare *c);
/** A row's nearest other rows, most similar first, at most opts->neighbours: ties by row
 * index with the full matrix, by row id in byte order in large mode (ct_neighbours_new's
 * order; ids are the corpus's, so the two agree when the corpus is in id order). The
 * scores equal the matrix's entries bit for bit. */
CT_API const ct_compare_neighbour *ct_compare_neighbours(const ct_compare *c, size_t row,
                                                         size_t *count);
/** The strongest pairs of distinct rows (a < b), most similar first, then by a, then b; at
 * most opts->top_pairs. With the full matrix they are the strongest of all pairs; in large
 * mode the strongest of the pairs in the neighbour lists, which are the same unless a row
 * has more than K neighbours at least as similar as the last pair kept. */
CT_API const ct_compare_pair *ct_compare_top_pairs(const ct_compare *c, size_t *count);

/* Themes and keyness. */
/** The rows' counts in the theme unit (rows as ct_compare_ids; its vocabulary names the
 * terms of themes and keyness). */
CT_API const ct_matrix *ct_compare_term_counts(const ct_compare *c);
CT_API const ct_themes *ct_compare_themes(const ct_compare *c);
/** The themes of one row, best first (borrowed; *count of them, 0 when it has none). */
CT_API const ct_theme *ct_compare_row_themes(const ct_compare *c, size_t row, size_t *count);
/** The keyness of group row against the other groups, or NULL (no grouping, a single
 * group, or nothing to compare). Terms are columns of ct_compare_term_counts. */
CT_API const ct_keyness *ct_compare_keyness(const ct_compare *c, size_t row);
/** Keyword-in-context lines: by row, then theme rank, then document and offset. */
CT_API const ct_compare_kwic *ct_compare_kwic_lines(const ct_compare *c, size_t *count);

/** Notes on the corpus: exact duplicates (each document paired with the first one of the
 * same text; documents with few tokens are left out), near-duplicates (pairs of rows i < j
 * that are not exact duplicates), documents with almost no tokens, and documents far
 * shorter than the median (those with few tokens left out); in that order, each by a then
 * b. */
CT_API const ct_compare_note *ct_compare_notes(const ct_compare *c, size_t *count);
/* In large mode the near-duplicates are the pairs of each row's neighbour list at or above
 * opts->near_duplicate: a row with more than K near-duplicates is noted with its K best.
 * Exact duplicates are found by the texts' hashes in both modes (all of them). */

/* Clustering and the map. */
/** The tree of the rows (dendrogram); NULL in large mode, which has no tree of documents. */
CT_API const ct_cluster *ct_compare_tree(const ct_compare *c);
/** The cut: k clusters, and each row's cluster 1..k, or 0 for an outlier (a row alone in
 * its group, or a document without tokens or far shorter than the median: see
 * ct_cluster_cut_outliers); n entries, borrowed. With opts->clusters the tree is cut into
 * exactly that many groups and no row is an outlier. */
CT_API size_t ct_compare_k(const ct_compare *c);
CT_API const size_t *ct_compare_clusters(const ct_compare *c);
/** 1 when k came from opts->clusters, 0 when it is the best of ct_cluster_rank_cuts. */
CT_API int ct_compare_k_given(const ct_compare *c);
/** Mean silhouette of the cut (0 when k < 2 or k = n). In large mode an estimate: the exact
 * silhouette of a fixed sample of rows (every row when there are few enough; see
 * ct_compare_silhouette_sample). */
CT_API double ct_compare_silhouette(const ct_compare *c);
/** Rows the silhouette was computed over (n with the full matrix). */
CT_API size_t ct_compare_silhouette_sample(const ct_compare *c);
/** The mean cosine between the members of clusters a and b (clusters 1..k at indices
 * 0..k−1; k × k row-major, borrowed; NULL when k is 0): exact, from the sums of the
 * L2-normalised rows, mean_{x∈A, y∈B} cos(x, y) = (Σ_A x)·(Σ_B y) / (|A| |B|). The diagonal
 * is the mean over the distinct pairs of a cluster (self-pairs left out; 1 for a cluster of
 * one row that has terms). Outliers (label 0) are in no cluster. */
CT_API const double *ct_compare_cluster_similarity(const ct_compare *c);
/** The best cuts of the tree that mean something, best first, as ct_cluster_rank_cuts
 * scores them (at most 3; *count 0 when none qualifies: the rows are then one cluster and
 * its outliers). Scored whether or not k was given. In large mode the cuts of the tree of
 * the kNN graph's communities, by the same rule, with the sampled silhouette; clusters are
 * then numbered in order of their first row. */
CT_API const ct_cluster_cut_score *ct_compare_cuts(const ct_compare *c, size_t *count);
CT_API const ct_mds *ct_compare_map(const ct_compare *c);

#ifdef __cplusplus
}
#endif
#endif
