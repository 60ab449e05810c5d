/* comptext/reference.h — a background reference: how often each term occurs in a large
 * body of text of the same genre, for themes of corpora too small to be compared with
 * themselves (one report has nothing to be distinctive against, and its most frequent
 * words — 社区, 居民, 服务 — come out as its themes).
 *
 * The file is a table written by `comptext themes --save-reference FILE` (or by hand):
 * two comment lines giving the totals, "# documents D" and "# tokens N" (N the sum of the
 * counts of every term of the background, listed or not, in the same units as comptext's
 * counts), then a header row "term\tcount\tdocuments" and one term a line: its count in the
 * background and the number of background documents using it. Terms are looked up as they
 * are written (comptext writes them normalised, as its counts are). The project ships one,
 * built from the State Council's government work reports (corpora/reference/README.md). */
#ifndef COMPTEXT_REFERENCE_H
#define COMPTEXT_REFERENCE_H

#include "comptext/export.h"

#include <stddef.h>
#include "comptext/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_reference ct_reference;

/** Load a reference list. CT_EIO when the file cannot be read; CT_EINPUT naming the line
 * for a missing total, a bad header row, a row without three fields, a count that is not a
 * non-negative number or larger than the tokens, or a term listed twice; CT_EENCODING when
 * the file is not UTF-8. */
CT_API int ct_reference_load(ct_reference **out, const char *path, ct_error *err);
CT_API void ct_reference_free(ct_reference *ref);

/** Terms listed. */
CT_API size_t ct_reference_size(const ct_reference *ref);
/** The totals: background documents and tokens. */
CT_API size_t ct_reference_documents(const ct_reference *ref);
CT_API double ct_reference_tokens(const ct_reference *ref);
/** 1 and the term's count and documents when listed, else 0 (and 0, 0). */
CT_API int ct_reference_lookup(const ct_reference *ref, const char *term, size_t len, double *count,
                               double *documents);

/** Path of the shipped reference — found as the stopword list is — or NULL. Borrowed,
 * static. */
CT_API const char *ct_reference_default_path(void);

#ifdef __cplusplus
}
#endif
#endif
