/* normalize_impl.h — what normalisation does to single code points (private).
 *
 * The counting path tokenises the text as it was read wherever normalising it could not
 * change a token (tokenize_keys.h); it asks here which code points of the BMP those are. */
#ifndef CT_NORMALIZE_IMPL_H
#define CT_NORMALIZE_IMPL_H

#include <stddef.h>
#include <stdint.h>

enum {
    /** ct_normalize with the flags leaves the code point as it is, standing alone. */
    CT_NORM_TRAIT_UNCHANGED = 1,
    /** A grapheme cluster of its own next to any other code point with this trait: its
     * grapheme-break class is Other, Control, CR or LF (only CR LF stays together). */
    CT_NORM_TRAIT_OWN_CLUSTER = 2,
};

/** The CT_NORM_TRAIT_ bits of a BMP code point under the CT_NORM_ flags. */
unsigned ct_normalize_bmp_traits(int32_t cp, unsigned flags);

/** ct_normalize without the origin map and, with CT_NORM_FOLD_SCRIPT, with the count of the
 * input's traditional code points (ct_fold_count_traditional's) in *traditional, made in the
 * pass that decodes them anyway (else 0). */
int ct_normalize_counting(const char *text, size_t len, unsigned flags, char **out, size_t *out_len,
                          size_t *traditional);

#endif
