/* comptext/normalize.h — Unicode normalisation of document text with utf8proc.
 *
 * NFKC folds compatibility forms (full-width ２００１ → 2001, ＡＢＣ → ABC, ① → 1) and
 * case folding lower-cases Latin, Greek, Cyrillic, …; both are on by default and each can
 * be switched off. Script folding (traditional 國 → simplified 国, comptext/fold.h) comes
 * after them. Text is normalised one grapheme cluster at a time, which lets every
 * output byte be traced back to the byte of the original text it came from (for keyword in
 * context and offsets), and lets plain characters (ASCII, Han) be copied without work. */
#ifndef COMPTEXT_NORMALIZE_H
#define COMPTEXT_NORMALIZE_H

#include "comptext/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Normalisation flags (shared with the tokeniser's flags). */
enum {
    CT_NORM_NFKC = 1u << 0,     /**< compatibility decomposition + canonical composition */
    CT_NORM_CASEFOLD = 1u << 1, /**< Unicode case folding */
    /** traditional script to simplified with OpenCC's t2s, after NFKC and case folding
     * (comptext/fold.h); fails with CT_EINVAL when built without OpenCC */
    CT_NORM_FOLD_SCRIPT = 1u << 4,
    /** every flag above */
    CT_NORM_ALL = CT_NORM_NFKC | CT_NORM_CASEFOLD | CT_NORM_FOLD_SCRIPT,
};

/** Normalise len bytes of valid UTF-8. On success *out is a NUL-terminated UTF-8 string of
 * *out_len bytes (ct_malloc, caller frees). When origin is not NULL, *origin receives an
 * array of *out_len + 1 entries: the byte offset in text of the grapheme cluster each output
 * byte came from (the last entry is len). Returns CT_ENOMEM, CT_EENCODING (invalid UTF-8), or with
 * CT_NORM_FOLD_SCRIPT ct_fold_init's error. */
CT_API int ct_normalize(const char *text, size_t len, unsigned flags, char **out, size_t *out_len,
                        size_t **origin);

#ifdef __cplusplus
}
#endif
#endif
