/* normalize_impl.h — what normalisation does to single code points (private).
 *
 * The counting path tokenises the text as it was read wherever normalising it could not
 * change a token (tokenize_keys.h); it asks here which code points of the BMP those are. */
#ifndef CT_NORMALIZE_IMPL_H
#define CT_NORMALIZE_IMPL_H

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

#endif
