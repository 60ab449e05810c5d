/* comptext/count.h — counting the tokens of a corpus into a document-term matrix.
 *
 * Documents are read, normalised and tokenised one at a time by worker threads; each thread
 * interns terms in its own table, and the tables are merged into one vocabulary sorted in
 * byte order at the end, so the result does not depend on the number of threads. */
#ifndef COMPTEXT_COUNT_H
#define COMPTEXT_COUNT_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>
#include "comptext/corpus.h"
#include "comptext/matrix.h"
#include "comptext/tokenize.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Progress: called from the counting threads' coordinator with documents done so far. */
typedef void (*ct_progress_fn)(void *ctx, const char *phase, size_t done, size_t total);

typedef struct ct_count_options {
    int threads;             /**< worker threads; 0: ct_default_threads() */
    ct_progress_fn progress; /**< may be NULL; called from worker threads under a lock */
    void *progress_ctx;
    /** May be NULL: called from the worker threads with each document's text as read
     * (decoded, before tokenising), for callers that need something else from the same
     * pass (comptext/compare.h counts characters and finds keyword-in-context lines there);
     * return 0 to go on, or a negative CT_E… code to stop counting with it. */
    int (*text_fn)(void *ctx, size_t doc, const char *text, size_t len);
    void *text_ctx;
} ct_count_options;

CT_API void ct_count_options_init(ct_count_options *opts);

/** Number of threads to use by default: the COMPTEXT_THREADS environment variable when set
 * to a positive integer, else the number of online processors (at most 64). */
CT_API int ct_default_threads(void);

/** Count every document of corpus into *out (rows in corpus order, ids = document ids). */
CT_API int ct_count_corpus(ct_matrix **out, const ct_corpus *corpus, const ct_tokenizer *tok,
                           const ct_count_options *opts, ct_error *err);

/** Count every document of corpus and add the counts up over the whole corpus: *vocab
 * receives the terms in byte order and *totals (ct_free it) the count of each term. Memory
 * grows with the vocabulary, not with the corpus (no document-term matrix is built). */
CT_API int ct_count_totals(ct_vocab **vocab, uint64_t **totals, const ct_corpus *corpus,
                           const ct_tokenizer *tok, const ct_count_options *opts, ct_error *err);

#ifdef __cplusplus
}
#endif
#endif
