/* comptext/vocab.h — the vocabulary: terms and their column ids.
 *
 * Terms are sorted in byte order and numbered from 0 in that order (as scikit-learn's
 * vocabulary_ is), so that ids and every output derived from them are the same whatever
 * the number of threads that counted them. A vocabulary is immutable and reference-counted:
 * the matrices that use it share it. */
#ifndef COMPTEXT_VOCAB_H
#define COMPTEXT_VOCAB_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_vocab ct_vocab;

CT_API size_t ct_vocab_size(const ct_vocab *vocab);
/** The term with this id, NUL-terminated UTF-8 (borrowed). */
CT_API const char *ct_vocab_term(const ct_vocab *vocab, uint32_t id);
/** Its length in bytes. */
CT_API size_t ct_vocab_term_len(const ct_vocab *vocab, uint32_t id);
/** Find a term; 0 and *id on success, CT_ENOTFOUND otherwise. */
CT_API int ct_vocab_find(const ct_vocab *vocab, const char *term, size_t len, uint32_t *id);

/** Take another reference; returns vocab. */
CT_API ct_vocab *ct_vocab_ref(ct_vocab *vocab);
/** Drop a reference; frees at zero. NULL is a no-op. */
CT_API void ct_vocab_unref(ct_vocab *vocab);

/** Build a vocabulary from count terms (any order, no duplicates); for library users and
 * tests. On success *remap (ct_malloc; pass NULL when not wanted) maps input index → id. */
CT_API int ct_vocab_from_terms(ct_vocab **out, uint32_t **remap, const char *const *terms,
                               size_t count);

/** A vocabulary of the terms whose keep[id] is non-zero, renumbered in the same order;
 * *old_to_new (ct_malloc) maps old ids to new ids, UINT32_MAX for dropped ones. */
CT_API int ct_vocab_subset(ct_vocab **out, uint32_t **old_to_new, const ct_vocab *vocab,
                           const unsigned char *keep);

#ifdef __cplusplus
}
#endif
#endif
