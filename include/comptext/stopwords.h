/* comptext/stopwords.h — stopword lists.
 *
 * A list has one entry a line; blank lines and lines starting with '#' are ignored. Entries
 * are normalised with the same flags as the text, so that the list and the tokens agree.
 * The rule the tokeniser applies: a token equal to an entry is dropped; and an n-gram of two
 * or more characters whose first or last character is a one-character entry is dropped too
 * (so with 的 listed, neither 的 nor 的发 nor 展的 is counted, while 目的 is not counted
 * either — which is why the shipped list gives one-character entries only for particles). */
#ifndef COMPTEXT_STOPWORDS_H
#define COMPTEXT_STOPWORDS_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>
#include "comptext/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_stopwords ct_stopwords;

/** Load a list from a file. Fails with CT_EIO, or CT_EENCODING naming the line when the file
 * is not valid UTF-8. */
CT_API int ct_stopwords_load(ct_stopwords **out, const char *path, unsigned norm_flags,
                             ct_error *err);
/** Build a list from an array of UTF-8 entries (for library users and tests). */
CT_API int ct_stopwords_from_array(ct_stopwords **out, const char *const *entries, size_t count,
                                   unsigned norm_flags);
CT_API void ct_stopwords_free(ct_stopwords *list);

CT_API size_t ct_stopwords_size(const ct_stopwords *list);
/** 1 when the len bytes at s are an entry, else 0. */
CT_API int ct_stopwords_contains(const ct_stopwords *list, const char *s, size_t len);

/** Path of the shipped default list — the first found of $COMPTEXT_DATADIR, the source tree
 * the library was built from, <exe dir>/../share/comptext and the installed data directory —
 * or NULL when it cannot be found. Borrowed, static. */
CT_API const char *ct_stopwords_default_path(void);

#ifdef __cplusplus
}
#endif
#endif
