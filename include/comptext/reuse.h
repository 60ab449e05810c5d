/* comptext/reuse.h — text reuse: the passages that two documents share, found with character
 * shingles and aligned with Smith–Waterman (affine gaps, parasail).
 *
 * Each text is normalised like kwic's (NFKC, case folding; the script folding step slots in
 * there too) and reduced to its letters and digits: punctuation, symbols and white space are
 * not compared. Shingles of `shingle` characters are hashed into an inverted index; a shingle
 * found in one document is no evidence and one found in more than max_df documents is
 * boilerplate, and both are dropped (as passim does). Two documents sharing at least
 * min_shingles shingles on nearly the same diagonal form a candidate region, which is aligned
 * locally; an alignment of at least min_length characters at min_identity or more is a
 * passage. The work grows with the number of shared shingles, not with the number of
 * document pairs.
 *
 * Offsets are in characters (code points) of each document's original text as
 * ct_corpus_read_text returns it, end exclusive — the convention of kwic. Passages that link
 * boilerplate_docs documents or more through overlapping spans form a boilerplate cluster,
 * reported as a spanning tree of its strongest pairs (one fewer pair than documents) rather
 * than every pair; so is a passage with fewer than min_length characters, in both documents,
 * outside text that boilerplate_docs documents or more share (a template sentence and a few
 * words around it that only two documents have in common). Results are the same whatever
 * the number of threads. */
#ifndef COMPTEXT_REUSE_H
#define COMPTEXT_REUSE_H

#include "comptext/export.h"

#include <stddef.h>
#include "comptext/corpus.h"
#include "comptext/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_reuse_options {
    unsigned norm_flags;     /**< CT_NORM_… (default NFKC | CASEFOLD) */
    size_t shingle;          /**< characters in a shingle (default 10) */
    size_t max_df;           /**< a shingle in more documents is boilerplate (default 100) */
    double max_df_prop;      /**< when > 0: max_df as a proportion of the documents instead */
    size_t min_shingles;     /**< shared shingles a candidate region needs (default 3) */
    size_t min_length;       /**< aligned characters a passage needs (default 20) */
    double min_identity;     /**< matching share of the aligned characters (default 0.8) */
    size_t boilerplate_docs; /**< a cluster of this many documents is boilerplate (default 5) */
    long direction_field;    /**< metadata field ordering each pair (earlier first), or -1 */
    int threads;             /**< worker threads; 0: ct_default_threads() */
} ct_reuse_options;

/** Fill options with the defaults. */
CT_API void ct_reuse_options_init(ct_reuse_options *opts);

typedef struct ct_reuse_passage {
    size_t a, b;                 /**< document indices in the corpus */
    size_t a_begin, a_end;       /**< characters of a's original text, end exclusive */
    size_t b_begin, b_end;       /**< characters of b's original text, end exclusive */
    size_t length;               /**< columns of the alignment (letters and digits only) */
    size_t matches;              /**< columns where both characters are the same */
    double identity;             /**< matches / length */
    long score;                  /**< Smith–Waterman score */
    size_t cluster;              /**< cluster number, from 0, in order of first passage */
    size_t cluster_size;         /**< documents in the cluster */
    int boilerplate;             /**< 1: the cluster has boilerplate_docs documents or more, or
                                      the passage has fewer than min_length characters, in
                                      both documents, outside text found in boilerplate_docs
                                      documents or more */
    int directed;                /**< 1: a precedes b by the direction field; 0: not ordered */
    const char *a_text, *b_text; /**< the passages' original text (borrowed from the result) */
} ct_reuse_passage;

typedef struct ct_reuse ct_reuse;

/** Find the passages shared by the corpus's documents. On success *out holds them sorted by
 * a, b, a_begin, b_begin, a_end, b_end (a < b unless the direction field orders the pair the
 * other way); boilerplate clusters keep only their spanning tree. CT_EINVAL (err says why)
 * for options out of range or when comptext was built without parasail. */
CT_API int ct_reuse_find(const ct_corpus *corpus, const ct_reuse_options *opts, ct_reuse **out,
                         ct_error *err);
CT_API void ct_reuse_free(ct_reuse *reuse);
CT_API size_t ct_reuse_count(const ct_reuse *reuse);
/** Passage i (borrowed, valid while reuse lives). */
CT_API const ct_reuse_passage *ct_reuse_get(const ct_reuse *reuse, size_t i);
/** Candidate regions aligned, and passages before boilerplate clusters were reduced. */
CT_API size_t ct_reuse_candidates(const ct_reuse *reuse);
CT_API size_t ct_reuse_passages_found(const ct_reuse *reuse);

typedef struct ct_reuse_cell {
    const char *group_a, *group_b; /**< borrowed from the corpus */
    size_t passages;               /**< passages between documents of the two groups */
    size_t characters;             /**< their aligned characters (sum of length) */
} ct_reuse_cell;

/** Aggregate the passages that are not boilerplate into a group-by-group matrix by the value
 * of a metadata field: the non-zero cells, sorted by group_a then group_b in byte order.
 * Without a direction field the pair of groups is unordered (group_a <= group_b). *cells is
 * ct_malloc'd (caller frees). CT_EINPUT (err names the document) when one has no value. */
CT_API int ct_reuse_group(const ct_reuse *reuse, const ct_corpus *corpus, size_t field,
                          ct_reuse_cell **cells, size_t *n_cells, ct_error *err);

#ifdef __cplusplus
}
#endif
#endif
