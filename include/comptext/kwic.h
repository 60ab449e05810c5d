/* comptext/kwic.h — keyword in context: every occurrence of a term with the characters
 * around it.
 *
 * The search runs over the normalised text (the same NFKC and case folding as counting),
 * so ＧＤＰ finds gdp and 2001 finds ２００１; occurrences may overlap (searching 哈哈 in
 * 哈哈哈 finds two). The context is up to window characters (code points) of normalised
 * text on each side, within the document. The offset is where the occurrence starts in the
 * document's original text, in characters (code points) — the index a Python user would
 * use in the decoded document string — found through ct_normalize's origin map. */
#ifndef COMPTEXT_KWIC_H
#define COMPTEXT_KWIC_H

#include "comptext/export.h"

#include <stddef.h>
#include "comptext/corpus.h"
#include "comptext/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_kwic_hit {
    size_t doc;         /**< document index in the corpus */
    size_t offset;      /**< start in the original text, characters */
    size_t byte_offset; /**< start in the original text, bytes */
    const char *left;   /**< NUL-terminated, normalised; valid during the callback */
    const char *term;   /**< the occurrence as it reads in the normalised text */
    const char *right;
} ct_kwic_hit;

/** Called for each occurrence, in document order then offset order; return 0 to go on,
 * anything else to stop (ct_kwic_search returns it). */
typedef int (*ct_kwic_fn)(void *ctx, const ct_kwic_hit *hit);

/** Find every occurrence of term (normalised with flags, CT_NORM_…) in the corpus.
 * CT_EINVAL when the term is empty or only white space after normalisation. */
CT_API int ct_kwic_search(const ct_corpus *corpus, const char *term, size_t window, unsigned flags,
                          ct_kwic_fn fn, void *ctx, ct_error *err);

/** The same over a subset of the documents: docs lists n_docs corpus indices, searched in
 * that order (hits report the corpus index); docs NULL means every document. */
CT_API int ct_kwic_search_docs(const ct_corpus *corpus, const size_t *docs, size_t n_docs,
                               const char *term, size_t window, unsigned flags, ct_kwic_fn fn,
                               void *ctx, ct_error *err);

/** The search in one text already normalised: text is the original (for character
 * offsets), norm its ct_normalize output (norm_len bytes) and origin the origin map
 * ct_normalize gave; needle (nlen bytes, not empty) is the term normalised with the same
 * flags. Hits report doc as their document. Returns what ct_kwic_search does. */
CT_API int ct_kwic_search_normalized(const char *text, const char *norm, size_t norm_len,
                                     const size_t *origin, size_t doc, const char *needle,
                                     size_t nlen, size_t window, ct_kwic_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
