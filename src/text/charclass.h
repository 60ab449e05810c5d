/* charclass.h — the tokeniser's classes of code points, from utf8proc properties (private).
 *
 * CJK: letters (Lo, Lm) and letter numbers (Nl: 〇) that are wide (East Asian width W/F per
 * utf8proc_charwidth): Han, kana, Hangul, Yi — scripts written without spaces, cut into character
 * n-grams. ALPHA: every other letter — words. DIGIT: decimal digits (Nd). MARK: combining marks
 * (Mn, Mc, Me), which stay with the character before them. BOUNDARY: everything else — separators,
 * punctuation, symbols (emoji), controls and format characters (ZWJ), other numbers. */
#ifndef CT_CHARCLASS_H
#define CT_CHARCLASS_H

#include <stdint.h>

enum ct_charclass {
    CT_CC_BOUNDARY = 0,
    CT_CC_CJK = 1,
    CT_CC_ALPHA = 2,
    CT_CC_DIGIT = 3,
    CT_CC_MARK = 4,
};

/* The BMP's classes, filled once; ct_charclass_ready says it is filled. */
extern unsigned char ct_charclass_bmp[0x10000];
extern int ct_charclass_ready;

/** The class of any code point (fills the table on first use). */
enum ct_charclass ct_charclass_slow(int32_t cp);

/** The class of a code point: a table look-up for the BMP once the table is filled. */
static inline enum ct_charclass ct_charclass_of(int32_t cp)
{
    if (cp >= 0 && cp < 0x10000 && __atomic_load_n(&ct_charclass_ready, __ATOMIC_ACQUIRE))
        return (enum ct_charclass)ct_charclass_bmp[cp];
    return ct_charclass_slow(cp);
}

/** 1 when the code point is a Han-like (CJK) character. */
static inline int ct_is_cjk(int32_t cp)
{
    return ct_charclass_of(cp) == CT_CC_CJK;
}

#endif
