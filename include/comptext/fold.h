/* comptext/fold.h — folding traditional Chinese script to simplified, with OpenCC.
 *
 * Reports from Hong Kong, Macao and Taiwan, older documents and many scraped sites write
 * traditional characters, alone or mixed with simplified ones: 國家 and 国家 are one term to
 * an analyst, but two to a character n-gram counter. Normalisation with CT_NORM_FOLD_SCRIPT
 * (comptext/normalize.h) converts the text with OpenCC's own t2s conversion (its t2s.json
 * configuration: phrases first, then characters), so every count, theme and context sees
 * the simplified form; offsets stay offsets into the original text. OpenCC is slow (a few
 * MB/s), so only the stretches that hold a code point some t2s entry changes are converted:
 * the set of such code points is read from OpenCC's dictionaries once, when first needed.
 * Built without OpenCC (meson option -Dopencc=disabled, or libopencc-dev missing), folding
 * is not available: ct_fold_init fails with a message saying so. */
#ifndef COMPTEXT_FOLD_H
#define COMPTEXT_FOLD_H

#include "comptext/export.h"

#include <stddef.h>

#include "comptext/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** 1 when libcomptext was built with OpenCC, else 0. */
CT_API int ct_fold_available(void);

/** Load OpenCC's t2s conversion and its tables (once per process; thread-safe; later calls
 * return the first call's result). Returns 0; CT_EINVAL when built without OpenCC; CT_EIO
 * when OpenCC's configuration or dictionaries cannot be loaded. err (may be NULL) receives
 * the message. Normalising with CT_NORM_FOLD_SCRIPT calls it. */
CT_API int ct_fold_init(ct_error *err);

/** How much of a text is written in which script. */
typedef struct ct_script_counts {
    size_t traditional; /**< code points that t2s changes on their own (國, 們, 發) */
    size_t simplified;  /**< code points only simplified script writes (s2t changes them in
                             every reading: 国, 们, 发 — not 干 or 后, which traditional
                             text also writes); counted only when traditional > 0 */
} ct_script_counts;

/** Count the traditional and simplified code points of len bytes of valid UTF-8 (the text as
 * read). A text that has both mixes scripts. Returns 0 or ct_fold_init's error. */
CT_API int ct_fold_count_script(const char *text, size_t len, ct_script_counts *out);

#ifdef __cplusplus
}
#endif
#endif
